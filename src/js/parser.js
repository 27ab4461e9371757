// 'eventsource-wasm/parser': the engine's event stream parser for applications that fetch by
// themselves (POST bodies, LLM token streams, GraphQL subscriptions): bytes or strings in, events
// out, by callbacks (createParser) or as a TransformStream (createParserStream). Same parsing as
// the EventSource, because it is the same engine: an engine fed by the stream inputs, whose
// `message` commands become events. No new engine export: the script-tag files pay nothing.
// ES5 syntax.
import { loadCore, decodeUtf8 } from 'eventsource:platform';
import { g } from './global.js';
import { Engine, utf8ByteString, reconnectionTime } from './engine.js';
import {
  OP_MESSAGE, OP_TYPE, OP_ID, OP_ERROR, OP_ARGS, OP_TEXTS,
  INPUT_STREAM, INPUT_CHUNK, STREAM_START, STREAM_DATA, STREAM_RESET, UNSET,
} from './protocol.js';

var textEncoder = typeof g.TextEncoder === 'function' ? new g.TextEncoder() : null;

/** A string's UTF-8 bytes. */
function utf8(text) {
  if (textEncoder) return textEncoder.encode(text);
  var binary = utf8ByteString(text);
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A chunk's batch, read faster than Engine.batch can for the EventSource: all its texts in one
 * decode and one split (a parser's caller holds no other engine's batch; the ops are copied, as
 * an onEvent callback may feed the parser again). */
function read(engine, header) {
  var buffer = engine._core.memory.buffer;
  var head = new Uint32Array(buffer, header, 4);
  return {
    ops: new Uint32Array(buffer, head[0], head[1]).slice(),
    texts: head[3] ? decodeUtf8(new Uint8Array(buffer, head[2], head[3] - 1)).split('\r') : [],
  };
}

/**
 * callbacks: onEvent({ type, data, id, retry }) per event (type "message" when the stream names
 * none; id the last event ID string, as MessageEvent.lastEventId; retry the milliseconds of a
 * `retry` field in the event's own block, else undefined); onRetry(ms) when a `retry` field changes
 * the reconnection time; onError(error) when an event passes maxEventSize (bytes; the parser then
 * starts afresh). Chunks fed before the engine is ready (the first parser of a page) are parsed
 * once it is; `ready` is a promise for that moment where promises exist.
 */
export function createParser(callbacks) {
  var queue = [];
  var engine = null;
  var core = null;
  var type = 'message';
  var id = '';
  var retry = 0;
  var open = false;

  function start() {
    if (engine) engine.free();
    engine = new Engine(core, { maxEventSize: callbacks.maxEventSize });
    engine.send(INPUT_STREAM, STREAM_START);
    open = false;
    retry = reconnectionTime(engine);
  }

  // The engine's batch: messages become events; an error means the event was too large.
  function apply(batch) {
    var ops = batch.ops;
    var texts = batch.texts;
    for (var i = 0, t = 0; i < ops.length;) {
      var op = ops[i++];
      // Most ops are messages: one test, then the next op.
      if (op === OP_MESSAGE) {
        var blockRetry = ops[i++];
        callbacks.onEvent({ type: type, data: texts[t++], id: id, retry: blockRetry === UNSET ? undefined : blockRetry });
        continue;
      }
      if (op === OP_TYPE) type = texts[t];
      if (op === OP_ID) id = texts[t];
      if (op === OP_ERROR) {
        start();
        if (callbacks.onError) callbacks.onError(new Error('The event is larger than maxEventSize.'));
        return;
      }
      // Every other op is skipped with its arguments and text, as the protocol table counts them.
      if (OP_TEXTS >> op & 1) t++;
      i += OP_ARGS[op];
    }
  }

  function parse(chunk) {
    if (!open) {
      open = true;
      engine.send(INPUT_STREAM, STREAM_DATA);
    }
    var bytes = typeof chunk === 'string' ? utf8(chunk) : chunk;
    engine.input(bytes);
    apply(read(engine, engine._core.es_send(engine._handle, INPUT_CHUNK, bytes.length)));
    var time = reconnectionTime(engine);
    if (time !== retry) {
      retry = time;
      if (callbacks.onRetry) callbacks.onRetry(time);
    }
  }

  var parser = {
    /** A chunk: a Uint8Array of UTF-8 bytes, or a string. */
    feed: function (chunk) {
      if (engine) parse(chunk);
      else queue.push(chunk);
    },
    /** Discards what did not make an event yet: the partial line, the event being built, and
     * the BOM state (a fresh stream may start with one). */
    reset: function () {
      if (engine) engine.send(INPUT_STREAM, STREAM_RESET);
      else queue = [];
    },
    /** Gives the engine's memory back; the parser is unusable afterwards. */
    free: function () {
      if (engine) engine.free();
      engine = null;
      queue = null;
    },
    ready: null,
  };
  var whenReady = function (ready) {
    loadCore(function (loaded) {
      if (!queue) return ready();
      core = loaded;
      start();
      for (var i = 0; i < queue.length; i++) parse(queue[i]);
      queue = [];
      ready();
    }, callbacks.onError || function () {});
  };
  if (typeof g.Promise === 'function') parser.ready = new g.Promise(whenReady);
  else whenReady(function () {});
  return parser;
}

/** A TransformStream from bytes (or strings) to events `{ type, data, id, retry }`; options: onRetry,
 * maxEventSize (an event past it errors the stream). */
export function createParserStream(options) {
  options = options || {};
  var parser;
  return new g.TransformStream({
    start: function (controller) {
      parser = createParser({
        onEvent: function (event) { controller.enqueue(event); },
        onRetry: options.onRetry,
        onError: function (error) { controller.error(error); },
        maxEventSize: options.maxEventSize,
      });
      return parser.ready;
    },
    transform: function (chunk) { parser.feed(chunk); },
    flush: function () { parser.free(); },
  });
}
