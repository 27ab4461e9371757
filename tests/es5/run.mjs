// The legacy file (pkg/eventsource.legacy.js) in a real ES5.1 engine: Duktape 2.7 (tests/es5/
// duktape.py, through dukpy 0.3.1), with IE10/11's built-ins (ie.js) and stand-ins for the page
// (browser.js: timers on a virtual clock, a scripted XMLHttpRequest, document.createEvent). The
// streams are the browser suite's scenarios (tests/browser/scenarios.mjs) from the real test
// server: this driver makes each request the stand-in XHR sends, over a raw socket, and hands the
// response back as the server wrote it (one progress event per chunked-encoding frame). The
// oracle is the npm package (pkg/index.js, verified against native by the browser suite) running
// the same scenario in Node against the same server, on its fetch transport (with a fetch over the
// same raw client: driverFetch). Logs compared: every event (type, data,
// origin, lastEventId, readyState in the handler, handler order), how it ended, and the requests
// the server saw (attempt, port, Accept, Last-Event-ID).
//
//   node tests/es5/run.mjs [--filter text] [--jobs N (default 2)] [--verbose]
//
// ES5_DEBUG=1 also prints each request, abort and delivery of the Duktape side (virtual ms);
// ES5_PYTHON names the Python that setup.sh installed dukpy for (default python3).
//
// Prints `ok`/`FAIL <scenario>` per scenario (a diff under each failure), the scenarios left out
// with the reason, and last `es5: N passed, M failed`. Exit code 1 on any failure.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { scenarios, sse } from '../browser/scenarios.mjs';
import { startServer } from '../support/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const started = Date.now();
const { values: opts } = parseArgs({
  options: {
    filter: { type: 'string', default: '' }, verbose: { type: 'boolean', default: false },
    jobs: { type: 'string', default: '2' },
  },
});

/** Scenarios that need what only a browser has, with the reason. */
const leftOut = {
  'cookie without credentials is not sent cross-origin': 'cookies are the browser\'s cookie jar',
  'cookie with credentials is sent cross-origin': 'cookies are the browser\'s cookie jar',
  'same-origin cookie is sent': 'cookies are the browser\'s cookie jar',
  'redirect to the second origin without CORS fails': 'CORS checks are the browser\'s XHR, not the file\'s',
  'cross-origin without CORS fails': 'CORS checks are the browser\'s XHR, not the file\'s',
  'cross-origin with credentials and a wildcard CORS answer fails': 'CORS checks are the browser\'s XHR, not the file\'s',
  'relative URL resolves against <base href> (another origin)': 'the document base URL is the browser\'s (IE has no baseURI)',
  'URL is serialised: spaces, non-ASCII, fragment': 'URL serialisation is the browser\'s anchor element',
  'invalid URL throws SyntaxError': 'which URLs parse is the browser\'s anchor element',
  'single 10 MB event': 'minutes in an interpreter; the 100 KB events cover big events',
  'unsupported scheme fails at once: about:': 'which URLs parse is the browser\'s anchor element',
  'unsupported scheme fails at once: javascript:': 'which URLs parse is the browser\'s anchor element',
  'data: URL opens and reconnects': 'data: URLs are the browser\'s fetch and XHR, not the raw client\'s',
  // As in browsers (tests/browser/deviations.mjs): the XHR transport's limit.
  'UTF-16LE BOM bytes at the start are not a BOM': 'XHR decodes a body after a UTF-16 BOM as UTF-16, whatever the charset',
  'UTF-16BE BOM bytes at the start are not a BOM': 'XHR decodes a body after a UTF-16 BOM as UTF-16, whatever the charset',
};

const PAGE = '/www/test/harness.html';
const HEADERS = ['accept', 'last-event-id'];
const SCENARIO_TIMEOUT = 15000; // ms of real time per scenario
const VIRTUAL_LIMIT = 60000; // ms of virtual time per scenario

