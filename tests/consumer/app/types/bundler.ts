// The types as a bundler project (moduleResolution bundler) sees them: see esm.mts.
import {
  EventSource, type EventSourceInit, type EventSourceErrorDetails, type EventSourceErrorReason,
} from 'eventsource-wasm';
import { EventSource as Installed } from 'eventsource-wasm/polyfill';
import { EventSource as Legacy } from 'eventsource-wasm/legacy';
import { EventSource as LegacyInstalled } from 'eventsource-wasm/legacy-polyfill';

const init: EventSourceInit = { withCredentials: true };
const source: EventSource = new EventSource('https://example.com/sse', init);
source.onmessage = (event: MessageEvent) => console.log(event.data, event.lastEventId);
source.addEventListener('custom', (event) => console.log(event.data));
const state: 0 | 1 | 2 = source.readyState;
const closed: 2 = EventSource.CLOSED;
const classes: (typeof EventSource)[] = [Installed, Legacy, LegacyInstalled];
// @ts-expect-error: the URL is required
new EventSource();
console.log(state, closed, classes);

// Every option, typed: a wrong type or an unknown key is a compile error.
const full: EventSourceInit = {
  withCredentials: true,
  headers: async ({ lastEventId, attempt, failure }) => ({ Authorization: `Bearer ${lastEventId}/${attempt}/${failure?.reason ?? ''}` }),
  reconnect: (error: EventSourceErrorDetails) => (error.status === 401 ? { delay: 0, headers: new Headers() } : error.willReconnect),
  method: 'POST',
  body: '{}',
  fetch: (input, requestInit) => fetch(input, requestInit),
  heartbeatTimeout: 45000,
  backoffFactor: 2,
  maxReconnectDelay: 60000,
  reconnectJitter: 0.3,
  maxRetries: 5,
  reconnectOnError: true,
  lastEventIdQueryParameter: 'lastEventId',
  maxEventSize: 1 << 20,
  xhrResponseLimit: 4 << 20,
  shared: 'prices',
  reconnectOnResume: true,
};
// @ts-expect-error: milliseconds, a number
new EventSource('/sse', { heartbeatTimeout: '45s' });
// @ts-expect-error: no such option
new EventSource('/sse', { heartbeat: 45000 });
// @ts-expect-error: a list of pairs is refused at run time too
new EventSource('/sse', { headers: [['X-A', 'a']] });
const typed = new EventSource('/sse', full);
// The error event's details, through the handler and a listener.
typed.onerror = (event) => {
  const reason: EventSourceErrorReason = event.reason;
  console.log(reason, event.status, event.headers?.get('retry-after'), event.willReconnect, event.reconnectDelay, event.cause);
};
typed.addEventListener('error', (event) => console.log(event.reason === 'cors', event.type));
// @ts-expect-error: not a reason
const wrong: EventSourceErrorReason = 'timeout';
console.log(typed.lastEventId, typed.reconnectionTime, wrong);
typed.reset();
// lib.dom's EventSource is in scope too, under its own name: no clash, and each stays itself.
const native: globalThis.EventSource = new globalThis.EventSource('/sse');
const nativeInit: globalThis.EventSourceInit = { withCredentials: true };
console.log(native.readyState, nativeInit);
