// Loads the WebAssembly engine once per realm, asynchronously. The build spells the module in
// printable characters, one or two a byte, chosen so that the output's gzip compresses the module
// along with the code around it (scripts/engine-modules.mjs, encodeInlined, says how the three
// strings read); nothing inflates it at load. ES5 syntax.
import { digits, mask, text } from 'eventsource:wasm-inlined';
import { g } from '../global.js';
import { fallback } from './wasm-fallback.js';

/** The symbols spelled in one character; two of the 93 begin a two-character one. */
var DIRECT = 91;

/** The module's bytes from the build's text. */
function decodeModule() {
  var symbol = {};
  var values = [];
  var others = [];
  for (var i = 0; i < digits.length; i++) symbol[digits.charAt(i)] = i;
  // The one-character byte values, in value order, then the others.
  for (var value = 0; value < 256; value++) {
    (symbol[mask.charAt(value / 6 | 0)] >> 5 - value % 6 & 1 ? values : others).push(value);
  }
  values = values.concat(others);
  var bytes = new Uint8Array(text.length);
  var n = 0;
  for (i = 0; i < text.length; i++) {
    var k = symbol[text.charAt(i)];
    bytes[n++] = values[k < DIRECT ? k : DIRECT + (k - DIRECT) * digits.length + symbol[text.charAt(++i)]];
  }
  return bytes.subarray(0, n);
}

var core = null;
var waiting = null;

/** Calls ready(core) once the engine is instantiated (at once if it already is), or fail(). */
export function loadCore(ready, fail) {
  if (core) { ready(core); return; }
  if (waiting) { waiting.push([ready, fail]); return; }
  waiting = [[ready, fail]];
  var settle = function (index, value) {
    var callbacks = waiting;
    waiting = null;
    for (var i = 0; i < callbacks.length; i++) callbacks[i][index](value);
  };
  try {
    g.WebAssembly.instantiate(decodeModule(), {}).then(function (result) {
      settle(0, core = result.instance.exports);
    }, function (error) {
      // Refused (a CSP without 'wasm-unsafe-eval'): the script-tag build's fallback may still
      // bring the engine (wasm-fallback.js); the sources keep waiting until it settles.
      if (waiting) {
        fallback ? fallback(function (translated) {
          settle(0, core = translated);
        }, function () {
          settle(1, error);
        }) : settle(1, error);
      }
    });
  } catch (error) {
    settle(1, error);
  }
}
