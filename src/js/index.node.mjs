// Node's `import` of 'eventsource-wasm': the CommonJS build re-exported, so that an app that both
// imports and requires the package gets one engine and one EventSource class (no dual-package
// hazard). Browsers and bundlers never see this file: they take index.js, the ES module.
import cjs from './index.cjs';

export var EventSource = cjs.EventSource;
