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
    method: source.method === undefined ? 'GET' : String(source.method),
    body: source.body === undefined ? null : source.body,
    fetch: source.fetch,
    reconnectOnError: !!source.reconnectOnError,
    lastEventIdQueryParameter: source.lastEventIdQueryParameter === undefined || source.lastEventIdQueryParameter === null
      ? null : String(source.lastEventIdQueryParameter),
  };
  if (options.fetch !== undefined && typeof options.fetch !== 'function') fail('fetch');
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
  return options;
}

/** A plain object of header names and values, or a Headers-like object with forEach. */
function readHeaders(headers) {
  var out = {};
  if (headers === undefined || headers === null) return out;
  if (typeof headers !== 'object') fail('headers');
  if (typeof headers.forEach === 'function' && typeof headers.get === 'function') {
    headers.forEach(function (value, name) { out[name] = String(value); });
    return out;
  }
  for (var name in headers) {
    if (Object.prototype.hasOwnProperty.call(headers, name)) out[name] = String(headers[name]);
  }
  return out;
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
