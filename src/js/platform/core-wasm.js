// Loads the WebAssembly engine once per realm, asynchronously. The build inlines the module
// deflated (zlib format) and base64-encoded: base64 of compressed bytes is what compresses best
// again on the wire, and the runtime's own DecompressionStream inflates it, so no inflater ships.
// ES5 syntax.
import wasmDeflateBase64 from 'eventsource:wasm-deflate-base64';
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
    var binary = g.atob(wasmDeflateBase64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
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
