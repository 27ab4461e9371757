// window.record(url, init): opens an EventSource (whichever environment.js left: native, ours or
// ours-legacy) and keeps every open, message and error event in window.__log as
// { type, data, lastEventId, readyState }; window.__source is the object. ES5.
(function () {
  window.__log = [];
  window.record = function (url, init) {
    var source = new EventSource(url, init);
    window.__source = source;
    var keep = function (event) {
      window.__log.push({ type: event.type, data: event.data, lastEventId: event.lastEventId, readyState: source.readyState });
    };
    source.onopen = source.onmessage = source.onerror = keep;
  };
})();
