// The script-tag file under a Content-Security-Policy, served by a small handler here (it sets the
// header per page and logs which files each page asked for, by the request's Referer):
// 1. `script-src 'self'` (WebAssembly may not compile), native EventSource removed: eventsource.js
//    takes the engine from eventsource.wasm2js.js, asked for once; two sources made right after
//    the tag (before that file arrives) are the same objects, wait in CONNECTING, then get every
//    event: open, messages with their lastEventId, the reconnection with Last-Event-ID, one
//    request per attempt.
// 2. `script-src 'self' 'wasm-unsafe-eval'`, native removed: the same events with the WebAssembly
//    engine; eventsource.wasm2js.js is never asked for.
// 3. `script-src 'self'`, native kept: EventSource is still the browser's own; nothing more loaded.
// 4. `script-src 'nonce-…'` (scripts run by their nonce alone), native removed: as 1, the file
//    eventsource.js adds carrying its nonce.
// 5. `script-src 'self'`, native removed, two copies of parser.global.js beside eventsource.js:
//    each file asks for its engine as JavaScript (eventsource.wasm2js.js, parser.wasm2js.js) and
//    gets it (none waits for ever on another's), the sources as in 1, and both parsers parse.
// Each page first checks that the browser applies its policy to WebAssembly (an instantiation
// refused or allowed), so that a browser ignoring the header cannot pass 1 by compiling anyway.
// Usage: node tests/browser/csp.mjs [--browser chromium|firefox|webkit]... (default: all three).
// Ends with `csp: N passed, M failed`.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chosenBrowsers, launch, root, tally } from './common.mjs';

const browsers = chosenBrowsers();
const WAIT = 20000; // ms for any awaited condition

const POLICIES = {
  strict: "script-src 'self'",
  wasm: "script-src 'self' 'wasm-unsafe-eval'",
  native: "script-src 'self'",
  // Scripts run by their nonce alone: eventsource.js gives the file it adds its own nonce.
  nonce: "script-src 'nonce-t3st'",
  both: "script-src 'self'",
};

// The page's scripts: no inline script may run under these policies. The page reports what it saw
// to the handler (POST /report), as no test driver may evaluate script in it: WebKit's WebDriver
// runs its scripts under the page's policy, which refuses them.
const PRE = `// Keeps the native constructor for the check, and removes it where the page says so.
var native = window.EventSource;
if (!/[?&]mode=native/.test(location.search)) delete window.EventSource;
window.__csp = { violations: [], errors: [], wasm: 'pending', seq: 0 };
addEventListener('error', function (e) { __csp.errors.push(String(e.message)); });
document.addEventListener('securitypolicyviolation', function (e) {
  __csp.violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
__csp.report = function () {
  var state = { seq: ++__csp.seq, wasm: __csp.wasm, violations: __csp.violations, errors: __csp.errors,
    native: window.EventSource === native, sameObjects: __csp.sameObjects, parsed: __csp.parsed,
    sources: (__csp.sources || []).map(function (r) {
      return { name: r.name, initial: r.initial, state: r.state, events: r.events.join(',') };
    }) };
  fetch('/report' + location.search, { method: 'POST', body: JSON.stringify(state) });
};
// Does this browser apply the policy to WebAssembly? (the smallest module: magic and version.
// instantiate, not compile: WebKitGTK 2.50 compiles bytes under script-src 'self' and refuses only
// the instance; WebKit enforces it on compiling too since 314092@main.)
WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(function () { __csp.wasm = 'compiled'; __csp.report(); },
  function (e) { __csp.wasm = 'refused'; __csp.report(); });
`;
const TEST = `// Two sources at once, right after the tag: both wait for the same engine. Once both have seen
// six events, the page closes them.
var key = /[?&]key=([^&]*)/.exec(location.search)[1];
__csp.sources = ['a', 'b'].map(function (name) {
  var source = new EventSource('/sse?key=' + key + '-' + name);
  var record = { source: source, name: name, initial: source.readyState, events: [] };
  var seen = function (text) {
    record.events.push(text);
    record.state = source.readyState;
    if (__csp.sources.every(function (r) { return r.events.length >= 6; })) {
      __csp.sources.forEach(function (r) { r.source.close(); });
    }
    __csp.report();
  };
  source.onopen = function () { seen('open'); };
  source.onmessage = function (e) { seen('message ' + e.data + ' ' + e.lastEventId); };
  source.onerror = function () { seen('error ' + source.readyState); };
  return record;
});
__csp.sameObjects = __csp.sources.every(function (r) { return r.source instanceof EventSource; });
__csp.report();
`;
// Mode "both": the parser script-tag file, started before eventsource.js's engine has arrived.
const PARSER = `var parser = EventSourceParser.createParser({ onEvent: function (e) {
  __csp.parsed = (__csp.parsed ? __csp.parsed + ',' : '') + e.type + ' ' + e.data + ' ' + e.id;
  __csp.report();
} });
parser.feed('event: t\\nid: 7\\ndata: parsed\\n\\n');
`;

