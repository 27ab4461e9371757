// Streams a response body with fetch and a ReadableStream reader: the `open` of the platform
// contract (platform.d.ts). A transport does I/O only; every decision is the engine's. ES5 syntax.
import { g } from '../global.js';

export var fetchStreams = typeof g.fetch === 'function' && typeof g.ReadableStream === 'function' &&
  typeof g.AbortController === 'function' && typeof g.Response === 'function' &&
  'body' in g.Response.prototype;

// window.stop() fails every fetch in flight with the same TypeError a network error gives
// (measured: Chromium and Firefox), where the spec has an "aborted network error", which fails an
// EventSource instead of reconnecting. So the page's stops are counted, from the first request on
// (the page's window.stop is wrapped only once this transport is used): a request that fails
// after one during its life was aborted by the page.
var stops;

// The reason every abort gives, made once. abort() without one makes a new DOMException whose
// stack keeps the functions running at the time alive, with what they hold: a close() in a
// message listener kept the chunk being dispatched (up to megabytes) for as long as the fetch's
// signal lived (measured in Chromium: 1.6 MB after the source was closed).
// (Where DOMException cannot be constructed, the legacy build's old engines, abort() makes its own.)
var ABORTED;
try {
  ABORTED = new g.DOMException('', 'AbortError');
} catch (e) { /* no constructible DOMException */ }

/** Spec: the request the EventSource constructor sets up: mode "cors", credentials mode from
 * withCredentials, cache mode "no-store", redirects followed. */
export function openFetch(request, sink) {
  if (stops === undefined) {
    stops = 0;
    var stop = g.stop;
    if (stop) g.stop = function () { stops++; stop.call(this); };
  }
  var controller = new g.AbortController();
  var aborted = false;
  var since = stops;
  var failed = function (how) {
    return function () { if (!aborted) sink.end(stops !== since ? 4 : how); };
  };
  (request.fetch || g.fetch)(request.url, {
    method: request.method,
    body: request.body,
    headers: request.headers,
    mode: 'cors',
    credentials: request.withCredentials ? 'include' : 'same-origin',
    cache: 'no-store',
    redirect: 'follow',
    signal: controller.signal,
  }).then(function (response) {
    if (aborted) return;
    var header = function (name) { return response.headers.get(name); };
    sink.response(response.status, header, response.url, function () {
      if (aborted) return;
      if (!response.body) { sink.end(0); return; }
      // Where the body is a byte stream, it is read into one buffer of ours, reused: the unread
      // body then waits in the browser's network buffers, outside the page's heap, and no chunk is
      // allocated per read (measured in Chromium on a fast stream: the heap held 2 MB of chunks
      // with the default reader, 0.1 MB this way). Other streams throw here: read them as they come.
      // 256 KiB: each read is a round trip through the browser's stream, and a page that falls
      // behind fills the whole buffer; against 64 KiB, a quarter of the reads and the bench's
      // 1 KB row 7% faster (Chromium), the heap the same.
      var reader, view;
      try {
        reader = response.body.getReader({ mode: 'byob' });
        view = new Uint8Array(262144);
      } catch (e) {
        reader = response.body.getReader();
      }
      var pump = function () {
        reader.read(view).then(function (result) {
          if (aborted) return;
          if (result.done) sink.end(0);
          else {
            // The read transferred the buffer to its result; the next one reuses it, once the
            // sink has taken these bytes (it calls pump only then).
            if (view) view = new Uint8Array(result.value.buffer);
            sink.chunk(result.value, pump);
          }
        }, failed(1));
      };
      pump();
    }, response.headers);
  }, failed(2));
  return {
    abort: function () {
      aborted = true;
      controller.abort(ABORTED);
    },
  };
}
