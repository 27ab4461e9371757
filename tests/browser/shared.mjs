// The `shared` option across real pages of one browser profile (one browser, pages in its default
// context: they share Web Locks, BroadcastChannels and the per-host connection pool), against the
// test server over HTTP/1.1. Page: www/test/shared.html. For each browser:
// 1. baseline: 10 pages with the native EventSource on one host: how many open (the per-host limit);
// 2. 10 pages with `shared`: all OPEN, every event once and in order, one connection at the
//    server, and a plain fetch from each page to the same host completes;
// 3. the page holding the connection is closed mid-stream: the others get every event ID exactly
//    once, with no event of the hand-over, and the server sees one reconnection with Last-Event-ID;
//    then a stream the server ends for good: every source sees the failure and leaves the group,
//    and none asks again (several rounds: the lock may reach a waiter before the failure does);
//    then a holder (a worker) that ends with no farewell: the next takes over after a grace period;
// 4. 100 open/close cycles of browsing contexts (tabs and iframes; the connection handed over each
//    time; every other context calls close() first): no channel left in a context that closed its
//    source, no lock held or queued, nothing in flight at the server.
// Usage: node tests/browser/shared.mjs [--browser chromium|firefox|webkit]... (default: all
// three). Ends with `shared: N passed, M failed`.
import { chosenBrowsers, launch, startServer, waitFor } from './common.mjs';
import { sseUrl, uniqueKey } from '../support/sse-url.mjs';

const browsers = chosenBrowsers();
const PAGES = 10;
const CYCLES = 100;
const END_ROUNDS = 10;
const WAIT = 20000; // ms for any awaited condition

