// The parser-alone measurements, shared by tests/bench/parser-node.mjs (Node) and
// tests/bench/parser-browser.mjs (bundled into a headless Chromium page): eventsource-wasm/parser
// (pkg/parser.js) against eventsource-parser, each in its callback form (bytes in;
// eventsource-parser takes strings, so it pays a streaming TextDecoder) and its TransformStream
// form, on 20 B, 1 KB and 64 KB events already in memory. Each event's data is read (its last
// character), as an application reads what it receives: a parser may hand over a string it has not
// built yet (a V8 rope of the data's lines), and reading it is when that work is done. Returns the
// printed lines.
import { createParser, createParserStream } from '../../pkg/parser.js';
import { createParser as theirParser } from 'eventsource-parser';
import { EventSourceParserStream } from 'eventsource-parser/stream';

export async function measure(totalBytes, where) {
  function corpus(kind) {
    const event = kind === '20 B' ? 'data: ' + 'x'.repeat(12) + '\n\n'
      : kind === '1 KB' ? 'id: 1\ndata: ' + 'y'.repeat(1010) + '\n\n'
        : Array.from({ length: 64 }, (_, n) => 'data: ' + String(n).padEnd(1016, 'z') + '\n').join('') + '\n';
    const perChunk = Math.max(1, Math.floor(65536 / event.length));
    const chunk = new TextEncoder().encode(event.repeat(perChunk));
    return { chunk, chunks: Math.ceil(totalBytes / chunk.length), events: perChunk * Math.ceil(totalBytes / chunk.length) };
  }

  /** 1 for an event whose data was read (every event of these corpora has data). */
  const read = (event) => (event.data.charCodeAt(event.data.length - 1) > 0 ? 1 : 0);

  async function oursCallback({ chunk, chunks }) {
    let n = 0;
    const parser = createParser({ onEvent(event) { n += read(event); } });
    await parser.ready;
    const t0 = performance.now();
    for (let k = 0; k < chunks; k++) parser.feed(chunk);
    const ms = performance.now() - t0;
    parser.free();
    return { ms, n };
  }

  async function theirsCallback({ chunk, chunks }) {
    let n = 0;
    const parser = theirParser({ onEvent(event) { n += read(event); } });
    const decoder = new TextDecoder();
    const t0 = performance.now();
    for (let k = 0; k < chunks; k++) parser.feed(decoder.decode(chunk, { stream: true }));
    return { ms: performance.now() - t0, n };
  }

  function source({ chunk, chunks }) {
    let k = 0;
    return new ReadableStream({ pull(c) { if (k++ < chunks) c.enqueue(chunk); else c.close(); } }, { highWaterMark: 0 });
  }

  async function drain(stream) {
    let n = 0;
    const t0 = performance.now();
    for await (const event of stream) n += read(event);
    return { ms: performance.now() - t0, n };
  }

  const oursStream = (data) => drain(source(data).pipeThrough(createParserStream()));
  const theirsStream = (data) => drain(source(data).pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()));

  const best = async (run, data) => {
    let result;
    for (let r = 0; r < 3; r++) {
      const next = await run(data);
      if (next.n !== data.events) throw new Error(`counted ${next.n} events of ${data.events}`);
      if (!result || next.ms < result.ms) result = next;
    }
    return result.ms;
  };

  const lines = ['parser alone, ' + where + ' (best of 3; ratio = theirs time / ours time)'];
  for (const kind of ['20 B', '1 KB', '64 KB']) {
    const data = corpus(kind);
    const [oc, tc, os, ts] = [await best(oursCallback, data), await best(theirsCallback, data),
      await best(oursStream, data), await best(theirsStream, data)];
    const rate = (ms) => `${(data.events / ms / 1000).toFixed(2)} M events/s`;
    lines.push(`${kind.padEnd(6)} callback: ours ${rate(oc)}, eventsource-parser ${rate(tc)}, ratio ${(tc / oc).toFixed(2)}x`);
    lines.push(`${kind.padEnd(6)} stream:   ours ${rate(os)}, eventsource-parser ${rate(ts)}, ratio ${(ts / os).toFixed(2)}x`);
  }
  return lines;
}
