//! eventsource-wasm: a spec-exact `EventSource` (server-sent events) for every JavaScript runtime.
//!
//! The crate has two layers:
//! - [`engine`]: the sans-IO engine. Plain Rust (`core` + `alloc` only), no clocks, no I/O. It owns every
//!   decision the WHATWG HTML Standard, section "Server-sent events", makes without doing I/O.
//!   It is compiled and tested natively.
//! - [`abi`]: the batch protocol the JavaScript face reads and its encoder, on every target; with
//!   the `js-abi` feature on wasm32, also the flat C-ABI exports, allocator and panic handler of
//!   the shipped module. Without that feature the crate is an ordinary library another crate
//!   (a wasm app included) can depend on.
//! - [`web`] (feature `web`, `wasm32-unknown-unknown`): `EventSource` for Rust WebAssembly apps,
//!   on web-sys `fetch`, as a `Stream` of typed events or with callbacks.
#![no_std]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod abi;
pub mod engine;

#[cfg(all(feature = "web", target_arch = "wasm32", target_os = "unknown"))]
pub mod web;
