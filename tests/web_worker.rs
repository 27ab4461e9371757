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
    let global = js_sys::global();
    let has = |name: &str| js_sys::Reflect::has(&global, &name.into()).unwrap_or(false);
    assert!(has("DedicatedWorkerGlobalScope") && has("postMessage"));
    assert!(!has("window") && !has("document"));
}
