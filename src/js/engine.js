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
  return { ops: copy, texts: decodeTexts(new Uint8Array(buffer, head[2], head[3])) };
};

/** A piece of text decoded at once: past about this size, decoding slows (Chromium: 5 GB/s for
 * 64 KiB, 1.4 GB/s for the 2 MiB blocks a fast stream's chunks bring). */
var PIECE = 65536;

/** The batch's strings: each ends in CR (a byte no value holds). Decoded a piece at a time, each
 * piece cut at a CR, so that one decode serves many small strings and a big block stays fast. */
function decodeTexts(bytes) {
  var texts = [];
  for (var start = 0; start < bytes.length;) {
    var end = bytes.length - 1;
    if (end - start > PIECE) {
      // The last CR within the piece (a short look back); past it only when one string is longer.
      end = findCr('lastIndexOf', bytes, start + PIECE);
      if (end < start) end = findCr('indexOf', bytes, start + PIECE);
    }
    var piece = decodeUtf8(bytes.subarray(start, end)).split('\r');
    for (var i = 0; i < piece.length; i++) texts.push(piece[i]);
    start = end + 1;
  }
  return texts;
}

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
/** Aborted by the page (window.stop()), not by this source: fails the connection. */
export var ABORTED = 4;

/**
 * Calls the engine input `es_<name>` that takes at most one number and reads its batch: `start`,
 * `end` (how), `timer`, `heartbeat` (the two timers ran out), `recycle`, `close`.
 */
Engine.prototype.call = function (name, arg) {
  return this.batch(this._core['es_' + name](this._handle, arg));
};

Engine.prototype.free = function () {
  if (this._handle) this._core.es_free(this._handle);
  this._handle = 0;
};

/** Where CR is, searching from `from` with typed arrays' `indexOf` or `lastIndexOf` (ES2016), or
 * the generic array ones where typed arrays lack them (IE). */
function findCr(method, bytes, from) {
  return (bytes[method] || Array.prototype[method]).call(bytes, 13, from);
}

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
