// The bundler check: `npm pack` the built package, install the tarball into a scratch app, bundle
// the app with esbuild and no configuration, and run the bundle in headless Chromium against the
// test server. Prints `N passed, M failed`.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import * as esbuild from 'esbuild';
import puppeteer from 'puppeteer-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = join(root, 'target/consumer');
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });

const tarball = execFileSync('npm', ['pack', join(root, 'pkg'), '--pack-destination', scratch, '--silent'],
  { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true, type: 'module' }));
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', join(scratch, tarball)], { cwd: scratch });
copyFileSync(join(root, 'tests/consumer/app.js'), join(scratch, 'app.js'));
mkdirSync(join(root, 'www/gen'), { recursive: true });
await esbuild.build({
  entryPoints: [join(scratch, 'app.js')], bundle: true, format: 'esm', logLevel: 'warning',
  outfile: join(root, 'www/gen/consumer.js'), absWorkingDir: scratch,
});

const server = spawn(join(root, 'target/server/sse-test-server'), ['--root', root, '--exit-on-stdin-eof'],
  { stdio: ['pipe', 'pipe', 'inherit'] });
const origins = JSON.parse(await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve)));
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let passed = 0;
let failed = 0;
try {
  const page = await browser.newPage();
  await page.goto(`${origins.a}/www/test/consumer.html`);
  const result = await page.waitForFunction('window.__result', { timeout: 15000 }).then((h) => h.jsonValue());
  const expected = {
    polyfillKeptNative: true, isEventTarget: true,
    messages: [['message', 'bundled', '7'], ['custom', 'two', '7']], readyState: 2,
  };
  if (JSON.stringify(result) === JSON.stringify(expected)) {
    passed++;
    console.log('ok   esbuild bundle of the packed npm package runs in Chromium');
  } else {
    failed++;
    console.log(`FAIL esbuild bundle: got ${JSON.stringify(result)}, want ${JSON.stringify(expected)}`);
  }
} catch (error) {
  failed++;
  console.log(`FAIL esbuild bundle: ${error.message}`);
} finally {
  await browser.close();
  server.stdin.end();
  server.kill();
}
console.log(`consumer: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
