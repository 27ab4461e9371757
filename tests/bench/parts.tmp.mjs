import { readFileSync } from 'node:fs';
import { launch } from '../browser/common.mjs';
const wasm = [...readFileSync(process.argv[2] || 'target/js/parser.wasm')];
const browser = await launch('chromium');
const page = await browser.newPage();
await page.goto('about:blank');
const out = await page.evaluate(async (bytes) => {
  const { instance } = await WebAssembly.instantiate(new Uint8Array(bytes), {});
  const c = instance.exports;
  const td = new TextDecoder('utf-8', { ignoreBOM: true });
  const lines = [];
  for (const kind of ['20', '1k']) {
    const event = kind === '20' ? 'data: ' + 'x'.repeat(12) + '\n\n' : 'id: 1\ndata: ' + 'y'.repeat(1010) + '\n\n';
    const per = Math.floor(65536 / event.length);
    const chunk = new TextEncoder().encode(event.repeat(per));
    const h = c.sp_new(0xffffffff);
    const at = c.sp_input(h, chunk.length);
    new Uint8Array(c.memory.buffer, at, chunk.length).set(chunk);
    const hp = c.sp_chunk(h); const head = new Uint32Array(c.memory.buffer, hp, 5);
    const opsW = new Uint32Array(c.memory.buffer, head[0], head[1]);
    const rec = new Uint32Array(head[1]);
    let n = 0;
    const onEvent = (e) => { n += e.data.charCodeAt(e.data.length - 1) > 0 ? 1 : 0; };
    const modes = {
      copyin: () => { new Uint8Array(c.memory.buffer, at, chunk.length).set(chunk); },
      wasmNoCopy: () => { c.sp_input(h, chunk.length); return c.sp_chunk(h); },
      copyops: () => { rec.set(opsW); },
      decode: () => td.decode(chunk).length,
      loop: () => { const text = td.decode(chunk); const ops = rec; rec.set(opsW); let type = 'message', id = ''; for (let i = 0; i < ops.length; i += 4) { const op = ops[i]; if (op === 0) { const r = ops[i + 3]; onEvent({ type, data: text.slice(ops[i + 1], ops[i + 2]), id, retry: r === 0xffffffff ? undefined : r }); } } },
    };
    const best = {};
    for (let r = 0; r < 10; r++) for (const [m, f] of Object.entries(modes)) { const t0 = performance.now(); for (let k = 0; k < 100; k++) f(); const ns = (performance.now() - t0) * 1e6 / (100 * per); best[m] = Math.min(best[m] ?? 1e9, ns); }
    lines.push(kind + ' ' + Object.entries(best).map(([m, v]) => `${m} ${v.toFixed(1)}`).join(', ') + ' ns/event');
  }
  return lines;
}, wasm);
console.log(out.join('\n'));
await browser.close();
