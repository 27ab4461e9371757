//! The flat ABI the JavaScript face (`src/js/`) drives: one call per input, one batch of commands
//! back.
//!
//! Why not wasm-bindgen here: the face needs only numbers and one byte buffer each way, and a
//! plain export surface keeps the module small, free of JS glue, and convertible by `wasm2js`
//! for engines without WebAssembly (a second, externref table would stop it).
//!
//! - [`protocol`]: the op table and the inputs' numbers, defined once; `src/js/protocol.js` is
//!   rendered from it and checked by the tests.
//! - [`Batch`]: the encoder from engine [`Command`](crate::engine::Command)s to ops and texts.
//! - [`StreamParser`]: the parser API's engine (`eventsource-wasm/parser`), its own module
//!   built with the `parser-abi` feature, so that the EventSource's module carries none of it.
//!
//! Both are plain Rust, compiled and tested on every target. The `#[no_mangle]` exports, the
//! allocator and the panic handler of the shipped module live in `runtime`, built only for wasm32
//! with the `js-abi` feature, so that without it the crate is an ordinary dependency.

mod encoder;
pub mod parse;
pub mod protocol;

pub use encoder::Batch;
pub use parse::StreamParser;

#[cfg(any(
    test,
    all(
        target_arch = "wasm32",
        any(feature = "js-abi", feature = "parser-abi")
    )
))]
mod size_classes;

#[cfg(all(
    target_arch = "wasm32",
    any(feature = "js-abi", feature = "parser-abi")
))]
mod wasm;

#[cfg(all(target_arch = "wasm32", feature = "js-abi"))]
mod runtime;

#[cfg(all(target_arch = "wasm32", feature = "parser-abi"))]
mod parser_runtime;

#[cfg(test)]
mod tests;
