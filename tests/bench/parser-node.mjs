// The parser alone in Node (tests/bench/parser-cases.mjs). `scripts/bench.sh`.
//   node tests/bench/parser-node.mjs [--mb N]   (N: megabytes of events per run, default 64)
import { measure } from './parser-cases.mjs';

const i = process.argv.indexOf('--mb');
const lines = await measure((i > 0 ? Number(process.argv[i + 1]) : 64) * 1e6, 'Node ' + process.version);
for (const line of lines) console.log(line);
