// The page-facing EventSource. It does I/O (through a transport), timers and event dispatch; every
// decision comes from the Rust engine as a batch of commands.
// Spec: WHATWG HTML Standard, section "Server-sent events".
// ES5 syntax: the script-tag build must parse and run in old engines (IE10+).
import { g } from './global.js';
import { isCrossOrigin } from './url.js';
import { CONSTRUCT } from './errors.js';
import { readOptions, retryAfterMilliseconds, withQueryParameter } from './options.js';
import { errorEvent, details as errorDetails, prepare, decide } from './failure.js';
import {
  loadCore, BaseTarget, makeTarget, createEvent, createMessageEvent, open, resolveUrl, originOf, syntaxError, RESTARTS,
  nextTurn, TURNS,
} from 'eventsource:platform';
import { Engine, utf8ByteString } from './engine.js';
import { share, SHARES } from './shared.js';
import { watch, WATCHES } from './lifecycle.js';
import {
  REQUEST_FAILED, CROSS_ORIGIN_REQUEST_FAILED, UNSET,
  OP_CONNECT, OP_ABORT, OP_ARM_TIMER, OP_CANCEL_TIMER, OP_READY_STATE,
  OP_OPEN, OP_MESSAGE, OP_TYPE, OP_ID, OP_ERROR, OP_ARM_HEARTBEAT, OP_CANCEL_HEARTBEAT, OP_DECIDE,
  ID_HEADER_SEND, ID_HEADER_PROBE, INPUT_START, INPUT_END, INPUT_DECIDE, INPUT_TIMER, INPUT_HEARTBEAT,
  INPUT_RECYCLE, INPUT_CLOSE,
} from './protocol.js';

var CONNECTING = 0;
var OPEN = 1;
var CLOSED = 2;
var STATE = '__eventSource';
var define = Object.defineProperty;

// EventSource.fromReadableStream() (from-stream.js, npm entries only) constructs through here.
// Declared before the constructor, and never set in the script-tag files (which leave
// constructPiped out): the minifier then drops what only piped sources need.
var piped = null;
export function constructPiped(url, pipe) {
  piped = pipe;
  try {
    return new EventSource(url);
  } finally {
    piped = null;
  }
}

export function EventSource(url, eventSourceInitDict) {
  // Called without `new` (in the script-tag files `this` is then the global object).
  if (!(this instanceof EventSource)) throw new TypeError(CONSTRUCT + "Please use the 'new' operator.");
  if (arguments.length < 1) {
    throw new TypeError(CONSTRUCT + '1 argument required, but only 0 present.');
  }
  // WebIDL converts the arguments first: the URL to a string, then the dictionary.
  var input = String(url);
  var options = readOptions(eventSourceInitDict);
  // Spec: the constructor, steps 3-5: parse url against the API base URL; on failure throw a
  // "SyntaxError" DOMException.
  var absolute = resolveUrl(input);
  if (absolute === null) throw syntaxError(CONSTRUCT + "The URL '" + input + "' is invalid.");

  var self = makeTarget(this);
  // fromReadableStream() (from-stream.js): starts reading the application's stream instead of
  // fetching.
  var pipe = piped;
  var state = {
    _url: absolute,
    // Spec: reconnections reuse the request, whose URL is the final one after redirects.
    _requestUrl: absolute,
    _withCredentials: options.withCredentials,
    _options: options,
    _readyState: CONNECTING,
    // Set later, absent until then: _engine (once compiled; null again once CLOSED), _connection
    // (the request in flight: connect), _responseHeaders and _cause (the response's Headers and
    // the JS error behind the current failure).
    // The engine's two timers, by the input (INPUT_TIMER, INPUT_HEARTBEAT) their running out sends.
    _timers: {},
    _origin: '',
    _eventType: 'message',
    _lastEventId: '',
    // The request headers (an object, or the page's function), replaceable by a reconnect
    // decision; failed attempts since the last open and the last error's details (what a headers
    // function sees).
    _headers: options.headers,
    _attempt: 0,
    _failure: null,
    // By event type; a handler never set reads as null.
    _handlers: {},
    _listeners: {},
  };
  define(self, STATE, { value: state });
  // The engine's first request is always the same (no Last-Event-ID). It goes out right after the
  // constructor's task, as native's does (a close() in that task leaves no request), whether or
  // not the engine has compiled by then; the engine's first CONNECT stands for it (run). Not for
  // a group's shared connection or a piped stream.
  if (!pipe && !(SHARES && options.shared) && TURNS) {
    state._early = 1;
    nextTurn(function () {
      if (state._readyState === CONNECTING) connect(self, state, '', ID_HEADER_SEND);
    });
  }
  // The engine may still be compiling: the object works at once and connects when it is ready.
  loadCore(function (core) {
    if (state._readyState === CLOSED) return;
    // The `shared` option: the engine starts when this source holds its group's connection.
    var begin = function () {
      state._engine = new Engine(core, options);
      // The reconnectOnResume option (src/js/lifecycle.js): released with the engine.
      if (WATCHES && options.reconnectOnResume) state._unwatch = watch(self, state, run);
      run(self, pipe ? pipe(self, state, run) : state._engine._send(INPUT_START));
    };
    if (!share(self, state, options, begin, run)) begin();
  }, function (error) {
    if (state._readyState === CLOSED) return;
    state._readyState = CLOSED;
    abort(state);
    // The one reason only the face can know: the engine failed to load.
    self.dispatchEvent(errorEvent(state, -1, 0, UNSET, error));
  });
  return self;
}

