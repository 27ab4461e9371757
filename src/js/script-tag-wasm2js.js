// eventsource.wasm2js.js: the engine alone as JavaScript (wasm2js), for eventsource.js to load
// from beside itself where the runtime refuses to compile its WebAssembly (a Content-Security-
// Policy without 'wasm-unsafe-eval'). It hands the engine to the function eventsource.js left for
// it, and does nothing on a page that did not ask for it. ES5 syntax.
import { instantiate } from 'eventsource:wasm2js';
import { g } from './global.js';

if (typeof g.__eventsourceWasm2js === 'function') g.__eventsourceWasm2js(instantiate());
