// A shortened soak (the long one: `--long`) in Chromium, Firefox and WebKit, page www/test/soak.html:
// close() in each state (before the engine, before the response, open, waiting to reconnect),
// create/close cycles of separate sources, reconnections of one source (every event once, in
// order), and many sources open at once (two rounds). The page is instrumented (instrument.js):
// live engine handles (es_new minus es_free), the wasm linear memory, the polyfill's pending
// timers; requests in flight are read from the server (/in-flight) and, in Chromium, from the
// browser (DevTools network events, here). Per phase: JS heap (Chromium) and wasm memory at start
// and end, max live handles. Fails on a JS heap growth > 2 MB, a wasm memory growth over repeated
// work, a handle or timer left, a request left in flight. Firefox and WebKit have no DevTools
// protocol here: no heap figures, no browser-side view of requests, and no host mapping, so their
// sources at once share one host and stay under its six connections (5, beside the page's own
// requests). Then, in Chromium: a close() in a message listener of a fast stream lets the JS heap
// go back to where it was (the chunk being dispatched is not kept alive by the abort).
// `--browser name` (repeatable; or BROWSERS=a,b): the browsers. Ends with one line: `soak: N passed, M failed`.
import { chosenBrowsers, launch, sleep, startServer } from './common.mjs';
import { sseUrl } from '../support/sse-url.mjs';

const long = process.argv.includes('--long');
const browsers = chosenBrowsers();
const HEAP_BOUND = 2e6; // bytes of JS heap growth per phase and overall
const WASM_BOUND = 65536; // bytes (one wasm page) of linear memory growth over repeated work
const ALIAS = 'soak.test'; // sN.soak.test → 127.0.0.1: one host (and connection pool) per source
const origins = await startServer();
const mb = (bytes) => (bytes / 1e6).toFixed(2);
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
let passed = 0;
let failed = 0;
const check = (ok, text) => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${text}`);
};

for (const name of browsers) await soak(name);
if (browsers.includes('chromium')) await closeReleasesTheChunk();
await origins.stop();
console.log(`soak: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

