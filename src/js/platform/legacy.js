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

/** XMLHttpRequest restarts a response past its limit (platform.d.ts). */
export const RESTARTS = true;

// The next microtask turn, as the modern platform's; where there are no promises, none: events are
// dispatched back to back.
var settled = typeof g.Promise === 'function' ? g.Promise.resolve() : null;
export var nextTurn = settled ? function (f) { settled.then(f); } : null;
export var TURNS = !!nextTurn;

// ignoreBOM: the stream's BOM is the engine's to strip; a U+FEFF that begins a text is content.
var textDecoder = typeof g.TextDecoder === 'function' ? new g.TextDecoder('utf-8', { ignoreBOM: true }) : null;

/** Encoding Standard, "UTF-8 decode" without BOM sniffing: the engine's text is the bytes received,
 * so each maximal subpart of an ill-formed sequence becomes one U+FFFD, as TextDecoder does. */
export function decodeUtf8(bytes) {
  if (textDecoder) return textDecoder.decode(bytes);
  var out = '';
  var units = [];
  for (var i = 0; i < bytes.length;) {
    var b = bytes[i++];
    var c = b < 0x80 ? b : b < 0xC2 ? 0xFFFD : b < 0xE0 ? b & 0x1F : b < 0xF0 ? b & 0x0F : b < 0xF5 ? b & 0x07 : 0xFFFD;
    var needed = b < 0xC2 || b > 0xF4 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
    // The UTF-8 decoder's bounds on the byte after the lead (no overlongs, surrogates or > U+10FFFF).
    var lower = b === 0xE0 ? 0xA0 : b === 0xF0 ? 0x90 : 0x80;
    var upper = b === 0xED ? 0x9F : b === 0xF4 ? 0x8F : 0xBF;
    for (; needed > 0; needed--) {
      var next = bytes[i];
      // Cut short (by another byte or the end): one U+FFFD; that byte starts over.
      if (!(next >= lower && next <= upper)) { c = 0xFFFD; break; }
      c = c << 6 | next & 0x3F;
      i++;
      lower = 0x80;
      upper = 0xBF;
    }
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

/** Where CR is in `bytes`, searching from `from` with typed arrays' `indexOf` or `lastIndexOf`
 * (`method`; ES2016), or the generic array ones where typed arrays lack them (IE). */
export function findCr(method, bytes, from) {
  return (bytes[method] || Array.prototype[method]).call(bytes, 13, from);
}

/** The legacy build runs wherever it loads (the contract asks every platform for this name). */
export function supported() {
  return true;
}
