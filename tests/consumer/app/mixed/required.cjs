// A CommonJS module of the app: requires both entries (the polyfill installs the class where the
// page has none) and exports the class, or null where the two entries disagree.
var main = require('eventsource-wasm');
var polyfill = require('eventsource-wasm/polyfill');
module.exports = main.EventSource === polyfill.EventSource ? main.EventSource : null;
