// The bundler matrix: the package as `npm pack` publishes it, installed from the tarball into a
// scratch app, bundled with no configuration file by webpack, Rollup (node-resolve by CLI flag),
// esbuild, Vite and Parcel, each bundle run in headless Chromium, Firefox and WebKit against the
// test server.
// Per bundler: the modern app (class + polyfill entry) and the legacy app (eventsource-wasm/legacy)
// receive events through our class with the native EventSource present (the polyfill leaves it) and
// removed (the polyfill installs ours); each bundle holds exactly one engine; an app that imports
// the package without using it holds none; an app that imports it and requires it from a CommonJS
// module gets one class and one engine (not Rollup: without @rollup/plugin-commonjs it leaves
// require() alone). Also: the legacy app's untranspiled bundles are ES5.
// The bundlers are pinned in tests/consumer/bundlers and installed once (npm ci) into
// target/consumer-bundlers, with the TypeScript compiler that checks the types (tests/consumer/app/types).
// Prints ok/FAIL per check and `consumer: N passed, M failed`.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { launch, waitFor } from '../browser/common.mjs';
import { sseUrl, startServer, uniqueKey } from '../support/server.mjs';

const started = Date.now();
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const here = join(root, 'tests/consumer');
const tools = join(root, 'target/consumer-bundlers');
const app = join(tools, 'app');
const gen = join(root, 'www/gen/consumer');
const run = promisify(execFile);
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null;

let passed = 0;
let failed = 0;
function report(ok, name, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail ? `: ${detail}` : ''}`);
}

// 1. The bundlers, installed once per lockfile: a stamp holds the hash of what was installed.
const manifest = readFileSync(join(here, 'bundlers/package.json'));
const lock = readFileSync(join(here, 'bundlers/package-lock.json'));
const stampFile = join(tools, '.installed');
const stamp = createHash('sha256').update(manifest).update(lock).update(process.version).digest('hex');
if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
  const t = Date.now();
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, 'package.json'), manifest);
  writeFileSync(join(tools, 'package-lock.json'), lock);
  // No install scripts needed: esbuild, Rollup, Rolldown (Vite), SWC, Lightning CSS, lmdb and
  // @parcel/watcher all take their native binaries from per-platform optional packages.
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'], { cwd: tools, stdio: 'inherit' });
  writeFileSync(stampFile, stamp);
  console.log(`     bundlers installed in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
const bin = (name) => join(tools, 'node_modules/.bin', name);
const versionOf = (name) => JSON.parse(readFileSync(join(tools, 'node_modules', name, 'package.json'), 'utf8')).version;

// 2. The scratch app: the packed tarball installed as a user installs it, and the app sources.
rmSync(app, { recursive: true, force: true });
mkdirSync(app, { recursive: true });
const tarball = execFileSync('npm', ['pack', join(root, 'pkg'), '--pack-destination', app, '--silent'],
  { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true, type: 'module' }));
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', join(app, tarball)], { cwd: app });
cpSync(join(here, 'app'), app, { recursive: true });

