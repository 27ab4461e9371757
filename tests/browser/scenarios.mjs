// The differential scenarios: each runs with the browser's native EventSource and with ours (and
// ours in the legacy environment); the logs must be equal. A scenario is data:
//   name, url(origins, key) → the EventSource URL, init (the constructor's dictionary), types
//   (custom event types to listen for), end: closeAfter n messages | errors n | until CLOSED
//   (default), summarize (log a count and checksum instead of every event), setup (requests the
//   runner makes first, e.g. to set a cookie), legacy: false where the legacy environment cannot
//   take part (noted why).
// Streams use `retry: 10`-ish so reconnections are quick; every script ends in 204 (CLOSED).

/** A /sse URL: attempts is a list of { body | writes, status, type, chunk, delay, end, location }. */
export function sse(origin, key, attempts, extra = '') {
  const params = [`key=${encodeURIComponent(key)}`];
  attempts.forEach((attempt, n) => {
    const writes = attempt.writes ?? (attempt.body !== undefined ? [attempt.body] : []);
    for (const write of writes) params.push(`b${n}=${encode(write)}`);
    if (attempt.status !== undefined) params.push(`s${n}=${attempt.status}`);
    if (attempt.type !== undefined) params.push(`t${n}=${encodeURIComponent(attempt.type)}`);
    if (attempt.chunk !== undefined) params.push(`c${n}=${attempt.chunk}`);
    if (attempt.delay !== undefined) params.push(`d${n}=${attempt.delay}`);
    if (attempt.end !== undefined) params.push(`e${n}=${attempt.end}`);
    if (attempt.repeat !== undefined) params.push(`p${n}=${attempt.repeat}`);
    if (attempt.location !== undefined) params.push(`l${n}=${encodeURIComponent(attempt.location)}`);
    if (!writes.length && attempt.status === undefined && attempt.location === undefined) params.push(`s${n}=200`);
  });
  return `${origin}/sse?${params.join('&')}${extra}`;
}

/** Percent-encodes every byte of a binary string (chars U+0000–U+00FF are bytes). */
function encode(text) {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0);
    if (code > 0xFF) {
      out += encodeURIComponent(char);
    } else if (/[A-Za-z0-9_.~-]/.test(char)) {
      out += char;
    } else {
      out += `%${code.toString(16).padStart(2, '0').toUpperCase()}`;
    }
  }
  return out;
}

const utf8 = (text) => Buffer.from(text, 'utf8').toString('latin1');
const R = 'retry: 10\n';

