// The engine as plain JavaScript (wasm2js output, inlined by the build), instantiated on first use.
// ES5 syntax.
import { instantiate } from 'eventsource:wasm2js';

var M = Math;
// wasm2js output calls these (the build checks it needs no other); IE10/11 lack them.
if (!M.imul) M.imul = function (a, b) { return ((a & 0xFFFF) * b + (((a >>> 16) * b & 0xFFFF) << 16)) | 0; };
if (!M.clz32) M.clz32 = function (x) { x >>>= 0; return x ? 31 - ((M.log(x) / M.LN2) | 0) : 32; };

var core = null;

/** Like the WebAssembly loader, answers in a later task: a close() right after the constructor
 * then stops the first request before it is sent, as with the browser's own EventSource. */
export function loadCore(ready) {
  setTimeout(function () {
    ready(core || (core = instantiate()));
  }, 0);
}