async function soak(name) {
  const chromium = name === 'chromium';
  const plan = { cycles: long ? 1000 : 200, reconnects: long ? 10000 : 1000, concurrent: chromium ? 100 : 5 };
  const browser = await launch(name, chromium ? { memory: true, args: [`--host-resolver-rules=MAP *.${ALIAS} 127.0.0.1`] } : {});
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  if (chromium) {
    // Chromium's view of the streams' requests: started and neither finished nor failed, per key.
    const pending = new Map();
    const keyOf = (url) => {
      const { pathname, searchParams } = new URL(url);
      return pathname === '/sse' || pathname === '/count' ? searchParams.get('key') : null;
    };
    page.on('request', (request) => { const key = keyOf(request.url()); if (key !== null) pending.set(request, key); });
    page.on('requestfinished', (request) => pending.delete(request));
    page.on('requestfailed', (request) => pending.delete(request));
    await page.exposeFunction('__browserInFlight', (key) => [...pending.values()].filter((k) => k === key).length);
  }
  // JS heap figures: Chromium only.
  const heap = (bytes) => (chromium ? `${mb(bytes)} MB` : 'n/a');

  const started = Date.now();
  // The page's streams, with placeholders for the key and the name it fills in (soak.js).
  const streams = {
    stream: sseUrl('', '_KEY_', [{ body: 'retry: 0\nid: 1\ndata: _NAME_\n\n', end: 'hold' }]),
    held: sseUrl('', '_KEY_', [{ wait: 60000, body: 'data: x\n\n', end: 'hold' }]),
    ending: sseUrl('', '_KEY_', [{ body: 'retry: 60000\nid: 1\ndata: x\n\n', end: 'close' }, 'data: again\n\n']),
  };
  const query = Object.entries(streams).map(([name, url]) => `&${name}=${encodeURIComponent(url)}`).join('');
  await page.goto(`${origins.a}/www/test/soak.html?run=soak${process.pid}${name}&hold-engine${chromium ? `&alias=${ALIAS}` : ''}` +
    `&cycles=${plan.cycles}&reconnects=${plan.reconnects}&concurrent=${plan.concurrent}${query}`);
  let result = null;
  while (result === null && Date.now() - started < (long ? 900000 : 120000)) {
    result = await page.evaluate('window.__result || null');
    if (result === null) await sleep(200);
  }
  await browser.close();

  const outcome = result ? JSON.parse(result) : { problem: 'timed out', states: [], phases: [], instrument: null };
  for (const state of outcome.states) {
    const { inFlightGoneMs, ...rest } = state.detail;
    const figures = Object.entries(rest).map(([name, value]) => `${name} ${value}`).join(', ');
    check(state.problem === null, `${name} close() ${state.name}: then no polyfill timer, handles back, nothing in flight` +
      `${inFlightGoneMs === undefined ? '' : ` (gone at the server in ${inFlightGoneMs} ms)`}${figures ? `; at close(): ${figures}` : ''}` +
      `${state.problem ? `; ${state.problem}` : ''}`);
  }

  // What each phase must do: its count, the live handles it may reach, whether its wasm memory must
  // stay flat (repeated work; the first round of sources at once may grow it once).
  const expect = {
    'create/close cycles': { done: (p) => p.cycles === plan.cycles, what: `${plan.cycles} create/close cycles`, maxLive: 1, flat: true },
    // Every reconnection waits on a timer (retry: 0): the polyfill's timers are seen.
    reconnections: { done: (p) => p.reconnected === plan.reconnects && p.timersCreated >= plan.reconnects - 1, what: `${plan.reconnects} reconnections of one source (every event once, in order)`, maxLive: 1, flat: true },
    'sources at once, round 1': { done: (p) => p.openAtOnce === plan.concurrent, what: `${plan.concurrent} sources open at once, round 1`, maxLive: plan.concurrent, flat: false },
    'sources at once, round 2': { done: (p) => p.openAtOnce === plan.concurrent, what: `${plan.concurrent} sources open at once, round 2`, maxLive: plan.concurrent, flat: true },
  };
  for (const phase of outcome.phases) {
    const want = expect[phase.name];
    const [heapStart, heapEnd] = phase.heap;
    const [wasmStart, wasmEnd] = phase.wasm;
    const problems = [];
    if (phase.problem) problems.push(phase.problem);
    if (!want.done(phase)) problems.push('not all done');
    if (heapEnd - heapStart > HEAP_BOUND) problems.push(`JS heap grew by ${mb(heapEnd - heapStart)} MB`);
    if (want.flat && wasmEnd - wasmStart > WASM_BOUND) problems.push(`wasm memory grew by ${kib(wasmEnd - wasmStart)}`);
    if (phase.maxLive !== want.maxLive) problems.push(`max live handles ${phase.maxLive}, expected ${want.maxLive}`);
    if (phase.liveEnd !== 0) problems.push(`${phase.liveEnd} handles live at the end`);
    if (phase.timersEnd !== 0) problems.push(`${phase.timersEnd} polyfill timers pending at the end`);
    const extra = phase.openAtOnce === undefined ? ''
      : `; ${phase.openAtOnce} open and ${phase.serverInFlight} in flight at the server at once, all gone ${phase.inFlightGoneMs} ms after close()`;
    check(problems.length === 0, `${name} ${want.what} in ${(phase.ms / 1000).toFixed(1)} s: JS heap ${heap(heapStart)} → ${heap(heapEnd)}, ` +
      `wasm memory ${kib(wasmStart)} → ${kib(wasmEnd)}, live handles max ${phase.maxLive} → ${phase.liveEnd} ` +
      `(${phase.addresses.distinct} engine addresses, highest ${phase.addresses.highest}), ` +
      `polyfill timers armed ${phase.timersCreated}, pending at the end ${phase.timersEnd}${extra}` +
      `${problems.length ? `; ${problems.join('; ')}` : ''}`);
  }

  const instrument = outcome.instrument;
  const first = outcome.phases[0];
  const last = outcome.phases[outcome.phases.length - 1];
  const overallProblems = [];
  if (outcome.problem) overallProblems.push(outcome.problem);
  if (outcome.phases.length !== Object.keys(expect).length) overallProblems.push(`${outcome.phases.length} of ${Object.keys(expect).length} phases ran`);
  if (!instrument) overallProblems.push('no instrumentation figures');
  else {
    if (instrument.instances !== 1) overallProblems.push(`${instrument.instances} wasm instances`);
    if (instrument.problems.length) overallProblems.push(...instrument.problems);
    if (instrument.liveEnd !== 0 || instrument.handles.created !== instrument.handles.freed) {
      overallProblems.push(`handles: ${instrument.handles.created} created, ${instrument.handles.freed} freed, ${instrument.liveEnd} live`);
    }
    if (instrument.pendingPolyfillTimers !== 0) overallProblems.push(`${instrument.pendingPolyfillTimers} polyfill timers pending`);
    if (instrument.timers.intervals.polyfill !== 0) overallProblems.push(`${instrument.timers.intervals.polyfill} polyfill intervals`);
  }
  if (first && last && last.heap[1] - first.heap[0] > HEAP_BOUND) overallProblems.push(`JS heap grew by ${mb(last.heap[1] - first.heap[0])} MB overall`);
  if (pageErrors.length) overallProblems.push(`page errors: ${pageErrors.join(' | ')}`);
  const t = instrument?.timers;
  check(overallProblems.length === 0, `${name} whole run: ${instrument?.handles.created ?? 0} engines created, ${instrument?.handles.freed ?? 0} freed, ` +
    `${instrument?.liveEnd ?? '?'} live; polyfill timers armed ${t ? t.created.polyfill : 0} (fired ${t ? t.fired.polyfill : 0}, ` +
    `cleared ${t ? t.cleared.polyfill : 0}), max pending ${t ? t.maxPendingPolyfill : 0}, pending ${instrument?.pendingPolyfillTimers ?? '?'}; ` +
    `wasm memory max ${kib(instrument?.maxWasm ?? 0)}; ${outcome.sweptKeys ?? 0} keys with nothing in flight (server${chromium ? ' and Chromium' : ''}); ` +
    `JS heap ${first ? heap(first.heap[0]) : '?'} → ${last ? heap(last.heap[1]) : '?'}; ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s${overallProblems.length ? `; ${overallProblems.join('; ')}` : ''}`);
}

