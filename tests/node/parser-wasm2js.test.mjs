// pkg/parser.wasm2js.js: the parser's engine as JavaScript (a build without SIMD, translated by
// wasm2js), which parser.global.js loads where a Content-Security-Policy refuses WebAssembly. Its
// records, read as src/js/parser.js reads them, must give the events pkg/parser.js (the WebAssembly
// engine, with SIMD) gives, for every chunking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { createParser } from '../../pkg/parser.js';
import { PARSE_SPAN, PARSE_TEXT, PARSE_TYPE, PARSE_ID, PARSE_RETRY } from '../../src/js/parse-protocol.js';

/** The translated engine, as the script hands it to the global parser.global.js leaves for it. */
function translatedCore() {
  let core = null;
  const context = { __eventsourceParserWasm2js: (given) => { core = given; } };
  vm.runInNewContext(readFileSync(new URL('../../pkg/parser.wasm2js.js', import.meta.url), 'utf8'), context);
  assert.ok(core && typeof core.sp_chunk === 'function', 'the script hands over an engine with the sp_ exports');
  return core;
}

/** Events (and onRetry values, errors) from the translated engine, read as parser.js reads its records. */
function viaTranslation(core, chunks) {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const out = [];
  const handle = core.sp_new(0xFFFFFFFF);
  let type = 'message';
  let id = '';
  for (const chunk of chunks) {
    const at = core.sp_input(handle, chunk.length);
    new Uint8Array(core.memory.buffer, at, chunk.length).set(chunk);
    const header = core.sp_chunk(handle);
    const buffer = core.memory.buffer;
    const head = new Uint32Array(buffer, header, 5);
    const ops = new Uint32Array(buffer, head[0], head[1]).slice();
    const texts = head[3] ? decoder.decode(new Uint8Array(buffer, head[2], head[3] - 1)).split('\r') : [];
    const text = decoder.decode(new Uint8Array(buffer, at, head[4]));
    for (let i = 0, t = 0; i < ops.length; i += 4) {
      const retry = (value) => (value === 0xFFFFFFFF ? undefined : value);
      if (ops[i] === PARSE_SPAN) out.push({ type, data: text.slice(ops[i + 1], ops[i + 2]), id, retry: retry(ops[i + 3]) });
      else if (ops[i] === PARSE_TEXT) out.push({ type, data: texts[t++], id, retry: retry(ops[i + 1]) });
      else if (ops[i] === PARSE_TYPE) type = texts[t++];
      else if (ops[i] === PARSE_ID) id = texts[t++];
      else if (ops[i] === PARSE_RETRY) out.push({ onRetry: ops[i + 1] });
      else throw new Error(`unexpected record ${ops[i]}`);
    }
  }
  core.sp_free(handle);
  return out;
}

async function viaWasm(chunks) {
  const out = [];
  const parser = createParser({ onEvent: (event) => out.push(event), onRetry: (ms) => out.push({ onRetry: ms }) });
  await parser.ready;
  for (const chunk of chunks) parser.feed(chunk);
  parser.free();
  return out;
}

test('the translated engine gives the WebAssembly engine\'s events, whole and cut anywhere', async () => {
  const core = translatedCore();
  const long = 'z'.repeat(200);
  const stream = new TextEncoder().encode('\uFEFFretry: 5\ndata: one\n\n: \u00e9\r\nid: 7\r\nevent: t\rdata: two\r\rdata: ' + long +
    '\ndata: \u{1F600}\n\ndata: three\r\n\r\nretry: 9\n\n');
  const whole = await viaWasm([stream]);
  assert.equal(whole.filter((event) => 'data' in event).length, 4);
  assert.deepEqual(viaTranslation(core, [stream]), whole);
  for (let cut = 0; cut <= stream.length; cut += 3) {
    const chunks = [stream.subarray(0, cut), stream.subarray(cut)];
    assert.deepEqual(viaTranslation(core, chunks), await viaWasm(chunks), `cut at ${cut}`);
  }
});
