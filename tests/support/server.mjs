// The one launcher of the test server (tests/server, target/server/sse-test-server) for every
// suite: Node, browsers, runtimes, the bundler check and the benchmark.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { sseUrl, encodeBytes, utf8, uniqueKey } from './sse-url.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const binary = join(root, 'target/server/sse-test-server');

/**
 * Starts the test server; resolves to { a, b, ports, process, log(key), stop(abruptly) } once it
 * listens. `a`, `b`: fixed ports, e.g. to restart it where clients expect it (so a server's
 * `ports` can be passed back); `build`: build it first when it is missing (otherwise that is an
 * error naming the command).
 * It exits with this process (its stdin closes), and `stop()` resolves once it has.
 */
export async function startServer({ a, b, build = false } = {}) {
  if (!existsSync(binary)) {
    const command = ['build', '--quiet', '--profile', 'server', '-p', 'sse-test-server'];
    if (!build) throw new Error(`${binary} is missing: cargo ${command.join(' ')} (scripts/build.sh does it)`);
    console.error(`${binary} is missing: cargo ${command.join(' ')}`);
    const result = spawnSync('cargo', command, { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
    if (result.status !== 0 || !existsSync(binary)) throw new Error('building the test server failed');
  }
  const args = ['--root', root, '--exit-on-stdin-eof'];
  if (a) args.push('--port-a', String(a));
  if (b) args.push('--port-b', String(b));
  const server = spawn(binary, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const kill = () => server.kill();
  process.once('exit', kill);
  const line = await Promise.race([
    new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve)),
    exited.then(() => null),
    new Promise((resolve) => server.once('error', () => resolve(null))),
  ]);
  if (!line) {
    kill();
    throw new Error('the test server exited before listening');
  }
  const origins = JSON.parse(line);
  if (!origins.a || !origins.b) throw new Error(`unexpected first line from the test server: ${line}`);
  const port = (origin) => Number(new URL(origin).port);
  return {
    ...origins,
    ports: { a: port(origins.a), b: port(origins.b) },
    process: server,
    /** The requests the server recorded for `key` (tests/server/README.md, /log). */
    log: async (key) => (await fetch(`${origins.a}/log?key=${encodeURIComponent(key)}`)).json(),
    /** Ends it; `abruptly` kills it so open connections are reset, as a crashed server does. */
    async stop(abruptly = false) {
      process.removeListener('exit', kill);
      if (abruptly) server.kill('SIGKILL');
      else server.stdin.end();
      await exited;
    },
  };
}
