// eventsource-wasm in Node.js (global fetch and web streams, no native EventSource): the npm
// package's class and its polyfill entry against the real test server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sseUrl, uniqueKey } from '../support/server.mjs';
import { EventSource } from '../../pkg/index.js';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

/** Collects events until `until(log)` says stop; closes the source then. */
function record(source, types, until) {
  return new Promise((resolve, reject) => {
    const log = [];
    const timer = setTimeout(() => { source.close(); reject(new Error(`timed out: ${JSON.stringify(log)}`)); }, 10000);
    const listener = (event) => {
      log.push(event.type === 'open' || event.type === 'error'
        ? [event.type, source.readyState]
        : [event.type, event.data, event.lastEventId, event.origin, source.readyState]);
      if (until(log, event)) {
        clearTimeout(timer);
        source.close();
        resolve(log);
      }
    };
    for (const type of ['open', 'message', 'error', ...types]) source.addEventListener(type, listener);
  });
}

test('Node has no native EventSource; the polyfill entry installs ours', async () => {
  assert.equal(typeof globalThis.EventSource, 'undefined');
  const { EventSource: installed } = await import('../../pkg/polyfill.js');
  assert.equal(globalThis.EventSource, installed);
  assert.equal(installed, EventSource);
  delete globalThis.EventSource;
});

test('the object has the native shape', () => {
  const source = new EventSource(sseUrl(server.a, uniqueKey('shape'), [{ status: 204 }]));
  assert.ok(source instanceof EventTarget);
  assert.equal(Object.prototype.toString.call(source), '[object EventSource]');
  assert.equal(EventSource.CONNECTING, 0);
  assert.equal(source.CLOSED, 2);
  assert.equal(source.readyState, EventSource.CONNECTING);
  assert.equal(source.onmessage, null);
  assert.equal(source.withCredentials, false);
  source.close();
  assert.equal(source.readyState, EventSource.CLOSED);
});

test('without a base URL a relative URL is a SyntaxError', () => {
  assert.throws(() => new EventSource('/relative'), (error) => error.name === 'SyntaxError');
});

test('events, types, ids and origin arrive as MessageEvents', async () => {
  const key = uniqueKey('events');
  const body = 'id: 1\ndata: one\n\nevent: custom\ndata: two\ndata: lines\n\n: comment\nid: 3\ndata: three\n\n';
  const source = new EventSource(sseUrl(server.a, key, [{ body, end: 'hold' }]));
  const log = await record(source, ['custom'], (entries) => entries.length === 4);
  assert.deepEqual(log, [
    ['open', 1],
    ['message', 'one', '1', server.a, 1],
    ['custom', 'two\nlines', '1', server.a, 1],
    ['message', 'three', '3', server.a, 1],
  ]);
});

test('a dropped stream reconnects with Last-Event-ID and resumes', async () => {
  const key = uniqueKey('reconnect');
  const source = new EventSource(sseUrl(server.a, key, [
    'retry: 10\nid: 41\ndata: first\n\nid: 42\ndata: incomplete',
    { body: 'data: resumed after {lei}\n\n', end: 'hold' },
  ]));
  const log = await record(source, [], (entries) => entries.length === 5);
  assert.deepEqual(log, [
    ['open', 1],
    ['message', 'first', '41', server.a, 1],
    ['error', 0],
    ['open', 1],
    ['message', 'resumed after 41', '41', server.a, 1],
  ]);
  const requests = await server.log(key);
  assert.equal(requests.length, 2);
  assert.equal(requests[0].headers['last-event-id'], undefined);
  assert.equal(requests[1].headers['last-event-id'], '41');
  assert.equal(requests[1].headers.accept, 'text/event-stream');
});

test('a wrong content type fails the connection without reconnecting', async () => {
  const key = uniqueKey('content-type');
  const source = new EventSource(sseUrl(server.a, key, [{ body: 'data: never\n\n', type: 'text/plain' }]));
  const log = await record(source, [], (entries) => entries.length === 1);
  assert.deepEqual(log, [['error', 2]]);
  assert.equal((await server.log(key)).length, 1);
});

test('close() stops the stream: no event and no request afterwards', async () => {
  const key = uniqueKey('close');
  const source = new EventSource(sseUrl(server.a, key, [{ body: 'retry: 5\ndata: a\n\ndata: b\n\n', end: 'close' }]));
  const log = await record(source, [], (entries) => entries.length === 2);
  assert.deepEqual(log.map((entry) => entry[0]), ['open', 'message']);
  // A reconnection would come after 5 ms; give it many times that, then check the server saw one.
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal((await server.log(key)).length, 1);
  assert.equal(source.readyState, 2);
});

test('a data value that begins with U+FEFF keeps it, also first in a chunk', async () => {
  // Only the stream's first BOM is removed (spec: UTF-8 decode); one inside a value is data.
  const key = uniqueKey('inner-bom');
  const url = sseUrl(server.a, key, ['\uFEFFdata: \uFEFFa\n\ndata: \uFEFFb\n\n'], '&e0=hold&c0=16');
  const log = await record(new EventSource(url), [], (entries) => entries.length === 3);
  assert.deepEqual(log.slice(1).map((entry) => entry[1]), ['\uFEFFa', '\uFEFFb']);
});