// --- Duktape, behind tests/es5/duktape.py ---
/** The Python that scripts/setup.sh installed dukpy for (its C extension is built for it). */
const python = () => process.env.ES5_PYTHON || 'python3';

async function startDuktape() {
  const child = spawn(python(), [join(here, 'duktape.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.resolve(JSON.parse(line)));
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`duktape.py exited (${code})`));
  });
  const next = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  const hello = await next();
  if (hello.error) throw new Error(hello.error);
  // dukpy 0.6 embeds QuickJS, which would prove nothing about ES5: refuse anything but Duktape 2.x.
  if (typeof hello.duktape !== 'number' || hello.duktape < 20000 || hello.duktape >= 30000 || hello.arrowFunctions) {
    throw new Error(`not Duktape 2.x (an ES5.1 engine): ${JSON.stringify(hello)}; install dukpy==0.3.1 (scripts/setup.sh)`);
  }
  const request = async (message) => {
    const answer = next();
    child.stdin.write(`${JSON.stringify(message)}\n`);
    const { value, error } = await answer;
    if (error) throw new Error(error);
    return value;
  };
  return {
    version: hello.duktape,
    reset: () => request({ op: 'reset' }),
    eval: (code, args) => request({ op: 'eval', code, args }),
    /** A control call (browser.js `__es5`) whose answer is its status. */
    control: async (code, args) => JSON.parse(await request({ op: 'eval', code, args })),
    stop: () => { child.stdin.end(); },
  };
}

// --- the network of the stand-in XHR: raw HTTP/1.1, responses split as the server wrote them ---
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Starts the request `r` (from browser.js); `emit(event)` gets [id, 'head', …] | [id, 'chunk',
 * bytes] | [id, 'end', ok]. Returns { abort() }. Follows redirects as XHR does (20 at most). */
function startRequest(r, emit) {
  let socket = null;
  let finished = false;
  let redirects = 0;
  const end = (ok) => {
    if (finished) return;
    finished = true;
    socket?.destroy();
    emit([r.id, 'end', ok]);
  };
  const go = (method, url, body) => {
    const target = new URL(url);
    let head = `${method} ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n`;
    for (const [name, value] of r.headers) head += `${name}: ${value}\r\n`;
    if (body !== null) head += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
    head += 'Connection: close\r\n\r\n';
    const s = net.connect(Number(target.port || 80), target.hostname);
    socket = s;
    s.write(Buffer.from(head, 'latin1'));
    if (body !== null) s.write(body);
    let buffer = Buffer.alloc(0);
    let mode = 'head';
    let length = 0;
    let decode = null;
    const chunk = (bytes) => {
      const out = decode ? decode(bytes) : bytes;
      if (out.length) emit([r.id, 'chunk', out.toString('latin1')]);
    };
    const parse = () => {
      for (;;) {
        if (mode === 'head') {
          const at = buffer.indexOf('\r\n\r\n');
          if (at < 0) return;
          const lines = buffer.subarray(0, at).toString('latin1').split('\r\n');
          buffer = buffer.subarray(at + 4);
          const [, status, statusText] = /^HTTP\/1\.1 (\d{3}) ?(.*)$/.exec(lines[0]) ?? [];
          const headers = lines.slice(1).map((line) => {
            const colon = line.indexOf(':');
            return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
          });
          const header = (name) => headers.find(([n]) => n.toLowerCase() === name)?.[1];
          const code = Number(status);
          const location = header('location');
          if (REDIRECTS.has(code) && location !== undefined) {
            s.removeAllListeners();
            s.on('error', () => {});
            s.destroy();
            if (++redirects > 20) { end(false); return; }
            const switchToGet = code === 303 || ((code === 301 || code === 302) && method === 'POST');
            go(switchToGet ? 'GET' : method, new URL(location, url).href, switchToGet ? null : body);
            return;
          }
          // The browser decodes Content-Encoding before XHR sees a byte.
          const encoding = header('content-encoding');
          if (encoding) decode = decoder(encoding);
          emit([r.id, 'head', code, statusText, headers, url]);
          if (code === 204 || code === 304 || method === 'HEAD') { end(true); return; }
          if (/chunked/i.test(header('transfer-encoding') ?? '')) mode = 'size';
          else if (header('content-length') !== undefined) { mode = 'length'; length = Number(header('content-length')); }
          else mode = 'close';
        } else if (mode === 'size') {
          const at = buffer.indexOf('\r\n');
          if (at < 0) return;
          length = parseInt(buffer.subarray(0, at).toString('latin1'), 16);
          buffer = buffer.subarray(at + 2);
          mode = length === 0 ? 'trailer' : 'frame';
        } else if (mode === 'frame') {
          if (buffer.length < length + 2) return;
          chunk(buffer.subarray(0, length));
          buffer = buffer.subarray(length + 2);
          mode = 'size';
        } else if (mode === 'trailer') {
          if (buffer.indexOf('\r\n') !== 0 && buffer.indexOf('\r\n\r\n') < 0) return;
          end(true);
          return;
        } else if (mode === 'length') {
          // A whole body at once: its TCP segments are not the server's writes.
          if (buffer.length < length) return;
          if (length) chunk(buffer.subarray(0, length));
          end(true);
          return;
        } else {
          return; // 'close': the body is what arrives before the server closes
        }
      }
    };
    s.on('data', (data) => {
      if (finished || socket !== s) return;
      buffer = Buffer.concat([buffer, data]);
      parse();
    });
    s.on('end', () => {
      if (socket !== s) return;
      if (mode === 'close') {
        if (buffer.length) chunk(buffer);
        end(true);
      } else {
        end(false); // the connection ended inside the response: a network error
      }
    });
    s.on('error', () => { if (socket === s) end(false); });
    s.on('close', () => { if (socket === s) end(false); });
  };
  go(r.method, r.url, r.body);
  return { abort: () => { finished = true; socket?.destroy(); } };
}

