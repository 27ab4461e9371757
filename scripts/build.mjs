// Builds the npm package and the script-tag file into pkg/ and prints their sizes.
// Steps: cargo (wasm32, release) → wasm-opt -Oz (npm binaryen) → esbuild bundles with the wasm
// inlined, then terser → package.json, types, README. Run through scripts/build.sh, which installs what it needs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { minify } from 'terser';
import {
  engineModules, inlineAlphabet, checkPlatforms, optimizeEngine, wasm2js,
} from './engine-modules.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const js = join(root, 'src', 'js');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

// 1. The engine, for wasm32. `core` and `alloc` are rebuilt with the immediate-abort panic
// strategy: the prebuilt ones keep panic messages, their source paths and the integer formatting
// table alive in the data section (about 450 bytes) even though the panic handler only traps.
// Both are unstable: RUSTC_BOOTSTRAP lets the pinned toolchain take them (rust-toolchain.toml,
// rust-src: setup.sh). The crate is an ordinary library: built here as a cdylib with the `js-abi`
// feature, which adds the exports, the allocator and the panic handler.
// Inputs only some outputs send are features (Cargo.toml: js-recycle, js-resume, js-stream), so
// each output takes the smallest build that has what it sends: the script tag and its CSP fallback
// none (fetch only, neither option), the legacy script tag XMLHttpRequest's restart, the npm
// entries both options, and their legacy entry (legacy.js, which may use XMLHttpRequest) all
// three. The two that wasm2js translates add js-translated (how the encoder is compiled, not an
// input). One target directory: a build with other features rebuilds only the crate.
const rawWasm = join(root, 'target/wasm32-unknown-unknown/release/eventsource_wasm.wasm');
mkdirSync(join(root, 'target/js'), { recursive: true });
const buildEngine = (name, features) => {
  execFileSync('cargo', ['rustc', '--quiet', '--release', '--lib', '--crate-type', 'cdylib', '--features', ['js-abi', ...features].join(','),
    '--target', 'wasm32-unknown-unknown', '-Zbuild-std=core,alloc'], {
    cwd: root, stdio: 'inherit',
    // A 16 KiB stack instead of the linker's 1 MiB: the engine does not recurse, and its deepest
    // call (a chunk through the parser into the batch) used under 300 bytes when measured. Linear
    // memory starts about 1 MiB smaller: less for the page to hold, and for the no-wasm build an
    // ArrayBuffer that much smaller in the JS heap.
    env: { ...process.env, RUSTC_BOOTSTRAP: '1', RUSTFLAGS: '-Zunstable-options -Cpanic=immediate-abort -Clink-arg=-zstack-size=16384' },
  });
  const output = join(root, 'target/js', `${name}.wasm`);
  optimizeEngine(root, rawWasm, output);
  return output;
};
const npmWasm = buildEngine('eventsource-npm', ['js-resume', 'js-stream']);
const npmLegacyWasm = buildEngine('eventsource-npm-legacy', ['js-recycle', 'js-resume', 'js-stream', 'js-translated']);
const legacyWasm = buildEngine('eventsource-legacy', ['js-recycle', 'js-translated']);
// Last: scripts/size-report.mjs reads cargo's output of this one, the script tag's.
const optimizedWasm = buildEngine('eventsource', []);
const wasmBytes = readFileSync(optimizedWasm);
// The parser's own module (`eventsource-wasm/parser`): the stream parser alone, with its `sp_*`
// exports (feature `parser-abi`), in a target directory of its own so that the builds do not undo
// each other's. Built for speed, not size (opt-level 3, wasm-opt -O3), with WebAssembly's 128-bit
// SIMD: lines and the ASCII start of a chunk are found sixteen bytes at a time. Where WebAssembly
// has no SIMD, the script tag's fallback covers it (README). wasm2js cannot translate SIMD: the
// CSP fallback (parser.wasm2js.js) is a second build without it.
const buildParser = (dir, features) => {
  execFileSync('cargo', ['rustc', '--quiet', '--release', '--lib', '--crate-type', 'cdylib', '--features', 'parser-abi',
    '--target', 'wasm32-unknown-unknown', '--target-dir', join(root, dir), '-Zbuild-std=core,alloc'], {
    cwd: root, stdio: 'inherit',
    env: {
      ...process.env, RUSTC_BOOTSTRAP: '1',
      RUSTFLAGS: `-Zunstable-options -Cpanic=immediate-abort -Clink-arg=-zstack-size=16384 -Copt-level=3 ${features}`,
    },
  });
  return join(root, dir, 'wasm32-unknown-unknown/release/eventsource_wasm.wasm');
};
const parserWasm = join(root, 'target/js/parser.wasm');
optimizeEngine(root, buildParser('target/parser', '-Ctarget-feature=+simd128'), parserWasm, false, 'sp_', ['-O3', '--enable-simd']);
const parserScalarWasm = join(root, 'target/js/parser-scalar.wasm');
optimizeEngine(root, buildParser('target/parser-scalar', ''), parserScalarWasm, false, 'sp_', ['-O3']);

