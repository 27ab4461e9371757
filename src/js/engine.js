// One EventSource's handle on the Rust engine (src/abi.rs): copies input in, reads command
// batches out. The same code drives the WebAssembly module and its wasm2js translation.
// ES5 syntax: the script-tag build must parse in old engines.
import { decodeUtf8 } from 'eventsource:platform';

// Op codes, as in src/abi.rs.
export var OP_CONNECT = 1;
export var OP_ABORT = 2;
export var OP_ARM_TIMER = 3;
export var OP_CANCEL_TIMER = 4;
export var OP_READY_STATE = 5;
export var OP_OPEN = 6;
export var OP_MESSAGE = 7;
export var OP_TYPE = 8;
export var OP_ID = 9;
export var OP_ERROR = 10;
export var OP_ARM_HEARTBEAT = 11;
export var OP_CANCEL_HEARTBEAT = 12;

/** "Not set", for the engine's optional numbers. */
var UNSET = 0xFFFFFFFF;

/**
 * A batch of commands: `ops` (op codes and numeric arguments) and `texts` (the strings the ops
 * consume, in order).
 */
export function Engine(core, options) {
  this._core = core;
  this._handle = core.es_new(
    optional(options.maxEventSize), optional(options.heartbeatTimeout),
    optional(options.backoffFactor === undefined ? undefined : options.backoffFactor * 1000),
    optional(options.maxReconnectDelay), optional(options.reconnectJitter === undefined ? undefined : options.reconnectJitter * 1000),
    optional(options.maxRetries), options.reconnectOnError ? 1 : 0, (Math.random() * 0xFFFFFFFF) >>> 0);
}

/** An option as the engine takes it: a u32, or UNSET when absent or unbounded. */
function optional(value) {
  return value === undefined || value === null || !(value < UNSET) ? UNSET : Math.floor(value) >>> 0;
}

Engine.prototype.input = function (bytes) {
  var ptr = this._core.es_input(this._handle, bytes.length);
  new Uint8Array(this._core.memory.buffer, ptr, bytes.length).set(bytes);
};

/** Reads the batch behind a header pointer an es_* input returned. */
Engine.prototype.batch = function (header) {
  var buffer = this._core.memory.buffer;
  var head = new Uint32Array(buffer, header, 4);
  // Copied out: a listener may close this source or create another one, reusing or growing the
  // engine's memory while the batch is still being dispatched.
  var ops = new Uint32Array(buffer, head[0], head[1]);
  var copy = new Uint32Array(ops.length);
  copy.set(ops);
  var texts = head[3] ? decodeUtf8(new Uint8Array(buffer, head[2], head[3])).split('\r') : [];
  return { ops: copy, texts: texts };
};

Engine.prototype.start = function () { return this.batch(this._core.es_start(this._handle)); };

Engine.prototype.response = function (status, contentType, retryAfter) {
  var hasType = contentType !== null && contentType !== undefined;
  if (hasType) this.input(latin1Bytes(contentType));
  return this.batch(this._core.es_response(this._handle, status, hasType ? 1 : 0, optional(retryAfter)));
};

Engine.prototype.chunk = function (bytes) {
  this.input(bytes);
  return this.batch(this._core.es_chunk(this._handle, bytes.length));
};

/** How a response ended, as the engine's es_end takes it. */
export var BODY_ENDED = 0;
export var BODY_FAILED = 1;
export var REQUEST_FAILED = 2;
export var CROSS_ORIGIN_REQUEST_FAILED = 3;

Engine.prototype.end = function (how) {
  return this.batch(this._core.es_end(this._handle, how));
};

Engine.prototype.heartbeat = function () { return this.batch(this._core.es_heartbeat(this._handle)); };

Engine.prototype.timer = function () { return this.batch(this._core.es_timer(this._handle)); };

Engine.prototype.recycle = function () { return this.batch(this._core.es_recycle(this._handle)); };

Engine.prototype.close = function () { return this.batch(this._core.es_close(this._handle)); };

Engine.prototype.free = function () {
  if (this._handle) this._core.es_free(this._handle);
  this._handle = 0;
};

/** Header values are byte strings: one char per byte. */
function latin1Bytes(text) {
  var bytes = new Uint8Array(text.length);
  for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A string's UTF-8 bytes as a byte string: the form fetch and XHR take for header values. */
export function utf8ByteString(text) {
  return unescape(encodeURIComponent(text));
}
