// The parser alone in headless Chromium (tests/bench/parser-cases.mjs, bundled into a page of the
// test server). `scripts/bench.sh`.
//   node tests/bench/parser-browser.mjs [--mb N]   (N: megabytes of events per run, default 64)
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { launch, root, startServer } from '../browser/common.mjs';

const i = process.argv.indexOf('--mb');
const totalBytes = (i > 0 ? Number(process.argv[i + 1]) : 64) * 1e6;
const bundle = await esbuild.build({
  stdin: { contents: "import { measure } from './parser-cases.mjs'; window.measure = measure;", resolveDir: join(root, 'tests/bench') },
  bundle: true, format: 'iife', write: false, logLevel: 'warning',
});
const origins = await startServer();
const browser = await launch('chromium');
try {
  const page = await browser.newPage();
  await page.goto(`${origins.a}/www/test/consumer.html`);
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  const lines = await page.evaluate((bytes) => window.measure(bytes, 'headless Chromium ' + navigator.userAgent.match(/Chrome\/([0-9.]+)/)[1]), totalBytes);
  for (const line of lines) console.log(line);
} finally {
  await browser.close();
  await origins.stop();
}
