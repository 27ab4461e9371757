// A small app as a user writes it: the class from the package, and the polyfill entry.
import { EventSource as WasmEventSource } from 'eventsource-wasm';
import 'eventsource-wasm/polyfill';

const nativeBefore = window.__nativeEventSource;
const result = {
  polyfillKeptNative: window.EventSource === nativeBefore,
  isEventTarget: false,
  messages: [],
};
const key = 'consumer-' + Math.random().toString(36).slice(2);
const source = new WasmEventSource(`/sse?key=${key}&b0=${encodeURIComponent('id: 7\ndata: bundled\n\nevent: custom\ndata: two\n\n')}&e0=hold`);
result.isEventTarget = source instanceof EventTarget && !(source instanceof nativeBefore);
source.onmessage = (event) => result.messages.push([event.type, event.data, event.lastEventId]);
source.addEventListener('custom', (event) => {
  result.messages.push([event.type, event.data, event.lastEventId]);
  source.close();
  result.readyState = source.readyState;
  window.__done(result);
});
