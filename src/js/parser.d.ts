// 'eventsource-wasm/parser': the EventSource's parser for applications that fetch by themselves.

/** One event, as the EventSource would dispatch it as a MessageEvent. */
export interface ParsedEvent {
  /** The event type: the `event` field, or "message". */
  type: string;
  data: string;
  /** The last event ID string (sticky across events, as MessageEvent.lastEventId). */
  id: string;
  /** Milliseconds, when the event's own block had a valid `retry` field (onRetry reports every
   * one, with or without an event). */
  retry: number | undefined;
}

export interface ParserCallbacks {
  onEvent(event: ParsedEvent): void;
  /** A `retry` field changed the reconnection time (milliseconds). */
  onRetry?(milliseconds: number): void;
  /** An event passed maxEventSize (the parser then starts afresh), or the engine cannot load. */
  onError?(error: unknown): void;
  /** Bytes one event may hold (data and type as received); none by default. */
  maxEventSize?: number;
}

export interface EventStreamParser {
  /** UTF-8 bytes, or a string. Before the engine is ready, chunks wait for it. Throws once the
   * parser is freed, or when its engine could not load (the reason). */
  feed(chunk: Uint8Array | string): void;
  /** Discards the partial line, the event being built and the BOM state (a new stream follows). */
  reset(): void;
  /** Gives the engine's memory back; the parser is unusable afterwards. */
  free(): void;
  /** Resolves once the engine is ready and queued chunks are parsed; rejects with the reason
   * when the engine cannot load (e.g. a Content-Security-Policy refusing WebAssembly). */
  readonly ready: Promise<void>;
}

export function createParser(callbacks: ParserCallbacks): EventStreamParser;

export interface ParserStreamOptions {
  onRetry?(milliseconds: number): void;
  /** An event past it errors the stream. */
  maxEventSize?: number;
}

/** Bytes (or strings) in, events out. */
export function createParserStream(options?: ParserStreamOptions): TransformStream<Uint8Array | string, ParsedEvent>;
