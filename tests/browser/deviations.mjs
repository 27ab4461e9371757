// knownEngineDeviations: where a browser's native EventSource departs from the WHATWG spec and ours
// follows the spec, the runner normalises both logs (native's and ours, same browser) for exactly
// that difference before comparing. Each entry names the engine, the scenarios, what was observed
// and the spec's rule. Only observed differences belong here (check with
// `node tests/browser/run.mjs --compare-engines`, which runs native in both browsers, and by
// removing an entry: the scenario must then fail for that engine only).
//
// A log here is { events: [...the page's log...], requests: [{ key, method, attempt, port, headers }] }.

/** Keeps, of the events, only type, via and readyState (and the end); of the requests, attempts. */
function typesAndStates(log) {
  log.events = log.events.map((entry) => (entry.type ? { via: entry.via, type: entry.type, readyState: entry.readyState } : entry));
  log.requests = log.requests.map(({ key, attempt }) => ({ key, attempt }));
}

/** Drops reconnection requests (attempt ≥ 1): the engines differ in which URL they reconnect to. */
function firstRequestsOnly(log) {
  log.requests = log.requests.filter((request) => request.attempt === 0);
}

export const knownEngineDeviations = [
  {
    // Firefox 153 drops an event whose block has an `id` field containing U+0000. Spec
    // ("Interpreting an event stream", the `id` field): "If the field value does not contain
    // U+0000 NULL, then set the last event ID buffer to the field value. Otherwise, ignore the
    // field." Only the field is ignored; the event is dispatched (Chromium does).
    engine: 'firefox',
    scenarios: ['id with NUL is ignored'],
    normalize(log) {
      log.events = log.events.filter((entry) => entry.data !== 'b');
    },
  },
  {
    // Firefox 153 does not update lastEventId from an `id` in a block without data. Spec ("dispatch
    // the event", step 1, before the empty-data check of step 2): "Set the last event ID string of
    // the event source to the value of the last event ID buffer." (Chromium does.)
    engine: 'firefox',
    scenarios: ['id-only block sets lastEventId'],
    normalize: typesAndStates,
  },
  {
    // Firefox 153 reconnects to the original URL after a temporary redirect (302/303/307);
    // Chromium, and Firefox after 301/308, to the final one. Spec ("reestablish the connection")
    // fetches the same request again, whose current URL is the final URL after redirects.
    engine: 'firefox',
    scenarios: ['redirect 302 is followed', 'redirect 303 is followed', 'redirect 307 is followed',
      'redirect to the second origin: origin is the final URL'],
    normalize: firstRequestsOnly,
  },
].map((deviation) => ({
  ...deviation,
  applies: (engine, scenario) => engine === deviation.engine && deviation.scenarios.includes(scenario),
}));
