// Error events that say why (reason, status, headers, willReconnect, reconnectDelay, cause),
// requests that can never succeed, headers per request and the page's reconnection decision,
// against the real test server, which records what it received.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sseUrl, uniqueKey } from '../support/server.mjs';
import { EventSource } from '../../pkg/index.js';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

/** The error details as plain data (headers: the Retry-After / X-Why values, for comparing). */
function details(event) {
  return {
    reason: event.reason, status: event.status, willReconnect: event.willReconnect,
    reconnectDelay: event.reconnectDelay, headers: event.headers === null ? null : 'Headers',
  };
}

/** Records events until `until(log)` holds, then closes; rejects after 10 s. Errors are logged
 * as their details with the readyState at dispatch. */
function record(source, until) {
  return new Promise((resolve, reject) => {
    const log = [];
    const timer = setTimeout(() => { source.close(); reject(new Error(`timed out: ${JSON.stringify(log)}`)); }, 10000);
    const listener = (event) => {
      log.push(event.type === 'error' ? { ...details(event), state: source.readyState, event }
        : event.type === 'message' ? event.data : `${event.type}:${source.readyState}`);
      if (until(log)) {
        clearTimeout(timer);
        source.close();
        resolve(log);
      }
    };
    for (const type of ['open', 'message', 'error']) source.addEventListener(type, listener);
  });
}

const errors = (log) => log.filter((entry) => typeof entry === 'object');

