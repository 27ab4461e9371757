// URLs and errors without a URL constructor or DOMException (IE10/11): the anchor element resolves
// URLs, a regular expression finds the origin. ES5 syntax.
import { g } from '../global.js';

/** The absolute URL of `input` against the API base URL, or null when it does not parse. */
export function resolveUrl(input) {
  var base = g.document && typeof g.document.baseURI === 'string' ? g.document.baseURI
    : g.location && typeof g.location.href === 'string' ? g.location.href : undefined;
  if (typeof g.URL === 'function') {
    try {
      return (base === undefined ? new g.URL(input) : new g.URL(input, base)).href;
    } catch (e) {
      // Engines whose URL constructor is not the WHATWG one fall through to the anchor element.
      if (g.URL.length > 0 || !g.document) return null;
    }
  }
  if (g.document) {
    var anchor = g.document.createElement('a');
    anchor.href = input;
    // IE resolves relative URLs only when the href is read back through a fresh parse.
    anchor.href = anchor.href;
    if (!anchor.protocol || anchor.protocol === ':' || !/^[a-z][a-z0-9+.-]*:/i.test(anchor.href)) return null;
    return anchor.href;
  }
  return null;
}

/** The serialized origin of an absolute URL ("null" for opaque ones). */
export function originOf(url) {
  if (typeof g.URL === 'function') {
    try { return new g.URL(url).origin; } catch (e) { /* fall back below */ }
  }
  var match = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]*)/i.exec(url);
  if (!match) return 'null';
  var scheme = match[1].toLowerCase();
  var host = match[2].replace(/^[^@]*@/, '').toLowerCase();
  if ((scheme === 'http:' && /:80$/.test(host)) || (scheme === 'https:' && /:443$/.test(host))) {
    host = host.replace(/:\d+$/, '');
  }
  return scheme + '//' + host;
}

/** A "SyntaxError" DOMException where the runtime can make one, else an Error shaped like it. */
export function syntaxError(message) {
  if (typeof g.DOMException === 'function') {
    try { return new g.DOMException(message, 'SyntaxError'); } catch (e) { /* old engines */ }
  }
  var error = new SyntaxError(message);
  error.name = 'SyntaxError';
  error.code = 12;
  return error;
}
