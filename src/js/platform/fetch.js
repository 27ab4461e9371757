// Streams a response body with fetch and a ReadableStream reader.
// A transport does I/O only; every decision is the engine's. ES5 syntax.
//
// open(request, sink) starts a request and returns { abort }. It calls, in order:
//   sink.response(status, header(name), finalUrl, resume)   once, when the head arrives
//   sink.chunk(bytes, resume)                                 per body chunk, after resume()
//   sink.end(networkError, beforeResponse)                   when the body ends or fails
// A sink that wants no more (the engine failed or closed) simply never calls resume.
import { g } from '../global.js';

export var fetchStreams = typeof g.fetch === 'function' && typeof g.ReadableStream === 'function' &&
  typeof g.AbortController === 'function' && typeof g.Response === 'function' &&
  'body' in g.Response.prototype;

/** Spec: the request the EventSource constructor sets up: mode "cors", credentials mode from
 * withCredentials, cache mode "no-store", redirects followed. */
export function openFetch(request, sink) {
  var controller = new g.AbortController();
  var aborted = false;
  var requestFailed = function () { if (!aborted) sink.end(true, true); };
  var bodyFailed = function () { if (!aborted) sink.end(true, false); };
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
      if (!response.body) { sink.end(false); return; }
      var reader = response.body.getReader();
      var pump = function () {
        reader.read().then(function (result) {
          if (aborted) return;
          if (result.done) sink.end(false);
          else sink.chunk(result.value, pump);
        }, bodyFailed);
      };
      pump();
    });
  }, requestFailed);
  return {
    abort: function () {
      aborted = true;
      controller.abort();
    },
  };
}
