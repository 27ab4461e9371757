// The differential scenarios. Each runs in a fresh page with the browser's native EventSource and
// with ours; per browser, the two logs must be equal (tests/browser/README.md). A scenario is data:
//
//   name        unique; --filter matches a substring of it
//   attempts    the /sse script, one entry per attempt (0, 1, …): { body | writes: [...], status,
//               type (Content-Type, 'none'), chunk, delay, wait, end ('close'|'hold'|'reset'),
//               repeat, location, headers: [...], encoding ('gzip'|'deflate'|'br': compressed,
//               flushed per write) }. Bodies are binary strings: each char
//               U+0000–U+00FF is one byte (utf8() turns text into its UTF-8 bytes). Attempts past
//               the script get 204, which stops a native EventSource.
//   origin      'a' (default, the page's origin) or 'b' (cross-origin)
//   query       extra /sse parameters, e.g. '&cors=none'
//   url(o, key) instead of attempts/origin/query: the constructor's URL (o = { a, b } origins)
//   keys        extra server keys (suffixes of key) whose requests are logged too, e.g. ['-t']
//   init        the constructor's second argument;  noArgs: call it with no arguments;
//               noNew: call EventSource(url) without `new`
//   base(o)     a <base href> put in the document first
//   types       custom event types to listen for (besides open, message, error)
//   setup(o)    URLs the page visits first (in the same fresh browser context), e.g. to set a cookie
//   end         closeAfter: n (close() in the n-th message's listener) | closeOnOpen | closeAtStart |
//               errors: n (the n-th error event) | default: the error event that leaves CLOSED
//   summarize   log a count and hash of the messages instead of each one
//   timeout     ms (default: the runner's)
//
// The last entries are generated from seeds (generated.mjs; run.mjs --generated adds more).
//
// Streams start with `retry: 10` so reconnections are quick. Every key is unique per run, so the
// server's attempt counter starts at 0.
//
// Native differences between the two engines (found with `run.mjs --compare-engines`) are noted
// at the scenarios as "Chromium/Firefox:"; the ones that break the spec are in deviations.mjs.

// The /sse URL encoder every suite shares (tests/support/sse-url.mjs); `sse` is its name here.
import { sseUrl as sse, utf8 } from '../support/sse-url.mjs';
import { generatedScenarios } from './generated.mjs';

export { sse, utf8 };
export const R = 'retry: 10\n';

/** A redirect to a second script under key `${key}-t` on `to` ('a' or 'b'). */
const redirect = (status, to, attempts, extra = '') => ({
  url: (o, k) => sse(o.a, k, [{ status, location: sse(o[to], `${k}-t`, attempts, extra) }]),
  keys: ['-t'],
});

const cookie = (o) => [`${o.a}/set-cookie?name=sid&value=s3cret`];

