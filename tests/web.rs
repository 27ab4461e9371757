//! The Rust face in a page of each browser (tests/web/cases.rs has the cases; tests/web/run.sh
//! runs them).
#![cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "web"))]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "web/cases.rs"]
mod cases;

/// The cases above ran in a page.
#[wasm_bindgen_test::wasm_bindgen_test]
fn runs_in_a_page() {
    assert!(cases::global_has("window") && cases::global_has("document"));
}
