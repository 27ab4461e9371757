// Starts the project's test server (tests/server) for a Node test file and stops it afterwards.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Resolves with { a, b, log(key), stop() } once the server listens. */
export async function startServer() {
  const binary = join(root, 'target/server/sse-test-server');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/build.sh first`);
  const child = spawn(binary, ['--root', root, '--exit-on-stdin-eof'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const origins = JSON.parse(line);
  return {
    ...origins,
    log: async (key) => (await fetch(`${origins.a}/log?key=${encodeURIComponent(key)}`)).json(),
    stop: () => { child.stdin.end(); child.kill(); },
  };
}

/** A /sse URL on `origin` whose attempts send the given bodies (attempt N: bodies[N]). */
export function sseUrl(origin, key, bodies, extra = '') {
  const parts = bodies.map((body, attempt) => `b${attempt}=${encodeURIComponent(body)}`);
  return `${origin}/sse?key=${encodeURIComponent(key)}&${parts.join('&')}${extra}`;
}

let counter = 0;
export const uniqueKey = (name) => `${name}-${process.pid}-${Date.now()}-${counter++}`;
