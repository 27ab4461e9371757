//! The inputs of the engine's generated tests, shared by the proptests (`tests/engine_props.rs`)
//! and the fuzz targets (`fuzz/fuzz_targets/`, which include this file by path, as they do
//! `reference.rs`): the engine's input alphabet and how one input is applied, and the byte format
//! of the byte-stream fuzz targets.
//!
//! That format uses the fuzzer's input almost as it is, so that its mutations (and the dictionary
//! `fuzz/sse.dict`) work on the stream text directly: byte [`CUT`] marks a chunk boundary, byte
//! [`RECYCLE`] one where the I/O layer asks for a recycle (a plain chunk boundary for targets
//! without recycles), byte [`BODY_END`] ends one response body and starts the next. These bytes
//! are then never stream content; nothing is lost by that: for UTF-8 decoding they are
//! interchangeable with 0xC0, 0xC1 and the rest of 0xF5..=0xFF (never valid anywhere).
#![allow(dead_code)]

use eventsource_wasm::engine::{Connection, Decision, Output, ResponseHead};

/// One input to a `Connection`, as the I/O layer and the page deliver them.
#[derive(Debug, Clone)]
// `fuzzing` is set by cargo-fuzz, where `arbitrary` is a dependency; the tests never set it (so
// a test crate including this file allows the cfg name: `#![allow(unexpected_cfgs)]`).
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum Input {
    Start,
    /// Status, `Content-Type`, `Retry-After` in milliseconds.
    Response(u16, Option<Vec<u8>>, Option<u64>),
    Chunk(Vec<u8>),
    End,
    NetworkError,
    RequestFailed(bool),
    Timer,
    Heartbeat,
    Recycle,
    Close,
    /// The I/O layer found the request impossible before making it.
    Impossible,
    /// The page's headers function failed; `true`: with a TypeError (fatal).
    HeadersFailed(bool),
    /// The page's reconnection decision: 0 default, 1 fail, else reconnect after the delay
    /// (`None`: the engine's).
    Decide(u8, Option<u32>),
    /// The page came back (`reconnectOnResume`): milliseconds silent (`None`: unknown), online.
    Resumed(Option<u64>, bool),
}

/// The decision an [`Input::Decide`] stands for.
pub fn decision(kind: u8, delay: Option<u32>) -> Decision {
    match kind % 3 {
        0 => Decision::Default,
        1 => Decision::Fail,
        _ => Decision::Reconnect(delay.map(u64::from)),
    }
}

/// Gives `input` to the connection.
pub fn apply(connection: &mut Connection, input: &Input, out: &mut impl Output) {
    match input {
        Input::Start => connection.start(out),
        Input::Response(status, content_type, retry_after) => {
            let head = ResponseHead {
                status: *status,
                content_type: content_type.as_deref(),
                retry_after: *retry_after,
            };
            connection.response_head(head, out)
        }
        Input::Chunk(bytes) => connection.body_chunk(bytes, out),
        Input::End => connection.body_ended(out),
        Input::NetworkError => connection.network_error(out),
        Input::RequestFailed(cross_origin) => connection.request_failed(*cross_origin, out),
        Input::Timer => connection.timer_fired(out),
        Input::Heartbeat => connection.heartbeat_expired(out),
        Input::Recycle => {
            connection.recycle(out);
        }
        Input::Close => connection.close(out),
        Input::Impossible => connection.request_impossible(out),
        Input::HeadersFailed(fatal) => connection.headers_failed(*fatal, out),
        Input::Decide(kind, delay) => connection.decide(decision(*kind, *delay), out),
        Input::Resumed(silent, online) => connection.resumed(*silent, *online, out),
    }
}

/// Ends one chunk of a body.
pub const CUT: u8 = 0xFD;
/// Ends one chunk of a body; a recycle is asked for there.
pub const RECYCLE: u8 = 0xFC;
/// Ends one body.
pub const BODY_END: u8 = 0xFE;

/// The maximum event size from the first byte (see [`max_event_size`]) and the bytes after it.
pub fn max_event_size_and_rest(data: &[u8]) -> (Option<usize>, &[u8]) {
    let (first, rest) = data
        .split_first()
        .map_or((None, data), |(&b, rest)| (Some(b), rest));
    (max_event_size(first), rest)
}

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
