// Loads the WebAssembly engine once per realm, asynchronously; the bytes are inlined by the build.
// ES5 syntax (the script-tag build's modern path).
import wasmBase64 from 'eventsource:wasm-base64';

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
    var binary = atob(wasmBase64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    WebAssembly.instantiate(bytes, {}).then(function (result) {
      core = result.instance.exports;
      settle(0, core);
    }, function (error) {
      waiting && settle(1, error);
    });
  } catch (error) {
    settle(1, error);
  }
}
