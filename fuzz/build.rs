// The shared inputs (tests/common/inputs.rs) derive `Arbitrary` under `cfg(fuzzing)`. cargo-fuzz
// sets it; this sets it for a plain `cargo build` or `cargo check` of the targets too.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(fuzzing)");
    println!("cargo::rustc-cfg=fuzzing");
}
