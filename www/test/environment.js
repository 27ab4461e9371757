// Sets up the environment a test page runs in, from ?impl=: native, ours (native EventSource
// deleted) or legacy (an old browser's globals). Load it before /pkg/eventsource.js. ES5.
// impl=native: the browser's own EventSource. impl=ours: ours, after deleting the native one.
// impl=legacy: ours in an old-browser environment: no EventSource, WebAssembly, fetch,
// ReadableStream, Promise, AbortController, TextDecoder, and no constructible
// EventTarget/Event/MessageEvent. The scenario itself comes in the query (spec=JSON).
(function () {
  var impl = /[?&]impl=(\w+)/.exec(location.search)[1];
  window.__impl = impl;
  window.__native = { EventTarget: window.EventTarget, Event: window.Event, MessageEvent: window.MessageEvent, DOMException: window.DOMException };
  if (impl !== 'native') delete window.EventSource;
  if (impl === 'legacy') {
    var gone = ['WebAssembly', 'fetch', 'ReadableStream', 'Promise', 'AbortController', 'TextDecoder', 'queueMicrotask', 'DecompressionStream'];
    for (var i = 0; i < gone.length; i++) delete window[gone[i]];
    var refuse = function () { throw new TypeError('Illegal constructor'); };
    window.EventTarget = refuse;
    window.Event = refuse;
    window.MessageEvent = refuse;
  }
})();