/** A Content-Encoding decoder that gives, per piece of the body, the bytes it adds. */
function decoder(name) {
  const flush = name === 'br'
    ? (bytes) => zlib.brotliDecompressSync(bytes, { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH })
    : name === 'gzip' ? (bytes) => zlib.gunzipSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH })
      : (bytes) => zlib.inflateSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  let compressed = Buffer.alloc(0);
  let given = 0;
  return (bytes) => {
    compressed = Buffer.concat([compressed, bytes]);
    const all = flush(compressed);
    const out = all.subarray(given);
    given = all.length;
    return out;
  };
}

// --- one scenario in Duktape ---
const legacySource = () => readFileSync(join(root, 'pkg/eventsource.legacy.js'), 'utf8');
const standIns = ['ie.js', 'browser.js', 'harness.js'].map((file) => readFileSync(join(here, file), 'utf8'));

/** The global names the heap may hold once the stand-ins and the legacy file are in: ES5's, the
 * typed arrays IE10 has, `performance` (IE10 has it) and what a page gives (browser.js). */
const EXPECTED_GLOBALS = [
  'Array', 'ArrayBuffer', 'Boolean', 'DataView', 'Date', 'Error', 'EvalError', 'Float32Array', 'Float64Array',
  'Function', 'Infinity', 'Int16Array', 'Int32Array', 'Int8Array', 'JSON', 'Math', 'NaN', 'Number', 'Object',
  'RangeError', 'ReferenceError', 'RegExp', 'String', 'SyntaxError', 'TypeError', 'URIError', 'Uint16Array',
  'Uint32Array', 'Uint8Array', 'Uint8ClampedArray', 'decodeURI', 'decodeURIComponent', 'encodeURI',
  'encodeURIComponent', 'escape', 'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'undefined', 'unescape',
  'performance',
  // dukpy defines these three again before every eval (its arguments and its bridge to Python);
  // nothing calls them.
  'dukpy', 'call_python', '_require_set_module_id',
  'window', 'self', 'location', 'document', 'setTimeout', 'clearTimeout', 'XMLHttpRequest', '__es5', '__ieRemoved',
  'es5Harness', 'EventSource',
].sort();

