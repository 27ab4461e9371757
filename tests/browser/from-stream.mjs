// EventSource.fromReadableStream() and the parser stream in real browsers: the checks of
// www/test/from-stream.html against the modern (pkg/index.js) and legacy (pkg/legacy.js) npm
// modules, and of www/test/parser-global.html (the parser from a script tag), in Chromium,
// Firefox and WebKit. Prints ok/FAIL lines and `N passed, M failed`.
//   node tests/browser/from-stream.mjs [--browser chromium|firefox|webkit]
import { chosenBrowsers, launch, startServer, waitFor } from './common.mjs';

const origins = await startServer();
let passed = 0;
let failed = 0;
for (const name of chosenBrowsers()) {
  const browser = await launch(name);
  try {
    for (const src of ['/pkg/index.js', '/pkg/legacy.js', '/pkg/parser.global.js']) {
      const page = await browser.newPage();
      await page.goto(src === '/pkg/parser.global.js' ? `${origins.a}/www/test/parser-global.html`
        : `${origins.a}/www/test/from-stream.html?src=${encodeURIComponent(src)}`);
      const result = await waitFor(page, 'window.__result', (value) => Boolean(value), 30000);
      const results = result ? result.results : [['the page finished', false, 'no result in 30 s']];
      for (const [test, ok, detail] of results) {
        if (ok) passed++; else failed++;
        console.log(`${ok ? 'ok' : 'FAIL'} ${name} ${src}: ${test}${ok ? '' : ` ${detail}`}`);
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
