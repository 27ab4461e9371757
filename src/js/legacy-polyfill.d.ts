// Importing 'eventsource-wasm/legacy-polyfill' installs globalThis.EventSource where it is missing.
export { EventSource } from './legacy.js';
