//! The parser module's exports (wasm32 with the `parser-abi` feature): `eventsource-wasm/parser`
//! (src/js/parser.js) drives a [`StreamParser`] through them, one call per chunk.
//!
//! Calls: JS asks [`sp_input`] for room, copies the chunk there, then calls [`sp_chunk`], which
//! returns a pointer to `[ops_ptr, ops_len, text_ptr, text_len, decode_len]` (see
//! [`super::protocol::parse`]).

use super::protocol::UNSET;
use super::wasm::InputRoom;
use super::StreamParser;
use alloc::boxed::Box;

/// One parser and its buffers.
pub struct Parser {
    parser: StreamParser,
    /// Where [`sp_input`] makes room for the chunk.
    input: InputRoom,
    header: [u32; 5],
}

/// Creates a parser; `max_event_size` in bytes ([`UNSET`]: no bound).
#[no_mangle]
pub extern "C" fn sp_new(max_event_size: u32) -> *mut Parser {
    Box::into_raw(Box::new(Parser {
        parser: StreamParser::new((max_event_size != UNSET).then_some(max_event_size as usize)),
        input: InputRoom::new(),
        header: [0; 5],
    }))
}

/// Frees a parser made by [`sp_new`].
///
/// # Safety
/// `parser` comes from [`sp_new`] and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn sp_free(parser: *mut Parser) {
    drop(Box::from_raw(parser));
}

/// Makes room for `len` chunk bytes and returns where JS writes them.
///
/// # Safety
/// `parser` comes from [`sp_new`].
#[no_mangle]
pub unsafe extern "C" fn sp_input(parser: *mut Parser, len: u32) -> *mut u8 {
    (*parser).input.make(len)
}

/// Parses the chunk [`sp_input`] received; returns the batch's header.
///
/// # Safety
/// `parser` comes from [`sp_new`].
#[no_mangle]
pub unsafe extern "C" fn sp_chunk(parser: *mut Parser) -> *const u32 {
    let parser = &mut *parser;
    parser.parser.chunk(parser.input.bytes());
    let batch = parser.parser.batch();
    let (ops, text) = (batch.ops(), batch.text());
    parser.header = [
        ops.as_ptr() as u32,
        ops.len() as u32,
        text.as_ptr() as u32,
        text.len() as u32,
        batch.decode_len(),
    ];
    parser.header.as_ptr()
}

/// `reset()`: see [`StreamParser::reset`].
///
/// # Safety
/// `parser` comes from [`sp_new`].
#[no_mangle]
pub unsafe extern "C" fn sp_reset(parser: *mut Parser) {
    (*parser).parser.reset();
}
