// Installs EventSource on the global object only where the runtime has none.
import { EventSource } from './event-source.js';

if (typeof globalThis.EventSource !== 'function') {
  Object.defineProperty(globalThis, 'EventSource', {
    value: EventSource, writable: true, configurable: true, enumerable: false,
  });
}
export { EventSource };
