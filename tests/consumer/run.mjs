// The bundler check: `npm pack` the built package, install the tarball into a scratch app, bundle
// the app with esbuild and no configuration, and run the bundle in headless Chromium against the
// test server. Prints `N passed, M failed`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { launch } from '../browser/common.mjs';
import { root, sseUrl, startServer, uniqueKey } from '../support/server.mjs';

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

const server = await startServer();
const browser = await launch('chromium');
let passed = 0;
let failed = 0;
try {
  const page = await browser.newPage();
  // The app reads its stream's URL from the page's query.
  const stream = sseUrl('', uniqueKey('consumer'), [{ body: 'id: 7\ndata: bundled\n\nevent: custom\ndata: two\n\n', end: 'hold' }]);
  await page.goto(`${server.a}/www/test/consumer.html?stream=${encodeURIComponent(stream)}`);
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
  await server.stop();
}
console.log(`consumer: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
