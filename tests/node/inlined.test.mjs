// The inlined engine's spelling (scripts/engine-modules.mjs, encodeInlined) against the loader the
// shipped files run (src/js/platform/core-wasm.js, bundled with the build's plugin): the bytes it
// hands WebAssembly.instantiate are the module's. The modules are a header and a custom section
// whose payload covers every byte value, skewed and flat distributions and fewer distinct values
// than one-character symbols.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { engineModules, inlineAlphabet } from '../../scripts/engine-modules.mjs';

const js = new URL('../../src/js', import.meta.url).pathname;

/** A deterministic pseudo-random source (xorshift), so that a failure reproduces. */
function random(seed) {
  let x = seed;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function leb128(n) {
  const out = [];
  do {
    let byte = n & 127;
    n >>>= 7;
    if (n) byte |= 128;
    out.push(byte);
  } while (n);
  return out;
}

/** A valid module: the header, then a custom section named "x" holding `payload`. */
function moduleWith(payload) {
  const section = [1, 120, ...payload];
  return Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 0, ...leb128(section.length), ...section]);
}

const next = random(0x9e3779b9);
const payloads = {
  'every value once': Array.from({ length: 256 }, (_, i) => 255 - i),
  'few values': Array.from({ length: 5000 }, (_, i) => [0, 1, 0x20, 0x41, 0x7f][i % 5]),
  // Skewed as WebAssembly code is: a few values common, every value present.
  skewed: Array.from({ length: 20000 }, () => Math.floor(256 * next() ** 3)),
  flat: Array.from({ length: 20000 }, () => Math.floor(256 * next())),
};

const dir = mkdtempSync(join(tmpdir(), 'inlined-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const instantiate = WebAssembly.instantiate;

let n = 0;
for (const [name, payload] of Object.entries(payloads)) {
  for (const code of ['', 'function f(e,t){return e.length>t?e.slice(0,t):e}var a="x",b=[1,2,3];']) {
    test(`${name}${code ? ', a code\'s commonest characters first' : ''}: the loader instantiates the same bytes`, async () => {
      const wasm = moduleWith(payload);
      const result = await esbuild.build({
        stdin: { contents: "export { loadCore } from './platform/core-wasm.js';", resolveDir: js },
        bundle: true, format: 'esm', write: false, logLevel: 'silent',
        plugins: [engineModules({ js, wasm, translated: '', platform: 'modern.js', alphabet: inlineAlphabet(code) })],
      });
      const file = join(dir, `loader-${n++}.mjs`);
      writeFileSync(file, result.outputFiles[0].text);
      const { loadCore } = await import(pathToFileURL(file));
      let given = null;
      WebAssembly.instantiate = (bytes, imports) => {
        given = new Uint8Array(bytes);
        return instantiate.call(WebAssembly, bytes, imports);
      };
      try {
        await new Promise((resolve, reject) => loadCore(resolve, reject));
      } finally {
        WebAssembly.instantiate = instantiate;
      }
      assert.deepEqual(given, wasm);
    });
  }
}

test('the spelling is printable ASCII without quote or backslash, one character for the 91 commonest values', async () => {
  const { encodeInlined } = await import('../../scripts/engine-modules.mjs');
  const bytes = Uint8Array.from(payloads.skewed);
  const { digits, mask, text } = encodeInlined(bytes, inlineAlphabet(''));
  assert.equal(new Set(digits).size, 93);
  assert.match(digits + mask + text, /^[ !#-[\]-~]*$/);
  const counts = new Array(256).fill(0);
  for (const byte of bytes) counts[byte]++;
  const commonest = new Set([...counts.keys()].sort((a, b) => counts[b] - counts[a] || a - b).slice(0, 91));
  assert.equal(text.length, bytes.length + bytes.filter((byte) => !commonest.has(byte)).length);
});
