// Event plumbing that works from today's browsers back to IE10: a real EventTarget base and real
// Event/MessageEvent objects where the runtime can construct them, small stand-ins where not.
// ES5 syntax: the script-tag build must parse in old engines.
import { g } from '../global.js';

function constructs(make) {
  try { make(); return true; } catch (e) { return false; }
}

var nativeTarget = typeof Reflect === 'object' && typeof g.EventTarget === 'function' &&
  constructs(function () { return new g.EventTarget(); });
var nativeEvents = typeof g.Event === 'function' && typeof g.MessageEvent === 'function' &&
  constructs(function () { return new g.MessageEvent('message', { data: '' }); });

/** The prototype EventSource.prototype inherits from. */
export var BaseTarget = nativeTarget ? g.EventTarget : MiniEventTarget;

/**
 * The object a constructor call works on: a genuine EventTarget with the prototype `self` was
 * created with (so subclasses work) when the runtime allows that, otherwise `self` with the
 * stand-in's state.
 */
export function makeTarget(self) {
  if (nativeTarget) {
    var NewTarget = function () {};
    NewTarget.prototype = Object.getPrototypeOf(self);
    return Reflect.construct(g.EventTarget, [], NewTarget);
  }
  MiniEventTarget.call(self);
  return self;
}

export function createEvent(type) {
  if (nativeEvents) return new g.Event(type);
  return legacyEvent('Event', type, function (event) { event.initEvent(type, false, false); });
}

export function createMessageEvent(type, data, origin, lastEventId) {
  if (nativeEvents) return new g.MessageEvent(type, { data: data, origin: origin, lastEventId: lastEventId });
  var event = legacyEvent('MessageEvent', type, function (event) {
    event.initMessageEvent(type, false, false, data, origin, lastEventId, null);
  });
  // Engines whose initMessageEvent is missing or ignores arguments still deliver the fields.
  if (event.data !== data) defineValue(event, 'data', data);
  if (event.origin !== origin) defineValue(event, 'origin', origin);
  if (event.lastEventId !== lastEventId) defineValue(event, 'lastEventId', lastEventId);
  return event;
}

function legacyEvent(kind, type, init) {
  var doc = g.document;
  if (doc && doc.createEvent) {
    try {
      var event = doc.createEvent(kind);
      init(event);
      return event;
    } catch (e) { /* fall through to a plain object */ }
  }
  return { type: type, bubbles: false, cancelable: false, defaultPrevented: false, timeStamp: +new Date() };
}

function defineValue(object, name, value) {
  try {
    Object.defineProperty(object, name, { value: value, configurable: true, enumerable: true });
  } catch (e) {
    object[name] = value;
  }
}

/**
 * The EventTarget stand-in for runtimes that cannot construct one: addEventListener (capture flag,
 * `once`, no duplicates), removeEventListener and dispatchEvent, with listener exceptions reported
 * asynchronously instead of breaking the dispatch, as the DOM does.
 */
function MiniEventTarget() {
  Object.defineProperty(this, '__listeners', { value: {}, writable: true });
}

function captureOf(options) {
  return typeof options === 'object' && options !== null ? !!options.capture : !!options;
}

MiniEventTarget.prototype.addEventListener = function (type, listener, options) {
  if (listener === null || listener === undefined) return;
  var list = this.__listeners[type] || (this.__listeners[type] = []);
  var capture = captureOf(options);
  for (var i = 0; i < list.length; i++) {
    if (list[i].listener === listener && list[i].capture === capture) return;
  }
  list.push({ listener: listener, capture: capture, once: !!(options && options.once), removed: false });
};

MiniEventTarget.prototype.removeEventListener = function (type, listener, options) {
  var list = this.__listeners[type];
  if (!list) return;
  var capture = captureOf(options);
  for (var i = 0; i < list.length; i++) {
    if (list[i].listener === listener && list[i].capture === capture) {
      list[i].removed = true;
      list.splice(i, 1);
      return;
    }
  }
};

MiniEventTarget.prototype.dispatchEvent = function (event) {
  defineValue(event, 'target', this);
  defineValue(event, 'currentTarget', this);
  defineValue(event, 'srcElement', this);
  // Listeners added during dispatch do not run; removed ones no longer do.
  var list = (this.__listeners[event.type] || []).slice();
  for (var i = 0; i < list.length; i++) {
    var entry = list[i];
    if (entry.removed) continue;
    if (entry.once) this.removeEventListener(event.type, entry.listener, entry.capture);
    try {
      var listener = entry.listener;
      if (typeof listener === 'function') listener.call(this, event);
      else if (listener && typeof listener.handleEvent === 'function') listener.handleEvent(event);
    } catch (error) {
      setTimeout(function () { throw error; }, 0);
    }
  }
  return !event.defaultPrevented;
};
