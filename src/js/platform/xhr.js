// Streams a response body with XMLHttpRequest progress events, for runtimes whose fetch cannot
// (IE10/11, EdgeHTML, old engines): the `open` of the platform contract (platform.d.ts), with
// its restart past request.responseLimit. ES5 syntax.

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
  // x-user-defined maps each byte to one char, so the engine decodes UTF-8 itself, as the spec
  // wants whatever charset the server names. But the browser's decode sniffs a byte order mark
  // first, whatever the charset (Encoding Standard, "decode"): a body that starts with one is
  // decoded as UTF-8 (or UTF-16) instead, without its BOM, and its text is then re-encoded, as it
  // is where overrideMimeType is missing (IE10).
  var reencode = typeof xhr.overrideMimeType !== 'function';

  var pull = function () {
    if (aborted || busy || ended) return;
    var text = xhr.responseText || '';
    if (text.length > offset) {
      var piece = text.slice(offset);
      var bytes = reencode ? null : byteChars(piece);
      if (!bytes) {
        // A sniff found at the body's first char: the BOM the browser took goes first again, for
        // the engine to strip (spec: one BOM), so that a second one stays. Found later, the engine
        // has had the text before it (ASCII, the same bytes either way) and strips nothing now.
        bytes = byteChars(unescape(encodeURIComponent((reencode || offset ? '' : '\ufeff') + piece)), true);
        reencode = true;
      }
      offset = text.length;
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
      }, snapshot(xhr.getAllResponseHeaders()));
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
  if (!reencode) xhr.overrideMimeType('text/plain; charset=x-user-defined');
  xhr.send(request.body);
  return {
    abort: function () {
      aborted = true;
      xhr.onreadystatechange = xhr.onprogress = xhr.onloadend = null;
      xhr.abort();
    },
  };
}

/** The bytes behind x-user-defined text (U+0000–U+007F and U+F780–U+F7FF, a char a byte), or
 * null at the first char outside those: the browser sniffed a BOM and decodes another way. With
 * `any`, each char's low byte (a byte string). */
function byteChars(text, any) {
  var bytes = new Uint8Array(text.length);
  for (var i = 0; i < text.length; i++) {
    var code = text.charCodeAt(i);
    if (!any && code > 127 && code - 0xF780 >>> 7) return null;
    bytes[i] = code;
  }
  return bytes;
}

/** The response headers as an object with `get(name)`, read now: an aborted XHR forgets them, and
 * the error event keeps them after the engine aborted the request. */
function snapshot(all) {
  return {
    get: function (name) {
      var found = new RegExp('^' + String(name).replace(/[^\w-]/g, '\\$&') + ':[ \t]*(.*?)[ \t]*\r?$', 'im').exec(all);
      return found ? found[1] : null;
    },
  };
}