export function stateOf(self) {
  var state = self && self[STATE];
  if (!state) throw new TypeError('Illegal invocation');
  return state;
}
function handlerOf(self, type) {
  return stateOf(self)._handlers[type] || null;
}

// WebIDL's shape for the interface, as the browser's own: accessors from an object literal, so
// that ES2015 engines name them `get url`, `set onopen` (lengths 0 and 1) and `close` keeps its
// name through minification; attributes and operations enumerable and configurable.
var members = {
  get url() { return stateOf(this)._url; },
  get withCredentials() { return stateOf(this)._withCredentials; },
  get readyState() { return stateOf(this)._readyState; },
  get onopen() { return handlerOf(this, 'open'); },
  set onopen(value) { setHandler(this, 'open', value); },
  get onmessage() { return handlerOf(this, 'message'); },
  set onmessage(value) { setHandler(this, 'message', value); },
  get onerror() { return handlerOf(this, 'error'); },
  set onerror(value) { setHandler(this, 'error', value); },
  close: function () {
    var state = stateOf(this);
    if (SHARES && state._shared) state._shared();
    if (state._engine) run(this, state._engine._send(INPUT_CLOSE));
    else {
      state._readyState = CLOSED;
      abort(state);
    }
  },
};

// As `class EventSource extends EventTarget` would: EventTarget's statics are inherited too
// (Node's EventTarget checks one on the instance's constructor). WebIDL: `prototype` is read-only.
define(EventSource, 'prototype', {
  value: Object.create(BaseTarget.prototype, {
    constructor: { value: EventSource, writable: true, configurable: true },
  }),
  writable: false,
});
if (BaseTarget !== Object && Object.setPrototypeOf) Object.setPrototypeOf(EventSource, BaseTarget);
for (var key in members) define(EventSource.prototype, key, Object.getOwnPropertyDescriptor(members, key));

// Native: EventSource.length is 1 and the name survives minification.
try {
  Object.defineProperties(EventSource, { length: { value: 1 }, name: { value: 'EventSource' } });
} catch (e) { /* ES5 engines: both are fixed */ }

// WebIDL constants: enumerable, read-only, not configurable, on the interface and its prototype.
var constants = ['CONNECTING', 'OPEN', 'CLOSED'];
for (var c = 0; c < 3; c++) {
  var constant = { value: c, enumerable: true };
  define(EventSource, constants[c], constant);
  define(EventSource.prototype, constants[c], constant);
}
if (typeof Symbol === 'function' && Symbol.toStringTag) {
  define(EventSource.prototype, Symbol.toStringTag, { value: 'EventSource', configurable: true });
}

// HTML "event handler IDL attributes": the handler is an ordinary listener, added where it was
// first set; setting null removes it, so a later handler is added at the end. Non-objects are null.
function setHandler(self, type, value) {
  var state = stateOf(self);
  var handler = typeof value === 'function' || (typeof value === 'object' && value !== null) ? value : null;
  state._handlers[type] = handler;
  if (handler === null) {
    if (state._listeners[type]) self.removeEventListener(type, state._listeners[type]);
    state._listeners[type] = null;
  } else if (!state._listeners[type]) {
    state._listeners[type] = function (event) {
      var current = state._handlers[type];
      if (typeof current === 'function') return current.call(self, event);
    };
    self.addEventListener(type, state._listeners[type]);
  }
}

