// Runs smoke.mjs in Bun and Deno (their npm packages ship the binaries) against the test server.
// Ends with one line: `runtimes: N passed, M failed`.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, startServer } from '../support/server.mjs';

const origins = await startServer();
const smoke = join(root, 'tests/runtimes/smoke.mjs');
const runtimes = {
  bun: [join(root, 'node_modules/.bin/bun'), [smoke, origins.a]],
  deno: [join(root, 'node_modules/.bin/deno'), ['run', '--allow-net', '--allow-read', '--no-prompt', smoke, origins.a]],
};
const expected = JSON.stringify(['open', 'one|5', 'error:0', 'open', 'two after 5|5']);
let passed = 0;
let failed = 0;
for (const [name, [binary, args]] of Object.entries(runtimes)) {
  const run = await new Promise((resolve) => {
    const child = spawn(binary, args, { cwd: root, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => resolve({ code, out, err }));
  });
  let result = null;
  try { result = JSON.parse(run.out.trim().split('\n').pop()); } catch { /* reported below */ }
  const ok = result && result.problem === null && JSON.stringify(result.log) === expected &&
    JSON.stringify(result.headers) === JSON.stringify([name, name]) && JSON.stringify(result.lastEventIds) === '[null,"5"]';
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${version}): ${result ? JSON.stringify(result) : `exit ${run.code}: ${run.err.slice(0, 500)}`}`);
  if (ok) passed++; else failed++;
}
await origins.stop();
console.log(`runtimes: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
