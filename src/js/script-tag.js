// eventsource.js, for a <script> tag: installs EventSource where the runtime has none. Where the
// runtime lacks what this build needs (WebAssembly, fetch streams, constructible events: IE10/11,
// EdgeHTML), it loads eventsource.legacy.js from beside itself instead, synchronously while the
// page is still parsing, so code right after the tag can use EventSource. ES5 syntax.
import { g } from './global.js';
import { EventSource } from './event-source.js';
import { supported } from 'eventsource:platform';
import { install } from './install.js';

if (typeof g.EventSource !== 'function') {
  if (supported()) {
    install(EventSource);
  } else {
    loadLegacyBuild();
  }
}

function loadLegacyBuild() {
  // Workers lacking these features have no way to find the file beside this one; none are known.
  var doc = g.document;
  if (!doc) return;
  var script = doc.currentScript;
  if (!script) {
    var scripts = doc.getElementsByTagName('script');
    script = scripts[scripts.length - 1];
  }
  var url = (script && script.src ? script.src : doc.baseURI).replace(/[^/?#]*([?#].*)?$/, 'eventsource.legacy.js');
  if (doc.readyState === 'loading' && !(script && (script.async || script.defer))) {
    doc.write('<script src="' + url.replace(/"/g, '&quot;') + '"><\/script>');
  } else {
    var element = doc.createElement('script');
    element.src = url;
    (doc.head || doc.documentElement).appendChild(element);
  }
}
