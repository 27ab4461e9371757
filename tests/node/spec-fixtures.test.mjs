// The spec cases of tests/fixtures/spec-cases.json (the same file `cargo test --test engine_spec`
// runs natively) through the built npm package: the ABI, the op interpreter and text decoding,
// in Node with no server and no browser. Each case is one test named like its Rust twin
// (`parsing::<name>`, `response::<name>`, `max_event_size::<name>`).
//
// The source's `fetch` option is a stand-in that answers each connection attempt with an in-memory
// `Response` whose body yields exactly the case's chunks (as given, whole, or byte by byte); an
// attempt past the case's bodies gets a 204, which fails the connection and ends the run. The
// reconnection timer is a stand-in clock too: the test sees each delay the source asks for and
// fires the timer itself, so a case with `retry: 3000` takes no time and no case sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EventSource } from '../../pkg/index.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/spec-cases.json', import.meta.url), 'utf8'));
const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;
/** The ABI clamps a delay to what setTimeout accepts (src/abi.rs, MAX_TIMER_MS). */
const MAX_TIMER_MS = 0x7FFFFFFF;
const realSetTimeout = setTimeout;
const realClearTimeout = clearTimeout;

/** A fixture byte string (tests/engine_spec.rs): characters are their UTF-8 bytes, `\xNN` one byte, `\\` a backslash. */
function bytes(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') {
      const code = text.codePointAt(i);
      if (code > 0xFFFF) i++;
      out.push(...Buffer.from(String.fromCodePoint(code), 'utf8'));
    } else if (text[i + 1] === '\\') {
      out.push(0x5C);
      i++;
    } else if (text[i + 1] === 'x' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 2, i + 4))) {
      out.push(Number.parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      throw new Error(`fixtures: unknown escape in ${JSON.stringify(text)}`);
    }
  }
  return Uint8Array.from(out);
}

/** What fetch gives a script for a header's bytes: a byte string, one char per byte. */
const byteString = (array) => Buffer.from(array).toString('latin1');

const FEEDINGS = {
  'as given': (chunks) => chunks,
  whole: (chunks) => [Uint8Array.from(chunks.flatMap((chunk) => [...chunk]))],
  'byte by byte': (chunks) => chunks.flatMap((chunk) => [...chunk]).map((byte) => Uint8Array.of(byte)),
};

/** A body yielding exactly `chunks` (empty ones included), one per read; `reads()` counts the reads. */
function body(chunks) {
  let next = 0;
  let pulls = 0;
  const stream = new ReadableStream({
    pull(controller) {
      pulls++;
      if (next < chunks.length) controller.enqueue(chunks[next++]);
      else controller.close();
    },
  }, { highWaterMark: 0 });
  return { stream, reads: () => pulls };
}

/**
 * A response head as fetch hands it over. `new Response` cannot make every head a network can
 * deliver: status 0 is out of its range, null-body statuses take no body, and `Headers` refuses
 * a NUL and trims HTTP whitespace. Where the fixture needs that, the instance's `status` or
 * `headers` is replaced with the exact value.
 */
function response(status, contentType, stream) {
  const nullBody = [101, 103, 204, 205, 304].includes(status);
  const inRange = status >= 200 && status <= 599;
  const headers = new Headers();
  let exact = contentType === null;
  if (!exact) {
    try {
      headers.set('content-type', contentType);
      exact = headers.get('content-type') === contentType;
    } catch { /* a NUL: not representable */ }
  }
  const result = new Response(nullBody ? null : stream, { status: inRange ? status : 200, headers: exact ? headers : {} });
  if (!inRange) Object.defineProperty(result, 'status', { value: status });
  if (!exact) {
    Object.defineProperty(result, 'headers', {
      value: { get: (name) => (name.toLowerCase() === 'content-type' ? contentType : null) },
    });
  }
  return result;
}

/**
 * One source under test: `respond(attempt, request)` makes the Response of each fetch. Records
 * every dispatched event with the readyState at that moment, every request, and the timers the
 * source arms (on a stand-in clock). `until(condition)` waits for a condition, checked after
 * everything the source does, and fails after 5 s of real time.
 */