export const scenarios = [
  { name: 'normal stream', url: (o, k) => sse(o.a, k, [{ body: `${R}data: one\n\ndata: two\n\n` }]) },
  { name: 'multi-line data', url: (o, k) => sse(o.a, k, [{ body: `${R}data: a\ndata: b\ndata:\ndata: c\n\n` }]) },
  { name: 'one byte per write', url: (o, k) => sse(o.a, k, [{ body: `${R}id: 1\r\ndata: x\r\n\r\nevent: t\r\ndata: ${utf8('ünï€😀')}\r\n\r\n`, chunk: 1 }]), types: ['t'] },
  { name: 'slow drip', url: (o, k) => sse(o.a, k, [{ body: `${R}data: drip\n\ndata: drop\n\n`, chunk: 3, delay: 15 }]) },
  {
    name: 'disconnect mid-event: incomplete event discarded, reconnect',
    url: (o, k) => sse(o.a, k, [{ body: `${R}data: complete\n\ndata: incomplete` }, { body: 'data: second\n\n' }]),
  },
  {
    name: 'reset mid-event then reconnect',
    url: (o, k) => sse(o.a, k, [{ writes: [`${R}id: 5\ndata: kept\n\n`, 'data: lost'], delay: 50, end: 'reset' }, { body: 'data: after {lei}\n\n' }]),
  },
  { name: 'retry field variants', url: (o, k) => sse(o.a, k, [{ body: 'retry: 1a\nretry:\nretry:  7\nretry: 10\ndata: r\n\n' }, { body: 'retry: x\ndata: again\n\n' }]) },
  {
    name: 'id and Last-Event-ID echo across reconnections',
    url: (o, k) => sse(o.a, k, [{ body: `${R}id: 1\ndata: a\n\n` }, { body: 'data: got {lei}\n\nid: 2\ndata: b\n\n' }, { body: 'data: got {lei}\n\n' }]),
  },
  { name: 'id with NUL is ignored', url: (o, k) => sse(o.a, k, [{ body: `${R}id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n` }, { body: 'data: {lei}\n\n' }]) },
  { name: 'id persists across events; empty id resets', url: (o, k) => sse(o.a, k, [{ body: `${R}id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n` }, { body: 'data: lei={lei}\n\n' }]) },
  { name: 'id-only block sets lastEventId', url: (o, k) => sse(o.a, k, [{ body: `${R}id: 9\n\ndata: after\n\n` }, { body: 'data: {lei}\n\n' }]) },
  { name: 'id in an incomplete event is not committed', url: (o, k) => sse(o.a, k, [{ body: `${R}id: 1\ndata: a\n\nid: 2\ndata: b` }, { body: 'data: {lei}\n\n' }]) },
  { name: 'empty data line dispatches empty data', url: (o, k) => sse(o.a, k, [{ body: `${R}data\n\ndata:\n\n\n\n` }]) },
  { name: 'field parsing: colon and space rules', url: (o, k) => sse(o.a, k, [{ body: `${R}data:no space\n\ndata:  two spaces\n\ndata:\tTAB\n\ndata: a:b\n\n` }]) },
  { name: 'comments and unknown fields', url: (o, k) => sse(o.a, k, [{ body: `${R}: comment\n:\nfoo: bar\nDATA: no\ndata: yes\n\n` }]) },
  { name: 'CRLF, CR and mixed line endings', url: (o, k) => sse(o.a, k, [{ body: `${R}data: crlf\r\n\r\ndata: cr\r\rdata: mixed\r\n\n` }]) },
  { name: 'CR and LF split across writes', url: (o, k) => sse(o.a, k, [{ writes: [`${R}data: a\r`, '\ndata: b\r', '\r'] }]) },
  { name: 'BOM at the start is removed once', url: (o, k) => sse(o.a, k, [{ body: `\xEF\xBB\xBF${R}data: bom\n\n\xEF\xBB\xBFdata: second bom\n\n` }]) },
  { name: 'BOM split across writes', url: (o, k) => sse(o.a, k, [{ writes: ['\xEF', '\xBB', `\xBF${R}data: x\n\n`] }]) },
  { name: 'invalid UTF-8 becomes U+FFFD', url: (o, k) => sse(o.a, k, [{ body: `${R}data: a\xFFb\xC3(c\xE2\x82\n\nid: \xF0\x9F\x98\ndata: \xED\xA0\x80\n\n` }]) },
  { name: 'multi-byte UTF-8 split across writes', url: (o, k) => sse(o.a, k, [{ writes: [`${R}data: \xE2`, '\x82', '\xAC \xF0\x9F', '\x98\x80\n\n'] }]) },
  { name: 'custom event types; type resets after dispatch', url: (o, k) => sse(o.a, k, [{ body: `${R}event: add\ndata: 1\n\nevent: remove\ndata: 2\n\ndata: 3\n\nevent:\ndata: 4\n\nevent: add\n\ndata: 5\n\n` }]), types: ['add', 'remove'] },
  { name: 'status 204 fails', url: (o, k) => sse(o.a, k, [{ status: 204 }]) },
  { name: 'status 404 fails', url: (o, k) => sse(o.a, k, [{ status: 404, body: 'data: no\n\n' }]) },
  { name: 'status 500 fails', url: (o, k) => sse(o.a, k, [{ status: 500, body: 'data: no\n\n' }]) },
  ...[301, 302, 303, 307, 308].map((status) => ({
    name: `redirect ${status} is followed`,
    url: (o, k) => sse(o.a, k, [{ status, location: sse(o.a, `${k}-target`, [{ body: `${R}id: r\ndata: redirected\n\n` }]) }]),
    serverKeys: (k) => [k, `${k}-target`],
  })),
  {
    name: 'redirect to the second origin: origin is the final URL',
    url: (o, k) => sse(o.a, k, [{ status: 302, location: sse(o.b, `${k}-b`, [{ body: `${R}data: from b\n\n` }]) }]),
    serverKeys: (k) => [k, `${k}-b`],
  },
  { name: 'wrong content type text/plain fails', url: (o, k) => sse(o.a, k, [{ type: 'text/plain', body: 'data: no\n\n' }]) },
  { name: 'no content type fails', url: (o, k) => sse(o.a, k, [{ type: 'none', body: 'data: no\n\n' }]) },
  { name: 'content type with parameters', url: (o, k) => sse(o.a, k, [{ type: 'text/event-stream; charset=utf-8', body: `${R}data: ok\n\n` }]) },
  { name: 'content type in upper case', url: (o, k) => sse(o.a, k, [{ type: 'TEXT/Event-Stream', body: `${R}data: ok\n\n` }]) },
  { name: 'cross-origin with CORS', url: (o, k) => sse(o.b, k, [{ body: `${R}data: cors ok\n\n` }]) },
  {
    name: 'cross-origin without CORS fails',
    url: (o, k) => sse(o.b, k, [{ body: `${R}data: hidden\n\n` }], '&cors=none'),
    end: 'errors', errors: 1,
  },
  {
    name: 'cookie without credentials is not sent cross-origin',
    setup: (o) => [`${o.a}/set-cookie?name=sid&value=s3cret`],
    url: (o, k) => sse(o.b, k, [{ body: `${R}data: cookie=[{cookie}]\n\n` }]),
  },
  {
    name: 'cookie with credentials is sent cross-origin',
    setup: (o) => [`${o.a}/set-cookie?name=sid&value=s3cret`],
    url: (o, k) => sse(o.b, k, [{ body: `${R}data: cookie=[{cookie}]\n\n` }]),
    init: { withCredentials: true },
  },
  {
    name: 'same-origin cookie is sent',
    setup: (o) => [`${o.a}/set-cookie?name=sid&value=s3cret`],
    url: (o, k) => sse(o.a, k, [{ body: `${R}data: cookie=[{cookie}]\n\n` }]),
  },
  { name: 'close() in a message handler stops everything', url: (o, k) => sse(o.a, k, [{ body: `${R}data: 1\n\ndata: 2\n\ndata: 3\n\n`, end: 'hold' }]), closeAfter: 1 },
  { name: 'close() before any response', url: (o, k) => sse(o.a, k, [{ body: `${R}data: never\n\n` }]), closeBeforeResponse: true, end: 'none' },
  { name: 'held stream, closed by the page', url: (o, k) => sse(o.a, k, [{ body: `${R}data: a\n\ndata: b\n\n`, end: 'hold' }]), closeAfter: 2 },
  { name: 'relative URL resolves against the document', url: (o, k) => sse('', k, [{ body: `${R}data: relative\n\n` }]) },
  { name: 'invalid URL throws SyntaxError', url: () => 'http://[bad', end: 'threw' },
  { name: 'withCredentials reflects the dictionary', url: (o, k) => sse(o.a, k, [{ status: 204 }]), init: { withCredentials: 1 } },
  { name: 'big event (100 KB)', url: (o, k) => sse(o.a, k, [{ body: `${R}data: {fill:100000}\ndata: {fill:1000}\n\n` }]) },
  {
    name: 'many small events (2,000)',
    url: (o, k) => sse(o.a, k, [{ writes: [R, 'id: {i}\ndata: event {i}\n\n'], repeat: 2000 }]),
    summarize: true,
  },
  {
    name: 'connection reset before any event, then reconnect',
    url: (o, k) => sse(o.a, k, [{ writes: [R, ': still here\n'], delay: 50, end: 'reset' }, { body: 'data: after reset\n\n' }]),
  },
];
