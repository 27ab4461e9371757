// The benchmark: one headless Chromium run against the test server, the same streams through the
// native EventSource, ours (three ways) and the two most used peers; the parser alone; time to the
// first event. Prints one table with medians and ratios. Not part of the tests: `scripts/bench.sh`.
//   node tests/bench/run.mjs [--reps N] [--scale F] [--memory-mb M] [--only IMPL,IMPL]
// (F scales the stream lengths, default 1; M is the long stream of the memory figures, default 1000:
// 1 GB through each of native and ours' three transports; 0 skips it)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { launch } from '../browser/common.mjs';
import { root, startServer } from '../support/server.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const reps = arg('--reps', 3);
const scale = arg('--scale', 1);
const memoryMegabytes = arg('--memory-mb', 1000);

const STREAMS = [
  { name: '200,000 × 20 B', n: Math.round(200000 * scale), size: 20, lines: 1 },
  { name: '20,000 × 1 KB', n: Math.round(20000 * scale), size: 1024, lines: 1 },
  { name: '200 × 64 KB (64 lines)', n: Math.round(200 * scale), size: 65536, lines: 64 },
];
const ALL_IMPLS = ['native', 'ours', 'ours-legacy-xhr', 'ours-legacy-fetch', 'event-source-polyfill', 'event-source-polyfill-xhr',
  'eventsource4'];
// --only native,ours: a quicker run of some implementations (the ratios need native and a peer).
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null;
const IMPLS = only ? ALL_IMPLS.filter((impl) => only.includes(impl)) : ALL_IMPLS;
const LABELS = {
  native: 'native EventSource', ours: 'ours (wasm, fetch)', 'ours-legacy-xhr': 'ours (no-wasm build, XHR)',
  'ours-legacy-fetch': 'ours (no-wasm build, fetch)', 'event-source-polyfill': 'event-source-polyfill 1.0.31',
  'event-source-polyfill-xhr': 'event-source-polyfill 1.0.31 (XHR)',
  eventsource4: 'eventsource 4.1.1',
};

// Peer bundles and the parser page's bundle.
mkdirSync(join(root, 'www/gen'), { recursive: true });
await esbuild.build({
  stdin: { contents: "import { EventSource } from 'eventsource'; window.EventSourceV4 = EventSource;", resolveDir: root },
  bundle: true, minify: true, format: 'iife', outfile: join(root, 'www/gen/bench-eventsource4.js'), logLevel: 'warning',
});
const { engineModules } = await import('../../scripts/engine-modules.mjs');
const { readFileSync } = await import('node:fs');
const wasm = readFileSync(join(root, 'target/js/eventsource.wasm'));
await esbuild.build({
  entryPoints: [join(root, 'tests/bench/parser-entry.js')], bundle: true, minify: true, format: 'iife',
  outfile: join(root, 'www/gen/bench-parser.js'), logLevel: 'warning',
  plugins: [engineModules({ js: join(root, 'src/js'), wasm, translated: '', platform: 'modern.js' })],
});

const origins = await startServer();
const browser = await launch('chromium', { memory: true });
const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
let keyCounter = 0;

async function inPage(impl, fn, ...args) {
  const page = await browser.newPage();
  try {
    await page.goto(`${origins.a}/www/bench/bench.html?impl=${impl}`);
    return await page.evaluate(fn, ...args);
  } finally {
    await page.close();
  }
}

const rows = [];
for (const stream of STREAMS) {
  for (const impl of IMPLS) {
    const runs = [];
    for (let r = 0; r < reps; r++) {
      const url = `/bench?key=bench-${process.pid}-${keyCounter++}&n=${stream.n}&size=${stream.size}&lines=${stream.lines}`;
      try {
        runs.push(await inPage(impl, (u, n) => window.runStream(u, n), url, stream.n));
      } catch (error) {
        runs.push({ error: error.message });
      }
    }
    const ok = runs.filter((run) => !run.error);
    const ms = ok.length ? median(ok.map((run) => run.ms)) : NaN;
    rows.push({
      stream: stream.name, impl, eventsPerSecond: stream.n / (ms / 1000),
      megabytesPerSecond: (stream.n * stream.size) / 1e6 / (ms / 1000),
      heapMiddleMB: ok.length ? median(ok.map((run) => (run.heapMiddle - run.heapBefore) / 1e6)) : NaN,
      heapGrowthMB: ok.length ? median(ok.map((run) => (run.heapAfter - run.heapBefore) / 1e6)) : NaN,
      error: runs.find((run) => run.error)?.error,
    });
    process.stderr.write('.');
  }
}

const parserRuns = [];
for (const kind of ['small', '1k', '64k']) {
  const results = [];
  for (let r = 0; r < reps; r++) results.push(await inPage('parser', (k) => window.parserBench(k, 64 * 1024 * 1024), kind));
  parserRuns.push({ kind, bytes: results[0].bytes, ours: median(results.map((x) => x.ours.ms)), parser: median(results.map((x) => x.parser.ms)) });
}