/** Waits for a condition (polled every 10 ms), failing after 5 s. */
async function until(condition, what) {
  const end = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('every error says why, with the status, the response headers and what follows', async () => {
  // The body ends: 'ended', status 200, reconnecting after the retry time.
  const key = uniqueKey('why');
  const url = sseUrl(server.a, key, ['retry: 20\ndata: a\n\n', { status: 404, headers: ['X-Why:gone'] }]);
  const log = await record(new EventSource(url), (entries) => errors(entries).length === 2);
  const [ended, missing] = errors(log);
  assert.deepEqual({ ...ended, event: undefined },
    { reason: 'ended', status: 200, willReconnect: true, reconnectDelay: 20, headers: 'Headers', state: 0, event: undefined });
  assert.ok(ended.event instanceof Event && ended.event.type === 'error');
  assert.equal(ended.event.cause, null);
  assert.deepEqual({ ...missing, event: undefined },
    { reason: 'status', status: 404, willReconnect: false, reconnectDelay: null, headers: 'Headers', state: 2, event: undefined });
  assert.equal(missing.event.headers.get('x-why'), 'gone');
  // A 200 of another type.
  const typed = await record(new EventSource(sseUrl(server.a, uniqueKey('type'), [{ body: 'x', type: 'text/plain' }])),
    (entries) => errors(entries).length === 1);
  assert.equal(errors(typed)[0].reason, 'content-type');
  assert.equal(errors(typed)[0].status, 200);
  // A network error before any response: no status, no headers.
  const refused = await record(new EventSource('http://127.0.0.1:9/', { maxRetries: 0 }), (entries) => errors(entries).length === 1);
  assert.deepEqual({ ...errors(refused)[0], event: undefined },
    { reason: 'retries-exhausted', status: 0, willReconnect: false, reconnectDelay: null, headers: null, state: 2, event: undefined });
  // The size bound.
  const big = await record(new EventSource(sseUrl(server.a, uniqueKey('big'), [{ body: 'data: 0123456789\n\n', end: 'hold' }]), { maxEventSize: 4 }),
    (entries) => errors(entries).length === 1);
  assert.equal(errors(big)[0].reason, 'too-large');
  // The heartbeat watchdog.
  const quiet = await record(new EventSource(sseUrl(server.a, uniqueKey('quiet'), [{ body: 'retry: 10\n\n', end: 'hold' }]), { heartbeatTimeout: 50 }),
    (entries) => errors(entries).length === 1);
  assert.deepEqual([errors(quiet)[0].reason, errors(quiet)[0].willReconnect, errors(quiet)[0].reconnectDelay], ['heartbeat', true, 10]);
});

for (const [name, url] of [
  ['credentials in the URL', (origin) => origin.replace('http://', 'http://user:secret@') + '/sse?key=never'],
  ['ftp:', () => 'ftp://127.0.0.1/x'],
  ['ws:', () => 'ws://127.0.0.1/x'],
  ['file:', () => 'file:///etc/hostname'],
  ['about:', () => 'about:blank'],
  ['javascript:', () => 'javascript:void 0'],
]) {
  test(`a request that can never succeed fails at once: ${name}`, async () => {
    const seen = [];
    const source = new EventSource(url(server.a), { fetch: (...args) => { seen.push(args); return fetch(...args); } });
    assert.equal(source.readyState, 0, 'the constructor does not throw');
    const log = await record(source, (entries) => errors(entries).length === 1);
    assert.deepEqual({ ...log[0], event: undefined },
      { reason: 'request', status: 0, willReconnect: false, reconnectDelay: null, headers: null, state: 2, event: undefined });
    assert.equal(log.length, 1);
    // No request, and none later: nothing is left behind.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(seen, []);
  });
}

test('data: URLs still work as fetch allows', async () => {
  const source = new EventSource('data:text/event-stream,data:%20hi%0A%0A');
  const log = await record(source, (entries) => entries.includes('hi'));
  assert.deepEqual(log, ['open:1', 'hi']);
});

test('a custom fetch that throws at once fails the connection with the error as cause', async () => {
  const thrown = new TypeError('no fetch here');
  let calls = 0;
  const source = new EventSource(sseUrl(server.a, uniqueKey('throws'), ['data: a\n\n']), { fetch: () => { calls++; throw thrown; } });
  const log = await record(source, (entries) => errors(entries).length === 1);
  assert.equal(log[0].reason, 'request');
  assert.equal(log[0].state, 2);
  assert.equal(log[0].event.cause, thrown);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(calls, 1);
});

test('headers as a function: called before every request with the last event ID, attempt and failure', async () => {
  const key = uniqueKey('hfn');
  const url = sseUrl(server.a, key, ['retry: 5\nid: 1\ndata: a\n\n', { status: 503 }, { body: 'data: b {lei}\n\n', end: 'hold' }]);
  const calls = [];
  let token = 0;
  const source = new EventSource(url, {
    reconnectOnError: true,
    headers: async (info) => {
      calls.push({ lastEventId: info.lastEventId, attempt: info.attempt, failure: info.failure && info.failure.reason });
      return new Headers({ Authorization: `Bearer ${token++}` });
    },
  });
  const log = await record(source, (entries) => entries.includes('b 1'));
  assert.deepEqual(calls, [
    { lastEventId: '', attempt: 0, failure: null },
    { lastEventId: '1', attempt: 1, failure: 'ended' },
    { lastEventId: '1', attempt: 2, failure: 'status' },
  ]);
  assert.deepEqual((await server.log(key)).map((request) => request.headers.authorization), ['Bearer 0', 'Bearer 1', 'Bearer 2']);
  assert.equal(errors(log).length, 2);
});

test('headers function failures: a TypeError fails, another error retries, both with cause', async () => {
  const refused = new TypeError('bad header');
  const fatal = await record(new EventSource(sseUrl(server.a, uniqueKey('hte'), ['data: a\n\n']), { headers: () => { throw refused; } }),
    (entries) => errors(entries).length === 1);
  assert.deepEqual([fatal[0].reason, fatal[0].state, fatal[0].willReconnect, fatal[0].event.cause], ['headers', 2, false, refused]);
  // A value that is no header list is a TypeError too.
  const wrong = await record(new EventSource(sseUrl(server.a, uniqueKey('hbad'), ['data: a\n\n']), { headers: () => ({ 'Bad Name': 'x' }) }),
    (entries) => errors(entries).length === 1);
  assert.deepEqual([wrong[0].reason, wrong[0].state], ['headers', 2]);
  assert.ok(wrong[0].event.cause instanceof TypeError);
  // A transient failure (a token refresh that failed once) takes the normal reconnection path.
  const key = uniqueKey('hretry');
  let n = 0;
  const transient = new Error('token service down');
  const source = new EventSource(sseUrl(server.a, key, [{ body: 'retry: 5\ndata: ok\n\n', end: 'hold' }]), {
    headers: () => (n++ === 0 ? Promise.reject(transient) : { 'X-Try': String(n) }),
  });
  const logged = record(source, (entries) => entries.includes('ok'));
  await until(() => source.readyState === 0 && n === 1, 'the first call');
  const log = await logged;
  assert.deepEqual([log[0].reason, log[0].state, log[0].willReconnect, log[0].event.cause], ['headers', 0, true, transient]);
  const requests = await server.log(key);
  assert.deepEqual(requests.map((request) => request.headers['x-try']), ['2']);
});

test('a headers promise that never settles is bounded by heartbeatTimeout; close() leaves nothing', async () => {
  let calls = 0;
  const source = new EventSource(sseUrl(server.a, uniqueKey('hang'), ['data: a\n\n']), {
    heartbeatTimeout: 60, maxRetries: 0, headers: () => { calls++; return new Promise(() => {}); },
  });
  const log = await record(source, (entries) => errors(entries).length === 1);
  assert.deepEqual([log[0].reason, log[0].state], ['retries-exhausted', 2]);
  assert.equal(calls, 1);
  // close() while the promise is pending: the late result is ignored, no request is made.
  const key = uniqueKey('late');
  let resolve;
  const late = new EventSource(sseUrl(server.a, key, ['data: a\n\n']), { headers: () => new Promise((r) => { resolve = r; }) });
  await until(() => resolve, 'the headers call');
  late.close();
  resolve({ 'X-Late': '1' });
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(await server.log(key), []);
});

test('reconnect: a 401 answered by a token refresh resumes the same object with nothing lost or repeated', async () => {
  const key = uniqueKey('refresh');
  const url = sseUrl(server.a, key, [
    'retry: 5\nid: 1\ndata: one\n\n',
    { status: 401 },
    { body: 'id: 2\ndata: two after {lei}\n\n', end: 'hold' },
  ]);
  const decisions = [];
  const source = new EventSource(url, {
    headers: { Authorization: 'Bearer old' },
    reconnect: async (error) => {
      decisions.push([error.reason, error.status, error.willReconnect]);
      if (error.status === 401) return { delay: 0, headers: { Authorization: 'Bearer new' } };
      return true;
    },
  });
  const log = await record(source, (entries) => entries.includes('two after 1'));
  assert.deepEqual(log.filter((entry) => typeof entry === 'string'), ['open:1', 'one', 'open:1', 'two after 1']);
  assert.deepEqual(decisions, [['ended', 200, true], ['status', 401, false]]);
  const [ended, unauthorized] = errors(log);
  assert.deepEqual([ended.willReconnect, ended.reconnectDelay, ended.state], [true, 5, 0]);
  assert.deepEqual([unauthorized.reason, unauthorized.status, unauthorized.willReconnect, unauthorized.reconnectDelay, unauthorized.state],
    ['status', 401, true, 0, 0]);
  const requests = await server.log(key);
  assert.deepEqual(requests.map((request) => [request.headers.authorization, request.headers['last-event-id']]),
    [['Bearer old', undefined], ['Bearer old', '1'], ['Bearer new', '1']]);
});

test('reconnect: 403 stops; 503 honours Retry-After; a number is the delay', async () => {
  const decide = (error) => {
    if (error.status === 403) return false;
    if (error.status === 503) return Number(error.headers.get('retry-after')) * 1000;
    return undefined;
  };
  const forbidden = await record(new EventSource(sseUrl(server.a, uniqueKey('403'), [{ status: 403 }]), { reconnect: decide }),
    (entries) => errors(entries).length === 1);
  assert.deepEqual([forbidden[0].status, forbidden[0].willReconnect, forbidden[0].state], [403, false, 2]);
  const key = uniqueKey('503');
  const started = Date.now();
  const unavailable = await record(new EventSource(sseUrl(server.a, key, [{ status: 503, headers: ['Retry-After:1'] }, { body: 'data: back\n\n', end: 'hold' }]), { reconnect: decide }),
    (entries) => entries.includes('back'));
  assert.deepEqual([unavailable[0].status, unavailable[0].willReconnect, unavailable[0].reconnectDelay, unavailable[0].state], [503, true, 1000, 0]);
  assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
  // Without the option a 503 fails, as native does (the default is the spec's behaviour).
  const plain = await record(new EventSource(sseUrl(server.a, uniqueKey('503plain'), [{ status: 503 }])), (entries) => errors(entries).length === 1);
  assert.deepEqual([plain[0].willReconnect, plain[0].state], [false, 2]);
});

test('reconnect: close() while a decision is pending leaves nothing; the late decision is ignored', async () => {
  const key = uniqueKey('pending');
  let answer;
  const source = new EventSource(sseUrl(server.a, key, ['data: a\n\n', 'data: b\n\n']), { reconnect: () => new Promise((r) => { answer = r; }) });
  const seen = [];
  source.onerror = (event) => seen.push(event);
  await until(() => answer, 'the decision to be asked');
  assert.equal(source.readyState, 0);
  assert.deepEqual(seen, [], 'the error waits for the decision');
  source.close();
  answer(0);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(source.readyState, 2);
  assert.deepEqual(seen, []);
  assert.equal((await server.log(key)).length, 1);
});

test('wrong reconnect and headers values are TypeErrors naming the option', () => {
  assert.throws(() => new EventSource('http://127.0.0.1/', { reconnect: 5 }), /reconnect/);
  assert.throws(() => new EventSource('http://127.0.0.1/', { headers: 'x' }), /headers/);
});
