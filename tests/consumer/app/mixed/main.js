// An app whose own modules load the package both ways: `import` here, `require` in a CommonJS
// module beside it. Both must be the same class, from one engine.
import { EventSource } from 'eventsource-wasm';
import Required from './required.cjs';
import { check } from '../check.js';

check(EventSource, Required);
