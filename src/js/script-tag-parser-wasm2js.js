// parser.wasm2js.js: the parser's engine alone as JavaScript (wasm2js), for parser.global.js to
// load from beside itself where the runtime refuses to compile its WebAssembly (a Content-
// Security-Policy without 'wasm-unsafe-eval'). ES5 syntax.
import { instantiate } from 'eventsource:wasm2js';
import { g } from './global.js';

if (typeof g.__eventsourceParserWasm2js === 'function') g.__eventsourceParserWasm2js(instantiate());
