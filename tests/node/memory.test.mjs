// The engine's linear memory stays small however large the chunks a runtime hands over: a chunk
// goes into the engine a piece at a time, and the stack is 16 KiB. Linear memory never shrinks, so
// its size after a stream is the most it ever needed. Through the built npm package, with
// in-memory streams: no server, no sleeps.
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
