// A dedicated or shared worker that loads the script-tag build with importScripts after removing
// the native EventSource, then streams with a custom header (which the native one cannot send).
/* global importScripts */
delete self.EventSource;
importScripts('/pkg/eventsource.js');

function stream(url, report) {
  var log = [];
  var source = new EventSource(url, { headers: { 'X-Worker': self.name || 'worker' } });
  source.onopen = function () { log.push('open'); };
  source.onmessage = function (event) {
    log.push(event.data);
    if (event.data === 'three') {
      source.close();
      report({ log: log });
    }
  };
  source.onerror = function () { log.push('error:' + source.readyState); if (source.readyState === 2) report({ log: log }); };
}

if (typeof onconnect !== 'undefined' || self.constructor.name === 'SharedWorkerGlobalScope') {
  self.onconnect = function (event) {
    var port = event.ports[0];
    port.onmessage = function (message) { stream(message.data, function (result) { port.postMessage(result); }); };
  };
} else {
  self.onmessage = function (message) { stream(message.data, function (result) { self.postMessage(result); }); };
}
