// A shortened soak in headless Chromium (the long one: `--long`): create/close cycles of separate
// sources, reconnection cycles of one source (every event arrives once, in order), and many
// sources at once; the live JS heap after each phase must not grow beyond noise.
// Ends with one line: `soak: N passed, M failed`.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const long = process.argv.includes('--long');
const plan = long ? { cycles: 1000, reconnects: 10000, concurrent: 100 } : { cycles: 200, reconnects: 1000, concurrent: 100 };
const server = spawn(join(root, 'target/server/sse-test-server'), ['--root', root, '--exit-on-stdin-eof'],
  { stdio: ['pipe', 'pipe', 'inherit'] });
const origins = JSON.parse(await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve)));
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium', headless: true, userDataDir: mkdtempSync(join(tmpdir(), 'chromium-')), protocolTimeout: 600000,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const page = await browser.newPage();
const started = Date.now();
await page.goto(`${origins.a}/www/test/soak.html?run=soak${process.pid}&cycles=${plan.cycles}&reconnects=${plan.reconnects}&concurrent=${plan.concurrent}`);
let result = null;
while (result === null && Date.now() - started < (long ? 600000 : 240000)) {
  result = await page.evaluate('window.__result || null');
  if (result === null) await sleep(200);
}
await browser.close();
server.stdin.end();
server.kill();
const outcome = result ? JSON.parse(result) : { problem: 'timed out', heap: [] };
const mb = (bytes) => (bytes / 1e6).toFixed(2);
// start, after the cycles, after the reconnections, after the concurrent sources
const [start, ...later] = outcome.heap;
const grew = later.some((value) => value > start + 2e6);
const ok = outcome.problem === null && outcome.reconnected === plan.reconnects && !grew;
console.log(`${ok ? 'ok  ' : 'FAIL'} ${plan.cycles} create/close cycles, ${outcome.reconnected ?? 0}/${plan.reconnects} reconnections ` +
  `(every event once, in order), ${plan.concurrent} sources at once; JS heap ${outcome.heap.map(mb).join(' → ')} MB ` +
  `in ${((Date.now() - started) / 1000).toFixed(1)} s${outcome.problem ? `; ${outcome.problem}` : ''}`);
console.log(`soak: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exit(ok ? 0 : 1);
