// The esbuild plugin that supplies the build-time modules of src/js: `eventsource:platform` (the
// platform file for this output), `eventsource:wasm-inlined` (the engine, inlined) and
// `eventsource:wasm2js` (the engine translated to JavaScript). Shared by the build and the bench.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
export const WASM2JS_FLAGS = ['-Oz', '--enable-bulk-memory', '--enable-sign-ext', '--enable-mutable-globals'];

/**
 * The module `wasm` as JavaScript (wasm2js), written to `out` when given; returns the text. Its
 * saturating float-to-integer conversions (the reconnection delay's) are lowered to guarded plain
 * ones first: wasm2js's own handling of them fails an assertion in its optimiser on the engine,
 * and without the feature enabled it rejects any that remain.
 */
export function wasm2js(root, wasm, out) {
  const lowered = `${out || join(root, 'target/js/wasm2js-input')}.lowered.wasm`;
  const bin = (tool) => join(root, 'node_modules/binaryen/bin', tool);
  execFileSync(bin('wasm-opt'), [wasm, ...WASM_OPT_FLAGS, '-g', '--llvm-nontrapping-fptoint-lowering', '-o', lowered],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const text = execFileSync(bin('wasm2js'), [lowered, ...WASM2JS_FLAGS], { cwd: root, maxBuffer: 1 << 26 }).toString();
  if (out) writeFileSync(out, text);
  return text;
}

/** The characters an inlined engine is spelled in: printable ASCII but `"` and `\\`, so that the
 * text sits in a double-quoted literal as it is. */
const PRINTABLE = [...Array(95).keys()].map((i) => String.fromCharCode(32 + i)).filter((c) => c !== '"' && c !== '\\');
/** Of PRINTABLE's 93 characters, two begin a two-character symbol: 91 byte values are spelled in
 * one character, the other 165 in two (2 × 93 ≥ 165). */
const DIRECT = PRINTABLE.length - 2;

/** `code`'s characters from PRINTABLE, the commonest first (ties in code order): the order in
 * which encodeInlined hands them to the engine's commonest bytes. */
export function inlineAlphabet(code) {
  const counts = new Map(PRINTABLE.map((c) => [c, 0]));
  for (const char of code) if (counts.has(char)) counts.set(char, counts.get(char) + 1);
  return PRINTABLE.slice().sort((a, b) => counts.get(b) - counts.get(a) || (a < b ? -1 : 1)).join('');
}

/**
 * The engine spelled as text for the output's one gzip stream, which then compresses the module
 * itself: a byte is one character (the 91 commonest values) or two. The output's code and the
 * engine share gzip's Huffman codes, so each common byte is spelled in a character the code
 * already uses often (`alphabet`, from inlineAlphabet): about 250 B smaller gzipped than the
 * module deflated apart and spelled six bits a character, and no inflating at load.
 * Returns the three strings src/js/platform/core-wasm.js decodes:
 * - `digits`: the 93 characters by symbol: symbols 0-90 are the one-character bytes in value
 *   order, 91 and 92 begin a two-character symbol;
 * - `mask`: which byte values are one character, six bits (one digit) per character, high bit
 *   first;
 * - `text`: the module. Symbol k < 91 is the k-th one-character byte; a pair (k, j) is the
 *   (k - 91) * 93 + j -th of the others, in value order.
 */
export function encodeInlined(bytes, alphabet) {
  const counts = new Array(256).fill(0);
  for (const byte of bytes) counts[byte]++;
  const byRank = [...counts.keys()].sort((a, b) => counts[b] - counts[a] || a - b);
  const direct = byRank.slice(0, DIRECT).sort((a, b) => a - b);
  const others = [...counts.keys()].filter((byte) => !direct.includes(byte));
  // The byte of rank r is spelled alphabet[r].
  const digits = direct.map((byte) => alphabet[byRank.indexOf(byte)]).join('') + alphabet.slice(DIRECT);
  const spelling = new Array(256);
  direct.forEach((byte, k) => { spelling[byte] = digits[k]; });
  others.forEach((byte, j) => { spelling[byte] = digits[DIRECT + Math.floor(j / digits.length)] + digits[j % digits.length]; });
  let mask = '';
  for (let first = 0; first < 256; first += 6) {
    let bits = 0;
    for (let byte = first; byte < first + 6; byte++) bits = bits << 1 | (direct.includes(byte) ? 1 : 0);
    mask += digits[bits];
  }
  let text = '';
  for (const byte of bytes) text += spelling[byte];
  return { digits, mask, text };
}

/** `wasm` null: empty strings (the build's first pass, which measures the code around the engine
 * to choose `alphabet`). */
export function engineModules({ js, wasm, translated, platform, alphabet = PRINTABLE.join('') }) {
  const inlined = wasm ? encodeInlined(wasm, alphabet) : { digits: '', mask: '', text: '' };
  return {
    name: 'engine-modules',
    setup(build) {
      build.onResolve({ filter: /^eventsource:platform$/ }, () => ({ path: join(js, 'platform', platform) }));
      build.onResolve({ filter: /^eventsource:(wasm-inlined|wasm2js)$/ }, (args) => ({ path: args.path, namespace: 'generated' }));
      build.onLoad({ filter: /.*/, namespace: 'generated' }, (args) => ({
        loader: 'js',
        contents: args.path === 'eventsource:wasm-inlined'
          ? Object.entries(inlined).map(([name, value]) => `export var ${name} = ${JSON.stringify(value)};\n`).join('')
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
