// Loads the WebAssembly engine once per realm, asynchronously. The build inlines the module
// deflated (zlib format), six bits a character in the alphabet `digits` (the characters the
// file's own code uses most, so that gzip codes them shortest: scripts/engine-modules.mjs); the
// runtime's own DecompressionStream inflates it, so no inflater ships. ES5 syntax.
import { digits, deflated } from 'eventsource:wasm-inlined';
import { g } from '../global.js';
import { fallback } from './wasm-fallback.js';

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
    var bytes = new Uint8Array(deflated.length * 3 >> 2);
    for (var i = 0, n = 0, bits = 0, word = 0; i < deflated.length; i++) {
      word = word << 6 | digits.indexOf(deflated.charAt(i));
      bits += 6;
      if (bits >= 8) bytes[n++] = word >> (bits -= 8);
    }
    var inflated = new g.Response(bytes).body.pipeThrough(new g.DecompressionStream('deflate'));
    new g.Response(inflated).arrayBuffer().then(function (module) {
      return g.WebAssembly.instantiate(module, {});
    }).then(function (result) {
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
