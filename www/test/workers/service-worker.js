// A service worker: no XMLHttpRequest here, so only the fetch transport can serve. The native
// EventSource is removed first; ours streams with an Authorization header.
/* global importScripts, clients */
delete self.EventSource;
importScripts('/pkg/eventsource.js');

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(clients.claim()));
self.addEventListener('message', (message) => {
  const reply = (result) => message.source.postMessage(result);
  const log = [];
  const source = new EventSource(message.data, { headers: { Authorization: 'Bearer service-worker' } });
  source.onopen = () => log.push('open');
  source.onmessage = (event) => {
    log.push(event.data);
    if (event.data === 'three') {
      source.close();
      reply({ log, hasXhr: typeof XMLHttpRequest !== 'undefined' });
    }
  };
  source.onerror = () => { log.push(`error:${source.readyState}`); if (source.readyState === 2) reply({ log }); };
});
