// The engine as plain JavaScript (wasm2js output, inlined by the build), instantiated on first use.
// ES5 syntax.
import { instantiate } from 'eventsource:wasm2js';

var M = Math;
// wasm2js output calls these; IE10/11 lack them.
if (!M.imul) M.imul = function (a, b) { return ((a & 0xFFFF) * b + (((a >>> 16) * b & 0xFFFF) << 16)) | 0; };
if (!M.clz32) M.clz32 = function (x) { x >>>= 0; return x ? 31 - ((M.log(x) / M.LN2) | 0) : 32; };
if (!M.trunc) M.trunc = function (x) { return x < 0 ? M.ceil(x) : M.floor(x); };
if (!M.fround) {
  var f32 = new Float32Array(1);
  M.fround = function (x) { f32[0] = x; return f32[0]; };
}
// wasm2js copies memory (memory.copy) with Uint8Array.prototype.copyWithin (ES2015), which
// IE10/11 lack. The whole method, relative indexes included, since a page may use it too; set()
// of a subarray of the same buffer copies as if through a temporary, so overlaps are safe.
var U8 = Uint8Array.prototype;
if (!U8.copyWithin) {
  Object.defineProperty(U8, 'copyWithin', {
    writable: true, configurable: true,
    value: function (target, start, end) {
      var length = this.length;
      var at = function (value) {
        var n = +value || 0;
        n = n < 0 ? M.ceil(n) : M.floor(n);
        return n < 0 ? M.max(length + n, 0) : M.min(n, length);
      };
      var to = at(target);
      var from = at(start);
      var count = M.min((end === undefined ? length : at(end)) - from, length - to);
      if (count > 0) this.set(this.subarray(from, from + count), to);
      return this;
    },
  });
}

var core = null;

/** Like the WebAssembly loader, answers in a later task: a close() right after the constructor
 * then stops the first request before it is sent, as with the browser's own EventSource. */
export function loadCore(ready) {
  setTimeout(function () {
    ready(core || (core = instantiate()));
  }, 0);
}
