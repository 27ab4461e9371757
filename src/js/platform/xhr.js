// Streams a response body with XMLHttpRequest progress events, for runtimes whose fetch cannot
// (IE10/11, EdgeHTML, old engines). Same contract as fetch.js. ES5 syntax.

import { isCrossOrigin } from '../url.js';

export function openXhr(request, sink) {
  var xhr = new XMLHttpRequest();
  var aborted = false;
  var responded = false;
  var busy = true; // until the sink has taken the response head
  var ended = false;
  var offset = 0;
  // x-user-defined maps each byte to one char, so the engine decodes UTF-8 itself, as the spec
  // wants whatever charset the server names. Without overrideMimeType (IE10) the browser's own
  // decoding is re-encoded.
  var rawBytes = typeof xhr.overrideMimeType === 'function';

  var pull = function () {
    if (aborted || busy || ended) return;
    var text = xhr.responseText || '';
    if (text.length > offset) {
      var piece = text.slice(offset);
      offset = text.length;
      busy = true;
      sink.chunk(rawBytes ? byteChars(piece) : utf8Bytes(piece), function () {
        busy = false;
        pull();
      });
      return;
    }
    if (xhr.readyState === 4) {
      ended = true;
      sink.end(xhr.status === 0, false);
    }
  };

  xhr.onreadystatechange = function () {
    if (aborted) return;
    if (xhr.readyState >= 2 && !responded && xhr.status !== 0) {
      responded = true;
      var header = function (name) { return xhr.getResponseHeader(name); };
      sink.response(xhr.status, header, xhr.responseURL || request.url, function () {
        busy = false;
        pull();
      });
      return;
    }
    if (xhr.readyState === 4 && !responded) {
      ended = true;
      sink.end(true, true); // no response at all: a network error
      return;
    }
    if (xhr.readyState >= 3) pull();
  };
  xhr.onprogress = function () { if (responded) pull(); };

  xhr.open(request.method, request.url, true);
  for (var name in request.headers) {
    if (Object.prototype.hasOwnProperty.call(request.headers, name)) xhr.setRequestHeader(name, request.headers[name]);
  }
  // fetch's cache mode "no-store" sends these; XHR has no cache mode. Cross-origin they would
  // force a CORS preflight, which the browser's own EventSource never needs, so only same-origin.
  if (!isCrossOrigin(request.url)) {
    xhr.setRequestHeader('Cache-Control', 'no-cache');
    xhr.setRequestHeader('Pragma', 'no-cache');
  }
  if (request.withCredentials) xhr.withCredentials = true;
  if (rawBytes) xhr.overrideMimeType('text/plain; charset=x-user-defined');
  xhr.send(request.body);
  var connection = {
    // responseText keeps everything received; the face restarts the request past a limit, unless
    // the response has already ended (its end then reconnects as the spec says).
    over: function (limit) { return offset > limit && xhr.readyState !== 4; },
    abort: function () {
      aborted = true;
      xhr.onreadystatechange = xhr.onprogress = null;
      xhr.abort();
    },
  };
  return connection;
}

function byteChars(text) {
  var bytes = new Uint8Array(text.length);
  for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xFF;
  return bytes;
}

function utf8Bytes(text) {
  return byteChars(unescape(encodeURIComponent(text)));
}
