// The platform of today's runtimes: a real EventTarget to subclass, Event and MessageEvent
// constructors, fetch with streamed bodies, TextDecoder and WebAssembly. ES5 syntax, so that the
// script-tag file still parses in old engines and can hand over to the legacy build there.
import { g } from '../global.js';
export { loadCore } from './core-wasm.js';
export { openFetch as open } from './fetch.js';
export { readStream } from './stream.js';
import { fetchStreams } from './fetch.js';

/** fetch never restarts a response (platform.d.ts). */
export const RESTARTS = false;

export var BaseTarget = typeof g.EventTarget === 'function' ? g.EventTarget : Object;

/** A genuine EventTarget whose prototype is the one `self` was made with (subclasses work). */
export function makeTarget(self) {
  var NewTarget = function () {};
  NewTarget.prototype = Object.getPrototypeOf(self);
  return Reflect.construct(g.EventTarget, [], NewTarget);
}

/** Spec: the constructor, step 4: the URL record from parsing against the API base URL. */
export function resolveUrl(input) {
  // WebIDL: an undefined base is no base.
  var base = g.document ? g.document.baseURI : g.location && g.location.href;
  try {
    return new g.URL(input, base).href;
  } catch (e) {
    return null;
  }
}

export function originOf(url) {
  return new g.URL(url).origin;
}

export function syntaxError(message) {
  return new g.DOMException(message, 'SyntaxError');
}

// Between two events, promise callbacks a listener queued must run (native dispatches each event
// in its own task). A settled promise's then() queues the same microtask as queueMicrotask() at a
// thirtieth of the cost in Chromium (0.05 µs against 1.7 µs a turn), and this runs once per event.
// (Old engines evaluate this file too, before the script tag hands over to the legacy build.)
var settled = g.Promise && g.Promise.resolve();

export function nextTurn(f) {
  settled.then(f);
}

/** nextTurn is always there: the face's checks for it fold away in this build. */
export const TURNS = true;

export function createEvent(type) {
  return new g.Event(type);
}

export function createMessageEvent(type, data, origin, lastEventId) {
  return new g.MessageEvent(type, { data: data, origin: origin, lastEventId: lastEventId });
}

// ignoreBOM: the stream's BOM is the engine's to strip; a U+FEFF that begins a text is content.
// The engine's text is the bytes received: this is the stream's "UTF-8 decode" (fatal: false).
var textDecoder = typeof g.TextDecoder === 'function' ? new g.TextDecoder('utf-8', { ignoreBOM: true }) : null;

export function decodeUtf8(bytes) {
  return textDecoder.decode(bytes);
}

/** Where CR is in `bytes`, searching from `from` with its `indexOf` or `lastIndexOf` (`method`). */
export function findCr(method, bytes, from) {
  return bytes[method](13, from);
}

/** Whether this runtime has everything above; where not, the legacy build takes over. Every
 * runtime with WebAssembly also has Promise, Reflect, URL and typed arrays' indexOf: they are not
 * checked. */
export function supported() {
  try {
    return typeof g.WebAssembly === 'object' && fetchStreams && textDecoder !== null &&
      typeof g.DOMException === 'function' &&
      new g.EventTarget() instanceof g.EventTarget &&
      new g.MessageEvent('message', { data: 'x' }).data === 'x';
  } catch (e) {
    return false;
  }
}
