//! The crate is an ordinary dependency: a wasm32 app with its own `#[panic_handler]` and
//! `#[global_allocator]` (tests/dependent) builds against it without the `js-abi` feature. With
//! the shipped module's lang items compiled in, this fails with "duplicate lang item".

use std::path::Path;
use std::process::Command;

#[test]
fn a_wasm_app_with_its_own_panic_handler_and_allocator_builds_against_the_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dependent");
    let output = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--locked", "--offline", "--release"])
        .args(["--target", "wasm32-unknown-unknown", "--manifest-path"])
        .arg(root.join("tests/dependent/Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        // The test run's own flags are for the host, not for this wasm build.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the dependent app did not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let wasm = std::fs::read(target_dir.join("wasm32-unknown-unknown/release/dependent_app.wasm"))
        .expect("the app's module");
    let has = |name: &[u8]| wasm.windows(name.len()).any(|window| window == name);
    assert!(has(b"app_count_events"), "the app's export is there");
    assert!(
        !has(b"es_new") && !has(b"es_send"),
        "no export of the shipped module leaks into a dependent"
    );
}
