// Node's `import` of 'eventsource-wasm': the CommonJS build re-exported, so that an app that both
// imports and requires the package gets one engine and one EventSource class (no dual-package
// hazard). Browsers and bundlers never see this folder: they take ../index.js, the ES module.
// (In a folder of its own so that resolvers probing extensions, as Parcel does for a subpath, find
// the ES module files at the top and never these.)
import cjs from './index.cjs';

export var EventSource = cjs.EventSource;
