// npm entry: the EventSource class, without touching globals; with fromReadableStream() (the
// script-tag files go without it, for size).
export { EventSource } from './from-stream.js';
