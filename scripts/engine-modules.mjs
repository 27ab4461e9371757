// The esbuild plugin that supplies the build-time modules of src/js: `eventsource:platform` (the
// platform file for this output), `eventsource:wasm-gzip-base64` (the engine, inlined) and
// `eventsource:wasm2js` (the engine translated to JavaScript). Shared by the build and the bench.
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

export function engineModules({ js, wasmBytes, translated, platform }) {
  return {
    name: 'engine-modules',
    setup(build) {
      build.onResolve({ filter: /^eventsource:platform$/ }, () => ({ path: join(js, 'platform', platform) }));
      build.onResolve({ filter: /^eventsource:(wasm-gzip-base64|wasm2js)$/ }, (args) => ({ path: args.path, namespace: 'generated' }));
      build.onLoad({ filter: /.*/, namespace: 'generated' }, (args) => ({
        loader: 'js',
        contents: args.path === 'eventsource:wasm-gzip-base64'
          ? `export default ${JSON.stringify(gzipSync(wasmBytes, { level: 9 }).toString('base64'))};`
          : `export function instantiate() {\n${translated}\nreturn asmFunc({});\n}\n`,
      }));
    },
  };
}
