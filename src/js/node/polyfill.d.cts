// require('eventsource-wasm/polyfill') installs globalThis.EventSource where it is missing.
export { EventSource } from './index.cjs';
