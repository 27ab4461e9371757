// Differential browser tests: every scenario in scenarios.mjs runs in headless Chromium, Firefox
// ESR and WebKit (WebKitGTK's MiniBrowser, webkit.mjs), in a fresh page, with the browser's native
// EventSource and with ours; per browser the two logs must be equal (tests/browser/README.md).
//
//   node tests/browser/run.mjs [--browser chromium|firefox|webkit|all] [--impl native|ours|legacy|both]
//                              [--filter text] [--jobs N] [--timeout ms] [--compare-engines]
//                              [--generated N [--seed S]]
//
// --impl native   native against native (two runs): proves the harness is deterministic
// --impl ours     native against ours (pkg/eventsource.js)
// --impl legacy   native against ours in the legacy environment (pkg/eventsource.legacy.js)
// --impl both     (default) native against ours, and against ours in the legacy environment
//                 ("all" is the same)
// --compare-engines  no pass/fail: runs native in Chromium and in the other browsers (--browser;
//                 all: Firefox and WebKit) and shows where each differs from Chromium.
// --dump DIR      also writes every run's log to DIR/<browser>-<impl>-<scenario>.json
// --generated N   also N generated streams (generated.mjs), from seed S (--seed; default: one
//                 drawn now and printed, so that each such run explores new streams)
//
// Prints one line per scenario, browser and comparison (`ok`/`FAIL`), a diff for each failure, and
// last one line `N passed, M failed`. Exit code 1 on any failure.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { scenarios as written, sse } from './scenarios.mjs';
import { generatedScenarios } from './generated.mjs';
import { knownEngineDeviations } from './deviations.mjs';
import { launch, root, serialized, startServer } from './common.mjs';

const started = Date.now();

// --- options ---
const { values: opts } = parseArgs({
  options: {
    browser: { type: 'string', default: 'all' },
    impl: { type: 'string', default: 'both' },
    filter: { type: 'string', default: '' },
    jobs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '10000' },
    'compare-engines': { type: 'boolean', default: false },
    dump: { type: 'string' },
    generated: { type: 'string', default: '0' },
    seed: { type: 'string' },
  },
});
const usage = (message) => {
  console.error(`${message}\nusage: node tests/browser/run.mjs [--browser chromium|firefox|webkit|all] ` +
    '[--impl native|ours|legacy|both] [--filter text] [--jobs N] [--timeout ms] [--compare-engines] [--dump DIR] ' +
    '[--generated N [--seed S]]');
  process.exit(2);
};
const compareEngines = opts['compare-engines'];
const ENGINES = ['chromium', 'firefox', 'webkit'];
if (![...ENGINES, 'all'].includes(opts.browser)) usage(`unknown --browser ${opts.browser}`);
if (!['native', 'ours', 'legacy', 'both', 'all'].includes(opts.impl)) usage(`unknown --impl ${opts.impl}`);
const browsers = opts.browser === 'all' ? ENGINES
  : compareEngines ? ['chromium', ...(opts.browser === 'chromium' ? ['firefox'] : [opts.browser])] : [opts.browser];
/** The implementations compared with native ('native' itself: a second native run). */
const against = compareEngines ? [] : { native: ['native'], ours: ['ours'], legacy: ['legacy'], both: ['ours', 'legacy'], all: ['ours', 'legacy'] }[opts.impl];
const jobs = Math.max(1, Number.parseInt(opts.jobs, 10) || 1);
const defaultTimeout = Number.parseInt(opts.timeout, 10) || 10000;
const generatedCount = Number.parseInt(opts.generated, 10) || 0;
// Drawn past the seeds scenarios.mjs always runs (a name may be used once).
const firstSeed = opts.seed === undefined ? 1000 + randomBytes(3).readUIntBE(0, 3) : Number.parseInt(opts.seed, 10);
if (!(firstSeed >= 0)) usage(`--seed takes a number, not ${JSON.stringify(opts.seed)}`);
if (generatedCount) console.log(`# ${generatedCount} generated streams, seeds ${firstSeed} to ${firstSeed + generatedCount - 1}`);
const scenarios = [...written, ...generatedScenarios(generatedCount, firstSeed)];
const selected = scenarios.map((scenario, index) => ({ scenario, index })).filter(({ scenario }) => scenario.name.includes(opts.filter));
if (!selected.length) usage(`no scenario matches --filter ${JSON.stringify(opts.filter)}`);
const names = new Set();
for (const { name } of scenarios) {
  if (names.has(name)) usage(`two scenarios are named ${JSON.stringify(name)}`);
  names.add(name);
}

