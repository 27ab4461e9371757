// window.runScenario(spec) → a Promise of the scenario's log as a JSON string (see
// tests/browser/README.md). ES5 and the Promise kept by harness.html: it also runs in the legacy
// environment. While it runs, window.__partial holds the log so far (the runner reads it when a
// scenario times out).
//
// spec: { url, init, noArgs, noNew, base, types: [custom event types], summarize, settle (ms),
//         end: one of closeAfter: n | closeOnOpen | closeAtStart | errors: n | (default) until an
//         error event leaves readyState CLOSED }
(function () {
  var N = window.__native;

  function problem() {
    var impl = window.__impl;
    if (impl === 'native' && window.EventSource !== N.EventSource) {
      return 'loading /pkg/eventsource.js replaced the native EventSource (it must only fill a gap)';
    }
    if (impl !== 'native' && typeof window.EventSource !== 'function') {
      return 'impl=' + impl + ': window.EventSource is missing: /pkg/eventsource.js (ours) is not built or did not install it';
    }
    if (impl !== 'native' && N.EventSource && window.EventSource === N.EventSource) {
      return 'impl=' + impl + ': window.EventSource is still the native one';
    }
    return null;
  }

  // A small order-sensitive hash (ES5: no Math.imul), for summarised streams.
  function fold(hash, text) {
    for (var i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) % 2147483647;
    return (hash * 31 + 7) % 2147483647;
  }

  window.runScenario = function (spec) {
    return new N.Promise(function (resolve, reject) {
      var log = [];
      window.__partial = log;
      var trouble = problem();
      if (trouble) {
        reject(new Error(trouble));
        return;
      }
      if (spec.base) {
        var base = document.createElement('base');
        base.href = spec.base;
        document.head.appendChild(base);
      }

      var source;
      try {
        if (spec.noArgs) {
          source = new EventSource();
        } else if (spec.noNew) {
          source = EventSource(spec.url); // eslint-disable-line new-cap
        } else if (spec.init === undefined) {
          source = new EventSource(spec.url);
        } else {
          source = new EventSource(spec.url, spec.init);
        }
      } catch (error) {
        log.push({ threw: error.name, isDOMException: !!N.DOMException && error instanceof N.DOMException, code: error.code });
        resolve(JSON.stringify(log));
        return;
      }

      var start = {
        url: source.url, withCredentials: source.withCredentials, readyState: source.readyState,
        constants: [EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED, source.CONNECTING, source.OPEN, source.CLOSED],
        handlers: [source.onopen, source.onmessage, source.onerror],
        handlerTypes: [typeof source.onopen, typeof source.onmessage, typeof source.onerror],
        methods: [typeof source.close, typeof source.addEventListener, typeof source.removeEventListener, typeof source.dispatchEvent],
        tag: Object.prototype.toString.call(source),
        constructorIs: source.constructor === EventSource,
        constructorLength: EventSource.length
      };
      // The legacy environment cannot construct an EventTarget, so nothing can be an instance of one.
      if (window.__impl !== 'legacy') start.instanceofEventTarget = source instanceof N.EventTarget;
      log.push({ start: start });

      var ended = false;
      var messages = 0;
      var errors = 0;
      var summary = { messages: 0, hash: 0 };

      function end(reason) {
        ended = true;
        if (spec.summarize) log.push({ summary: summary });
        log.push({ end: reason, readyState: source.readyState });
        source.close();
        // Whatever still arrives after the end lands in the log after this entry: a close() that did
        // not stop the stream, a reconnection that should not happen (the runner also reads the
        // server's log afterwards). Nothing announces "nothing more will happen", so this one wait
        // is a fixed observation window, several times the streams' `retry: 10`.
        setTimeout(function () { resolve(JSON.stringify(log)); }, spec.settle || 150);
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
          entry.target = event.target === source && event.currentTarget === source;
          entry.bubbles = event.bubbles;
          entry.cancelable = event.cancelable;
          if (spec.summarize && messageLike && !ended) {
            summary.messages++;
            summary.hash = fold(summary.hash, JSON.stringify(entry));
          } else {
            log.push(entry);
          }
          // End conditions are checked by the handler that runs last for the event type: for 'open'
          // the onopen handler (registered after the 'open' listener), otherwise the listener
          // (registered after onmessage/onerror).
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

      // Registration order interleaves listeners and on* handlers, so their relative order is
      // checked: 'open': listener, then onopen; 'message'/'error': onmessage/onerror, then listener.
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
    });
  };
})();
