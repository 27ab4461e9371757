// A module worker importing the npm package's ES module.
import { EventSource } from '/pkg/index.js';

self.onmessage = (message) => {
  const log = [];
  const source = new EventSource(message.data, { headers: { 'X-Worker': 'module' } });
  source.onopen = () => log.push('open');
  source.onmessage = (event) => {
    log.push(event.data);
    if (event.data === 'three') {
      source.close();
      self.postMessage({ log });
    }
  };
  source.onerror = () => { log.push(`error:${source.readyState}`); if (source.readyState === 2) self.postMessage({ log }); };
};
