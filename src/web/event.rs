//! What an [`EventSource`](super::EventSource) delivers: the three events of the standard, typed.

use alloc::string::String;

pub use crate::engine::ReadyState;

/// One event, in the order the standard's `EventSource` would dispatch it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The connection opened (spec: "announce the connection"); `ready_state` is now `Open`.
    Open,
    /// A message (spec: "dispatch the event").
    Message(MessageEvent),
    /// The connection dropped (it will reconnect: `ready_state` is `Connecting`) or failed (it will
    /// not: `ready_state` is `Closed`).
    Error(ErrorEvent),
}

/// A message, as a `MessageEvent` would carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageEvent {
    /// The event type: the last `event:` field of the block, or `message`.
    pub event_type: String,
    /// The `data:` lines joined with LF.
    pub data: String,
    /// The last event ID at this event (sent as `Last-Event-ID` when reconnecting).
    pub last_event_id: String,
    /// The origin of the URL the stream came from, after redirects.
    pub origin: String,
}

/// An `error` event with what the face knows about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorEvent {
    /// `readyState` after the error: `Connecting` while it reconnects, `Closed` when it gave up.
    pub ready_state: ReadyState,
    /// The status of the response that led to the error, if a response arrived.
    pub status: Option<u16>,
    /// Why the error happened (the engine's reason).
    pub reason: ErrorReason,
    /// Milliseconds until the reconnection, when one follows (`None`: the source is closed).
    pub reconnect_delay: Option<u64>,
}

/// Why an `error` event fired, as the engine decided it.
// In the order of the engine's `Failure`, so the conversion is a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorReason {
    /// The request failed or the body broke off: a network error.
    Network,
    /// The response's status was not 200 (`status` has it).
    Status,
    /// The response was 200 but its `Content-Type` was not `text/event-stream`.
    ContentType,
    /// A cross-origin request failed before the source ever opened (a CORS refusal looks so).
    Cors,
    /// No byte arrived within the heartbeat timeout.
    Heartbeat,
    /// An event grew past the maximum event size.
    TooLarge,
    /// The reconnection limit was reached.
    RetriesExhausted,
    /// The server ended the response body.
    Closed,
    /// The fetch was aborted by something other than this source.
    Aborted,
    /// The request can never be made (credentials in the URL, a scheme fetch cannot speak).
    Request,
    /// The headers closure failed.
    Headers,
}

impl From<crate::engine::Failure> for ErrorReason {
    fn from(failure: crate::engine::Failure) -> Self {
        use crate::engine::Failure;
        match failure {
            Failure::Network => Self::Network,
            Failure::Status => Self::Status,
            Failure::ContentType => Self::ContentType,
            Failure::Cors => Self::Cors,
            Failure::Heartbeat => Self::Heartbeat,
            Failure::TooLarge => Self::TooLarge,
            Failure::RetriesExhausted => Self::RetriesExhausted,
            Failure::Ended => Self::Closed,
            Failure::Aborted => Self::Aborted,
            Failure::Request => Self::Request,
            Failure::Headers => Self::Headers,
        }
    }
}
