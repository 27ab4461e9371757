// WebKit for the browser suites: WebKitGTK's MiniBrowser (Debian: libwebkit2gtk-4.1-0) driven by
// WebKitWebDriver (webkit2gtk-driver) over classic WebDriver (HTTP + JSON), on an Xvfb display
// (MiniBrowser needs one). scripts/setup.sh --browsers installs all three.
//
// `launchWebKit()` resolves to an object with the part of puppeteer's API the suites use:
//   browser.createBrowserContext() → context; browser.newPage() (the default context);
//   browser.close(); browser.process() (kill() ends every process started here); browser.version()
//   context.newPage() → page; context.close()
//   page.goto(url); page.evaluate(fnOrExpression, ...jsonArgs) (promises awaited); page.url();
//   page.on('pageerror', cb); page.close()
//
// How contexts are isolated. WebKitWebDriver serves one session (one MiniBrowser) at a time, and
// a session takes 0.6–2.5 s to create and 0.5 s to end; a new window starts a web process of its
// own and is usable only 0.6–2 s later (on a loaded 2-core machine), while navigating an existing
// window takes 0.05–0.1 s. So each context that is open at the same time gets a "slot" (its own
// WebKitWebDriver + session), kept in a pool and reused. A context's first page is the session's
// first window, which starts every context at about:blank: each goto() makes a new document
// (the page cache is off, so the previous one and its connections are gone); further pages are
// new top-level windows. Closing the context delivers the pages' last errors, deletes the cookies
// of every host its pages visited (WebDriver deletes the cookies of the current document's host;
// the suites' pages are all on 127.0.0.1) and checks none is left, closes the other windows and
// checks only the first is left, at about:blank. A slot that fails any of that is discarded.
// Windows, not tabs: a background tab is hidden and its timers throttled (20 × setTimeout(10 ms)
// took 8 s), which would change every reconnection's timing.
//
// evaluate: the function's source and its JSON arguments go to the page in a synchronous script
// that starts it; a result that is a thenable is then collected by short asynchronous scripts
// (each returns when it settles or after 200 ms), so the session never blocks on one evaluate and
// another (e.g. reading a partial log after a timeout) can run meanwhile. Results cross as JSON.
// The page's globals may be missing (the legacy environment deletes Promise): the injected code
// uses none of them.
//
// pageerror: WebDriver classic has no events. Each document gets `error` and
// `unhandledrejection` listeners when goto() returns or at the first evaluate, and what they
// caught is delivered with the next command's reply. Errors thrown while the page loads (before
// goto() returns) are not seen.
//
// Not available (Chromium-only, CDP): network request events (page.on('request'…)),
// page.exposeFunction, gc() and heap figures (`memory`: ignored), Chromium switches (`args`: an
// error).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const DRIVER = process.env.WEBKIT_WEBDRIVER || '/usr/bin/WebKitWebDriver';
const XVFB = '/usr/bin/Xvfb';
const POLL_MS = 200;

/** MiniBrowser's path: $WEBKIT_MINIBROWSER, or where libwebkit2gtk puts it (/usr/lib/<triplet>/webkit2gtk-4.*). */
export function miniBrowserPath() {
  if (process.env.WEBKIT_MINIBROWSER) return process.env.WEBKIT_MINIBROWSER;
  const dirs = readdirSync('/usr/lib').filter((dir) => dir.endsWith('-linux-gnu')).map((dir) => join('/usr/lib', dir));
  for (const dir of dirs) {
    for (const api of ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0']) {
      if (existsSync(join(dir, api, 'MiniBrowser'))) return join(dir, api, 'MiniBrowser');
    }
  }
  return null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Every process group started here (Xvfb, each WebKitWebDriver with its MiniBrowser and WebKit's
// web and network processes), killed at exit however the suite ends.
const groups = new Set();
function killGroup(pid, signal = 'SIGKILL') {
  try { process.kill(-pid, signal); } catch { /* gone */ }
  groups.delete(pid);
}
let exitHooked = false;
function track(child) {
  groups.add(child.pid);
  child.once('exit', () => groups.delete(child.pid));
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => { for (const pid of [...groups]) killGroup(pid); });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      for (const pid of [...groups]) killGroup(pid);
      // Alone, this handler would keep the process alive: end it as the signal would have.
      if (process.listenerCount(signal) === 1) process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[signal]);
    });
  }
}

