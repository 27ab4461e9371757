// An app for old browsers: the legacy subpath (engine as JavaScript, XHR transport). ES5 syntax.
import { EventSource } from 'eventsource-wasm/legacy';
import { EventSource as Installed } from 'eventsource-wasm/legacy-polyfill';
import { check } from '../check.js';

check(EventSource, Installed);
