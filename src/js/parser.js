// 'eventsource-wasm/parser': the engine's event stream parser for applications that fetch by
// themselves (POST bodies, LLM token streams, GraphQL subscriptions): bytes or strings in, events
// out, by callbacks (createParser) or as a TransformStream (createParserStream). Same parsing as
// the EventSource (the same Rust parser), in a module of its own (src/abi/parse.rs, the `sp_*`
// exports): the EventSource's files pay nothing for it. One call per chunk; an event's data comes
// back as offsets into the chunk, sliced from the chunk's one decode, or as a text of the batch.
// ES5 syntax.
import { loadCore, decodeUtf8 } from 'eventsource:platform';
import { g } from './global.js';
import { UNSET } from './protocol.js';
import { PARSE_SPAN, PARSE_TEXT, PARSE_TYPE, PARSE_ID, PARSE_RETRY } from './parse-protocol.js';

var textEncoder = typeof g.TextEncoder === 'function' ? new g.TextEncoder() : null;

/** A string's UTF-8 bytes. */
function utf8(text) {
  if (textEncoder) return textEncoder.encode(text);
  // Where there is no TextEncoder: the UTF-8 bytes as a byte string.
  var binary = unescape(encodeURIComponent(text));
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// The dispatches under way whose records are read where the engine wrote them (no copy). Any
// parser's call into the engine may overwrite them or grow its memory (onEvent may feed, reset or
// free this parser or another one of the module): before such a call they take them out.
var reading = [];

function takeRecordsOut() {
  for (var k = 0; k < reading.length; k++) reading[k].ops = reading[k].ops.slice();
  reading.length = 0;
}

/** A record's retry number as the event carries it. */
function retryOf(value) {
  return value === UNSET ? undefined : value;
}

/**
 * callbacks: onEvent({ type, data, id, retry }) per event (type "message" when the stream names
 * none; id the last event ID string, as MessageEvent.lastEventId; retry the milliseconds of a
 * `retry` field in the event's own block, else undefined); onRetry(ms) when a `retry` field changes
 * the reconnection time; onError(error) when an event passes maxEventSize (bytes; the parser then
 * starts afresh), or with the reason the engine could not load. Chunks fed before the engine is
 * ready (the first parser of a page) are parsed once it is; `ready` is a promise for that moment
 * where promises exist, rejected with the reason when the engine cannot load. A parser without an
 * engine (freed, or whose engine could not load) throws on feed(): nothing is dropped unseen.
 */
export function createParser(callbacks) {
  var queue = [];
  // Why the engine could not load (feed() throws it), once known.
  var failure = null;
  var core = null;
  var handle = 0;
  // What the engine's TYPE and ID records set; the engine starts from these too.
  var type = 'message';
  var id = '';
  var onEvent = callbacks.onEvent;

  function parse(chunk) {
    if (reading.length) takeRecordsOut();
    var string = typeof chunk === 'string';
    var bytes = string ? utf8(chunk) : chunk;
    var length = bytes.length;
    var at = core.sp_input(handle, length);
    new Uint8Array(core.memory.buffer, at, length).set(bytes);
    var header = core.sp_chunk(handle);
    // Read after the call: the engine's memory may have grown (a new buffer).
    var buffer = core.memory.buffer;
    var head = new Uint32Array(buffer, header, 5);
    // Decoded (texts, chunk) before any callback; the records are read in place, taken out only if
    // a callback runs the engine again (takeRecordsOut).
    var n = head[1];
    var records = { ops: new Uint32Array(buffer, head[0], n) };
    var texts = head[3] ? decodeUtf8(new Uint8Array(buffer, head[2], head[3] - 1)).split('\r') : null;
    // The chunk's ASCII start, which SPAN records slice: a string's own characters are its bytes there.
    var text = !head[4] ? '' : string ? chunk : decodeUtf8(new Uint8Array(buffer, at, head[4]));
    reading.push(records);
    try {
      dispatch(records, n, texts, text);
    } finally {
      if (reading[reading.length - 1] === records) reading.pop();
    }
  }

  /** Fires the events of a chunk's `n` record numbers (`records.ops`, which a callback may have
   * had taken out): records of four, a code and up to three. */
  function dispatch(records, n, texts, text) {
    for (var i = 0, t = 0, ops = records.ops; i < n; i += 4, ops = records.ops) {
      var op = ops[i];
      // Most records are events sliced from the chunk: one test, then the next record.
      if (op === PARSE_SPAN) {
        onEvent({ type: type, data: text.slice(ops[i + 1], ops[i + 2]), id: id, retry: retryOf(ops[i + 3]) });
      } else if (op === PARSE_TEXT) {
        onEvent({ type: type, data: texts[t++], id: id, retry: retryOf(ops[i + 1]) });
      } else if (op === PARSE_TYPE) {
        type = texts[t++];
      } else if (op === PARSE_ID) {
        id = texts[t++];
      } else if (op === PARSE_RETRY) {
        if (callbacks.onRetry) callbacks.onRetry(ops[i + 1]);
      } else {
        // PARSE_TOO_LARGE: the engine started afresh.
        type = 'message';
        id = '';
        if (callbacks.onError) callbacks.onError(new Error('The event is larger than maxEventSize.'));
        return;
      }
    }
  }

  var parser = {
    /** A chunk: a Uint8Array of UTF-8 bytes, or a string. */
    feed: function (chunk) {
      if (handle) parse(chunk);
      else if (queue) queue.push(chunk);
      else throw failure || new Error('The parser was freed.');
    },
    /** Discards what did not make an event yet: the partial line, the event being built, and
     * the BOM state (a fresh stream may start with one). */
    reset: function () {
      if (handle) {
        if (reading.length) takeRecordsOut();
        core.sp_reset(handle);
      }
      else if (queue) queue = [];
    },
    /** Gives the engine's memory back; the parser is unusable afterwards. */
    free: function () {
      if (handle) {
        if (reading.length) takeRecordsOut();
        core.sp_free(handle);
      }
      handle = 0;
      queue = null;
    },
    ready: null,
  };
  var whenReady = function (ready, refused) {
    loadCore(function (loaded) {
      if (!queue) return ready();
      core = loaded;
      handle = core.sp_new(callbacks.maxEventSize === undefined || callbacks.maxEventSize === null ||
        !(callbacks.maxEventSize < UNSET) ? UNSET : Math.floor(callbacks.maxEventSize) >>> 0);
      for (var i = 0; i < queue.length; i++) parse(queue[i]);
      queue = [];
      ready();
    }, function (error) {
      // The chunks waiting for it are dropped; the next feed() throws.
      failure = error;
      queue = null;
      if (callbacks.onError) callbacks.onError(error);
      refused(error);
    });
  };
  if (typeof g.Promise === 'function') {
    parser.ready = new g.Promise(whenReady);
    // A page that never looks at `ready` learns of the failure from onError or feed(), not from an
    // unhandled rejection.
    parser.ready['catch'](function () {});
  } else {
    whenReady(function () {}, function () {});
  }
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
