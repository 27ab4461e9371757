// The size budget: prints the figures of the last build and fails when a shipped file's gzipped
// transfer is over its ceiling. Each ceiling sits a small margin above the file's figure when it
// was last cut, so that growth is a decision, not an accident; the goal is where the project wants
// to be, printed with the distance left. Where the bytes go: scripts/size-report.mjs.
import { readFileSync } from 'node:fs';

const FILES = [
  // [label, key in sizes.json, ceiling (B gzip), goal (B gzip)]. index.js carries the `shared`
  // option's group machinery (about 0.9 KB, of which 80 B is the holder's farewell that a new
  // holder waits for, since WebKit may grant the lock first); the script-tag files leave it out
  // (shared-off.js).
  // Error reasons, headers per request and the reconnect decision cost about 1.4 KB in each file.
  // The script-tag file's fallback to eventsource.wasm2js.js where a CSP refuses WebAssembly
  // costs about 100 B in it. index.js also carries reconnectOnResume's listeners (lifecycle.js,
  // about 0.2 KB); the engine's resume input costs about 90 B in every file. Resuming past a
  // CORS preflight that refuses Last-Event-ID costs about 150 B (engine ~80 B, the face's
  // warning ~50 B). The first request sent while the engine compiles (and the script tag's
  // compile at once) took the first event from about 7 ms behind native to about 4.5: about 120 B.
  // The parser API's per-event `retry` (the engine's MESSAGE argument) costs about 40 B in each;
  // aborting with one reason made at load (so that no abort's stack keeps a chunk alive) 30 B.
  // Issue 16 cut the engine by about 470 B gz in each file (no 128-bit multiply, one body for
  // every op, the command encoding inlined where each command is given, opt-level z), then by
  // about 240 B gz (780-810 B in the wasm2js files): its own size-class allocator, the
  // reconnection delay in double precision (no 64-bit division helpers in wasm2js) and one
  // growth path for byte buffers. Reading a byte-stream body into the transport's own buffer (the
  // heap halfway through a fast stream: 2 MB to under 0.1) costs about 40 B in each file; V8's
  // compile hint at the top of the script-tag file (its first event about 1 ms sooner) 22 B.
  // Then the engine by about 280 B gz in each file (350-450 B in the wasm2js files): flags beside
  // numbers instead of 64-bit Option tags, ops held as bytes (one growth path), field names told
  // by length, one body per shared path (the allocator's free among them); and the face by about 80 B (the script tag leaves out the
  // npm-only hooks; index.js takes an engine without XMLHttpRequest's restart, 34 B). The XHR
  // transport's make-up for the browser's BOM sniffing (a UTF-8 BOM then non-ASCII text was
  // garbled) 68 B of the legacy file; that transport reading the body as UTF-8 64 Ki chars at a
  // time into a reused buffer (its 1 KB and 64 KB bench rows 0.83x and 0.77x event-source-polyfill
  // on XHR before, 1.04x and 1.26x after; the heap halfway 9 MB before, 0.7 MB after) 47 B.
  // The engine made in zeroed memory (one fill for its zero fields instead of a store each):
  // eventsource.js 23 B and index.js 30 B smaller, the wasm2js files up to 20 B larger (the fill
  // becomes a loop there). The source's state without its unset fields, one reading of the
  // lastEventIdQueryParameter option: 14 B and 17 B. The search for CR in the engine's texts
  // without IE's fallback outside the legacy platform: 15 B and 13 B. The checks for a next
  // microtask turn folded away where there always is one (TURNS): 10 B and 8 B. A batch's ops
  // copied by the typed-array constructor: 11 B, 13 B and 12 B (legacy); the options' numbers
  // floored by `>>> 0` alone: 3 B. The engine's op encoding one body per number of arguments
  // rather than inlined at each command (src/abi/encoder.rs, push_op): the module 228 B smaller;
  // eventsource.js 37 B, index.js 44 B, eventsource.wasm2js.js 70 B. Not in the legacy builds
  // (js-translated): translated to JavaScript, the calls made the legacy file 10% slower on the
  // bench's 1 KB row, below event-source-polyfill.
  ['script-tag eventsource.js (wasm inlined)', 'scriptTag', 9079, 8 * 1024],
  ['npm index.js (wasm inlined)', 'module', 10212, 8 * 1024],
  ['legacy eventsource.legacy.js (wasm2js engine)', 'noWasm', 11896, 12 * 1024],
  // Loaded only under a CSP without 'wasm-unsafe-eval': the engine alone, as JavaScript.
  ['CSP fallback eventsource.wasm2js.js (wasm2js engine alone)', 'wasm2js', 5234, 7 * 1024],
];
const sizes = JSON.parse(readFileSync(new URL('../target/js/sizes.json', import.meta.url), 'utf8'));
console.log(`wasm: ${sizes.wasm.raw} B raw, ${sizes.wasm.gzip} B gzip`);
// The other npm entries: node/index.cjs serves require (and, through node/index.mjs, Node's import);
// legacy.js is eventsource-wasm/legacy. Informational: a bundle holds one entry's engine, never two.
for (const [file, size] of Object.entries(sizes.npm ?? {})) console.log(`npm ${file}: ${size.raw} B raw, ${size.gzip} B gzip`);
let passed = 0;
let failed = 0;
for (const [label, key, ceiling, goal] of FILES) {
  const { raw, gzip } = sizes[key];
  const ok = gzip <= ceiling;
  if (ok) passed++; else failed++;
  const left = gzip - goal;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}: ${raw} B raw, ${gzip} B gzip, ceiling ${ceiling} B; ` +
    `goal ${goal} B: ${left > 0 ? `${left} B to go` : `met, ${-left} B to spare`}`);
}
console.log(`size: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
