// What the JS face passes the engine's es_new for the options whose conversion is its own: the
// backoff factor in millionths (rounded: 1.001 * 1e6 is 1000999.99...), and the flags. The
// module's exports are wrapped (as www/test/instrument.js does) before the package loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UNSET, FACTOR_ONE, FLAG_RECONNECT_ON_ERROR } from '../../src/js/protocol.js';

const calls = [];
const realInstantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (...args) {
  const result = await realInstantiate.apply(WebAssembly, args);
  // Only the engine's module (Node's fetch instantiates its own, from a Module).
  if (!result.instance || !result.instance.exports.es_new) return result;
  const exports = { ...result.instance.exports };
  const esNew = exports.es_new;
  exports.es_new = (...numbers) => {
    calls.push(numbers);
    return esNew(...numbers);
  };
  return { module: result.module, instance: { exports } };
};
const { EventSource } = await import('../../pkg/index.js');

/** es_new's arguments for a source made with `options` (closed at once, before any request). */
async function esNewArguments(options) {
  const before = calls.length;
  const source = new EventSource('http://127.0.0.1:1/never', options);
  // The engine is made once the module is instantiated: wait for that call, not for a time.
  await new Promise((resolve) => {
    const check = () => (calls.length > before ? resolve() : setImmediate(check));
    check();
  });
  source.close();
  const [maxEventSize, heartbeat, backoff, maxDelay, jitter, maxRetries, flags] = calls[before];
  return { maxEventSize, heartbeat, backoff, maxDelay, jitter, maxRetries, flags };
}

test('the backoff factor crosses in millionths, rounded, clamped to the u32 range', async () => {
  assert.equal(FACTOR_ONE, 1000000);
  for (const [factor, expected] of [
    [undefined, 0], // absent: below 1.0, no backoff
    [1, 1000000],
    [1.001, 1001000],
    [1.0000015, 1000002],
    [2, 2000000],
    [4294.967295, UNSET],
    [1e12, UNSET],
    [Infinity, UNSET],
  ]) {
    const { backoff } = await esNewArguments(factor === undefined ? {} : { backoffFactor: factor });
    assert.equal(backoff, expected, `backoffFactor ${factor}`);
  }
});

test('optional numbers are UNSET when absent; flags carry reconnectOnError', async () => {
  const absent = await esNewArguments({});
  assert.deepEqual(absent, {
    maxEventSize: UNSET, heartbeat: UNSET, backoff: 0, maxDelay: UNSET, jitter: UNSET, maxRetries: UNSET, flags: 0,
  });
  const set = await esNewArguments({
    maxEventSize: 10, heartbeatTimeout: 45000, maxReconnectDelay: 60000, reconnectJitter: 0.25, maxRetries: 3,
    reconnectOnError: true,
  });
  assert.deepEqual(set, {
    maxEventSize: 10, heartbeat: 45000, backoff: 0, maxDelay: 60000, jitter: 250, maxRetries: 3,
    flags: FLAG_RECONNECT_ON_ERROR,
  });
});
