// The demo as a visitor sees it (www/index.html with pkg/eventsource.js, the page's own
// EventSource removed), in Chromium, Firefox and WebKit against the test server: events from the
// live stream appear, readyState shows OPEN; "Cut the connection" ends the stream at the server,
// and the page reconnects and goes on from the next ID, nothing lost or shown twice. Each browser
// in turn (a cut ends every demo stream at the server).
// Usage: node tests/browser/demo.mjs [--browser chromium|firefox|webkit]... (default: all three).
// Ends with `demo: N passed, M failed`.
import { chosenBrowsers, launch, startServer, tally, waitFor } from './common.mjs';

const browsers = chosenBrowsers();
const WAIT = 15000; // ms for any awaited condition

// What the page shows: readyState, counters, and the IDs of the logged messages, oldest first.
const SHOWN = `JSON.stringify({
  state: document.getElementById('state').textContent,
  reconnects: Number(document.getElementById('reconnects').textContent),
  impl: document.getElementById('impl').textContent,
  ids: Array.prototype.map.call(document.querySelectorAll('#log li.message'), function (li) {
    return Number(/id (\\d+):/.exec(li.textContent)[1]);
  }).reverse(),
})`;

const server = await startServer();
const { check, counts, summary } = tally();

try {
  for (const name of browsers) {
    const browser = await launch(name);
    try {
      const page = await browser.newPage();
      await page.goto(`${server.a}/`);
      const shown = async (until) => JSON.parse(await waitFor(page, SHOWN, (text) => until(JSON.parse(text)), WAIT));
      const before = await shown((s) => s.state === 'OPEN' && s.ids.length >= 2);
      check(before.state === 'OPEN' && before.ids.length >= 2 && before.impl === 'eventsource-wasm',
        `${name}: the demo shows eventsource-wasm OPEN with events of the live stream`, before);
      await page.evaluate("document.getElementById('cut').click()");
      const after = await shown((s) => s.reconnects >= 1 && s.state === 'OPEN' && s.ids.length >= before.ids.length + 2);
      const consecutive = after.ids.every((id, i) => i === 0 || id === after.ids[i - 1] + 1);
      check(after.reconnects === 1 && after.state === 'OPEN' && consecutive && after.ids.length >= before.ids.length + 2,
        `${name}: "Cut the connection": one reconnection, then on from the next ID (${after.ids.join(' ')})`, after);
      await page.close();
    } catch (error) {
      check(false, `${name}: ${error.stack}`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.stop();
}
console.log(summary('demo'));
process.exit(counts.failed ? 1 : 0);
