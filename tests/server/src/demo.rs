//! The demo's live stream: an event every 500 ms that resumes after `Last-Event-ID`, and a cut
//! that ends every open stream at once so the page shows a reconnection.

use crate::body::{self, Piece};
use crate::reply::{self, Reply};
use crate::state::Shared;
use bytes::Bytes;
use hyper::{HeaderMap, StatusCode};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub fn stream(headers: &HeaderMap, shared: &Arc<Shared>) -> Reply {
    let resume_after: u64 = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let (sender, body) = body::channel();
    let mut reply = reply::streamed(StatusCode::OK, body);
    reply::set_header(&mut reply, "content-type", "text/event-stream");
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        shared.demo_streams.fetch_add(1, Ordering::SeqCst);
        let cut = shared.demo_cut.notified();
        tokio::pin!(cut);
        let mut next = resume_after + 1;
        let mut message = String::from("retry: 1000\n\n");
        loop {
            if sender
                .send(Piece::Data(Bytes::from(message)))
                .await
                .is_err()
            {
                break;
            }
            tokio::select! {
                _ = &mut cut => break,
                _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            }
            message = format!(
                ": keep-alive\nid: {next}\ndata: {{\"n\":{next},\"time\":\"{}\"}}\n\n",
                clock()
            );
            next += 1;
        }
        shared.demo_streams.fetch_sub(1, Ordering::SeqCst);
    });
    reply
}

/// Ends every open demo stream; answers with how many there were.
pub fn cut(shared: &Shared) -> Reply {
    let open = shared.demo_streams.load(Ordering::SeqCst);
    shared.demo_cut.notify_waiters();
    let mut reply = reply::empty(StatusCode::NO_CONTENT);
    reply::set_header(&mut reply, "x-cut", &open.to_string());
    reply
}

/// The time of day, UTC, as HH:MM:SS.
fn clock() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600 % 24,
        seconds / 60 % 60,
        seconds % 60
    )
}
