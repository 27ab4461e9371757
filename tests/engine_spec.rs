//! Table-driven checks of the engine against the WHATWG HTML Standard, section "Server-sent
//! events" (and the Encoding Standard's UTF-8 decode, MIME Sniffing's "parse a MIME type").
//! Every case names the spec rule it checks.

mod common;

use common::{feed_chunks, open_connection, Cmd, Recorder};
use eventsource_wasm::engine::{Connection, Options, ReadyState, DEFAULT_RECONNECTION_TIME};

/// One body, fed in the given chunks to an open connection.
struct Case {
    rule: &'static str,
    chunks: &'static [&'static [u8]],
    events: &'static [(&'static str, &'static str, &'static str)],
    last_event_id: &'static str,
    reconnection_time: u64,
}

const D: u64 = DEFAULT_RECONNECTION_TIME;

const fn case(
    rule: &'static str,
    chunks: &'static [&'static [u8]],
    events: &'static [(&'static str, &'static str, &'static str)],
    last_event_id: &'static str,
    reconnection_time: u64,
) -> Case {
    Case {
        rule,
        chunks,
        events,
        last_event_id,
        reconnection_time,
    }
}

const PARSING: &[Case] = &[
    // Encoding Standard, "UTF-8 decode": BOM handling.
    case(
        "UTF-8 decode: a leading BOM is removed",
        &[b"\xEF\xBB\xBFdata: a\n\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "UTF-8 decode: a BOM split byte by byte is removed",
        &[b"\xEF", b"\xBB", b"\xBF", b"data: a\n\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "UTF-8 decode: only one BOM is removed; a second is U+FEFF in the field name",
        &[b"\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\ndata: b\n\n"],
        &[("message", "b", "")],
        "",
        D,
    ),
    case(
        "UTF-8 decode: a BOM later in the stream is content",
        &[b"data: a\n\n\xEF\xBB\xBFdata: b\n\ndata: c\n\n"],
        &[("message", "a", ""), ("message", "c", "")],
        "",
        D,
    ),
    case(
        "UTF-8 decode: a partial BOM is ordinary (invalid) content",
        &[b"\xEF\xBBdata: a\n\ndata: b\n\n"],
        &[("message", "b", "")],
        "",
        D,
    ),
    case(
        "UTF-8 decode: invalid bytes become U+FFFD",
        &[b"data: a\xFFb\n\n"],
        &[("message", "a\u{FFFD}b", "")],
        "",
        D,
    ),
    case(
        "UTF-8 decode: a truncated sequence is one U+FFFD",
        &[b"data: \xE2\x82\n\n"],
        &[("message", "\u{FFFD}", "")],
        "",
        D,
    ),
    case(
        "UTF-8 decode: each maximal subpart is one U+FFFD",
        &[b"data: \xE0\x80\xED\xA0\x80\n\n"],
        &[("message", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}", "")],
        "",
        D,
    ),
    case(
        "UTF-8 decode: a lead byte before ASCII is one U+FFFD, the ASCII stays",
        &[b"data: \xC3(\n\n"],
        &[("message", "\u{FFFD}(", "")],
        "",
        D,
    ),
    case(
        "UTF-8 decode: a 4-byte sequence split across chunks",
        &[b"data: \xF0\x9F", b"\x98", b"\x80\n\n"],
        &[("message", "\u{1F600}", "")],
        "",
        D,
    ),
    case(
        "UTF-8 decode: a 3-byte sequence split across chunks",
        &[b"data: \xE2", b"\x82\xAC\n\n"],
        &[("message", "\u{20AC}", "")],
        "",
        D,
    ),
    case(
        "UTF-8 decode: U+FFFD in an id",
        &[b"id: \xFF\ndata: a\n\n"],
        &[("message", "a", "\u{FFFD}")],
        "\u{FFFD}",
        D,
    ),
    case(
        "UTF-8 decode: U+FFFD in an event type",
        &[b"event: \xFF\ndata: a\n\n"],
        &[("\u{FFFD}", "a", "")],
        "",
        D,
    ),
    // Parsing an event stream: line ends.
    case(
        "Parsing: LF ends a line",
        &[b"data: a\n\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Parsing: CRLF ends a line",
        &[b"data: a\r\n\r\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Parsing: CR ends a line",
        &[b"data: a\r\r"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Parsing: mixed line ends",
        &[b"data: a\r\ndata: b\rdata: c\n\r\n"],
        &[("message", "a\nb\nc", "")],
        "",
        D,
    ),
    case(
        "Parsing: CRLF split across chunks is one line end",
        &[b"data: a\r", b"\ndata: b\r\n\r\n"],
        &[("message", "a\nb", "")],
        "",
        D,
    ),
    case(
        "Parsing: CR at a chunk end then CR is two line ends",
        &[b"data: a\r", b"\r"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Parsing: LF LF split across chunks",
        &[b"data: a\n", b"\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Parsing: CR then LF in separate later chunks",
        &[b"data: a\r", b"", b"\n\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Parsing: LF CR is two line ends",
        &[b"data: a\n\r"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Parsing: a line may span many chunks",
        &[b"da", b"ta", b": h", b"ello", b"\n", b"\n"],
        &[("message", "hello", "")],
        "",
        D,
    ),
    // Interpreting an event stream: fields.
    case(
        "Interpreting: one leading space is removed from the value",
        &[b"data:  a\n\n"],
        &[("message", " a", "")],
        "",
        D,
    ),
    case(
        "Interpreting: no space after the colon",
        &[b"data:a\n\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Interpreting: a tab is not removed",
        &[b"data:\ta\n\n"],
        &[("message", "\ta", "")],
        "",
        D,
    ),
    case(
        "Interpreting: only the first colon splits",
        &[b"data: a: b:c\n\n"],
        &[("message", "a: b:c", "")],
        "",
        D,
    ),
    case(
        "Interpreting: a line with no colon is a field with an empty value",
        &[b"data\n\n"],
        &[("message", "", "")],
        "",
        D,
    ),
    case(
        "Interpreting: a line starting with a colon is a comment",
        &[b": comment\ndata: a\n\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Interpreting: a lone colon is a comment",
        &[b":\n\ndata: a\n\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Interpreting: unknown fields are ignored",
        &[b"foo: bar\ndata: a\nbaz\n\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Interpreting: field names are case-sensitive",
        &[b"Data: x\nDATA: y\ndata: a\n\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Interpreting: a field name with a space is unknown",
        &[b"data : x\ndata: a\n\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    // Interpreting: data and dispatch.
    case(
        "Interpreting: data lines are joined with LF",
        &[b"data: a\ndata: b\n\n"],
        &[("message", "a\nb", "")],
        "",
        D,
    ),
    case(
        "Dispatch step 3: only one trailing LF is removed",
        &[b"data: a\ndata\n\n"],
        &[("message", "a\n", "")],
        "",
        D,
    ),
    case(
        "Interpreting: an empty data value dispatches an empty string",
        &[b"data:\n\n"],
        &[("message", "", "")],
        "",
        D,
    ),
    case(
        "Interpreting: two empty data lines give one LF",
        &[b"data\ndata\n\n"],
        &[("message", "\n", "")],
        "",
        D,
    ),
    case(
        "Dispatch step 2: no data means no event",
        &[b"event: x\n\n"],
        &[],
        "",
        D,
    ),
    case(
        "Dispatch step 2: no data resets the event type",
        &[b"event: x\n\ndata: a\n\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Interpreting: a blank line with nothing buffered dispatches nothing",
        &[b"\n\n\n"],
        &[],
        "",
        D,
    ),
    case(
        "Dispatch step 6: the event type buffer names the event",
        &[b"event: add\ndata: a\n\n"],
        &[("add", "a", "")],
        "",
        D,
    ),
    case(
        "Dispatch step 7: the event type resets after dispatch",
        &[b"event: add\ndata: a\n\ndata: b\n\n"],
        &[("add", "a", ""), ("message", "b", "")],
        "",
        D,
    ),
    case(
        "Dispatch step 6: an empty event type means message",
        &[b"event:\ndata: a\n\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Interpreting: the last event field wins",
        &[b"event: a\nevent: b\ndata: x\n\n"],
        &[("b", "x", "")],
        "",
        D,
    ),
    case(
        "Interpreting: data may hold U+0000",
        &[b"data: a\x00b\n\n"],
        &[("message", "a\0b", "")],
        "",
        D,
    ),
    case(
        "Parsing: an incomplete event at the end is discarded",
        &[b"data: a\n\ndata: b\n"],
        &[("message", "a", "")],
        "",
        D,
    ),
    case(
        "Parsing: an unterminated last line is discarded",
        &[b"data: a\n\ndata: b"],
        &[("message", "a", "")],
        "",
        D,
    ),
    // Interpreting: id.
    case(
        "Interpreting: id sets the last event ID of the event",
        &[b"id: 1\ndata: a\n\n"],
        &[("message", "a", "1")],
        "1",
        D,
    ),
    case(
        "Interpreting: the last event ID persists across events",
        &[b"id: 1\ndata: a\n\ndata: b\n\n"],
        &[("message", "a", "1"), ("message", "b", "1")],
        "1",
        D,
    ),
    case(
        "Interpreting: an id with U+0000 is ignored",
        &[b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n"],
        &[("message", "a", "1"), ("message", "b", "1")],
        "1",
        D,
    ),
    case(
        "Interpreting: an empty id resets the last event ID",
        &[b"id: 1\ndata: a\n\nid\ndata: b\n\n"],
        &[("message", "a", "1"), ("message", "b", "")],
        "",
        D,
    ),
    case(
        "Dispatch step 1: an id-only block sets the last event ID",
        &[b"id: 7\n\ndata: a\n\n"],
        &[("message", "a", "7")],
        "7",
        D,
    ),
    case(
        "Dispatch step 1: an id in an incomplete event is not committed",
        &[b"id: 1\ndata: a\n\nid: 2\ndata: b"],
        &[("message", "a", "1")],
        "1",
        D,
    ),
    case(
        "Interpreting: the last id field before dispatch wins",
        &[b"id: 1\nid: 2\ndata: a\n\n"],
        &[("message", "a", "2")],
        "2",
        D,
    ),
    case(
        "Interpreting: id keeps spaces after the first",
        &[b"id:  x \ndata: a\n\n"],
        &[("message", "a", " x ")],
        " x ",
        D,
    ),
    // Interpreting: retry.
    case(
        "Interpreting: retry with digits sets the reconnection time",
        &[b"retry: 1234\n"],
        &[],
        "",
        1234,
    ),
    case(
        "Interpreting: retry applies without a dispatch",
        &[b"retry: 5\ndata: a"],
        &[],
        "",
        5,
    ),
    case(
        "Interpreting: retry with a non-digit is ignored",
        &[b"retry: 12a\n"],
        &[],
        "",
        D,
    ),
    case(
        "Interpreting: an empty retry is ignored",
        &[b"retry:\nretry\n"],
        &[],
        "",
        D,
    ),
    case(
        "Interpreting: retry with two leading spaces is ignored",
        &[b"retry:  5\n"],
        &[],
        "",
        D,
    ),
    case(
        "Interpreting: a negative retry is ignored",
        &[b"retry: -5\n"],
        &[],
        "",
        D,
    ),
    case(
        "Interpreting: retry 0 is valid",
        &[b"retry: 0\n"],
        &[],
        "",
        0,
    ),
    case(
        "Interpreting: a retry too large for 64 bits is ignored",
        &[b"retry: 99999999999999999999999\n"],
        &[],
        "",
        D,
    ),
    case(
        "Interpreting: the last valid retry wins",
        &[b"retry: 1\nretry: x\nretry: 2\n"],
        &[],
        "",
        2,
    ),
];

#[test]
fn parsing_and_interpreting_rules() {
    assert!(PARSING.len() >= 60, "the table covers every rule");
    for case in PARSING {
        let (events, last_event_id, reconnection_time) = feed_chunks(case.chunks);
        let expected: Vec<(String, String, String)> = case
            .events
            .iter()
            .map(|(t, d, i)| ((*t).to_owned(), (*d).to_owned(), (*i).to_owned()))
            .collect();
        assert_eq!(events, expected, "{}", case.rule);
        assert_eq!(
            last_event_id, case.last_event_id,
            "{}: last event ID",
            case.rule
        );
        assert_eq!(
            reconnection_time, case.reconnection_time,
            "{}: reconnection time",
            case.rule
        );
    }
}

/// Response heads: (rule, status, Content-Type, announces).
const RESPONSES: &[(&str, u16, Option<&[u8]>, bool)] = &[
    (
        "Processing model: 200 text/event-stream announces",
        200,
        Some(b"text/event-stream"),
        true,
    ),
    (
        "MIME essence: parameters are allowed",
        200,
        Some(b"text/event-stream; charset=utf-8"),
        true,
    ),
    (
        "MIME essence: case-insensitive",
        200,
        Some(b"TEXT/Event-Stream"),
        true,
    ),
    (
        "MIME parse: surrounding whitespace is trimmed",
        200,
        Some(b" \ttext/event-stream \t"),
        true,
    ),
    (
        "MIME parse: whitespace before parameters",
        200,
        Some(b"text/event-stream ;a=b"),
        true,
    ),
    (
        "Extract a MIME type: the last valid value of a combined header wins",
        200,
        Some(b"text/plain, text/event-stream"),
        true,
    ),
    (
        "Extract a MIME type: an invalid later value does not count",
        200,
        Some(b"text/event-stream, nonsense"),
        true,
    ),
    (
        "Extract a MIME type: a later valid other type wins",
        200,
        Some(b"text/event-stream, text/plain"),
        false,
    ),
    (
        "Processing model: another type fails",
        200,
        Some(b"text/plain"),
        false,
    ),
    ("Processing model: no Content-Type fails", 200, None, false),
    (
        "MIME parse: a longer subtype is another type",
        200,
        Some(b"text/event-streams"),
        false,
    ),
    (
        "MIME parse: a space before the slash is not a token",
        200,
        Some(b"text /event-stream"),
        false,
    ),
    ("MIME parse: an empty value fails", 200, Some(b""), false),
    (
        "Processing model: 201 fails",
        201,
        Some(b"text/event-stream"),
        false,
    ),
    (
        "Processing model: 204 fails",
        204,
        Some(b"text/event-stream"),
        false,
    ),
    (
        "Processing model: 206 fails",
        206,
        Some(b"text/event-stream"),
        false,
    ),
    (
        "Processing model: 301 fails (redirects are followed before)",
        301,
        Some(b"text/event-stream"),
        false,
    ),
    (
        "Processing model: 404 fails",
        404,
        Some(b"text/event-stream"),
        false,
    ),
    (
        "Processing model: 500 fails",
        500,
        Some(b"text/event-stream"),
        false,
    ),
];

#[test]
fn response_heads_announce_or_fail() {
    for (rule, status, content_type, announces) in RESPONSES {
        let mut connection = Connection::new(Options::default());
        let mut out = Recorder::default();
        connection.start(&mut out);
        assert_eq!(out.take(), vec![Cmd::Connect(String::new())], "{rule}");
        connection.response(*status, *content_type, &mut out);
        let expected = if *announces {
            vec![Cmd::State(ReadyState::Open), Cmd::Open]
        } else {
            // "Fail the connection": CLOSED, error, and no reconnection.
            vec![Cmd::Abort, Cmd::State(ReadyState::Closed), Cmd::Error]
        };
        assert_eq!(out.take(), expected, "{rule}");
        connection.body_ended(&mut out);
        connection.timer_fired(&mut out);
        if !announces {
            assert!(
                out.take().is_empty(),
                "{rule}: a failed connection stays failed"
            );
        }
    }
}

#[test]
fn end_of_body_reestablishes_the_connection() {
    // Spec: "reestablish the connection": CONNECTING, error, wait the reconnection time, fetch
    // again with Last-Event-ID.
    let (mut connection, mut out) = open_connection(Options::default());
    connection.body_chunk(b"retry: 25\nid: 41\ndata: a\n\ndata: lost", &mut out);
    out.take();
    connection.body_ended(&mut out);
    assert_eq!(
        out.take(),
        vec![
            Cmd::State(ReadyState::Connecting),
            Cmd::Error,
            Cmd::ArmTimer(25)
        ]
    );
    assert_eq!(connection.ready_state(), ReadyState::Connecting);
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), vec![Cmd::Connect("41".into())]);
    connection.response(200, Some(b"text/event-stream"), &mut out);
    connection.body_chunk(b"data: b\n\n", &mut out);
    assert_eq!(
        out.take(),
        vec![
            Cmd::State(ReadyState::Open),
            Cmd::Open,
            Cmd::Message {
                event_type: "message".into(),
                data: "b".into(),
                id: "41".into()
            },
        ],
        "the discarded partial event does not leak into the next stream"
    );
}

#[test]
fn a_network_error_reestablishes_before_or_during_the_body() {
    let mut connection = Connection::new(Options::default());
    let mut out = Recorder::default();
    connection.start(&mut out);
    out.take();
    connection.network_error(&mut out);
    assert_eq!(
        out.take(),
        vec![
            Cmd::State(ReadyState::Connecting),
            Cmd::Error,
            Cmd::ArmTimer(D)
        ]
    );
    let (mut connection, mut out) = open_connection(Options::default());
    connection.network_error(&mut out);
    assert_eq!(
        out.take(),
        vec![
            Cmd::State(ReadyState::Connecting),
            Cmd::Error,
            Cmd::ArmTimer(D)
        ]
    );
}

#[test]
fn a_cross_origin_request_failing_before_any_open_fails_the_connection() {
    // Spec: a network error reestablishes "unless the user agent knows that to be futile"; a
    // script sees a CORS refusal as a network error, and browsers fail on it.
    let mut connection = Connection::new(Options::default());
    let mut out = Recorder::default();
    connection.start(&mut out);
    out.take();
    connection.request_failed(true, &mut out);
    assert_eq!(
        out.take(),
        vec![Cmd::Abort, Cmd::State(ReadyState::Closed), Cmd::Error]
    );
    // Same-origin, or after the stream once opened, it reestablishes.
    let mut connection = Connection::new(Options::default());
    connection.start(&mut out);
    out.take();
    connection.request_failed(false, &mut out);
    assert_eq!(
        out.take(),
        vec![
            Cmd::State(ReadyState::Connecting),
            Cmd::Error,
            Cmd::ArmTimer(D)
        ]
    );
    let (mut connection, mut out) = open_connection(Options::default());
    connection.body_ended(&mut out);
    connection.timer_fired(&mut out);
    out.take();
    connection.request_failed(true, &mut out);
    assert_eq!(
        out.take(),
        vec![
            Cmd::State(ReadyState::Connecting),
            Cmd::Error,
            Cmd::ArmTimer(D)
        ]
    );
}

/// Brings a started connection into the phase under test.
type Reach = fn(&mut Connection, &mut Recorder);

#[test]
fn close_stops_everything_in_every_phase() {
    // Spec: close() aborts the fetch and sets CLOSED; no event fires afterwards.
    let phases: [(&str, Reach, Cmd); 3] = [
        ("requesting", |_, _| {}, Cmd::Abort),
        (
            "streaming",
            |c, o| c.response(200, Some(b"text/event-stream"), o),
            Cmd::Abort,
        ),
        (
            "waiting",
            |c, o| {
                c.response(200, Some(b"text/event-stream"), o);
                c.body_ended(o);
            },
            Cmd::CancelTimer,
        ),
    ];
    for (phase, reach, stop) in phases {
        let mut connection = Connection::new(Options::default());
        let mut out = Recorder::default();
        connection.start(&mut out);
        reach(&mut connection, &mut out);
        out.take();
        connection.close(&mut out);
        assert_eq!(
            out.take(),
            vec![stop, Cmd::State(ReadyState::Closed)],
            "{phase}"
        );
        // Nothing at all happens afterwards, whatever arrives.
        connection.close(&mut out);
        connection.response(200, Some(b"text/event-stream"), &mut out);
        connection.body_chunk(b"data: late\n\n", &mut out);
        connection.body_ended(&mut out);
        connection.network_error(&mut out);
        connection.timer_fired(&mut out);
        connection.start(&mut out);
        assert!(out.take().is_empty(), "{phase}: nothing after close()");
        assert_eq!(connection.ready_state(), ReadyState::Closed);
    }
}

#[test]
fn inputs_in_the_wrong_phase_are_ignored() {
    let mut connection = Connection::new(Options::default());
    let mut out = Recorder::default();
    connection.body_chunk(b"data: early\n\n", &mut out);
    connection.response(200, Some(b"text/event-stream"), &mut out);
    connection.timer_fired(&mut out);
    assert!(out.take().is_empty(), "nothing before start()");
    connection.start(&mut out);
    connection.start(&mut out);
    assert_eq!(
        out.take(),
        vec![Cmd::Connect(String::new())],
        "start() connects once"
    );
    connection.body_chunk(b"data: before the head\n\n", &mut out);
    connection.timer_fired(&mut out);
    assert!(out.take().is_empty());
    connection.response(200, Some(b"text/event-stream"), &mut out);
    out.take();
    connection.response(200, Some(b"text/event-stream"), &mut out);
    connection.timer_fired(&mut out);
    assert!(
        out.take().is_empty(),
        "a second head or a stray timer changes nothing"
    );
}

#[test]
fn the_maximum_event_size_fails_the_connection() {
    let options = Options {
        max_event_size: Some(16),
        ..Options::default()
    };
    // Exactly at the limit: fine.
    let (mut connection, mut out) = open_connection(options);
    connection.body_chunk(b"data: 0123456789abcde\n\n", &mut out);
    assert_eq!(out.messages().len(), 1, "16 bytes (15 + LF) fit");
    // Accumulated over several data lines.
    let (mut connection, mut out) = open_connection(options);
    connection.body_chunk(b"data: 01234567\ndata: 89abcdef\n", &mut out);
    assert_eq!(
        out.take(),
        vec![Cmd::Abort, Cmd::State(ReadyState::Closed), Cmd::Error]
    );
    // One huge line arriving in many chunks fails before it ends.
    let (mut connection, mut out) = open_connection(options);
    for _ in 0..10 {
        connection.body_chunk(b"data: xxxxx", &mut out);
    }
    assert_eq!(
        out.take(),
        vec![Cmd::Abort, Cmd::State(ReadyState::Closed), Cmd::Error]
    );
    // Unbounded by default, like native.
    let (mut connection, mut out) = open_connection(Options::default());
    let big = format!("data: {}\n\n", "x".repeat(1 << 20));
    connection.body_chunk(big.as_bytes(), &mut out);
    assert_eq!(out.messages()[0].1.len(), 1 << 20);
}

#[test]
fn recycle_restarts_invisibly_at_the_next_resume_point() {
    let (mut connection, mut out) = open_connection(Options::default());
    connection.body_chunk(b"id: 3\ndata: a\n\ndata: partial", &mut out);
    out.take();
    assert!(
        !connection.recycle(&mut out),
        "not while an event is half read"
    );
    // The restart happens at the end of the next block that sets the ID; the rest of that chunk
    // is left for the resumed stream to send again.
    connection.body_chunk(
        b"\n\ndata: no id\n\nid: 4\ndata: b\n\ndata: resent later\n\n",
        &mut out,
    );
    assert_eq!(
        out.take(),
        vec![
            Cmd::Message {
                event_type: "message".into(),
                data: "partial".into(),
                id: "3".into()
            },
            Cmd::Message {
                event_type: "message".into(),
                data: "no id".into(),
                id: "3".into()
            },
            Cmd::Message {
                event_type: "message".into(),
                data: "b".into(),
                id: "4".into()
            },
            Cmd::Abort,
            Cmd::Connect("4".into()),
        ]
    );
    assert_eq!(
        connection.ready_state(),
        ReadyState::Open,
        "the page sees no change"
    );
    connection.response(200, Some(b"text/event-stream"), &mut out);
    assert!(out.take().is_empty(), "no second open event");
    connection.body_chunk(b"data: resent later\n\nid: 5\n\n", &mut out);
    assert_eq!(
        out.messages(),
        vec![("message".into(), "resent later".into(), "4".into())]
    );
    // Right at a resume point the restart is immediate.
    out.take();
    assert!(connection.recycle(&mut out));
    assert_eq!(out.take(), vec![Cmd::Abort, Cmd::Connect("5".into())]);
}

#[test]
fn requests_carry_the_last_event_id() {
    // Spec: "The Last-Event-ID header": sent when the last event ID string is not empty.
    let (mut connection, mut out) = open_connection(Options::default());
    connection.body_chunk("id: é\u{1F600}\ndata: a\n\n".as_bytes(), &mut out);
    connection.body_ended(&mut out);
    out.take();
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), vec![Cmd::Connect("é\u{1F600}".into())]);
}

#[test]
fn backoff_jitter_cap_and_retry_limit() {
    use eventsource_wasm::engine::ReconnectPolicy;
    let policy = ReconnectPolicy {
        backoff_permille: 2000,
        max_delay: 1000,
        jitter_permille: 0,
        max_retries: 4,
    };
    let options = Options {
        reconnection_time: 100,
        policy,
        ..Options::default()
    };
    let mut connection = Connection::new(options);
    let mut out = Recorder::default();
    connection.start(&mut out);
    let mut delays = Vec::new();
    for _ in 0..5 {
        connection.network_error(&mut out);
        for command in out.take() {
            if let Cmd::ArmTimer(ms) = command {
                delays.push(ms);
            }
        }
        connection.timer_fired(&mut out);
    }
    assert_eq!(
        delays,
        vec![100, 200, 400, 800],
        "doubling per consecutive failure"
    );
    assert_eq!(
        connection.ready_state(),
        ReadyState::Closed,
        "the fifth failure gives up"
    );
    // A successful open resets the count; the cap holds; `retry:` sets the base.
    let options = Options {
        reconnection_time: 100,
        policy: ReconnectPolicy {
            max_retries: u32::MAX,
            ..policy
        },
        ..Options::default()
    };
    let (mut connection, mut out) = open_connection(options);
    connection.body_chunk(b"retry: 300\n", &mut out);
    for expected in [300, 600, 1000, 1000] {
        connection.body_ended(&mut out);
        assert_eq!(out.take().last(), Some(&Cmd::ArmTimer(expected)));
        connection.timer_fired(&mut out);
        out.take();
    }
    connection.response(200, Some(b"text/event-stream"), &mut out);
    connection.body_ended(&mut out);
    assert_eq!(
        out.take().last(),
        Some(&Cmd::ArmTimer(300)),
        "reset after an open"
    );
    // Jitter takes off up to the given fraction, never more.
    let jittery = ReconnectPolicy {
        jitter_permille: 500,
        ..ReconnectPolicy::default()
    };
    let mut random = eventsource_wasm::engine::Random::new(7);
    let spread: Vec<u64> = (0..200)
        .map(|_| jittery.delay(1000, 1, &mut random))
        .collect();
    assert!(spread.iter().all(|d| (500..=1000).contains(d)));
    assert!(
        spread.iter().any(|&d| d < 900) && spread.iter().any(|&d| d > 900),
        "spread out"
    );
}

#[test]
fn reconnect_on_error_retries_server_errors_after_retry_after() {
    use eventsource_wasm::engine::ResponseHead;
    let options = Options {
        reconnect_on_error: true,
        reconnection_time: 50,
        ..Options::default()
    };
    for (status, retry_after, delay) in [
        (500, None, 50),
        (503, Some(2000), 2000),
        (429, Some(10), 50),
    ] {
        let mut connection = Connection::new(options);
        let mut out = Recorder::default();
        connection.start(&mut out);
        out.take();
        connection.response_head(
            ResponseHead {
                status,
                content_type: Some(b"text/plain"),
                retry_after,
            },
            &mut out,
        );
        assert_eq!(
            out.take(),
            vec![
                Cmd::Abort,
                Cmd::State(ReadyState::Connecting),
                Cmd::Error,
                Cmd::ArmTimer(delay)
            ],
            "status {status}"
        );
    }
    // 404 still fails; and without the option 500 fails as native does.
    let mut connection = Connection::new(options);
    let mut out = Recorder::default();
    connection.start(&mut out);
    connection.response(404, Some(b"text/event-stream"), &mut out);
    assert_eq!(connection.ready_state(), ReadyState::Closed);
    // A cross-origin network error before the first open is retried too.
    let mut connection = Connection::new(options);
    connection.start(&mut out);
    connection.request_failed(true, &mut out);
    assert_eq!(connection.ready_state(), ReadyState::Connecting);
}

#[test]
fn heartbeat_watchdog_reconnects_a_silent_connection() {
    let options = Options {
        heartbeat_timeout: Some(500),
        reconnection_time: 10,
        ..Options::default()
    };
    let mut connection = Connection::new(options);
    let mut out = Recorder::default();
    connection.start(&mut out);
    assert_eq!(
        out.take(),
        vec![Cmd::Connect(String::new()), Cmd::Heartbeat(500)]
    );
    connection.response(200, Some(b"text/event-stream"), &mut out);
    out.take();
    connection.body_chunk(b": keep-alive\n", &mut out);
    assert_eq!(
        out.take(),
        vec![Cmd::Heartbeat(500)],
        "any byte, comments included, re-arms it"
    );
    connection.heartbeat_expired(&mut out);
    assert_eq!(
        out.take(),
        vec![
            Cmd::Abort,
            Cmd::CancelHeartbeat,
            Cmd::State(ReadyState::Connecting),
            Cmd::Error,
            Cmd::ArmTimer(10)
        ]
    );
    connection.heartbeat_expired(&mut out);
    assert!(
        out.take().is_empty(),
        "no watchdog while waiting to reconnect"
    );
    connection.close(&mut out);
    assert_eq!(
        out.take(),
        vec![
            Cmd::CancelTimer,
            Cmd::CancelHeartbeat,
            Cmd::State(ReadyState::Closed)
        ]
    );
}