// 2. The JavaScript, with the wasm inlined so one file is the whole package: no path to guess
// for script tags, no loader configuration for bundlers. `eventsource:core` picks the engine
// loader per output; the script-tag files are ES5.
// Each engine as JavaScript (wasm2js), without its module's instantiation tail.
const translate = (wasm, out) => {
  wasm2js(root, wasm, out);
  const translated = trimTranslation(readFileSync(out, 'utf8'));
  const tail = translated.indexOf('var retasmFunc');
  if (tail < 0 || !translated.includes('function asmFunc(')) throw new Error('unexpected wasm2js output');
  return translated.slice(0, tail);
};
const engines = {
  script: { wasm: wasmBytes, translated: translate(optimizedWasm, join(root, 'target/js/core.wasm2js.mjs')) },
  legacy: { wasm: null, translated: translate(legacyWasm, join(root, 'target/js/core-legacy.wasm2js.mjs')) },
  npm: { wasm: readFileSync(npmWasm), translated: null },
  npmLegacy: { wasm: null, translated: translate(npmLegacyWasm, join(root, 'target/js/core-npm.wasm2js.mjs')) },
  // The parser's: its fast module inlined, the scalar one translated.
  parser: {
    wasm: readFileSync(parserWasm),
    translated: translate(parserScalarWasm, join(root, 'target/js/parser.wasm2js.mjs')),
  },
};

