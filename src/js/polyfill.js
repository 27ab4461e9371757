// npm 'eventsource-wasm/polyfill': installs globalThis.EventSource only where the runtime has none.
import { EventSource } from './event-source.js';
import { install } from './install.js';

install(EventSource);
export { EventSource };
