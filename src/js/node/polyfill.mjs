// Node's `import` of 'eventsource-wasm/polyfill': the CommonJS build re-exported (see index.mjs).
import cjs from './polyfill.cjs';

export var EventSource = cjs.EventSource;
