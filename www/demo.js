// The demo page: one EventSource on the server's live stream, its state and its log.
// demo(EventSource, options) starts it; with { shared: true } (index.html?shared) every tab of
// the page shares one connection, and the page shows whether this tab holds it: the `fetch`
// option runs only in the tab that does.
function demo(EventSource, options) {
  var names = ['CONNECTING', 'OPEN', 'CLOSED'];
  var $ = function (id) { return document.getElementById(id); };
  var native = /[?&]impl=native\b/.test(location.search);
  $('impl').textContent = native ? "the browser's own EventSource" : 'eventsource-wasm';
  if (options.shared) {
    $('shared-mode').textContent = 'on';
    $('holder').textContent = '(another tab holds the connection)';
    $('shared-toggle').textContent = 'turn it off';
    $('shared-toggle').href = '?';
    options.fetch = function (url, init) {
      $('holder').textContent = '(this tab holds the connection)';
      return fetch(url, init);
    };
  }

  var es = new EventSource('/demo/stream', options);
  var count = 0;
  var reconnects = 0;

  function showState() {
    $('state').textContent = names[es.readyState];
    $('state').className = 'state s' + es.readyState;
  }
  function log(kind, text) {
    var item = document.createElement('li');
    item.className = kind;
    item.textContent = new Date().toLocaleTimeString() + '  ' + text;
    $('log').insertBefore(item, $('log').firstChild);
    while ($('log').childNodes.length > 200) $('log').removeChild($('log').lastChild);
  }

  es.onopen = function () { showState(); log('open', 'open'); };
  es.onerror = function () {
    showState();
    if (es.readyState === EventSource.CONNECTING) reconnects++;
    $('reconnects').textContent = reconnects;
    log('error', es.readyState === EventSource.CLOSED ? 'error: closed' : 'error: reconnecting…');
  };
  es.onmessage = function (event) {
    count++;
    $('count').textContent = count;
    $('last-id').textContent = event.lastEventId || '—';
    log('message', 'id ' + event.lastEventId + ': ' + event.data);
  };
  $('cut').onclick = function () {
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/demo/cut');
    xhr.send();
  };
  showState();
}