await checkPlatforms(js);
// An output's build-time modules: `engine` one of `engines`. `alphabet` null: the first pass's empty
// engine text (bundle() below).
const virtualModules = (engine, platform) => (alphabet) =>
  engineModules({ js, wasm: alphabet && engine.wasm, translated: engine.translated, platform, alphabet: alphabet || undefined });
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg, { recursive: true });
// Internal property names start with one underscore; minification shortens them. protocol.js's
// numbers are `const`, so that the minifier writes them where they are used; esbuild cannot turn a
// `const` into ES5, so the ES5 outputs are built as if it could (`supported`): each constant is
// inlined and its declaration dropped, and es-check proves below that no `const` is left.
const common = { supported: { 'const-and-let': true }, bundle: true, minify: true, mangleProps: /^_[a-z]/, legalComments: 'none', logLevel: 'warning', metafile: true };
// A second minifier over esbuild's: esbuild bundles, writes the protocol's numbers where they are
// used and shortens internal property names; terser then folds the constants it can prove (the
// platform's RESTARTS, lifecycle's WATCHES), drops the code they make dead and shortens further:
// 2 to 4% of each file gzipped. Its output syntax is esbuild's target (ES5 or ES2017). Not
// `hoist_props`: a function keeps the name of the object literal's member it was written as
// (`EventSource.fromReadableStream.name`, checked against native by tests/browser/webidl.mjs).
// Kept only where smaller gzipped (parser.wasm2js.js keeps esbuild's output).
const finish = async (code, { format, target }) => {
  const terse = (await minify(code, {
    module: format === 'esm', toplevel: true, ecma: target === 'es5' ? 5 : 2017, compress: { passes: 2, hoist_props: false }, mangle: true,
  })).code;
  return gzipSync(terse, { level: 9 }).length <= gzipSync(code, { level: 9 }).length ? terse : code;
};
// Each output's metafile (bytes per input module, before terser) is kept for
// scripts/size-report.mjs. `engine` (virtualModules of an engine and a platform): bundled twice,
// first with an empty engine text to find the characters the output's code uses most, which then
// spell its inlined engine (scripts/engine-modules.mjs, encodeInlined).
// `compileAll`: the file starts with V8's explicit compile hint, so that Chromium compiles its
// functions while loading it rather than each on its first call: the first new EventSource() and its
// first event then run compiled code (measured, first event from the constructor, medians of 61:
// 1.0 ms sooner). Other engines read a comment.
const COMPILE_ALL = '//# allFunctionsCalledOnLoad\n';
const bundle = async (name, { compileAll, ...options }, engine) => {
  const outfile = join(pkg, name);
  const build = async (plugins) => {
    const result = await esbuild.build({ ...common, ...options, plugins, outfile, write: false });
    return { result, code: await finish(result.outputFiles[0].text, options) };
  };
  let plugins = options.plugins || [];
  if (engine) plugins = [engine(inlineAlphabet((await build([engine(null), ...plugins])).code)), ...plugins];
  const { result, code } = await build(plugins);
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, (compileAll ? COMPILE_ALL : '') + code);
  const meta = join(root, 'target/js', `meta-${name.replace(/\//g, '-').replace(/\.[cm]?js$/, '')}`);
  writeFileSync(`${meta}.json`, JSON.stringify(result.metafile));
  // The metafile's byte counts are of esbuild's output: the size report reads it beside them.
  writeFileSync(`${meta}.js`, result.outputFiles[0].text);
};
// npm: ESM with the WebAssembly engine; the polyfill entry imports the same module.
// Each polyfill entry imports its class entry's file instead of bundling the engine a second time.
const usesEntry = (file) => ({
  name: 'polyfill-uses-entry',
  setup(build) { build.onResolve({ filter: /^\.\/event-source\.js$/ }, () => ({ path: `./${file}`, external: true })); },
});
const npmBuild = (entry, outfile, format, target, plugin, engine) => bundle(outfile, {
  entryPoints: [join(js, entry)], format, target, plugins: plugin ? [plugin] : [],
}, engine);
await npmBuild('index.js', 'index.js', 'esm', 'es2017', null, virtualModules(engines.npm, 'modern.js'));
await npmBuild('polyfill.js', 'polyfill.js', 'esm', 'es2017', usesEntry('index.js'));
// npm for Node's `require` (Node 18 to 20.18 and 22.0-22.11 cannot require an ES module): the same
// engine as CommonJS, in node/. Node's `import` takes the two-line ESM wrappers node/*.mjs around
// these, so one process holds one engine however the package is loaded; browsers and bundlers
// take the ESM.
await npmBuild('index.js', 'node/index.cjs', 'cjs', 'es2017', null, virtualModules(engines.npm, 'modern.js'));
await npmBuild('polyfill.js', 'node/polyfill.cjs', 'cjs', 'es2017', usesEntry('index.cjs'));
for (const file of ['index.mjs', 'polyfill.mjs']) copyFileSync(join(js, 'node', file), join(pkg, 'node', file));
// npm 'eventsource-wasm/legacy': the class with eventsource.legacy.js's engine (wasm2js) and
// platform (XHR transport, event stand-ins), ES5 inside its ESM import/export, for bundling into
// pages that must run in IE10/11 and EdgeHTML or under a CSP without 'wasm-unsafe-eval'.
await npmBuild('index.js', 'legacy.js', 'esm', 'es5', null, virtualModules(engines.npmLegacy, 'legacy.js'));
await npmBuild('polyfill.js', 'legacy-polyfill.js', 'esm', 'es5', usesEntry('legacy.js'));
// Script tags: ES5 files. eventsource.js (WebAssembly engine) hands over to eventsource.legacy.js
// (wasm2js engine, XHR, event stand-ins) in runtimes that lack what it needs. Both leave out the
// `shared` option's machinery (src/js/shared-off.js says why).
const sharedOff = {
  name: 'shared-off',
  setup(build) { build.onResolve({ filter: /^\.\/shared\.js$/ }, () => ({ path: join(js, 'shared-off.js') })); },
};
// eventsource.js also takes the engine from eventsource.wasm2js.js where WebAssembly may not
// compile (platform/wasm-fallback.js).
const wasmFallback = {
  name: 'wasm-fallback',
  setup(build) {
    build.onResolve({ filter: /^\.\/wasm-fallback\.js$/ }, () => ({ path: join(js, 'platform/wasm-fallback-script.js') }));
  },
};
// The script-tag files ignore reconnectOnResume too (src/js/lifecycle-off.js says why).
const lifecycleOff = {
  name: 'lifecycle-off',
  setup(build) { build.onResolve({ filter: /^\.\/lifecycle\.js$/ }, () => ({ path: join(js, 'lifecycle-off.js') })); },
};
await bundle('eventsource.js', {
  entryPoints: [join(js, 'script-tag.js')], format: 'iife', target: 'es5', compileAll: true,
  plugins: [sharedOff, lifecycleOff, wasmFallback],
}, virtualModules(engines.script, 'modern.js'));
await bundle('eventsource.legacy.js', {
  entryPoints: [join(js, 'script-tag-legacy.js')], format: 'iife', target: 'es5',
  plugins: [sharedOff, lifecycleOff],
}, virtualModules(engines.legacy, 'legacy.js'));
// eventsource.wasm2js.js: the engine alone as JavaScript, which eventsource.js loads from beside
// itself where a Content-Security-Policy refuses to compile WebAssembly.
await bundle('eventsource.wasm2js.js', {
  entryPoints: [join(js, 'script-tag-wasm2js.js')], format: 'iife', target: 'es5',
}, virtualModules(engines.script, 'modern.js'));