const HEADERS = ['accept', 'cache-control', 'pragma', 'last-event-id', 'cookie', 'origin'];
const runId = randomBytes(4).toString('hex');
let passed = 0;
let failed = 0;

// What each implementation needs from the build.
const needs = { native: [], ours: ['pkg/eventsource.js'], legacy: ['pkg/eventsource.js', 'pkg/eventsource.legacy.js'] };
const runnable = [];
for (const impl of against) {
  const missing = needs[impl].filter((file) => !existsSync(join(root, file)));
  if (missing.length) {
    for (const browser of browsers) {
      console.log(`FAIL ${browser} ${impl}: ${missing.join(', ')} missing: build ours first (scripts/build.sh); ` +
        `${selected.length} scenarios not run`);
      failed += selected.length;
    }
  } else {
    runnable.push(impl);
  }
}

// --- the test server and the browsers (common.mjs), stopped at exit whatever happens ---
const cleanups = [];
function cleanup() {
  for (const step of cleanups.splice(0)) {
    try { step(); } catch { /* already gone */ }
  }
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { cleanup(); process.exit(130); });

/** Browser-context bookkeeping, one step at a time per browser (common.mjs: `serialized`). */
function exclusive(browser, step) {
  return browser.exclusive(step);
}

const timeoutMarker = Symbol('timeout');
function withTimeout(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((resolve) => { timer = setTimeout(() => resolve(timeoutMarker), ms); })])
    .finally(() => clearTimeout(timer));
}

/** The page's spec for a scenario: the constructor's URL and arguments, listeners, end condition. */
function pageSpec(scenario, origins, key) {
  const url = scenario.url ? scenario.url(origins, key)
    : scenario.attempts ? sse(origins[scenario.origin ?? 'a'], key, scenario.attempts, scenario.query ?? '') : undefined;
  return {
    url, init: scenario.init, noArgs: scenario.noArgs, noNew: scenario.noNew, base: scenario.base?.(origins), types: scenario.types,
    summarize: scenario.summarize, settle: scenario.settle, closeAfter: scenario.closeAfter,
    closeOnOpen: scenario.closeOnOpen, closeAtStart: scenario.closeAtStart, errors: scenario.errors,
  };
}

/**
 * Runs one scenario with one implementation in a fresh browser context. Returns
 * { key, events, requests, preflights } and, when it went wrong, error or timedOut (events: the
 * partial log).
 */
