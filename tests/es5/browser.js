// What an IE10/11 page gives a script, as stand-ins for the Duktape heap: window/self, location,
// document (createEvent with initEvent/initMessageEvent, createElement('a') resolving URLs),
// setTimeout/clearTimeout on a virtual clock, and a scripted XMLHttpRequest whose network is the
// driver (run.mjs). Nothing modern: no Promise, WebAssembly, fetch, TextDecoder, URL, EventTarget,
// Event/MessageEvent constructors. `__es5` is the driver's handle. ES5.
(function (global) {
  var control = {};
  var uncaught = [];
  // Where a browser reports an exception that escaped a callback (window.onerror).
  function report(error) {
    uncaught.push(String(error && error.message !== undefined ? error.name + ': ' + error.message : error));
  }

  global.window = global;
  global.self = global;

  // --- location (the page the browser tests load) ---
  var page = null;
  function parseAbsolute(url) {
    var match = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
    if (!match) return null;
    return { protocol: match[1].toLowerCase(), host: match[2].toLowerCase(), pathname: match[3] || '/',
      search: match[4] || '', hash: match[5] || '' };
  }
  control.setLocation = function (href) {
    page = parseAbsolute(href);
    var hostMatch = /^([^:]*)(?::(\d+))?$/.exec(page.host);
    global.location = {
      href: href, protocol: page.protocol, host: page.host, hostname: hostMatch[1], port: hostMatch[2] || '',
      pathname: page.pathname, search: page.search, hash: page.hash,
      toString: function () { return href; },
    };
  };

  // --- URL resolution, as an anchor element's href does (RFC 3986 reference resolution) ---
  function removeDots(path) {
    var out = [];
    var parts = path.split('/');
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      if (part === '..') {
        if (out.length > 1) out.pop();
        if (i === parts.length - 1) out.push('');
      } else if (part === '.') {
        if (i === parts.length - 1) out.push('');
      } else {
        out.push(part);
      }
    }
    var joined = out.join('/');
    return joined.charAt(0) === '/' ? joined : '/' + joined;
  }
  function resolve(input, base) {
    var text = String(input).replace(/^[\s\u0000-\u0020]+|[\s\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
    var b = parseAbsolute(base);
    var prefix;
    if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
      var absolute = parseAbsolute(text);
      if (!absolute) return null;
      b = absolute;
      return absolute.protocol + '//' + absolute.host + removeDots(absolute.pathname) + absolute.search + absolute.hash;
    }
    prefix = b.protocol + '//';
    if (text.slice(0, 2) === '//') return resolve(b.protocol + text, base);
    if (text.charAt(0) === '/') return prefix + b.host + removeDots(text.replace(/[?#].*$/, '')) + text.replace(/^[^?#]*/, '');
    if (text.charAt(0) === '#') return prefix + b.host + b.pathname + b.search + text;
    if (text.charAt(0) === '?') return prefix + b.host + b.pathname + text;
    var directory = b.pathname.replace(/[^/]*$/, '');
    var path = text.replace(/[?#].*$/, '');
    return prefix + b.host + removeDots(directory + path) + text.replace(/^[^?#]*/, '');
  }

  function Anchor() {
    this._href = '';
  }
  Object.defineProperty(Anchor.prototype, 'href', {
    get: function () { return this._href; },
    set: function (value) { this._href = resolve(value, global.location.href) || String(value); },
  });
  Object.defineProperty(Anchor.prototype, 'protocol', {
    get: function () { var parsed = parseAbsolute(this._href); return parsed ? parsed.protocol : ':'; },
  });

  // --- events: document.createEvent objects, read-only attributes on the prototype ---
  function defineGetters(proto, names) {
    for (var i = 0; i < names.length; i++) {
      (function (name) {
        Object.defineProperty(proto, name, {
          get: function () { return this._state[name]; }, enumerable: true, configurable: true,
        });
      })(names[i]);
    }
  }
  function Event() {
    Object.defineProperty(this, '_state', {
      value: { type: '', bubbles: false, cancelable: false, defaultPrevented: false, timeStamp: +new Date(),
        target: null, currentTarget: null, srcElement: null, data: null, origin: '', lastEventId: '', source: null },
    });
  }
  defineGetters(Event.prototype, ['type', 'bubbles', 'cancelable', 'defaultPrevented', 'timeStamp', 'target',
    'currentTarget', 'srcElement']);
  Event.prototype.initEvent = function (type, bubbles, cancelable) {
    this._state.type = String(type);
    this._state.bubbles = !!bubbles;
    this._state.cancelable = !!cancelable;
  };
  Event.prototype.preventDefault = function () { if (this._state.cancelable) this._state.defaultPrevented = true; };
  Event.prototype.stopPropagation = function () {};
  Event.prototype.stopImmediatePropagation = function () {};
  function MessageEvent() {
    Event.call(this);
  }
  MessageEvent.prototype = Object.create(Event.prototype, { constructor: { value: MessageEvent, writable: true, configurable: true } });
  defineGetters(MessageEvent.prototype, ['data', 'origin', 'lastEventId', 'source']);
  // IE10/11's signature: (type, canBubble, cancelable, data, origin, lastEventId, source).
  MessageEvent.prototype.initMessageEvent = function (type, bubbles, cancelable, data, origin, lastEventId, source) {
    this.initEvent(type, bubbles, cancelable);
    this._state.data = data;
    this._state.origin = String(origin);
    this._state.lastEventId = String(lastEventId);
    this._state.source = source;
  };

  global.document = {
    createEvent: function (kind) {
      if (kind === 'Event' || kind === 'Events' || kind === 'HTMLEvents') return new Event();
      if (kind === 'MessageEvent') return new MessageEvent();
      var error = new Error('NotSupportedError');
      error.name = 'NotSupportedError';
      throw error;
    },
    createElement: function (name) {
      if (String(name).toLowerCase() === 'a') return new Anchor();
      return { tagName: String(name).toUpperCase() };
    },
  };

  // --- timers on a virtual clock: time moves only when the driver says so ---
  var now = 0;
  var timers = [];
  var nextTimer = 1;
  var order = 0;
  global.setTimeout = function (callback, milliseconds) {
    var delay = Number(milliseconds) || 0;
    var args = Array.prototype.slice.call(arguments, 2);
    timers.push({ id: nextTimer, at: now + (delay > 0 ? delay : 0), order: order++, callback: callback, args: args });
    return nextTimer++;
  };
  global.clearTimeout = function (id) {
    for (var i = 0; i < timers.length; i++) {
      if (timers[i].id === id) {
        timers.splice(i, 1);
        return;
      }
    }
  };
  function earliest() {
    var best = -1;
    for (var i = 0; i < timers.length; i++) {
      if (best < 0 || timers[i].at < timers[best].at || (timers[i].at === timers[best].at && timers[i].order < timers[best].order)) best = i;
    }
    return best;
  }
  /** Runs every timer due by now, in order, including those they set for now. */
  function runDue() {
    for (;;) {
      var next = earliest();
      if (next < 0 || timers[next].at > now) return;
      var timer = timers.splice(next, 1)[0];
      try {
        if (typeof timer.callback === 'function') timer.callback.apply(global, timer.args);
      } catch (error) {
        report(error);
      }
    }
  }

  // --- XMLHttpRequest, scripted by the driver ---
  var requests = [];
  var aborts = [];
  var live = {};
  var nextRequest = 1;
  function invalidState() {
    var error = new Error('InvalidStateError');
    error.name = 'InvalidStateError';
    error.code = 11;
    return error;
  }
  function XMLHttpRequest() {
    this.readyState = 0;
    this.status = 0;
    this.statusText = '';
    this.responseText = '';
    this.responseURL = '';
    this.withCredentials = false;
    this.onreadystatechange = null;
    this.onprogress = null;
    this.onload = null;
    this.onerror = null;
    this.onabort = null;
    this.onloadend = null;
    this._headers = [];
    this._responseHeaders = [];
    this._mime = null;
    this._sent = false;
    this._id = 0;
    this._loaded = 0;
    // The text decoder's state (asText).
    this._codec = null;
    this._pending = '';
    this._lead = 0;
  }
  XMLHttpRequest.UNSENT = 0;
  XMLHttpRequest.OPENED = 1;
  XMLHttpRequest.HEADERS_RECEIVED = 2;
  XMLHttpRequest.LOADING = 3;
  XMLHttpRequest.DONE = 4;
  function fire(xhr, type) {
    var handler = xhr['on' + type];
    if (typeof handler !== 'function') return;
    try {
      handler.call(xhr, { type: type, target: xhr, currentTarget: xhr, lengthComputable: false, loaded: xhr._loaded, total: 0 });
    } catch (error) {
      report(error);
    }
  }
  XMLHttpRequest.prototype.open = function (method, url, async) {
    if (arguments.length < 2) throw new TypeError('open needs a method and a URL');
    if (this._sent) this.abort();
    this._method = String(method);
    this._url = resolve(url, global.location.href);
    if (this._url === null) throw new SyntaxError('invalid URL');
    this._async = async === undefined ? true : !!async;
    this._headers = [];
    this._responseHeaders = [];
    this.status = 0;
    this.statusText = '';
    this.responseText = '';
    this.responseURL = '';
    this._codec = null;
    this._pending = '';
    this._lead = 0;
    this.readyState = 1;
    fire(this, 'readystatechange');
  };
  XMLHttpRequest.prototype.setRequestHeader = function (name, value) {
    if (this.readyState !== 1 || this._sent) throw invalidState();
    this._headers.push([String(name), String(value)]);
  };
  XMLHttpRequest.prototype.overrideMimeType = function (mime) {
    if (this.readyState >= 3) throw invalidState();
    this._mime = String(mime);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (this.readyState !== 1 || this._sent) throw invalidState();
    if (!this._async) throw new Error('the stand-in XMLHttpRequest is asynchronous only');
    this._sent = true;
    this._id = nextRequest++;
    live[this._id] = this;
    requests.push({
      id: this._id, method: this._method, url: this._url, headers: this._headers.slice(),
      withCredentials: !!this.withCredentials, mime: this._mime,
      body: body === undefined || body === null ? null : String(body),
    });
  };
  XMLHttpRequest.prototype.abort = function () {
    var id = this._id;
    if (this._sent && this.readyState >= 1 && this.readyState <= 3) {
      finish(this, false, 'abort');
      aborts.push(id);
    }
    if (this.readyState === 4) {
      this.readyState = 0;
      this.status = 0;
      this.responseText = '';
    }
  };
  XMLHttpRequest.prototype.getResponseHeader = function (name) {
    if (this.readyState < 2) return null;
    var wanted = String(name).toLowerCase();
    var values = [];
    for (var i = 0; i < this._responseHeaders.length; i++) {
      if (this._responseHeaders[i][0].toLowerCase() === wanted) values.push(this._responseHeaders[i][1]);
    }
    return values.length ? values.join(', ') : null;
  };
  XMLHttpRequest.prototype.getAllResponseHeaders = function () {
    var out = '';
    for (var i = 0; i < this._responseHeaders.length; i++) out += this._responseHeaders[i][0] + ': ' + this._responseHeaders[i][1] + '\r\n';
    return out;
  };
  global.XMLHttpRequest = XMLHttpRequest;

  /** The response's end: DONE with the body, or (`ok` false) a network error or an abort. */
  function finish(xhr, ok, kind) {
    delete live[xhr._id];
    xhr._sent = false;
    if (!ok) {
      // XHR "request error steps": status 0, no headers, responseText "".
      xhr.status = 0;
      xhr.statusText = '';
      xhr.responseText = '';
      xhr._responseHeaders = [];
    }
    xhr.readyState = 4;
    fire(xhr, 'readystatechange');
    fire(xhr, ok ? 'load' : kind);
    fire(xhr, 'loadend');
  }

  /** Response bytes (one char per byte) as responseText shows them, as browsers decode it (the
   * Encoding Standard's "decode"): a byte order mark is sniffed first, whatever the charset; a
   * body that starts with one is decoded as UTF-8 or UTF-16 without it, any other as UTF-8, the
   * charset overrideMimeType gave (the only one the legacy file asks for). Bytes that may still
   * complete a BOM or a character wait for the next piece (`end`: there is none). */
  function asText(xhr, bytes, end) {
    if (!/charset=utf-8$/i.test(xhr._mime || '')) {
      throw new Error('the stand-in XMLHttpRequest decodes only UTF-8 (overrideMimeType was ' + xhr._mime + ')');
    }
    var input = xhr._pending + bytes;
    xhr._pending = '';
    if (!xhr._codec) {
      var boms = { '\xEF\xBB\xBF': 'utf-8', '\xFE\xFF': 'utf-16be', '\xFF\xFE': 'utf-16le' };
      for (var bom in boms) {
        if (!end && input.length < bom.length && bom.slice(0, input.length) === input) {
          xhr._pending = input;
          return '';
        }
        if (input.slice(0, bom.length) === bom) {
          xhr._codec = boms[bom];
          input = input.slice(bom.length);
          break;
        }
      }
      xhr._codec = xhr._codec || 'utf-8';
    }
    var units = [];
    var i = 0;
    var b;
    while (i < input.length) {
      b = input.charCodeAt(i);
      if (xhr._codec !== 'utf-8') {
        if (i + 1 >= input.length && !end) break;
        var unit = i + 1 >= input.length ? 0xFFFD
          : xhr._codec === 'utf-16le' ? b | input.charCodeAt(i + 1) << 8 : b << 8 | input.charCodeAt(i + 1);
        units.push(unit);
        i += 2;
      } else if (b < 0x80) {
        units.push(b);
        i++;
      } else {
        // UTF-8 with the Encoding Standard's replacement: a U+FFFD per maximal ill-formed part.
        var need = b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : 0;
        var lower = b === 0xE0 ? 0xA0 : b === 0xF0 ? 0x90 : 0x80;
        var upper = b === 0xED ? 0x9F : b === 0xF4 ? 0x8F : 0xBF;
        var point = b & (0x7F >> need + 1);
        var j = i + 1;
        var complete = need > 0;
        for (var k = 0; k < need; k++, j++) {
          if (j >= input.length) {
            if (!end) {
              xhr._pending = input.slice(i);
              return fromUnits(units);
            }
            complete = false;
            break;
          }
          var c = input.charCodeAt(j);
          if (c < lower || c > upper) {
            complete = false;
            break;
          }
          lower = 0x80;
          upper = 0xBF;
          point = point << 6 | c & 0x3F;
        }
        if (!complete) units.push(0xFFFD);
        else if (point < 0x10000) units.push(point);
        else units.push(0xD800 + (point - 0x10000 >> 10), 0xDC00 + (point & 0x3FF));
        i = j;
      }
    }
    xhr._pending = input.slice(i);
    // UTF-16: a lead surrogate waits for its trail; without one it is U+FFFD.
    if (xhr._codec.indexOf('utf-16') === 0) units = pairSurrogates(xhr, units, end);
    return fromUnits(units);
  }

  function pairSurrogates(xhr, units, end) {
    var out = [];
    if (xhr._lead) units.unshift(xhr._lead);
    xhr._lead = 0;
    for (var i = 0; i < units.length; i++) {
      var unit = units[i];
      var next = units[i + 1];
      if (unit >= 0xD800 && unit <= 0xDBFF) {
        if (next === undefined && !end) {
          xhr._lead = unit;
        } else if (next >= 0xDC00 && next <= 0xDFFF) {
          out.push(unit, next);
          i++;
        } else {
          out.push(0xFFFD);
        }
      } else {
        out.push(unit >= 0xDC00 && unit <= 0xDFFF ? 0xFFFD : unit);
      }
    }
    return out;
  }

  function fromUnits(units) {
    var out = '';
    for (var i = 0; i < units.length; i += 8192) out += String.fromCharCode.apply(null, units.slice(i, i + 8192));
    return out;
  }

  // --- the driver's side ---
  /** Network events for the live requests, in order: [id, 'head', status, statusText, headers,
   * finalUrl] | [id, 'chunk', bytes] | [id, 'end', ok]. Due timers run before each. */
  control.deliver = function (events) {
    for (var i = 0; i < events.length; i++) {
      runDue();
      var event = events[i];
      var xhr = live[event[0]];
      if (!xhr) continue; // aborted meanwhile
      if (event[1] === 'head') {
        xhr.status = event[2];
        xhr.statusText = event[3];
        xhr._responseHeaders = event[4];
        xhr.responseURL = event[5];
        xhr.readyState = 2;
        fire(xhr, 'readystatechange');
      } else if (event[1] === 'chunk') {
        xhr._loaded += event[2].length;
        xhr.responseText += asText(xhr, event[2]);
        xhr.readyState = 3;
        fire(xhr, 'readystatechange');
        if (live[event[0]] === xhr) fire(xhr, 'progress');
      } else if (event[2]) {
        xhr.responseText += asText(xhr, '', true);
        finish(xhr, true);
      } else {
        finish(xhr, false, 'error');
      }
    }
    runDue();
    return control.status();
  };
  /** Moves the clock to the next timer and runs what is due. */
  control.advance = function () {
    var next = earliest();
    if (next >= 0) now = timers[next].at;
    runDue();
    return control.status();
  };
  control.run = function (code) {
    try {
      (0, eval)(code);
    } catch (error) {
      report(error);
    }
    runDue();
    return control.status();
  };
  /** What the driver needs after each step: new requests, aborted ones, the next timer, the
   * uncaught errors, and the harness's log once it has ended. */
  control.status = function () {
    var next = earliest();
    var out = {
      now: now, requests: requests.splice(0), aborts: aborts.splice(0), nextTimer: next < 0 ? null : timers[next].at,
      uncaught: uncaught.splice(0), log: global.__log === undefined ? null : global.__log,
    };
    return escapeJson(JSON.stringify(out));
  };
  /** JSON with every non-ASCII code unit as \u escape: the bridge carries ASCII only. */
  function escapeJson(text) {
    return text.replace(/[\u007f-\uffff]/g, function (char) {
      return '\\u' + ('0000' + char.charCodeAt(0).toString(16)).slice(-4);
    });
  }
  global.__es5 = control;
})(this);
