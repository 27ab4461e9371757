// The engine's linear memory stays small however large the chunks a runtime hands over: a chunk
// goes into the engine a piece at a time, and the stack is 16 KiB. Linear memory never shrinks, so
// its size after a stream is the most it ever needed. And the fetch transport reads a byte-stream
// body into one buffer of its own, reused from read to read (so the unread body stays with the
// runtime, not in chunks on the page's heap); any other body as it comes. Through the built npm
// package, with in-memory streams: no server, no sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';

// The engine's memory, as the package instantiates it (before the package is loaded).
const memories = [];
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = function (...args) {
  return instantiate.apply(WebAssembly, args).then((result) => {
    // Ours: the module with the engine's exports (Node instantiates others of its own).
    const { memory, es_send: send } = (result.instance || result).exports;
    if (send) memories.push(memory);
    return result;
  });
};
const { EventSource } = await import('../../pkg/index.js');

const MB = 1 << 20;

/** Resolves with the data of each message until the stream's end fails the source. */
function messages(source) {
  const data = [];
  return new Promise((resolve) => {
    source.onmessage = (event) => data.push(event.data);
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) resolve(data);
    };
  });
}

/** A stream of the given chunks, then its end. */
function streamOf(chunks) {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

test('a chunk of 8 MB of events grows linear memory by far less than the chunk', async () => {
  const event = (n) => `id: ${n}\ndata: ${String(n).padEnd(1000, '.')}\n\n`;
  const count = 9 * 1024;
  const chunk = new TextEncoder().encode(Array.from({ length: count }, (_, n) => event(n)).join(''));
  assert.ok(chunk.length > 8 * MB);
  const source = EventSource.fromReadableStream(streamOf([chunk]));
  const data = await messages(source);
  // Every event, in order, whichever piece its bytes fell in.
  assert.equal(data.length, count);
  data.forEach((value, n) => assert.equal(value, String(n).padEnd(1000, '.')));
  assert.equal(source.lastEventId, String(count - 1));
  assert.equal(memories.length, 1);
  const size = memories[0].buffer.byteLength;
  assert.ok(size < 2 * MB, `linear memory is ${size} B after one chunk of ${chunk.length} B`);
});

const encoder = new TextEncoder();
const event = (n) => `id: ${n}\ndata: ${n} ${'é'.repeat(n % 700)}\n\n`;
const COUNT = 3000;
// About 2.5 MB, far more than one read takes; the reconnection after its end comes at once.
const BODY = encoder.encode(`retry: 1\n\n${Array.from({ length: COUNT }, (_, n) => event(n)).join('')}`);

function assertEveryEvent(data) {
  assert.equal(data.length, COUNT);
  data.forEach((value, n) => assert.equal(value, `${n} ${'é'.repeat(n % 700)}`));
}

/** A fetch answering with `body` as an event stream (the source fails, as native does, at its end:
 * the 204 of the reconnection). */
function fetchOf(makeBody) {
  let calls = 0;
  return () => Promise.resolve(calls++ === 0
    ? new Response(makeBody(), { headers: { 'content-type': 'text/event-stream' } })
    : new Response(null, { status: 204 }));
}

test('a byte-stream body is read into one reused buffer, every byte delivered once and in order', async () => {
  const reads = [];
  let offset = 0;
  // Pieces of odd sizes, so events and UTF-8 sequences straddle reads.
  // (300000: more than the buffer holds.)
  const sizes = [1, 7, 4093, 65536, 100000, 3, 300000];
  const body = () => new ReadableStream({
    type: 'bytes',
    pull(controller) {
      const request = controller.byobRequest;
      reads.push(request ? request.view.byteLength : 'default');
      if (offset === BODY.length) {
        controller.close();
        request?.respond(0);
        return;
      }
      const size = Math.min(sizes[reads.length % sizes.length], BODY.length - offset);
      if (!request) {
        controller.enqueue(BODY.slice(offset, offset + size));
      } else {
        const n = Math.min(size, request.view.byteLength);
        request.view.set(BODY.subarray(offset, offset + n));
        request.respond(n);
        offset += n;
        return;
      }
      offset += size;
    },
  });
  const source = new EventSource('http://127.0.0.1:9/bytes', { fetch: fetchOf(body) });
  assertEveryEvent(await messages(source));
  assert.equal(offset, BODY.length);
  // Every read offered the transport's own 256 KiB buffer: none was a default read that the stream
  // answers with a chunk of its making.
  assert.ok(reads.length > BODY.length / 262144, `${reads.length} reads`);
  assert.deepEqual([...new Set(reads)], [262144]);
});

test('a body that is not a byte stream is read chunk by chunk', async () => {
  let offset = 0;
  const body = () => new ReadableStream({
    pull(controller) {
      if (offset === BODY.length) return controller.close();
      const size = Math.min(12345, BODY.length - offset);
      controller.enqueue(BODY.slice(offset, offset + size));
      offset += size;
    },
  });
  const source = new EventSource('http://127.0.0.1:9/chunks', { fetch: fetchOf(body) });
  assertEveryEvent(await messages(source));
  assert.equal(offset, BODY.length);
});
