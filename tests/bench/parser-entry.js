// The parser-alone benchmark, bundled for the page: our engine (wasm) and eventsource-parser over
// the same bytes already in memory. Both produce the events' strings; both pay their decoding.
import { loadCore } from '../../src/js/platform/core-wasm.js';
import { Engine } from '../../src/js/engine.js';
import { OP_MESSAGE, OP_ARGS, OP_TEXTS, INPUT_START, INPUT_CLOSE } from '../../src/js/protocol.js';
import { createParser } from 'eventsource-parser';

function corpus(kind, totalBytes) {
  const event = kind === 'small' ? 'data: ' + 'x'.repeat(12) + '\n\n'
    : kind === '1k' ? 'id: 1\ndata: ' + 'y'.repeat(1010) + '\n\n'
      : Array.from({ length: 64 }, (_, i) => 'data: ' + String(i).padEnd(1016, 'z') + '\n').join('') + '\n';
  const perChunk = Math.max(1, Math.floor(65536 / event.length));
  const chunk = new TextEncoder().encode(event.repeat(perChunk));
  const chunks = Math.ceil(totalBytes / chunk.length);
  return { chunk, chunks, eventsPerChunk: perChunk };
}

function runOurs(core, { chunk, chunks }) {
  const engine = new Engine(core, 0);
  engine._send(INPUT_START);
  engine._response(200, 'text/event-stream');
  let events = 0;
  let checksum = 0;
  const t0 = performance.now();
  for (let i = 0; i < chunks; i++) {
    const { _ops: ops, _texts: texts } = engine._chunk(chunk);
    let text = 0;
    for (let k = 0; k < ops.length;) {
      const op = ops[k];
      if (op === OP_MESSAGE) { events++; checksum += texts[text].charCodeAt(texts[text].length - 1); }
      if (OP_TEXTS >> op & 1) text++;
      k += 1 + OP_ARGS[op];
    }
  }
  const ms = performance.now() - t0;
  engine._send(INPUT_CLOSE);
  engine._free();
  return { ms, events, checksum };
}

function runParser({ chunk, chunks }) {
  let events = 0;
  let checksum = 0;
  const parser = createParser({ onEvent(event) { events++; checksum += event.data.charCodeAt(event.data.length - 1); } });
  const decoder = new TextDecoder();
  const t0 = performance.now();
  for (let i = 0; i < chunks; i++) parser.feed(decoder.decode(chunk, { stream: true }));
  return { ms: performance.now() - t0, events, checksum };
}

window.parserBench = (kind, totalBytes) => new Promise((resolve, reject) => {
  loadCore((core) => {
    const data = corpus(kind, totalBytes);
    const bytes = data.chunk.length * data.chunks;
    resolve({ bytes, ours: runOurs(core, data), parser: runParser(data) });
  }, reject);
});
