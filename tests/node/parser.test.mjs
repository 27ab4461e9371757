// 'eventsource-wasm/parser' (pkg/parser.js): the spec cases of tests/fixtures/spec-cases.json fed
// through its callback API (each body of a case is one stream: reset() between them, as a
// reconnection starts afresh), the maximum event size cases, strings, and the TransformStream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createParser, createParserStream } from '../../pkg/parser.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/spec-cases.json', import.meta.url), 'utf8'));
const U32_MAX = 0xFFFFFFFF;

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
    } else {
      out.push(Number.parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    }
  }
  return Uint8Array.from(out);
}

const FEEDINGS = {
  'as given': (chunks) => chunks,
  whole: (chunks) => [Uint8Array.from(chunks.flatMap((chunk) => [...chunk]))],
  'byte by byte': (chunks) => chunks.flatMap((chunk) => [...chunk]).map((byte) => Uint8Array.of(byte)),
};

/** A parser recording events as [type, data, id], the last onRetry value and errors. */
async function recorder(maxEventSize) {
  const seen = { events: [], retry: undefined, errors: 0 };
  const parser = createParser({
    onEvent: ({ type, data, id }) => seen.events.push([type, data, id]),
    onRetry: (ms) => { seen.retry = ms; },
    onError: () => { seen.errors++; },
    maxEventSize,
  });
  await parser.ready;
  return { parser, seen };
}

for (const fixture of fixtures.parsing) {
  test(`parser::${fixture.name}`, async () => {
    const bodies = fixture.bodies.map((chunks) => chunks.map(bytes));
    for (const [feeding, rechunk] of Object.entries(FEEDINGS)) {
      const message = `${fixture.rule} (${feeding})`;
      const { parser, seen } = await recorder();
      for (const body of bodies) {
        for (const chunk of rechunk(body)) parser.feed(chunk);
        parser.reset();
      }
      assert.deepEqual(seen.events, fixture.events, message);
      const time = Math.min(fixture.reconnectionTime ?? fixtures.defaultReconnectionTime, U32_MAX);
      assert.equal(seen.retry ?? fixtures.defaultReconnectionTime, time, `${message}: the reconnection time`);
      assert.equal(seen.errors, 0, message);
      parser.free();
    }
  });
}

for (const fixture of fixtures.maxEventSize) {
  test(`parser::max_event_size::${fixture.name}`, async () => {
    for (const [feeding, rechunk] of Object.entries(FEEDINGS)) {
      const { parser, seen } = await recorder(fixture.maxEventSize);
      for (const chunk of rechunk(fixture.chunks.map(bytes))) {
        parser.feed(chunk);
        if (seen.errors) break;
      }
      assert.deepEqual(seen.events, fixture.events, `${fixture.rule} (${feeding})`);
      assert.equal(seen.errors, fixture.fails ? 1 : 0, `${fixture.rule} (${feeding})`);
      parser.free();
    }
  });
}

test('strings are fed as their UTF-8; chunks fed before the engine is ready are parsed once it is', async () => {
  const events = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  parser.feed('\uFEFFid: é\nevent: up');
  parser.feed('date\ndata: 😀\r\n\r\ndata: 2\n\n');
  await parser.ready;
  assert.deepEqual(events, [{ type: 'update', data: '😀', id: 'é', retry: undefined }, { type: 'message', data: '2', id: 'é', retry: undefined }]);
  parser.free();
});

test('reset() mid-event discards the partial event and the BOM state', async () => {
  const { parser, seen } = await recorder();
  parser.feed('data: a\n\nevent: x\ndata: lost\nda');
  parser.reset();
  parser.feed(Uint8Array.of(0xEF, 0xBB, 0xBF));
  parser.feed('data: b\n\n');
  assert.deepEqual(seen.events, [['message', 'a', ''], ['message', 'b', '']]);
  parser.free();
});

test('after a too-large event the parser starts afresh', async () => {
  const { parser, seen } = await recorder(8);
  parser.feed('data: 0123456789\n\ndata: ok\n\n');
  assert.equal(seen.errors, 1);
  parser.feed('data: ok\n\n');
  assert.deepEqual(seen.events, [['message', 'ok', '']]);
  parser.free();
});

test('createParserStream: bytes split anywhere in, events out', async () => {
  const text = new TextEncoder().encode('retry: 42\nid: 1\ndata: a\ndata: b\n\nevent: t\ndata: é\r\n\r\n');
  for (let cut = 1; cut < text.length; cut++) {
    const retries = [];
    const source = new ReadableStream({
      start(controller) {
        controller.enqueue(text.slice(0, cut));
        controller.enqueue(text.slice(cut));
        controller.close();
      },
    });
    const events = [];
    for await (const event of source.pipeThrough(createParserStream({ onRetry: (ms) => retries.push(ms) }))) events.push(event);
    assert.deepEqual(events, [{ type: 'message', data: 'a\nb', id: '1', retry: 42 }, { type: 't', data: 'é', id: '1', retry: undefined }], `cut at ${cut}`);
    assert.deepEqual(retries, [42]);
  }
});

test("an event carries its own block's retry; onRetry reports every valid one", async () => {
  const events = [];
  const retries = [];
  const parser = createParser({ onEvent: (event) => events.push([event.data, event.retry]), onRetry: (ms) => retries.push(ms) });
  await parser.ready;
  // Invalid values (not all digits) change nothing; a block without data has no event to carry its
  // retry; a later valid field in the same block wins.
  parser.feed('retry: 10\ndata: a\n\ndata: b\nretry: x\n\nretry: 20\n\nretry: 1\nretry: 30\ndata: c\n\ndata: d\n\n');
  assert.deepEqual(events, [['a', 10], ['b', undefined], ['c', 30], ['d', undefined]]);
  assert.deepEqual(retries, [30]);
  parser.feed('retry: 40\n\n');
  assert.deepEqual(retries, [30, 40]);
  parser.free();
});

test('createParserStream errors on an event past maxEventSize', async () => {
  const source = new ReadableStream({ start(c) { c.enqueue('data: 0123456789\n\n'); c.close(); } });
  const reader = source.pipeThrough(createParserStream({ maxEventSize: 4 })).getReader();
  await assert.rejects(reader.read(), /maxEventSize/);
});
