// Runs one scenario (from the query string) against window.EventSource and leaves the log as JSON
// in window.__log once done. ES5, no promises: it also runs in the legacy environment.
(function () {
  var spec = JSON.parse(decodeURIComponent(/[?&]spec=([^&]*)/.exec(location.search)[1]));
  var log = [];
  var done = false;
  var source = null;

  function finish(reason) {
    if (done) return;
    done = true;
    if (source && spec.end !== 'none') source.close();
    log.push({ end: reason, readyState: source ? source.readyState : null, order: window.__order || [] });
    window.__log = JSON.stringify(log);
  }

  function className(event) {
    var names = ['MessageEvent', 'Event'];
    for (var i = 0; i < names.length; i++) {
      var ctor = window.__native[names[i]];
      if (ctor && event instanceof ctor) return names[i];
    }
    return typeof event;
  }

  var order = [];
  window.__order = order;
  var messages = 0;
  var errors = 0;
  var checksum = 0;
  function record(via) {
    return function (event) {
      if (done) {
        // Anything after the end (a close() that did not stop everything) shows up in the log.
        (window.__late = window.__late || []).push(event.type);
        return;
      }
      var entry = { via: via, type: event.type, readyState: source.readyState, cls: className(event) };
      if (event.type !== 'open' && event.type !== 'error') {
        entry.data = event.data;
        entry.origin = event.origin;
        entry.lastEventId = event.lastEventId;
      }
      if (order.length < 40) order.push('listener:' + event.type);
      if (spec.summarize && entry.data !== undefined) {
        checksum = (checksum * 31 + entry.data.length + entry.lastEventId.length) % 1000000007;
      } else {
        log.push(entry);
      }
      if (event.type === 'error') {
        errors++;
        if (source.readyState === 2 || (spec.errors && errors >= spec.errors)) {
          if (spec.summarize) log.push({ messages: messages, checksum: checksum });
          finish(source.readyState === 2 ? 'closed' : 'errors');
        }
      } else if (event.type !== 'open') {
        messages++;
        if (spec.closeAfter && messages >= spec.closeAfter) {
          if (spec.summarize) log.push({ messages: messages, checksum: checksum });
          source.close();
          log.push({ closedIn: event.type, readyState: source.readyState });
          finish('closeAfter');
        }
      }
    };
  }

  try {
    source = spec.init === undefined ? new EventSource(spec.url) : new EventSource(spec.url, spec.init);
  } catch (error) {
    log.push({ threw: error.name, isDOMException: !!(window.__native.DOMException && error instanceof window.__native.DOMException), code: error.code });
    finish('threw');
    return;
  }
  log.push({
    url: source.url, withCredentials: source.withCredentials, readyState: source.readyState,
    constants: [EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED, source.CONNECTING, source.OPEN, source.CLOSED],
    targetMethods: [typeof source.addEventListener, typeof source.removeEventListener, typeof source.dispatchEvent],
    tag: Object.prototype.toString.call(source),
    handlers: [source.onopen, source.onmessage, source.onerror],
  });
  // A real EventTarget where the environment has one (the legacy environment cannot construct one).
  if (window.__impl !== 'legacy') log[log.length - 1].instanceofEventTarget = source instanceof window.__native.EventTarget;
  var types = ['open', 'message', 'error'].concat(spec.types || []);
  for (var i = 0; i < types.length; i++) source.addEventListener(types[i], record('listener'));
  var handler = function (event) { if (order.length < 40) order.push('on:' + event.type + ':' + source.readyState); };
  source.onmessage = handler;
  source.onopen = handler;
  source.onerror = handler;
  if (spec.closeBeforeResponse) {
    source.close();
    log.push({ closedAt: 'start', readyState: source.readyState });
    // Give any wrongly started request time to show up in the server log; nothing may arrive.
    setTimeout(function () { finish('closed-early'); }, 300);
  }
})();
