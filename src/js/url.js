// Whether a request is cross-origin. ES5 syntax.
import { g } from './global.js';
import { originOf } from 'eventsource:platform';

/** Whether a request to `url` leaves the document's origin (false where there is no document). */
export function isCrossOrigin(url) {
  var here = g.location && g.location.href;
  return !!here && originOf(url) !== originOf(here);
}
