// A module worker for tests/browser/shared.mjs: the first source of a group, holding its
// connection until the page terminates the worker, which ends it with no farewell (as a crash
// would). The first message is the URL; the second lets the stream start.
import { EventSource } from '/pkg/index.js';

var go;
var gate = new Promise(function (resolve) { go = resolve; });
var source = null;
onmessage = function (event) {
  if (source) return go();
  source = new EventSource(event.data, {
    shared: true,
    fetch: function (input, init) { return gate.then(function () { return fetch(input, init); }); },
  });
};
