// The `reconnectOnResume` option in real browsers, against the test server. Page:
// www/test/lifecycle.html, with the npm modules (pkg/index.js: fetch streams; pkg/legacy.js: XHR
// and the wasm2js engine). For each browser, module and signal (`online`, `pageshow` with
// `persisted`, `visibilitychange` to visible, `resume`, dispatched by the page):
// - a source whose server sent `retry: 600000` and dropped reconnects at once with the option,
//   with Last-Event-ID, nothing lost or repeated; without it, and the browser's own EventSource,
//   keep waiting (the server sees no second request);
// - a healthy stream with the option is not reconnected;
// - the option's listeners are there while the source lives, and close() removes every one.
// Chromium only, with the runtime's own signals: network emulation offline then online, a frozen page resumed (a stream silent past its heartbeat timeout
// reconnects at once), and a real back/forward cache round trip where the browser keeps the page.
// Usage: node tests/browser/lifecycle.mjs [--browser chromium|firefox|webkit]... (default: all
// three). Ends with `lifecycle: N passed, M failed`.
import { isDeepStrictEqual } from 'node:util';
import { chosenBrowsers, launch, startServer, waitFor, sleep } from './common.mjs';
import { sseUrl, uniqueKey } from '../support/sse-url.mjs';

const browsers = chosenBrowsers();
const MODULES = ['/pkg/index.js', '/pkg/legacy.js'];
const SIGNALS = ['online', 'pageshow', 'visibilitychange', 'resume'];
const WAIT = 15000; // ms for any awaited condition

