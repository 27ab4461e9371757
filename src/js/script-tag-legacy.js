// eventsource.legacy.js: the whole polyfill for old runtimes in one ES5 file, engine included (as
// JavaScript, no WebAssembly). Installs EventSource where the runtime has none.
import { EventSource } from './event-source.js';
import { install } from './install.js';

install(EventSource);
