// A long stream through one EventSource: counts the numbered events of /count, checks each arrives
// exactly once and in order, samples the JS heap, and leaves the result in window.__result. ES5.
(function () {
  var query = location.search;
  var param = function (name) { return decodeURIComponent(new RegExp('[?&]' + name + '=([^&]*)').exec(query)[1]); };
  var expected = +param('n');
  var source = new EventSource('/count?key=' + param('key') + '&n=' + expected + '&size=' + param('size') + '&pause=' + param('pause'),
    { xhrResponseLimit: +param('limit') });
  var next = 1;
  var errors = 0;
  var heap = [];
  var heapStart = window.performance && performance.memory ? performance.memory.usedJSHeapSize : 0;
  var problem = null;
  source.onerror = function () { errors++; };
  source.onmessage = function (event) {
    var number = parseInt(event.data, 10);
    if (problem === null && (number !== next || event.lastEventId !== String(next))) {
      problem = 'expected event ' + next + ', got ' + event.data.slice(0, 20) + ' (id ' + event.lastEventId + ')';
    }
    next = number + 1;
    if (number % 5000 === 0 && window.performance && performance.memory) {
      // Live memory, not garbage awaiting collection (Chromium with --js-flags=--expose-gc).
      if (window.gc) window.gc();
      heap.push(performance.memory.usedJSHeapSize);
    }
    if (number === expected) {
      source.close();
      window.__result = JSON.stringify({
        received: number, problem: problem, errors: errors, heapStart: heapStart, heap: heap,
      });
    }
  };
})();