/** The most the engine is given at once. A runtime that reads ahead hands over chunks of
 * megabytes when the page falls behind (Chromium's fetch does); fed whole, each would grow the
 * engine's input and batch buffers to its size, and linear memory never shrinks. */
var PIECE = 65536;

/** A body chunk into the engine a piece at a time, each piece's batch carried out before the
 * next; `resume` asks the transport for more once all are, unless `current()` says the
 * connection was replaced or closed meanwhile. */
export function feed(self, state, bytes, current, resume) {
  var whole = bytes.length <= PIECE;
  run(self, state._engine._chunk(whole ? bytes : bytes.subarray(0, PIECE)), function () {
    if (current()) {
      if (whole) resume();
      else feed(self, state, bytes.subarray(PIECE), current, resume);
    }
  });
}

// Carries out a batch of engine commands in order, then calls `done` unless the source is CLOSED.
// Each op takes the arguments and text src/js/protocol.js gives it; TYPE and ID set the decoder
// state MESSAGE reads (the engine sends them before the first message and on every change).
// After each event the rest waits for the next microtask turn; a listener (or a promise callback
// it queued) may call close(), which ends the batch: the spec's tasks each check readyState first.
function run(self, batch, done) {
  var state = self[STATE];
  if (SHARES && state._shared) batch = state._shared(batch);
  var ops = batch._ops;
  var texts = batch._texts;
  var i = 0;
  var text = 0;
  var step = function () {
    // A promise callback may have called close() since the last event.
    if (i > 0 && state._readyState === CLOSED) return;
    while (i < ops.length) {
      var event = null;
      switch (ops[i++]) {
        case OP_CONNECT:
          // The engine's first request, which the constructor sends (or has sent).
          if (state._early) {
            state._early = 0;
            i++;
            text++;
          } else {
            connect(self, state, texts[text++], ops[i++]);
          }
          break;
        case OP_ABORT: abort(state); break;
        case OP_ARM_TIMER: arm(self, state, INPUT_TIMER, ops[i++]); break;
        case OP_CANCEL_TIMER: arm(self, state, INPUT_TIMER); break;
        case OP_ARM_HEARTBEAT: arm(self, state, INPUT_HEARTBEAT, ops[i++]); break;
        case OP_CANCEL_HEARTBEAT: arm(self, state, INPUT_HEARTBEAT); break;
        case OP_READY_STATE:
          state._readyState = ops[i++];
          if (state._readyState === CLOSED) release(state);
          break;
        case OP_OPEN: state._attempt = 0; event = createEvent('open'); break;
        // The engine's reason, status and reconnection delay (src/js/failure.js).
        case OP_ERROR: event = errorEvent(state, ops[i], ops[i + 1], ops[i + 2]); i += 3; break;
        case OP_DECIDE: ask(self, state, ops[i], ops[i + 1], ops[i + 2]); i += 3; break;
        case OP_TYPE: state._eventType = texts[text++]; break;
        case OP_ID: state._lastEventId = texts[text++]; break;
        // The argument (a retry field of the event's block) is the parser API's; the reconnection
        // time is the engine's.
        case OP_MESSAGE:
          event = createMessageEvent(state._eventType, texts[text++], state._origin, state._lastEventId);
          i++;
          break;
      }
      if (event) {
        self.dispatchEvent(event);
        if (state._readyState === CLOSED) return;
        if (TURNS && i < ops.length) { nextTurn(step); return; }
      }
    }
    if (done && state._readyState !== CLOSED) {
      if (TURNS) nextTurn(done); else done();
    }
  };
  step();
}

