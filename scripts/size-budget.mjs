// The size budget: prints the figures of the last build and fails when the script-tag file's
// gzipped transfer is over budget.
import { readFileSync } from 'node:fs';

const BUDGET_GZIP_BYTES = 10 * 1024;
const sizes = JSON.parse(readFileSync(new URL('../target/js/sizes.json', import.meta.url), 'utf8'));
const total = sizes.scriptTag.gzip;
console.log(`wasm: ${sizes.wasm.raw} B raw, ${sizes.wasm.gzip} B gzip`);
console.log(`script-tag eventsource.js (wasm inlined): ${sizes.scriptTag.raw} B raw, ${total} B gzip`);
console.log(`npm index.js (wasm inlined): ${sizes.module.raw} B raw, ${sizes.module.gzip} B gzip`);
const ok = total <= BUDGET_GZIP_BYTES;
console.log(`${ok ? 'ok  ' : 'FAIL'} total gzipped transfer ${total} B within budget ${BUDGET_GZIP_BYTES} B`);
console.log(`size: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exit(ok ? 0 : 1);