// Markers of the two engines as the package inlines them: a piece of the wasm's text (the one long
// string literal of index.js: scripts/engine-modules.mjs, encodeInlined), and the longest data
// segment of the wasm2js translation, which the build writes as an array of its bytes
// (scripts/build.mjs, inlineSegments; literals survive any minifier).
const wasmText = /"([^"\\]{1000,})"/.exec(readFileSync(join(app, 'node_modules/eventsource-wasm/index.js'), 'utf8'))[1];
const markers = {
  wasm: wasmText.slice(1000, 1064),
  wasm2js: [...readFileSync(join(root, 'target/js/core-npm.wasm2js.mjs'), 'utf8')
    .matchAll(/base64DecodeToExistingUint8Array\(bufferView, \d+, "([^"]+)"\)/g)]
    .map((m) => [...Buffer.from(m[1], 'base64')]).sort((a, b) => b.length - a.length)
    // Its bytes as the array's text, with or without spaces (a bundler may reprint it).
    .map((bytes) => bytes.length >= 16 && new RegExp(bytes.join(',\\s*')))[0],
};
if (!markers.wasm2js) throw new Error('no wasm2js data segment to recognise the legacy engine by');
const legacyFile = readFileSync(join(app, 'node_modules/eventsource-wasm/legacy.js'), 'utf8');
if (!markers.wasm2js.test(legacyFile) || legacyFile.includes(markers.wasm)) throw new Error('engine markers do not tell the entries apart');

// 3. The bundles: every bundler builds every app, from the CLI, without a configuration file.
// `mixed` imports the package and requires it from a CommonJS module: not for Rollup, which
// leaves require() alone unless @rollup/plugin-commonjs is added.
const appsOf = (bundler) => ['modern', 'legacy', 'unused', ...(bundler === 'rollup' ? [] : ['mixed'])];
const bundlers = {
  webpack: (name, out) => [bin('webpack'), [`./${name}/main.js`, '--mode', 'production', '--output-path', out]],
  rollup: (name, out) => [bin('rollup'), [`${name}/main.js`, '-p', 'node-resolve', '-o', join(out, 'main.js')]],
  esbuild: (name, out) => [bin('esbuild'), [`${name}/main.js`, '--bundle', `--outfile=${join(out, 'main.js')}`, '--log-level=warning']],
  vite: (name, out) => [bin('vite'), ['build', name, '--outDir', out, '--emptyOutDir', '--base', './', '--logLevel', 'warn']],
  parcel: (name, out) => [bin('parcel'), ['build', `${name}/index.html`, '--dist-dir', out, '--public-url', './',
    '--no-source-maps', '--no-cache', '--log-level', 'warn']],
};
const versions = { webpack: versionOf('webpack'), rollup: versionOf('rollup'), esbuild: versionOf('esbuild'),
  vite: versionOf('vite'), parcel: versionOf('parcel') };
const names = Object.keys(bundlers).filter((name) => !only || only.includes(name));
rmSync(gen, { recursive: true, force: true });

const jobs = names.flatMap((bundler) => appsOf(bundler).map((name) => ({ bundler, name, out: join(gen, bundler, name) })));
// Two at a time: the machine has two cores, and webpack and Parcel each keep one busy.
const buildStart = Date.now();
const builds = new Map();
let next = 0;
await Promise.all([0, 1].map(async () => {
  while (next < jobs.length) {
    const job = jobs[next++];
    const [command, args] = bundlers[job.bundler](job.name, job.out);
    const t = Date.now();
    try {
      await run(command, args, { cwd: app, env: { ...process.env, NO_COLOR: '1', BROWSERSLIST_IGNORE_OLD_DATA: '1' } });
      builds.set(`${job.bundler}/${job.name}`, { ok: true, ms: Date.now() - t });
    } catch (error) {
      builds.set(`${job.bundler}/${job.name}`, { ok: false, error: `${error.message}\n${error.stdout}\n${error.stderr}`.slice(0, 2000) });
    }
  }
}));
console.log(`     ${jobs.length} bundles in ${((Date.now() - buildStart) / 1000).toFixed(1)} s`);

// The types, as TypeScript resolves them from the installed package: ES module and CommonJS in
// Node (module nodenext: `import` conditions, and `require` ones reaching node/*.d.cts), and a
// bundler project (moduleResolution bundler). Every entry, lib.dom's EventSource shape.
const tsc = (args) => run(bin('tsc'), ['--noEmit', '--strict', '--lib', 'es2022,dom', '--types', '', ...args], { cwd: app })
  .then(() => null, (error) => `${error.stdout}${error.stderr}`.slice(0, 2000));
const typeResults = await Promise.all([
  tsc(['--module', 'nodenext', 'types/esm.mts', 'types/cjs.cts']),
  tsc(['--module', 'esnext', '--moduleResolution', 'bundler', 'types/bundler.ts']),
]);
report(typeResults[0] === null, `TypeScript ${versionOf('typescript')}: types of every entry for Node's import and require (module nodenext)`, typeResults[0]);
report(typeResults[1] === null, `TypeScript ${versionOf('typescript')}: types of every entry for bundlers (moduleResolution bundler)`, typeResults[1]);

/** Every .js file a build wrote, and the page query that loads the entry's scripts. */
function outputOf(bundler, name) {
  const out = join(gen, bundler, name);
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith('.js')) files.push(join(dir, entry.name));
    }
  };
  walk(out);
  const base = `/www/gen/consumer/${bundler}/${name}/`;
  let scripts;
  let type = 'module';
  if (existsSync(join(out, 'index.html'))) {
    // Vite and Parcel write the page: load the scripts it loads (module scripts; not nomodule).
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1])
      .filter((attrs) => /\bsrc=/.test(attrs) && !/\bnomodule\b/.test(attrs))
      .map((attrs) => {
        if (!/\btype=["']?module\b/.test(attrs)) type = 'classic';
        return base + /\bsrc=["']?([^"'\s>]+)/.exec(attrs)[1].replace(/^\.?\//, '');
      });
  } else {
    scripts = [base + 'main.js'];
    // webpack and esbuild write classic scripts; Rollup an ES module.
    if (bundler !== 'rollup') type = 'classic';
  }
  return { files, query: `${scripts.map((src) => `src=${encodeURIComponent(src)}`).join('&')}&type=${type}` };
}

const count = (text, marker) => text.split(marker).length - 1;

// 4. The browsers: one launch each, every page. Chromium runs a bundler's pages at once; Firefox
// and WebKit one after another (their drivers race when pages open and close together).
const server = await startServer();
const origins = server;
const ENGINES = ['chromium', 'firefox', 'webkit'];
const browsers = {};
for (const name of ENGINES) browsers[name] = await launch(name);

async function inPage(engine, query) {
  const page = await browsers[engine].newPage();
  try {
    const stream = sseUrl('', uniqueKey('consumer'), [{ body: 'id: 7\ndata: bundled\n\nevent: custom\ndata: two\n\n', end: 'hold' }]);
    await page.goto(`${origins.a}/www/test/consumer.html?${query}&stream=${encodeURIComponent(stream)}`);
    return (await waitFor(page, 'window.__result || null', (value) => value !== null, 15000)) ?? { error: 'no result in 15 s' };
  } catch (error) {
    return { error: error.message };
  } finally {
    await page.close();
  }
}

const expectedRun = (installed) => ({
  installed, sameClass: true, isEventTarget: true,
  messages: [['message', 'bundled', '7'], ['custom', 'two', '7']], readyState: 2,
});

try {
  for (const bundler of names) {
    const label = `${bundler} ${versions[bundler]}`;
    const apps = appsOf(bundler);
    const failedBuilds = apps.filter((name) => !builds.get(`${bundler}/${name}`).ok);
    report(!failedBuilds.length, `${label}: builds the ${apps.join(', ')} apps with no configuration file ` +
      `(${apps.map((name) => `${builds.get(`${bundler}/${name}`).ms ?? '-'} ms`).join(', ')})`,
    failedBuilds.map((name) => `${name}: ${builds.get(`${bundler}/${name}`).error}`).join('\n'));
    const outputs = Object.fromEntries(apps.map((name) => [name, failedBuilds.includes(name) ? null : outputOf(bundler, name)]));
    const texts = Object.fromEntries(apps.map((name) => [name,
      outputs[name] ? outputs[name].files.map((file) => readFileSync(file, 'utf8')).join('\n') : '']));

    // The pages of this bundler, in each browser.
    const runs = [];
    for (const name of ['modern', 'legacy']) {
      for (const native of ['keep', 'remove']) runs.push({ name, native });
    }
    if (apps.includes('mixed')) runs.push({ name: 'mixed', native: 'keep' });
    const open = (engine, { name, native }) => (outputs[name]
      ? inPage(engine, `${outputs[name].query}&native=${native}`) : Promise.resolve({ error: 'not built' }));
    for (const engine of ENGINES) {
      const results = [];
      if (engine === 'chromium') results.push(...await Promise.all(runs.map((r) => open(engine, r))));
      else for (const r of runs) results.push(await open(engine, r));
      runs.forEach(({ name, native }, i) => {
        const want = expectedRun(native === 'keep' ? 'native' : 'ours');
        report(JSON.stringify(results[i]) === JSON.stringify(want),
          `${label} in ${engine}: ${name === 'mixed' ? 'mixed app, import and require(): one class (sameClass), events arrive through it' : `${name} app, native EventSource ${native === 'keep' ? 'present: events arrive through our class, the polyfill leaves native in place' : 'removed: the polyfill installs our class, events arrive'}`}`,
          `got ${JSON.stringify(results[i])}, want ${JSON.stringify(want)}`);
      });
    }

    const engines = (name) => ({ wasm: count(texts[name], markers.wasm), wasm2js: count(texts[name], markers.wasm2js) });
    const modern = engines('modern');
    report(modern.wasm === 1 && modern.wasm2js === 0, `${label}: modern bundle holds one engine (WebAssembly), not the legacy one`,
      JSON.stringify(modern));
    const legacy = engines('legacy');
    const xhr = texts.legacy.includes('XMLHttpRequest');
    report(legacy.wasm2js === 1 && legacy.wasm === 0 && xhr,
      `${label}: legacy bundle holds one engine (wasm2js) and the XHR transport, not the WebAssembly engine`,
      JSON.stringify({ ...legacy, xhr }));
    if (apps.includes('mixed')) {
      const mixed = engines('mixed');
      report(mixed.wasm === 1 && mixed.wasm2js === 0, `${label}: mixed bundle (import and require) holds one engine`, JSON.stringify(mixed));
    }
    const unused = engines('unused');
    const size = texts.unused.length;
    report(outputs.unused && unused.wasm === 0 && unused.wasm2js === 0 && size < 2000,
      `${label}: an imported but unused class leaves no engine in the bundle (${size} B of output)`, JSON.stringify(unused));
  }

  // ES5: bundles that do not transpile (Rollup's output, esbuild's ES module output) show what
  // the legacy subpath itself brings. esbuild's default IIFE wrapper is an arrow function, and it
  // reprints syntax for its target (`{ s: s }` becomes `{ s }` under the default esnext), so it
  // is told `--target=es5`, which lowers nothing here: it refuses syntax it cannot lower.
  if (names.includes('esbuild') || names.includes('rollup')) {
    const es5Dir = join(gen, 'es5');
    mkdirSync(es5Dir, { recursive: true });
    const es5Bundles = [];
    try {
      await run(bin('esbuild'), ['legacy/main.js', '--bundle', '--format=esm', '--target=es5', `--outfile=${join(es5Dir, 'esbuild.js')}`, '--log-level=warning'], { cwd: app });
      es5Bundles.push(join(es5Dir, 'esbuild.js'));
      if (builds.get('rollup/legacy')?.ok) {
        copyFileSync(join(gen, 'rollup/legacy/main.js'), join(es5Dir, 'rollup.js'));
        es5Bundles.push(join(es5Dir, 'rollup.js'));
      }
      const noModuleSyntax = es5Bundles.every((file) => !/^\s*(import|export)\b/m.test(readFileSync(file, 'utf8')));
      await run(join(root, 'node_modules/.bin/es-check'), ['es5', ...es5Bundles], { cwd: root });
      report(noModuleSyntax, `legacy subpath bundled without transpiling is ES5 (es-check es5: ${es5Bundles.map((f) => relative(root, f)).join(', ')})`);
    } catch (error) {
      report(false, 'legacy subpath bundled without transpiling is ES5', `${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`.slice(0, 2000));
    }
  }
} finally {
  for (const name of ENGINES) await browsers[name].close();
  await server.stop();
}
console.log(`     matrix took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`consumer: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