/** Chromium: a close() in a message listener, in the middle of a fast stream whose fetch hands over
 * chunks of megabytes, must leave nothing of the stream in the JS heap: it comes back to within
 * RELEASE_BOUND of where it was before the source, and does so while the page idles (waited for,
 * up to 10 s; an abort whose error keeps the listener's stack alive held 1.6 MB for good). */
async function closeReleasesTheChunk() {
  const RELEASE_BOUND = 0.3e6;
  const browser = await launch('chromium', { memory: true });
  try {
    const page = await browser.newPage();
    await page.goto(`${origins.a}/www/bench/bench.html?impl=ours`);
    const outcome = await page.evaluate((url, bound) => new Promise((resolve) => {
      const heap = () => { window.gc(); return performance.memory.usedJSHeapSize; };
      const before = heap();
      const source = new EventSource(url);
      let count = 0;
      source.onmessage = () => {
        if (++count !== 10000) return;
        source.close();
        const started = performance.now();
        const poll = () => {
          const now = heap();
          if (now - before <= bound || performance.now() - started > 10000) resolve({ before, after: now, ms: performance.now() - started });
          else setTimeout(poll, 100);
        };
        setTimeout(poll, 0);
      };
    }), `/bench?key=release${process.pid}&n=20000&size=1024&lines=1`, RELEASE_BOUND);
    const grown = outcome.after - outcome.before;
    check(grown <= RELEASE_BOUND, `chromium close() in a listener mid-stream: JS heap ${mb(outcome.before)} → ${mb(outcome.after)} MB ` +
      `${(outcome.ms / 1000).toFixed(1)} s after close() (bound: ${mb(RELEASE_BOUND)} MB above the start)`);
  } finally {
    await browser.close();
  }
}
