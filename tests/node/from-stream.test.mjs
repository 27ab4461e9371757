// EventSource.fromReadableStream(), as proposed for the HTML Standard (whatwg/html pull request
// 12272), through the built npm package with in-memory ReadableStreams: no server, no sleeps (each
// test waits for the events it expects).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from '../../pkg/index.js';

const encoder = new TextEncoder();
const bytes = (parts) => parts.map((part) => (typeof part === 'string' ? encoder.encode(part) : Uint8Array.from(part)));

/** A stream the test feeds by hand: push(bytes), close(), error(reason). */
function manualStream() {
  let controller;
  const stream = new ReadableStream({ start(c) { controller = c; } });
  return {
    stream,
    push: (chunk) => controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk),
    close: () => controller.close(),
    error: (reason) => controller.error(reason),
  };
}

/** Resolves with the source's events as [type, data, lastEventId, origin] up to and including the
 * first `error`, with readyState as it was at each. */
function record(source) {
  const seen = [];
  return new Promise((resolve) => {
    const note = (event) => {
      seen.push(event.type === 'open' || event.type === 'error'
        ? [event.type, source.readyState]
        : [event.type, event.data, event.lastEventId, event.origin]);
      if (event.type === 'error') resolve(seen);
    };
    for (const type of ['open', 'message', 'error', 'x', 'y']) source.addEventListener(type, note);
  });
}

/** Waits until `count` messages arrived. */
function messages(source, count) {
  const got = [];
  return new Promise((resolve) => {
    source.addEventListener('message', (event) => {
      got.push(event.data);
      if (got.length === count) resolve(got);
    });
  });
}

/** Every way of cutting `text`'s bytes into chunks at one or two places. */
function splits(data) {
  const all = [[data]];
  for (let i = 1; i < data.length; i++) {
    all.push([data.slice(0, i), data.slice(i)]);
    for (let j = i + 1; j < data.length; j += 3) all.push([data.slice(0, i), data.slice(i, j), data.slice(j)]);
  }
  return all;
}

test('starts CONNECTING, opens on the first bytes; url about:event-stream; origin "null"; the end fails it', async () => {
  const feed = manualStream();
  const source = EventSource.fromReadableStream(feed.stream);
  assert.ok(source instanceof EventSource);
  assert.equal(source.url, 'about:event-stream');
  assert.equal(source.readyState, EventSource.CONNECTING);
  assert.equal(source.withCredentials, false);
  const events = record(source);
  feed.push('id: 1\nevent: x\ndata: a\n\ndata: b\n\ndata: partial');
  feed.close();
  assert.deepEqual(await events, [
    ['open', EventSource.OPEN],
    ['x', 'a', '1', 'null'],
    ['message', 'b', '1', 'null'],
    ['error', EventSource.CLOSED],
  ]);
  assert.equal(source.readyState, EventSource.CLOSED);
  // CLOSED is final: the getters keep what the stream left.
  assert.equal(source.lastEventId, '1');
});

test('bytes split anywhere, with a BOM, CR, LF and CRLF line ends and UTF-8 across chunks', async () => {
  const whole = [...encoder.encode('\uFEFFdata: é€😀\r\ndata:x\rid: 7\n\nevent: y\r\ndata\r\n\r\n')];
  for (const chunks of splits(whole)) {
    const source = EventSource.fromReadableStream(new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(Uint8Array.from(chunk));
        controller.close();
      },
    }));
    const events = await record(source);
    assert.deepEqual(events, [
      ['open', EventSource.OPEN],
      ['message', 'é€😀\nx', '7', 'null'],
      ['y', '', '7', 'null'],
      ['error', EventSource.CLOSED],
    ], JSON.stringify(chunks));
  }
});

test('a stream error fails the connection like its end, and nothing reconnects', async () => {
  const feed = manualStream();
  const source = EventSource.fromReadableStream(feed.stream);
  const events = record(source);
  feed.push('data: a\n\n');
  await messages(source, 1);
  feed.error(new Error('gone'));
  assert.deepEqual(await events, [['open', 1], ['message', 'a', '', 'null'], ['error', EventSource.CLOSED]]);
});

test('a stream that ends before any byte fails without opening', async () => {
  const source = EventSource.fromReadableStream(new ReadableStream({ start(c) { c.close(); } }));
  assert.deepEqual(await record(source), [['error', EventSource.CLOSED]]);
});

test('a chunk that is not a Uint8Array errors the source', async () => {
  const source = EventSource.fromReadableStream(new ReadableStream({ start(c) { c.enqueue('data: a\n\n'); } }));
  assert.deepEqual(await record(source), [['error', EventSource.CLOSED]]);
});

test('a locked stream, or anything but a stream, is a TypeError', () => {
  const stream = new ReadableStream();
  stream.getReader();
  assert.throws(() => EventSource.fromReadableStream(stream), TypeError);
  assert.throws(() => EventSource.fromReadableStream({}), TypeError);
  assert.throws(() => EventSource.fromReadableStream(), TypeError);
  // The source locks its stream at once.
  const fresh = new ReadableStream();
  const source = EventSource.fromReadableStream(fresh);
  assert.equal(fresh.locked, true);
  assert.throws(() => EventSource.fromReadableStream(fresh), TypeError);
  source.close();
});

test('close() cancels the stream', async () => {
  let cancelled;
  const done = new Promise((resolve) => { cancelled = resolve; });
  const feed = manualStream();
  const stream = new ReadableStream({ start(c) { c.enqueue(encoder.encode('data: a\n\n')); }, cancel: cancelled });
  const source = EventSource.fromReadableStream(stream);
  await messages(source, 1);
  source.close();
  await done;
  assert.equal(source.readyState, EventSource.CLOSED);
  void feed;
});

test('reset() mid-event discards the partial line and event, and a new BOM is stripped again', async () => {
  const feed = manualStream();
  const source = EventSource.fromReadableStream(feed.stream);
  const got = messages(source, 2);
  feed.push('\uFEFFid: 5\ndata: a\n\nevent: lost\ndata: lost\nda');
  await messages(source, 1);
  source.reset();
  feed.push('\uFEFFdata: b\n\n');
  assert.deepEqual(await got, ['a', 'b']);
  assert.equal(source.lastEventId, '5');
  source.close();
});

test('lastEventId and reconnectionTime follow the stream', async () => {
  const feed = manualStream();
  const source = EventSource.fromReadableStream(feed.stream);
  assert.equal(source.lastEventId, '');
  assert.equal(source.reconnectionTime, 3000);
  feed.push('retry: 1500\nid: a\n\n');
  feed.push('retry: 15x\ndata: m\n\n');
  await messages(source, 1);
  // The block without data dispatched nothing, but set the last event ID string.
  assert.equal(source.lastEventId, 'a');
  assert.equal(source.reconnectionTime, 1500);
  feed.push('id\nretry: 20\ndata: n\n\n');
  await messages(source, 1);
  assert.equal(source.lastEventId, '');
  assert.equal(source.reconnectionTime, 20);
  source.close();
  assert.equal(source.reconnectionTime, 20);
});

test('URL sources have the getters too', () => {
  const source = new EventSource('http://127.0.0.1:9/', { fetch: () => new Promise(() => {}) });
  assert.equal(source.lastEventId, '');
  assert.equal(source.reconnectionTime, 3000);
  source.close();
});
