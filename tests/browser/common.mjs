// What the browser suites share: the test server (its launcher is tests/support/server.mjs) and
// headless browsers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { launchWebKit } from './webkit.mjs';

export { root, startServer } from '../support/server.mjs';

/** The browsers a suite runs in: each `--browser name` given, else the BROWSERS variable's
 * comma-separated list, else all three. An unknown name is an error, not a silent skip. */
export function chosenBrowsers() {
  const ALL = ['chromium', 'firefox', 'webkit'];
  const args = process.argv.slice(2);
  const given = args.flatMap((arg, i) => (arg === '--browser' ? [args[i + 1]] : []));
  const chosen = given.length ? given : (process.env.BROWSERS ? process.env.BROWSERS.split(',') : ALL);
  const unknown = chosen.filter((name) => !ALL.includes(name));
  if (unknown.length) throw new Error(`unknown browser ${unknown.join(', ')}: choose among ${ALL.join(', ')}`);
  return chosen;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Headless Chromium or Firefox (puppeteer), or WebKit (webkit.mjs: the same subset of puppeteer's
 * API over classic WebDriver). `memory`: Chromium exposes gc() and precise heap figures; `args`:
 * more Chromium switches.
 */
export async function launch(name, { memory = false, args = [] } = {}) {
  if (name === 'webkit') return launchWebKit({ args });
  if (name === 'firefox') {
    return puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true });
  }
  const profile = mkdtempSync(join(tmpdir(), 'es-chromium-'));
  const instance = await puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true, userDataDir: profile, protocolTimeout: 600000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      ...(memory ? ['--enable-precise-memory-info', '--js-flags=--expose-gc'] : []), ...args],
  });
  const close = instance.close.bind(instance);
  instance.close = () => close().finally(() => rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
  return instance;
}

/**
 * Waits until `predicate(value)` holds for the page's `expression` (polled), or the deadline;
 * returns the last value either way, so the caller asserts on what was there.
 */
export async function waitFor(page, expression, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await page.evaluate(expression);
    if (predicate(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

/**
 * A lock for a browser's context and page creation and closing: Firefox's remote agent fails a
 * browsingContext.create that races another context being discarded ("no such frame"), so these
 * steps run one at a time while the tests themselves run at once. `exclusive(step)` runs `step`
 * after every step queued before it and returns its result.
 */
export function serialized() {
  let lock = Promise.resolve();
  return (step) => {
    const result = lock.then(step);
    lock = result.catch(() => {});
    return result;
  };
}

/**
 * A suite's tally: `check(ok, text, detail)` prints `ok  ` or `FAIL`, the text and the seconds
 * since the previous check (and on failure `detail`, as JSON, when given), and counts;
 * `summary(name)` is the suite's last line, `name: N passed, M failed`.
 */
export function tally() {
  const counts = { passed: 0, failed: 0 };
  let mark = Date.now();
  const check = (ok, text, detail) => {
    if (ok) counts.passed++; else counts.failed++;
    const why = ok || detail === undefined ? '' : `\n     ${JSON.stringify(detail)}`;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${text} [${((Date.now() - mark) / 1000).toFixed(1)} s]${why}`);
    mark = Date.now();
  };
  return { check, counts, summary: (name) => `${name}: ${counts.passed} passed, ${counts.failed} failed` };
}