async function runDuktape(duk, spec, origins) {
  await duk.reset();
  for (const source of standIns) await duk.eval(source);
  await duk.eval('__es5.setLocation(dukpy.args)', `${origins.a}${PAGE}`);
  // The legacy file as a page's <script> runs it: at the top level, errors thrown out of it fatal.
  await duk.eval(legacySource());
  const environment = await duk.eval(`(function () {
    var names = Object.getOwnPropertyNames(this).sort();
    return { names: names, removed: __ieRemoved, eventSource: typeof EventSource,
      promise: typeof Promise, symbol: typeof Symbol, webAssembly: typeof WebAssembly };
  })()`);
  const unexpected = environment.names.filter((name) => !EXPECTED_GLOBALS.includes(name));
  if (environment.eventSource !== 'function' || unexpected.length) {
    throw new Error(`environment: EventSource is ${environment.eventSource}; unexpected globals: ${unexpected.join(', ')}`);
  }
  const requests = [];
  const uncaught = [];
  const connections = new Map();
  const queue = [];
  let wake = null;
  const emit = (event) => {
    if (!connections.has(event[0])) return;
    if (event[1] === 'end') connections.delete(event[0]);
    queue.push(event);
    wake?.();
  };
  const deadline = Date.now() + SCENARIO_TIMEOUT;
  let status = await duk.control(
    '__es5.run("es5Harness.run(EventSource, " + JSON.stringify(dukpy.args) + ", function (log) { __log = log; })")', spec);
  try {
    for (;;) {
      for (const r of status.requests) {
        requests.push(r);
        if (process.env.ES5_DEBUG) console.log(`# ${status.now} ms: request ${r.id} ${r.url} ${JSON.stringify(r.headers)}`);
        connections.set(r.id, null);
        connections.set(r.id, startRequest(r, emit));
      }
      for (const id of status.aborts) {
        if (process.env.ES5_DEBUG) console.log(`# ${status.now} ms: abort ${id}`);
        connections.get(id)?.abort();
        connections.delete(id);
        for (let i = queue.length - 1; i >= 0; i--) if (queue[i][0] === id) queue.splice(i, 1);
      }
      uncaught.push(...status.uncaught);
      status.requests = [];
      status.aborts = [];
      status.uncaught = [];
      if (status.log) return { log: status.log, requests, uncaught, removed: environment.removed };
      if (status.now > VIRTUAL_LIMIT) throw new Error(`still running after ${VIRTUAL_LIMIT} ms of virtual time`);
      if (queue.length) {
        if (process.env.ES5_DEBUG) console.log(`# ${status.now} ms: deliver ${JSON.stringify(queue).slice(0, 300)}`);
        status = await duk.control('__es5.deliver(dukpy.args)', queue.splice(0));
      } else if (connections.size) {
        // Virtual time stands still while a response is open: its bytes come in real time.
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out after ${SCENARIO_TIMEOUT} ms with a response open`);
        await new Promise((resolve) => {
          wake = resolve;
          setTimeout(resolve, left);
        });
        wake = null;
      } else if (status.nextTimer !== null) {
        status = await duk.control('__es5.advance()');
      } else {
        throw new Error(`stalled: no response open, no timer armed, and the scenario has not ended${uncaught.length ? `; uncaught: ${uncaught.join('; ')}` : ''}`);
      }
    }
  } finally {
    for (const connection of connections.values()) connection?.abort();
  }
}

// --- the same scenario with the npm package in Node ---
vm.runInThisContext(standIns[2], { filename: join(here, 'harness.js') });
const { EventSource: NodeEventSource } = await import(join(root, 'pkg/index.js'));

/**
 * A fetch for the oracle over the same client as the stand-in XHR, given as the package's `fetch`
 * option: both builds then get the same bytes, split the same way, whatever the machine's load
 * (with Node's own fetch, bytes that arrive just before a reset may or may not get through its
 * decompressor in time). Returns what fetch.js reads of a Response.
 */
let fetches = 0;
function driverFetch(url, init) {
  return new Promise((resolve, reject) => {
    let stream = null;
    let responded = false;
    const body = new ReadableStream({ start(controller) { stream = controller; } });
    const headers = Object.entries(init.headers ?? {});
    const request = { id: `fetch-${++fetches}`, method: init.method ?? 'GET', url: String(url), headers, body: init.body ?? null };
    const connection = startRequest(request, (event) => {
      if (event[1] === 'head') {
        const [, , status, , fields, finalUrl] = event;
        responded = true;
        const get = (name) => {
          const values = fields.filter(([n]) => n.toLowerCase() === String(name).toLowerCase()).map(([, v]) => v);
          return values.length ? values.join(', ') : null;
        };
        resolve({ status, url: finalUrl, headers: { get }, body });
      } else if (event[1] === 'chunk') {
        stream.enqueue(new Uint8Array(Buffer.from(event[2], 'latin1')));
      } else if (event[2]) {
        stream.close();
      } else if (responded) {
        stream.error(new TypeError('terminated'));
      } else {
        reject(new TypeError('fetch failed'));
      }
    });
    init.signal?.addEventListener('abort', () => {
      connection.abort();
      const error = new DOMException('The operation was aborted.', 'AbortError');
      if (!responded) reject(error);
      else try { stream.error(error); } catch { /* already closed */ }
    });
  });
}

function runNode(spec) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${SCENARIO_TIMEOUT} ms`)), SCENARIO_TIMEOUT);
    globalThis.es5Harness.run(NodeEventSource, spec, (log) => {
      clearTimeout(timer);
      resolve(log);
    });
  });
}

