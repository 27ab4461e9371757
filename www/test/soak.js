// Long-running use of ours in one page: many create/close cycles, many reconnections of one
// source, and many sources at once. Each phase reports the live JS heap (after forced collection,
// Chromium with --js-flags=--expose-gc) so growth would show. Results land in window.__result.
(function () {
  var params = new URLSearchParams(location.search);
  var cycles = +params.get('cycles');
  var reconnects = +params.get('reconnects');
  var concurrent = +params.get('concurrent');
  var run = params.get('run');
  var heap = function () { if (window.gc) window.gc(); return performance.memory ? performance.memory.usedJSHeapSize : 0; };
  var result = { heap: [heap()] };
  var finish = function (problem) { result.problem = problem || null; result.heap.push(heap()); window.__result = JSON.stringify(result); };
  var stream = function (key, extra) {
    return '/sse?key=' + run + '-' + key + '&b0=' + encodeURIComponent('retry: 0\nid: 1\ndata: ' + key + '\n\n') + '&e0=hold' + (extra || '');
  };

  // 1. Create and close, one after another: each source opens, gets its event, is closed.
  var cycle = 0;
  function nextCycle() {
    if (cycle === cycles) { result.heap.push(heap()); reconnecting(); return; }
    var source = new EventSource(stream('cycle' + cycle));
    source.onmessage = function () { source.close(); cycle++; setTimeout(nextCycle, 0); };
    source.onerror = function () { if (source.readyState === 2) finish('cycle ' + cycle + ' failed'); };
  }

  // 2. One source, reconnecting again and again: /count ends each response after one event.
  function reconnecting() {
    var seen = 0;
    var source = new EventSource('/count?key=' + run + '-reconnect&n=' + reconnects + '&size=20&once=1&retry=0');
    source.onmessage = function (event) {
      seen++;
      if (+event.lastEventId !== seen) { source.close(); finish('reconnect: event ' + event.lastEventId + ' arrived as number ' + seen); return; }
      if (seen === reconnects) { source.close(); result.reconnected = seen; result.heap.push(heap()); together(); }
    };
  }

  // 3. Many sources at once, each with its own stream.
  function together() {
    var open = concurrent;
    var wrong = null;
    for (var i = 0; i < concurrent; i++) {
      (function (i) {
        var source = new EventSource(stream('together' + i));
        source.onmessage = function (event) {
          if (event.data !== 'together' + i) wrong = 'source ' + i + ' got ' + event.data;
          source.close();
          if (--open === 0) finish(wrong);
        };
      })(i);
    }
  }
  nextCycle();
})();
