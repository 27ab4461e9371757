//! The Rust face in a dedicated worker of each browser: no `window`, no `document`, only the
//! worker's global scope (tests/web/cases.rs has the cases; tests/web/run.sh runs them).
#![cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "web"))]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[path = "web/cases.rs"]
mod cases;

/// The cases above ran in a worker: its global scope is a `DedicatedWorkerGlobalScope`, without
/// `window` or `document`.
#[wasm_bindgen_test::wasm_bindgen_test]
fn runs_in_a_dedicated_worker() {
    assert!(cases::global_has("DedicatedWorkerGlobalScope") && cases::global_has("postMessage"));
    assert!(!cases::global_has("window") && !cases::global_has("document"));
}
