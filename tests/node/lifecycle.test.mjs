// The reconnectOnResume option in Node.js: Node has no page lifecycle signals, so the option adds
// nothing there; given a global object that dispatches them (as a browser's window does), the same
// code ends a long reconnection wait at once, resuming with Last-Event-ID, against the test server.
// tests/browser/lifecycle.mjs covers real browsers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sseUrl, uniqueKey } from '../support/server.mjs';
import { EventSource } from '../../pkg/index.js';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

/** Logs the source's events; `until(predicate)` resolves with the log once it holds (10 s at most). */
function watchLog(source) {
  const log = [];
  let waiting = null;
  const poke = () => { if (waiting && waiting.predicate(log)) { clearTimeout(waiting.timer); waiting.resolve(log.slice()); waiting = null; } };
  for (const type of ['open', 'message', 'error']) {
    source.addEventListener(type, (event) => {
      log.push(event.type === 'message' ? `${event.data}#${event.lastEventId}` : `${event.type}:${source.readyState}`);
      poke();
    });
  }
  const until = (predicate) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { waiting = null; reject(new Error(`timed out: ${JSON.stringify(log)}`)); }, 10000);
    waiting = { predicate, resolve, timer };
    poke();
  });
  return { log, until };
}

/** Gives the global object a window's addEventListener for the test's length; counts listeners. */
function windowLike() {
  const target = new EventTarget();
  const held = new Set();
  globalThis.addEventListener = (type, listener) => { held.add(`${type}`); target.addEventListener(type, listener); };
  globalThis.removeEventListener = (type, listener) => { held.delete(`${type}`); target.removeEventListener(type, listener); };
  return {
    held,
    dispatch: (type) => target.dispatchEvent(new Event(type)),
    restore: () => { delete globalThis.addEventListener; delete globalThis.removeEventListener; },
  };
}

const waiting = (key) => sseUrl(server.a, key, [
  'retry: 600000\nid: 1\ndata: one\n\n',
  { body: 'id: 2\ndata: two after {lei}\n\n', end: 'hold' },
]);

test('Node has no lifecycle signals: the option adds no listener and the wait goes on', async () => {
  assert.equal(typeof globalThis.addEventListener, 'undefined');
  const key = uniqueKey('node-lc-plain');
  const source = new EventSource(waiting(key), { reconnectOnResume: true });
  try {
    assert.deepEqual(await watchLog(source).until((log) => log.length === 3), ['open:1', 'one#1', 'error:0']);
    assert.equal((await server.log(key)).length, 1);
  } finally {
    source.close();
  }
});

test('an online signal ends a long reconnection wait at once, with Last-Event-ID; close() removes the listeners', async () => {
  const signals = windowLike();
  const key = uniqueKey('node-lc-online');
  const offKey = uniqueKey('node-lc-off');
  const off = new EventSource(waiting(offKey));
  const source = new EventSource(waiting(key), { reconnectOnResume: true });
  try {
    const offLog = watchLog(off);
    const watched = watchLog(source);
    await Promise.all([offLog.until((l) => l.length === 3), watched.until((l) => l.length === 3)]);
    assert.deepEqual([...signals.held].sort(), ['online', 'pageshow']);
    signals.dispatch('online');
    const log = await watched.until((l) => l.length === 5);
    assert.deepEqual(log, ['open:1', 'one#1', 'error:0', 'open:1', 'two after 1#2']);
    const requests = await server.log(key);
    assert.equal(requests.length, 2);
    assert.equal(requests[1].headers['last-event-id'], '1');
    // Without the option: still waiting, no second request.
    assert.deepEqual(offLog.log, ['open:1', 'one#1', 'error:0']);
    assert.equal((await server.log(offKey)).length, 1);
    source.close();
    assert.equal(signals.held.size, 0, 'close() removed every listener');
  } finally {
    source.close();
    off.close();
    signals.restore();
  }
});
