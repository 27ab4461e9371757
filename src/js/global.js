// The global object in every realm the builds run in (window, workers, Node), ES5-safe.
export var g = typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : window;
