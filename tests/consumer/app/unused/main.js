// Imports the package's classes but never uses them: tree-shaking must leave no engine behind.
import { EventSource } from 'eventsource-wasm';
import { EventSource as Legacy } from 'eventsource-wasm/legacy';

window.__done({ unused: true });
