// The contract of the `eventsource:platform` module: what the face (src/js/event-source.js,
// engine.js, script-tag.js) imports from it. scripts/engine-modules.mjs resolves it per output to
// modern.js (today's runtimes: WebAssembly, fetch streams, native events) or legacy.js (IE10/11,
// EdgeHTML: wasm2js engine, XHR where fetch cannot stream, event and URL stand-ins). Both export
// exactly these names; the build fails when they do not (checkPlatforms in engine-modules.mjs).
// A platform imports nothing from the face: what it needs to know comes in the request.

/** The engine's flat exports (src/abi.rs), WebAssembly or its wasm2js translation. */
export interface Core {
  memory: { buffer: ArrayBuffer };
  [es_export: string]: unknown;
}

/**
 * Instantiates the engine once per realm and calls `ready(core)` in a later task (at once when
 * already instantiated, modern only), or `fail(error)` when it cannot be (modern: no
 * WebAssembly, a CSP refusing it; in the script-tag build a refusal first loads the wasm2js engine
 * from eventsource.wasm2js.js, platform/wasm-fallback.js). The legacy platform never fails.
 */
export function loadCore(ready: (core: Core) => void, fail: (error: unknown) => void): void;

/** The constructor EventSource.prototype inherits from: the runtime's EventTarget, or a stand-in
 * (legacy) with addEventListener / removeEventListener / dispatchEvent; modern: Object where there
 * is no EventTarget (supported() is then false). */
export const BaseTarget: { new (): EventTarget; prototype: EventTarget };

/** The object the EventSource constructor returns for `self` (the `this` of `new`): a genuine
 * EventTarget whose prototype is self's (subclasses keep working), or self made a stand-in target. */
export function makeTarget<T extends object>(self: T): T & EventTarget;

/** A plain, non-bubbling, non-cancelable `Event` of this type (open, error). */
export function createEvent(type: string): Event;

/** Spec: "dispatch the event", step 7: a MessageEvent with data, origin and lastEventId. */
export function createMessageEvent(type: string, data: string, origin: string, lastEventId: string): MessageEvent;

/** Spec: the constructor, steps 3-4: `input` parsed against the API base URL (document base URL,
 * else the location), absolute; null when it does not parse. */
export function resolveUrl(input: string): string | null;

/** The serialized origin of an absolute URL ("null" for opaque origins). */
export function originOf(url: string): string;

/** A "SyntaxError" DOMException (legacy: an Error shaped like one, code 12) to throw. */
export function syntaxError(message: string): Error;

/** UTF-8 bytes (always valid: the engine's output) to a string. */
export function decodeUtf8(bytes: Uint8Array): string;

/** The index of the first (`indexOf`) or last (`lastIndexOf`) CR in `bytes` from `from` on (or
 * back), -1 if none: the engine's texts end in CR. */
export function findCr(method: 'indexOf' | 'lastIndexOf', bytes: Uint8Array, from: number): number;

/** Whether this runtime has everything the platform needs (modern); the script-tag file loads the
 * legacy build where it is false. Always true for legacy. */
export function supported(): boolean;

/** Calls `f` at the next microtask turn (modern: always; legacy: null where there are no
 * promises, and the face then dispatches a batch's events back to back). */
export const nextTurn: ((f: () => void) => void) | null;

/** Whether nextTurn is there (modern: the constant true). */
export const TURNS: boolean;

/** Whether this platform's transport may call `sink.restart()` (legacy: XMLHttpRequest keeps the
 * whole response). A constant: where false, the face gives no `restart` and no `responseLimit`. */
export const RESTARTS: boolean;

/** What the face asks a transport for (spec: the request the constructor and "reestablish the
 * connection" fetch). */
export interface Request {
  /** Absolute; with the Last-Event-ID query parameter when that option is set. */
  url: string;
  /** Final header list: Accept, Last-Event-ID (UTF-8 as a byte string), the `headers` option. */
  headers: Record<string, string>;
  /** Credentials mode "include" when true, else "same-origin". */
  withCredentials: boolean;
  /** Whether `url` leaves the document's origin (the face computes it): XHR sends its no-cache
   * headers only same-origin, where they need no CORS preflight. */
  crossOrigin: boolean;
  method: string;
  body: BodyInit | null;
  /** The `fetch` option: used instead of the global fetch (fetch transport). */
  fetch?: typeof fetch;
  /** The `xhrResponseLimit` option (given where RESTARTS): transports that keep the whole
   * response in memory (XHR's responseText) call sink.restart() once past this many characters
   * received (absent or 0: 4 MiB). Others ignore it. */
  responseLimit?: number;
}

/**
 * How a request ended, as `sink.end` reports it. The values are those the engine's INPUT_END
 * takes (src/abi/protocol.rs), except that the face turns REQUEST_FAILED into CROSS_ORIGIN_REQUEST_FAILED
 * (3) for cross-origin requests.
 */
export const enum End {
  /** The body ended normally. */
  BODY_ENDED = 0,
  /** A network error after the response head. */
  BODY_FAILED = 1,
  /** A network error before any response head. */
  REQUEST_FAILED = 2,
  /** Aborted by the page, not by `abort()` (window.stop()): an "aborted network error". */
  ABORTED = 4,
}

/**
 * Where a transport reports what happened. Order: `response` at most once, when the head arrives
 * after redirects; then `chunk` per body chunk, each only after the previous call's `resume()`
 * (the first after `response`'s); `restart` at most once, between chunks (from within a resume);
 * `end` exactly once, last, unless `abort()` came first, or the sink never resumed (it wants no
 * more: the engine failed or closed). Nothing is called after `abort()`.
 */
export interface Sink {
  /** `headers`: the response's Headers (fetch), or an object with its `get` (XHR). */
  response(status: number, header: (name: string) => string | null, finalUrl: string, resume: () => void,
    headers?: Headers | null): void;
  chunk(bytes: Uint8Array, resume: () => void): void;
  /** More than request.responseLimit has been received and the body has not ended: the face
   * asks the engine to restart the request at the next event boundary (invisible to the page).
   * Given where RESTARTS. */
  restart?(): void;
  end(how: End): void;
}

/** A request in flight. `abort()` ends it silently (no sink call after it); idempotent. */
export interface Connection {
  abort(): void;
}

/** Starts a request: fetch with a streamed body (fetch.js), else XMLHttpRequest (xhr.js, legacy). */
export function open(request: Request, sink: Sink): Connection;

/** Reads an application's stream (EventSource.fromReadableStream()) through `reader`, its locked
 * default reader: `chunk` per Uint8Array (the next read waits for `resume`), then `end(BODY_ENDED)`
 * when the stream closes or `end(BODY_FAILED)` when it errors or yields anything but a
 * Uint8Array. `abort()` cancels the stream; nothing is called after it. */
export function readStream(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  sink: Pick<Sink, 'chunk' | 'end'>,
): Connection;
