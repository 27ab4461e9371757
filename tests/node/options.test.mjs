// The options of the second argument, each against the real test server, which records what it
// received. Defaults are covered by eventsource.test.mjs: they keep native behaviour.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sseUrl, uniqueKey, utf8 } from '../support/server.mjs';
import { EventSource } from '../../pkg/index.js';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

/** Resolves with the log once `until(log)` holds, then closes; rejects after 10 s. */
function record(source, until) {
  return new Promise((resolve, reject) => {
    const log = [];
    const timer = setTimeout(() => { source.close(); reject(new Error(`timed out: ${JSON.stringify(log)}`)); }, 10000);
    const listener = (event) => {
      log.push(event.type === 'message' ? event.data : `${event.type}:${source.readyState}`);
      if (until(log)) {
        clearTimeout(timer);
        source.close();
        resolve(log);
      }
    };
    for (const type of ['open', 'message', 'error']) source.addEventListener(type, listener);
  });
}

test('headers are sent with every request; Accept can be overridden', async () => {
  const key = uniqueKey('headers');
  const url = sseUrl(server.a, key, ['retry: 5\nid: 1\ndata: a\n\n', { body: 'data: b\n\n', end: 'hold' }]);
  const source = new EventSource(url, { headers: { Authorization: 'Bearer t0ken', 'X-Client': 'wasm' } });
  await record(source, (log) => log.includes('b'));
  const requests = await server.log(key);
  assert.equal(requests.length, 2);
  for (const request of requests) {
    assert.equal(request.headers.authorization, 'Bearer t0ken');
    assert.equal(request.headers['x-client'], 'wasm');
    assert.equal(request.headers.accept, 'text/event-stream');
  }
  assert.equal(requests[1].headers['last-event-id'], '1');
  const key2 = uniqueKey('accept');
  const other = new EventSource(sseUrl(server.a, key2, [{ body: 'data: x\n\n', end: 'hold' }]), { headers: new Headers({ accept: 'text/event-stream, */*' }) });
  await record(other, (log) => log.includes('x'));
  assert.equal((await server.log(key2))[0].headers.accept, 'text/event-stream, */*');
});

test('method and body: a POST with a JSON body', async () => {
  const key = uniqueKey('post');
  const source = new EventSource(sseUrl(server.a, key, [{ body: 'data: {method} {body}\n\n', end: 'hold' }]), {
    method: 'POST', body: JSON.stringify({ query: 'prices' }), headers: { 'Content-Type': 'application/json' },
  });
  const log = await record(source, (entries) => entries.length === 2);
  assert.deepEqual(log, ['open:1', 'POST {"query":"prices"}']);
  assert.equal((await server.log(key))[0].headers['content-type'], 'application/json');
});

test('fetch: a custom fetch function makes the requests', async () => {
  const key = uniqueKey('fetch');
  const seen = [];
  const source = new EventSource(sseUrl(server.a, key, [{ body: 'data: via custom fetch\n\n', end: 'hold' }]), {
    fetch: (url, init) => { seen.push([String(url), init.method]); return fetch(url, init); },
  });
  const log = await record(source, (entries) => entries.length === 2);
  assert.deepEqual(log, ['open:1', 'via custom fetch']);
  assert.equal(seen.length, 1);
  assert.equal(seen[0][1], 'GET');
});

test('heartbeatTimeout: a silent connection is reestablished', async () => {
  const key = uniqueKey('heartbeat');
  // Attempt 0 sends one event and then nothing at all while holding the connection open.
  const url = sseUrl(server.a, key, [
    { body: 'retry: 5\nid: 9\ndata: then silence\n\n', end: 'hold' },
    { body: 'data: resumed after {lei}\n\n', end: 'hold' },
  ]);
  const source = new EventSource(url, { heartbeatTimeout: 300 });
  const log = await record(source, (entries) => entries.includes('resumed after 9'));
  assert.deepEqual(log, ['open:1', 'then silence', 'error:0', 'open:1', 'resumed after 9']);
  assert.equal((await server.log(key)).length, 2);
});

test('heartbeatTimeout: comments keep a quiet stream alive', async () => {
  const key = uniqueKey('keepalive');
  // Eight comments 100 ms apart, then an event: 900 ms in all, each gap well under the timeout.
  const writes = [...Array(8).fill(': ping\n'), 'data: done\n\n'];
  const source = new EventSource(sseUrl(server.a, key, [{ writes, delay: 100, end: 'hold' }]), { heartbeatTimeout: 400 });
  const log = await record(source, (entries) => entries.includes('done'));
  assert.deepEqual(log, ['open:1', 'done'], 'no reconnection while comments arrive');
  assert.equal((await server.log(key)).length, 1);
});

test('maxRetries: network failures stop after the limit', async () => {
  // Nothing listens on port 1: every request fails before any response.
  const source = new EventSource('http://127.0.0.1:1/closed', { maxRetries: 2, backoffFactor: 2, maxReconnectDelay: 10, reconnectJitter: 0.5 });
  const log = await record(source, (entries) => entries[entries.length - 1] === 'error:2');
  assert.deepEqual(log, ['error:0', 'error:0', 'error:2']);
});

