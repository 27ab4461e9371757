//! eventsource-wasm: a spec-exact `EventSource` (server-sent events) for every JavaScript runtime.
//!
//! The crate has two layers:
//! - [`engine`]: the sans-IO engine. Plain Rust (`core` + `alloc` only), no clocks, no I/O. It owns every
//!   decision the WHATWG HTML Standard, section "Server-sent events", makes without doing I/O.
//!   It is compiled and tested natively.
//! - `abi` (wasm32 only): the flat C-ABI surface the JavaScript face drives. It crosses the
//!   JS↔wasm boundary once per body chunk and hands back a whole batch of commands at once.
//! - [`web`] (feature `web`, `wasm32-unknown-unknown`): `EventSource` for Rust WebAssembly apps,
//!   on web-sys `fetch`, as a `Stream` of typed events or with callbacks.
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

pub mod engine;

// Stopgap: the shipped module's panic handler and allocator must not reach apps that use the
// `web` face; the build feature for the shipped module will gate this instead.
#[cfg(all(target_arch = "wasm32", not(feature = "web")))]
mod abi;

#[cfg(all(feature = "web", target_arch = "wasm32", target_os = "unknown"))]
pub mod web;