// npm 'eventsource-wasm/parser': the engine's event stream parser alone, for applications that
// fetch by themselves (its own copy of the engine, so that the EventSource entries stay as small).
await npmBuild('parser.js', 'parser.js', 'esm', 'es2017', null, virtualModules(engines.parser, 'modern.js'));
copyFileSync(join(js, 'parser.d.ts'), join(pkg, 'parser.d.ts'));
// The same for a script tag: the global EventSourceParser (src/js/script-tag-parser.js), with a
// fallback to parser.wasm2js.js (its engine as JavaScript) beside it where a CSP refuses
// WebAssembly, as eventsource.js has.
const parserFallback = {
  name: 'parser-fallback',
  setup(build) {
    build.onResolve({ filter: /^\.\/wasm-fallback\.js$/ }, () => ({ path: join(js, 'platform/wasm-fallback-parser.js') }));
  },
};
await bundle('parser.global.js', {
  entryPoints: [join(js, 'script-tag-parser.js')], format: 'iife', target: 'es5', plugins: [parserFallback],
}, virtualModules(engines.parser, 'modern.js'));
await bundle('parser.wasm2js.js', {
  entryPoints: [join(js, 'script-tag-parser-wasm2js.js')], format: 'iife', target: 'es5',
}, virtualModules(engines.parser, 'modern.js'));

// The script-tag files and the legacy entries must parse in ES5 engines.
execFileSync(join(root, 'node_modules/.bin/es-check'), ['es5', '--quiet',
  ...['eventsource.js', 'eventsource.legacy.js', 'eventsource.wasm2js.js', 'parser.global.js', 'parser.wasm2js.js']
    .map((file) => join(pkg, file))], { cwd: root, stdio: 'inherit' });
execFileSync(join(root, 'node_modules/.bin/es-check'), ['es5', '--module', '--quiet',
  ...['legacy.js', 'legacy-polyfill.js'].map((file) => join(pkg, file))], { cwd: root, stdio: 'inherit' });

// 3. Package metadata and types.
const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, 'Cargo.toml'), 'utf8'))[1];
const manifest = JSON.parse(readFileSync(join(js, 'package.json'), 'utf8'));
manifest.version = version;
writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
for (const file of ['index.d.ts', 'polyfill.d.ts']) copyFileSync(join(js, file), join(pkg, file));
// require's types: index.d.ts again, as a .d.cts so TypeScript takes it as the CommonJS module's.
copyFileSync(join(js, 'index.d.ts'), join(pkg, 'node/index.d.cts'));
copyFileSync(join(js, 'node/polyfill.d.cts'), join(pkg, 'node/polyfill.d.cts'));
for (const file of ['legacy.d.ts', 'legacy-polyfill.d.ts']) copyFileSync(join(js, file), join(pkg, file));
copyFileSync(join(root, 'README.md'), join(pkg, 'README.md'));

