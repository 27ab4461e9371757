// The script-tag files' `shared`: accepted and ignored, each source connecting alone. Those files
// install EventSource only where the runtime has none, and every browser with Web Locks and
// BroadcastChannel (what sharing needs) ships its own EventSource, so the group machinery
// (shared.js, about 0.7 KB gzipped) would never run there. Pages that want one connection for
// their tabs use the npm package's class. ES5 syntax.
export function share() {
  return false;
}

/** A constant: event-source.js leaves out what only a group's sources need. */
export const SHARES = false;