/** Spawns `command` in a process group of its own (killed as a whole), stdout/stderr kept short. */
function start(command, args, options = {}) {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe', ...(options.extra ?? [])], env: options.env ?? process.env });
  track(child);
  child.tail = '';
  const keep = (data) => { child.tail = (child.tail + data).slice(-2000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return child;
}

/** An Xvfb on the first free display (-displayfd: the server picks it and writes its number). */
async function startXvfb() {
  const xvfb = start(XVFB, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { extra: ['pipe'] });
  let text = '';
  const display = await Promise.race([
    new Promise((resolve) => xvfb.stdio[3].on('data', (data) => { text += data; if (text.includes('\n')) resolve(text.trim()); })),
    xvfb.exited.then((code) => { throw new Error(`Xvfb exited (${code}) before choosing a display: ${xvfb.tail}`); }),
    sleep(20000).then(() => { throw new Error('Xvfb chose no display within 20 s'); }),
  ]);
  return { xvfb, display: `:${display}` };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs `step`s one at a time (a session has one current window). */
function serialized() {
  let lock = Promise.resolve();
  return (step) => {
    const result = lock.then(step);
    lock = result.catch(() => {});
    return result;
  };
}

class WebDriverError extends Error {}

/** One WebKitWebDriver and its one session: a MiniBrowser. */
class Slot {
  static async open(display) {
    const driverless = !existsSync(DRIVER);
    const binary = miniBrowserPath();
    if (driverless || !binary) {
      throw new Error(`WebKit needs ${driverless ? DRIVER : 'MiniBrowser'}: apt-get install webkit2gtk-driver xvfb (scripts/setup.sh --browsers)`);
    }
    for (let tries = 0; ; tries++) {
      const port = await freePort();
      const driver = start(DRIVER, [`--port=${port}`], { env: { ...process.env, DISPLAY: display } });
      const slot = new Slot(driver, `http://127.0.0.1:${port}`);
      try {
        await slot.ready();
      } catch (error) {
        killGroup(driver.pid);
        if (tries < 2) continue; // the port was taken between freePort() and the driver's bind
        throw error;
      }
      try {
        const session = await slot.command('POST', '/session', { capabilities: { alwaysMatch: {
          'webkitgtk:browserOptions': { binary, args: ['--automation', '--cookies-policy=always', '--enable-page-cache=false'] },
        } } });
        slot.session = session.sessionId;
        slot.version = `${session.capabilities.browserName} (WebKitGTK ${session.capabilities.browserVersion})`;
        slot.base = await slot.command('GET', '/window');
        slot.current = slot.base;
        await slot.command('POST', '/timeouts', { script: 30000, pageLoad: 60000, implicit: 0 });
        return slot;
      } catch (error) {
        await slot.dispose();
        throw error;
      }
    }
  }

  constructor(driver, url) {
    this.driver = driver;
    this.url = url;
    this.exclusive = serialized();
    this.session = null;
  }

  async ready() {
    const deadline = Date.now() + 20000;
    let exited = false;
    this.driver.exited.then(() => { exited = true; });
    for (;;) {
      try {
        const reply = await fetch(`${this.url}/status`);
        if (reply.ok) return;
      } catch { /* not listening yet */ }
      if (exited) throw new Error(`WebKitWebDriver exited: ${this.driver.tail}`);
      if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not answer within 20 s: ${this.driver.tail}`);
      await sleep(25);
    }
  }

  /** A WebDriver command; `path` relative to the session unless it is '/session'. */
  async command(method, path, body) {
    const url = path === '/session' ? `${this.url}/session` : `${this.url}/session/${this.session}${path}`;
    const reply = await fetch(url, {
      method, headers: { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await reply.text();
    let value;
    try {
      ({ value } = JSON.parse(text));
    } catch {
      throw new WebDriverError(`WebKitWebDriver ${method} ${path}: HTTP ${reply.status} ${text.slice(0, 200)}`);
    }
    if (!reply.ok || (value && typeof value === 'object' && value.error)) {
      throw new WebDriverError(`${value?.error ?? `HTTP ${reply.status}`}: ${value?.message ?? text.slice(0, 200)}`);
    }
    return value;
  }

  async switchTo(handle) {
    if (this.current === handle) return;
    await this.command('POST', '/window', { handle });
    this.current = handle;
  }

  /** Ends the session (bounded wait) and kills the driver's process group. */
  async dispose() {
    if (this.session) {
      const session = this.session;
      this.session = null;
      await Promise.race([fetch(`${this.url}/session/${session}`, { method: 'DELETE' }).catch(() => {}), sleep(3000)]);
    }
    killGroup(this.driver.pid);
  }
}

// Installed in each document once: the results of evaluate()s that returned a thenable, the
// long-poll waiters, and the uncaught errors not yet delivered. ES5, and no global that the
// legacy environment deletes.
const PAGE_STATE = `var W = window.__webdriverState;
if (!W) {
  W = window.__webdriverState = { token: String(Math.random()).slice(2), results: {}, waiters: {}, errors: [] };
  var text = function (value) { return value && value.message !== undefined ? String(value.message) : String(value); };
  window.addEventListener('error', function (event) { W.errors.push(event.error !== undefined && event.error !== null ? text(event.error) : String(event.message)); });
  window.addEventListener('unhandledrejection', function (event) { W.errors.push(text(event.reason)); });
}`;

// Starts the function: returns its outcome, or 'pending' and the document's token.
const START = `${PAGE_STATE}
var id = arguments[0], fn = arguments[1], args = JSON.parse(arguments[2]);
var out = function (settled) { settled.errors = W.errors.splice(0); return settled; };
var value;
try { value = fn.apply(null, args); } catch (error) { return out({ s: 'throw', v: error && error.message !== undefined ? String(error.message) : String(error) }); }
var json = function (result) { return result === undefined ? { s: 'undefined' } : { s: 'ok', v: JSON.stringify(result) }; };
if (value === null || (typeof value !== 'object' && typeof value !== 'function') || typeof value.then !== 'function') {
  try { return out(json(value)); } catch (error) { return out({ s: 'throw', v: String(error.message) }); }
}
var settle = function (result) { W.results[id] = result; if (W.waiters[id]) W.waiters[id](); };
value.then(function (result) {
  try { settle(json(result)); } catch (error) { settle({ s: 'throw', v: String(error.message) }); }
}, function (error) { settle({ s: 'throw', v: error && error.message !== undefined ? String(error.message) : String(error) }); });
return out({ s: 'pending', token: W.token });`;

// Waits up to POLL_MS for the settled outcome of evaluate `id` in the document of `token`.
const POLL = `var done = arguments[arguments.length - 1], id = arguments[0], token = arguments[1];
var W = window.__webdriverState;
if (!W || W.token !== token) { done({ s: 'gone' }); return; }
var finish = function (result) { delete W.waiters[id]; delete W.results[id]; result.errors = W.errors.splice(0); done(result); };
if (W.results[id]) { finish(W.results[id]); return; }
var timer = setTimeout(function () { finish({ s: 'pending' }); }, ${POLL_MS});
W.waiters[id] = function () { clearTimeout(timer); finish(W.results[id]); };`;

let evaluations = 0;

/** The page-side source of evaluate's first argument. */
function functionSource(fnOrExpression) {
  if (typeof fnOrExpression === 'string') return `function () { return (0, eval)(${JSON.stringify(fnOrExpression)}); }`;
  if (typeof fnOrExpression !== 'function') throw new TypeError('evaluate: a function or an expression string');
  const source = fnOrExpression.toString();
  try {
    new Function(`return (${source});`); // eslint-disable-line no-new-func
    return source;
  } catch {
    // A method's shorthand, `name() {}` or `async name() {}`.
    return /^async\s/.test(source) ? `async function ${source.replace(/^async\s+/, '')}` : `function ${source}`;
  }
}

class Page {
  constructor(context, handle) {
    this.context = context;
    this.slot = context.slot;
    this.handle = handle;
    /** The session's first window: never closed (that would end the session), only emptied. */
    this.first = handle === context.slot.base;
    this.closed = false;
    this.address = 'about:blank';
    this.listeners = [];
  }

  /** Runs `step` with this page's window current in the session. */
  run(step) {
    return this.slot.exclusive(async () => {
      if (this.closed) throw new Error('Target closed (the page is closed)');
      await this.slot.switchTo(this.handle);
      return step();
    });
  }

  deliver(errors) {
    for (const message of errors ?? []) {
      const error = new Error(message);
      for (const listener of this.listeners) listener(error);
    }
  }

  on(event, listener) {
    if (event !== 'pageerror') throw new Error(`page.on('${event}') is not available in WebKit (classic WebDriver has no events; Chromium only)`);
    this.listeners.push(listener);
    return this;
  }

  url() {
    return this.address;
  }

  async goto(url) {
    await this.run(async () => {
      await this.slot.command('POST', '/url', { url });
      this.address = await this.slot.command('GET', '/url');
      const { host, protocol } = new URL(this.address);
      if (protocol === 'http:' || protocol === 'https:') this.context.hosts.add(`${protocol}//${host}`);
      // The error listeners, as early as classic WebDriver allows.
      await this.slot.command('POST', '/execute/sync', { script: `${PAGE_STATE}\nreturn null;`, args: [] });
    });
    return null;
  }

  async evaluate(fnOrExpression, ...args) {
    const id = ++evaluations;
    const source = functionSource(fnOrExpression);
    const packed = JSON.stringify(args.map((arg) => (arg === undefined ? null : arg)));
    const script = START.replace('fn = arguments[1]', () => `fn = (${source})`);
    let outcome = await this.run(() => this.slot.command('POST', '/execute/sync', { script, args: [id, null, packed] }));
    const { token } = outcome;
    while (outcome.s === 'pending') {
      this.deliver(outcome.errors);
      outcome = await this.run(() => this.slot.command('POST', '/execute/async', { script: POLL, args: [id, token] }))
        .catch((error) => {
          // A navigation while the script waited ends it with an error: the document is gone.
          if (error instanceof WebDriverError) return { s: 'gone' };
          throw error;
        });
    }
    this.deliver(outcome.errors);
    if (outcome.s === 'gone') throw new Error('Execution context was destroyed (the page navigated)');
    if (outcome.s === 'throw') throw new Error(outcome.v);
    return outcome.s === 'undefined' ? undefined : JSON.parse(outcome.v);
  }

  /** Collects the last uncaught errors, then closes the window. */
  async close() {
    if (this.closed) return;
    await this.slot.exclusive(async () => {
      if (this.closed) return;
      await this.slot.switchTo(this.handle);
      await this.slot.command('POST', '/execute/sync', { script: 'var W = window.__webdriverState; return W ? W.errors.splice(0) : [];', args: [] })
        .then((errors) => this.deliver(errors), () => {});
      if (this.first) {
        await this.slot.command('POST', '/url', { url: 'about:blank' });
        this.address = 'about:blank';
      } else {
        await this.slot.command('DELETE', '/window');
        this.slot.current = null;
      }
      this.closed = true;
    });
  }
}

class Context {
  constructor(browser, slot) {
    this.browser = browser;
    this.slot = slot;
    this.pages = [];
    this.hosts = new Set();
    this.closed = false;
  }

  async newPage() {
    if (this.closed) throw new Error('the context is closed');
    const page = await this.slot.exclusive(async () => {
      if (!this.pagesOpen().some((p) => p.first)) return new Page(this, this.slot.base);
      const { handle } = await this.slot.command('POST', '/window/new', { type: 'window' });
      return new Page(this, handle);
    });
    this.pages.push(page);
    return page;
  }

  pagesOpen() {
    return this.pages.filter((page) => !page.closed);
  }

  /** Deletes the cookies of every host the pages visited, from a document of that host. */
  async clearCookies() {
    const slot = this.slot;
    const done = new Set();
    for (const origin of this.hosts) {
      const host = new URL(origin).hostname;
      if (done.has(host)) continue; // cookies are per host, whatever the port
      done.add(host);
      const page = this.pagesOpen().find((p) => { try { return new URL(p.address).hostname === host; } catch { return false; } });
      if (page) {
        await slot.switchTo(page.handle);
      } else {
        // No page of that host is open any more: the base window visits the origin to reach them.
        await slot.switchTo(slot.base);
        await slot.command('POST', '/url', { url: `${origin}/` });
      }
      await slot.command('DELETE', '/cookie');
      const left = await slot.command('GET', '/cookie');
      if (left.length) throw new Error(`cookies left after deleting them: ${JSON.stringify(left)}`);
    }
    await slot.switchTo(slot.base);
    if ((await slot.command('GET', '/url')) !== 'about:blank') await slot.command('POST', '/url', { url: 'about:blank' });
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    const slot = this.slot;
    try {
      await slot.exclusive(async () => {
        for (const page of this.pagesOpen()) {
          await slot.switchTo(page.handle);
          await slot.command('POST', '/execute/sync', { script: 'var W = window.__webdriverState; return W ? W.errors.splice(0) : [];', args: [] })
            .then((errors) => page.deliver(errors), () => {});
        }
        await this.clearCookies();
        for (const page of this.pagesOpen()) {
          if (!page.first) {
            await slot.switchTo(page.handle);
            await slot.command('DELETE', '/window');
            slot.current = null;
          }
          page.closed = true;
        }
        await slot.switchTo(slot.base);
        const handles = await slot.command('GET', '/window/handles');
        if (handles.length !== 1) throw new Error(`windows left after closing the context: ${handles.length}`);
      });
      this.browser.release(slot);
    } catch (error) {
      for (const page of this.pages) page.closed = true;
      this.browser.discard(slot);
      throw error;
    }
  }
}

class WebKitBrowser {
  constructor(xvfb, display) {
    this.xvfb = xvfb;
    this.display = display;
    this.idle = [];
    this.slots = new Set();
    this.defaultContext = null;
    this.closed = false;
    this.versionText = null;
  }

  async acquire() {
    if (this.closed) throw new Error('the browser is closed');
    const slot = this.idle.pop() ?? await Slot.open(this.display);
    this.slots.add(slot);
    this.versionText ??= slot.version;
    return slot;
  }

  release(slot) {
    if (this.closed) this.discard(slot);
    else this.idle.push(slot);
  }

  discard(slot) {
    this.slots.delete(slot);
    slot.dispose().catch(() => {});
  }

  async createBrowserContext() {
    return new Context(this, await this.acquire());
  }

  async newPage() {
    this.defaultContext ??= this.createBrowserContext();
    return (await this.defaultContext).newPage();
  }

  async version() {
    if (!this.versionText) this.release(await this.acquire());
    return this.versionText;
  }

  /** Something to kill(): every process this browser started. */
  process() {
    return {
      pid: this.xvfb.pid,
      kill: () => {
        for (const slot of this.slots) killGroup(slot.driver.pid);
        for (const slot of this.idle) killGroup(slot.driver.pid);
        killGroup(this.xvfb.pid);
        return true;
      },
    };
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    const slots = [...new Set([...this.slots, ...this.idle])];
    this.idle = [];
    this.slots.clear();
    await Promise.all(slots.map((slot) => slot.dispose()));
    killGroup(this.xvfb.pid);
  }
}

/** Starts Xvfb and one MiniBrowser (more are started when contexts are open at once). */
export async function launchWebKit({ args = [] } = {}) {
  // `memory` is ignored, as for Firefox: only Chromium has gc() and precise heap figures.
  if (args.length) throw new Error('browser switches (args) are Chromium\'s');
  if (!existsSync(XVFB)) throw new Error(`WebKit needs ${XVFB}: apt-get install xvfb (scripts/setup.sh --browsers)`);
  const { xvfb, display } = await startXvfb();
  const browser = new WebKitBrowser(xvfb, display);
  try {
    browser.release(await browser.acquire());
  } catch (error) {
    await browser.close();
    throw error;
  }
  return browser;
}