export const scenarios = [
  // --- the stream format ---
  { name: 'normal stream', attempts: [{ body: `${R}data: one\n\ndata: two\n\n` }] },
  { name: 'multi-line data', attempts: [{ body: `${R}data: a\ndata: b\ndata:\ndata: c\n\n` }] },
  {
    name: 'one byte per write',
    attempts: [{ body: `${R}id: 1\r\ndata: x\r\n\r\nevent: t\r\ndata: ${utf8('ünï€😀')}\r\n\r\n`, chunk: 1 }],
    types: ['t'],
  },
  { name: 'slow drip (3 bytes every 15 ms)', attempts: [{ body: `${R}data: drip\n\ndata: drop\n\n`, chunk: 3, delay: 15 }] },
  { name: 'empty data line dispatches empty data', attempts: [{ body: `${R}data\n\ndata:\n\n\n\n` }] },
  { name: 'data without data field is not dispatched', attempts: [{ body: `${R}event: x\n\n: c\n\nid\n\ndata: only\n\n` }], types: ['x'] },
  { name: 'field parsing: colon and space rules', attempts: [{ body: `${R}data:no space\n\ndata:  two spaces\n\ndata:\tTAB\n\ndata: a:b\n\ndata : not data\n\n` }] },
  { name: 'comments and unknown fields', attempts: [{ body: `${R}: comment\n:\nfoo: bar\nDATA: no\nData: no\ndata: yes\n\n` }] },
  { name: 'trailing newline of data removed once', attempts: [{ body: `${R}data:\ndata:\n\ndata: x\ndata:\n\n` }] },
  { name: 'CRLF, CR and mixed line endings', attempts: [{ body: `${R}data: crlf\r\n\r\ndata: cr\r\rdata: mixed\r\n\n` }] },
  { name: 'CR and LF split across writes', attempts: [{ writes: [`${R}data: a\r`, '\ndata: b\r', '\r'], delay: 5 }] },
  { name: 'BOM at the start is removed, a second one is not', attempts: [{ body: `\xEF\xBB\xBF${R}data: bom\n\n\xEF\xBB\xBFdata: second bom\n\n` }] },
  { name: 'BOM split across writes', attempts: [{ writes: ['\xEF', '\xBB', `\xBF${R}data: x\n\n`], delay: 5 }] },
  { name: 'two BOMs at the start: only the first is removed', attempts: [{ body: `\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\n${R}data: y\n\n` }] },
  // XMLHttpRequest's text decoding sniffs a BOM whatever the charset, and decodes the rest as
  // UTF-8 then: the legacy transport must still give the engine the body's bytes.
  { name: 'BOM then non-ASCII text', attempts: [{ body: `\xEF\xBB\xBF${R}data: ${utf8('ünï€😀')}\n\nid: ${utf8('é')}\ndata: a\xFFb\n\n` }] },
  {
    name: 'BOM split across writes, then non-ASCII text and a second BOM',
    attempts: [{ writes: ['\xEF\xBB', `\xBF\xEF\xBB\xBF${R}data: ${utf8('ü')}\n\n`, `data: ${utf8('€')}\xF0\n\n`], delay: 5 }],
  },
  {
    // The legacy transport learns of the BOM only at the first non-ASCII char, a write later.
    name: 'BOM and ASCII events, then non-ASCII text in a later write',
    attempts: [{ writes: [`\xEF\xBB\xBF${R}data: a\n\n`, `data: ${utf8('ü')}\xEF\xBB\xBF\n\n`], delay: 100 }],
  },
  // UTF-16 byte order marks are no BOM to an event stream: UTF-8 decodes them as U+FFFD.
  { name: 'UTF-16LE BOM bytes at the start are not a BOM', attempts: [{ body: `\xFF\xFE\ndata: x\n\n${R}data: y\n\n` }] },
  { name: 'UTF-16BE BOM bytes at the start are not a BOM', attempts: [{ body: `\xFE\xFF\ndata: x\n\n${R}data: y\n\n` }] },
  {
    name: 'invalid UTF-8 becomes U+FFFD',
    attempts: [{ body: `${R}data: a\xFFb\xC3(c\xE2\x82\n\nid: \xF0\x9F\x98\ndata: \xED\xA0\x80 \xC0\xAF \xF4\x90\x80\x80\n\n` }],
  },
  { name: 'multi-byte UTF-8 split across writes', attempts: [{ writes: [`${R}data: \xE2`, '\x82', '\xAC \xF0\x9F', '\x98\x80\n\n'], delay: 5 }] },
  { name: 'truncated UTF-8 at the end of the stream', attempts: [{ body: `${R}data: a\n\ndata: \xE2\x82` }, { body: 'data: b\n\n' }] },
  {
    // The charset parameter is ignored: streams are always UTF-8 (WPT eventsource/format-utf-8).
    // Chromium: fails the connection instead ("charset … is not UTF-8"; see deviations.mjs).
    // Firefox: opens and decodes as UTF-8.
    name: 'charset parameter other than UTF-8 is ignored',
    attempts: [{ type: 'text/event-stream; charset=iso-8859-1', body: `${R}data: caf\xE9 ${utf8('café')}\n\n` }],
  },
  // Chromium fails this one too: it compares the charset with "utf-8" rather than by label.
  { name: 'charset label utf8 is ignored too', attempts: [{ type: 'text/event-stream; charset=utf8', body: `${R}data: ${utf8('café')}\n\n` }] },

  // --- event types ---
  {
    name: 'custom event types; type resets after dispatch',
    attempts: [{ body: `${R}event: add\ndata: 1\n\nevent: remove\ndata: 2\n\ndata: 3\n\nevent:\ndata: 4\n\nevent: add\n\ndata: 5\n\nevent: message\ndata: 6\n\n` }],
    types: ['add', 'remove'],
  },
  {
    // The stream may name its events `open` and `error`: they are MessageEvents and reach onopen/onerror.
    name: 'stream events named open and error',
    attempts: [{ body: `${R}event: open\ndata: o\n\nevent: error\ndata: e\n\ndata: m\n\n` }],
  },
  { name: 'event type with non-ASCII and spaces', attempts: [{ body: `${R}event: ${utf8('über type')}\ndata: u\n\nevent:  lead\ndata: l\n\n` }], types: ['über type', ' lead'] },

  // --- ids, Last-Event-ID and reconnection ---
  {
    name: 'disconnect mid-event: incomplete event discarded, reconnect',
    attempts: [{ body: `${R}data: complete\n\ndata: incomplete` }, { body: 'data: second\n\n' }],
  },
  // Resets come 300 ms after the write that must arrive: XHR (the legacy transport) reports
  // progress at most every 50 ms and drops what a broken response had not yet reported.
  {
    name: 'reset mid-event then reconnect',
    attempts: [{ writes: [`${R}id: 5\ndata: kept\n\n`, 'data: lost'], delay: 300, end: 'reset' }, { body: 'data: after {lei}\n\n' }],
  },
  {
    // The reset cuts a character in two: the partial sequence and the incomplete event are dropped.
    name: 'reset inside a multi-byte UTF-8 sequence, then reconnect',
    attempts: [
      { writes: [`${R}id: 1\ndata: whole ${utf8('€')}\n\n`, `id: 2\ndata: cut ${utf8('€').slice(0, 2)}`], delay: 300, end: 'reset' },
      { body: `data: after {lei} ${utf8('€')}\n\n` },
    ],
  },
  {
    name: 'connection reset before any event, then reconnect',
    attempts: [{ writes: [R, ': still here\n'], delay: 50, end: 'reset' }, { body: 'data: after reset\n\n' }],
  },
  {
    name: 'retry field variants',
    attempts: [{ body: 'retry: 1a\nretry:\nretry:  7\nretry: -1\nretry: 10\ndata: r\n\n' }, { body: 'retry: x\ndata: again\n\n' }],
  },
  {
    name: 'id and Last-Event-ID echo across reconnections',
    attempts: [{ body: `${R}id: 1\ndata: a\n\n` }, { body: 'data: got {lei}\n\nid: 2\ndata: b\n\n' }, { body: 'data: got {lei}\n\n' }],
  },
  {
    // Firefox: drops the event whose block has an id with NUL (see deviations.mjs).
    name: 'id with NUL is ignored',
    attempts: [{ body: `${R}id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n` }, { body: 'data: {lei}\n\n' }],
  },
  // Spec: only an `id` holding NUL is ignored; data, event types and comments keep it.
  { name: 'NUL in data, an event type and a comment', attempts: [{ body: `${R}data: a\0b\n\n: c\0\nevent: t\0\ndata: \0\n\ndata: \0\0\n\n` }], types: ['t\0'] },
  { name: 'id persists across events; empty id resets', attempts: [{ body: `${R}id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n` }, { body: 'data: lei={lei}\n\n' }] },
  {
    // Firefox: lastEventId is not updated by a block without data (see deviations.mjs).
    name: 'id-only block sets lastEventId',
    attempts: [{ body: `${R}id: 9\n\ndata: after\n\n` }, { body: 'data: {lei}\n\n' }],
  },
  { name: 'id in an incomplete event is not committed', attempts: [{ body: `${R}id: 1\ndata: a\n\nid: 2\ndata: b` }, { body: 'data: {lei}\n\n' }] },
  { name: 'id with non-ASCII is sent back as UTF-8', attempts: [{ body: `${R}id: ${utf8('ü€')}\ndata: a\n\n` }, { body: `data: ${'{lei}'}\n\n` }] },
  {
    name: 'reconnection answered with 500 fails',
    attempts: [{ body: `${R}id: 3\ndata: a\n\n` }, { status: 500, body: 'data: no\n\n' }],
  },
  {
    name: 'reconnection answered with the wrong type fails',
    attempts: [{ body: `${R}data: a\n\n` }, { type: 'text/plain', body: 'data: no\n\n' }],
  },

  // --- responses that fail the connection ---
  { name: 'status 204 fails', attempts: [{ status: 204 }] },
  { name: 'status 404 fails', attempts: [{ status: 404, body: 'data: no\n\n' }] },
  { name: 'status 500 fails', attempts: [{ status: 500, body: 'data: no\n\n' }] },
  { name: 'status 201 fails', attempts: [{ status: 201, body: `${R}data: no\n\n` }] },
  { name: 'wrong content type text/plain fails', attempts: [{ type: 'text/plain', body: 'data: no\n\n' }] },
  { name: 'no content type fails', attempts: [{ type: 'none', body: 'data: no\n\n' }] },
  { name: 'content type with parameters', attempts: [{ type: 'text/event-stream; charset=utf-8', body: `${R}data: ok\n\n` }] },
  { name: 'content type in upper case', attempts: [{ type: 'TEXT/Event-Stream', body: `${R}data: ok\n\n` }] },
  // Fetch, "extract a MIME type": of the header's values (several headers are one list), the last
  // that parses decides; one that fails to parse, or */*, is passed over.
  ...[
    ['two Content-Type headers, the event stream last', 'text/plain', 'text/event-stream'],
    ['two Content-Type headers, text/plain last fails', 'text/event-stream', 'text/plain'],
    ['Content-Type list in one header, the event stream last', 'text/plain, text/event-stream'],
    ['Content-Type list in one header, text/plain last fails', 'text/event-stream, text/plain'],
    ['Content-Type list ending in */* and a bogus value', 'text/event-stream, */*, bogus'],
    ['Content-Type with a quoted comma in a parameter', 'text/event-stream; a="x,text/plain"'],
    ['Content-Type with whitespace before the slash fails', 'text /event-stream'],
    // "Parse a MIME type": the subtype must be token code points once trailing whitespace goes.
    // Chromium, Firefox and WebKit end it at the space and open (deviations.mjs).
    ['Content-Type with text after a space in the subtype fails', 'text/event-stream x'],
    // Chromium ends it at the parenthesis and opens (deviations.mjs); Firefox and WebKit fail.
    ['Content-Type with a parenthesis in the subtype fails', 'text/event-stream(x)'],
    ['Content-Type with whitespace before the semicolon', 'text/event-stream ; charset=utf-8'],
    ['Content-Type with an empty parameter', 'text/event-stream;;charset=utf-8'],
  ].map(([name, type, second]) => ({
    name, attempts: [{ type, headers: second ? [`content-type: ${second}`] : [], body: `${R}data: ok\n\n` }],
  })),
  {
    // The fetch (or XHR) gives up after its redirect limit: a network error, handled as such.
    name: 'redirect loop',
    url: (o, k) => `${o.a}/loop?key=${encodeURIComponent(k)}`,
    errors: 1,
  },
  { name: '302 without Location fails', attempts: [{ status: 302, body: 'data: no\n\n' }] },

  // --- redirects ---
  ...[301, 302, 303, 307, 308].map((status) => ({
    // Firefox: after 302/303/307 it reconnects to the original URL (see deviations.mjs).
    name: `redirect ${status} is followed`,
    ...redirect(status, 'a', [{ body: `${R}id: r\ndata: redirected\n\n` }]),
  })),
  {
    // Firefox: reconnects to the original URL (see deviations.mjs).
    name: 'redirect to the second origin: origin is the final URL',
    ...redirect(302, 'b', [{ body: `${R}data: from b\n\n` }]),
  },
  {
    name: 'redirect to the second origin without CORS fails',
    ...redirect(307, 'b', [{ body: `${R}data: hidden\n\n` }], '&cors=none'),
  },

  // --- cross-origin, CORS and credentials ---
  { name: 'cross-origin with CORS', origin: 'b', attempts: [{ body: `${R}data: cors ok\n\n` }] },
  {
    // Both engines fail the connection on a CORS failure (one error, readyState CLOSED, no
    // reconnection), although the spec's "network error" would reestablish it.
    name: 'cross-origin without CORS fails',
    origin: 'b', query: '&cors=none', attempts: [{ body: `${R}data: hidden\n\n` }],
  },
  {
    name: 'cross-origin with credentials and a wildcard CORS answer fails',
    origin: 'b', query: '&cors=star', init: { withCredentials: true }, attempts: [{ body: `${R}data: hidden\n\n` }],
  },
  { name: 'cross-origin without credentials accepts a wildcard CORS answer', origin: 'b', query: '&cors=star', attempts: [{ body: `${R}data: star ok\n\n` }] },
  {
    // Native sends Last-Event-ID cross-origin without a preflight; ours may need one (not compared).
    name: 'cross-origin Last-Event-ID on reconnection',
    origin: 'b', attempts: [{ body: `${R}id: x1\ndata: a\n\n` }, { body: 'data: got {lei}\n\n' }],
  },
  {
    name: 'cookie without credentials is not sent cross-origin',
    setup: cookie, origin: 'b', attempts: [{ body: `${R}data: cookie=[{cookie}]\n\n` }],
  },
  {
    name: 'cookie with credentials is sent cross-origin',
    setup: cookie, origin: 'b', init: { withCredentials: true }, attempts: [{ body: `${R}data: cookie=[{cookie}]\n\n` }],
  },
  { name: 'same-origin cookie is sent', setup: cookie, attempts: [{ body: `${R}data: cookie=[{cookie}]\n\n` }] },

  // --- close() ---
  { name: 'close() in a message handler stops everything', attempts: [{ body: `${R}data: 1\n\ndata: 2\n\ndata: 3\n\n`, end: 'hold' }], closeAfter: 1 },
  { name: 'held stream, closed by the page after two events', attempts: [{ writes: [`${R}data: a\n\n`, 'data: b\n\n'], delay: 20, end: 'hold' }], closeAfter: 2 },
  { name: 'close() in the open handler: no message after', attempts: [{ body: `${R}data: never\n\n`, end: 'hold' }], closeOnOpen: true },
  { name: 'close() before any response', attempts: [{ body: `${R}data: never\n\n`, wait: 50 }], closeAtStart: true },
  { name: 'close() during a reconnection wait', attempts: [{ body: `${R}data: a\n\n` }, { body: 'data: never\n\n' }], errors: 1 },

  // --- the constructor ---
  { name: 'relative URL resolves against the document', url: (o, k) => sse('', k, [{ body: `${R}data: relative\n\n` }]) },
  { name: 'relative URL with dot segments', url: (o, k) => sse('../..', k, [{ body: `${R}data: dots\n\n` }]) },
  {
    // `sse?…` against the document would be /www/test/sse (a 404); the base makes it B's /sse.
    name: 'relative URL resolves against <base href> (another origin)',
    base: (o) => `${o.b}/`, url: (o, k) => sse('', k, [{ body: `${R}data: based\n\n` }]).slice(1),
  },
  {
    name: 'URL is serialised: spaces, non-ASCII, fragment',
    url: (o, k) => `${sse(o.a, k, [{ body: `${R}data: url\n\n` }])}&x=a b&y=ü#frag ment`,
  },
  { name: 'invalid URL throws SyntaxError', url: () => 'http://[bad' },
  // Requests that can never succeed: one error, CLOSED, no request (Chromium; Firefox and WebKit
  // connect for URL credentials, a deviation in deviations.mjs).
  {
    name: 'URL with credentials fails at once',
    url: (o, k) => sse(o.a.replace('http://', 'http://user:secret@'), k, [{ body: `${R}data: never\n\n` }]),
  },
  ...['ftp://127.0.0.1/x', 'ws://127.0.0.1/x', 'file:///etc/hostname', 'about:blank', 'javascript:void 0'].map((url) => ({
    name: `unsupported scheme fails at once: ${url.split(':')[0]}:`, url: () => url,
  })),
  // Chromium: a data: URL opens, and reconnects after its body ends (Firefox and WebKit fail it:
  // deviations.mjs).
  { name: 'data: URL opens and reconnects', url: () => `data:text/event-stream,${encodeURIComponent(`${R}data: d\n\n`)}`, closeAfter: 2 },
  { name: 'no arguments throws TypeError', noArgs: true },
  { name: 'called without new throws TypeError', noNew: true, attempts: [{ status: 204 }] },
  { name: 'withCredentials reflects the dictionary', attempts: [{ status: 204 }], init: { withCredentials: 1 } },
  { name: 'withCredentials false by default; unknown members ignored', attempts: [{ status: 204 }], init: { foo: 1 } },

  // --- size ---
  { name: 'big event (100 KB)', attempts: [{ body: `${R}data: {fill:100000}\ndata: {fill:1000}\n\n` }] },
  { name: 'big event (100 KB) in 1000-byte writes', attempts: [{ body: `${R}data: {fill:100000}\n\n`, chunk: 1000 }] },
  // The legacy transport turns responseText into bytes 64 Ki chars at a time. `retry: 10\n` and
  // `data:` are 15 chars, so each emoji's first half is at an odd index: where the body comes as
  // one piece, the first cut (char 65,536) falls between the two halves of a pair.
  {
    name: 'non-ASCII event of 150,000 chars (astral and two-byte characters)',
    attempts: [{ body: `${R}data:{fill:40000:${utf8('\u{1F600}')}}\ndata: {fill:70000:${utf8('\u00E9')}}\n\n` }],
  },
  // WebKit's own EventSource took 7–50 s for this event on a loaded 2-core machine (ours 6 s).
  { name: 'single 10 MB event', attempts: [{ body: `${R}id: big\ndata: {fill:10000000}\n\n` }], summarize: true, timeout: 90000 },
  ...['gzip', 'deflate', 'br'].map((encoding) => ({
    name: `${encoding}-compressed stream, reconnected`,
    attempts: [
      // Ends cleanly, not with a reset: XHR drops the bytes of a response that breaks, so with a
      // reset the legacy transport's result would hang on whether a progress event came first.
      // The unfinished last event is discarded all the same (spec: end of stream mid-event).
      { writes: [`${R}id: 1\ndata: one\n\n`, ': comment\n', `id: 2\ndata: two ${utf8('é')}\n\n`, 'data: lost'], delay: 120, encoding },
      { writes: ['data: after {lei}\n\n', 'data: end\n\n'], encoding },
    ],
  })),
  {
    name: 'many small events (2,000)',
    attempts: [{ writes: [R, 'id: {i}\ndata: event {i}\n\n'], repeat: 2000 }],
    summarize: true,
  },

  // --- generated streams (generated.mjs): the same twelve seeds every run ---
  ...generatedScenarios(12, 1),
];
