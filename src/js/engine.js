// One EventSource's handle on the Rust engine: copies input in, reads command batches out.
// Op codes mirror src/abi.rs.
export const OP_CONNECT = 1;
export const OP_ABORT = 2;
export const OP_ARM_TIMER = 3;
export const OP_CANCEL_TIMER = 4;
export const OP_READY_STATE = 5;
export const OP_OPEN = 6;
export const OP_MESSAGE = 7;
export const OP_TYPE = 8;
export const OP_ID = 9;
export const OP_ERROR = 10;

const utf8 = new TextDecoder();

/**
 * A batch of commands: `ops` (op codes and numeric arguments) and `texts` (the strings the ops
 * consume, in order).
 * @typedef {{ops: Uint32Array, texts: string[]}} Batch
 */

export class Engine {
  constructor(wasm, maxEventSize) {
    this.wasm = wasm;
    this.handle = wasm.es_new(maxEventSize >>> 0);
  }

  /** Copies bytes into the engine's input buffer. */
  input(bytes) {
    const ptr = this.wasm.es_input(this.handle, bytes.length);
    new Uint8Array(this.wasm.memory.buffer, ptr, bytes.length).set(bytes);
  }

  /** Reads the batch behind a header pointer returned by an es_* input. */
  batch(header) {
    const memory = this.wasm.memory.buffer;
    const [opsPtr, opsLen, textPtr, textLen] = new Uint32Array(memory, header, 4);
    // Copied out: a listener may close this source or create another one, reusing or growing
    // wasm memory while the batch is still being dispatched.
    const ops = new Uint32Array(memory, opsPtr, opsLen).slice();
    const texts = textLen ? utf8.decode(new Uint8Array(memory, textPtr, textLen)).split('\r') : [];
    return { ops, texts };
  }

  start() { return this.batch(this.wasm.es_start(this.handle)); }

  response(status, contentType) {
    const hasType = contentType !== null;
    if (hasType) this.input(encodeLatin1(contentType));
    return this.batch(this.wasm.es_response(this.handle, status, hasType ? 1 : 0));
  }

  chunk(bytes) {
    this.input(bytes);
    return this.batch(this.wasm.es_chunk(this.handle, bytes.length));
  }

  end(networkError) { return this.batch(this.wasm.es_end(this.handle, networkError ? 1 : 0)); }

  timer() { return this.batch(this.wasm.es_timer(this.handle)); }

  close() { return this.batch(this.wasm.es_close(this.handle)); }

  free() {
    if (this.handle) this.wasm.es_free(this.handle);
    this.handle = 0;
  }
}

/** Header values are byte strings: one char per byte. */
function encodeLatin1(text) {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The UTF-8 bytes of a string as a byte string, the form fetch and XHR take for header values. */
export function utf8ByteString(text) {
  return unescape(encodeURIComponent(text));
}
