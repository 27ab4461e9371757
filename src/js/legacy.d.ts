// 'eventsource-wasm/legacy': the same EventSource, its engine compiled to JavaScript (no WebAssembly).
export * from './index.js';
