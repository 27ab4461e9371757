// The page-facing EventSource: a real EventTarget whose decisions all come from the Rust engine.
// This file only does I/O (fetch, timers) and event dispatch.
// Spec: WHATWG HTML Standard, section "Server-sent events".
import { loadEngine } from './wasm.js';
import {
  Engine, utf8ByteString,
  OP_CONNECT, OP_ABORT, OP_ARM_TIMER, OP_CANCEL_TIMER, OP_READY_STATE,
  OP_OPEN, OP_MESSAGE, OP_TYPE, OP_ID, OP_ERROR,
} from './engine.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

export class EventSource extends EventTarget {
  #url;
  #withCredentials;
  #readyState = CONNECTING;
  #engine = null;
  #controller = null;
  #timer = 0;
  #origin = '';
  #eventType = 'message';
  #lastEventId = '';
  #handlers = { open: null, message: null, error: null };
  #listeners = { open: null, message: null, error: null };

  constructor(url, eventSourceInitDict = undefined) {
    super();
    if (arguments.length < 1) {
      throw new TypeError("Failed to construct 'EventSource': 1 argument required, but only 0 present.");
    }
    if (eventSourceInitDict !== undefined && eventSourceInitDict !== null
      && typeof eventSourceInitDict !== 'object' && typeof eventSourceInitDict !== 'function') {
      throw new TypeError("Failed to construct 'EventSource': The provided value is not of type 'EventSourceInit'.");
    }
    // Spec: the constructor, steps 3-5: parse url against the API base URL; failure is a
    // "SyntaxError" DOMException.
    const input = String(url);
    let parsed;
    try {
      parsed = baseURL() === undefined ? new URL(input) : new URL(input, baseURL());
    } catch {
      throw new DOMException(`Failed to construct 'EventSource': The URL '${input}' is invalid.`, 'SyntaxError');
    }
    this.#url = parsed.href;
    // Spec: step 6: withCredentials from the dictionary.
    this.#withCredentials = Boolean(eventSourceInitDict && eventSourceInitDict.withCredentials);
    // The engine may still be compiling: the object works at once and connects when it is ready.
    loadEngine().then((wasm) => {
      if (this.#readyState === CLOSED) return;
      this.#engine = new Engine(wasm, 0);
      this.#run(this.#engine.start());
    }, () => this.#failWithoutEngine());
  }

  get url() { return this.#url; }
  get withCredentials() { return this.#withCredentials; }
  get readyState() { return this.#readyState; }

  get onopen() { return this.#handlers.open; }
  set onopen(value) { this.#setHandler('open', value); }
  get onmessage() { return this.#handlers.message; }
  set onmessage(value) { this.#setHandler('message', value); }
  get onerror() { return this.#handlers.error; }
  set onerror(value) { this.#setHandler('error', value); }

  close() {
    if (this.#engine) {
      this.#run(this.#engine.close());
    } else {
      this.#readyState = CLOSED;
    }
  }

  // HTML "event handler IDL attributes": the handler is an ordinary listener, added where it was
  // first set; setting null removes it, so setting it again later adds it at the end.
  #setHandler(type, value) {
    const handler = typeof value === 'function' || (typeof value === 'object' && value !== null) ? value : null;
    this.#handlers[type] = handler;
    if (handler === null) {
      if (this.#listeners[type]) this.removeEventListener(type, this.#listeners[type]);
      this.#listeners[type] = null;
    } else if (!this.#listeners[type]) {
      const listener = (event) => {
        const current = this.#handlers[type];
        if (typeof current === 'function') return current.call(this, event);
      };
      this.#listeners[type] = listener;
      this.addEventListener(type, listener);
    }
  }

  // Carries out a batch of engine commands in order. Each event gets its own microtask turn, so
  // promise callbacks a listener queues run before the next event, as they do between the spec's
  // separate tasks; a listener or such a callback may call close(), which ends the batch.
  async #run({ ops, texts }) {
    let text = 0;
    for (let i = 0; i < ops.length; i++) {
      switch (ops[i]) {
        case OP_CONNECT: this.#connect(texts[text++]); break;
        case OP_ABORT: this.#abort(); break;
        case OP_ARM_TIMER: this.#armTimer(ops[++i]); break;
        case OP_CANCEL_TIMER: clearTimeout(this.#timer); this.#timer = 0; break;
        case OP_READY_STATE:
          this.#readyState = ops[++i];
          if (this.#readyState === CLOSED) this.#release();
          break;
        case OP_OPEN:
          if (!(await this.#fire(new Event('open')))) return;
          break;
        case OP_ERROR:
          if (!(await this.#fire(new Event('error')))) return;
          break;
        case OP_TYPE: this.#eventType = texts[text++]; break;
        case OP_ID: this.#lastEventId = texts[text++]; break;
        case OP_MESSAGE: {
          const event = new MessageEvent(this.#eventType, {
            data: texts[text++], origin: this.#origin, lastEventId: this.#lastEventId,
          });
          if (!(await this.#fire(event))) return;
          break;
        }
      }
    }
  }

  // Dispatches one event; false when the source is CLOSED afterwards (it failed, or a listener
  // called close()), so the rest of the batch must not happen: the spec's queued tasks each check
  // readyState before dispatching.
  async #fire(event) {
    this.dispatchEvent(event);
    await null;
    return this.#readyState !== CLOSED;
  }

  // Spec: the fetch the constructor and "reestablish the connection" start.
  #connect(lastEventId) {
    const controller = new AbortController();
    this.#controller = controller;
    const headers = { Accept: 'text/event-stream' };
    if (lastEventId) headers['Last-Event-ID'] = utf8ByteString(lastEventId);
    const current = () => this.#controller === controller && this.#engine !== null;
    const networkError = () => { if (current()) this.#run(this.#engine.end(true)); };
    fetch(this.#url, {
      headers,
      mode: 'cors',
      credentials: this.#withCredentials ? 'include' : 'same-origin',
      cache: 'no-store',
      redirect: 'follow',
      signal: controller.signal,
    }).then((response) => {
      if (!current()) return;
      this.#origin = response.url ? new URL(response.url).origin : new URL(this.#url).origin;
      return this.#run(this.#engine.response(response.status, response.headers.get('content-type')))
        .then(() => {
          if (!current() || this.#readyState !== OPEN || !response.body) return;
          const reader = response.body.getReader();
          // One chunk at a time: the next read starts once the previous batch is dispatched.
          const pump = () => reader.read().then(({ done, value }) => {
            if (!current()) return;
            return this.#run(done ? this.#engine.end(false) : this.#engine.chunk(value))
              .then(() => { if (!done && current()) pump(); });
          }, networkError);
          pump();
        });
    }, networkError);
  }

  #abort() {
    const controller = this.#controller;
    this.#controller = null;
    if (controller) controller.abort();
  }

  #armTimer(milliseconds) {
    this.#timer = setTimeout(() => {
      this.#timer = 0;
      if (this.#engine) this.#run(this.#engine.timer());
    }, milliseconds);
  }

  // CLOSED is final: let go of the engine's memory. Pending callbacks see no engine and stop.
  #release() {
    const engine = this.#engine;
    this.#engine = null;
    this.#controller = null;
    if (engine) engine.free();
  }

  #failWithoutEngine() {
    if (this.#readyState === CLOSED) return;
    this.#readyState = CLOSED;
    this.dispatchEvent(new Event('error'));
  }
}

function baseURL() {
  const g = globalThis;
  if (g.document && typeof g.document.baseURI === 'string') return g.document.baseURI;
  if (g.location && typeof g.location.href === 'string') return g.location.href;
  return undefined;
}

for (const [name, value] of [['CONNECTING', CONNECTING], ['OPEN', OPEN], ['CLOSED', CLOSED]]) {
  const descriptor = { value, enumerable: true, writable: false, configurable: false };
  Object.defineProperty(EventSource, name, descriptor);
  Object.defineProperty(EventSource.prototype, name, descriptor);
}
Object.defineProperty(EventSource.prototype, Symbol.toStringTag, { value: 'EventSource', configurable: true });
