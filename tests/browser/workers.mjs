// Ours in every kind of worker, in headless Chromium, Firefox and WebKit: dedicated and shared workers load the
// script-tag build with importScripts, a module worker imports the npm package, and a service
// worker (no XMLHttpRequest there) uses the fetch transport. Each removes the native EventSource
// first and sends a custom header, which the native one cannot. And the script-tag build under a
// Content-Security-Policy. `--browser name` (repeatable; or BROWSERS=a,b): the browsers. Ends with
// `workers: N passed, M failed`.
import { chosenBrowsers, launch, startServer, waitFor } from './common.mjs';
import { sseUrl, uniqueKey } from '../support/sse-url.mjs';

const origins = await startServer();
const EXPECTED_HEADER = {
  dedicated: ['x-worker', 'dedicated'], shared: ['x-worker', 'shared'], module: ['x-worker', 'module'],
  service: ['authorization', 'Bearer service-worker'], csp: ['accept', 'text/event-stream'],
};

let passed = 0;
let failed = 0;
// `csp`: the script-tag build on a page whose Content-Security-Policy allows only same-origin
// scripts and 'wasm-unsafe-eval' (the policy the README documents).
for (const name of chosenBrowsers()) {
  const browser = await launch(name);
  for (const kind of ['dedicated', 'shared', 'module', 'service', 'csp']) {
    if (kind === 'csp' && name === 'webkit') {
      // WebKit's WebDriver runs its scripts under the page's policy, which refuses them: the same
      // page's case runs in csp.mjs (mode wasm), where the page reports by itself.
      console.log('--   webkit csp: in csp.mjs (WebKit\'s driver cannot read a page under script-src)');
      continue;
    }
    const key = uniqueKey(`worker-${kind}`);
    const url = sseUrl('', key, ['retry: 10\nid: 1\ndata: one\n\n', { body: 'data: two {lei}\n\ndata: three\n\n', end: 'hold' }]);
    const page = await browser.newPage();
    let result = null;
    try {
      const pagePath = kind === 'csp' ? 'csp.html' : 'workers.html';
      await page.goto(`${origins.a}/www/test/${pagePath}?kind=${kind}&url=${encodeURIComponent(url)}`);
      result = await waitFor(page, 'window.__result || null', (value) => value !== null, 15000);
    } finally {
      await page.close();
    }
    const outcome = result ? JSON.parse(result) : { error: 'timed out' };
    const requests = await origins.log(key);
    const [header, value] = EXPECTED_HEADER[kind];
    // The stream drops after attempt 0 and resumes with Last-Event-ID: the worker sees it all.
    const good = (outcome.log || []).join('|') === 'open|one|error:0|open|two 1|three';
    const sent = requests.length === 2 && requests.every((request) => request.headers[header] === value);
    const verdict = good && sent && (kind !== 'service' || outcome.hasXhr === false) && (kind !== 'csp' || outcome.ours === true);
    console.log(`${verdict ? 'ok  ' : 'FAIL'} ${name} ${kind} worker: ${JSON.stringify(outcome)}; ${requests.length} requests, ${header} ${sent ? 'sent' : 'missing'}`);
    if (verdict) passed++; else failed++;
  }
  await browser.close();
}
await origins.stop();
console.log(`workers: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
