// parser.global.js's fallback (see wasm-fallback.js): the parser's engine as JavaScript, from
// parser.wasm2js.js beside parser.global.js, handed over through a global of its own (a page may
// hold eventsource.js too, waiting for its own engine). As wasm-fallback-script.js otherwise.
// ES5 syntax.
import { g } from '../global.js';
import { load } from '../beside.js';

export function fallback(ready, fail) {
  try {
    g.__eventsourceParserWasm2js = ready;
    load('parser.wasm2js.js').onerror = fail;
  } catch (error) {
    fail();
  }
}