// 4. Sizes.
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const scriptTag = readFileSync(join(pkg, 'eventsource.js'));
const moduleEntry = readFileSync(join(pkg, 'index.js'));
const noWasmFile = readFileSync(join(pkg, 'eventsource.legacy.js'));
const wasm2jsFile = readFileSync(join(pkg, 'eventsource.wasm2js.js'));
const sizes = {
  wasm: { raw: wasmBytes.length, gzip: gz(wasmBytes) },
  noWasm: { raw: noWasmFile.length, gzip: gz(noWasmFile) },
  wasm2js: { raw: wasm2jsFile.length, gzip: gz(wasm2jsFile) },
  scriptTag: { raw: scriptTag.length, gzip: gz(scriptTag) },
  module: { raw: moduleEntry.length, gzip: gz(moduleEntry) },
};
// The other npm entries, by file name.
sizes.npm = {};
for (const file of ['index.js', 'node/index.cjs', 'node/index.mjs', 'polyfill.js', 'node/polyfill.cjs', 'node/polyfill.mjs',
  'legacy.js', 'legacy-polyfill.js', 'parser.js', 'parser.global.js', 'parser.wasm2js.js']) {
  const bytes = readFileSync(join(pkg, file));
  sizes.npm[file] = { raw: bytes.length, gzip: gz(bytes) };
}
writeFileSync(join(root, 'target/js/sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
console.log(`size: wasm ${sizes.wasm.raw} B (${sizes.wasm.gzip} B gzip); ` +
  `script-tag eventsource.js ${sizes.scriptTag.raw} B, total gzipped transfer ${sizes.scriptTag.gzip} B; ` +
  `npm index.js ${sizes.module.gzip} B gzip; ` +
  `legacy eventsource.legacy.js ${sizes.noWasm.raw} B (${sizes.noWasm.gzip} B gzip); ` +
  `CSP fallback eventsource.wasm2js.js ${sizes.wasm2js.raw} B (${sizes.wasm2js.gzip} B gzip)`);
console.log(`size: npm ${Object.entries(sizes.npm).map(([file, size]) => `${file} ${size.raw} B (${size.gzip} B gzip)`).join(', ')}`);

/**
 * wasm2js's output, trimmed where the minifier cannot: it declares every typed-array view and
 * `Math` function it might use (property reads, which esbuild keeps for their possible side
 * effects) and recreates every view when memory grows. Declarations of names used nowhere else,
 * and their recreation, go. And `memory.copy` becomes `set(subarray())`, which IE10/11 have
 * (`copyWithin` and `fill` are ES2015; `memory.fill` becomes a loop); `set` copies overlapping ranges as `memory.copy` must (the source is
 * cloned first when both views share a buffer: ECMA-262, SetTypedArrayFromTypedArray).
 */
function trimTranslation(text) {
  text = inlineSegments(text);
  // The memory export as an object literal with a getter (ES5), not Object.create and descriptors.
  const memory = /"memory": Object\.create\(Object\.prototype, \{\s*"grow": \{\s*"value": (\w+)\s*\},\s*"buffer": \{\s*"get": function \(\) \{\s*return buffer;\s*\}\s*\}\s*\}\)/;
  if (!memory.test(text)) throw new Error('unexpected wasm2js memory export');
  text = text.replace(memory, '"memory": { grow: $1, get buffer() { return buffer; } }');
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
  // src/js/platform/core-nowasm.js supplies imul and clz32 where IE10/11 lack them; the others
  // here are as old as JavaScript.
  const supplied = ['imul', 'clz32', 'abs', 'ceil', 'floor', 'max', 'min', 'sqrt'];
  const maths = [...out.matchAll(/^ var Math_(\w+) = /gm)].map((m) => m[1]).filter((f) => !supplied.includes(f));
  if (maths.length) throw new Error(`wasm2js output uses Math.${maths.join(', Math.')}: supply it for IE10/11`);
  return out;
}

/**
 * wasm2js writes the module's data segments (a few dozen bytes here) in base64, with a decoder
 * and its lookup table to read them: each segment becomes a `set` of its bytes instead, and the
 * decoder goes.
 */
function inlineSegments(text) {
  const segment = /base64DecodeToExistingUint8Array\(bufferView, (\d+), "([^"]*)"\);/g;
  const decoder = /^ {2}var base64ReverseLookup = [^]*?\n {2}function base64DecodeToExistingUint8Array\([^]*?\n {2}}\n/m;
  if (!decoder.test(text)) throw new Error('unexpected wasm2js data segments');
  const out = text.replace(decoder, '').replace(segment, (_, offset, base64) =>
    `bufferView.set([${[...Buffer.from(base64, 'base64')].join(',')}], ${offset});`);
  if (out.includes('base64')) throw new Error('wasm2js data segments left in base64');
  return out;
}
