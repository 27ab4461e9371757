// Streams through ours under the page's policy; the report lands in window.__result.
(function () {
  var url = new URLSearchParams(location.search).get('url');
  var log = [];
  var source = new EventSource(url);
  var report = function () { window.__result = JSON.stringify({ log: log, ours: source instanceof window.__native === false }); };
  source.onopen = function () { log.push('open'); };
  source.onerror = function () { log.push('error:' + source.readyState); if (source.readyState === 2) report(); };
  source.onmessage = function (event) {
    log.push(event.data);
    if (event.data === 'three') { source.close(); report(); }
  };
})();
