// What the browser suites share: the test server (tests/server) and headless browsers.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { launchWebKit } from './webkit.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the test server (built by scripts/build.sh); resolves to { a, b, process, stop() } once it
 * listens. `ports` ({ a, b }) asks for fixed ports, e.g. to restart it where clients expect it.
 */
export async function startServer(ports = {}) {
  const args = ['--root', root, '--exit-on-stdin-eof'];
  if (ports.a) args.push('--port-a', String(ports.a));
  if (ports.b) args.push('--port-b', String(ports.b));
  const server = spawn(join(root, 'target/server/sse-test-server'), args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const line = await Promise.race([
    new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve)),
    exited.then(() => null),
  ]);
  if (!line) throw new Error('the test server exited before listening (is it built? scripts/build.sh)');
  const origins = JSON.parse(line);
  const port = (origin) => Number(new URL(origin).port);
  return {
    ...origins,
    ports: { a: port(origins.a), b: port(origins.b) },
    /** Ends it; `abruptly` kills it so open connections are reset, as a crashed server does. */
    async stop(abruptly = false) {
      if (abruptly) server.kill('SIGKILL');
      else server.stdin.end();
      await exited;
    },
  };
}

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
