// The first request goes out while the engine still compiles (the first sources of a process or
// page), and the engine takes it over: one request per source, every event once, and close() at
// any moment of that leaves no request behind. A fresh process (node --test runs each file in its
// own), so these sources are the first: the engine is not ready when they are made.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sseUrl, uniqueKey } from '../support/server.mjs';
import { EventSource } from '../../pkg/index.js';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

/** Resolves with the source's log once `done(log)` holds (10 s at most). */
function record(source, done) {
  return new Promise((resolve, reject) => {
    const log = [];
    const timer = setTimeout(() => reject(new Error(`timed out: ${JSON.stringify(log)}`)), 10000);
    const keep = (event) => {
      log.push(event.type === 'message' ? `${event.data}#${event.lastEventId}` : `${event.type}:${source.readyState}`);
      if (done(log)) { clearTimeout(timer); resolve(log); }
    };
    for (const type of ['open', 'message', 'error']) source.addEventListener(type, keep);
  });
}

test('sources made before the engine is ready: one request each, taken over by the engine', async () => {
  const keys = [uniqueKey('early-a'), uniqueKey('early-b'), uniqueKey('early-closed')];
  const url = (key) => sseUrl(server.a, key, ['retry: 10\nid: 1\ndata: one\n\n', { body: 'data: two after {lei}\n\n', end: 'hold' }]);
  const [a, b] = keys.slice(0, 2).map((key) => new EventSource(url(key)));
  const closed = new EventSource(sseUrl(server.a, keys[2], [{ body: 'data: held\n\n', end: 'hold' }]));
  // The early request of this one has gone out (a turn after the constructor): close() aborts it.
  await Promise.resolve();
  await Promise.resolve();
  closed.close();
  const want = ['open:1', 'one#1', 'error:0', 'open:1', 'two after 1#1'];
  const logs = await Promise.all([a, b].map((source) => record(source, (log) => log.length === want.length)));
  assert.deepEqual(logs, [want, want]);
  a.close();
  b.close();
  for (const key of keys.slice(0, 2)) {
    const requests = await server.log(key);
    assert.deepEqual(requests.map((r) => r.headers['last-event-id'] ?? ''), ['', '1'], key);
  }
  assert.equal(closed.readyState, 2);
  // The closed source's request, if it reached the server (which holds it open), is gone: nothing
  // in flight, no second request.
  const open = async () => (await (await fetch(`${server.a}/in-flight?key=${keys[2]}`)).json()).open;
  const deadline = Date.now() + 5000;
  while ((await open()) !== 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(await open(), 0);
  assert.ok((await server.log(keys[2])).length <= 1);
});
