// The script-tag files' `reconnectOnResume`: accepted and ignored, as native EventSource does.
// Those files install EventSource only where the runtime has none; pages that want the option
// use the npm package's class (src/js/lifecycle.js). ES5 syntax.
export function watch() {}

/** A constant: event-source.js leaves out what only watching needs. */
export const WATCHES = false;