async function withSource(url, options, respond, run) {
  const timers = new Map();
  let nextTimer = 1;
  const waiters = new Set();
  const changed = () => { for (const waiter of [...waiters]) waiter(); };
  const requests = [];
  const log = [];
  // Each error event's details: [reason, status, willReconnect, reconnectDelay].
  const reasons = [];
  globalThis.setTimeout = (callback, delay) => {
    const id = nextTimer++;
    timers.set(id, { callback, delay });
    changed();
    return id;
  };
  globalThis.clearTimeout = (id) => { timers.delete(id); changed(); };
  const fetch = (requestUrl, init) => {
    const request = { url: requestUrl, headers: { ...init.headers } };
    requests.push(request);
    changed();
    return Promise.resolve(respond(requests.length - 1, request));
  };
  const source = new EventSource(url, { ...options, fetch });
  const dispatch = source.dispatchEvent.bind(source);
  source.dispatchEvent = (event) => {
    // A MessageEvent may be named `error` or `open` too (`event: error`): it has data.
    log.push('data' in event
      ? [event.type, event.data, event.lastEventId, source.readyState]
      : [event.type, source.readyState]);
    if (event.type === 'error' && !('data' in event)) {
      reasons.push([event.reason, event.status, event.willReconnect, event.reconnectDelay]);
    }
    changed();
    return dispatch(event);
  };
  const until = (condition, what) => new Promise((resolve, reject) => {
    const check = () => {
      if (!condition()) return;
      waiters.delete(check);
      realClearTimeout(guard);
      resolve();
    };
    const guard = realSetTimeout(() => {
      waiters.delete(check);
      reject(new Error(`waited 5 s for ${what}; events: ${JSON.stringify(log)}; requests: ${requests.length}`));
    }, 5000);
    waiters.add(check);
    check();
  });
  /** Runs the one armed timer (the reconnection), asserting it is the only one; returns its delay. */
  const fireTimer = () => {
    assert.equal(timers.size, 1, 'one timer armed');
    const [[id, { callback, delay }]] = timers;
    timers.delete(id);
    callback();
    return delay;
  };
  try {
    assert.equal(source.readyState, CONNECTING, 'CONNECTING after the constructor');
    await run({ source, log, requests, timers, until, fireTimer, reasons });
  } finally {
    source.close();
    globalThis.setTimeout = realSetTimeout;
    globalThis.clearTimeout = realClearTimeout;
  }
}

/** The simple events (open, error) and the MessageEvents of a log. */
const simple = (entry) => entry.length === 2;
const errors = (log) => log.filter((entry) => simple(entry) && entry[0] === 'error');
const lastEventIdHeader = (request) => request.headers['Last-Event-ID'];
const eventStream = (chunks) => response(200, 'text/event-stream', body(chunks).stream);

// --- parsing: bodies over successive connections, then a 204 ---
for (const fixture of fixtures.parsing) {
  const bodies = fixture.bodies.map((chunks) => chunks.map(bytes));
  const expected = fixture.events.map(([type, data, id]) => [type, data, id, OPEN]);
  const lastEventId = fixture.lastEventId ?? '';
  const reconnectionTime = Math.min(fixture.reconnectionTime ?? fixtures.defaultReconnectionTime, MAX_TIMER_MS);
  test(`parsing::${fixture.name}`, async () => {
    for (const [feeding, rechunk] of Object.entries(FEEDINGS)) {
      const respond = (attempt) => (attempt < bodies.length ? eventStream(rechunk(bodies[attempt])) : response(204, null, null));
      await withSource(`http://fixture.test/${fixture.name}`, {}, respond, async ({ log, requests, timers, until, fireTimer, reasons }) => {
        const message = `${fixture.rule} (${feeding})`;
        let delay;
        for (let n = 1; n <= bodies.length; n++) {
          // The body ends: "reestablish the connection" (CONNECTING, error), then the timer.
          await until(() => errors(log).length === n && timers.size === 1, `the end of body ${n}`);
          delay = fireTimer();
        }
        await until(() => errors(log).length === bodies.length + 1, 'the 204 to fail the connection');
        const skeleton = log.filter(simple);
        assert.deepEqual(skeleton, [...bodies.flatMap(() => [['open', OPEN], ['error', CONNECTING]]), ['error', CLOSED]], message);
        assert.deepEqual(log.filter((entry) => !simple(entry)), expected, message);
        assert.equal(delay, reconnectionTime, `${message}: the reconnection time`);
        // Each body's end is 'ended' (after its 200), reconnecting; the 204 is 'status', failing.
        assert.deepEqual(reasons.at(-1), ['status', 204, false, null], `${message}: the last error's details`);
        assert.ok(reasons.slice(0, -1).every(([reason, status, again]) => reason === 'ended' && status === 200 && again), message);
        assert.equal(requests.length, bodies.length + 1, message);
        assert.equal(lastEventIdHeader(requests[0]), undefined, `${message}: the first request`);
        const sent = lastEventId === '' ? undefined : byteString(Buffer.from(lastEventId, 'utf8'));
        assert.equal(lastEventIdHeader(requests[bodies.length]), sent, `${message}: Last-Event-ID`);
        assert.equal(timers.size, 0, `${message}: no timer after failing`);
      });
    }
  });
}

