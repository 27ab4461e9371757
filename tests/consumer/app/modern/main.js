// An app as a user writes it: the class from the package, and the polyfill entry.
import { EventSource } from 'eventsource-wasm';
import { EventSource as Installed } from 'eventsource-wasm/polyfill';
import { check } from '../check.js';

check(EventSource, Installed);
