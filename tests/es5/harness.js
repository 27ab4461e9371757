// The scenario recorder, shared by both sides of the comparison: the legacy file in Duktape and
// the npm package in Node. It records what www/test/harness.js records in the browser suite (the
// same fields, the same end conditions), without promises: es5Harness.run(EventSource, spec, done)
// calls done(log) once the scenario has ended and settled. ES5.
(function (root) {
  // A small order-sensitive hash, for summarised streams.
  function fold(hash, text) {
    for (var i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) % 2147483647;
    return (hash * 31 + 7) % 2147483647;
  }

  function run(EventSource, spec, done) {
    var log = [];
    var source;
    try {
      if (spec.noArgs) {
        source = new EventSource();
      } else if (spec.noNew) {
        source = EventSource(spec.url); // eslint-disable-line new-cap
      } else if (spec.init === undefined || spec.init === null) {
        source = new EventSource(spec.url);
      } else {
        source = new EventSource(spec.url, spec.init);
      }
    } catch (error) {
      log.push({ threw: error.name });
      done(log);
      return;
    }

    log.push({
      start: {
        url: source.url, withCredentials: source.withCredentials, readyState: source.readyState,
        constants: [EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED, source.CONNECTING, source.OPEN, source.CLOSED],
        handlers: [source.onopen, source.onmessage, source.onerror],
        methods: [typeof source.close, typeof source.addEventListener, typeof source.removeEventListener, typeof source.dispatchEvent],
        tag: Object.prototype.toString.call(source),
        constructorIs: source.constructor === EventSource,
      },
    });

    var ended = false;
    var messages = 0;
    var errors = 0;
    var summary = { messages: 0, hash: 0 };
    var summarizedCurrentTarget = true;

    function end(reason) {
      ended = true;
      if (spec.summarize) log.push({ summary: summary, currentTarget: summarizedCurrentTarget });
      log.push({ end: reason, readyState: source.readyState });
      source.close();
      // Whatever still arrives lands after this entry: nothing should (a fixed observation
      // window, many times the streams' `retry: 10`; virtual time in Duktape).
      setTimeout(function () { done(log); }, spec.settle || 150);
    }

    function record(via) {
      return function (event) {
        var eventClass = event.constructor && event.constructor.name;
        var messageLike = eventClass === 'MessageEvent';
        var entry = { via: via, type: event.type, eventClass: eventClass, readyState: source.readyState };
        if (messageLike) {
          entry.data = event.data;
          entry.origin = event.origin;
          entry.lastEventId = event.lastEventId;
        }
        entry.target = event.target === source;
        // Compared separately: Node 20's EventTarget clears currentTarget after the first listener.
        entry.currentTarget = event.currentTarget === source;
        entry.bubbles = event.bubbles;
        entry.cancelable = event.cancelable;
        if (spec.summarize && messageLike && !ended) {
          summary.messages++;
          if (!entry.currentTarget) summarizedCurrentTarget = false;
          delete entry.currentTarget;
          summary.hash = fold(summary.hash, JSON.stringify(entry));
        } else {
          log.push(entry);
        }
        if (ended || via !== (event.type === 'open' ? 'on' : 'listener')) return;
        if (messageLike) {
          messages++;
          if (spec.closeAfter && messages >= spec.closeAfter) {
            source.close();
            log.push({ closedIn: event.type, readyState: source.readyState });
            end('closeAfter');
          }
        } else if (event.type === 'open') {
          if (spec.closeOnOpen) {
            source.close();
            log.push({ closedIn: 'open', readyState: source.readyState });
            end('closeOnOpen');
          }
        } else if (event.type === 'error') {
          errors++;
          if (source.readyState === 2) {
            end('closed');
          } else if (spec.errors && errors >= spec.errors) {
            end('errors');
          }
        }
      };
    }

    // Interleaved, so the order of listeners and on* handlers is checked too.
    source.addEventListener('open', record('listener'));
    source.onopen = record('on');
    source.onmessage = record('on');
    source.onerror = record('on');
    source.addEventListener('message', record('listener'));
    source.addEventListener('error', record('listener'));
    var types = spec.types || [];
    for (var i = 0; i < types.length; i++) source.addEventListener(types[i], record('listener'));

    if (spec.closeAtStart) {
      source.close();
      log.push({ closedIn: 'start', readyState: source.readyState });
      end('closeAtStart');
    }
  }

  root.es5Harness = { run: run };
})(this);
