// The `shared` option: same-origin browsing contexts (tabs, windows, iframes) whose sources have the
// same URL and options (or name the same group) share one network connection. ES5 syntax.
//
// Every shared source opens a BroadcastChannel and queues for a Web Lock, both named after its
// group. The one holding the lock runs its engine and transport as usual; each batch its engine
// emits is posted on the channel with a sequence number, less the I/O ops (connect, abort,
// timers), and every other source of the group dispatches it through the same code as a batch of
// its own engine: the same events, in the same order, the same readyState changes. When the
// holder goes (close(), or its context is closed, crashes or navigates) the browser grants the
// lock to the next waiter, which reconnects from the last event ID the group dispatched.
// Where Web Locks or BroadcastChannel are missing, share() declines: the source connects alone.
import { g } from './global.js';
import {
  OP_CONNECT, OP_READY_STATE, OP_OPEN, OP_MESSAGE, OP_TYPE, OP_ID, OP_ERROR, OP_ARGS, OP_TEXTS,
} from './protocol.js';

var OPEN = 1;
var CLOSED = 2;
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
 * a batch; a string, the token that comes back to a source just granted the lock (the others
 * ignore it).
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
  var token = String(Math.random());
  var ping = 0;
  var release = 0;
  var holder = 0;
  var gone = 0;
  // The group's state as the batches so far left it (seq -1: not known yet), and whether this
  // source's own engine has set an event ID yet (until it has, it resumes the group's).
  var seq = -1;
  var readyState = 0;
  var type = 'message';
  var id = '';
  var known = 0;

  var post = function (message) { channel.postMessage(message); };
  var announce = function () { post([seq, readyState, type, id]); };
  var apply = function (ops, texts) { run(self, { _ops: ops, _texts: texts }); };
  var leave = function () {
    gone = 1;
    waiting.abort();
    if (release) release();
    channel.close();
    if (ping) ping.close();
  };

  channel.onmessage = function (event) {
    var message = event.data;
    if (holder) {
      if (message === 0) announce();
    } else if (typeof message === 'string') {
      if (message !== token) return;
      // This source holds the lock, and every batch the previous holder posted is dispatched.
      ping.close();
      ping = 0;
      holder = 1;
      if (seq < 0) seq = 0;
      announce();
      begin();
    } else if (message.length === 4) {
      // A source that has just joined takes the decoder state, and OPEN (with its own `open`
      // event) when the connection is open.
      if (seq < 0) apply(message[1] === OPEN ? [OP_TYPE, OP_ID, OP_READY_STATE, OPEN, OP_OPEN] : [OP_TYPE, OP_ID], message.slice(2));
      seq = message[0];
    } else if (seq >= 0 && message[0] > seq) {
      seq = message[0];
      apply(message[1], message[2]);
    }
  };

  locks.request(name, { signal: waiting.signal }, function () {
    if (gone) return;
    return new g.Promise(function (resolve) {
      release = resolve;
      // What the previous holder posted before it let go of the lock is queued here before this
      // message (a channel's messages are tasks of one task source, in order), but the lock's
      // grant is a task of another source: only when this comes back is the last event ID final.
      ping = new g.BroadcastChannel(name);
      ping.postMessage(token);
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
