// One EventSource's handle on the Rust engine (src/abi/runtime.rs): copies input in, reads
// command batches out. Each input is a method calling its export; each returns a batch:
// `_ops` (op codes and numeric arguments) and `_texts` (the strings the ops consume, in order),
// as src/js/protocol.js (generated from src/abi/protocol.rs) defines them.
// The same code drives the WebAssembly module and its wasm2js translation.
// ES5 syntax: the script-tag build must parse in old engines.
import { decodeUtf8, findCr } from 'eventsource:platform';
import {
  UNSET, FACTOR_ONE, FLAG_RECONNECT_ON_ERROR, FLAG_DECIDES, INPUT_RESPONSE, INPUT_CHUNK, INPUT_INFO,
} from './protocol.js';

export function Engine(core, options) {
  this._core = core;
  this._handle = core.es_new(
    optional(options.maxEventSize), optional(options.heartbeatTimeout),
    // The factor in millionths, rounded (1.001 * 1e6 is 1000999.99...); absent (NaN) is 0 and a
    // factor past the range is the largest, both as the engine reads them.
    Math.min(options.backoffFactor * FACTOR_ONE + 0.5, UNSET) >>> 0,
    optional(options.maxReconnectDelay), optional(options.reconnectJitter === undefined ? undefined : options.reconnectJitter * 1000),
    optional(options.maxRetries),
    (options.reconnectOnError ? FLAG_RECONNECT_ON_ERROR : 0) | (options.reconnect ? FLAG_DECIDES : 0),
    (Math.random() * UNSET) >>> 0);
}

/** An option as the engine takes it: a u32 (`>>> 0` floors: every value is at least 0, as the
 * options' checks and Retry-After's reading make it), or UNSET when absent or unbounded. */
function optional(value) {
  return value === undefined || value === null || !(value < UNSET) ? UNSET : value >>> 0;
}

Engine.prototype._input = function (bytes) {
  var ptr = this._core.es_input(this._handle, bytes.length);
  new Uint8Array(this._core.memory.buffer, ptr, bytes.length).set(bytes);
};

/** Reads the batch behind the header pointer an input's export returned. */
Engine.prototype._batch = function (header) {
  var buffer = this._core.memory.buffer;
  var head = new Uint32Array(buffer, header, 4);
  // Copied out: a listener may close this source or create another one, reusing or growing the
  // engine's memory while the batch is still being dispatched.
  // (A typed array made from another copies it, in every engine down to IE10's.)
  var ops = new Uint32Array(new Uint32Array(buffer, head[0], head[1]));
  return { _ops: ops, _texts: decodeTexts(new Uint8Array(buffer, head[2], head[3])) };
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

// The inputs.

/** An input: an INPUT_ code from protocol.js, then up to three numbers (what each input takes is
 * documented there; a missing one is 0). */
Engine.prototype._send = function (input, a, b, c) {
  return this._batch(this._core.es_send(this._handle, input, a, b, c));
};

/** A response head: status, Content-Type (null: none), Retry-After in ms (undefined: none). */
Engine.prototype._response = function (status, contentType, retryAfter) {
  var hasType = contentType !== null && contentType !== undefined;
  if (hasType) this._input(latin1Bytes(contentType));
  return this._send(INPUT_RESPONSE, status, hasType ? 1 : 0, optional(retryAfter));
};

/** A body chunk. */
Engine.prototype._chunk = function (bytes) {
  this._input(bytes);
  return this._send(INPUT_CHUNK, bytes.length);
};

Engine.prototype._free = function () {
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

/** The state fromReadableStream()'s getters read (src/js/from-stream.js): `time`, the
 * reconnection time in ms, and `id`, the last event ID. A function, not a method, so that the
 * builds without from-stream.js leave it out (as their engine leaves out its input). */
export function engineInfo(engine) {
  var buffer = engine._core.memory.buffer;
  var head = new Uint32Array(buffer, engine._core.es_send(engine._handle, INPUT_INFO), 3);
  return { time: head[0], id: decodeUtf8(new Uint8Array(buffer, head[1], head[2])) };
}
