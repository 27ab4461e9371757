// parser.global.js's fallback (see wasm-fallback.js): the parser's engine as JavaScript, from
// parser.wasm2js.js beside parser.global.js, handed over through a global of its own. As
// wasm-fallback-script.js otherwise. ES5 syntax.
import { handOver } from '../beside.js';

export function fallback(ready, fail) {
  handOver('__eventsourceParserWasm2js', 'parser.wasm2js.js', ready, fail);
}
