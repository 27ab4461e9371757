// Runs one benchmark stream through the implementation the page loaded and reports figures.
(function () {
  var impl = new URLSearchParams(location.search).get('impl');
  function pick() {
    if (impl.indexOf('event-source-polyfill') === 0) return window.EventSourcePolyfill;
    if (impl === 'eventsource4') return window.EventSourceV4;
    return window.EventSource;
  }
  // The JS heap after collection. Chromium counts ArrayBuffer contents (e.g. fetch body chunks) in
  // usedJSHeapSize and frees those of a collection only after the task that ran it: collect, let
  // one task pass, collect again, then read. Resolves to bytes (null without performance.memory).
  function heap() {
    return new Promise(function (resolve) {
      if (window.gc) window.gc();
      setTimeout(function () {
        if (window.gc) window.gc();
        resolve(performance.memory ? performance.memory.usedJSHeapSize : null);
      }, 0);
    });
  }
  // Resolves when `expected` message events have arrived, with the time they took and the heap
  // before the source, halfway and after its close().
  window.runStream = function (url, expected) {
    return heap().then(function (heapBefore) { return new Promise(function (resolve, reject) {
      var Source = pick();
      var t0 = performance.now();
      var count = 0;
      var chars = 0;
      var heapMiddle = null;
      var source = new Source(url);
      source.addEventListener('message', function (event) {
        count++;
        chars += event.data.length;
        // Halfway, what the running stream holds (it goes on meanwhile).
        if (count === Math.ceil(expected / 2)) heapMiddle = heap();
        if (count === expected) {
          var ms = performance.now() - t0;
          source.close();
          Promise.all([heapMiddle, heap()]).then(function (heaps) {
            resolve({ count: count, chars: chars, ms: ms, heapBefore: heapBefore, heapMiddle: heaps[0], heapAfter: heaps[1] });
          });
        }
      });
      source.addEventListener('error', function () {
        if (source.readyState === 2 && count < expected) reject(new Error('stream failed after ' + count + ' events'));
      });
    }); });
  };
  function wasmBytes() {
    var total = 0;
    for (var i = 0; i < window.benchWasmMemories.length; i++) total += window.benchWasmMemories[i].buffer.byteLength;
    return total;
  }
  // A long stream for the memory figures: the JS heap (after collection) and the engine's linear
  // memory once a tenth of the events have arrived (everything instantiated, buffers and the
  // browser's read-ahead at their working size) and at the last one, while the stream is open.
  window.memoryRun = function (url, expected) {
    return new Promise(function (resolve, reject) {
      var source = new (pick())(url);
      var count = 0;
      var first = null;
      var t0 = performance.now();
      function figures() {
        var wasm = wasmBytes();
        return heap().then(function (bytes) { return { heap: bytes, wasm: wasm }; });
      }
      source.addEventListener('message', function () {
        count++;
        if (count === Math.ceil(expected / 10)) first = figures();
        if (count === expected) {
          var ms = performance.now() - t0;
          // Read while the stream is still open, then close it.
          Promise.all([first, figures()]).then(function (both) {
            source.close();
            resolve({ ms: ms, first: both[0], last: both[1] });
          });
        }
      });
      source.addEventListener('error', function () {
        if (source.readyState === 2 && count < expected) reject(new Error('stream failed after ' + count + ' events'));
      });
    });
  };
  // Time from this page's script start (before the polyfill's tag) to the first event.
  // Also from the constructor, the moment a page's own code starts using the source.
  window.firstEvent = function (url) {
    return new Promise(function (resolve) {
      var constructed = performance.now();
      var source = new (pick())(url);
      source.onmessage = function () {
        var now = performance.now();
        resolve({ fromScript: now - window.benchScriptStart, fromConstructor: now - constructed });
        source.close();
      };
    });
  };
})();
