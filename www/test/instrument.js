// Instruments a test page for the soak (www/test/soak.html). Load it before /pkg/eventsource.js.
// - WebAssembly.instantiate / instantiateStreaming: the instance the polyfill gets is a stand-in
//   whose exports are a copy of the real ones (those are frozen) with es_new/es_free counted, so
//   the page sees the engine's linear memory and how many engine handles are live; every other
//   es_* call is checked to name a live handle (a use after free or a double free is a problem).
// - setTimeout/setInterval and their clear functions: every pending timer is tracked with the
//   script that created it (the frame right below the wrapper), so the polyfill's own pending
//   timers can be told from the page's.
// Everything is in window.__instrument. The page's figures are read, never reset, except the
// per-phase marks (markPhase). ES5 syntax (with Map and Set).
(function () {
  var POLYFILL = '/pkg/eventsource';
  var real = {
    setTimeout: window.setTimeout, clearTimeout: window.clearTimeout,
    setInterval: window.setInterval, clearInterval: window.clearInterval,
    instantiate: WebAssembly.instantiate, instantiateStreaming: WebAssembly.instantiateStreaming,
  };
  var problems = [];
  var problem = function (text) { if (problems.length < 20) problems.push(text); };

  // Timers: id -> { owner, delay, interval }. The owner is 'polyfill' when the caller's frame is
  // in the polyfill's script, else 'page'.
  var pending = new Map();
  var timers = { created: { polyfill: 0, page: 0 }, fired: { polyfill: 0, page: 0 }, cleared: { polyfill: 0, page: 0 }, intervals: { polyfill: 0, page: 0 }, maxPendingPolyfill: 0 };
  var pendingPolyfill = 0;
  function caller() {
    // [0] "Error", [1] caller, [2] the wrapper, [3] whoever called setTimeout.
    var frames = (new Error().stack || '').split('\n');
    return (frames[3] || '').indexOf(POLYFILL) >= 0 ? 'polyfill' : 'page';
  }
  function track(id, owner, delay, interval) {
    pending.set(id, { owner: owner, delay: delay, interval: interval });
    timers.created[owner]++;
    if (interval) timers.intervals[owner]++;
    if (owner === 'polyfill' && ++pendingPolyfill > timers.maxPendingPolyfill) timers.maxPendingPolyfill = pendingPolyfill;
  }
  function untrack(id, how) {
    var timer = pending.get(id);
    if (!timer) return;
    pending.delete(id);
    timers[how][timer.owner]++;
    if (timer.owner === 'polyfill') pendingPolyfill--;
  }
  window.setTimeout = function (callback, delay) {
    if (typeof callback !== 'function') return real.setTimeout.apply(window, arguments);
    var owner = caller();
    var rest = Array.prototype.slice.call(arguments, 2);
    var id = real.setTimeout.call(window, function () {
      untrack(id, 'fired');
      callback.apply(this, rest);
    }, delay);
    track(id, owner, +delay || 0, false);
    return id;
  };
  window.setInterval = function (callback, delay) {
    if (typeof callback !== 'function') return real.setInterval.apply(window, arguments);
    var id = real.setInterval.apply(window, arguments);
    track(id, caller(), +delay || 0, true);
    return id;
  };
  // Timeouts and intervals share one id space, and either clear function clears either kind.
  window.clearTimeout = function (id) { untrack(id, 'cleared'); return real.clearTimeout.call(window, id); };
  window.clearInterval = function (id) { untrack(id, 'cleared'); return real.clearInterval.call(window, id); };

  // The engine.
  var memory = null;
  var live = new Set();
  var handles = { created: 0, freed: 0, maxLive: 0 };
  // The engines' addresses since the last phase mark: engines freed and made again one at a time
  // reuse a few places; a creeping address would be memory kept in the engine's allocator.
  var addresses = new Set();
  var instances = 0;
  var maxBytes = 0;
  var onReady = [];
  function noteBytes() { var bytes = memory.buffer.byteLength; if (bytes > maxBytes) maxBytes = bytes; }
  function wrapInstance(instance) {
    var exports = instance.exports;
    var copy = {};
    Object.keys(exports).forEach(function (name) {
      var value = exports[name];
      if (typeof value !== 'function' || name.indexOf('es_') !== 0) { copy[name] = value; return; }
      if (name === 'es_new') {
        copy[name] = function () {
          var handle = value.apply(null, arguments);
          if (live.has(handle)) problem('es_new returned the live handle ' + handle);
          live.add(handle);
          handles.created++;
          addresses.add(handle);
          if (live.size > handles.maxLive) handles.maxLive = live.size;
          noteBytes();
          return handle;
        };
      } else if (name === 'es_free') {
        copy[name] = function (handle) {
          if (!live.delete(handle)) problem('es_free of a handle that is not live: ' + handle);
          else handles.freed++;
          return value.apply(null, arguments);
        };
      } else {
        copy[name] = function (handle) {
          if (!live.has(handle)) problem(name + ' on a handle that is not live: ' + handle);
          var out = value.apply(null, arguments);
          noteBytes();
          return out;
        };
      }
    });
    memory = exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) problem('the engine exports no memory');
    instances++;
    noteBytes();
    var callbacks = onReady;
    onReady = [];
    callbacks.forEach(function (callback) { callback(); });
    // exports is an own data property here, shadowing WebAssembly.Instance.prototype's getter.
    return Object.create(WebAssembly.Instance.prototype, { exports: { value: Object.freeze(copy), enumerable: true } });
  }
  function wrapResult(result) {
    if (result instanceof WebAssembly.Instance) return wrapInstance(result); // instantiate(module)
    return { module: result.module, instance: wrapInstance(result.instance) };
  }
  // ?hold-engine: an instantiation completes only once the page calls I.releaseEngine(), so that
  // a source can be closed before its engine is ready however fast the engine compiles.
  var release = null;
  var gate = /[?&]hold-engine\b/.test(location.search) ? new Promise(function (resolve) { release = resolve; }) : null;
  var held = function (result) { return gate ? gate.then(function () { return result; }) : result; };
  WebAssembly.instantiate = function () { return real.instantiate.apply(WebAssembly, arguments).then(held).then(wrapResult); };
  if (real.instantiateStreaming) {
    WebAssembly.instantiateStreaming = function () { return real.instantiateStreaming.apply(WebAssembly, arguments).then(held).then(wrapResult); };
  }

  window.__instrument = {
    real: real,
    problems: problems,
    timers: timers,
    handles: handles,
    /** The polyfill's timers that have neither fired nor been cleared: [{ delay, interval }]. */
    pendingPolyfillTimers: function () {
      var list = [];
      pending.forEach(function (timer) { if (timer.owner === 'polyfill') list.push({ delay: timer.delay, interval: timer.interval }); });
      return list;
    },
    pendingPageTimers: function () { return pending.size - pendingPolyfill; },
    liveHandles: function () { return live.size; },
    /** Starts a phase: the high-water mark of live handles and the set of addresses start over. */
    markPhase: function () { handles.maxLive = live.size; addresses.clear(); },
    addresses: function () {
      var list = Array.from(addresses);
      return { distinct: list.length, highest: list.length ? Math.max.apply(null, list) : 0 };
    },
    instances: function () { return instances; },
    /** The engine's linear memory in bytes (0 before it is instantiated), and its high-water mark. */
    wasmBytes: function () { return memory ? memory.buffer.byteLength : 0; },
    maxWasmBytes: function () { return maxBytes; },
    /** Lets a held instantiation (?hold-engine) complete. */
    releaseEngine: function () { if (release) release(); },
    /** Calls back once the engine is instantiated (at once if it is). */
    whenReady: function (callback) { if (memory) callback(); else onReady.push(callback); },
  };
})();
