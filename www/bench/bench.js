// Runs one benchmark stream through the implementation the page loaded and reports figures.
(function () {
  var impl = new URLSearchParams(location.search).get('impl');
  function pick() {
    if (impl === 'event-source-polyfill') return window.EventSourcePolyfill;
    if (impl === 'eventsource4') return window.EventSourceV4;
    return window.EventSource;
  }
  function heap() {
    if (window.gc) window.gc();
    return performance.memory ? performance.memory.usedJSHeapSize : null;
  }
  // Resolves when `expected` message events have arrived.
  window.runStream = function (url, expected) {
    return new Promise(function (resolve, reject) {
      var Source = pick();
      var heapBefore = heap();
      var t0 = performance.now();
      var count = 0;
      var chars = 0;
      var source = new Source(url);
      source.addEventListener('message', function (event) {
        count++;
        chars += event.data.length;
        if (count === expected) {
          var ms = performance.now() - t0;
          source.close();
          setTimeout(function () { resolve({ count: count, chars: chars, ms: ms, heapBefore: heapBefore, heapAfter: heap() }); }, 0);
        }
      });
      source.addEventListener('error', function () {
        if (source.readyState === 2 && count < expected) reject(new Error('stream failed after ' + count + ' events'));
      });
    });
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
      source.addEventListener('message', function () {
        count++;
        if (count === Math.ceil(expected / 10)) first = { heap: heap(), wasm: wasmBytes() };
        if (count === expected) {
          var ms = performance.now() - t0;
          var last = { heap: heap(), wasm: wasmBytes() };
          source.close();
          resolve({ ms: ms, first: first, last: last });
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