// --- comparing ---
async function serverRequests(origins, key, scenario) {
  const out = [];
  const keys = [key, ...(scenario.keys ?? []).map((suffix) => key + suffix)];
  for (const [n, serverKey] of keys.entries()) {
    const records = await (await fetch(`${origins.a}/log?key=${encodeURIComponent(serverKey)}`)).json();
    for (const record of records) {
      if (record.method === 'OPTIONS') continue;
      const headers = Object.fromEntries(HEADERS.filter((h) => h in record.headers).map((h) => [h, record.headers[h]]));
      out.push({ key: n, method: record.method, attempt: record.attempt, port: record.port, headers });
    }
  }
  return out;
}

function specFor(scenario, origins, key, absolute) {
  let url = scenario.url ? scenario.url(origins, key)
    : scenario.attempts ? sse(origins[scenario.origin ?? 'a'], key, scenario.attempts, scenario.query ?? '') : undefined;
  // Node has no document: the oracle gets the URL the page's would resolve to.
  if (absolute && url !== undefined) url = new URL(url, `${origins.a}${PAGE}`).href;
  return {
    url, init: scenario.init, noArgs: !!scenario.noArgs, noNew: !!scenario.noNew, types: scenario.types,
    // Every message is logged even where the browser suite summarises (a hash over each entry
    // costs more in an interpreter than the comparison here does).
    summarize: false, closeAfter: scenario.closeAfter, closeOnOpen: !!scenario.closeOnOpen,
    closeAtStart: !!scenario.closeAtStart, errors: scenario.errors,
  };
}

/**
 * Where the oracle is known to differ from native browsers, and the legacy file does not: each
 * entry says why, and what the legacy run must show instead.
 */
