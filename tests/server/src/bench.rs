//! `/bench`: streams generated as fast as the connection takes them, for the benchmark.
//! `n` events of `size` bytes each, spread over `lines` data lines; later attempts of the same
//! `key` get 204 so a native EventSource stops instead of reconnecting.

use crate::body::{self, Piece};
use crate::query::Query;
use crate::reply::{self, Reply};
use bytes::Bytes;
use hyper::StatusCode;

const WRITE_SIZE: usize = 64 * 1024;

pub fn stream(query: &Query, attempt: u32) -> Result<Reply, String> {
    if attempt > 0 {
        return Ok(reply::empty(StatusCode::NO_CONTENT));
    }
    let count: usize = query.number("n")?.unwrap_or(1000);
    let size: usize = query.number("size")?.unwrap_or(20);
    let lines: usize = query.number::<usize>("lines")?.unwrap_or(1).max(1);
    let event = event_of_size(size, lines);
    let per_write = (WRITE_SIZE / event.len()).max(1);
    let block = Bytes::from(event.repeat(per_write));
    let (sender, body) = body::channel();
    let mut reply = reply::streamed(StatusCode::OK, body);
    reply::set_header(&mut reply, "content-type", "text/event-stream");
    tokio::spawn(async move {
        let mut left = count;
        while left > 0 {
            let events = left.min(per_write);
            let piece = block.slice(..events * event.len());
            if sender.send(Piece::Data(piece)).await.is_err() {
                return;
            }
            left -= events;
        }
        sender.closed().await;
    });
    Ok(reply)
}

/// One event of exactly `size` bytes (when it can hold that many lines) over `lines` data lines.
fn event_of_size(size: usize, lines: usize) -> Vec<u8> {
    // Each line is "data: " + payload + "\n"; the event ends with one more "\n".
    let payload = (size.saturating_sub(1) / lines).saturating_sub(7).max(1);
    let mut event = Vec::with_capacity(size);
    for line in 0..lines {
        event.extend_from_slice(b"data: ");
        let digit = b'a' + (line % 26) as u8;
        event.extend(std::iter::repeat_n(digit, payload));
        event.push(b'\n');
    }
    while event.len() + 1 < size {
        // Pad the last line up to the exact size.
        event.insert(event.len() - 1, b'z');
    }
    event.push(b'\n');
    event
}
