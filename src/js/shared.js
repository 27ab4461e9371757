// The `shared` option: same-origin browsing contexts (tabs, windows, iframes) whose sources have the
// same URL and options (or name the same group) share one network connection. ES5 syntax.
//
// Every shared source opens a BroadcastChannel and queues for a Web Lock, both named after its
// group. The one holding the lock runs its engine and transport as usual; each batch its engine
// emits is posted on the channel with a sequence number, less the I/O ops (connect, abort,
// timers), and every other source of the group dispatches the batches in sequence order through
// the same code as a batch of its own engine: the same events, in the same order, the same
// readyState changes. When the holder goes (close(), a failed connection, its page hidden), its
// last message says so; the browser grants the lock to the next waiter, which reconnects from the
// last event ID the group dispatched once it has that message.
//
// Why the farewell: a browser may deliver a message one context posts later than the lock grant
// that context's release causes (WebKit delivers messages within a process at once, and routes
// those between processes through another one), so the grant alone does not say that every batch
// has arrived. Messages from one context do arrive in order, so the farewell does. A holder whose
// context ends with no farewell (a crash) is waited for GRACE milliseconds.
// Where Web Locks or BroadcastChannel are missing, share() declines: the source connects alone.
import { g } from './global.js';
import {
  OP_CONNECT, OP_READY_STATE, OP_OPEN, OP_MESSAGE, OP_TYPE, OP_ID, OP_ERROR, OP_ARGS, OP_TEXTS,
} from './protocol.js';

var OPEN = 1;
var CLOSED = 2;
// Milliseconds a new holder waits for the farewell of a holder whose context ended without one.
var GRACE = 1000;
var bit = function (ops) {
  var mask = 0;
  for (var i = 0; i < ops.length; i++) mask |= 1 << ops[i];
  return mask;
};
// The ops a follower dispatches (the rest are I/O: only the holder's transport and timers act on
// them). How many arguments and texts each op takes comes from the generated protocol table.
var DISPATCH = bit([OP_READY_STATE, OP_OPEN, OP_MESSAGE, OP_TYPE, OP_ID, OP_ERROR]);

/**
 * Makes `self` (with its private `state`) a member of its group and returns true, or returns
 * false where the option is off or the runtime lacks what it takes. `begin()` starts this source's
 * engine; `run(self, batch)` dispatches a batch. Sets `state._shared(batch)`: every batch passes
 * through it before it is dispatched; called with nothing (close()), the source leaves the group.
 *
 * The messages on the channel: 0, a source that joins asks for the group's state; [seq,
 * readyState, type, id], the holder's answer (and a new holder's announcement); [seq, ops, texts],
 * a batch; [seq], the holder's farewell. Batches and farewells share one sequence across holders:
 * a new holder goes on from the farewell's number.
 */
