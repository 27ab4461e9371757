// Types for eventsource-wasm: the same shape as lib.dom's EventSource.

export interface EventSourceInit {
  withCredentials?: boolean;
  /** Request headers, or a function giving them before every request. */
  headers?: HeadersInit | ((request: { lastEventId: string; attempt: number; failure: EventSourceErrorDetails | null }) => HeadersInit | PromiseLike<HeadersInit>);
  /** Decides what follows each failure: false fails, true/undefined is the default, a number is the delay in ms. */
  reconnect?: (error: EventSourceErrorDetails) => EventSourceDecision | PromiseLike<EventSourceDecision>;
}

export type EventSourceDecision = boolean | number | undefined | { delay?: number; headers?: HeadersInit };

/** The own properties of every `error` event. */
export interface EventSourceErrorDetails {
  reason: 'network' | 'status' | 'content-type' | 'cors' | 'heartbeat' | 'too-large' | 'retries-exhausted' | 'ended' | 'aborted' | 'engine' | 'request' | 'headers';
  status: number;
  headers: Headers | null;
  willReconnect: boolean;
  reconnectDelay: number | null;
  cause: unknown;
}

export interface EventSourceEventMap {
  error: Event;
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
  onerror: ((this: EventSource, ev: Event) => any) | null;
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

