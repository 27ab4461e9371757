// Where the runtime refuses to compile the WebAssembly engine (a Content-Security-Policy without
// 'wasm-unsafe-eval'), core-wasm.js calls `fallback(ready, fail)` when there is one, and the
// fallback calls `ready(core)` with another engine or `fail()`. The npm builds
// have none: loading fails, and the sources report the error (README: eventsource-wasm/legacy).
// The script-tag build swaps in wasm-fallback-script.js (scripts/build.mjs). A constant, so the
// minifier removes the test where there is none.
export const fallback = null;
