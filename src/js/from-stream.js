// EventSource.fromReadableStream(stream), as proposed for the HTML Standard (whatwg/html pull
// request 12272): an EventSource that parses an application's byte stream instead of fetching,
// with the `lastEventId` and `reconnectionTime` getters and `reset()` the proposal adds. The
// stream is read by the platform's stream transport; the engine decides everything else (OPEN on
// the first bytes, the stream's end failing the connection, no reconnection).
// Installed by the npm entry (index.js) only: the script-tag files stay as small as they were.
// ES5 syntax.
import { readStream } from 'eventsource:platform';
import { EventSource, constructPiped, stateOf, feed } from './event-source.js';
import { engineInfo } from './engine.js';
import { INPUT_STREAM, STREAM_START, STREAM_DATA, STREAM_END, STREAM_RESET } from './protocol.js';

/** The reconnection time before the engine is ready and before any `retry` field
 * (src/engine/connection.rs, DEFAULT_RECONNECTION_TIME). */
var DEFAULT_RECONNECTION_TIME = 3000;
var FAILED = "Failed to execute 'fromReadableStream' on 'EventSource': ";

// WebIDL static operation: writable, enumerable, configurable, as an assignment makes it. Defined
// as an object literal's member so that its name stays `fromReadableStream` after minifying.
var statics = {
  fromReadableStream: function (stream) {
    if (arguments.length < 1) throw new TypeError(FAILED + '1 argument required, but only 0 present.');
    if (!stream || typeof stream.getReader !== 'function') {
      throw new TypeError(FAILED + "parameter 1 is not of type 'ReadableStream'.");
    }
    if (stream.locked) throw new TypeError(FAILED + 'the stream is locked.');
    // Taken at once, so that the stream is locked from this call on.
    var reader = stream.getReader();
    return constructPiped('about:event-stream', function (self, state, run) {
      return pipe(self, state, run, reader);
    });
  },
};
EventSource.fromReadableStream = statics.fromReadableStream;

/** Starts reading the stream once the source's engine is ready; returns the engine's first
 * batch. `run` carries out a batch (event-source.js). Messages' origin is "null". */
function pipe(self, state, run, reader) {
  state._origin = 'null';
  // What the getters read once the engine is gone: kept as it is freed.
  var engine = state._engine;
  var free = engine._free;
  engine._free = function () {
    state._info = engineInfo(engine);
    free.call(engine);
  };
  var connection = null;
  var current = function () { return state._connection === connection && !!state._engine; };
  connection = readStream(reader, {
    // The engine announces the connection on the first bytes, then reads them as a body chunk.
    chunk: function (bytes, resume) {
      if (!current()) return;
      run(self, state._engine._send(INPUT_STREAM, STREAM_DATA), function () {
        if (current()) feed(self, state, bytes, current, resume);
      });
    },
    end: function () {
      if (current()) run(self, state._engine._send(INPUT_STREAM, STREAM_END));
    },
  });
  state._connection = connection;
  return state._engine._send(INPUT_STREAM, STREAM_START);
}

/** From the engine while it lives, then as it left it (kept by pipe() as it is freed). */
function info(self) {
  var state = stateOf(self);
  return state._engine ? engineInfo(state._engine) : state._info || { time: DEFAULT_RECONNECTION_TIME, id: '' };
}

// As members of the interface: enumerable, configurable accessors and a method.
var members = {
  get lastEventId() { return info(this).id; },
  get reconnectionTime() { return info(this).time; },
  // Discards what was read and did not make an event yet (partial line, event being built,
  // the BOM state), so that a fresh stream's bytes start clean.
  reset: function () {
    var engine = stateOf(this)._engine;
    if (engine) engine._send(INPUT_STREAM, STREAM_RESET);
  },
};
for (var key in members) {
  Object.defineProperty(EventSource.prototype, key, Object.getOwnPropertyDescriptor(members, key));
}

export { EventSource };
