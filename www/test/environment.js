// Sets up the environment a test page runs in, from ?impl=. Load it before /pkg/eventsource.js. ES5.
// ?impl=native: the browser's own EventSource (ours is loaded too and must leave it alone).
// ?impl=ours: ours, after deleting the native one, and DecompressionStream, which no part of ours
// needs (Safari before 16.4 and Firefox before 113 have WebAssembly but not it).
// ?impl=legacy: ours in an old-browser environment: no EventSource, WebAssembly, fetch,
// ReadableStream, Promise, AbortController, TextDecoder, queueMicrotask, DecompressionStream, and
// no constructible EventTarget/Event/MessageEvent, so eventsource.js hands over to
// eventsource.legacy.js.
// The scenario is run by window.runScenario(spec) (harness.js), called by tests/browser/run.mjs.
(function () {
  var impl = (/[?&]impl=(\w+)/.exec(location.search) || [])[1] || 'native';
  window.__impl = impl;
  // What the harness itself uses, kept before anything is deleted or replaced.
  window.__native = {
    EventSource: window.EventSource, EventTarget: window.EventTarget, Event: window.Event,
    MessageEvent: window.MessageEvent, DOMException: window.DOMException, Promise: window.Promise, fetch: window.fetch
  };
  if (impl !== 'native') delete window.EventSource;
  if (impl === 'ours') delete window.DecompressionStream;
  if (impl === 'legacy') {
    var gone = ['WebAssembly', 'fetch', 'ReadableStream', 'Promise', 'AbortController', 'TextDecoder', 'queueMicrotask', 'DecompressionStream'];
    for (var i = 0; i < gone.length; i++) delete window[gone[i]];
    var refuse = function () { throw new TypeError('Illegal constructor'); };
    window.EventTarget = refuse;
    window.Event = refuse;
    window.MessageEvent = refuse;
    // WebKit's WebDriver runs every command (scripts, even reading the title) through a script of
    // its own in the page, which calls the global Promise. Under it Promise is an accessor that
    // gives Promise to that script alone (its frames `_execute@` have no URL, page code's have
    // one) and undefined to the page: `typeof Promise` there is still 'undefined'.
    var P = window.__native.Promise;
    if (navigator.webdriver && /AppleWebKit/.test(navigator.userAgent) && !/Chrom/.test(navigator.userAgent)) {
      Object.defineProperty(window, 'Promise', {
        configurable: true,
        get: function () { return /\n_execute@(\n|$)/.test(new Error().stack) ? P : undefined; }
      });
    }
  }
})();
