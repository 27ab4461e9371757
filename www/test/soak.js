// Long-running use of ours in one page (driven by tests/browser/soak.mjs), instrumented by
// instrument.js (engine handles, wasm linear memory, timers):
// 0. close() in each state, on fresh sources: before the engine is instantiated, before the
//    response (at once; with the request at the server), while open (in onmessage; with the
//    heartbeat timer armed), while waiting to reconnect (in onerror; with the reconnection timer
//    armed). Afterwards: no pending timer of the polyfill, engine handles back to the count before,
//    no request in flight (the server's /in-flight and Chromium's own view, polled to a deadline).
// 1. Create/close cycles of separate sources.
// 2. Reconnections of one source (/count, one event per response): every event once, in order.
// 3. Many sources open at once, each on its own host name (Chromium allows 6 connections per
//    host), each receiving its own stream; run in two rounds (the second must not grow memory).
// Each phase reports the live JS heap (after forced collection: Chromium with
// --js-flags=--expose-gc) and the wasm linear memory at its start and end, the highest number of
// live engine handles, and what is left at its end. Results land in window.__result (JSON).
(function () {
  'use strict';
  var I = window.__instrument;
  var params = new URLSearchParams(location.search);
  var cycles = +params.get('cycles');
  var reconnects = +params.get('reconnects');
  var concurrent = +params.get('concurrent');
  var alias = params.get('alias'); // sN.<alias> resolves to 127.0.0.1 (--host-resolver-rules)
  var run = params.get('run');
  // The streams' /sse URLs, built by soak.mjs (tests/support/sse-url.mjs) with the placeholders
  // _KEY_ and _NAME_ for what each source fills in.
  var fill = function (template, key, name) {
    return params.get(template).split('_KEY_').join(encodeURIComponent(key))
      .split('_NAME_').join(encodeURIComponent(name || ''));
  };
  var DEADLINE = 5000; // ms for the server to see a closed source's connection go

  // The resource timing buffer (up to 250 entries, with every stream's request, for ours and
  // native alike) is emptied first: it is bounded, but filling it looks like growth.
  // Chromium counts ArrayBuffer contents in the heap and frees those a collection finds only after
  // the task that ran it: collect, let a task pass, collect again and read in the next one.
  var heap = function () {
    performance.clearResourceTimings();
    return new Promise(function (resolve) {
      var collect = function (then) {
        if (window.gc) window.gc();
        I.real.setTimeout.call(window, then, 0);
      };
      collect(function () {
        collect(function () { resolve(performance.memory ? performance.memory.usedJSHeapSize : 0); });
      });
    });
  };
  // The page's own waits use the real timers: instrument.js counts only what the polyfill arms.
  var sleep = function (ms) { return new Promise(function (resolve) { I.real.setTimeout.call(window, resolve, ms); }); };
  var keyOf = function (name) { return run + '-' + name; };
  var stream = function (name) { return fill('stream', keyOf(name), name); };
  // The server's /in-flight and /log are asked through a host name of their own: streams left open
  // on the page's origin could take all of its connections (6 in Chromium) and stall the checks.
  var control = alias ? location.protocol + '//control.' + alias + ':' + location.port : '';
  var getJson = function (path) {
    return fetch(control + path, { cache: 'no-store', signal: AbortSignal.timeout(3000) }).then(function (response) {
      if (!response.ok) throw new Error(path.split('?')[0] + ': HTTP ' + response.status);
      return response.json();
    });
  };
  var serverInFlight = function (key) { return getJson('/in-flight?key=' + encodeURIComponent(key)).then(function (body) { return body.open; }); };
  var serverLog = function (key) { return getJson('/log?key=' + encodeURIComponent(key)); };
  // Chromium's own count of unfinished requests of a key (soak.mjs, through DevTools events).
  var browserInFlight = function (key) { return window.__browserInFlight ? window.__browserInFlight(key) : Promise.resolve(0); };
  // The request in flight as the browser counts it, where it can tell (Chromium).
  var seenByBrowser = function (s) { return !window.__browserInFlight || s.detail.browserInFlight === 1; };
  // Waits for check() (a promise of a boolean) to hold, polling; rejects at the deadline.
  var until = async function (what, check, deadline) {
    var start = performance.now();
    var failure = '';
    for (;;) {
      try {
        if (await check()) return performance.now() - start;
      } catch (error) {
        failure = ' (' + error.message + ')';
      }
      if (performance.now() - start > (deadline || DEADLINE)) throw new Error(what + ' after ' + (deadline || DEADLINE) + ' ms' + failure);
      await sleep(10);
    }
  };
  // Waits until no request of any of the keys is in flight, at the server and in Chromium; returns
  // the longest wait in ms. Six keys at a time (the connections Chromium opens to the server's
  // host): each key's deadline runs from its own first look, not from a queue.
  var nothingInFlight = async function (keys) {
    var next = 0;
    var longest = 0;
    var worker = async function () {
      while (next < keys.length) {
        var key = keys[next++];
        var waited = await until('server: ' + key + ' still in flight', function () { return serverInFlight(key).then(function (n) { return n === 0; }); });
        await until('browser: ' + key + ' still in flight', function () { return browserInFlight(key).then(function (n) { return n === 0; }); });
        longest = Math.max(longest, waited);
      }
    };
    var workers = [];
    for (var i = 0; i < 6; i++) workers.push(worker());
    await Promise.all(workers);
    return Math.round(longest);
  };
  var timersLeft = function () { return I.pendingPolyfillTimers().map(function (t) { return t.delay; }).join(',') || 'none'; };
  // Every key, for the final sweep; the cycles' keys are made again from their count (a list of
  // them would be growth of the page's own).
  var used = [];
  var cyclesStarted = 0;

  // 0. close() in each state -------------------------------------------------------------------
  var states = [];
  // A promise that executor(done, fail) settles, failing by itself after 10 s.
  var waitFor = function (what, executor) {
    return new Promise(function (resolve, reject) {
      var timer = I.real.setTimeout.call(window, function () { reject(new Error('no ' + what + ' within 10 s')); }, 10000);
      executor(function (value) { I.real.clearTimeout.call(window, timer); resolve(value); },
        function (error) { I.real.clearTimeout.call(window, timer); reject(error); });
    });
  };
  var leftovers = function (handlesBefore) {
    var problems = [];
    if (I.pendingPolyfillTimers().length) problems.push('polyfill timers pending: ' + timersLeft());
    if (I.liveHandles() !== handlesBefore) problems.push('live handles ' + I.liveHandles() + ', ' + handlesBefore + ' before');
    return problems;
  };
  // reach(s) makes a source (s.source) of the key s.key, brings it into the state, notes figures
  // in s.detail, sets s.wanted = false if the state was not the one wanted (the check would prove
  // nothing), and calls close(). Then: CLOSED, no pending polyfill timer, handles back to the
  // count before, at once and again once nothing of the key is in flight (server and Chromium,
  // polled to the deadline).
  var checkState = async function (name, suffix, reach) {
    var s = { key: keyOf(suffix), source: null, detail: {}, wanted: true };
    used.push(s.key);
    var handlesBefore = I.liveHandles();
    var problems = [];
    try {
      await reach(s);
    } catch (error) {
      problems.push(error.message);
    }
    if (s.source && s.source.readyState !== 2) {
      problems.push('readyState ' + s.source.readyState + ' after close()');
      s.source.close();
    }
    problems.push.apply(problems, leftovers(handlesBefore).map(function (p) { return 'after close(): ' + p; }));
    try {
      s.detail.inFlightGoneMs = await nothingInFlight([s.key]);
    } catch (error) {
      problems.push(error.message);
    }
    problems.push.apply(problems, leftovers(handlesBefore).map(function (p) { return 'once nothing was in flight: ' + p; }));
    if (!s.wanted) problems.push('not in the state wanted: ' + JSON.stringify(s.detail));
    states.push({ name: name, problem: problems.join('; ') || null, detail: s.detail });
  };
  var held = function (key) { return fill('held', key); }; // head delayed 60 s
  var ending = function (key) { return fill('ending', key); }; // `retry: 60000`, then the body ends

  var closeInEachState = async function () {
    // The first source of the page, closed before the engine is instantiated (the page holds the
    // instantiation until then: ?hold-engine): no engine, no request.
    await checkState('before the engine is instantiated', 'state-before-engine', async function (s) {
      s.source = new EventSource(stream('state-before-engine'));
      s.detail.instancesAtClose = I.instances();
      s.source.close();
      I.releaseEngine();
      await new Promise(function (resolve) { I.whenReady(resolve); });
      await sleep(0); // the polyfill's callbacks of the instantiation have run
      s.detail.requests = (await serverLog(s.key)).length;
      s.wanted = s.detail.instancesAtClose === 0 && s.detail.requests === 0;
    });
    await checkState('before the response (closed at once)', 'state-before-response', async function (s) {
      var before = I.liveHandles();
      s.source = new EventSource(held(s.key));
      s.detail.newHandles = I.liveHandles() - before;
      s.source.close();
      s.wanted = s.detail.newHandles === 1;
    });
    await checkState('before the response (request at the server)', 'state-before-response-arrived', async function (s) {
      var opened = false;
      s.source = new EventSource(held(s.key));
      s.source.onopen = function () { opened = true; };
      await until('request at the server', function () { return serverLog(s.key).then(function (log) { return log.length === 1; }); });
      s.detail.inFlight = await serverInFlight(s.key);
      if (window.__browserInFlight) s.detail.browserInFlight = await browserInFlight(s.key);
      s.detail.readyState = s.source.readyState;
      s.source.close();
      s.wanted = !opened && s.detail.inFlight === 1 && seenByBrowser(s) && s.detail.readyState === 0;
    });
    await checkState('while open (closed in onmessage)', 'state-open', async function (s) {
      s.source = new EventSource(stream('state-open'));
      await waitFor('message', function (done) {
        s.source.onmessage = function () { s.detail.readyState = s.source.readyState; s.source.close(); done(); };
      });
      s.wanted = s.detail.readyState === 1;
    });
    await checkState('while open (heartbeat armed, closed later)', 'state-open-heartbeat', async function (s) {
      s.source = new EventSource(stream('state-open-heartbeat'), { heartbeatTimeout: 60000 });
      await waitFor('message', function (done) { s.source.onmessage = done; });
      s.detail.readyState = s.source.readyState;
      s.detail.timers = timersLeft();
      s.detail.inFlight = await serverInFlight(s.key);
      if (window.__browserInFlight) s.detail.browserInFlight = await browserInFlight(s.key);
      s.source.close();
      s.wanted = s.detail.readyState === 1 && s.detail.timers === '60000' && s.detail.inFlight === 1 && seenByBrowser(s);
    });
    await checkState('while waiting to reconnect (closed in onerror)', 'state-waiting', async function (s) {
      s.source = new EventSource(ending(s.key));
      await waitFor('error', function (done) {
        s.source.onerror = function () { s.detail.readyState = s.source.readyState; s.source.close(); done(); };
      });
      s.wanted = s.detail.readyState === 0;
    });
    await checkState('while waiting to reconnect (60 s timer armed, closed later)', 'state-waiting-timer', async function (s) {
      s.source = new EventSource(ending(s.key));
      // The engine arms the timer right after the error event: look from a later task.
      await waitFor('error', function (done) { s.source.onerror = function () { I.real.setTimeout.call(window, done, 0); }; });
      s.detail.readyState = s.source.readyState;
      s.detail.timers = timersLeft();
      s.source.close();
      s.wanted = s.detail.readyState === 0 && /^\d+$/.test(s.detail.timers) && +s.detail.timers >= 30000;
    });
    // Requests that can never succeed, and the page's own functions failing or never answering:
    // each leaves no timer, no handle and no request behind.
    var failsAtOnce = function (name, suffix, url, init) {
      return checkState(name, suffix, async function (s) {
        s.source = new EventSource(url(s.key), init);
        await waitFor('error', function (done) {
          s.source.onerror = function (event) { s.detail.reason = event.reason; s.detail.readyState = s.source.readyState; done(); };
        });
        s.detail.requests = (await serverLog(s.key)).length;
        s.wanted = s.detail.readyState === 2 && s.detail.requests === 0 && !!s.detail.reason;
        s.source.close();
      });
    };
    await failsAtOnce('failed at once: URL with credentials', 'state-credentials', function (key) {
      return location.protocol + '//user:secret@' + location.host + fill('stream', key, 'x');
    });
    await failsAtOnce('failed at once: ftp: URL', 'state-ftp', function () { return 'ftp://127.0.0.1/x'; });
    await failsAtOnce('failed at once: a custom fetch that throws', 'state-fetch-throws', function (key) { return fill('stream', key, 'x'); },
      { fetch: function () { throw new TypeError('no'); } });
    await failsAtOnce('failed at once: a headers function that throws a TypeError', 'state-headers-throws', function (key) { return fill('stream', key, 'x'); },
      { headers: function () { throw new TypeError('no'); } });
    await checkState('while a headers promise is pending (closed)', 'state-headers-pending', async function (s) {
      var resolve;
      s.source = new EventSource(fill('stream', s.key, 'x'), { headers: function () { return new Promise(function (r) { resolve = r; }); } });
      await until('the headers call', function () { return Promise.resolve(!!resolve); });
      s.detail.timers = timersLeft();
      s.source.close();
      resolve({ 'X-Late': '1' });
      await sleep(50);
      s.detail.requests = (await serverLog(s.key)).length;
      // The connect timeout is the one timer while the promise is pending.
      s.wanted = s.detail.requests === 0 && s.detail.timers === '30000';
    });
    await checkState('while a reconnect decision is pending (closed)', 'state-deciding', async function (s) {
      var answer;
      s.source = new EventSource(ending(s.key), { reconnect: function () { return new Promise(function (r) { answer = r; }); } });
      await until('the decision to be asked', function () { return Promise.resolve(!!answer); });
      s.detail.readyState = s.source.readyState;
      s.source.close();
      answer(0);
      await sleep(50);
      s.detail.requests = (await serverLog(s.key)).length;
      s.wanted = s.detail.readyState === 0 && s.detail.requests === 1;
    });
  };

  // Phases -------------------------------------------------------------------------------------
  var phases = [];
  var phase = async function (name, body) {
    var figures = { name: name, heap: [await heap()], wasm: [I.wasmBytes()], problem: null };
    var timersCreated = I.timers.created.polyfill;
    I.markPhase();
    var started = performance.now();
    try {
      Object.assign(figures, await body(figures));
    } catch (error) {
      figures.problem = error.message;
    }
    figures.ms = Math.round(performance.now() - started);
    figures.maxLive = I.handles.maxLive;
    figures.addresses = I.addresses();
    figures.liveEnd = I.liveHandles();
    figures.timersEnd = I.pendingPolyfillTimers().length;
    figures.timersCreated = I.timers.created.polyfill - timersCreated;
    figures.heap.push(await heap());
    figures.wasm.push(I.wasmBytes());
    phases.push(figures);
  };

  // 1. Create and close, one after another: each source opens, gets its event, is closed.
  var cycling = async function () {
    for (var cycle = 0; cycle < cycles; cycle++) {
      var name = 'cycle' + cycle;
      cyclesStarted = cycle + 1;
      var source = new EventSource(stream(name));
      try {
        await waitFor('message in cycle ' + cycle, function (done, fail) {
          source.onmessage = done;
          source.onerror = function () { if (source.readyState === 2) fail(new Error('cycle ' + cycle + ' failed')); };
        });
      } finally {
        source.close();
      }
      if (I.liveHandles() !== 0 || I.pendingPolyfillTimers().length) {
        throw new Error('cycle ' + cycle + ': after close(), ' + I.liveHandles() + ' live handles, timers ' + timersLeft());
      }
      await sleep(0);
    }
    return { cycles: cycle };
  };

  // 2. One source, reconnecting again and again: /count ends each response after one event.
  // Each event must come within 10 s of the one before.
  var reconnecting = function () {
    var seen = 0;
    var key = keyOf('reconnect');
    used.push(key);
    var source = new EventSource('/count?key=' + key + '&n=' + reconnects + '&size=20&once=1&retry=0');
    var watchdog = 0;
    return new Promise(function (resolve, reject) {
      var end = function (error) {
        I.real.clearTimeout.call(window, watchdog);
        source.close();
        if (error) reject(error); else resolve({ reconnected: seen });
      };
      var watch = function () {
        I.real.clearTimeout.call(window, watchdog);
        watchdog = I.real.setTimeout.call(window, function () { end(new Error('no event for 10 s after ' + seen)); }, 10000);
      };
      watch();
      source.onmessage = function (event) {
        seen++;
        watch();
        if (+event.lastEventId !== seen) end(new Error('event ' + event.lastEventId + ' arrived as number ' + seen));
        else if (seen === reconnects) end(null);
      };
      source.onerror = function () { if (source.readyState === 2) end(new Error('closed by an error after ' + seen + ' events')); };
    });
  };

  // 3. Many sources at once, each with its own stream and host name; all must be open (at the
  // server too) with their event before any is closed.
  var together = async function (round) {
    var sources = [];
    var keys = [];
    var got = 0;
    var wrong = null;
    var all = waitFor(concurrent + ' messages', function (resolve) {
      for (var i = 0; i < concurrent; i++) {
        (function (i) {
          var name = 'together' + round + '-' + i;
          var origin = alias ? location.protocol + '//s' + i + '.' + alias + ':' + location.port : location.origin;
          keys.push(keyOf(name));
          var source = new EventSource(origin + stream(name));
          var received = false;
          source.onmessage = function (event) {
            if (event.data !== name || event.origin !== origin) wrong = wrong || name + ' got ' + event.data + ' from ' + event.origin;
            if (!received && ++got === concurrent) resolve();
            received = true;
          };
          source.onerror = function () { wrong = wrong || name + ': error, readyState ' + source.readyState; };
          sources.push(source);
        })(i);
      }
    });
    used.push.apply(used, keys);
    var figures = { round: round };
    try {
      try {
        await all;
      } catch (error) {
        throw new Error('only ' + got + '/' + concurrent + ' sources got their event within 10 s');
      }
      figures.openAtOnce = sources.filter(function (s) { return s.readyState === 1; }).length;
      var counts = await Promise.all(keys.map(serverInFlight));
      figures.serverInFlight = counts.reduce(function (a, b) { return a + b; }, 0);
      if (wrong) throw new Error(wrong);
      if (figures.openAtOnce !== concurrent || figures.serverInFlight !== concurrent) {
        throw new Error(figures.openAtOnce + ' open, ' + figures.serverInFlight + ' in flight at the server, not ' + concurrent);
      }
    } finally {
      sources.forEach(function (source) { source.close(); });
    }
    if (I.liveHandles() !== 0 || I.pendingPolyfillTimers().length) {
      throw new Error('after close(): ' + I.liveHandles() + ' live handles, timers ' + timersLeft());
    }
    figures.inFlightGoneMs = await nothingInFlight(keys);
    return figures;
  };

  (async function () {
    var result = { states: states, phases: phases, problem: null };
    try {
      await closeInEachState();
      await phase('create/close cycles', cycling);
      await phase('reconnections', reconnecting);
      await phase('sources at once, round 1', function () { return together(1); });
      await phase('sources at once, round 2', function () { return together(2); });
      // Nothing of any key may be left in flight; a closed source never reconnected.
      var sweep = performance.now();
      for (var c = 0; c < cyclesStarted; c++) used.push(keyOf('cycle' + c));
      await nothingInFlight(used);
      result.sweepMs = Math.round(performance.now() - sweep);
      result.sweptKeys = used.length;
      var suffixes = ['state-waiting', 'state-waiting-timer'];
      for (var i = 0; i < suffixes.length; i++) {
        var requests = (await serverLog(keyOf(suffixes[i]))).length;
        if (requests !== 1) throw new Error('the source closed while waiting to reconnect (' + suffixes[i] + ') made ' + requests + ' requests');
      }
    } catch (error) {
      result.problem = error.message;
    }
    result.instrument = {
      problems: I.problems, handles: I.handles, timers: I.timers, liveEnd: I.liveHandles(), pendingPolyfillTimers: I.pendingPolyfillTimers().length,
      instances: I.instances(), maxWasm: I.maxWasmBytes(),
    };
    window.__result = JSON.stringify(result);
  })();
})();