const origins = await startServer();
const origin = origins.a;
let passed = 0;
let failed = 0;
let mark = Date.now();
const check = (ok, text) => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${text} [${((Date.now() - mark) / 1000).toFixed(1)} s]`);
  mark = Date.now();
};
const inFlight = async (key) => (await (await fetch(`${origin}/in-flight?key=${encodeURIComponent(key)}`)).json()).open;
/** Polls `probe()` until `predicate` holds on its value or the deadline passes; returns the value. */
const until = async (probe, predicate, ms = WAIT) => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (predicate(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
const countUrl = (key, query) => `${origin}/count?key=${encodeURIComponent(key)}&${query}`;
/** 1..n, as the ids a page must have seen. */
const upTo = (n) => Array.from({ length: n }, (_, i) => i + 1).join(',');
const seen = (page) => page.evaluate(`JSON.stringify({ ids: __shared.ids.join(','), last: __shared.ids[__shared.ids.length - 1],
  events: __shared.events.join(','), fetches: __shared.fetches, readyState: __shared.source ? __shared.source.readyState : -1,
  channels: __shared.channels() })`).then(JSON.parse);
/** The Web Locks of the whole origin (every page's), as names held and names queued. */
const locksOf = (page) => page.evaluate(`navigator.locks.query().then(function (s) {
  var ours = function (list) { return list.map(function (l) { return l.name; }).filter(function (n) { return n.indexOf('eventsource ') === 0; }); };
  return JSON.stringify({ held: ours(s.held), pending: ours(s.pending) }); })`).then(JSON.parse);

for (const name of browsers) {
  let browser;
  try {
    browser = await launch(name);
  } catch (error) {
    check(false, `${name}: launch: ${error.message}`);
    continue;
  }
  const started = Date.now();
  let counter = 0;
  const openPage = async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/www/test/shared.html?page=${counter++}`);
    await waitFor(page, 'window.__ready === true', (ready) => ready === true, WAIT);
    return page;
  };
  const pages = [];
  for (let i = 0; i < PAGES; i++) pages.push(await openPage());
  try {
    // 1. The baseline: native EventSource in every page, one stream each on the same host.
    const base = uniqueKey('shared-native');
    for (const page of pages) await page.evaluate((url) => window.__open(url, 'native'), countUrl(base, 'n=1&size=10'));
    // Requests beyond the limit wait in the browser: the count is read once it stops growing.
    let opened = 0;
    let since = Date.now();
    await until(async () => {
      const now = (await Promise.all(pages.map(seen))).filter((s) => s.readyState === 1).length;
      if (now !== opened) { opened = now; since = Date.now(); }
      return opened === PAGES || (opened > 0 && Date.now() - since > 1500);
    }, (done) => done);
    console.log(`     ${name}: ${opened} of ${PAGES} native EventSources on one host open (server: ${await inFlight(base)} connections)`);
    check(opened > 0 && opened < PAGES, `${name}: baseline: native EventSource in ${PAGES} pages: ${opened} open, the others wait for a connection`);
    for (const page of pages) await page.evaluate('__shared.source.close()');
    await until(() => inFlight(base), (open) => open === 0);

    // 2. `shared` in every page: one connection, every event in every page.
    const key = uniqueKey('shared-ten');
    const n = 300;
    for (const page of pages) await page.evaluate((url) => window.__open(url, 'shared'), countUrl(key, `n=${n}&size=8192&pause=20`));
    // Every page has joined (one holds the lock, the others queue) before the stream starts.
    const joined = await until(() => locksOf(pages[0]), (l) => l.held.length === 1 && l.pending.length === PAGES - 1);
    check(joined.held.length === 1 && joined.pending.length === PAGES - 1,
      `${name}: ${PAGES} shared sources: one holds the group's lock, ${joined.pending.length} wait for it`);
    for (const page of pages) await page.evaluate('__go()');
    const all = await until(() => Promise.all(pages.map(seen)), (list) => list.every((s) => s.last === n));
    const complete = all.filter((s) => s.ids === upTo(n) && s.events === 'open' && s.readyState === 1).length;
    check(complete === PAGES, `${name}: all ${PAGES} OPEN, each saw open then events 1..${n} once, in order (${complete} did)`);
    const requests = await origins.log(key);
    const holders = all.filter((s) => s.fetches > 0).length;
    check(requests.length === 1 && (await inFlight(key)) === 1 && holders === 1,
      `${name}: the server saw one connection (${requests.length} requests), made by one page (${holders})`);
    const fetched = await Promise.all(pages.map((page) => page.evaluate(`fetch('/www/test/shared.html?fetch', { cache: 'no-store',
      signal: AbortSignal.timeout(${WAIT}) }).then(function (r) { return r.status; }, function (e) { return String(e); })`)));
    check(fetched.every((status) => status === 200), `${name}: a plain fetch from each page to the same host completes: ${fetched.join(',')}`);
    for (const page of pages) await page.evaluate('__shared.source.close()');
    await until(() => inFlight(key), (open) => open === 0);

    // 3. The page holding the connection goes mid-stream.
    const handKey = uniqueKey('shared-handover');
    const total = 400;
    for (const page of pages) await page.evaluate((url) => window.__open(url, 'shared'), countUrl(handKey, `n=${total}&size=8192&pause=30`));
    await until(() => locksOf(pages[0]), (l) => l.held.length === 1 && l.pending.length === PAGES - 1);
    for (const page of pages) await page.evaluate('__go()');
    const states = await until(() => Promise.all(pages.map(seen)), (list) => list.some((s) => s.fetches > 0 && s.ids.split(',').length >= 100));
    const holder = pages[states.findIndex((s) => s.fetches > 0)];
    const atClose = (await seen(holder)).last;
    await holder.close();
    pages.splice(pages.indexOf(holder), 1);
    const rest = await until(() => Promise.all(pages.map(seen)), (list) => list.every((s) => s.last === total));
    const exact = rest.filter((s) => s.ids === upTo(total) && s.events === 'open' && s.readyState === 1).length;
    check(exact === pages.length, `${name}: holder closed at event ${atClose}: the other ${pages.length} saw events 1..${total} exactly once, ` +
      `in order, with no event of the hand-over (${exact} did)`);
    const log = await origins.log(handKey);
    const resumed = log.length === 2 ? log[1].headers['last-event-id'] : undefined;
    const newHolders = rest.filter((s) => s.fetches > 0).length;
    check(log.length === 2 && !log[0].headers['last-event-id'] && Number(resumed) > 0 && newHolders === 1,
      `${name}: the server saw one reconnection, with Last-Event-ID ${resumed} (${log.length} requests), from one page (${newHolders})`);
    // The new holder's source calls close(): the next takes over, resuming after the last event.
    const second = pages[rest.findIndex((s) => s.fetches > 0)];
    await second.evaluate('__shared.source.close()');
    const others = pages.filter((page) => page !== second);
    const third = await until(() => origins.log(handKey), (l) => l.length === 3);
    const after = await Promise.all(others.map(seen));
    const still = after.filter((s) => s.ids === upTo(total) && s.events === 'open' && s.readyState === 1).length;
    check(third.length === 3 && third[2].headers['last-event-id'] === String(total) && still === others.length &&
      (await seen(second)).readyState === 2 && (await until(() => inFlight(handKey), (open) => open === 1)) === 1,
      `${name}: the new holder's close(): another takes over with Last-Event-ID ${third[2]?.headers['last-event-id']}, ` +
      `the other ${others.length} stay OPEN with nothing more (${still})`);
    for (const page of pages) await page.evaluate('__shared.source.close()');
    await until(() => inFlight(handKey), (open) => open === 0);

    // 3b. The server ends the stream for good (204 on the reconnection): the engine fails the
    // connection, and every source of the group sees it and leaves the group; none takes over and
    // asks again. The lock reaches a waiter as fast as the failure does, so this runs a few rounds.
    const endRounds = [];
    for (let round = 0; round < END_ROUNDS; round++) {
      const endKey = uniqueKey('shared-end');
      const endUrl = sseUrl(origin, endKey, ['retry: 10\nid: 1\ndata: x\n\n']);
      for (const page of pages) await page.evaluate((u) => window.__open(u, 'shared'), endUrl);
      await until(() => locksOf(pages[0]), (l) => l.held.length === 1 && l.pending.length === pages.length - 1);
      for (const page of pages) await page.evaluate('__go()');
      const ended = await until(() => Promise.all(pages.map(seen)), (list) => list.every((s) => s.readyState === 2));
      const endLocks = await until(() => locksOf(pages[0]), (l) => l.held.length === 0 && l.pending.length === 0);
      const same = ended.filter((s) => s.events === 'open,error,error' && s.ids === '1' && s.channels === 0).length;
      const requests = (await origins.log(endKey)).length;
      const left = endLocks.held.length + endLocks.pending.length;
      if (same !== pages.length || requests !== 2 || left !== 0) endRounds.push(`round ${round}: ${same} did, ${requests} requests, ${left} locks left`);
    }
    check(endRounds.length === 0,
      `${name}: a 204 on the reconnection, ${END_ROUNDS} rounds: all ${pages.length} saw open, the message, error (reconnecting), ` +
      `error (CLOSED), the server saw 2 requests, no lock or channel left${endRounds.length ? `: ${endRounds.join('; ')}` : ''}`);

    // 3c. The holder's context ends with no farewell (a worker terminated, as a crash would end
    // it), its response quiet after event 60: after a grace period the next source takes over,
    // resuming from the last event ID.
    const crashKey = uniqueKey('shared-crash');
    const crashN = 150;
    const crashHold = 60;
    const crashUrl = countUrl(crashKey, `n=${crashN}&size=10&hold=${crashHold}`);
    await pages[0].evaluate((u) => {
      window.__worker = new Worker('/www/test/shared-worker.js', { type: 'module' });
      window.__worker.postMessage(u);
    }, crashUrl);
    await until(() => locksOf(pages[0]), (l) => l.held.length === 1);
    for (const page of pages) await page.evaluate((u) => (window.__open(u, 'shared'), window.__go()), crashUrl);
    await until(() => locksOf(pages[0]), (l) => l.held.length === 1 && l.pending.length === pages.length);
    await pages[0].evaluate('window.__worker.postMessage("go")');
    await until(() => Promise.all(pages.map(seen)), (list) => list.every((s) => s.last === crashHold));
    await pages[0].evaluate('window.__worker.terminate()');
    const crashed = await until(() => Promise.all(pages.map(seen)), (list) => list.every((s) => s.last === crashN));
    const whole = crashed.filter((s) => s.ids === upTo(crashN) && s.events === 'open' && s.readyState === 1).length;
    const crashLog = await origins.log(crashKey);
    const crashResumed = crashLog.length === 2 ? Number(crashLog[1].headers['last-event-id']) : 0;
    check(whole === pages.length && crashResumed === crashHold && crashed.filter((s) => s.fetches > 0).length === 1,
      `${name}: the holder ended with no farewell: one page took over (${crashLog.length} requests, Last-Event-ID ` +
      `${crashResumed}), all ${pages.length} saw events 1..${crashN} exactly once, in order (${whole} did)`);
    for (const page of pages) await page.evaluate('__shared.source.close()');
    await until(() => inFlight(crashKey), (open) => open === 0);

    // 4. Browsing contexts open and close, each taking over from the one before: every tenth a
    // tab of its own, the others same-origin iframes of one tab (as fast to make as to remove).
    const cycleKey = uniqueKey('shared-cycles');
    const url = countUrl(cycleKey, 'n=1&size=10');
    const observer = pages[0];
    const openContext = async (i) => {
      if (i % 10 === 0) {
        const page = await openPage();
        return { run: (code) => page.evaluate(code), close: () => page.close() };
      }
      const frame = `document.getElementById('frame-${i}').contentWindow`;
      await observer.evaluate(`new Promise(function (resolve) {
        var frame = document.createElement('iframe');
        frame.id = 'frame-${i}';
        frame.src = '/www/test/shared.html?frame=${i}';
        frame.onload = resolve;
        document.body.appendChild(frame);
      })`);
      await waitFor(observer, `${frame}.__ready === true`, (ready) => ready === true, WAIT);
      return { run: (code) => observer.evaluate(`(function (window) { return ${code}; })(${frame})`),
        close: () => observer.evaluate(`document.getElementById('frame-${i}').remove()`) };
    };
    let previous = null;
    const bad = [];
    for (let i = 0; i < CYCLES; i++) {
      const context = await openContext(i);
      await context.run(`(window.__open(${JSON.stringify(url)}, 'shared'), window.__go())`);
      const state = await until(() => context.run('window.__shared.source.readyState'), (r) => r === 1);
      if (state !== 1) bad.push(`cycle ${i}: readyState ${state}`);
      if (previous) {
        if (i % 2) {
          const left = await previous.run('(window.__shared.source.close(), window.__shared.channels())');
          if (left !== 0) bad.push(`cycle ${i}: ${left} channels left after close()`);
        }
        await previous.close();
      }
      previous = context;
    }
    await previous.close();
    const locks = await until(() => locksOf(observer), (l) => l.held.length === 0 && l.pending.length === 0);
    const open = await until(() => inFlight(cycleKey), (count) => count === 0);
    const cycleLog = await origins.log(cycleKey);
    check(bad.length === 0 && locks.held.length === 0 && locks.pending.length === 0 && open === 0 && cycleLog.length > 1,
      `${name}: ${CYCLES} open/close cycles of tabs and iframes (${cycleLog.length} connections in all): each opened; then no ` +
      `lock held (${locks.held.length}) or queued (${locks.pending.length}), nothing in flight (${open})` +
      `${bad.length ? `; ${bad.slice(0, 3).join('; ')}` : ''}`);
  } catch (error) {
    check(false, `${name}: ${error.stack}`);
  } finally {
    await browser.close();
  }
  console.log(`     ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
await origins.stop();
console.log(`shared: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