async function runOne(browser, origins, { scenario, index }, impl, run) {
  const key = `${runId}-${browser.name}-${impl}${run}-${index}`;
  const timeout = scenario.timeout ?? defaultTimeout;
  const result = { key, events: [], requests: [], preflights: [], pageErrors: [] };
  const { context, page } = await exclusive(browser, async () => {
    const context = await browser.instance.createBrowserContext();
    return { context, page: await context.newPage() };
  });
  try {
    // Uncaught errors of ours are worth seeing (shown with a failure, not compared). Not native's:
    // Firefox reports its own connection failures this way.
    if (impl !== 'native') page.on('pageerror', (error) => result.pageErrors.push(String(error.message ?? error)));
    for (const url of scenario.setup ? scenario.setup(origins) : []) await page.goto(url);
    await page.goto(`${origins.a}/www/test/harness.html?impl=${impl}`);
    const spec = pageSpec(scenario, origins, key);
    const outcome = await withTimeout(
      page.evaluate((s) => window.runScenario(s), spec).then((log) => ({ log }), (error) => ({ error })),
      timeout);
    if (outcome === timeoutMarker) {
      result.timedOut = `timed out after ${timeout} ms`;
      result.events = JSON.parse(await page.evaluate(() => JSON.stringify(window.__partial || [])));
    } else if (outcome.error) {
      result.error = String(outcome.error.message ?? outcome.error).split('\n')[0];
    } else {
      result.events = JSON.parse(outcome.log);
    }
    // The ours environment lacks only what the modern build must do without (www/test/environment.js):
    // eventsource.js must run its own engine there, never hand over to the legacy file.
    if (impl === 'ours' && !result.error && await page.evaluate(() => performance.getEntriesByType('resource')
      .some((entry) => /eventsource\.legacy\.js/.test(entry.name)))) {
      result.error = 'eventsource.js handed over to eventsource.legacy.js';
    }
    // What the server saw: every request of the key (and of the scenario's extra keys).
    const keys = [key, ...(scenario.keys ?? []).map((suffix) => key + suffix)];
    for (const [n, serverKey] of keys.entries()) {
      const records = await origins.log(serverKey);
      for (const record of records) {
        const headers = Object.fromEntries(HEADERS.filter((h) => h in record.headers).map((h) => [h, record.headers[h]]));
        const entry = { key: n, method: record.method, attempt: record.attempt, port: record.port, headers };
        (record.method === 'OPTIONS' ? result.preflights : result.requests).push(entry);
      }
    }
  } catch (error) {
    result.error = String(error.message ?? error).split('\n')[0];
  } finally {
    await exclusive(browser, () => context.close()).catch(() => {});
  }
  if (opts.dump) {
    mkdirSync(opts.dump, { recursive: true });
    const file = `${browser.name}-${impl}${run}-${String(index).padStart(2, '0')}-${scenario.name.replace(/[^\w]+/g, '-')}.json`;
    const { events, requests, preflights, ...rest } = result;
    const list = (items) => `[\n  ${items.map((item) => JSON.stringify(item)).join(',\n  ')}\n ]`;
    writeFileSync(join(opts.dump, file), `{\n "run": ${JSON.stringify(rest)},\n "events": ${list(events)},\n` +
      ` "requests": ${list(requests)},\n "preflights": ${list(preflights)}\n}\n`);
  }
  return result;
}

/** The part of a result that must match: events and requests, with the run's key masked. */
function comparable(result, impl, browserName, scenarioName) {
  const copy = JSON.parse(JSON.stringify({ events: result.events, requests: result.requests }).split(result.key).join('KEY'));
  if (impl === 'legacy') {
    // The legacy environment cannot construct an EventTarget, so nothing is an instance of one.
    const start = copy.events.find((entry) => entry.start);
    if (start) delete start.start.instanceofEventTarget;
    // XHR has no cache mode: ours sends Cache-Control/Pragma itself, but not cross-origin, where
    // they would force a CORS preflight that the browser's own EventSource never needs.
    for (const request of copy.requests) {
      if (request.port === 'b') {
        delete request.headers['cache-control'];
        delete request.headers.pragma;
      }
    }
  }
  for (const deviation of knownEngineDeviations) {
    if (deviation.applies(browserName, scenarioName, impl)) deviation.normalize(copy);
  }
  return copy;
}

// --- reporting ---
/** One line per log entry; long strings shortened (the comparison itself uses everything). */
function lines(log) {
  const shorten = (_, value) => (typeof value === 'string' && value.length > 120
    ? `${value.slice(0, 60)}…[${value.length} chars]…${value.slice(-20)}` : value);
  return [
    ...log.events.map((entry) => JSON.stringify(entry, shorten)),
    ...log.requests.map((entry) => `request ${JSON.stringify(entry, shorten)}`),
  ];
}

/** A unified-style diff of two lists of lines (LCS), with two lines of context. */
function diff(left, right) {
  const n = left.length;
  const m = right.length;
  if (n * m > 4e6) return ['(logs too long to diff)'];
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = left[i] === right[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && left[i] === right[j]) { ops.push([' ', left[i]]); i++; j++; }
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) { ops.push(['-', left[i]]); i++; }
    else { ops.push(['+', right[j]]); j++; }
  }
  const near = ops.map((_, k) => ops.slice(Math.max(0, k - 2), k + 3).some(([op]) => op !== ' '));
  const out = [];
  ops.forEach(([op, text], k) => {
    if (near[k]) out.push(`${op} ${text}`);
    else if (out.length && out[out.length - 1] !== '  …') out.push('  …');
  });
  return out.length > 80 ? [...out.slice(0, 80), `  … ${out.length - 80} more lines`] : out;
}

