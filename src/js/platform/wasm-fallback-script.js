// The script-tag file's fallback (see wasm-fallback.js): the engine as JavaScript, from
// eventsource.wasm2js.js beside eventsource.js. That file instantiates its engine and hands it to
// the global function left here (a name the minifier keeps), as it runs. The sources fail with
// the WebAssembly error where the file cannot load: refused by the policy too, or no document to
// add it to (workers have no script element to find it beside), or Trusted Types refusing a plain
// URL for it. ES5 syntax.
import { g } from '../global.js';
import { doc, load } from '../beside.js';

export function fallback(ready, fail) {
  // Another script-tag file of the package on the page (parser.global.js) may be waiting too:
  // each file takes the engine of the script element it added, and passes on any other.
  var before = g.__eventsourceWasm2js;
  var element;
  try {
    g.__eventsourceWasm2js = function (core) {
      if (doc.currentScript === element) ready(core);
      else if (before) before(core);
    };
    element = load('eventsource.wasm2js.js');
    element.onerror = fail;
  } catch (error) {
    fail();
  }
}