const oracleDifferences = {
  // Native browsers start the fetch in a later task, so a close() right after the constructor
  // means no request; the legacy file too (its engine is handed over in a later task). The npm
  // package in Node, with its engine already instantiated by an earlier scenario, starts the
  // fetch at once and aborts it: the server sees a request.
  'close() before any response': (node, legacy, problems) => {
    node.requests = [];
    if (legacy.requests.length) problems.push('legacy: a request was made although close() came first');
  },
};

/** Checks of what the legacy file asked of XHR, beyond what the server saw. */
function xhrProblems(requests, spec, origins) {
  const problems = [];
  for (const r of requests) {
    const names = r.headers.map(([name]) => name.toLowerCase());
    const crossOrigin = new URL(r.url).origin !== origins.a;
    if (r.mime !== 'text/plain; charset=utf-8') problems.push(`request ${r.id}: overrideMimeType(${r.mime})`);
    if (!names.includes('accept')) problems.push(`request ${r.id}: no Accept header`);
    // fetch's "no-store" as XHR headers, only same-origin (cross-origin they would need a preflight).
    for (const name of ['cache-control', 'pragma']) {
      if (names.includes(name) === crossOrigin) problems.push(`request ${r.id}: ${name} ${crossOrigin ? 'sent' : 'missing'} (${crossOrigin ? 'cross' : 'same'}-origin)`);
    }
    if (r.withCredentials !== !!spec.init?.withCredentials) problems.push(`request ${r.id}: withCredentials ${r.withCredentials}`);
    if (r.method !== 'GET') problems.push(`request ${r.id}: method ${r.method}`);
  }
  return problems;
}

/** The legacy log as the npm package's would be: in IE there is no Symbol.toStringTag, so the
 * instance's tag is [object Object]; anything else is a difference. */
function normalizeLegacy(log) {
  const copy = JSON.parse(JSON.stringify(log));
  const start = copy.find((entry) => entry.start);
  if (start && start.start.tag === '[object Object]') start.start.tag = '[object EventSource]';
  return copy;
}

function lines(result) {
  const shorten = (_, value) => (typeof value === 'string' && value.length > 120
    ? `${value.slice(0, 60)}…[${value.length} chars]…${value.slice(-20)}` : value);
  return [...result.log.map((entry) => JSON.stringify(entry, shorten)),
    ...result.requests.map((entry) => `request ${JSON.stringify(entry, shorten)}`)];
}

function diff(left, right) {
  const out = [];
  const n = Math.max(left.length, right.length);
  for (let i = 0; i < n; i++) {
    if (left[i] === right[i]) continue;
    if (i < left.length) out.push(`- ${left[i]}`);
    if (i < right.length) out.push(`+ ${right[i]}`);
    if (out.length > 40) { out.push('  …'); break; }
  }
  return out;
}

