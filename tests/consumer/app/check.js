// What every bundled app checks in the page (www/test/consumer.html): the class from the package
// receives a stream's events; the polyfill entry exports that same class and installs it only
// where the page has no native EventSource. ES5 syntax: the legacy app's bundle is checked as ES5.
export function check(Ours, Installed) {
  var native = window.__nativeEventSource;
  var result = {
    installed: window.EventSource === Ours ? 'ours' : window.EventSource === native ? 'native' : typeof window.EventSource,
    sameClass: Installed === Ours,
    isEventTarget: false,
    messages: []
  };
  // The stream to read: the runner builds its URL (tests/support/sse-url.mjs).
  var source = new Ours(decodeURIComponent(/[?&]stream=([^&]*)/.exec(location.search)[1]));
  result.isEventTarget = source instanceof EventTarget && !(native && source instanceof native);
  source.onmessage = function (event) { result.messages.push([event.type, event.data, event.lastEventId]); };
  source.onerror = function () { result.messages.push(['error', source.readyState]); };
  source.addEventListener('custom', function (event) {
    result.messages.push([event.type, event.data, event.lastEventId]);
    source.close();
    result.readyState = source.readyState;
    window.__done(result);
  });
}