const firstEvent = {};
for (const impl of ['native', 'ours']) {
  const times = [];
  for (let r = 0; r < reps; r++) {
    times.push(await inPage(impl, (u) => window.firstEvent(u), `/bench?key=first-${process.pid}-${keyCounter++}&n=1&size=20&lines=1`));
  }
  firstEvent[impl] = { fromScript: median(times.map((t) => t.fromScript)), fromConstructor: median(times.map((t) => t.fromConstructor)) };
}
// Memory across one long stream per transport (64 KiB events). The stream is /count's numbered,
// resumable one: the XHR transport must restart its request to keep responseText bounded, which
// needs event IDs (the /bench streams have none). It is paced like a live stream (2 ms between
// 64 KiB writes, at most 32 MB/s). (The streams above are not: there the table's halfway figure
// shows what a reader that falls behind holds.)
const memoryRows = [];
const MEMORY_IMPLS = ['native', 'ours', 'ours-legacy-xhr', 'ours-legacy-fetch'].filter((impl) => IMPLS.includes(impl));
const memoryEvents = Math.round((memoryMegabytes * 1e6) / 65536);
for (const impl of memoryEvents > 0 ? MEMORY_IMPLS : []) {
  const url = `/count?key=memory-${process.pid}-${keyCounter++}&n=${memoryEvents}&size=65536&pause=2`;
  try {
    memoryRows.push({ impl, ...(await inPage(impl, (u, n) => window.memoryRun(u, n), url, memoryEvents)) });
  } catch (error) {
    memoryRows.push({ impl, error: error.message });
  }
  process.stderr.write('.');
}
await browser.close();
await origins.stop();

// The table.
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a');
console.log(`\nEvents delivered to a 'message' listener, headless Chromium, median of ${reps} (scale ${scale})\n`);
// Heap: the JS heap after collection (Chromium counts ArrayBuffer contents in it), over what it was
// before the source; halfway through the stream and after close(). Native's buffers are outside it.
console.log('| stream | implementation | events/s | MB/s | × native | × best peer | heap MB halfway | heap MB after |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const stream of STREAMS) {
  const of = (impl) => rows.find((row) => row.stream === stream.name && row.impl === impl);
  const native = of('native')?.eventsPerSecond;
  const bestPeer = Math.max(of('event-source-polyfill')?.eventsPerSecond || 0, of('eventsource4')?.eventsPerSecond || 0);
  for (const impl of IMPLS) {
    const row = of(impl);
    console.log(`| ${stream.name} | ${LABELS[impl]} | ${fmt(row.eventsPerSecond)} | ${fmt(row.megabytesPerSecond, 1)} | ` +
      `${fmt(row.eventsPerSecond / native, 2)} | ${fmt(row.eventsPerSecond / bestPeer, 2)} | ` +
      `${fmt(row.heapMiddleMB, 2)} | ${fmt(row.heapGrowthMB, 2)}` +
      `${row.error ? ` (error: ${row.error})` : ''} |`);
  }
}
// The no-wasm build (what old browsers get) against the peer made for them, each on one transport.
const sameTransport = [['XHR', 'ours-legacy-xhr', 'event-source-polyfill-xhr'], ['fetch', 'ours-legacy-fetch', 'event-source-polyfill']]
  .filter(([, ours, peer]) => IMPLS.includes(ours) && IMPLS.includes(peer))
  .map(([transport, ours, peer]) => `${transport} ${STREAMS.map((stream) => {
    const of = (impl) => rows.find((row) => row.stream === stream.name && row.impl === impl)?.eventsPerSecond;
    return `${fmt(of(ours) / of(peer), 2)}×`;
  }).join(' / ')}`);
if (sameTransport.length) {
  console.log(`\nThe no-wasm build over event-source-polyfill on the same transport (${STREAMS.map((s) => s.name).join(' / ')}): ` +
    `${sameTransport.join('; ')}`);
}
console.log('\nThe EventSource\'s engine alone as a parser (its command batches, no events built; the parser API, eventsource-wasm/parser, has a module of its own: tests/bench/parser-*.mjs), bytes in memory (64 MB per corpus), against eventsource-parser 4.1.3\n');
console.log('| corpus | ours MB/s | eventsource-parser MB/s | × eventsource-parser |');
console.log('|---|---:|---:|---:|');
for (const run of parserRuns) {
  const mbps = (ms) => run.bytes / 1e6 / (ms / 1000);
  console.log(`| ${run.kind} | ${fmt(mbps(run.ours))} | ${fmt(mbps(run.parser))} | ${fmt(run.parser / run.ours, 2)} |`);
}
if (memoryRows.length) {
  const megabytes = (memoryEvents * 65536) / 1e6;
  console.log(`\nMemory across one ${fmt(megabytes)} MB stream (${fmt(memoryEvents)} × 64 KiB events, paced), from a tenth of the way to the end\n`);
  console.log('| implementation | seconds | JS heap MB first → last | growth MB | wasm memory MB first → last | growth MB |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const mb = (bytes) => fmt(bytes / 1e6, 2);
  for (const row of memoryRows) {
    if (row.error) { console.log(`| ${LABELS[row.impl]} | error: ${row.error} | | | | |`); continue; }
    const wasm = row.first.wasm ? `${mb(row.first.wasm)} → ${mb(row.last.wasm)} | ${mb(row.last.wasm - row.first.wasm)}` : 'none (no WebAssembly) | n/a';
    console.log(`| ${LABELS[row.impl]} | ${fmt(row.ms / 1000, 1)} | ${mb(row.first.heap)} → ${mb(row.last.heap)} | ` +
      `${mb(row.last.heap - row.first.heap)} | ${wasm} |`);
  }
}
for (const [from, label] of [['fromScript', 'Script start'], ['fromConstructor', 'new EventSource()']]) {
  console.log(`${from === 'fromScript' ? '\n' : ''}${label} to first event, median: native ${fmt(firstEvent.native[from], 1)} ms, ` +
    `ours ${fmt(firstEvent.ours[from], 1)} ms (+${fmt(firstEvent.ours[from] - firstEvent.native[from], 1)} ms)`);
}
