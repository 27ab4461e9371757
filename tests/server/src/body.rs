//! A response body fed by a task through a channel, so handlers can write with delays, hold the
//! response open, or break the connection mid-body.

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;

/// What a writer task sends: bytes, or the order to break the connection without finishing.
pub enum Piece {
    Data(Bytes),
    Reset,
}

/// The error that makes hyper drop the connection without a final chunk.
#[derive(Debug)]
pub struct ConnectionReset;

impl std::fmt::Display for ConnectionReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by the script")
    }
}

impl std::error::Error for ConnectionReset {}

pub struct ChannelBody {
    receiver: mpsc::Receiver<Piece>,
}

/// A body and the sender its writer task uses; the body ends when the sender is dropped.
pub fn channel() -> (mpsc::Sender<Piece>, ChannelBody) {
    let (sender, receiver) = mpsc::channel(16);
    (sender, ChannelBody { receiver })
}

impl Body for ChannelBody {
    type Data = Bytes;
    type Error = ConnectionReset;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, ConnectionReset>>> {
        match self.receiver.poll_recv(cx) {
            Poll::Ready(Some(Piece::Data(bytes))) => Poll::Ready(Some(Ok(Frame::data(bytes)))),
            Poll::Ready(Some(Piece::Reset)) => Poll::Ready(Some(Err(ConnectionReset))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }
}
