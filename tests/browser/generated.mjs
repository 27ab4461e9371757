// Generated differential scenarios: event streams made from a seed, out of the pieces the format
// is made of (fields with and without a colon or space, unknown and miscased names, comments, the
// three line endings, BOMs, NUL, multi-byte and invalid UTF-8), cut into writes at random bytes
// (inside a line ending or a character too), over one or two attempts, the second echoing
// Last-Event-ID. Native and ours must log the same, as for the written scenarios; the same seed
// gives the same scenario, so a failure names the seed that reproduces it:
//
//   node tests/browser/run.mjs --generated 50 --seed 1000      (seeds 1000 to 1049)
//   node tests/browser/run.mjs --generated 1 --seed 1017 --filter 'seed 1017'
//
// Streams stay clear of what deviations.mjs lists for native engines (those need a normalisation
// per scenario): no id holds NUL or a non-ASCII char, and no block sets an id without data.
import { utf8 } from '../support/sse-url.mjs';

/** As the written scenarios begin: quick reconnections. */
const R = 'retry: 10\n';

/** The event types the streams name, and the ones the page listens for (UTF-8 bytes, as sent). */
const TYPES = ['add', 'x y', 'message', '', utf8('ü')];
export const GENERATED_TYPES = ['add', 'x y', 'ü'];

/** A small seeded generator (mulberry32): the same seed, the same stream, in every run. */
function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6D2B79F5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n) => Math.floor(next() * n);
  return { chance: (p) => next() < p, below, pick: (list) => list[below(list.length)] };
}

const VALUE_PIECES = ['a', 'b', 'xyz', ' ', ':', '\t', utf8('é'), utf8('€'), utf8('😀'), '\xFF', '\xC3', '\xE2\x82', '\x00'];
const ID_PIECES = ['1', '2', 'a', 'x-y', ' ', ':'];
const LINE_ENDINGS = ['\n', '\r', '\r\n'];
const SEPARATORS = [':', ': ', ':  ', ':\t', ''];
const RETRIES = ['10', '7', '0012', '1a', '', ' 9', '-1', '12.5'];

/** Now and then a long run (the server's {fill:N:UNIT}): past the 64 KiB pieces the transports
 * and the engine work in, and multi-byte characters across those cuts. */
const LONG = ['{fill:70000}', `{fill:25000:${utf8('é')}}`, `{fill:17000:${utf8('😀')}}`, `{fill:3000:${utf8('€')}}`];

function value(random, pieces, long = false) {
  let text = '';
  for (let n = random.below(4); n > 0; n--) text += long && random.chance(0.02) ? random.pick(LONG) : random.pick(pieces);
  return text;
}

/** Whether `line` is the field `name` (spec: the field name is what comes before the first colon,
 * or the whole line). */
function names(line, name) {
  return line === name || line.startsWith(`${name}:`);
}

/** One block's lines (without the blank line that dispatches it). */
function block(random) {
  const lines = [];
  let data = false;
  let id = false;
  for (let n = 1 + random.below(4); n > 0; n--) {
    const kind = random.below(10);
    if (kind < 4) {
      // `data` alone is the field with an empty value; `data` run into its value is another
      // field's name; a colon without the space keeps the value's leading space.
      // NUL stays out of names (Firefox strips it first: deviations.mjs), so not run into `data`.
      const separator = random.pick(SEPARATORS);
      const text = value(random, VALUE_PIECES, !!separator);
      const line = `data${separator}${separator ? text : text.split('\0').join('')}`;
      data = data || names(line, 'data');
      lines.push(line);
    } else if (kind === 4) {
      lines.push(`event${random.pick([': ', ':'])}${random.pick(TYPES)}`);
    } else if (kind === 5) {
      const line = `id${random.pick([': ', ':', ''])}${value(random, ID_PIECES)}`;
      id = id || names(line, 'id');
      lines.push(line);
    } else if (kind === 6) {
      lines.push(`retry: ${random.pick(RETRIES)}`);
    } else if (kind === 7) {
      lines.push(`:${value(random, VALUE_PIECES, true)}`);
    } else {
      // Not fields of the format: case matters, and a space before the colon is part of the name.
      lines.push(`${random.pick(['Data', 'DATA', 'dat', 'data ', 'foo', 'ID', 'Event'])}: ${value(random, VALUE_PIECES)}`);
    }
  }
  // An id set by a block without data: Firefox does not update lastEventId (deviations.mjs).
  if (id && !data) lines.push(`data: ${value(random, VALUE_PIECES)}`);
  return lines;
}

/** A body of `blocks` blocks, each line with its own line ending; the last block may be left
 * without its blank line (an unfinished event, discarded at the end of the stream). */
function body(random, blocks) {
  let text = '';
  for (let b = 0; b < blocks; b++) {
    for (const line of block(random)) text += line + random.pick(LINE_ENDINGS);
    if (b < blocks - 1 || random.chance(0.7)) text += random.pick(LINE_ENDINGS);
  }
  return text;
}

/** `text` cut at up to `cuts` random byte offsets, never inside a {fill:…} (the server expands
 * it within one write). */
function writes(random, text, cuts) {
  const offsets = new Set();
  for (let n = random.below(cuts + 1); n > 0; n--) {
    let offset = 1 + random.below(Math.max(1, text.length - 1));
    const open = text.lastIndexOf('{', offset - 1);
    if (open >= 0 && text.indexOf('}', open) >= offset) offset = open;
    if (offset > 0) offsets.add(offset);
  }
  const sorted = [...offsets].sort((x, y) => x - y);
  const out = [];
  let from = 0;
  for (const offset of sorted) {
    out.push(text.slice(from, offset));
    from = offset;
  }
  out.push(text.slice(from));
  return out.filter((write) => write.length);
}

/** The scenario of one seed. */
export function generatedScenario(seed) {
  const random = generator(seed);
  const bom = random.chance(0.2) ? '\xEF\xBB\xBF' : '';
  const first = bom + R + body(random, 2 + random.below(6));
  // A few bytes a write, for streams without long runs; else the writes of up to five cuts.
  const attempts = [!first.includes('{') && random.chance(0.15)
    ? { body: first, chunk: 1 + random.below(3), delay: 1 }
    : { writes: writes(random, first, 5), delay: 5 }];
  if (random.chance(0.6)) {
    // The second response may begin with the LF of a CR that ended the first: a new line.
    // The echo is a write of its own: the server substitutes {lei} within one write.
    const start = random.pick(['', '\n', '\xEF\xBB\xBF', ': x\r']);
    const rest = writes(random, body(random, 1 + random.below(3)), 3);
    attempts.push({ writes: [...(start ? [start] : []), 'data: lei={lei}\n\n', ...rest], delay: 5 });
  }
  // Sometimes the page closes the source in a listener: nothing may follow that message.
  const closeAfter = random.chance(0.2) ? 1 + random.below(4) : undefined;
  return { name: `generated stream, seed ${seed}`, attempts, types: GENERATED_TYPES, closeAfter };
}

/** `count` scenarios from seed `first` on. */
export function generatedScenarios(count, first) {
  return Array.from({ length: count }, (_, n) => generatedScenario(first + n));
}
