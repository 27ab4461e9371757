//! The sans-IO core: everything the WHATWG HTML Standard, section "Server-sent events", decides
//! without doing I/O.
//!
//! Data flows one way: body bytes go into a [`Connection`], which splits them into lines
//! ([`lines`]), interprets fields and dispatch rules ([`parser`]) and checks response heads
//! ([`response`]). It answers every input with [`Command`]s for the I/O layer: start a request,
//! abort it, arm a timer, change `readyState`, fire an event. It never waits, never reads a clock
//! and never panics. Text is reported as the bytes received; faces decode it ([`decode`]).

pub mod connection;
pub mod decode;
pub mod lines;
pub mod parser;
pub mod policy;
pub mod response;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) mod simd;

pub use connection::{
    Command, Connection, Decision, ErrorDetails, Failure, IdHeader, Options, Output, ReadyState,
    ResponseHead, DEFAULT_RECONNECTION_TIME,
};
pub use parser::{ChunkData, DataBuffer, Event, EventStreamParser, EventTooLarge, Fed, ParserSink};
pub use policy::{Random, ReconnectPolicy, FACTOR_ONE};