// --- response heads: on the first connection and on a reconnection ---
for (const fixture of fixtures.responses) {
  const contentType = fixture.contentType === null ? null : byteString(bytes(fixture.contentType));
  test(`response::${fixture.name}`, async () => {
    for (const reconnection of [false, true]) {
      const message = `${fixture.rule}${reconnection ? ' (on a reconnection)' : ''}`;
      const first = reconnection ? 1 : 0;
      let tested = null;
      const respond = (attempt) => {
        if (attempt < first) return eventStream([]);
        if (attempt > first) return response(204, null, null);
        tested = body([new TextEncoder().encode('data: a\n\n')]);
        return response(fixture.status, contentType, tested.stream);
      };
      await withSource(`http://fixture.test/${fixture.name}`, {}, respond, async ({ log, requests, timers, until, fireTimer, reasons }) => {
        const before = reconnection ? [['open', OPEN], ['error', CONNECTING]] : [];
        if (reconnection) {
          await until(() => errors(log).length === 1 && timers.size === 1, 'the first body to end');
          fireTimer();
        }
        if (fixture.announces) {
          // "announce the connection": OPEN, `open`; the body is read.
          await until(() => errors(log).length === first + 1 && timers.size === 1, 'the tested body to end');
          assert.deepEqual(log, [...before, ['open', OPEN], ['message', 'a', '', OPEN], ['error', CONNECTING]], message);
        } else {
          // "fail the connection": CLOSED, `error`, no reconnection, the body never read.
          await until(() => errors(log).length === first + 1, 'the connection to fail');
          assert.deepEqual(log, [...before, ['error', CLOSED]], message);
          assert.equal(timers.size, 0, `${message}: no reconnection`);
          assert.equal(requests.length, first + 1, `${message}: no other request`);
          assert.equal(tested.reads(), 0, `${message}: the body is not read`);
          assert.deepEqual(reasons.at(-1), [fixture.reason, fixture.status, false, null], `${message}: the error's details`);
        }
      });
    }
  });
}

// --- the maximum event size (the maxEventSize option) ---
for (const fixture of fixtures.maxEventSize) {
  const chunks = fixture.chunks.map(bytes);
  const expected = fixture.events.map(([type, data, id]) => [type, data, id, OPEN]);
  test(`max_event_size::${fixture.name}`, async () => {
    if (fixture.maxEventSize === 0) {
      // The engine takes a bound of 0; the face refuses it as a mistake (src/js/options.js), so
      // what a script can observe is the constructor's TypeError.
      assert.throws(() => new EventSource('http://fixture.test/', { maxEventSize: 0 }),
        (error) => error instanceof TypeError && /maxEventSize/.test(error.message));
      return;
    }
    for (const [feeding, rechunk] of Object.entries(FEEDINGS)) {
      const message = `${fixture.rule} (${feeding})`;
      const respond = (attempt) => (attempt === 0 ? eventStream(rechunk(chunks)) : response(204, null, null));
      const options = { maxEventSize: fixture.maxEventSize };
      await withSource(`http://fixture.test/${fixture.name}`, options, respond, async ({ log, requests, timers, until, reasons }) => {
        await until(() => errors(log).length === 1 && (fixture.fails || timers.size === 1), 'the failure or the end of the body');
        const end = fixture.fails ? ['error', CLOSED] : ['error', CONNECTING];
        assert.deepEqual(log, [['open', OPEN], ...expected, end], message);
        assert.deepEqual(reasons[0].slice(0, 3), fixture.fails ? ['too-large', 200, false] : ['ended', 200, true], message);
        if (fixture.fails) {
          assert.equal(timers.size, 0, `${message}: no reconnection`);
          assert.equal(requests.length, 1, message);
        }
      });
    }
  });
}
