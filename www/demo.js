// The demo page: one EventSource on the server's live stream, its state and its log.
(function () {
  var names = ['CONNECTING', 'OPEN', 'CLOSED'];
  var $ = function (id) { return document.getElementById(id); };
  var native = /[?&]impl=native\b/.test(location.search);
  $('impl').textContent = native ? "the browser's own EventSource" : 'eventsource-wasm';

  var es = new EventSource('/demo/stream');
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
})();
