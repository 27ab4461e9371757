// Differential browser tests: every scenario in scenarios.mjs runs in headless Chromium and Firefox
// with the native EventSource, with ours (native deleted) and with ours in the legacy environment
// (www/test/harness.html says what that removes). Per browser, each log must equal native's.
//   node tests/browser/run.mjs [--browser chromium|firefox|all] [--impl ours|legacy|all] [--filter text] [--jobs N]
// Ends with one line: `browser: N passed, M failed`.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import puppeteer from 'puppeteer-core';
import { scenarios } from './scenarios.mjs';
import { deviations } from './deviations.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const option = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const browsers = option('--browser', 'all') === 'all' ? ['chromium', 'firefox'] : [option('--browser')];
const impls = option('--impl', 'all') === 'all' ? ['ours', 'legacy'] : [option('--impl')];
const filter = option('--filter', '');
const jobs = Number(option('--jobs', '2'));
const TIMEOUT_MS = 15000;
const HEADERS = ['accept', 'cache-control', 'pragma', 'last-event-id', 'cookie', 'origin'];
const runId = `${Date.now().toString(36)}${process.pid}`;

for (const file of ['pkg/eventsource.js', 'pkg/eventsource.legacy.js', 'target/server/sse-test-server']) {
  if (!existsSync(join(root, file))) {
    console.error(`${file} is missing: run scripts/build.sh first`);
    process.exit(2);
  }
}

const server = spawn(join(root, 'target/server/sse-test-server'), ['--root', root, '--exit-on-stdin-eof'],
  { stdio: ['pipe', 'pipe', 'inherit'] });
const origins = JSON.parse(await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve)));

function launch(browser) {
  if (browser === 'firefox') {
    return puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true });
  }
  const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
  return puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true, userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  }).then((instance) => {
    instance.once('disconnected', () => setTimeout(() => rmSync(profile, { recursive: true, force: true, maxRetries: 5 }), 200));
    return instance;
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one scenario with one implementation in a fresh browser context; returns its log. */
async function runOne(browser, scenario, index, impl) {
  const key = `${runId}-${browser.name}-${impl}-${index}`;
  const { context, page } = await exclusive(browser, async () => {
    const context = await browser.instance.createBrowserContext();
    return { context, page: await context.newPage() };
  });
  try {
    for (const url of scenario.setup ? scenario.setup(origins) : []) await page.goto(url);
    const spec = {
      url: scenario.url(origins, key), init: scenario.init, types: scenario.types, summarize: scenario.summarize,
      closeAfter: scenario.closeAfter, errors: scenario.errors, closeBeforeResponse: scenario.closeBeforeResponse, end: scenario.end,
    };
    await page.goto(`${origins.a}/www/test/harness.html?impl=${impl}&spec=${encodeURIComponent(JSON.stringify(spec))}`);
    const started = Date.now();
    let log = null;
    while (log === null) {
      log = await page.evaluate('window.__log || null');
      if (log === null) {
        if (Date.now() - started > TIMEOUT_MS) {
          return { timedOut: true, partial: await page.evaluate('window.__order || null') };
        }
        await sleep(20);
      }
    }
    // Events after the end would be a close() that did not stop everything; give them a moment.
    await sleep(100);
    const late = await page.evaluate('window.__late || []');
    const keys = scenario.serverKeys ? scenario.serverKeys(key) : [key];
    const requests = [];
    const preflights = [];
    for (const [n, serverKey] of keys.entries()) {
      for (const record of await (await fetch(`${origins.a}/log?key=${encodeURIComponent(serverKey)}`)).json()) {
        const headers = Object.fromEntries(HEADERS.filter((h) => h in record.headers).map((h) => [h, record.headers[h]]));
        const entry = { key: n, method: record.method, attempt: record.attempt, port: record.port, headers };
        (record.method === 'OPTIONS' ? preflights : requests).push(entry);
      }
    }
    return { key, events: JSON.parse(log), late, requests, preflights };
  } finally {
    await exclusive(browser, () => context.close());
  }
}

/**
 * Runs browser-context bookkeeping one step at a time: Firefox's WebDriver BiDi agent loses track
 * of a context ("DiscardedBrowsingContextError") when contexts are created and closed concurrently.
 */
function exclusive(browser, step) {
  const result = browser.lock.then(step);
  browser.lock = result.catch(() => {});
  return result;
}

/** What a log must match: preflights are not compared (ours may need them, native never does). */
function comparable(result, against, browserName, scenarioName) {
  if (!result || result.timedOut || result.error) return result;
  // Keys differ per run (the server logs by key): compare with the key masked.
  const masked = JSON.stringify({ events: result.events, late: result.late, requests: result.requests });
  const copy = JSON.parse(masked.split(result.key).join('KEY'));
  if (against === 'legacy') {
    // The legacy environment cannot construct an EventTarget, so nothing can be an instance of one.
    if (copy.events[0]) delete copy.events[0].instanceofEventTarget;
    // XHR has no cache mode: ours sends Cache-Control/Pragma itself, but not cross-origin, where
    // they would force a CORS preflight that the browser's own EventSource never needs.
    for (const request of copy.requests) {
      if (request.port === 'b') {
        delete request.headers['cache-control'];
        delete request.headers.pragma;
      }
    }
  }
  for (const deviation of deviations) {
    if (deviation.applies(browserName, scenarioName)) deviation.normalize(copy);
  }
  return copy;
}

let passed = 0;
let failed = 0;
for (const name of browsers) {
  const browser = { name, instance: await launch(name), lock: Promise.resolve() };
  const selected = scenarios.map((scenario, index) => ({ scenario, index })).filter(({ scenario }) => scenario.name.includes(filter));
  const queue = [...selected];
  const worker = async () => {
    while (queue.length) {
      const { scenario, index } = queue.shift();
      const native = await runOne(browser, scenario, index, 'native').catch((error) => ({ error: error.message }));
      for (const impl of impls) {
        const ours = await runOne(browser, scenario, index, impl).catch((error) => ({ error: error.message }));
        const expected = comparable(native, impl, name, scenario.name);
        const actual = comparable(ours, impl, name, scenario.name);
        const ok = !native.error && !native.timedOut && isDeepStrictEqual(expected, actual);
        if (ok) {
          passed++;
          console.log(`ok   ${name} ${impl.padEnd(6)} ${scenario.name}`);
        } else {
          failed++;
          console.log(`FAIL ${name} ${impl.padEnd(6)} ${scenario.name}`);
          console.log(`  native: ${JSON.stringify(expected)}`);
          console.log(`  ${impl}:   ${JSON.stringify(actual)}`);
          if (ours.preflights?.length) console.log(`  ${impl} preflights: ${JSON.stringify(ours.preflights)}`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  await browser.instance.close();
}
server.stdin.end();
server.kill();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
