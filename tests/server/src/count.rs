//! `/count?n=N&size=B&pause=ms&once=1&retry=ms&hold=K`: N numbered events (`id: i`, data `i:` padded to about B bytes) that
//! resume after `Last-Event-ID`, in 64 KiB writes with `pause` ms between them; the response stays
//! open after the last one. `hold=K`: a response that writes event K stops right after it and
//! stays open, sending nothing more (a test then knows the stream is mid-way, whatever the load). For long-stream tests: every event must arrive exactly once, in order,
//! across however many reconnections the client makes.

use crate::body::{self, Piece};
use crate::query::Query;
use crate::reply::{self, Reply};
use crate::state::InFlight;
use bytes::Bytes;
use hyper::{HeaderMap, StatusCode};

const WRITE_SIZE: usize = 64 * 1024;

pub fn stream(query: &Query, headers: &HeaderMap, in_flight: InFlight) -> Result<Reply, String> {
    let count: u64 = query.number("n")?.unwrap_or(1000);
    let size: usize = query.number("size")?.unwrap_or(100);
    let pause = std::time::Duration::from_millis(query.number("pause")?.unwrap_or(0));
    // `once=1`: end each response after one event, so the client reconnects for every event.
    let once = query.number::<u8>("once")?.unwrap_or(0) == 1;
    let retry: Option<u64> = query.number("retry")?;
    let hold: Option<u64> = query.number("hold")?;
    let first = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(1, |last| last + 1);
    let (sender, body) = body::channel();
    let mut reply = reply::streamed(StatusCode::OK, body);
    reply::set_header(&mut reply, "content-type", "text/event-stream");
    tokio::spawn(async move {
        let _in_flight = in_flight;
        let mut block = Vec::with_capacity(WRITE_SIZE + size + 64);
        if let Some(retry) = retry {
            block.extend_from_slice(format!("retry: {retry}\n").as_bytes());
        }
        for i in first..=count {
            let head = format!("id: {i}\ndata: {i}:");
            block.extend_from_slice(head.as_bytes());
            block.resize(block.len() + size.saturating_sub(head.len() + 3), b'.');
            block.extend_from_slice(b"\n\n");
            let holding = hold == Some(i);
            if block.len() >= WRITE_SIZE || i == count || once || holding {
                let piece = Bytes::from(std::mem::take(&mut block));
                if sender.send(Piece::Data(piece)).await.is_err() {
                    return;
                }
                if once {
                    return;
                }
                if holding {
                    break;
                }
                if !pause.is_zero() {
                    tokio::time::sleep(pause).await;
                }
            }
        }
        sender.closed().await;
    });
    Ok(reply)
}
