// The reconnection delay (backoff, cap, jitter) is computed in double precision, as a page's own
// JavaScript would: the engine's module (target/js/eventsource.wasm, the one eventsource.js
// inlines) and its wasm2js translation (pkg/eventsource.wasm2js.js, whose float-to-integer
// conversions the build lowers first) must both give exactly what that JavaScript gives, for every
// failure of a run, with the same xorshift32 numbers for the jitter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import {
  INPUT_START, INPUT_END, INPUT_TIMER, REQUEST_FAILED, OP_ARGS, OP_ERROR, UNSET, FACTOR_ONE, MAX_TIMER_MS,
} from '../../src/js/protocol.js';

const DEFAULT_RECONNECTION_TIME = 3000;

async function compiled() {
  const bytes = readFileSync(new URL('../../target/js/eventsource.wasm', import.meta.url));
  return (await WebAssembly.instantiate(bytes, {})).instance.exports;
}

function translated() {
  let core = null;
  const context = { __eventsourceWasm2js: (given) => { core = given; } };
  vm.runInNewContext(readFileSync(new URL('../../pkg/eventsource.wasm2js.js', import.meta.url), 'utf8'), context);
  assert.ok(core && typeof core.es_new === 'function', 'the script hands over an engine');
  return core;
}

/** The delays the `error` events of `failures` failed requests in a row report. */
function engineDelays(core, { backoff, maxDelay, jitter, seed }, failures) {
  const engine = core.es_new(UNSET, UNSET, backoff, maxDelay, jitter, UNSET, 0, seed);
  core.es_send(engine, INPUT_START, 0, 0, 0);
  const delays = [];
  for (let i = 0; i < failures; i++) {
    const header = core.es_send(engine, INPUT_END, REQUEST_FAILED, 0, 0);
    const [at, length] = new Uint32Array(core.memory.buffer, header, 2);
    const ops = Array.from(new Uint32Array(core.memory.buffer, at, length));
    for (let k = 0; k < ops.length; k += 1 + OP_ARGS[ops[k]]) {
      if (ops[k] === OP_ERROR) delays.push(ops[k + 3]);
    }
    core.es_send(engine, INPUT_TIMER, 0, 0, 0);
  }
  core.es_free(engine);
  return delays;
}

/** The same in plain JavaScript: the reconnection time times the factor once per failure after
 * the first, capped, less up to the jitter's fraction, floored, then capped as a timer. */
function modelDelays({ backoff, maxDelay, jitter, seed }, failures) {
  let state = (seed | 1) >>> 0;
  const random = () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 4294967296;
  };
  const factor = backoff / FACTOR_ONE;
  const cap = maxDelay === UNSET ? 2 ** 64 : maxDelay;
  const fraction = jitter === UNSET ? 0 : Math.min(jitter, 1000) / 1000;
  const delays = [];
  for (let failure = 1; failure <= failures; failure++) {
    let delay = DEFAULT_RECONNECTION_TIME;
    if (factor > 1) {
      for (let k = 1; k < failure && delay < cap && delay !== 0; k++) delay *= factor;
    }
    delay = Math.min(delay, cap);
    delays.push(Math.min(Math.floor(delay - random() * delay * fraction), MAX_TIMER_MS));
  }
  return delays;
}

const POLICIES = [
  { backoff: 0, maxDelay: UNSET, jitter: UNSET, seed: 1 },
  { backoff: 1_500_000, maxDelay: UNSET, jitter: UNSET, seed: 1 },
  { backoff: 1_001_000, maxDelay: UNSET, jitter: UNSET, seed: 1 },
  { backoff: 1_100_000, maxDelay: 60_000, jitter: 300, seed: 12345 },
  { backoff: 2_000_000, maxDelay: UNSET, jitter: 1000, seed: 0xDEADBEEF },
  { backoff: 3_000_000, maxDelay: 10_000, jitter: 5000, seed: 7 },
  { backoff: UNSET, maxDelay: UNSET, jitter: 999, seed: 0xFFFFFFFF },
  { backoff: 1_000_001, maxDelay: 3001, jitter: 1, seed: 42 },
];

test('wasm, wasm2js and the JavaScript model agree on every delay', async () => {
  const engines = { wasm: await compiled(), wasm2js: translated() };
  for (const policy of POLICIES) {
    const expected = modelDelays(policy, 40);
    for (const [name, core] of Object.entries(engines)) {
      assert.deepEqual(engineDelays(core, policy, 40), expected, `${name}: ${JSON.stringify(policy)}`);
    }
  }
});

test('the model is what the options describe', () => {
  assert.deepEqual(modelDelays(POLICIES[1], 5), [3000, 4500, 6750, 10125, 15187]);
  const capped = modelDelays({ backoff: 2_000_000, maxDelay: 20_000, jitter: UNSET, seed: 1 }, 5);
  assert.deepEqual(capped, [3000, 6000, 12000, 20000, 20000]);
  const jittered = modelDelays({ backoff: 0, maxDelay: UNSET, jitter: 500, seed: 3 }, 200);
  assert.ok(jittered.every((delay) => delay >= 1500 && delay < 3000), 'up to half taken off');
  // Doubling from 3 s passes the timer's limit (2^31 - 1 ms) at the 21st failure.
  const doubled = modelDelays({ backoff: 2_000_000, maxDelay: UNSET, jitter: UNSET, seed: 1 }, 22);
  assert.deepEqual(doubled.slice(19), [3000 * 2 ** 19, MAX_TIMER_MS, MAX_TIMER_MS]);
});
