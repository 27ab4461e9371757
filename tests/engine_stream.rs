//! A source fed by an application's byte stream (`EventSource.fromReadableStream()`, proposed
//! for the HTML Standard): the engine's stream inputs, and the exact commands they produce.

mod common;

use common::{announced, failed, message, Cmd, Recorder};
use eventsource_wasm::engine::{
    Connection, Failure, Options, ReadyState, DEFAULT_RECONNECTION_TIME,
};

fn started() -> (Connection, Recorder) {
    let mut connection = Connection::new(Options::default());
    connection.stream_start();
    (connection, Recorder::default())
}

/// Bytes from the stream, as the face passes them: the data notice, then the chunk.
fn feed(connection: &mut Connection, chunk: &[u8], out: &mut Recorder) {
    connection.stream_data(out);
    connection.body_chunk(chunk, out);
}

#[test]
fn starts_connecting_without_a_request_and_opens_on_the_first_bytes() {
    let (mut connection, mut out) = started();
    assert_eq!(connection.ready_state(), ReadyState::Connecting);
    feed(&mut connection, b"da", &mut out);
    assert_eq!(out.take(), announced());
    assert_eq!(connection.ready_state(), ReadyState::Open);
    feed(&mut connection, b"ta: a\n\n", &mut out);
    assert_eq!(out.take(), [message("message", "a", "")]);
}

#[test]
fn the_end_of_the_stream_fails_the_connection_and_nothing_reconnects() {
    let (mut connection, mut out) = started();
    feed(
        &mut connection,
        b"retry: 10\ndata: a\n\ndata: partial",
        &mut out,
    );
    out.take();
    connection.stream_end(&mut out);
    assert_eq!(out.take(), failed(Failure::Ended, 0));
    assert_eq!(connection.ready_state(), ReadyState::Closed);
    connection.timer_fired(&mut out);
    feed(&mut connection, b"\n\n", &mut out);
    connection.stream_end(&mut out);
    assert_eq!(out.take(), []);
}

#[test]
fn a_stream_ending_before_any_byte_fails_too() {
    let (mut connection, mut out) = started();
    connection.stream_end(&mut out);
    assert_eq!(out.take(), failed(Failure::Ended, 0));
}

#[test]
fn reset_discards_the_partial_event_and_lets_a_new_bom_be_stripped() {
    let (mut connection, mut out) = started();
    feed(
        &mut connection,
        b"\xEF\xBB\xBFid: 1\ndata: a\n\nevent: x\ndata: lost\nda",
        &mut out,
    );
    assert_eq!(out.take()[2..], [message("message", "a", "1")]);
    connection.stream_reset();
    feed(&mut connection, b"\xEF\xBB\xBFdata: b\n\n", &mut out);
    assert_eq!(out.take(), [message("message", "b", "1")]);
    assert_eq!(connection.last_event_id(), b"1");
}

#[test]
fn reset_before_a_line_end_forgets_a_pending_cr() {
    let (mut connection, mut out) = started();
    feed(&mut connection, b"data: a\r", &mut out);
    out.take();
    connection.stream_reset();
    // Without the reset, this LF would end the CR's line; after it, it is an empty line that
    // dispatches nothing, since the event is gone.
    feed(&mut connection, b"\ndata: b\n\n", &mut out);
    assert_eq!(out.take(), [message("message", "b", "")]);
}

#[test]
fn retry_sets_the_reconnection_time_the_application_reads() {
    let (mut connection, mut out) = started();
    assert_eq!(connection.reconnection_time(), DEFAULT_RECONNECTION_TIME);
    feed(&mut connection, b"retry: 1500\n\nretry: 1x\n\n", &mut out);
    assert_eq!(connection.reconnection_time(), 1500);
}

#[test]
fn close_aborts_the_stream_reader() {
    let (mut connection, mut out) = started();
    connection.close(&mut out);
    assert_eq!(out.take(), [Cmd::Abort, Cmd::State(ReadyState::Closed)]);
}
