// The size budget: prints the figures of the last build and fails when the script-tag file's
// gzipped transfer is over budget. The budget is the ceiling the build must stay under (a small
// margin above today's figure, so growth is a decision, not an accident); the target is where the
// project wants to be, printed with the distance left.
import { readFileSync } from 'node:fs';

const BUDGET_GZIP_BYTES = 9900;
const TARGET_GZIP_BYTES = 8 * 1024;
const sizes = JSON.parse(readFileSync(new URL('../target/js/sizes.json', import.meta.url), 'utf8'));
const total = sizes.scriptTag.gzip;
console.log(`wasm: ${sizes.wasm.raw} B raw, ${sizes.wasm.gzip} B gzip (inlined deflated: ${sizes.wasm.inlined} B)`);
console.log(`script-tag eventsource.js (wasm inlined): ${sizes.scriptTag.raw} B raw, ${total} B gzip`);
console.log(`npm index.js (wasm inlined): ${sizes.module.raw} B raw, ${sizes.module.gzip} B gzip`);
console.log(`legacy eventsource.legacy.js: ${sizes.noWasm.raw} B raw, ${sizes.noWasm.gzip} B gzip`);
// The npm entries: index.cjs serves require (and, through index.node.mjs, Node's import); legacy.js
// is eventsource-wasm/legacy. Informational: a bundle holds one entry's engine, never two.
for (const [file, size] of Object.entries(sizes.npm ?? {})) console.log(`npm ${file}: ${size.raw} B raw, ${size.gzip} B gzip`);
const ok = total <= BUDGET_GZIP_BYTES;
console.log(`${ok ? 'ok  ' : 'FAIL'} total gzipped transfer ${total} B within budget ${BUDGET_GZIP_BYTES} B`);
const left = total - TARGET_GZIP_BYTES;
console.log(`     target ${TARGET_GZIP_BYTES} B: ${left > 0 ? `${left} B to go` : 'met'}`);
console.log(`size: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exit(ok ? 0 : 1);