function report(label, leftName, left, rightName, right, leftRaw, rightRaw) {
  const out = [];
  for (const [name, raw] of [[leftName, leftRaw], [rightName, rightRaw]]) {
    if (raw.error) out.push(`${name}: error: ${raw.error}`);
    if (raw.timedOut) out.push(`${name}: ${raw.timedOut} (partial log below)`);
    for (const message of raw.pageErrors ?? []) out.push(`${name}: uncaught in the page: ${message}`);
  }
  const changes = diff(lines(left), lines(right));
  if (changes.some((text) => /^[-+] /.test(text))) out.push(`--- ${leftName}`, `+++ ${rightName}`, ...changes);
  else out.push(`(both logs are equal:)`, ...lines(left).slice(0, 80).map((text) => `  ${text}`));
  for (const [name, raw] of [[leftName, leftRaw], [rightName, rightRaw]]) {
    for (const preflight of raw.preflights ?? []) out.push(`(not compared) ${name} preflight ${JSON.stringify(preflight)}`);
  }
  return [label, ...out.map((text) => `    ${text}`)].join('\n');
}

/** Prints results in scenario order as they complete (so two runs' outputs can be diffed). */
function orderedPrinter(count) {
  const slots = new Array(count);
  let next = 0;
  return (position, text) => {
    slots[position] = text;
    while (next < count && slots[next] !== undefined) {
      if (slots[next]) console.log(slots[next]);
      next++;
    }
  };
}

async function forEachScenario(browser, origins, work) {
  const queue = selected.map((item, position) => ({ ...item, position }));
  const worker = async () => {
    while (queue.length) {
      const item = queue.shift();
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, worker));
}

// --- main ---
async function main() {
  if (!compareEngines && !runnable.length) return;
  const origins = await startServer({ build: true });
  const engineLogs = {};
  for (const name of browsers) {
    const browserStarted = Date.now();
    const instance = await launch(name);
    cleanups.push(() => instance.process()?.kill('SIGKILL'));
    const browser = { name, instance, exclusive: serialized() };
    const print = orderedPrinter(selected.length);
    engineLogs[name] = [];
    await forEachScenario(browser, origins, async (item) => {
      const { scenario, position } = item;
      const native = await runOne(browser, origins, item, 'native', '');
      if (compareEngines) {
        engineLogs[name][position] = native;
        print(position, '');
        return;
      }
      const out = [];
      for (const impl of runnable) {
        const other = await runOne(browser, origins, item, impl, impl === 'native' ? '2' : '');
        const expected = comparable(native, impl, name, scenario.name);
        const actual = comparable(other, impl, name, scenario.name);
        const rightName = impl === 'native' ? 'native (2nd run)' : impl;
        const ok = !native.error && !native.timedOut && !other.error && !other.timedOut && isDeepStrictEqual(expected, actual);
        if (ok) {
          passed++;
          out.push(`ok   ${name} ${impl.padEnd(6)} ${scenario.name}`);
        } else {
          failed++;
          out.push(report(`FAIL ${name} ${impl.padEnd(6)} ${scenario.name}`, 'native', expected, rightName, actual, native, other));
        }
      }
      print(position, out.join('\n'));
    });
    await instance.close();
    console.log(`# ${name}: ${selected.length} scenarios in ${((Date.now() - browserStarted) / 1000).toFixed(1)} s`);
  }
  if (compareEngines) {
    const capital = (name) => ({ firefox: 'Firefox', webkit: 'WebKit' })[name] ?? name;
    for (const other of browsers.slice(1)) {
      let same = 0;
      let differ = 0;
      selected.forEach(({ scenario }, position) => {
        const chromium = engineLogs.chromium[position];
        const theirs = engineLogs[other][position];
        const left = comparable(chromium, 'native', 'none', scenario.name);
        const right = comparable(theirs, 'native', 'none', scenario.name);
        if (!chromium.error && !theirs.error && isDeepStrictEqual(left, right)) {
          same++;
          console.log(`same ${other} ${scenario.name}`);
        } else {
          differ++;
          console.log(report(`DIFF ${other} ${scenario.name}`, 'chromium', left, other, right, chromium, theirs));
        }
      });
      console.log(`# engines: ${same} same, ${differ} differ (native Chromium vs native ${capital(other)}; not a test)`);
    }
  }
}

try {
  await main();
} catch (error) {
  console.log(`FAIL runner: ${error.stack ?? error}`);
  failed++;
}
cleanup();
console.log(`# total ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
