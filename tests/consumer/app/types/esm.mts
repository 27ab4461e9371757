// The types as an ES module in Node (module nodenext) and, as bundler.ts, in a bundler project see
// them: every entry resolves and has lib.dom's EventSource shape.
import { EventSource, type EventSourceInit } from 'eventsource-wasm';
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
