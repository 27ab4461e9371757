//! Fuzzes UTF-8 decoding, alone and as the stream reads it.
//!
//! - The faces' decoder (`decode::decode_lossy`), the Encoding Standard's "UTF-8 decoder" written
//!   out step by step (`tests/common/reference.rs`) and Rust's `String::from_utf8_lossy` give the
//!   same text for any bytes: the standard's replacement of each maximal subpart by one U+FFFD is
//!   exactly the standard library's.
//! - The stream decoder (lines found on raw bytes by `lines::LineSplitter`, each line decoded on its
//!   own) gives, whatever the chunking, exactly the lines of "UTF-8 decode" run over the whole
//!   stream (BOM stripped) and then split at CR, LF and CRLF; also after a `reset`.
//!
//! Input: the bytes; for the stream, byte 0xFD marks a chunk boundary (`tests/common/inputs.rs`).
//!
//! Run: `scripts/fuzz.sh` (all targets) or `RUSTC_BOOTSTRAP=1 cargo fuzz run decode`.
#![no_main]

use eventsource_wasm::engine::decode::decode_lossy;
use eventsource_wasm::engine::lines::LineSplitter;
use libfuzzer_sys::fuzz_target;
use std::ops::ControlFlow;

#[path = "../../tests/common/inputs.rs"]
mod inputs;
#[path = "../../tests/common/reference.rs"]
mod reference;

/// The lines of a stream fed in these chunks, then an LF that ends the last one.
fn stream_lines(splitter: &mut LineSplitter, chunks: &[&[u8]]) -> Vec<String> {
    let mut lines = Vec::new();
    for chunk in chunks.iter().copied().chain([&b"\n"[..]]) {
        let flow = splitter.feed(chunk, |line| {
            lines.push(decode_lossy(line).into_owned());
            ControlFlow::Continue(())
        });
        assert_eq!(flow, ControlFlow::Continue(()));
    }
    assert_eq!(splitter.partial_len(), 0, "the final LF ends every line");
    lines
}

fuzz_target!(|data: &[u8]| {
    // One piece of text, three decoders.
    let engine = decode_lossy(data).into_owned();
    let decoded = reference::utf8_decoder(data);
    let spec = reference::text(&decoded);
    let std = String::from_utf8_lossy(data);
    assert_eq!(
        spec, std,
        "the Encoding Standard and from_utf8_lossy differ"
    );
    assert_eq!(
        engine, spec,
        "the engine's decoder and the Encoding Standard differ"
    );
    let accounted: usize = decoded.iter().map(|&(_, n)| n).sum();
    assert_eq!(accounted, data.len(), "every byte is decoded exactly once");

    // The stream: decode the whole (BOM stripped), then split into lines.
    let chunks: Vec<&[u8]> = data.split(|&b| b == inputs::CUT).collect();
    let bytes = inputs::whole(&chunks);
    let mut whole = bytes.clone();
    whole.push(b'\n');
    let (lines, tail) = reference::split_lines(&reference::utf8_decode(&whole));
    assert!(tail.is_empty());
    let expected: Vec<String> = lines
        .iter()
        .map(|(line, _)| reference::text(line))
        .collect();

    let mut splitter = LineSplitter::new();
    assert_eq!(stream_lines(&mut splitter, &[&bytes]), expected, "whole");
    splitter.reset();
    assert_eq!(stream_lines(&mut splitter, &chunks), expected, "{chunks:?}");
    splitter.reset();
    assert_eq!(
        stream_lines(&mut splitter, &inputs::bytes(&bytes)),
        expected,
        "byte by byte"
    );
});
