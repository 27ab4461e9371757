// Builds the npm package and the script-tag file into pkg/ and prints their sizes.
// Steps: cargo (wasm32, release) → wasm-opt -Oz (npm binaryen) → esbuild bundles with the wasm
// inlined → package.json, types, README. Run through scripts/build.sh, which installs what it needs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { engineModules, deflateEngine, optimizeEngine, WASM2JS_FLAGS } from './engine-modules.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const js = join(root, 'src', 'js');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

// 1. The engine, for wasm32. `core` and `alloc` are rebuilt with the immediate-abort panic
// strategy: the prebuilt ones keep panic messages, their source paths and the integer formatting
// table alive in the data section (about 450 bytes) even though the panic handler only traps.
// Both are unstable: RUSTC_BOOTSTRAP lets the stable toolchain take them (rust-src: setup.sh).
execFileSync('cargo', ['build', '--quiet', '--release', '--lib', '--target', 'wasm32-unknown-unknown',
  '-Zbuild-std=core,alloc'], {
  cwd: root, stdio: 'inherit',
  env: { ...process.env, RUSTC_BOOTSTRAP: '1', RUSTFLAGS: '-Zunstable-options -Cpanic=immediate-abort' },
});
const rawWasm = join(root, 'target/wasm32-unknown-unknown/release/eventsource_wasm.wasm');
mkdirSync(join(root, 'target/js'), { recursive: true });
const optimizedWasm = join(root, 'target/js/eventsource.wasm');
optimizeEngine(root, rawWasm, optimizedWasm);
const wasmBytes = readFileSync(optimizedWasm);

// 2. The JavaScript, with the wasm inlined so one file is the whole package: no path to guess
// for script tags, no loader configuration for bundlers. `eventsource:core` picks the engine
// loader per output; the script-tag files are ES5.
const wasm2jsOut = join(root, 'target/js/core.wasm2js.mjs');
run(join(root, 'node_modules/binaryen/bin/wasm2js'), [optimizedWasm, ...WASM2JS_FLAGS, '-o', wasm2jsOut]);
const translated = trimTranslation(readFileSync(wasm2jsOut, 'utf8'));
const moduleTail = translated.indexOf('var retasmFunc');
if (moduleTail < 0 || !translated.includes('function asmFunc(')) throw new Error('unexpected wasm2js output');

const wasmDeflated = await deflateEngine(wasmBytes);
const virtualModules = (platform) =>
  engineModules({ js, wasmDeflated, translated: translated.slice(0, moduleTail), platform });
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg, { recursive: true });
// Internal property names start with one underscore; minification shortens them.
const common = { bundle: true, minify: true, mangleProps: /^_[a-z]/, legalComments: 'none', logLevel: 'warning', metafile: true };
// Each output's metafile (bytes per input module) is kept for scripts/size-report.mjs.
const bundle = async (name, options) => {
  const result = await esbuild.build({ ...common, ...options, outfile: join(pkg, name) });
  writeFileSync(join(root, 'target/js', `meta-${name.replace(/\.js$/, '')}.json`), JSON.stringify(result.metafile));
};
// npm: ESM with the WebAssembly engine; the polyfill entry imports the same module.
await bundle('index.js', {
  entryPoints: [join(js, 'index.js')], format: 'esm', target: 'es2017',
  plugins: [virtualModules('modern.js')],
});
await bundle('polyfill.js', {
  entryPoints: [join(js, 'polyfill.js')], format: 'esm', target: 'es2017',
  plugins: [{
    name: 'polyfill-uses-index',
    setup(build) { build.onResolve({ filter: /^\.\/event-source\.js$/ }, () => ({ path: './index.js', external: true })); },
  }],
});
// Script tags: ES5 files. eventsource.js (WebAssembly engine) hands over to eventsource.legacy.js
// (wasm2js engine, XHR, event stand-ins) in runtimes that lack what it needs.
await bundle('eventsource.js', {
  entryPoints: [join(js, 'script-tag.js')], format: 'iife', target: 'es5',
  plugins: [virtualModules('modern.js')],
});
await bundle('eventsource.legacy.js', {
  entryPoints: [join(js, 'script-tag-legacy.js')], format: 'iife', target: 'es5',
  plugins: [virtualModules('legacy.js')],
});

