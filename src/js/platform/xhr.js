// Streams a response body with XMLHttpRequest progress events, for runtimes whose fetch cannot
// (IE10/11, EdgeHTML, old engines): the `open` of the platform contract (platform.d.ts), with
// its restart past request.responseLimit. ES5 syntax.

/** The most chars of responseText turned into bytes at once (the engine takes 64 KiB at once). */
var PIECE = 65536;

export function openXhr(request, sink) {
  var xhr = new XMLHttpRequest();
  var aborted = false;
  var responded = false;
  var busy = true; // until the sink has taken the response head
  var ended = false;
  var finished = false; // loadend seen: the request is over, how is known
  var how = 0; // as sink.end takes it: 1 when an error event came, 4 when an abort event did
  var restarting = false;
  // responseText keeps everything received: 4 MiB unless the xhrResponseLimit option says.
  var limit = request.responseLimit > 0 ? request.responseLimit : 1 << 22;
  var offset = 0;
  // The browser decodes the body as UTF-8 (overrideMimeType; where that is missing, IE10, the
  // response's charset decides), replacing what is not UTF-8 with U+FFFD as the spec's decode
  // does, and the engine is given the text's UTF-8 again: the same bytes where the body was
  // valid. That decode also strips a leading BOM (Encoding Standard, "decode"), so each
  // response's text goes after a BOM of this transport's, which the engine strips instead:
  // exactly one goes, as the spec says. (A body that starts with a UTF-16 BOM is decoded as
  // UTF-16: README.) The text goes a piece of at most PIECE chars at a time, into one buffer
  // reused from piece to piece (the sink has taken a piece's bytes before it asks for the next):
  // nothing is allocated per progress event, and however far the page falls behind the network,
  // the buffer stays small.
  var store = new Uint8Array([0xEF, 0xBB, 0xBF]);
  // text[from, to) into the buffer after the `at` bytes already there. ASCII, the common case,
  // goes a char a byte; from the first other char on, the rest is encoded first (`encoded`: a
  // byte string, a char a byte).
  var bytesOf = function (text, from, to, at, encoded) {
    var length = at + to - from;
    if (store.length < length) {
      var grown = new Uint8Array(length);
      grown.set(store.subarray(0, at));
      store = grown;
    }
    for (var i = from; i < to; i++) {
      var code = text.charCodeAt(i);
      if (code > 127 && !encoded) {
        var rest = unescape(encodeURIComponent(text.slice(i, to)));
        return bytesOf(rest, 0, rest.length, at + i - from, true);
      }
      store[at + i - from] = code;
    }
    return store.subarray(0, length);
  };

  var pull = function () {
    if (aborted || busy || ended) return;
    var text = xhr.responseText || '';
    var end = Math.min(text.length, offset + PIECE);
    // A piece does not end between the two halves of a pair (encodeURIComponent throws on a
    // lone one): the first waits for the next piece. (A decoder never ends its output there.)
    if (end > offset && text.charCodeAt(end - 1) >> 10 === 0x36) end--;
    if (end > offset) {
      var bytes = bytesOf(text, offset, end, offset ? 0 : 3);
      offset = end;
      busy = true;
      sink.chunk(bytes, function () {
        busy = false;
        // responseText keeps everything received: past the limit, once, the sink is told to
        // restart, unless the response has already ended (its end then reconnects as usual).
        if (!restarting && offset > limit && xhr.readyState !== 4) {
          restarting = true;
          sink.restart();
        }
        pull();
      });
      return;
    }
    if (finished) {
      ended = true;
      sink.end(how || (xhr.status === 0 ? 1 : 0));
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
      }, { _all: xhr.getAllResponseHeaders(), get: headerOf });
      return;
    }
    if (xhr.readyState >= 3) pull();
  };
  xhr.onprogress = function () { if (responded) pull(); };
  // readyState 4 comes first whatever happened; then an abort event when the page aborted the
  // request (window.stop()), an error event on a network error, and loadend last.
  xhr.onabort = function () { how = 4; };
  xhr.onerror = function () { how = 1; };
  xhr.onloadend = function () {
    if (aborted) return;
    finished = true;
    if (responded) pull();
    else if (!ended) {
      ended = true;
      sink.end(how === 4 ? 4 : 2); // no response at all
    }
  };

  xhr.open(request.method, request.url, true);
  for (var name in request.headers) {
    if (Object.prototype.hasOwnProperty.call(request.headers, name)) xhr.setRequestHeader(name, request.headers[name]);
  }
  // fetch's cache mode "no-store" sends these; XHR has no cache mode. Cross-origin they would
  // force a CORS preflight, which the browser's own EventSource never needs, so only same-origin.
  if (!request.crossOrigin) {
    xhr.setRequestHeader('Cache-Control', 'no-cache');
    xhr.setRequestHeader('Pragma', 'no-cache');
  }
  if (request.withCredentials) xhr.withCredentials = true;
  if (xhr.overrideMimeType) xhr.overrideMimeType('text/plain; charset=utf-8');
  xhr.send(request.body);
  return {
    abort: function () {
      aborted = true;
      xhr.onreadystatechange = xhr.onprogress = xhr.onloadend = null;
      xhr.abort();
    },
  };
}

/** `get(name)` of the response headers read when the response came (an aborted XHR forgets
 * them, and the error event keeps them after the engine aborted the request): a method, not a
 * closure, so that the headers the source keeps do not keep this request's closure (the XHR, the
 * buffer) alive. */
function headerOf(name) {
  var found = new RegExp('^' + String(name).replace(/[^\w-]/g, '\\$&') + ':[ \t]*(.*?)[ \t]*\r?$', 'im').exec(this._all);
  return found ? found[1] : null;
}
