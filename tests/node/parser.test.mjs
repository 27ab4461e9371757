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

test('a freed parser throws on feed(), so that no chunk is dropped unseen; reset() and free() again are harmless', async () => {
  const { parser, seen } = await recorder();
  parser.feed('data: a\n\n');
  parser.free();
  assert.throws(() => parser.feed('data: b\n\n'), /freed/);
  parser.reset();
  parser.free();
  assert.deepEqual(seen.events, [['message', 'a', '']]);
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

// The two ways an event's data comes back from the engine: offsets into the chunk's one decode (a
// one-line value, ASCII up to its end) and texts (anything else). Both must give the same events.

/** Events from feeding `chunks` (strings or bytes) to one parser. */
async function eventsOf(chunks, options = {}) {
  const events = [];
  const parser = createParser({ ...options, onEvent: (event) => events.push(event) });
  await parser.ready;
  for (const chunk of chunks) parser.feed(chunk);
  parser.free();
  return events;
}

const encode = (text) => new TextEncoder().encode(text);

test('ASCII and non-ASCII data, one line or several, whole or split: the same events either way', async () => {
  const stream = 'data: plain\n\n: caf\u00e9\ndata: after\n\nid: \u00e9\ndata: \u{1F600} x\n\n' +
    'data: a\ndata: b\n\nevent: t\ndata: typed\r\n\r\ndata:\n\ndata: last\r\r';
  const want = [
    { type: 'message', data: 'plain', id: '', retry: undefined },
    { type: 'message', data: 'after', id: '', retry: undefined },
    { type: 'message', data: '\u{1F600} x', id: '\u00e9', retry: undefined },
    { type: 'message', data: 'a\nb', id: '\u00e9', retry: undefined },
    { type: 't', data: 'typed', id: '\u00e9', retry: undefined },
    { type: 'message', data: '', id: '\u00e9', retry: undefined },
    { type: 'message', data: 'last', id: '\u00e9', retry: undefined },
  ];
  assert.deepEqual(await eventsOf([stream]), want, 'a string, whole');
  assert.deepEqual(await eventsOf([encode(stream)]), want, 'bytes, whole');
  const bytes = encode(stream);
  for (let cut = 0; cut <= bytes.length; cut++) {
    assert.deepEqual(await eventsOf([bytes.subarray(0, cut), bytes.subarray(cut)]), want, `bytes cut at ${cut}`);
  }
  for (let cut = 0; cut <= stream.length; cut++) {
    // Not inside a surrogate pair: each half would be a string of its own, ill-formed.
    if (/[\uD800-\uDBFF]/.test(stream[cut - 1] ?? '')) continue;
    assert.deepEqual(await eventsOf([stream.slice(0, cut), stream.slice(cut)]), want, `string cut at ${cut}`);
  }
});

test('a chunk that starts ASCII and turns non-ASCII: offsets before, texts after, one order', async () => {
  const many = Array.from({ length: 300 }, (_, n) => `data: ${n}\n\n`).join('');
  const text = many + 'data: \u00e9\n\n' + many;
  const events = await eventsOf([encode(text)]);
  assert.equal(events.length, 601);
  assert.deepEqual(events.map((event) => event.data), [
    ...Array.from({ length: 300 }, (_, n) => String(n)), '\u00e9', ...Array.from({ length: 300 }, (_, n) => String(n)),
  ]);
});

test('invalid UTF-8 becomes U+FFFD as TextDecoder makes it, in data and id', async () => {
  const events = await eventsOf([Uint8Array.of(...encode('id: a'), 0xFF, ...encode('\ndata: b'), 0xC3, ...encode('\n\n'))]);
  assert.deepEqual(events, [{ type: 'message', data: 'b\uFFFD', id: 'a\uFFFD', retry: undefined }]);
});

test('a chunk larger than the engine has room for: its memory grows, the events stay right', async () => {
  const big = 'data: ' + 'q'.repeat(3 << 20) + '\n\n';
  const events = await eventsOf([encode('data: small\n\n'), encode(big), 'data: after\n\n']);
  assert.deepEqual(events.map((event) => event.data.length), [5, 3 << 20, 5]);
  assert.equal(events[1].data, 'q'.repeat(3 << 20));
});

test('onEvent may feed the parser again: the batch being dispatched is not disturbed', async () => {
  const seen = [];
  let nested = false;
  const parser = createParser({
    onEvent(event) {
      seen.push(event.data);
      if (!nested) {
        nested = true;
        parser.feed('data: inner\n\n');
      }
    },
  });
  await parser.ready;
  parser.feed('data: one\n\ndata: two\n\n');
  assert.deepEqual(seen, ['one', 'inner', 'two']);
  parser.free();
});

test('onEvent may feed another parser until the engine memory grows, reset or free: the batch being dispatched is not disturbed', async () => {
  const other = [];
  const second = createParser({ onEvent: (event) => other.push(event.data.length) });
  await second.ready;
  const seen = [];
  const parser = createParser({
    onEvent(event) {
      seen.push(event.data);
      if (event.data === 'one') second.feed(encode('data: ' + 'g'.repeat(6 << 20) + '\n\n'));
      if (event.data === 'two') parser.reset();
      if (event.data === 'three') second.free();
    },
  });
  await parser.ready;
  parser.feed(encode('data: one\n\ndata: two\n\ndata: three\n\nid: 4\ndata: four\n\n'));
  assert.deepEqual(seen, ['one', 'two', 'three', 'four']);
  assert.deepEqual(other, [6 << 20]);
  parser.free();
});

test('onEvent feeding the parser at every event, nested chunks included: every event once, in order', async () => {
  const seen = [];
  const parser = createParser({
    onEvent(event) {
      seen.push(event.data);
      if (event.data.length < 3) parser.feed(`data: ${event.data}+\n\n`);
    },
  });
  await parser.ready;
  parser.feed('data: a\n\ndata: b\n\n');
  assert.deepEqual(seen, ['a', 'a+', 'a++', 'b', 'b+', 'b++']);
  parser.feed('data: c\n\n');
  assert.deepEqual(seen.slice(6), ['c', 'c+', 'c++']);
  parser.free();
});

test('long lines: a line end, a control byte or a non-ASCII character at every place of the first 260 bytes (the SIMD scans in blocks of 64)', async () => {
  // After a non-ASCII character the chunk's data travels as text: each case is its own chunk, cut
  // so that the line runs through several 64-byte blocks.
  for (const odd of ['\t', '\u0000', '\u000b', '\u000c', '\u000e', '\u00e9', '\u{1F600}']) {
    const chunks = [];
    const want = [];
    for (let at = 0; at <= 260; at++) {
      const line = 'v'.repeat(at) + odd + 'w'.repeat(260 - at);
      chunks.push(encode(`data: a\n\ndata: ${line}\n\ndata:${'x'.repeat(at)}\r\n\r\n`));
      want.push('a', line, 'x'.repeat(at));
    }
    assert.deepEqual((await eventsOf(chunks)).map((event) => event.data), want, JSON.stringify(odd));
  }
});

test('lines of every length up to 150 and a non-ASCII byte at every place: the same events (the SIMD scans)', async () => {
  const lines = Array.from({ length: 151 }, (_, n) => 'q'.repeat(n) + (n % 3 === 0 ? 'z' : ''));
  const stream = lines.map((line, n) => `data: ${line}${n % 2 ? '\r\n' : '\n'}\n`).join('');
  assert.deepEqual((await eventsOf([encode(stream)])).map((event) => event.data), lines);
  // One non-ASCII character at each place of the first 200 bytes: before it data is sliced, from it
  // on it is text; every event stays whole.
  const base = Array.from({ length: 20 }, (_, n) => `data: ${'r'.repeat(n)}\n\n`).join('');
  for (let at = 0; at <= 200 && at <= base.length; at++) {
    const text = base.slice(0, at) + '\u00e9' + base.slice(at);
    const want = [];
    let data = null;
    for (const line of text.split('\n')) {
      if (line === '') { if (data !== null) want.push(data); data = null; continue; }
      const value = line.startsWith('data: ') ? line.slice(6) : line.startsWith('data:') ? line.slice(5) : null;
      if (value !== null) data = data === null ? value : data + '\n' + value;
    }
    assert.deepEqual((await eventsOf([encode(text)])).map((event) => event.data), want, `\u00e9 at ${at}`);
  }
});
