// The constructor's second argument. `withCredentials` is the standard's; the rest are this
// polyfill's own (native EventSource ignores unknown keys, so code stays portable). Every value is
// checked here: a wrong one is a TypeError naming the option. ES5 syntax.

import { CONSTRUCT } from './errors.js';

var NUMBER_OPTIONS = ['maxEventSize', 'heartbeatTimeout', 'backoffFactor', 'maxReconnectDelay', 'reconnectJitter',
  'maxRetries', 'xhrResponseLimit'];

export function readOptions(init) {
  // WebIDL: the dictionary is undefined, null or an object.
  if (init !== undefined && init !== null && typeof init !== 'object' && typeof init !== 'function') {
    throw new TypeError(CONSTRUCT + "The provided value is not of type 'EventSourceInit'.");
  }
  var source = init || {};
  var options = {
    // Spec: the constructor, step 6.
    withCredentials: !!source.withCredentials,
    headers: readHeaders(source.headers),
    method: readMethod(source.method),
    body: source.body === undefined ? null : source.body,
    fetch: source.fetch,
    reconnect: source.reconnect,
    reconnectOnError: !!source.reconnectOnError,
    // Reconnect at once when the page is back (src/js/lifecycle.js).
    reconnectOnResume: !!source.reconnectOnResume,
    // One connection for every same-origin context's source of the group: src/js/shared.js.
    shared: typeof source.shared === 'string' ? source.shared : !!source.shared,
    lastEventIdQueryParameter: nullable(source.lastEventIdQueryParameter),
  };
  if (options.fetch !== undefined && typeof options.fetch !== 'function') fail('fetch');
  if (options.reconnect !== undefined && typeof options.reconnect !== 'function') fail('reconnect');
  for (var i = 0; i < NUMBER_OPTIONS.length; i++) {
    var name = NUMBER_OPTIONS[i];
    var value = source[name];
    if (value === undefined || value === null) continue;
    value = Number(value);
    if (value !== value || value < 0) fail(name);
    options[name] = value;
  }
  if (options.backoffFactor < 1) fail('backoffFactor');
  if (options.reconnectJitter > 1) fail('reconnectJitter');
  if (options.maxEventSize === 0) fail('maxEventSize');
  // A 0 ms watchdog would abort every request at once, for ever.
  if (options.heartbeatTimeout === 0) fail('heartbeatTimeout');
  // Fetch, the Request constructor: "If either init["body"] exists and is non-null or
  // inputOrInitBody is non-null, and request's method is `GET` or `HEAD`, then throw a TypeError."
  if (options.body !== null && (options.method === 'GET' || options.method === 'HEAD')) fail('body');
  return options;
}

/** A string option's value: null when undefined or null. */
function nullable(value) {
  return value === undefined || value === null ? null : String(value);
}

// Fetch: a method and a header name are tokens (RFC 9110 tchar).
var TOKEN = /^[\w!#$%&'*+.^`|~-]+$/;

/** Fetch, the Request constructor: a method that is no token, or a forbidden method (`CONNECT`,
 * `TRACE`, `TRACK`, in any case), is a TypeError; the six standard ones are normalized to
 * upper case. */
function readMethod(value) {
  var method = value === undefined ? 'GET' : String(value);
  if (!TOKEN.test(method) || /^(CONNECT|TRAC[EK])$/i.test(method)) fail('method');
  return /^(DELETE|GET|HEAD|OPTIONS|POST|PUT)$/i.test(method) ? method.toUpperCase() : method;
}

/** A plain object of header names and values, or a Headers-like object with forEach; or a
 * function giving one before each request (src/js/failure.js calls it and checks its result). */
export function readHeaders(headers, call) {
  var out = {};
  if (headers === undefined || headers === null) return out;
  if (typeof headers === 'function' && !call) return headers;
  // A list of pairs (fetch takes one) would read as headers named 0, 1 …: refused (new
  // Headers(pairs) gives what fetch would send).
  if (typeof headers !== 'object' || headers instanceof Array) fail('headers');
  if (typeof headers.forEach === 'function' && typeof headers.get === 'function') {
    headers.forEach(function (value, name) { out[name] = headerValue(name, value); });
    return out;
  }
  for (var name in headers) {
    if (Object.prototype.hasOwnProperty.call(headers, name)) out[name] = headerValue(name, headers[name]);
  }
  return out;
}

/** Fetch, "append" to a header list: the name is a token; the value, normalized (leading and
 * trailing HTTP whitespace removed), holds no NUL, CR or LF, and is a byte string (WebIDL
 * ByteString: no code point above U+00FF). A request with any other header can never be made. */
function headerValue(name, value) {
  var text = String(value);
  if (!TOKEN.test(name) || /[\0\n\r\u0100-\uffff]/.test(text.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, ''))) fail('headers');
  return text;
}

/** A wrong option is a TypeError naming it; the README's options table says what each takes. */
function fail(name) {
  throw new TypeError(CONSTRUCT + "invalid option '" + name + "'.");
}

/** `Retry-After` (seconds or an HTTP date) in milliseconds from now; undefined when absent or bad. */
export function retryAfterMilliseconds(value) {
  if (value === null || value === undefined || value === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return parseInt(value, 10) * 1000;
  var at = Date.parse(value);
  return at === at ? Math.max(0, at - new Date().getTime()) : undefined;
}

/** `url` with `name=value` in its query, replacing an earlier value of `name`. */
export function withQueryParameter(url, name, value) {
  var hash = url.indexOf('#');
  var fragment = hash < 0 ? '' : url.slice(hash);
  var base = hash < 0 ? url : url.slice(0, hash);
  var pair = encodeURIComponent(name) + '=' + encodeURIComponent(value);
  var question = base.indexOf('?');
  if (question < 0) return base + '?' + pair + fragment;
  var kept = base.slice(question + 1).split('&').filter(function (part) {
    return part !== '' && part.split('=')[0] !== encodeURIComponent(name);
  });
  kept.push(pair);
  return base.slice(0, question) + '?' + kept.join('&') + fragment;
}
