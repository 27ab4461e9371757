// URL helpers that work from today's runtimes back to IE10 (no URL constructor there). ES5 syntax.
import { g } from './global.js';

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

/** Whether a request to `url` leaves the document's origin (false where there is no document). */
export function isCrossOrigin(url) {
  var here = g.location && g.location.href;
  return !!here && originOf(url) !== originOf(here);
}
