// A small app as a user writes it: the class from the package, and the polyfill entry.
import { EventSource as WasmEventSource } from 'eventsource-wasm';
import 'eventsource-wasm/polyfill';

const nativeBefore = window.__nativeEventSource;
const result = {
  polyfillKeptNative: window.EventSource === nativeBefore,
  isEventTarget: false,
  messages: [],
};
// The stream to read (the check builds it: tests/consumer/run.mjs).
const source = new WasmEventSource(new URLSearchParams(window.location.search).get('stream'));
result.isEventTarget = source instanceof EventTarget && !(source instanceof nativeBefore);
source.onmessage = (event) => result.messages.push([event.type, event.data, event.lastEventId]);
source.addEventListener('custom', (event) => {
  result.messages.push([event.type, event.data, event.lastEventId]);
  source.close();
  result.readyState = source.readyState;
  window.__done(result);
});