// --- one scenario, both sides ---
async function runScenario(duk, origins, runId, index, scenario) {
  const out = [];
  const scenarioStarted = Date.now();
  const keyDuk = `es5-${runId}-${index}-duktape`;
  const keyNode = `es5-${runId}-${index}-node`;
  const problems = [];
  const [legacy, oracle] = await Promise.allSettled([
    runDuktape(duk, specFor(scenario, origins, keyDuk, false), origins),
    runNode({ ...specFor(scenario, origins, keyNode, true), init: { ...scenario.init, fetch: driverFetch } }),
  ]);
  const results = {};
  for (const [name, settled, key] of [['legacy', legacy, keyDuk], ['node', oracle, keyNode]]) {
    if (settled.status === 'rejected') {
      problems.push(`${name}: ${String(settled.reason?.message ?? settled.reason).split('\n')[0]}`);
      continue;
    }
    const log = name === 'legacy' ? normalizeLegacy(settled.value.log) : JSON.parse(JSON.stringify(settled.value));
    for (const entry of log) {
      if (!('currentTarget' in entry)) continue;
      if (name === 'legacy' && !entry.currentTarget) problems.push(`legacy: currentTarget is not the source in ${JSON.stringify(entry)}`);
      delete entry.currentTarget;
    }
    const requests = await serverRequests(origins, key, scenario);
    results[name] = JSON.parse(JSON.stringify({ log, requests }).split(key).join('KEY'));
  }
  if (legacy.status === 'fulfilled') {
    for (const message of legacy.value.uncaught) problems.push(`legacy: uncaught: ${message}`);
    problems.push(...xhrProblems(legacy.value.requests, specFor(scenario, origins, keyDuk, false), origins)
      .map((text) => `legacy: ${text}`));
    if (opts.verbose && index === 0) {
      for (const line of legacy.value.removed.removed) out.push(`# removed from Duktape: ${line}`);
      for (const line of legacy.value.removed.kept) out.push(`# left in Duktape: ${line}`);
    }
  }
  if (results.legacy && results.node && oracleDifferences[scenario.name]) {
    oracleDifferences[scenario.name](results.node, results.legacy, problems);
  }
  const same = results.legacy && results.node && isDeepStrictEqual(results.legacy, results.node);
  const ok = same && !problems.length;
  out.push(`${ok ? 'ok  ' : 'FAIL'} ${scenario.name}${opts.verbose ? ` (${Date.now() - scenarioStarted} ms)` : ''}`);
  for (const problem of problems) out.push(`    ${problem}`);
  if (results.legacy && results.node && !same) {
    out.push('    --- node (npm package)  +++ legacy (Duktape)');
    for (const line of diff(lines(results.node), lines(results.legacy))) out.push(`    ${line}`);
  }
  return { ok, text: out.join('\n') };
}

// --- main ---
let passed = 0;
let failed = 0;
const missing = ['pkg/eventsource.legacy.js', 'pkg/index.js', 'target/server/sse-test-server'].filter((file) => !existsSync(join(root, file)));
if (missing.length) {
  console.log(`FAIL es5: ${missing.join(', ')} missing (scripts/build.sh)`);
  console.log('es5: 0 passed, 1 failed');
  process.exit(1);
}
const server = await startServer();
const origins = { a: server.a, b: server.b };
const runId = randomBytes(4).toString('hex');
const selected = scenarios.map((scenario, index) => ({ scenario, index }))
  .filter(({ scenario }) => scenario.name.includes(opts.filter));
const queue = selected.filter(({ scenario }) => !leftOut[scenario.name]);
if (opts.verbose) {
  for (const { scenario } of selected) {
    if (leftOut[scenario.name]) console.log(`# left out: ${scenario.name}: ${leftOut[scenario.name]}`);
  }
}
// Results are printed in scenario order as they complete, whatever the number of workers.
const slots = new Array(queue.length);
let printed = 0;
const print = (position, result) => {
  slots[position] = result;
  while (printed < slots.length && slots[printed]) {
    console.log(slots[printed].text);
    if (slots[printed].ok) passed++; else failed++;
    printed++;
  }
};
const engines = [];
let version = null;
try {
  // The long ones first, so they overlap the rest (output stays in scenario order).
  const heavy = ({ scenario }) => (scenario.summarize || JSON.stringify(scenario.attempts ?? []).includes('{fill:') ? 0 : 1);
  const work = queue.map((item, position) => ({ ...item, position })).sort((x, y) => heavy(x) - heavy(y));
  const worker = async () => {
    const duk = await startDuktape();
    engines.push(duk);
    version = duk.version;
    while (work.length) {
      const { scenario, index, position } = work.shift();
      print(position, await runScenario(duk, origins, runId, index, scenario));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(Number(opts.jobs) || 1, queue.length)) }, worker));
} catch (error) {
  failed++;
  console.log(`FAIL runner: ${error.stack ?? error}`);
} finally {
  for (const duk of engines) duk.stop();
  server.stop();
}
console.log(`# Duktape ${version}; ${queue.length} scenarios, ${selected.length - queue.length} left out as browser-only ` +
  `(--verbose lists them and why); ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`es5: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
