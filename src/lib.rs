//! eventsource-wasm: a spec-exact `EventSource` (server-sent events) for every JavaScript runtime.
//!
//! The crate has two layers:
//! - [`engine`]: the sans-IO engine. Plain Rust (`core` + `alloc` only), no clocks, no I/O. It owns every
//!   decision the WHATWG HTML Standard, section "Server-sent events", makes without doing I/O.
//!   It is compiled and tested natively.
//! - `abi` (wasm32 only): the flat C-ABI surface the JavaScript face drives. It crosses the
//!   JS↔wasm boundary once per body chunk and hands back a whole batch of commands at once.
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

pub mod engine;

#[cfg(target_arch = "wasm32")]
mod abi;