test('maxRetries: failures before any open stop after the limit', async () => {
  const key = uniqueKey('refused');
  // Every attempt answers 503, retried only with reconnectOnError; maxRetries bounds it.
  const url = sseUrl(server.a, key, Array.from({ length: 6 }, () => ({ status: 503 })));
  const source = new EventSource(url, { reconnectOnError: true, maxRetries: 3, maxReconnectDelay: 20 });
  const log = await record(source, (entries) => entries[entries.length - 1] === 'error:2');
  assert.deepEqual(log, ['error:0', 'error:0', 'error:0', 'error:2']);
  assert.equal((await server.log(key)).length, 4);
});

test('reconnectOnError: 503 with Retry-After, then the stream', async () => {
  const key = uniqueKey('retry-after');
  const url = sseUrl(server.a, key, [{ status: 503, headers: ['Retry-After:0'] }, { body: 'data: recovered\n\n', end: 'hold' }]);
  const source = new EventSource(url, { reconnectOnError: true, maxReconnectDelay: 20 });
  const log = await record(source, (entries) => entries.includes('recovered'));
  assert.deepEqual(log, ['error:0', 'open:1', 'recovered']);
  // Without the option a 503 fails the connection, as native does.
  const key2 = uniqueKey('no-retry');
  const plain = new EventSource(sseUrl(server.a, key2, [{ status: 503 }]));
  assert.deepEqual(await record(plain, (entries) => entries.length === 1), ['error:2']);
});

test('lastEventIdQueryParameter: the last event ID also goes in the query', async () => {
  const key = uniqueKey('query');
  const url = sseUrl(server.a, key, [utf8('retry: 5\nid: 7 é\ndata: a\n\n'), 'id: 8\ndata: b\n\n', { body: 'data: c\n\n', end: 'hold' }]);
  const source = new EventSource(url, { lastEventIdQueryParameter: 'lastId' });
  await record(source, (log) => log.includes('c'));
  const targets = (await server.log(key)).map((request) => new URL(request.target, server.a).searchParams.get('lastId'));
  assert.deepEqual(targets, [null, '7 é', '8']);
});

test('maxEventSize: a bigger event fails the connection', async () => {
  const key = uniqueKey('max-size');
  const source = new EventSource(sseUrl(server.a, key, ['data: small\n\ndata: {fill:5000}\n\n']), { maxEventSize: 1024 });
  const log = await record(source, (entries) => entries[entries.length - 1] === 'error:2');
  assert.deepEqual(log, ['open:1', 'small', 'error:2']);
});

test('wrong option values are TypeErrors naming the option', () => {
  for (const [name, value] of [['heartbeatTimeout', -1], ['backoffFactor', 0.5], ['reconnectJitter', 2], ['fetch', 'no'], ['headers', 'x'], ['maxEventSize', 0]]) {
    assert.throws(() => new EventSource(`${server.a}/sse`, { [name]: value }), (error) => error instanceof TypeError && error.message.includes(name), name);
  }
});

test('options that make every request impossible are TypeErrors naming the option', () => {
  const url = `${server.a}/sse`;
  const cases = [
    ['headers', { headers: { 'bad name': 'x' } }],
    ['headers', { headers: { '': 'x' } }],
    ['headers', { headers: { 'X-A': 'a\r\nB: c' } }],
    ['headers', { headers: { 'X-A': 'a\0b' } }],
    ['headers', { headers: { 'X-A': 'snow \u2603' } }],
    ['headers', { headers: new Map([['bad name', 'x']]) }],
    ['headers', { headers: [['X-A', 'a']] }],
    ['method', { method: 'CONNECT' }],
    ['method', { method: 'trace' }],
    ['method', { method: 'Track' }],
    ['method', { method: 'GE T' }],
    ['method', { method: '' }],
    ['body', { method: 'GET', body: 'x' }],
    ['body', { method: 'head', body: 'x' }],
    ['body', { body: '' }],
    ['heartbeatTimeout', { heartbeatTimeout: 0 }],
  ];
  for (const [name, init] of cases) {
    assert.throws(() => new EventSource(url, init),
      (error) => error instanceof TypeError && error.message.includes(`'${name}'`), `${name}: ${JSON.stringify([...Object.entries(init)])}`);
  }
});

test('header values are normalized and methods upper-cased as fetch does', async () => {
  const key = uniqueKey('normalized');
  const source = new EventSource(sseUrl(server.a, key, ['data: {method}\n\n'], '&e0=hold'), {
    method: 'post', body: 'x', headers: { 'X-Padded': ' \t value \r\n', 'X-Latin1': 'caf\u00e9' },
  });
  const log = await record(source, (entries) => entries.length === 2);
  assert.deepEqual(log, ['open:1', 'POST']);
  const [request] = await server.log(key);
  assert.equal(request.headers['x-padded'], 'value');
  assert.equal(request.method, 'POST');
});

test('shared: without Web Locks (Node.js) each source connects alone, as without the option', async () => {
  assert.equal(globalThis.navigator?.locks, undefined);
  const key = uniqueKey('shared-node');
  const url = sseUrl(server.a, key, [{ body: 'id: 1\ndata: one\n\n', end: 'hold' }, { body: 'id: 1\ndata: one\n\n', end: 'hold' }]);
  const logs = await Promise.all([true, 'group'].map((shared) => record(new EventSource(url, { shared }), (log) => log.includes('one'))));
  assert.deepEqual(logs, [['open:1', 'one'], ['open:1', 'one']]);
  assert.equal((await server.log(key)).length, 2);
});
