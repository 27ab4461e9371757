// The esbuild plugin that supplies the build-time modules of src/js: `eventsource:platform` (the
// platform file for this output), `eventsource:wasm-deflate-base64` (the engine, inlined) and
// `eventsource:wasm2js` (the engine translated to JavaScript). Shared by the build and the bench.
import { join } from 'node:path';
import { zlibAsync } from '@gfx/zopfli';

/**
 * The engine as the runtime's DecompressionStream('deflate') takes it: zlib format, compressed
 * by Zopfli, which finds about 4% smaller deflate streams than zlib's level 9.
 */
export async function deflateEngine(wasmBytes) {
  return Buffer.from(await zlibAsync(wasmBytes, { numiterations: 100 }));
}

export function engineModules({ js, wasmDeflated, translated, platform }) {
  return {
    name: 'engine-modules',
    setup(build) {
      build.onResolve({ filter: /^eventsource:platform$/ }, () => ({ path: join(js, 'platform', platform) }));
      build.onResolve({ filter: /^eventsource:(wasm-deflate-base64|wasm2js)$/ }, (args) => ({ path: args.path, namespace: 'generated' }));
      build.onLoad({ filter: /.*/, namespace: 'generated' }, (args) => ({
        loader: 'js',
        contents: args.path === 'eventsource:wasm-deflate-base64'
          ? `export default ${JSON.stringify(wasmDeflated.toString('base64'))};`
          : `export function instantiate() {\n${translated}\nreturn asmFunc({});\n}\n`,
      }));
    },
  };
}

/**
 * The platform contract (src/js/platform/platform.d.ts): every platform file must export the same
 * names, or one build would import a name the other lacks. Bundles each with esbuild's metafile and
 * throws, naming the differences, when their export lists differ.
 */
export async function checkPlatforms(js, platforms = ['modern.js', 'legacy.js']) {
  const { build } = await import('esbuild');
  const lists = {};
  for (const platform of platforms) {
    const result = await build({
      entryPoints: [join(js, 'platform', platform)], bundle: true, write: false, metafile: true, format: 'esm',
      outdir: 'out', external: ['eventsource:*'], logLevel: 'silent',
    });
    lists[platform] = Object.values(result.metafile.outputs)[0].exports.sort();
  }
  const all = [...new Set(Object.values(lists).flat())].sort();
  const missing = platforms.flatMap((p) => all.filter((name) => !lists[p].includes(name)).map((name) => `${p} lacks '${name}'`));
  if (missing.length) {
    throw new Error(`the eventsource:platform files must export the same names (platform.d.ts): ${missing.join('; ')}`);
  }
  return all;
}
