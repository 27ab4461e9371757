// The script-tag file's fallback (see wasm-fallback.js): the engine as JavaScript, from
// eventsource.wasm2js.js beside eventsource.js. That file instantiates its engine and hands it to
// the global function left here (a name the minifier keeps), as it runs. The sources fail with
// the WebAssembly error where the file cannot load: refused by the policy too, or no document to
// add it to (workers have no script element to find it beside), or Trusted Types refusing a plain
// URL for it. ES5 syntax.
import { handOver } from '../beside.js';

export function fallback(ready, fail) {
  handOver('__eventsourceWasm2js', 'eventsource.wasm2js.js', ready, fail);
}
