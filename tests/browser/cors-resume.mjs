// Cross-origin resumption that the server refuses, in real browsers against the test server. A
// script's request with `Last-Event-ID` needs a CORS preflight (the browser's own EventSource
// sends the header without one); a server whose preflight does not allow the header (`allow=`)
// makes every such reconnection fail like a network error. The engine then asks once more, at
// once, without the header; answered, it never sends the header again and the page is told on the
// console. Page: www/test/lifecycle.html on origin A, streams on origin B, for the npm modules
// (pkg/index.js: fetch streams; pkg/legacy.js: XHR and the wasm2js engine). Each case checks the
// page's events, the requests the server saw, the preflights and the console warnings:
// - refused, no `lastEventIdQueryParameter`: the stream goes on without the ID, no extra event;
// - refused, with it: the ID reaches the server in the query, nothing lost;
// - allowed: the header goes as always, no probe, no warning.
// Usage: node tests/browser/cors-resume.mjs [--browser chromium|firefox|webkit]... (default: all
// three). Ends with `cors-resume: N passed, M failed`.
import { isDeepStrictEqual } from 'node:util';
import { chosenBrowsers, launch, startServer, tally, waitFor } from './common.mjs';
import { sseUrl, uniqueKey } from '../support/sse-url.mjs';

const browsers = chosenBrowsers();
const MODULES = ['/pkg/index.js', '/pkg/legacy.js'];
const WAIT = 15000; // ms for any awaited condition

const server = await startServer();
const { check, counts, summary } = tally();

/** Three attempts, each reporting the `Last-Event-ID` it got; the last one stays open. */
const streamUrl = (key, extra) => sseUrl(server.b, key, [
  'retry: 20\nid: 1\ndata: one\n\n',
  'id: 2\ndata: two after [{lei}]\n\n',
  { body: 'id: 3\ndata: three after [{lei}]\n\n', end: 'hold' },
], extra);

/** What the page must see when the server got `ids[n]` as Last-Event-ID on attempt n + 1. */
const expectedLog = (ids) => [
  'open/1', 'message/one#1/1', 'error/0',
  'open/1', `message/two after [${ids[0]}]#2/1`, 'error/0',
  'open/1', `message/three after [${ids[1]}]#3/1`,
];

const CASES = [
  {
    name: 'refused preflight, no lastEventIdQueryParameter: resumed without the ID, said once',
    extra: '&allow=accept',
    init: {},
    log: expectedLog(['', '']),
    header: ['', '', ''],
    query: [null, null, null],
    preflights: (n) => n === 1,
    warnings: 1,
  },
  {
    name: 'refused preflight, lastEventIdQueryParameter: the ID in the query, nothing lost',
    extra: '&allow=accept',
    init: { lastEventIdQueryParameter: 'lastEventId' },
    log: expectedLog(['', '']),
    header: ['', '', ''],
    query: [null, '1', '2'],
    preflights: (n) => n === 1,
    warnings: 1,
  },
  {
    name: 'allowed preflight: Last-Event-ID as always, no probe, no warning',
    extra: '',
    init: {},
    log: expectedLog(['1', '2']),
    header: ['', '1', '2'],
    query: [null, null, null],
    preflights: (n) => n >= 1,
    warnings: 0,
  },
];

async function runCase(browser, label, src, spec) {
  const page = await browser.newPage();
  try {
    await page.goto(`${server.a}/www/test/lifecycle.html?src=${encodeURIComponent(src)}`);
    await waitFor(page, 'window.__ready === true', (ready) => ready === true, WAIT);
    // The warnings the module writes, kept by the page.
    await page.evaluate(() => {
      window.__warnings = [];
      console.warn = (...parts) => { window.__warnings.push(parts.join(' ')); };
    });
    const key = uniqueKey('cors-resume');
    await page.evaluate((u, i) => window.__open('s', u, i, false), streamUrl(key, spec.extra), spec.init);
    const state = JSON.parse(await waitFor(page, 'window.__state()',
      (text) => JSON.parse(text).s.log.length >= spec.log.length, WAIT));
    const log = state.s.log;
    const warnings = await page.evaluate(() => window.__warnings);
    await page.evaluate(() => window.__sources.s.source.close());
    const records = await server.log(key);
    const gets = records.filter((r) => r.method === 'GET');
    const preflights = records.filter((r) => r.method === 'OPTIONS').length;
    const headers = gets.map((r) => r.headers['last-event-id'] ?? '');
    const query = gets.map((r) => new URL(r.target, server.b).searchParams.get('lastEventId'));
    check(isDeepStrictEqual(log, spec.log), `${label}: events`, { got: log, want: spec.log });
    check(isDeepStrictEqual(headers, spec.header) && isDeepStrictEqual(query, spec.query),
      `${label}: the requests' Last-Event-ID and query`, { headers, query });
    check(spec.preflights(preflights), `${label}: ${preflights} preflight(s)`);
    check(warnings.length === spec.warnings && warnings.every((w) => /refuses Last-Event-ID/.test(w)),
      `${label}: ${warnings.length} console warning(s)`, warnings);
  } finally {
    await page.close();
  }
}

try {
  for (const name of browsers) {
    const browser = await launch(name);
    try {
      for (const src of MODULES) {
        for (const spec of CASES) {
          const label = `${name} ${src}: ${spec.name}`;
          await runCase(browser, label, src, spec).catch((error) => check(false, `${label}: ${error.stack}`));
        }
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.stop();
}
console.log(summary('cors-resume'));
process.exit(counts.failed ? 1 : 0);
