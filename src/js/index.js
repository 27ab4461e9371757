// npm entry: the EventSource class, without touching globals.
export { EventSource } from './event-source.js';