export function share(self, state, options, begin, run) {
  var locks = g.navigator && g.navigator.locks;
  var name = options.shared;
  if (!name || !locks || !g.BroadcastChannel || !g.AbortController) return false;
  // The group: the URL and every option (functions, such as `fetch`, are not part of it), or the
  // name given.
  name = 'eventsource ' + (name === true ? JSON.stringify([state._url, options]) : name);
  var channel = new g.BroadcastChannel(name);
  var waiting = new g.AbortController();
  var release = 0;
  var holder = 0;
  var gone = 0;
  // The group's state as the messages so far left it (seq -1: not known yet), the messages that
  // came ahead of their turn, by number, and whether this source's own engine has set an event ID
  // yet (until it has, it resumes the group's).
  var seq = -1;
  var ahead = {};
  var readyState = 0;
  var type = 'message';
  var id = '';
  var known = 0;
  // The number the latest holder heard of went on from, and the latest farewell's: while the
  // first is not below the second, a holder is in place or its farewell is on its way.
  var started = -1;
  var farewell = 0;

  var post = function (message) { channel.postMessage(message); };
  var announce = function () { post([seq, readyState, type, id]); };
  var apply = function (ops, texts) { run(self, { _ops: ops, _texts: texts }); };
  var takeOver = function () {
    if (gone || holder) return;
    holder = 1;
    if (seq < 0) seq = 0;
    announce();
    begin();
  };
  var leave = function () {
    if (gone) return;
    if (holder) post([++seq]);
    gone = 1;
    waiting.abort();
    if (release) release();
    channel.close();
    if (g.removeEventListener) g.removeEventListener('pagehide', hidden);
  };
  // The page is going away (or into the back/forward cache): a holder says farewell while it can.
  var hidden = function () { if (holder) leave(); };
  if (g.addEventListener) g.addEventListener('pagehide', hidden);

  channel.onmessage = function (event) {
    var message = event.data;
    if (holder) {
      if (message === 0) announce();
    } else if (message.length === 4) {
      // A source that has just joined takes the decoder state, and OPEN (with its own `open`
      // event) when the connection is open.
      if (seq < 0) {
        apply(message[1] === OPEN ? [OP_TYPE, OP_ID, OP_READY_STATE, OPEN, OP_OPEN] : [OP_TYPE, OP_ID], message.slice(2));
        seq = message[0];
      }
      if (message[0] > started) started = message[0];
    } else if (seq >= 0 && message[0] > seq) {
      // In sequence order: a new holder's batches may come before the last of the previous one's.
      ahead[message[0]] = message;
      while (!gone && (message = ahead[seq + 1])) {
        delete ahead[++seq];
        if (message.length > 1) apply(message[1], message[2]);
        else farewell = seq;
      }
      if (release && started < farewell) takeOver();
    }
  };

  locks.request(name, { signal: waiting.signal }, function () {
    if (gone) return;
    return new g.Promise(function (resolve) {
      release = resolve;
      // The previous holder's farewell is here (or none was ever heard of): take over now.
      // Otherwise its farewell is on the way, or it ended without one.
      if (started < farewell) takeOver();
      else setTimeout(takeOver, GRACE);
    });
  }).catch(function () { /* aborted: the source left while it waited */ });
  post(0);

  state._shared = function (batch) {
    if (!batch) return leave();
    if (gone) return batch;
    var ops = batch._ops;
    var texts = batch._texts;
    var out = [];
    var outTexts = [];
    var wasOpen = readyState === OPEN;
    for (var i = 0, t = 0; i < ops.length;) {
      var op = ops[i++];
      var args = ops.slice(i, i += OP_ARGS[op]);
      var arg = args.length ? args[0] : -1;
      var text = OP_TEXTS >> op & 1 ? texts[t++] : null;
      // A new holder's connection opening is no news to sources that are open already: op 0
      // (with argument 0) does nothing.
      if (wasOpen && (op === OP_OPEN || op === OP_READY_STATE && arg === OPEN)) {
        ops[i - 1] = ops[i - 2] = op = 0;
        args = [];
      }
      // A new holder's engine starts with no last event ID: until its stream sets one, it is the
      // group's (sent as Last-Event-ID, and carried by the messages that follow).
      if (holder && (op === OP_CONNECT || op === OP_ID)) {
        if (text) known = 1;
        else if (!known) texts[t - 1] = text = id;
      }
      if (op === OP_READY_STATE) readyState = arg;
      if (op === OP_TYPE) type = text;
      if (op === OP_ID) id = text;
      if (holder && DISPATCH >> op & 1) {
        out.push(op);
        for (var a = 0; a < args.length; a++) out.push(args[a]);
        if (text !== null) outTexts.push(text);
      }
    }
    if (out.length) post([++seq, out, outTexts]);
    // The engine failed the connection (or the holder's did): the group is over for this source.
    if (readyState === CLOSED) leave();
    return batch;
  };
  return true;
}

/** A constant: event-source.js leaves out what only a group's sources need. */
export const SHARES = true;