// Spec: the fetch the constructor and "reestablish the connection" start, with the options'
// method, body, headers and fetch. Only the newest connection may talk to the engine.
// `idHeader`: whether the ID goes as `Last-Event-ID` (ID_HEADER_*, the engine's choice).
function connect(self, state, lastEventId, idHeader) {
  var options = state._options;
  var url = state._requestUrl;
  if (lastEventId && options.lastEventIdQueryParameter) {
    url = withQueryParameter(url, options.lastEventIdQueryParameter, lastEventId);
  }
  state._responseHeaders = state._cause = null;
  // The headers being prepared (src/js/failure.js), then the transport's request; either may be
  // in flight when the engine aborts.
  var pending = null;
  var request = null;
  var connection = state._connection = {
    abort: function () {
      if (pending) pending.abort();
      if (request) request.abort();
    },
  };
  var current = function () { return state._connection === connection && !!state._engine; };
  // A report about this request, carried out while it is current. An early request's first report
  // (a response head, or a failure: the transports wait until a head is taken) waits for the
  // engine: loadCore calls back in order, after the constructor's callback, which made the engine
  // (and took this request over).
  var early = function (report) {
    return function () {
      var args = arguments;
      var now = function () { if (current()) report.apply(null, args); };
      if (state._engine) now(); else loadCore(now, now);
    };
  };
  // A request that can never be made, or headers that could not be had: the engine decides.
  var report = early(function (how, cause) {
    state._cause = cause || null;
    run(self, state._engine._send(INPUT_END, how));
  });
  pending = prepare(state, url, lastEventId, function (given) {
    var headers = {};
    var hasAccept = false;
    for (var name in given) {
      headers[name] = given[name];
      if (name.toLowerCase() === 'accept') hasAccept = true;
    }
    if (!hasAccept) headers.Accept = 'text/event-stream';
    if (lastEventId && idHeader === ID_HEADER_SEND) headers['Last-Event-ID'] = utf8ByteString(lastEventId);
    // The transport contract: src/js/platform/platform.d.ts.
    var crossOrigin = isCrossOrigin(url);
    var spec = {
      url: url, headers: headers, withCredentials: state._withCredentials, crossOrigin: crossOrigin,
      method: options.method, body: options.body, fetch: options.fetch,
    };
    var sink = {
      response: early(function (status, header, finalUrl, resume, all) {
        // Answered without the header the failed request had: the engine takes it as refused
        // from now on. Said once, where developers look.
        var console = g.console;
        if (idHeader === ID_HEADER_PROBE && console) {
          console.warn('EventSource: ' + url + ' refuses Last-Event-ID (CORS); resuming without it');
        }
        if (finalUrl) state._requestUrl = finalUrl;
        state._origin = originOf(state._requestUrl);
        state._responseHeaders = all || null;
        var retryAfter = options.reconnectOnError ? retryAfterMilliseconds(header('retry-after')) : undefined;
        run(self, state._engine._response(status, header('content-type'), retryAfter), resume);
      }),
      chunk: function (bytes, resume) {
        if (!current()) return;
        feed(self, state, bytes, current, resume);
      },
      end: early(function (how) {
        run(self, state._engine._send(INPUT_END, how === REQUEST_FAILED && crossOrigin ? CROSS_ORIGIN_REQUEST_FAILED : how));
      }),
    };
    // XMLHttpRequest keeps the whole response in memory: past the limit, the engine restarts the
    // request at the next resume point, resuming with Last-Event-ID, unseen by the page. A
    // platform constant: the builds without XHR leave this out.
    if (RESTARTS) {
      spec.responseLimit = options.xhrResponseLimit;
      sink.restart = function () {
        if (current()) run(self, state._engine._send(INPUT_RECYCLE));
      };
    }
    request = open(spec, sink);
  }, report);
}

// The page's `reconnect` function decides what follows a failure; the engine waits for it, and
// the error event reports the decision. Ignored once closed or superseded.
function ask(self, state, code, status, delay) {
  var engine = state._engine;
  var proposal = errorDetails(state, code, status, delay);
  decide(state, proposal, function (how, ms) {
    run(self, engine._send(INPUT_DECIDE, how, ms));
  }, function () { return state._engine === engine; });
}

function abort(state) {
  var connection = state._connection;
  state._connection = null;
  if (connection) connection.abort();
}

// The reconnection timer and the heartbeat watchdog (which the engine re-arms on every chunk):
// each is cleared, then armed again when `milliseconds` is given; when it runs out, the engine's
// `input` (INPUT_TIMER or INPUT_HEARTBEAT) decides what follows.
function arm(self, state, input, milliseconds) {
  clearTimeout(state._timers[input]);
  // The watchdog is armed at each byte: when, for src/js/lifecycle.js.
  if (WATCHES && input === INPUT_HEARTBEAT) state._beat = new Date().getTime();
  state._timers[input] = milliseconds === undefined ? 0 : setTimeout(function () {
    state._timers[input] = 0;
    var engine = state._engine;
    if (engine) run(self, engine._send(input));
  }, milliseconds);
}

// CLOSED is final: the engine's memory goes back; late callbacks find no engine and stop.
function release(state) {
  var engine = state._engine;
  state._engine = null;
  abort(state);
  if (WATCHES && state._unwatch) state._unwatch();
  if (engine) engine._free();
}
