// Builds the npm package and the script-tag file into pkg/ and prints their sizes.
// Steps: cargo (wasm32, release) → wasm-opt -Oz (npm binaryen) → esbuild bundles with the wasm
// inlined → package.json, types, README. Run through scripts/build.sh, which installs what it needs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const js = join(root, 'src', 'js');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

// 1. The engine, for wasm32.
run('cargo', ['build', '--quiet', '--release', '--lib', '--target', 'wasm32-unknown-unknown']);
const rawWasm = join(root, 'target/wasm32-unknown-unknown/release/eventsource_wasm.wasm');
mkdirSync(join(root, 'target/js'), { recursive: true });
const optimizedWasm = join(root, 'target/js/eventsource.wasm');
run(join(root, 'node_modules/binaryen/bin/wasm-opt'),
  ['-Oz', '--strip-debug', '--strip-producers', '--enable-bulk-memory', '--enable-sign-ext',
    '--enable-mutable-globals', '--enable-nontrapping-float-to-int', '--enable-multivalue',
    '--enable-reference-types', rawWasm, '-o', optimizedWasm]);
const wasmBytes = readFileSync(optimizedWasm);

// 2. The JavaScript, with the wasm inlined so one file is the whole package: no path to guess
// for script tags, no loader configuration for bundlers.
const inlineWasm = {
  name: 'inline-wasm',
  setup(build) {
    build.onResolve({ filter: /^wasm:inline$/ }, () => ({ path: 'wasm', namespace: 'inline-wasm' }));
    build.onLoad({ filter: /.*/, namespace: 'inline-wasm' }, () => ({
      contents: `export default ${JSON.stringify(wasmBytes.toString('base64'))};`,
      loader: 'js',
    }));
  },
};
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg, { recursive: true });
const common = { bundle: true, minify: true, plugins: [inlineWasm], legalComments: 'none', logLevel: 'warning' };
await esbuild.build({ ...common, entryPoints: [join(js, 'index.js')], format: 'esm', target: 'es2022', outfile: join(pkg, 'index.js') });
await esbuild.build({
  ...common, entryPoints: [join(js, 'polyfill.js')], format: 'esm', target: 'es2022',
  outfile: join(pkg, 'polyfill.js'), external: ['./event-source.js'],
  plugins: [inlineWasm, {
    name: 'polyfill-uses-index',
    setup(build) { build.onResolve({ filter: /^\.\/event-source\.js$/ }, () => ({ path: './index.js', external: true })); },
  }],
});
await esbuild.build({ ...common, entryPoints: [join(js, 'polyfill.js')], format: 'iife', target: 'es2022', outfile: join(pkg, 'eventsource.js') });

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
const sizes = {
  wasm: { raw: wasmBytes.length, gzip: gz(wasmBytes) },
  scriptTag: { raw: scriptTag.length, gzip: gz(scriptTag) },
  module: { raw: moduleEntry.length, gzip: gz(moduleEntry) },
};
sizes.scriptTagJsOnly = {
  raw: scriptTag.length - Math.ceil(wasmBytes.length / 3) * 4,
};
writeFileSync(join(root, 'target/js/sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
console.log(`size: wasm ${sizes.wasm.raw} B (${sizes.wasm.gzip} B gzip); ` +
  `script-tag eventsource.js ${sizes.scriptTag.raw} B, total gzipped transfer ${sizes.scriptTag.gzip} B; ` +
  `npm index.js ${sizes.module.gzip} B gzip`);
