// The engine hands over text as the bytes received; the faces' decoders do the stream's "UTF-8
// decode" (Encoding Standard): each maximal subpart of an ill-formed sequence is one U+FFFD, and
// a U+FEFF that begins a value is content (only the stream's first BOM goes, in the engine).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { startServer, sseUrl, uniqueKey, root } from '../support/server.mjs';
import { EventSource } from '../../pkg/index.js';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

/** The legacy platform's decodeUtf8 where the runtime has no TextDecoder (IE, EdgeHTML). */
async function fallbackDecoder() {
  const bundled = await esbuild.build({
    stdin: { contents: "export { decodeUtf8 } from './legacy.js';", resolveDir: join(root, 'src/js/platform') },
    bundle: true, write: false, format: 'esm', logLevel: 'silent',
    plugins: [{
      name: 'stub-engine',
      setup(build) {
        build.onResolve({ filter: /^eventsource:platform$/ }, () => ({ path: join(root, 'src/js/platform/legacy.js') }));
        build.onResolve({ filter: /^eventsource:wasm2js$/ }, (args) => ({ path: args.path, namespace: 'stub' }));
        build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export function instantiate() {}', loader: 'js' }));
      },
    }],
  });
  const saved = globalThis.TextDecoder;
  delete globalThis.TextDecoder;
  try {
    const url = `data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`;
    return (await import(url)).decodeUtf8;
  } finally {
    globalThis.TextDecoder = saved;
  }
}

test('the fallback decoder equals TextDecoder on every short sequence of telling bytes', async () => {
  const decodeUtf8 = await fallbackDecoder();
  const reference = new TextDecoder('utf-8', { ignoreBOM: true });
  // Bounds of the UTF-8 decoder: leads, continuation ranges, the special second-byte ranges.
  const bytes = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBB, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
    0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF];
  let checked = 0;
  for (let length = 1; length <= 4; length++) {
    for (let index = 0; index < bytes.length ** length; index++) {
      const input = new Uint8Array(length);
      for (let i = 0, n = index; i < length; i++, n = Math.floor(n / bytes.length)) input[i] = bytes[n % bytes.length];
      const expected = reference.decode(input);
      if (decodeUtf8(input) !== expected) assert.equal(decodeUtf8(input), expected, `bytes ${Buffer.from(input).toString('hex')}`);
      checked++;
    }
  }
  assert.equal(checked, 24 + 24 ** 2 + 24 ** 3 + 24 ** 4);
  const long = new TextEncoder().encode('\uFEFFhé €𝄞\r'.repeat(5000));
  assert.equal(decodeUtf8(long), reference.decode(long));
  assert.equal(decodeUtf8(Uint8Array.of(0xEF, 0xBB, 0xBF, 0x78)), '\uFEFFx');
});

test('a U+FEFF beginning a value is kept, and ill-formed UTF-8 becomes U+FFFD', async () => {
  const key = uniqueKey('decode');
  const source = new EventSource(sseUrl(server.a, key, ['data: \uFEFFx\n\nid: \uFEFF1\ndata: y\n\n'], '&e0=hold'));
  const events = await new Promise((resolve, reject) => {
    const seen = [];
    const timer = setTimeout(() => reject(new Error(`timed out: ${JSON.stringify(seen)}`)), 10000);
    source.onmessage = (event) => {
      seen.push([event.data, event.lastEventId]);
      if (seen.length === 2) { clearTimeout(timer); resolve(seen); }
    };
  });
  source.close();
  assert.deepEqual(events, [['\uFEFFx', ''], ['y', '\uFEFF1']]);
});
