// The batch protocol between the engine and this face. GENERATED from src/abi/protocol.rs:
// do not edit. `cargo test` fails when this file is not what that definition renders;
// `UPDATE_PROTOCOL=1 cargo test` rewrites it. ES5 syntax.
//
// An engine input returns a batch: `ops`, u32s where each op code is followed by its numeric
// arguments, and `texts`, consumed in order by the ops that take one. Ops that set decoder
// state come before the state is first read and again whenever it changes; the decoder
// keeps it for the engine's life.

/** Start a request. Argument: how the last event ID travels (`ID_HEADER_*`). Text: the last event ID, sent as `Last-Event-ID` when not empty and the argument is `ID_HEADER_SEND`. (1 argument, 1 text) */
export var OP_CONNECT = 1;

/** Abort the request in flight. (0 arguments) */
export var OP_ABORT = 2;

/** Arm the reconnection timer (replacing an armed one). Argument: milliseconds, at most `MAX_TIMER_MS`. (1 argument) */
export var OP_ARM_TIMER = 3;

/** Cancel the reconnection timer. (0 arguments) */
export var OP_CANCEL_TIMER = 4;

/** Set `readyState`. Argument: 0 (`CONNECTING`), 1 (`OPEN`) or 2 (`CLOSED`, final). (1 argument) */
export var OP_READY_STATE = 5;

/** Fire `open`. (0 arguments) */
export var OP_OPEN = 6;

/** Fire a `MessageEvent`. Argument: the reconnection time a `retry` field of the event's block set, at most `UNSET - 1` (`UNSET`: none, the engine's `NO_RETRY`; the parser API reports it, the EventSource ignores it). Text: its data; its type and last event ID are the decoder state. (1 argument, 1 text) */
export var OP_MESSAGE = 7;

/** Set the event type of the messages that follow. (sets the decoder's event type to its text) */
export var OP_TYPE = 8;

/** Set the last event ID of the messages that follow. (sets the decoder's last event ID to its text) */
export var OP_ID = 9;

/** Fire `error`. Arguments: the reason (an index into `REASONS`), the response's status (0: none), and the milliseconds until the reconnection (`UNSET`: none follows, CLOSED). (3 arguments) */
export var OP_ERROR = 10;

/** Arm the heartbeat watchdog (replacing an armed one). Argument: milliseconds, at most `MAX_TIMER_MS`. (1 argument) */
export var OP_ARM_HEARTBEAT = 11;

/** Cancel the heartbeat watchdog. (0 arguments) */
export var OP_CANCEL_HEARTBEAT = 12;

/** Ask the page's `reconnect` function, then answer with `INPUT_DECIDE`. Arguments as `ERROR`'s: the engine's own proposal. (3 arguments) */
export var OP_DECIDE = 13;

/** Each op's number of arguments, by op code. */
export var OP_ARGS = [0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 3, 1, 0, 3];

/** Bit `1 << code` is set for each op that takes a text. */
export var OP_TEXTS = 898;

/** The error event's reasons, by the code ERROR and DECIDE carry. */
export var REASONS = 'network status content-type cors heartbeat too-large retries-exhausted ended aborted request headers'.split(' ');

// The engine's inputs, as es_send takes them (then three numbers).
export var INPUT_START = 0;
export var INPUT_END = 1;
export var INPUT_DECIDE = 2;
export var INPUT_TIMER = 3;
export var INPUT_HEARTBEAT = 4;
export var INPUT_RECYCLE = 5;
export var INPUT_RESUME = 6;
export var INPUT_STREAM = 7;
export var INPUT_CLOSE = 8;
export var INPUT_RESPONSE = 9;
export var INPUT_CHUNK = 10;
export var INPUT_INFO = 11;

// How a response ended, as INPUT_END takes it.
export var BODY_ENDED = 0;
export var BODY_FAILED = 1;
export var REQUEST_FAILED = 2;
export var CROSS_ORIGIN_REQUEST_FAILED = 3;
export var ABORTED = 4;
export var IMPOSSIBLE = 5;
export var HEADERS_REFUSED = 6;
export var HEADERS_FAILED = 7;

// What INPUT_STREAM is told about an application's stream (fromReadableStream, the parser).
export var STREAM_START = 0;
export var STREAM_DATA = 1;
export var STREAM_END = 2;
export var STREAM_RESET = 3;

/** "Not set", for the inputs' optional numbers. */
export var UNSET = 4294967295;

/** The backoff factor 1.0, in the millionths es_new takes (below it: no backoff). */
export var FACTOR_ONE = 1000000;

/** es_new's flag for reconnectOnError. */
export var FLAG_RECONNECT_ON_ERROR = 1;

/** es_new's flag for the reconnect option. */
export var FLAG_DECIDES = 2;

/** INPUT_DECIDE: the engine's proposal. */
export var DECIDE_DEFAULT = 0;

/** INPUT_DECIDE: fail the connection. */
export var DECIDE_FAIL = 1;

/** INPUT_DECIDE: reconnect (after the delay given, UNSET: the engine's). */
export var DECIDE_RECONNECT = 2;

/** CONNECT: send the last event ID as Last-Event-ID. */
export var ID_HEADER_SEND = 0;

/** CONNECT: without Last-Event-ID, to learn whether a CORS preflight refused it. */
export var ID_HEADER_PROBE = 1;

/** CONNECT: without Last-Event-ID, which the server's CORS preflight refuses. */
export var ID_HEADER_REFUSED = 2;

/** The longest wait a timer op carries. */
export var MAX_TIMER_MS = 2147483647;
