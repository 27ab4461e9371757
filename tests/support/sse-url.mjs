// The test server's query language (tests/server/README.md) in one place: every suite builds its
// /sse URLs here. Plain ECMAScript with no imports, so Bun, Deno and bundled pages load it too.

/**
 * The /sse URL on `origin` ('' for a path) that scripts `key`'s attempts 0, 1, …: one entry per
 * attempt, either a string (the attempt's one body write) or
 *   { body | writes: [...], status, type (Content-Type, 'none'), chunk, delay, wait,
 *     end ('close'|'hold'|'reset'), repeat, location, headers: [...], encoding ('gzip'|'deflate'|'br') }.
 * Bodies are binary strings: each char U+0000–U+00FF is one byte, a char above as its UTF-8
 * (utf8() turns text into its UTF-8 bytes). `extra`: more parameters, e.g. '&cors=none'.
 * Attempts past the script get 204, which stops a native EventSource.
 */
export function sseUrl(origin, key, attempts, extra = '') {
  const params = [`key=${encodeURIComponent(key)}`];
  attempts.forEach((entry, n) => {
    const attempt = typeof entry === 'string' ? { body: entry } : entry;
    const writes = attempt.writes ?? (attempt.body !== undefined ? [attempt.body] : []);
    for (const write of writes) params.push(`b${n}=${encodeBytes(write)}`);
    for (const [field, prefix] of Object.entries(FIELDS)) {
      if (attempt[field] !== undefined) params.push(`${prefix}${n}=${encodeURIComponent(attempt[field])}`);
    }
    for (const header of attempt.headers ?? []) params.push(`h${n}=${encodeURIComponent(header)}`);
    // An attempt must script something to count as scripted.
    if (!writes.length && attempt.status === undefined && attempt.location === undefined) params.push(`s${n}=200`);
  });
  return `${origin}/sse?${params.join('&')}${extra}`;
}

/** The one-value parameters of an attempt, by field name. */
const FIELDS = { status: 's', type: 't', chunk: 'c', delay: 'd', wait: 'w', end: 'e', repeat: 'p', location: 'l', encoding: 'z' };

/** Percent-encodes every byte of a binary string (chars above U+00FF as their UTF-8). */
export function encodeBytes(text) {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0);
    if (code > 0xFF) out += encodeURIComponent(char);
    else if (/[A-Za-z0-9_.~-]/.test(char)) out += char;
    else out += `%${code.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return out;
}

/** Text as a binary string of its UTF-8 bytes. */
export function utf8(text) {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
}

let counter = 0;
/** A server key no other run uses, so the server's attempt counter starts at 0. */
export const uniqueKey = (name) => `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${counter++}`;
