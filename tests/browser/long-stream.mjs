// The XHR transport on a long stream: 50 MB of numbered events through one EventSource in the
// legacy environment (no fetch streams: XMLHttpRequest), in Chromium, Firefox and WebKit. Every event must
// arrive exactly once and in order, with no `error` to the page, while the transport restarts the
// request at resume points to keep responseText bounded (the server paces its writes, as a live
// stream does). Prints the JS heap figures (Chromium, after forced collections).
// `--browser name` (repeatable; or BROWSERS=a,b): the browsers. Ends with one line: `long-stream: N passed, M failed`.
import { chosenBrowsers, launch, startServer, waitFor } from './common.mjs';

const EVENTS = 50000;
const SIZE = 1000; // bytes per event: 50 MB in all
const LIMIT = 4 * 1024 * 1024; // the default xhrResponseLimit
const origins = await startServer();

let passed = 0;
let failed = 0;
for (const name of chosenBrowsers()) {
  const browser = await launch(name, { memory: true });
  const key = `long-${name}-${process.pid}`;
  try {
    const page = await browser.newPage();
    await page.goto(`${origins.a}/www/test/long-stream.html?impl=legacy&key=${key}&n=${EVENTS}&size=${SIZE}&limit=${LIMIT}&pause=2`);
    const started = Date.now();
    const result = await waitFor(page, 'window.__result || null', (value) => value !== null, 120000);
    const requests = (await origins.log(key)).length;
    const outcome = result ? JSON.parse(result) : { problem: 'timed out' };
    const seconds = (Date.now() - started) / 1000;
    // Bounded: the live heap late in the stream is no larger than early on (plus noise), however
    // long the stream runs; growth would be a leak.
    const samples = outcome.heap ?? [];
    const mb = (bytes) => (bytes / 1e6).toFixed(1);
    const early = Math.max(...samples.slice(0, 3));
    const late = Math.max(...samples.slice(-3));
    const bounded = samples.length < 6 || late <= early * 1.5 + 8e6;
    const heap = samples.length ? `, JS heap ${mb(outcome.heapStart)} MB at start, ${samples.map(mb).join(' ')} MB every 5 MB (after GC)` : '';
    const ok = outcome.received === EVENTS && outcome.problem === null && outcome.errors === 0 && requests > 1 && bounded;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${outcome.received ?? 0}/${EVENTS} events (${(EVENTS * SIZE / 1e6).toFixed(0)} MB) ` +
      `in ${seconds.toFixed(1)} s over ${requests} requests, ${outcome.errors ?? '?'} error events${heap}` +
      `${outcome.problem ? `; ${outcome.problem}` : ''}`);
    if (ok) passed++; else failed++;
  } finally {
    await browser.close();
  }
}
await origins.stop();
console.log(`long-stream: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
