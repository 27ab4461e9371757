// What the face adds to the engine's failures: the error event's details, the page's headers
// function before each request, the page's reconnection decision, and requests that can never be
// made. The engine decides every reason and what follows; this module only detects and reports.
// ES5 syntax.
import { createEvent } from 'eventsource:platform';
import { readHeaders } from './options.js';
import {
  REASONS, UNSET, IMPOSSIBLE, HEADERS_REFUSED, HEADERS_FAILED, DECIDE_DEFAULT, DECIDE_FAIL, DECIDE_RECONNECT,
} from './protocol.js';

/** How long a headers function may keep a request waiting when no heartbeatTimeout bounds it:
 * past this, the attempt fails (reason 'headers') and the engine's reconnection rules apply. */
export var HEADERS_TIMEOUT = 30000;

/** The details an `error` event carries (the agreed shape), from an ERROR or DECIDE op's
 * arguments: reason code, status (0: no response), delay (UNSET: no reconnection). */
export function details(state, code, status, delay) {
  var reconnects = delay !== UNSET;
  return {
    reason: code < 0 ? 'engine' : REASONS[code],
    status: status,
    headers: status ? state._responseHeaders || null : null,
    willReconnect: reconnects,
    reconnectDelay: reconnects ? delay : null,
    cause: state._cause || null,
  };
}

/** The `error` event, with the details as own properties; they become the `failure` the headers
 * function sees next. */
export function errorEvent(state, code, status, delay, cause) {
  if (cause) state._cause = cause;
  var event = createEvent('error');
  var d = state._failure = details(state, code, status, delay);
  for (var name in d) event[name] = d[name];
  state._attempt++;
  return event;
}

// Fetch: a URL with credentials in a "cors" request is a network error in Chromium (Firefox sends
// it without them, a deviation); "scheme fetch" knows only these schemes (`about:` only as
// `about:blank`, never a stream). Such a request can never succeed.
var SCHEME = /^(https?:(?!\/\/[^\/?#]*@)|data:|blob:)/i;

/**
 * Prepares the request for `connect`: the URL check, then the headers (the page's function's
 * result when it is one), then `send(headers)`, which opens the request. A failure (one of
 * these, or `send` throwing: a request that can never be made) is reported with `report(how, cause)`
 * (an INPUT_END code) in a later task, as a fetch's failure would be: never within the batch that
 * asked for the request. Returns the pending request; its `abort()` leaves nothing behind (a
 * late headers result is ignored).
 */
export function prepare(state, url, lastEventId, send, report) {
  var pending = {};
  var gone = false;
  var timer = 0;
  pending.abort = function () { gone = true; clearTimeout(timer); };
  var later = function (how, cause) {
    clearTimeout(timer);
    timer = setTimeout(function () { if (!gone) { gone = true; report(how, cause); } }, 0);
  };
  var settle = function (ok, value) {
    if (gone) return;
    clearTimeout(timer);
    if (ok) {
      try {
        value = readHeaders(value, true);
      } catch (e) {
        ok = false;
        value = e;
      }
    }
    // A TypeError: no request with such headers can be made (fails); anything else, a failed
    // attempt (a token refresh that failed for now retries).
    if (!ok) return later(value instanceof TypeError ? HEADERS_REFUSED : HEADERS_FAILED, value);
    try {
      send(value);
    } catch (e) {
      // A custom fetch (or the transport) that throws at once: this request can never be made.
      later(IMPOSSIBLE, e);
    }
  };
  if (!SCHEME.test(url)) {
    later(IMPOSSIBLE);
    return pending;
  }
  var source = state._headers;
  if (typeof source !== 'function') {
    settle(true, source);
    return pending;
  }
  var result;
  try {
    result = source({ lastEventId: lastEventId, attempt: state._attempt, failure: state._failure });
  } catch (e) {
    settle(false, e);
    return pending;
  }
  if (result && typeof result.then === 'function') {
    // A promise that never settles would hold the connection for ever: heartbeatTimeout bounds
    // it when set (the engine's watchdog runs from the request on), else HEADERS_TIMEOUT.
    if (!state._options.heartbeatTimeout) {
      timer = setTimeout(function () { settle(false, new Error('headers timed out')); }, HEADERS_TIMEOUT);
    }
    result.then(function (value) { settle(true, value); }, function (error) { settle(false, error || new Error()); });
  } else {
    settle(true, result);
  }
  return pending;
}

/**
 * Asks the page's `reconnect` function about a failure (the DECIDE op) and answers the engine
 * with `answer(how, delay)`, unless `current()` says the answer is no longer wanted (close()).
 * The function returns, or resolves to: false (fail), true or undefined (the engine's proposal),
 * a number (reconnect after that many ms) or { delay, headers } (reconnect; these headers from
 * now on). A function that throws or rejects leaves the engine's proposal, its error reported.
 */
export function decide(state, proposal, answer, current) {
  var conclude = function (value) {
    if (!current()) return;
    if (value === false) return answer(DECIDE_FAIL, UNSET);
    if (value === true || value === undefined || value === null) return answer(DECIDE_DEFAULT, UNSET);
    var delay = typeof value === 'object' ? value.delay : value;
    if (typeof value === 'object' && value.headers !== undefined) {
      state._headers = readHeaders(value.headers);
    }
    answer(DECIDE_RECONNECT, delay >= 0 ? Math.min(delay, UNSET - 1) >>> 0 : UNSET);
  };
  var failed = function (error) {
    conclude(true);
    setTimeout(function () { throw error; }, 0);
  };
  var result;
  try {
    result = state._options.reconnect(proposal);
  } catch (e) {
    return failed(e);
  }
  if (result && typeof result.then === 'function') {
    result.then(function (value) {
      try { conclude(value); } catch (e) { failed(e); }
    }, failed);
  } else {
    try { conclude(result); } catch (e) { failed(e); }
  }
}
