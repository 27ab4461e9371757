//! Helpers shared by the fuzz targets: the input format of the byte-stream targets.
//!
//! The fuzzer's input is used almost as it is, so that its mutations (and the dictionary
//! `fuzz/sse.dict`) work on the stream text directly: byte [`CUT`] marks a chunk boundary, byte
//! [`RECYCLE`] one where the I/O layer asks for a recycle (a plain chunk boundary for targets
//! without recycles), byte [`BODY_END`] ends one response body and starts the next. These bytes
//! are then never stream content; nothing is lost by that: for UTF-8 decoding they are
//! interchangeable with 0xC0, 0xC1 and the rest of 0xF5..=0xFF (never valid anywhere).
#![allow(dead_code)]

/// Ends one chunk of a body.
pub const CUT: u8 = 0xFD;
/// Ends one chunk of a body; a recycle is asked for there.
pub const RECYCLE: u8 = 0xFC;
/// Ends one body.
pub const BODY_END: u8 = 0xFE;

/// The bodies in `data`, each as its chunks.
pub fn bodies(data: &[u8]) -> Vec<Vec<&[u8]>> {
    data.split(|&b| b == BODY_END)
        .map(|body| body.split(|&b| b == CUT || b == RECYCLE).collect())
        .collect()
}

/// The bodies in `data`, each as its chunks, each chunk with whether a recycle follows it.
pub fn bodies_with_recycles(data: &[u8]) -> Vec<Vec<(&[u8], bool)>> {
    data.split(|&b| b == BODY_END)
        .map(|body| {
            let mut chunks = Vec::new();
            let mut rest = body;
            while let Some(end) = rest.iter().position(|&b| b == CUT || b == RECYCLE) {
                chunks.push((&rest[..end], rest[end] == RECYCLE));
                rest = &rest[end + 1..];
            }
            chunks.push((rest, false));
            chunks
        })
        .collect()
}

/// A maximum event size from one byte: none when the high bit is clear, 0..=127 otherwise.
pub fn max_event_size(byte: Option<u8>) -> Option<usize> {
    byte.filter(|b| b & 0x80 != 0)
        .map(|b| usize::from(b & 0x7F))
}

/// The chunks as one.
pub fn whole(chunks: &[&[u8]]) -> Vec<u8> {
    chunks.concat()
}

/// One byte per chunk.
pub fn bytes(body: &[u8]) -> Vec<&[u8]> {
    body.chunks(1).collect()
}
