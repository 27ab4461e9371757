// The esbuild plugin that supplies the build-time modules of src/js: `eventsource:platform` (the
// platform file for this output), `eventsource:wasm-deflate-base64` (the engine, inlined) and
// `eventsource:wasm2js` (the engine translated to JavaScript). Shared by the build and the bench.
import { join } from 'node:path';
import { zlibAsync } from '@gfx/zopfli';

/**
 * The engine as the runtime's DecompressionStream('deflate') takes it: zlib format, compressed
 * by Zopfli, which finds about 4% smaller deflate streams than zlib's level 9.
 */
/** wasm-opt's flags for the shipped module (the build adds the stripping ones; the size report
 * keeps the names). */
export const WASM_OPT_FLAGS = ['-Oz', '--converge', '--enable-bulk-memory', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-nontrapping-float-to-int', '--enable-multivalue', '--enable-reference-types'];

/** wasm2js's flags: the engine as JavaScript, for runtimes without WebAssembly. */
export const WASM2JS_FLAGS = ['-Oz', '--enable-bulk-memory', '--enable-sign-ext', '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int'];

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
