// Loads the engine module once per realm and wraps its flat export surface (see src/abi.rs).
import wasmBase64 from 'wasm:inline';

let exportsPromise = null;

/** Resolves with the module's exports; compiles and instantiates asynchronously, once. */
export function loadEngine() {
  if (!exportsPromise) {
    const binary = atob(wasmBase64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    exportsPromise = WebAssembly.instantiate(bytes, {}).then((result) => result.instance.exports);
  }
  return exportsPromise;
}
