// The npm package's ES module in another runtime (Bun, Deno): events, a custom header, a dropped
// stream resumed with Last-Event-ID. Usage: <runtime> smoke.mjs <server origin>; prints one JSON line.
import { EventSource } from '../../pkg/index.js';
import { sseUrl, uniqueKey } from '../support/sse-url.mjs';

const origin = (globalThis.Deno ? Deno.args : process.argv.slice(2))[0];
const key = uniqueKey('runtime');
const url = sseUrl(origin, key, ['retry: 10\nid: 5\ndata: one\n\n', { body: 'data: two after {lei}\n\n', end: 'hold' }]);
const log = [];
const source = new EventSource(url, { headers: { 'X-Runtime': globalThis.Deno ? 'deno' : globalThis.Bun ? 'bun' : 'other' } });
const finish = async (problem) => {
  source.close();
  const requests = await (await fetch(`${origin}/log?key=${key}`)).json();
  console.log(JSON.stringify({ log, problem, headers: requests.map((r) => r.headers['x-runtime']), lastEventIds: requests.map((r) => r.headers['last-event-id'] ?? null) }));
};
const timer = setTimeout(() => finish('timed out'), 10000);
source.onopen = () => log.push('open');
source.onerror = () => log.push(`error:${source.readyState}`);
source.onmessage = (event) => {
  log.push(`${event.data}|${event.lastEventId}`);
  if (event.data.startsWith('two')) {
    clearTimeout(timer);
    finish(null);
  }
};
