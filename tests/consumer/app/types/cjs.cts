// The types as a CommonJS module in Node (module nodenext) sees them through require.
import es = require('eventsource-wasm');
import polyfill = require('eventsource-wasm/polyfill');

const source: es.EventSource = new es.EventSource('https://example.com/sse', { withCredentials: false });
source.onerror = () => source.close();
const same: typeof es.EventSource = polyfill.EventSource;
// @ts-expect-error: readyState is read-only
source.readyState = 1;
console.log(same);
