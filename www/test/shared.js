// One page of tests/browser/shared.mjs: several of these, in one browser profile, open sources on
// the same stream. window.__open(url, mode) opens one ('native': the browser's own; 'shared': ours
// with { shared: true }; 'alone': ours without it); window.__shared holds what the page saw.
// The page counts its BroadcastChannels (opened minus closed) and the calls of the `fetch` option:
// that function runs only in the page holding the group's connection, and waits for
// window.__go() first, so a test can let every page join before the stream starts.
import { EventSource as Ours } from '/pkg/index.js';

var Channel = window.BroadcastChannel;
var channels = 0;
window.BroadcastChannel = function (name) {
  var channel = new Channel(name);
  var close = channel.close;
  var open = true;
  channels++;
  channel.close = function () {
    if (open) channels--;
    open = false;
    return close.call(this);
  };
  return channel;
};

var go;
var gate;
var seen = { channels: function () { return channels; } };
window.__shared = seen;
window.__go = function () { go(); };
window.__open = function (url, mode) {
  gate = new Promise(function (resolve) { go = resolve; });
  seen.events = [];
  seen.ids = [];
  seen.errors = 0;
  seen.fetches = 0;
  seen.states = [];
  var options = {
    shared: mode === 'shared',
    fetch: function (input, init) {
      seen.fetches++;
      return gate.then(function () { return fetch(input, init); });
    },
  };
  var source = mode === 'native' ? new EventSource(url) : new Ours(url, options);
  seen.source = source;
  source.onopen = function () { seen.events.push('open'); seen.states.push(source.readyState); };
  source.onerror = function () { seen.errors++; seen.events.push('error'); seen.states.push(source.readyState); };
  source.onmessage = function (event) { seen.ids.push(+event.lastEventId); };
};
window.__ready = true;
