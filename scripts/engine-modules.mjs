// The esbuild plugin that supplies the build-time modules of src/js: `eventsource:platform` (the
// platform file for this output), `eventsource:wasm-inlined` (the engine, inlined) and
// `eventsource:wasm2js` (the engine translated to JavaScript). Shared by the build and the bench.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zlibAsync } from '@gfx/zopfli';

/**
 * The engine as the runtime's DecompressionStream('deflate') takes it: zlib format, compressed
 * by Zopfli, which finds about 4% smaller deflate streams than zlib's level 9.
 */
/** wasm-opt's flags for the shipped module. `--low-memory-unused`: no access goes below address
 * 1024 (the stack is there, 16 KiB growing down, and no data), so constant offsets fold
 * into loads and stores. */
export const WASM_OPT_FLAGS = ['-Oz', '--converge', '--low-memory-unused', '--enable-bulk-memory', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-nontrapping-float-to-int', '--enable-multivalue', '--enable-reference-types'];

/**
 * Optimises cargo's module into `output`: wasm-opt, then wasm-metadce keeping only the exports
 * src/js/engine.js calls (`memory`, `es_*`; the linker also exports `__data_end` and
 * `__heap_base`), then wasm-opt again over what that freed. `keepNames`: the size report's copy,
 * with the name section. `prefix`: the exports kept (`sp_` for the parser's module); `level`: the
 * optimisation flags in place of `-Oz` (the parser's module is built for speed).
 */
export function optimizeEngine(root, input, output, keepNames = false, prefix = 'es_', level = ['-Oz']) {
  const flags = WASM_OPT_FLAGS.flatMap((flag) => (flag === '-Oz' ? level : [flag]));
  const bin = (tool) => join(root, 'node_modules/binaryen/bin', tool);
  const strip = keepNames ? ['-g', '--strip-producers', '--strip-target-features']
    : ['--strip-debug', '--strip-producers', '--strip-target-features'];
  const run = (tool, args) => execFileSync(bin(tool), args, { cwd: root, stdio: 'inherit' });
  run('wasm-opt', [...flags, ...strip, input, '-o', output]);
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(output)))
    .map((e) => e.name).filter((name) => name === 'memory' || name.startsWith(prefix));
  const graph = `${output}.graph.json`;
  writeFileSync(graph, JSON.stringify(exports.map((name) => ({ name, export: name, root: true }))));
  execFileSync(bin('wasm-metadce'), [...flags.filter((flag) => flag.startsWith('--enable-')), ...(keepNames ? ['-g'] : []), output, '-f', graph, '-o', output],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  run('wasm-opt', [...flags, ...strip, output, '-o', output]);
}

/** wasm2js's flags: the engine as JavaScript, for runtimes without WebAssembly. */
export const WASM2JS_FLAGS = ['-Oz', '--enable-bulk-memory', '--enable-sign-ext', '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int'];

export async function deflateEngine(wasmBytes) {
  return Buffer.from(await zlibAsync(wasmBytes, { numiterations: 100 }));
}

/**
 * The inlined engine's text: six bits a character, in `digits`, a 64-character alphabet. Inside
 * the output's one deflate block the text shares a Huffman table with the JavaScript around it, so
 * the characters that JavaScript uses most cost the fewest bits: `digits` is that output's
 * commonest 64 (`commonestDigits`): the engine's text costs about 250 B less gzipped than in
 * base64's alphabet, 160 B net of the alphabet and its decoder.
 * Decoded by src/js/platform/core-wasm.js.
 */
export function encodeInlined(bytes, digits) {
  let text = '';
  let word = 0;
  let bits = 0;
  for (const byte of bytes) {
    word = ((word << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 6) text += digits[(word >> (bits -= 6)) & 63];
  }
  if (bits) text += digits[(word << (6 - bits)) & 63];
  return text;
}

/** The 64 characters `code` uses most that a string literal holds as they are (printable ASCII
 * but quotes and backslash), in code order (the alphabet's own text then compresses a little
 * better); base64's alphabet fills up a short list. */
export function commonestDigits(code) {
  const counts = new Map();
  for (const char of code) {
    if (char > ' ' && char <= '~' && !'"\'`\\'.includes(char)) counts.set(char, (counts.get(char) || 0) + 1);
  }
  const digits = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || (a < b ? -1 : 1)).slice(0, 64);
  for (const char of BASE64_DIGITS) if (digits.length < 64 && !digits.includes(char)) digits.push(char);
  return digits.sort().join('');
}

export const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `wasmDeflated` null: an empty engine text (the build's first pass, which measures the code
 * around it to choose `digits`). */
export function engineModules({ js, wasmDeflated, translated, platform, digits = BASE64_DIGITS }) {
  const inlined = wasmDeflated ? encodeInlined(wasmDeflated, digits) : '';
  return {
    name: 'engine-modules',
    setup(build) {
      build.onResolve({ filter: /^eventsource:platform$/ }, () => ({ path: join(js, 'platform', platform) }));
      build.onResolve({ filter: /^eventsource:(wasm-inlined|wasm2js)$/ }, (args) => ({ path: args.path, namespace: 'generated' }));
      build.onLoad({ filter: /.*/, namespace: 'generated' }, (args) => ({
        loader: 'js',
        contents: args.path === 'eventsource:wasm-inlined'
          ? `export var digits = ${JSON.stringify(digits)};\nexport var deflated = ${JSON.stringify(inlined)};\n`
          : `export function instantiate() {\n${translated}\nreturn asmFunc({});\n}\n`,
      }));
    },
  };
}

/**
 * The platform contract (src/js/platform/platform.d.ts): every platform file must export the same
 * names, or one build would import a name the other lacks. Bundles each with esbuild's metafile and
 * throws, naming the differences, when their export lists differ.
 */
export async function checkPlatforms(js, platforms = ['modern.js', 'legacy.js']) {
  const { build } = await import('esbuild');
  const lists = {};
  for (const platform of platforms) {
    const result = await build({
      entryPoints: [join(js, 'platform', platform)], bundle: true, write: false, metafile: true, format: 'esm',
      outdir: 'out', external: ['eventsource:*'], logLevel: 'silent',
    });
    lists[platform] = Object.values(result.metafile.outputs)[0].exports.sort();
  }
  const all = [...new Set(Object.values(lists).flat())].sort();
  const missing = platforms.flatMap((p) => all.filter((name) => !lists[p].includes(name)).map((name) => `${p} lacks '${name}'`));
  if (missing.length) {
    throw new Error(`the eventsource:platform files must export the same names (platform.d.ts): ${missing.join('; ')}`);
  }
  return all;
}
