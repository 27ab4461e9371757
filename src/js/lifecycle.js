// The `reconnectOnResume` option: listens for the runtime's signals that the page is back and
// hands each to the engine (Connection::resumed in src/engine/connection.rs decides: a connection
// waiting out a reconnection delay, or silent past the heartbeat timeout, is reestablished at
// once with Last-Event-ID; a healthy one is left alone). Native EventSource does nothing on any
// of these, so without the option nothing listens. ES5 syntax.
import { g } from './global.js';
import { UNSET, INPUT_RESUME } from './protocol.js';

// The signals: `online` (window and workers), `pageshow` from the back/forward cache (HTML:
// `persisted` is true), `visibilitychange` to visible, `resume` after a frozen page (Page
// Lifecycle API). The first two fire at the global object, the others at the document.
var SIGNALS = ['online', 'pageshow', 'visibilitychange', 'resume'];

/** Whether this build watches (lifecycle-off.js: the script-tag files do not). */
export const WATCHES = true;

/** Starts listening for `self`'s engine; returns the function that stops it (release() calls it). */
export function watch(self, state, run) {
  var doc = g.document;
  var listener = function (event) {
    var engine = state._engine;
    var navigator = g.navigator;
    if (engine && event.persisted !== false && (event.type !== 'visibilitychange' || !doc.hidden)) {
      // The heartbeat watchdog is armed at each byte (event-source.js keeps when, as `_beat`).
      var silent = state._options.heartbeatTimeout ? new Date().getTime() - state._beat : UNSET;
      run(self, engine._send(INPUT_RESUME, Math.max(0, Math.min(silent, UNSET)) >>> 0, !navigator || navigator.onLine !== false ? 1 : 0));
    }
  };
  var each = function (method) {
    for (var i = 0; i < 4; i++) {
      var target = i < 2 ? g : doc;
      if (target && target[method]) target[method](SIGNALS[i], listener);
    }
  };
  each('addEventListener');
  return function () { each('removeEventListener'); };
}
