// Types for eventsource-wasm: the same shape as lib.dom's EventSource.

/** What the headers function gets before each request. */
export interface EventSourceRequest {
  /** The last event ID string (sent as `Last-Event-ID` when not empty). */
  lastEventId: string;
  /** 0 for the first request, then the failed attempts since the last open. */
  attempt: number;
  /** The last error's details, or null. */
  failure: EventSourceErrorDetails | null;
}

/** Request headers: an object of names and values, or a `Headers` (a list of pairs is refused:
 * wrap it in `new Headers(pairs)`). */
export type EventSourceHeaders = Record<string, string> | Headers;

/**
 * The constructor's options. `withCredentials` is the standard's; the others are this package's
 * own (a native EventSource ignores them). Without them, behaviour is native. A wrong value throws
 * a TypeError naming the option.
 */
export interface EventSourceInit {
  withCredentials?: boolean;
  /** Request headers for every request, or a function giving them before every request (sync or
   * a promise; a TypeError fails the connection, any other failure retries). */
  headers?: EventSourceHeaders | ((request: EventSourceRequest) => EventSourceHeaders | PromiseLike<EventSourceHeaders>);
  /** Decides what follows each failure (see EventSourceDecision); absent: the spec's behaviour. */
  reconnect?: (error: EventSourceErrorDetails) => EventSourceDecision | PromiseLike<EventSourceDecision>;
  /** The request method (default GET); not CONNECT, TRACE or TRACK. */
  method?: string;
  /** The request body; not with GET or HEAD. */
  body?: BodyInit | null;
  /** The function that makes the requests (default: globalThis.fetch). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Milliseconds without a byte after which the connection is taken as dead and reestablished. */
  heartbeatTimeout?: number;
  /** Each consecutive failed reconnection multiplies the delay by this (at least 1; default 1). */
  backoffFactor?: number;
  /** Cap on the reconnection delay, in milliseconds. */
  maxReconnectDelay?: number;
  /** Up to this fraction (0 to 1) of each delay is taken off at random (default 0). */
  reconnectJitter?: number;
  /** After this many consecutive failures without an open, fail (default: unlimited). */
  maxRetries?: number;
  /** Retry after 5xx and 429 (waiting for Retry-After) and after network errors before the first
   * open, where native fails. */
  reconnectOnError?: boolean;
  /** Also send the last event ID as this query parameter (proxies that strip headers, cross-origin
   * servers whose CORS preflight refuses Last-Event-ID). */
  lastEventIdQueryParameter?: string;
  /** Bytes one event may hold (at least 1); a bigger one fails the connection. Default: unlimited. */
  maxEventSize?: number;
  /** Legacy XHR transport only: response bytes after which the request is restarted at the next
   * event boundary (default 4 MiB). */
  xhrResponseLimit?: number;
  /** true or a group name: same-origin pages share one connection (npm builds). */
  shared?: boolean | string;
  /** Reconnect at once when the page comes back (online, shown from the back/forward cache,
   * visible, resumed) where a reconnection waits or the stream went silent (npm builds). */
  reconnectOnResume?: boolean;
}

/** What a `reconnect` function returns: false fails (CLOSED), true or undefined takes the
 * engine's proposal, a number reconnects after that many milliseconds, an object reconnects
 * (after `delay`, or the usual delay) with these headers from now on. */
export type EventSourceDecision = boolean | number | undefined | { delay?: number; headers?: EventSourceHeaders };

/** Why an `error` event fired. */
export type EventSourceErrorReason =
  | 'network' | 'status' | 'content-type' | 'cors' | 'heartbeat' | 'too-large' | 'retries-exhausted'
  | 'ended' | 'aborted' | 'engine' | 'request' | 'headers';

/** The own properties of every `error` event. */
export interface EventSourceErrorDetails {
  reason: EventSourceErrorReason;
  /** The response's HTTP status; 0 without a response. */
  status: number;
  /** The response's headers where there was a response (legacy transport: an object with get()). */
  headers: Pick<Headers, 'get'> | null;
  willReconnect: boolean;
  /** Milliseconds until the reconnection, or null. */
  reconnectDelay: number | null;
  /** The underlying JS error where there is one, else null. */
  cause: unknown;
}

/** An `error` event: a plain Event carrying the details. */
export type EventSourceErrorEvent = Event & EventSourceErrorDetails;

export interface EventSourceEventMap {
  error: EventSourceErrorEvent;
  message: MessageEvent;
  open: Event;
}

export declare class EventSource extends EventTarget {
  constructor(url: string | URL, eventSourceInitDict?: EventSourceInit);
  static readonly CONNECTING: 0;
  static readonly OPEN: 1;
  static readonly CLOSED: 2;
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSED: 2;
  /** 0 (CONNECTING), 1 (OPEN) or 2 (CLOSED). */
  readonly readyState: 0 | 1 | 2;
  /** The absolute URL of the event stream. */
  readonly url: string;
  readonly withCredentials: boolean;
  onerror: ((this: EventSource, ev: EventSourceErrorEvent) => any) | null;
  onmessage: ((this: EventSource, ev: MessageEvent) => any) | null;
  onopen: ((this: EventSource, ev: Event) => any) | null;
  /** Aborts the connection and any reconnection; no event fires afterwards. */
  close(): void;
  /**
   * A source that parses `stream` instead of fetching (proposed: whatwg/html#12272). It locks the
   * stream at once (a locked stream, or anything else, is a TypeError), is CONNECTING until the
   * first bytes, then OPEN; its `url` is `about:event-stream` and its messages' `origin` "null".
   * The stream's end or error fires `error` and leaves it CLOSED: it never reconnects. npm
   * entries only (not the script-tag files).
   */
  static fromReadableStream(stream: ReadableStream<Uint8Array>): EventSource;
  /** The last event ID string: what a reconnection would send as `Last-Event-ID`. */
  readonly lastEventId: string;
  /** The reconnection time in milliseconds (3000 until a `retry` field sets it). */
  readonly reconnectionTime: number;
  /** Discards what was read and did not make an event yet, so that a fresh stream can follow. */
  reset(): void;
  addEventListener<K extends keyof EventSourceEventMap>(type: K, listener: (this: EventSource, ev: EventSourceEventMap[K]) => any, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: (this: EventSource, event: MessageEvent) => any, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof EventSourceEventMap>(type: K, listener: (this: EventSource, ev: EventSourceEventMap[K]) => any, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: (this: EventSource, event: MessageEvent) => any, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

