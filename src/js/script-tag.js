// eventsource.js, for a <script> tag: installs EventSource where the runtime has none. Where the
// runtime lacks what this build needs (WebAssembly, fetch streams, constructible events: IE10/11,
// EdgeHTML), it loads eventsource.legacy.js from beside itself instead, synchronously while the
// page is still parsing, so code right after the tag can use EventSource. Where the runtime has
// all that but refuses to compile WebAssembly (a Content-Security-Policy without
// 'wasm-unsafe-eval'), the engine comes from eventsource.wasm2js.js beside it instead
// (platform/wasm-fallback-script.js): the same engine as JavaScript, loaded once the refusal is
// known; sources made before then wait in CONNECTING. ES5 syntax.
import { g } from './global.js';
import { EventSource } from './event-source.js';
import { supported, loadCore } from 'eventsource:platform';
import { install } from './install.js';
import { doc, script, beside, load } from './beside.js';

if (typeof g.EventSource !== 'function') {
  if (supported()) {
    install(EventSource);
    // The engine compiles now rather than at the first new EventSource(): off the path to its
    // first event. (A failure here is tried again, and reported, by each source.)
    var ignore = function () {};
    loadCore(ignore, ignore);
  } else if (doc) {
    // Workers lacking these features have no way to find the file beside this one; none are known.
    if (doc.readyState === 'loading' && !(script && (script.async || script.defer))) {
      doc.write('<script src="' + beside('eventsource.legacy.js').replace(/"/g, '&quot;') + '"><\/script>');
    } else {
      load('eventsource.legacy.js');
    }
  }
}
