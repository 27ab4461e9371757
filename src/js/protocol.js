// The batch protocol between the engine and this face. GENERATED from src/abi/protocol.rs:
// do not edit. `cargo test` fails when this file is not what that definition renders;
// `UPDATE_PROTOCOL=1 cargo test` rewrites it. `const`: the minifier writes each number
// where it is used (scripts/build.mjs).
//
// An engine input returns a batch: `ops`, u32s where each op code is followed by its numeric
// arguments, and `texts`, consumed in order by the ops that take one. Ops that set decoder
// state come before the state is first read and again whenever it changes; the decoder
// keeps it for the engine's life.

/** Start a request. Argument: how the last event ID travels (`ID_HEADER_*`). Text: the last event ID, sent as `Last-Event-ID` when not empty and the argument is `ID_HEADER_SEND`. (1 argument, 1 text) */
export const OP_CONNECT = 1;

/** Abort the request in flight. (0 arguments) */
export const OP_ABORT = 2;

/** Arm the reconnection timer (replacing an armed one). Argument: milliseconds, at most `MAX_TIMER_MS`. (1 argument) */
export const OP_ARM_TIMER = 3;

/** Cancel the reconnection timer. (0 arguments) */
export const OP_CANCEL_TIMER = 4;

/** Set `readyState`. Argument: 0 (`CONNECTING`), 1 (`OPEN`) or 2 (`CLOSED`, final). (1 argument) */
export const OP_READY_STATE = 5;

/** Fire `open`. (0 arguments) */
export const OP_OPEN = 6;

/** Fire a `MessageEvent`. Argument: the reconnection time a `retry` field of the event's block set, at most `UNSET - 1` (`UNSET`: none, the engine's `NO_RETRY`; the parser API reports it, the EventSource ignores it). Text: its data; its type and last event ID are the decoder state. (1 argument, 1 text) */
export const OP_MESSAGE = 7;

/** Set the event type of the messages that follow. (sets the decoder's event type to its text) */
export const OP_TYPE = 8;

/** Set the last event ID of the messages that follow. (sets the decoder's last event ID to its text) */
export const OP_ID = 9;

/** Fire `error`. Arguments: the reason (an index into `REASONS`), the response's status (0: none), and the milliseconds until the reconnection (`UNSET`: none follows, CLOSED). (3 arguments) */
export const OP_ERROR = 10;

/** Arm the heartbeat watchdog (replacing an armed one). Argument: milliseconds, at most `MAX_TIMER_MS`. (1 argument) */
export const OP_ARM_HEARTBEAT = 11;

/** Cancel the heartbeat watchdog. (0 arguments) */
export const OP_CANCEL_HEARTBEAT = 12;

/** Ask the page's `reconnect` function, then answer with `INPUT_DECIDE`. Arguments as `ERROR`'s: the engine's own proposal. (3 arguments) */
export const OP_DECIDE = 13;

/** Bit `1 << code` is set for each op that takes a text. */
export const OP_TEXTS = 898;

// The engine's inputs, as es_send takes them (then three numbers).
export const INPUT_START = 0;
export const INPUT_END = 1;
export const INPUT_DECIDE = 2;
export const INPUT_TIMER = 3;
export const INPUT_HEARTBEAT = 4;
export const INPUT_RECYCLE = 5;
export const INPUT_RESUME = 6;
export const INPUT_STREAM = 7;
export const INPUT_CLOSE = 8;
export const INPUT_RESPONSE = 9;
export const INPUT_CHUNK = 10;
export const INPUT_INFO = 11;

// How a response ended, as INPUT_END takes it.
export const BODY_ENDED = 0;
export const BODY_FAILED = 1;
export const REQUEST_FAILED = 2;
export const CROSS_ORIGIN_REQUEST_FAILED = 3;
export const ABORTED = 4;
export const IMPOSSIBLE = 5;
export const HEADERS_REFUSED = 6;
export const HEADERS_FAILED = 7;

// What INPUT_STREAM is told about an application's stream (fromReadableStream, the parser).
export const STREAM_START = 0;
export const STREAM_DATA = 1;
export const STREAM_END = 2;
export const STREAM_RESET = 3;

/** "Not set", for the inputs' optional numbers. */
export const UNSET = 4294967295;

/** The backoff factor 1.0, in the millionths es_new takes (below it: no backoff). */
export const FACTOR_ONE = 1000000;

/** es_new's flag for reconnectOnError. */
export const FLAG_RECONNECT_ON_ERROR = 1;

/** es_new's flag for the reconnect option. */
export const FLAG_DECIDES = 2;

/** INPUT_DECIDE: the engine's proposal. */
export const DECIDE_DEFAULT = 0;

/** INPUT_DECIDE: fail the connection. */
export const DECIDE_FAIL = 1;

/** INPUT_DECIDE: reconnect (after the delay given, UNSET: the engine's). */
export const DECIDE_RECONNECT = 2;

/** CONNECT: send the last event ID as Last-Event-ID. */
export const ID_HEADER_SEND = 0;

/** CONNECT: without Last-Event-ID, to learn whether a CORS preflight refused it. */
export const ID_HEADER_PROBE = 1;

/** CONNECT: without Last-Event-ID, which the server's CORS preflight refuses. */
export const ID_HEADER_REFUSED = 2;

/** The longest wait a timer op carries. */
export const MAX_TIMER_MS = 2147483647;

/** Each op's number of arguments, by op code. */
export const OP_ARGS = [0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 3, 1, 0, 3];

/** The error event's reasons, by the code ERROR and DECIDE carry. */
export const REASONS = /* @__PURE__ */ 'network status content-type cors heartbeat too-large retries-exhausted ended aborted request headers'.split(' ');