// The stream: attempt 0 sends two events and ends; attempt 1 (after the 100 ms retry) sends the
// third and stays open.
const attempts = new Map(); // key → [{ lastEventId }]
const fetched = []; // { path, referer }
const reports = new Map(); // page key → the last state it reported
const server = createServer(async (request, response) => {
  const url = new URL(request.url, 'http://x');
  if (url.pathname === '/sse') {
    const key = url.searchParams.get('key');
    const list = attempts.get(key) ?? [];
    attempts.set(key, list);
    list.push({ lastEventId: request.headers['last-event-id'] ?? null });
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    if (list.length === 1) {
      response.end('retry: 100\n\nid: 1\ndata: one\n\nid: 2\ndata: two\n\n');
    } else if (list.length === 2) {
      response.write('id: 3\ndata: three\n\n');
      request.on('close', () => response.end());
    } else {
      response.end();
    }
    return;
  }
  if (url.pathname === '/report') {
    let body = '';
    for await (const chunk of request) body += chunk;
    const state = JSON.parse(body);
    const key = url.searchParams.get('key');
    if (!(reports.get(key)?.seq > state.seq)) reports.set(key, state);
    response.writeHead(204).end();
    return;
  }
  fetched.push({ path: url.pathname, referer: request.headers.referer ?? '' });
  const page = /^\/page\/(\w+)\.html$/.exec(url.pathname);
  if (page && POLICIES[page[1]]) {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': POLICIES[page[1]],
      'cache-control': 'no-store' });
    const tag = (src) => `<script nonce="t3st" src="${src}"></script>\n`;
    const parser = page[1] === 'both' ? (tag('/pkg/parser.global.js') + tag('/page/parser.js')).repeat(2) : '';
    response.end(`<!doctype html><meta charset="utf-8"><title>csp</title>\n${tag('/page/pre.js')}${tag('/pkg/eventsource.js')}${parser}${tag('/page/test.js')}`);
    return;
  }
  const scripts = { '/page/pre.js': PRE, '/page/test.js': TEST, '/page/parser.js': PARSER };
  let body = scripts[url.pathname];
  if (body === undefined && /^\/pkg\/[\w.]+\.js$/.test(url.pathname)) {
    body = await readFile(join(root, url.pathname)).catch(() => undefined);
  }
  if (body === undefined) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
  response.end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const { check, counts, summary } = tally();
/** The files a page asked for (its key is in its URL, which the requests name as their Referer). */
const filesOf = (key) => fetched.filter((f) => f.referer.includes(`key=${key}&`)).map((f) => f.path.replace(/^\/pkg\//, ''));
const EXPECTED = 'open,message one 1,message two 2,error 0,open,message three 3';

let counter = 0;
for (const name of browsers) {
  const browser = await launch(name).catch((error) => check(false, `${name}: launch: ${error.message}`));
  if (!browser) continue;
  try {
    for (const mode of ['strict', 'wasm', 'native', 'nonce', 'both']) {
      const key = `${name}-${mode}-${counter++}`;
      const page = await browser.newPage();
      try {
        await page.goto(`${origin}/page/${mode}.html?key=${key}&mode=${mode}`).catch((error) => {
          // webkit.mjs adds its error listeners by running a script in the page, which the
          // page's policy refuses in WebKit; the page reports its errors itself.
          if (!(name === 'webkit' && /Refused to evaluate/.test(error.message))) throw error;
        });
        const done = (s) => s && s.wasm !== 'pending' && s.sources.length === 2 && s.sources.every((r) => r.events.split(',').length >= 6)
          && (mode !== 'both' || (s.parsed || '').split(',').length === 2);
        let seen = reports.get(key);
        const deadline = Date.now() + WAIT;
        while (!done(seen) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          seen = reports.get(key);
        }
        if (!seen) throw new Error('the page reported nothing');
        const files = filesOf(key);
        const fallback = files.filter((f) => f === 'eventsource.wasm2js.js').length;
        const label = `${name} ${mode} (${POLICIES[mode]}${mode === 'native' ? ', native kept' : ', native removed'})`;
        const fallbackWanted = mode === 'strict' || mode === 'nonce' || mode === 'both' ? 1 : 0;
        check(seen.wasm === (mode === 'wasm' ? 'compiled' : 'refused'),
          `${label}: the browser ${mode === 'wasm' ? 'compiles' : 'refuses'} WebAssembly (${seen.wasm}; violations: ${seen.violations.join('; ') || 'none'})`);
        if (mode === 'native') {
          check(seen.native === true, `${label}: EventSource is still the native one`);
        } else {
          check(seen.native === false && seen.sameObjects === true, `${label}: EventSource is ours, the sources are its instances`);
          check(fallback === fallbackWanted && !files.includes('eventsource.legacy.js'),
            `${label}: eventsource.wasm2js.js asked for ${fallback} time(s), want ${fallbackWanted} (files: ${files.join(', ')})`);
        }
        if (mode === 'both') {
          // Two copies, two loads; a browser may serve the second from the first's request.
          const parserFallback = files.filter((f) => f === 'parser.wasm2js.js').length;
          check(parserFallback >= 1 && parserFallback <= 2, `${label}: parser.wasm2js.js asked for ${parserFallback} time(s), want 1 or 2`);
          check(seen.parsed === 't parsed 7,t parsed 7', `${label}: each parser's event (${seen.parsed || 'none'})`);
        }
        if (mode === 'native') check(fallback === 0 && !files.includes('eventsource.legacy.js'), `${label}: nothing loaded beyond eventsource.js (files: ${files.join(', ')})`);
        for (const source of seen.sources) {
          const log = attempts.get(`${key}-${source.name}`) ?? [];
          const requests = log.map((a) => a.lastEventId ?? '-').join(',');
          check(source.initial === 0 && source.events === EXPECTED && source.state === 1,
            `${label}: source ${source.name}: CONNECTING at first, then ${source.events || 'nothing'} (want ${EXPECTED}), OPEN`);
          check(requests === '-,2', `${label}: source ${source.name}: one request per attempt, the second with Last-Event-ID 2 (Last-Event-IDs: ${requests || 'no request'})`);
        }
        check(seen.errors.length === 0, `${label}: no page error${seen.errors.length ? `: ${seen.errors.join('; ')}` : ''}`);
      } catch (error) {
        check(false, `${name} ${mode}: ${error.message}`);
      } finally {
        await page.close().catch(() => {});
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
}
server.close();
console.log(summary('csp'));
process.exit(counts.failed ? 1 : 0);
