// The platform of old runtimes (IE10/11, EdgeHTML, engines with parts missing): each piece is
// feature-detected and falls back to a stand-in; the engine is the wasm2js translation, which
// needs no WebAssembly. ES5 syntax.
import { g } from '../global.js';
export { BaseTarget, makeTarget, createEvent, createMessageEvent } from './legacy-events.js';
export { resolveUrl, originOf, syntaxError } from './legacy-url.js';
import { fetchStreams, openFetch } from './fetch.js';
import { openXhr } from './xhr.js';
export { loadCore } from './core-nowasm.js';
export { readStream } from './stream.js';

/** fetch where its body is a stream, XMLHttpRequest elsewhere. */
export var open = fetchStreams ? openFetch : openXhr;

// ignoreBOM: a value may begin with U+FEFF and begin the batch text too; the stream's own BOM
// is already gone (the engine strips it, spec: UTF-8 decode).
var textDecoder = typeof g.TextDecoder === 'function' ? new g.TextDecoder('utf-8', { ignoreBOM: true }) : null;

/** The engine's text is valid UTF-8, so the fallback decoder needs no error handling. */
export function decodeUtf8(bytes) {
  if (textDecoder) return textDecoder.decode(bytes);
  var out = '';
  var units = [];
  for (var i = 0; i < bytes.length;) {
    var b = bytes[i++];
    var c = b < 0x80 ? b
      : b < 0xE0 ? (b & 0x1F) << 6 | bytes[i++] & 0x3F
        : b < 0xF0 ? (b & 0x0F) << 12 | (bytes[i++] & 0x3F) << 6 | bytes[i++] & 0x3F
          : (b & 0x07) << 18 | (bytes[i++] & 0x3F) << 12 | (bytes[i++] & 0x3F) << 6 | bytes[i++] & 0x3F;
    if (c > 0xFFFF) {
      c -= 0x10000;
      units.push(0xD800 | c >> 10, 0xDC00 | c & 0x3FF);
    } else {
      units.push(c);
    }
    if (units.length > 8190) {
      out += String.fromCharCode.apply(null, units);
      units = [];
    }
  }
  return out + String.fromCharCode.apply(null, units);
}

/** The legacy build runs wherever it loads (the contract asks every platform for this name). */
export function supported() {
  return true;
}
