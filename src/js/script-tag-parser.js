// parser.global.js, for a <script> tag: the parser API ('eventsource-wasm/parser') for pages
// without a bundler, as the global `EventSourceParser` with `createParser` and
// `createParserStream`. Like the npm subpath it carries its own copy of the engine, so that the
// EventSource script-tag files stay as small as they are. Where a Content-Security-Policy refuses
// to compile WebAssembly, the engine comes from eventsource.wasm2js.js beside it, as for
// eventsource.js. ES5 syntax.
import { g } from './global.js';
import { createParser, createParserStream } from './parser.js';

g.EventSourceParser = { createParser: createParser, createParserStream: createParserStream };
