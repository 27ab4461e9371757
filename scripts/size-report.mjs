// Where the bytes of the last build go: the wasm engine by section and by function, its wasm2js
// translation by function, and each shipped file by input module, each with its gzip cost (how
// much smaller the gzipped whole gets without that part). Run after `node scripts/build.mjs`;
// scripts/bench.sh calls it too. `--all` lists every row instead of the largest ones.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { optimizeEngine, wasm2js } from './engine-modules.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'target');
const all = process.argv.includes('--all');
const TOP = all ? Infinity : 18;

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
/** What leaving out `[start, end)` of `bytes` saves in gzipped size. */
const gzCost = (bytes, start, end, whole = gz(bytes)) =>
  whole - gz(Buffer.concat([bytes.subarray(0, start), bytes.subarray(end)]));
const pad = (value, width) => String(value).padStart(width);
const row = (name, raw, cost, share) =>
  console.log(`  ${name.padEnd(58).slice(0, 58)} ${pad(raw, 7)} ${pad(cost, 7)}${share === undefined ? '' : pad(share, 6) + '%'}`);
const header = (title) => {
  console.log(`\n${title}`);
  console.log(`  ${''.padEnd(58)} ${pad('raw B', 7)} ${pad('gz B', 7)}`);
};

// ---- The wasm module --------------------------------------------------------------------------

/** Sections of a wasm binary, with the function bodies of the code section and the names of the
 * name section. */
function parseWasm(bytes) {
  let p = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[p++];
      result += (byte & 0x7F) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const text = () => {
    const length = leb();
    p += length;
    return bytes.subarray(p - length, p).toString('utf8');
  };
  const SECTION = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start',
    'element', 'code', 'data', 'datacount'];
  const sections = [];
  const bodies = [];
  const names = new Map();
  const exports = [];
  let imported = 0;
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    const start = p;
    const end = p + size;
    let name = SECTION[id] || `section ${id}`;
    if (id === 0) name = `custom "${text()}"`;
    sections.push({ name, start: start - 1, end });
    if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        text(); text();
        const kind = bytes[p++];
        if (kind === 0) { leb(); imported++; } else if (kind === 1) { p++; const f = leb(); leb(); if (f & 1) leb(); }
        else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else { p += 2; }
      }
    } else if (id === 7) {
      for (let n = leb(); n > 0; n--) { const e = text(); p++; leb(); exports.push(e); }
    } else if (id === 10) {
      for (let n = leb(); n > 0; n--) {
        const length = leb();
        bodies.push({ start: p, end: p + length });
        p += length;
      }
    } else if (name === 'custom "name"') {
      while (p < end) {
        const kind = bytes[p++];
        const length = leb();
        const next = p + length;
        if (kind === 1) for (let n = leb(); n > 0; n--) { const index = leb(); names.set(index, text()); }
        p = next;
      }
    }
    p = end;
  }
  bodies.forEach((body, i) => { body.name = names.get(imported + i) || `$${imported + i}`; });
  return { sections, bodies, exports };
}

/** A readable name from a Rust v0 symbol: its identifiers in order, crate names and hashes left
 * out (good enough to tell functions apart; not a full demangler). */
function demangle(symbol) {
  if (!symbol.startsWith('_R')) return symbol;
  const s = symbol.slice(2)
    .replace(/C(s[0-9a-zA-Z]*_)?\d+(core|alloc|compiler_builtins|eventsource_wasm|lol_alloc)/g, '')
    .replace(/([MXYINC]|N[a-zA-Z])s[0-9a-zA-Z]{0,4}_/g, '$1')
    .replace(/B[0-9a-zA-Z]{0,3}_/g, '');
  const parts = [];
  for (let i = 0; i < s.length;) {
    const digits = /^\d+/.exec(s.slice(i));
    if (!digits) { i++; continue; }
    i += digits[0].length;
    if (s[i] === '_') i++;
    const n = Number(digits[0]);
    const ident = s.slice(i, i + n);
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(ident)) { parts.push(ident); i += n; }
  }
  // `feed<..Dispatch<Batch>>`: the path first, the generic arguments' names after it.
  return parts.filter((part) => part !== 'engine' && part !== 'abi').join('::') || symbol;
}

const rawWasm = join(target, 'wasm32-unknown-unknown/release/eventsource_wasm.wasm');
const shippedWasm = join(target, 'js/eventsource.wasm');
if (!existsSync(shippedWasm) || !existsSync(rawWasm)) {
  console.error('size-report: build first (node scripts/build.mjs)');
  process.exit(1);
}
const shipped = readFileSync(shippedWasm);
// The same optimisation with the function names kept (cargo's output has a name section).
const namedWasm = join(target, 'js/eventsource.names.wasm');
optimizeEngine(root, rawWasm, namedWasm, true);
const named = readFileSync(namedWasm);
const wasm = parseWasm(shipped);
const withNames = parseWasm(named);
if (!withNames.bodies.some((body) => body.name.startsWith('_R'))) {
  console.error('size-report: no function names in the cargo output (is `strip` set in [profile.release]?)');
}
const sameCode = wasm.bodies.length === withNames.bodies.length &&
  wasm.bodies.every((body, i) => body.end - body.start === withNames.bodies[i].end - withNames.bodies[i].start);