const server = await startServer();
const origin = server.a;
let passed = 0;
let failed = 0;
const check = (ok, text, detail) => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${text}${ok || detail === undefined ? '' : `\n     ${JSON.stringify(detail)}`}`);
};

/** A stream that sets a 10-minute reconnection time and drops; the reconnection resumes. */
const waitingUrl = (key) => sseUrl(origin, key, [
  'retry: 600000\nid: 1\ndata: one\n\n',
  { body: 'id: 2\ndata: two after {lei}\n\n', end: 'hold' },
]);
/** A stream that stays open after its first event. */
const healthyUrl = (key) => sseUrl(origin, key, [
  { body: 'id: 1\ndata: one\n\n', end: 'hold' },
  { body: 'id: 9\ndata: reconnected\n\n', end: 'hold' },
]);
const WAITING = ['open/1', 'message/one#1/1', 'error/0'];
const RESUMED = [...WAITING, 'open/1', 'message/two after 1#2/1'];
const HEALTHY = ['open/1', 'message/one#1/1'];

const state = async (page) => JSON.parse(await page.evaluate('window.__state()'));
const until = (page, predicate, ms = WAIT) =>
  waitFor(page, 'window.__state()', (text) => predicate(JSON.parse(text)), ms).then(JSON.parse);
const listeners = (page) => page.evaluate('JSON.stringify(window.__listeners())').then(JSON.parse);
const requests = async (key) => (await server.log(key)).filter((r) => r.method === 'GET');
const same = (a, b) => isDeepStrictEqual(a, b);

async function openPage(browser, src) {
  const page = await browser.newPage();
  await page.goto(`${origin}/www/test/lifecycle.html?src=${encodeURIComponent(src)}`);
  await waitFor(page, 'window.__ready === true', (ready) => ready === true, WAIT);
  return page;
}

/** Opens `sources` ({ name: [url, init, native] }) and waits until `ready(state)`. */
async function open(page, sources, ready) {
  for (const [name, [url, init, native]] of Object.entries(sources)) {
    await page.evaluate((n, u, i, nat) => window.__open(n, u, i, nat), name, url, init ?? {}, Boolean(native));
  }
  return until(page, ready);
}

/** Each signal dispatched by the page: ours with the option resumes, the rest do not move. */
async function signals(browser, name, src) {
  const label = `${name} ${src}`;
  for (const signal of SIGNALS) {
    const page = await openPage(browser, src);
    try {
      const keys = { native: uniqueKey('lc-native'), off: uniqueKey('lc-off'), on: uniqueKey('lc-on'), healthy: uniqueKey('lc-healthy') };
      const opened = await open(page, {
        native: [waitingUrl(keys.native), {}, true],
        off: [waitingUrl(keys.off)],
        on: [waitingUrl(keys.on), { reconnectOnResume: true }],
        healthy: [healthyUrl(keys.healthy), { reconnectOnResume: true }],
      }, (s) => ['native', 'off', 'on'].every((n) => s[n].log.length >= 3) && s.healthy.log.length >= 2);
      const held = await listeners(page);
      check(same(held, { online: 2, pageshow: 2, visibilitychange: 2, resume: 2 }),
        `${label}: the two sources with the option listen for the four signals; the others add nothing`, held);
      check(['native', 'off', 'on'].every((n) => same(opened[n].log, WAITING)) && same(opened.healthy.log, HEALTHY),
        `${label}: every source is where the test wants it before the signal`, opened);
      // A fresh page load's pageshow (persisted false) and a hidden page's visibilitychange are
      // not signals: only the real one follows, and the reconnection is the only one.
      await page.evaluate("window.__signal('pageshow-fresh')");
      await page.evaluate((type) => window.__signal(type), signal);
      const after = await until(page, (s) => s.on.log.length >= RESUMED.length);
      const onLog = await requests(keys.on);
      check(same(after.on.log, RESUMED) && after.on.readyState === 1 && onLog.length === 2 &&
        onLog[1].headers['last-event-id'] === '1',
        `${label}: ${signal}: the waiting source with reconnectOnResume reconnects at once, Last-Event-ID ` +
        `${onLog[1]?.headers['last-event-id']}, each event once`, { log: after.on.log, requests: onLog.length });
      const counts = await Promise.all(['native', 'off', 'healthy'].map(async (n) => (await requests(keys[n])).length));
      check(same(after.native.log, WAITING) && same(after.off.log, WAITING) && after.native.readyState === 0 &&
        after.off.readyState === 0 && counts[0] === 1 && counts[1] === 1,
        `${label}: ${signal}: native EventSource and ours without the option keep waiting (requests: ${counts[0]}, ${counts[1]})`,
        { native: after.native, off: after.off });
      check(same(after.healthy.log, HEALTHY) && after.healthy.readyState === 1 && counts[2] === 1,
        `${label}: ${signal}: a healthy stream with the option is not reconnected`, after.healthy);
      await page.evaluate('Object.values(window.__sources).forEach(function (e) { e.source.close(); })');
      const left = await listeners(page);
      check(same(left, {}), `${label}: ${signal}: close() removes every listener the option added`, left);
    } finally {
      await page.close();
    }
  }
}

/** Chromium: the runtime's own signals through the DevTools protocol. */
async function chromiumSignals(browser, src) {
  const label = `chromium ${src}`;
  // Network emulation: offline, a signal while offline (nothing: a request would fail), online.
  {
    const page = await openPage(browser, src);
    try {
      const keys = { native: uniqueKey('lc-net-native'), off: uniqueKey('lc-net-off'), on: uniqueKey('lc-net-on') };
      await open(page, {
        native: [waitingUrl(keys.native), {}, true],
        off: [waitingUrl(keys.off)],
        on: [waitingUrl(keys.on), { reconnectOnResume: true }],
      }, (s) => ['native', 'off', 'on'].every((n) => s[n].log.length >= 3));
      await page.setOfflineMode(true);
      const offline = await waitFor(page, 'navigator.onLine', (online) => online === false, WAIT);
      await page.setOfflineMode(false);
      // The real online event starts the attempt at once. The emulation lifts the renderer's
      // offline state a few milliseconds before the network's (measured: the request then fails
      // 4-6 ms after the event, in about half the runs): such an attempt ends in an error and a
      // new 10-minute wait, which the next signal ends.
      let after = await until(page, (s) => s.on.log.length >= 4);
      const lagged = same(after.on.log, [...WAITING, 'error/0']);
      if (lagged) {
        console.log(`     ${label}: network emulation: the first attempt after online failed (the emulated network lags the event)`);
        await page.evaluate("window.__signal('visibilitychange')");
      }
      after = await until(page, (s) => s.on.log.length >= RESUMED.length + (lagged ? 1 : 0));
      const expected = lagged ? [...WAITING, 'error/0', ...RESUMED.slice(3)] : RESUMED;
      const onLog = await requests(keys.on);
      check(offline === false && same(after.on.log, expected) && onLog.length === 2 && onLog[1].headers['last-event-id'] === '1',
        `${label}: network emulation: the real online event ends the wait at once; resumed with Last-Event-ID, each event once`,
        { log: after.on.log, requests: onLog.length });
      const counts = await Promise.all([keys.native, keys.off].map(async (k) => (await requests(k)).length));
      check(same(after.native.log, WAITING) && same(after.off.log, WAITING) && counts.every((n) => n === 1),
        `${label}: network emulation: native EventSource and ours without the option do nothing on online`, after);
    } finally {
      await page.close();
    }
  }
  // A frozen page (Page Lifecycle): timers stop; the stream is silent past its heartbeat timeout
  // when the page resumes. With the option the source reconnects at once; without it the
  // watchdog reestablishes after the 10-minute reconnection time.
  {
    const page = await openPage(browser, src);
    try {
      const keys = { off: uniqueKey('lc-freeze-off'), on: uniqueKey('lc-freeze-on') };
      const silent = (key) => sseUrl(origin, key, [
        { body: 'retry: 600000\nid: 1\ndata: one\n\n', end: 'hold' },
        { body: 'id: 2\ndata: two after {lei}\n\n', end: 'hold' },
      ]);
      await open(page, {
        off: [silent(keys.off), { heartbeatTimeout: 3000 }],
        on: [silent(keys.on), { heartbeatTimeout: 3000, reconnectOnResume: true }],
      }, (s) => s.off.log.length >= 2 && s.on.log.length >= 2);
      const cdp = await page.createCDPSession();
      await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
      // The page stays frozen past the heartbeat timeout: that time must pass.
      await sleep(3500);
      await cdp.send('Page.setWebLifecycleState', { state: 'active' });
      const after = await until(page, (s) => s.on.log.length >= RESUMED.length && s.off.log.length >= 3);
      const onLog = await requests(keys.on);
      check(same(after.on.log, RESUMED) && onLog.length === 2 && onLog[1].headers['last-event-id'] === '1',
        `${label}: frozen past the heartbeat timeout, then resumed: reconnects at once with Last-Event-ID`, after.on);
      check(same(after.off.log, WAITING) && (await requests(keys.off)).length === 1,
        `${label}: the same without the option: the watchdog waits out the reconnection time`, after.off);
      await cdp.detach();
    } finally {
      await page.close();
    }
  }
  // A back/forward cache round trip: away to another page and back. Where the browser keeps the
  // page (nothing in flight: both sources wait out their reconnection time), it is shown again
  // with `persisted`, and the source with the option reconnects.
  {
    const page = await openPage(browser, src);
    try {
      const keys = { native: uniqueKey('lc-bf-native'), on: uniqueKey('lc-bf-on') };
      await open(page, {
        native: [waitingUrl(keys.native), {}, true],
        on: [waitingUrl(keys.on), { reconnectOnResume: true }],
      }, (s) => s.native.log.length >= 3 && s.on.log.length >= 3);
      const cdp = await page.createCDPSession();
      await cdp.send('Page.enable');
      let why = [];
      cdp.on('Page.backForwardCacheNotUsed', (event) => { why = event.notRestoredExplanations.map((e) => e.reason); });
      await page.goto(`${origin}/www/test/lifecycle.html?away=1&src=${encodeURIComponent(src)}`);
      await page.goBack();
      const shows = await waitFor(page, 'JSON.stringify(window.__shows)', (text) => JSON.parse(text).length > 0, WAIT).then(JSON.parse);
      if (!same(shows, [false, true])) {
        // The test server sends every response with `Cache-Control: no-store`, which Chromium
        // reports as the reasons (MainResourceHasCacheControlNoStore, ...).
        console.log(`     ${label}: the page was not kept in the back/forward cache (${why.join(', ') || 'no reason given'}): ` +
          'round trip not checked (the synthetic pageshow above is)');
      } else {
        const after = await until(page, (s) => s.on.log.length >= RESUMED.length);
        const onLog = await requests(keys.on);
        check(same(after.on.log, RESUMED) && onLog.length === 2 && onLog[1].headers['last-event-id'] === '1',
          `${label}: back/forward cache round trip: the source with the option reconnects with Last-Event-ID`, after.on);
        const nativeCount = (await requests(keys.native)).length;
        console.log(`     ${label}: native EventSource after the round trip: ${JSON.stringify(after.native)}, ${nativeCount} request(s)`);
        check(nativeCount === 1 && same(after.native.log, WAITING),
          `${label}: back/forward cache round trip: native EventSource keeps waiting`, after.native);
      }
    } finally {
      await page.close();
    }
  }
}

for (const name of browsers) {
  let browser;
  try {
    browser = await launch(name);
  } catch (error) {
    check(false, `${name}: launch: ${error.message}`);
    continue;
  }
  try {
    for (const src of MODULES) {
      try {
        await signals(browser, name, src);
        if (name === 'chromium') await chromiumSignals(browser, src);
      } catch (error) {
        check(false, `${name} ${src}: ${error.stack}`);
      }
    }
  } finally {
    await browser.close();
  }
}
await server.stop();
console.log(`lifecycle: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
