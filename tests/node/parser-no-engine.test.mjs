// A parser without an engine says so: when the runtime refuses to compile WebAssembly (as under a
// Content-Security-Policy without 'wasm-unsafe-eval'), onError gets the reason, `ready` rejects
// with it, feed() throws it and the stream form errors. Compiling bytes is refused here, before
// the package loads (one process per test file); Node's fetch still instantiates its own compiled
// module.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const refusal = new WebAssembly.CompileError('refused by the test');
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = function (source, imports) {
  return source instanceof WebAssembly.Module ? instantiate.call(WebAssembly, source, imports) : Promise.reject(refusal);
};
const { createParser, createParserStream } = await import('../../pkg/parser.js');

test('an engine that cannot load: onError, a rejected ready, and feed() throwing the reason', { timeout: 10000 }, async () => {
  const errors = [];
  const events = [];
  const parser = createParser({ onEvent: (event) => events.push(event), onError: (error) => errors.push(error) });
  // Fed before the engine is known to be missing: kept, as for any engine still loading.
  parser.feed('data: early\n\n');
  await assert.rejects(parser.ready, (error) => error === refusal);
  assert.deepEqual(errors, [refusal]);
  assert.throws(() => parser.feed('data: late\n\n'), (error) => error === refusal);
  assert.deepEqual(events, []);
  parser.reset();
  parser.free();
});

test('without onError the refusal is still seen: ready rejects, and no rejection goes unhandled', { timeout: 10000 }, async () => {
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const watched = createParser({ onEvent() {} });
    await assert.rejects(watched.ready, (error) => error === refusal);
    // A parser whose `ready` nobody reads.
    const unwatched = createParser({ onEvent() {} });
    // Settled once feed() throws; then give the runtime a turn to report unhandled rejections.
    await new Promise((resolve) => {
      const poll = () => {
        try {
          unwatched.feed('x');
          setImmediate(poll);
        } catch {
          resolve();
        }
      };
      poll();
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('the stream form errors with the refusal', { timeout: 10000 }, async () => {
  const source = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('data: a\n\n'));
      controller.close();
    },
  });
  const reader = source.pipeThrough(createParserStream()).getReader();
  await assert.rejects(reader.read(), (error) => error === refusal);
});