// 3. Package metadata and types.
const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, 'Cargo.toml'), 'utf8'))[1];
const manifest = JSON.parse(readFileSync(join(js, 'package.json'), 'utf8'));
manifest.version = version;
writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
for (const file of ['index.d.ts', 'polyfill.d.ts']) copyFileSync(join(js, file), join(pkg, file));
copyFileSync(join(root, 'README.md'), join(pkg, 'README.md'));

// 4. Sizes.
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const scriptTag = readFileSync(join(pkg, 'eventsource.js'));
const moduleEntry = readFileSync(join(pkg, 'index.js'));
const noWasmFile = readFileSync(join(pkg, 'eventsource.legacy.js'));
const sizes = {
  wasm: { raw: wasmBytes.length, gzip: gz(wasmBytes), inlined: wasmDeflated.length },
  noWasm: { raw: noWasmFile.length, gzip: gz(noWasmFile) },
  scriptTag: { raw: scriptTag.length, gzip: gz(scriptTag) },
  module: { raw: moduleEntry.length, gzip: gz(moduleEntry) },
};
writeFileSync(join(root, 'target/js/sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
console.log(`size: wasm ${sizes.wasm.raw} B (${sizes.wasm.gzip} B gzip); ` +
  `script-tag eventsource.js ${sizes.scriptTag.raw} B, total gzipped transfer ${sizes.scriptTag.gzip} B; ` +
  `npm index.js ${sizes.module.gzip} B gzip; ` +
  `legacy eventsource.legacy.js ${sizes.noWasm.raw} B (${sizes.noWasm.gzip} B gzip)`);

/**
 * wasm2js's output, trimmed where the minifier cannot: it declares every typed-array view and
 * `Math` function it might use (property reads, which esbuild keeps for their possible side
 * effects) and recreates every view when memory grows. Declarations of names used nowhere else,
 * and their recreation, go. And `memory.copy` becomes `set(subarray())`, which IE10/11 have
 * (`copyWithin` and `fill` are ES2015; `memory.fill` becomes a loop); `set` copies overlapping ranges as `memory.copy` must (the source is
 * cloned first when both views share a buffer: ECMA-262, SetTypedArrayFromTypedArray).
 */
function trimTranslation(text) {
  const copy = 'bufferView.copyWithin(dest, source, source + size);';
  if (!text.includes(copy) && text.includes('copyWithin')) throw new Error('unexpected wasm2js memory.copy');
  let out = text.replace(copy, 'bufferView.set(bufferView.subarray(source, source + size), dest);')
    .replace('bufferView.fill(value, dest, dest + size);', 'while (size--) bufferView[dest++] = value;');
  for (const [line, name] of out.matchAll(/^ var ((?:HEAP|Math_)\w+) = .*;\n/gm)) {
    const uses = out.match(new RegExp(`\\b${name}\\b`, 'g')).length;
    const regrown = new RegExp(`^ +${name} = new \\w+\\(newBuffer\\);\\n`, 'm');
    if (uses === 1 || (uses === 2 && regrown.test(out))) out = out.replace(line, '').replace(regrown, '');
  }
  if (/copyWithin|\.fill\(/.test(out)) throw new Error('wasm2js output uses typed-array methods IE10/11 lack');
  // src/js/platform/core-nowasm.js supplies these two where IE10/11 lack them.
  const maths = [...out.matchAll(/^ var Math_(\w+) = /gm)].map((m) => m[1]).filter((f) => f !== 'imul' && f !== 'clz32');
  if (maths.length) throw new Error(`wasm2js output uses Math.${maths.join(', Math.')}: supply it for IE10/11`);
  return out;
}