const wasmGz = gz(shipped);
header(`wasm engine: ${shipped.length} B raw, ${wasmGz} B gzip; by section`);
for (const section of wasm.sections) {
  row(section.name, section.end - section.start, gzCost(shipped, section.start, section.end, wasmGz));
}
console.log(`  exports: ${wasm.exports.join(' ')}`);

header(`wasm functions (${wasm.bodies.length}; names from a build that keeps them${sameCode ? '' : ', code differs slightly'}), largest first`);
const bodies = withNames.bodies.map((body) => ({ ...body, size: body.end - body.start }))
  .sort((a, b) => b.size - a.size);
const namedGz = gz(named);
const codeTotal = bodies.reduce((sum, body) => sum + body.size, 0);
for (const body of bodies.slice(0, TOP)) {
  row(demangle(body.name), body.size, gzCost(named, body.start, body.end, namedGz), Math.round(100 * body.size / codeTotal));
}
if (bodies.length > TOP) {
  const rest = bodies.slice(TOP);
  row(`(${rest.length} more)`, rest.reduce((sum, body) => sum + body.size, 0), '');
}

// ---- The wasm2js translation (legacy file) ----------------------------------------------------

// Symbols are renamed to short ones first, so that a call costs what it costs in the shipped file.
const symbols = [];
const namedJs = wasm2js(root, namedWasm)
  .replace(/\$?(_R|_ZN)[A-Za-z0-9_$]+/g, (symbol) => `f${symbols.push(symbol.replace(/^\$/, '')) - 1}`);
const functions = [];
const re = /^ function ([^(\s]+)\(/gm;
let match;
const starts = [];
while ((match = re.exec(namedJs))) starts.push({ name: match[1], at: match.index });
starts.forEach((start, i) => {
  const end = i + 1 < starts.length ? starts[i + 1].at : namedJs.indexOf('\n var ', start.at) > 0 ? namedJs.indexOf('\n var ', start.at) : namedJs.length;
  const source = namedJs.slice(start.at, end);
  let minified = source.length;
  try {
    minified = esbuild.transformSync(source, { minify: true }).code.length;
  } catch { /* a piece that is not a whole function on its own: counted raw */ }
  functions.push({ name: start.name, minified });
});
const jsTotal = functions.reduce((sum, f) => sum + f.minified, 0);
header(`wasm2js functions (${functions.length}), minified one at a time, largest first; i64 pairs: ` +
  `${(namedJs.match(/\$hi\b/g) || []).length} uses of a high word`);
functions.sort((a, b) => b.minified - a.minified);
for (const f of functions.slice(0, TOP)) {
  const symbol = /^f\d+$/.test(f.name) ? symbols[Number(f.name.slice(1))] : f.name;
  row(demangle(symbol), f.minified, '', Math.round(100 * f.minified / jsTotal));
}
if (functions.length > TOP) {
  const rest = functions.slice(TOP);
  row(`(${rest.length} more)`, rest.reduce((sum, f) => sum + f.minified, 0), '');
}

// ---- The shipped files, by input module -------------------------------------------------------

for (const name of ['eventsource', 'index', 'eventsource.legacy']) {
  const metaFile = join(target, `js/meta-${name}.json`);
  if (!existsSync(metaFile)) continue;
  const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  const [outPath, output] = Object.entries(meta.outputs).find(([path]) => path.endsWith(`/${name}.js`));
  // The modules' bytes in esbuild's output, before terser (scripts/build.mjs keeps it).
  const shipped = readFileSync(join(root, outPath));
  const bytes = readFileSync(metaFile.replace(/\.json$/, '.js'));
  const whole = gz(bytes);
  header(`pkg/${name}.js: ${shipped.length} B raw, ${gz(shipped)} B gzip; esbuild's output before terser ` +
    `${bytes.length} B raw, ${whole} B gzip, by input module (esbuild's bytesInOutput)`);
  // esbuild writes the modules in the order the metafile lists them; the bytes between them are
  // the bundle's own wrapper.
  const inputs = Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0);
  const rows = [];
  let counted = 0;
  // Find each module's bytes: modules follow each other, after the wrapper's opening.
  let at = bytes.length - inputs.reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  const opening = Math.max(0, Math.min(at, name === 'index' ? 0 : '(()=>{'.length));
  at = opening;
  for (const [path, input] of inputs) {
    const label = path.startsWith('generated:') ? path.replace('generated:eventsource:', '(generated) ')
      : relative(root, path.replace(/^[a-z-]+:/, ''));
    rows.push({ label, raw: input.bytesInOutput, cost: gzCost(bytes, at, at + input.bytesInOutput, whole) });
    at += input.bytesInOutput;
    counted += input.bytesInOutput;
  }
  rows.sort((a, b) => b.raw - a.raw);
  for (const r of rows) row(r.label, r.raw, r.cost);
  row('(bundle wrapper)', bytes.length - counted, '');
}
