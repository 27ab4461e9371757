// Puts EventSource on the global object, only where the runtime has none. ES5 syntax.
import { g } from './global.js';

export function install(EventSource) {
  if (typeof g.EventSource === 'function') return;
  try {
    Object.defineProperty(g, 'EventSource', { value: EventSource, writable: true, configurable: true, enumerable: false });
  } catch (e) {
    g.EventSource = EventSource;
  }
}
