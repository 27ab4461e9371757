// The npm package through `require`, resolved by name through its package.json `exports` from a
// scratch app (node_modules/eventsource-wasm links to pkg/): with this Node's defaults, and in a
// child run with --no-experimental-require-module, which cannot require an ES module (as Node 18,
// 20.0-20.18 and 22.0-22.11 cannot). Also: an app that both imports and requires the package gets
// one class, so one engine (no dual-package hazard).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, root, sseUrl, uniqueKey } from '../support/server.mjs';

const app = join(root, 'target/require-app');
let server;
let requireFromApp;


/** A stream of two events, the second with a custom type; held open until the client leaves. */
const streamUrl = (origin, name) =>
  sseUrl(origin, uniqueKey(name), [{ body: 'id: 7\ndata: one\n\nevent: custom\ndata: two\n\n', end: 'hold' }]);

/** What the app in child.cjs does, for both runs: require both entries, then import both, then
 * receive the stream's events through the required class. Prints one JSON line. */
const CHILD = `'use strict';
const result = { requireEsm: null };
// The ES module itself, required: proves whether this Node can require ES modules at all.
try { require(${JSON.stringify(join(root, 'pkg/index.js'))}); result.requireEsm = 'loaded'; } catch (e) { result.requireEsm = e.code; }
const hadGlobal = typeof globalThis.EventSource;
const { EventSource } = require('eventsource-wasm');
const polyfill = require('eventsource-wasm/polyfill');
result.hadGlobal = hadGlobal;
result.installed = globalThis.EventSource === EventSource;
result.polyfillSame = polyfill.EventSource === EventSource;
result.resolved = [require.resolve('eventsource-wasm'), require.resolve('eventsource-wasm/polyfill')]
  .map((file) => file.split('/').pop());
Promise.all([import('eventsource-wasm'), import('eventsource-wasm/polyfill')]).then(([main, poly]) => {
  result.importSame = main.EventSource === EventSource && poly.EventSource === EventSource;
  const source = new EventSource(process.argv[2]);
  result.events = [];
  const timer = setTimeout(() => { source.close(); console.log(JSON.stringify(result)); }, 10000);
  const listener = (event) => {
    result.events.push([event.type, event.data, event.lastEventId, event instanceof MessageEvent]);
    if (event.type === 'custom') {
      source.close();
      clearTimeout(timer);
      result.readyState = source.readyState;
      console.log(JSON.stringify(result));
    }
  };
  source.addEventListener('message', listener);
  source.addEventListener('custom', listener);
}, (error) => { result.importError = String(error); console.log(JSON.stringify(result)); });
`;

before(async () => {
  rmSync(app, { recursive: true, force: true });
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  symlinkSync(join(root, 'pkg'), join(app, 'node_modules/eventsource-wasm'), 'dir');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'require-app', private: true }));
  // Imports by name need a module inside the app to resolve from.
  writeFileSync(join(app, 'imports.mjs'),
    "export * as main from 'eventsource-wasm';\nexport * as polyfill from 'eventsource-wasm/polyfill';\n");
  writeFileSync(join(app, 'child.cjs'), CHILD);
  requireFromApp = createRequire(join(app, 'app.cjs'));
  server = await startServer();
});
after(() => server.stop());

const expectedEvents = [['message', 'one', '7', true], ['custom', 'two', '7', true]];

function runChild(flags) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, join(app, 'child.cjs'), streamUrl(server.a, 'child')],
      { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      try { resolve(JSON.parse(out.trim().split('\n').pop())); } catch { reject(new Error(`exit ${code}: ${out}${err}`)); }
    });
  });
}

function checkChild(result, requireEsm) {
  assert.deepEqual(result, {
    requireEsm, hadGlobal: 'undefined', installed: true, polyfillSame: true,
    resolved: ['index.cjs', 'polyfill.cjs'], importSame: true, events: expectedEvents, readyState: 2,
  });
}

test('require() of both entries in this process: events arrive through the required class', async () => {
  const { EventSource } = requireFromApp('eventsource-wasm');
  assert.equal(typeof globalThis.EventSource, 'undefined');
  const polyfill = requireFromApp('eventsource-wasm/polyfill');
  assert.equal(polyfill.EventSource, EventSource);
  assert.equal(globalThis.EventSource, EventSource);
  delete globalThis.EventSource;
  assert.equal(requireFromApp.resolve('eventsource-wasm'), join(root, 'pkg/node/index.cjs'));
  const source = new EventSource(streamUrl(server.a, 'required'));
  assert.ok(source instanceof EventTarget);
  const events = await new Promise((resolve, reject) => {
    const log = [];
    const timer = setTimeout(() => { source.close(); reject(new Error(`timed out: ${JSON.stringify(log)}`)); }, 10000);
    const listener = (event) => {
      log.push([event.type, event.data, event.lastEventId, event instanceof MessageEvent]);
      if (event.type === 'custom') { clearTimeout(timer); source.close(); resolve(log); }
    };
    source.addEventListener('message', listener);
    source.addEventListener('custom', listener);
    source.addEventListener('error', () => { clearTimeout(timer); source.close(); reject(new Error('error event')); });
  });
  assert.deepEqual(events, expectedEvents);
});

test('import and require in one process give the same class (one engine)', async () => {
  const imported = await import(pathToFileURL(join(app, 'imports.mjs')).href);
  const required = requireFromApp('eventsource-wasm');
  assert.equal(typeof required.EventSource, 'function');
  assert.equal(imported.main.EventSource, required.EventSource);
  assert.equal(imported.polyfill.EventSource, required.EventSource);
  assert.equal(requireFromApp('eventsource-wasm/polyfill').EventSource, required.EventSource);
  // The ES module build is a different file with its own engine: the wrapper, not it, was loaded.
  const { EventSource: esmBuild } = await import(pathToFileURL(join(root, 'pkg/index.js')).href);
  assert.notEqual(esmBuild, required.EventSource);
  delete globalThis.EventSource;
});

test('a child with this Node\'s defaults requires, imports and receives events', async () => {
  // Node ≥ 20.19 can require an ES module; the CommonJS entry is taken all the same.
  checkChild(await runChild([]), 'loaded');
});

test('a child that cannot require ES modules (--no-experimental-require-module) still can', async () => {
  checkChild(await runChild(['--no-experimental-require-module']), 'ERR_REQUIRE_ESM');
});
