//! Table-driven checks of the engine against the WHATWG HTML Standard, section "Server-sent
//! events" ("Parsing an event stream", "Interpreting an event stream", "Processing model"), the
//! Encoding Standard's "UTF-8 decode" and the MIME type rules of Fetch and MIME Sniffing.
//!
//! The cases are data, in tests/fixtures/spec-cases.json (the Node test of the built package
//! reads the same file). Each one is its own named test, `<table>::<name>`, so a failure hides
//! no other and `cargo test <name>` runs one rule alone. Everything goes through the public API
//! a JavaScript face uses (`Connection` and its commands), and the order of commands is asserted
//! exactly.
//!
//! Byte strings in the fixtures (chunks, header values) are JSON strings whose characters stand
//! for their UTF-8 bytes, except two escapes: `\xNN` is the byte NN (invalid UTF-8, controls, a
//! BOM) and `\\` a backslash. Expected texts (event types, data, IDs) are plain JSON strings.

mod common;

use common::{
    announced, failed, is_error, message, messages, open_connection, reestablished, Cmd, Recorder,
};
use eventsource_wasm::engine::{
    Connection, Failure, Options, ReadyState, DEFAULT_RECONNECTION_TIME,
};
use libtest_mimic::{Arguments, Trial};
use serde_json::Value;

const FIXTURES: &str = include_str!("fixtures/spec-cases.json");

/// How many cases each table held when they became fixtures: none may get lost.
const AT_LEAST: [(&str, usize); 3] = [("parsing", 117), ("responses", 41), ("maxEventSize", 19)];

/// No command at all.
const NOTHING: [Cmd; 0] = [];

type Event = (String, String, String);

/// Response bodies (each a list of chunks, one body per connection) and what they must produce.
#[derive(Debug)]
struct ParsingCase {
    rule: String,
    bodies: Vec<Vec<Vec<u8>>>,
    /// Every dispatched event, over all bodies: (type, data, lastEventId).
    events: Vec<Event>,
    /// The last event ID string at the end (sent as `Last-Event-ID` on the next connection).
    last_event_id: String,
    /// The reconnection time at the end (the delay of the last `ArmTimer`).
    reconnection_time: u64,
}

/// A response head and whether it announces the connection (otherwise it fails it).
#[derive(Debug)]
struct ResponseCase {
    rule: String,
    status: u16,
    content_type: Option<Vec<u8>>,
    announces: bool,
    /// Why it fails, when it does: the error's reason.
    reason: Option<Failure>,
}

/// Chunks under a maximum event size, and the commands after the connection opened.
#[derive(Debug)]
struct SizeCase {
    rule: String,
    max_event_size: usize,
    chunks: Vec<Vec<u8>>,
    expected: Vec<Cmd>,
}

fn main() {
    let arguments = Arguments::from_args();
    let fixtures: Value = serde_json::from_str(FIXTURES).expect("tests/fixtures/spec-cases.json");
    let mut trials = vec![fixture_checks(&fixtures)];
    for case in table(&fixtures, "parsing") {
        let parsed = parsing_case(case);
        trials.push(Trial::test(name("parsing", case), move || {
            check_parsing(&parsed);
            Ok(())
        }));
    }
    for case in table(&fixtures, "responses") {
        let parsed = response_case(case);
        trials.push(Trial::test(name("response", case), move || {
            check_response(&parsed);
            Ok(())
        }));
    }
    for case in table(&fixtures, "maxEventSize") {
        let parsed = size_case(case);
        trials.push(Trial::test(name("max_event_size", case), move || {
            check_size(&parsed);
            Ok(())
        }));
    }
    libtest_mimic::run(&arguments, trials).exit();
}

// --- the fixtures file ---

fn table<'a>(fixtures: &'a Value, key: &str) -> &'a [Value] {
    fixtures[key]
        .as_array()
        .unwrap_or_else(|| panic!("fixtures: `{key}` is not a list"))
}

fn name(table: &str, case: &Value) -> String {
    format!("{table}::{}", text(&case["name"]))
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("fixtures: {value} is not a string"))
        .to_owned()
}

/// A fixture byte string: characters are their UTF-8 bytes, `\xNN` one byte, `\\` a backslash.
fn bytes(value: &Value) -> Vec<u8> {
    let text = text(value);
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            continue;
        }
        match chars.next() {
            Some('\\') => out.push(b'\\'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(
                    u8::from_str_radix(&hex, 16)
                        .unwrap_or_else(|_| panic!("fixtures: bad \\x{hex} in {text:?}")),
                );
            }
            other => panic!("fixtures: unknown escape \\{other:?} in {text:?}"),
        }
    }
    out
}

fn number<T: TryFrom<u64>>(value: &Value) -> T {
    value
        .as_u64()
        .and_then(|n| T::try_from(n).ok())
        .unwrap_or_else(|| panic!("fixtures: {value} is not a number in range"))
}

fn chunks(value: &Value) -> Vec<Vec<u8>> {
    let list = value.as_array().expect("fixtures: chunks are a list");
    list.iter().map(bytes).collect()
}

fn events(value: &Value) -> Vec<Event> {
    let list = value.as_array().expect("fixtures: events are a list");
    list.iter()
        .map(|event| match event.as_array().map(Vec::as_slice) {
            Some([t, d, i]) => (text(t), text(d), text(i)),
            _ => panic!("fixtures: an event is [type, data, lastEventId], not {event}"),
        })
        .collect()
}

fn parsing_case(case: &Value) -> ParsingCase {
    let bodies = case["bodies"].as_array().expect("fixtures: bodies");
    ParsingCase {
        rule: text(&case["rule"]),
        bodies: bodies.iter().map(chunks).collect(),
        events: events(&case["events"]),
        last_event_id: case.get("lastEventId").map(text).unwrap_or_default(),
        reconnection_time: case
            .get("reconnectionTime")
            .map_or(DEFAULT_RECONNECTION_TIME, number),
    }
}

fn response_case(case: &Value) -> ResponseCase {
    let content_type = &case["contentType"];
    ResponseCase {
        rule: text(&case["rule"]),
        status: number(&case["status"]),
        content_type: (!content_type.is_null()).then(|| bytes(content_type)),
        announces: case["announces"].as_bool().expect("fixtures: announces"),
        reason: case.get("reason").map(|reason| match reason.as_str() {
            Some("status") => Failure::Status,
            Some("content-type") => Failure::ContentType,
            other => panic!("fixtures: unknown reason {other:?}"),
        }),
    }
}

fn size_case(case: &Value) -> SizeCase {
    let mut expected: Vec<Cmd> = events(&case["events"])
        .iter()
        .map(|(t, d, i)| message(t, d, i))
        .collect();
    if case["fails"].as_bool().expect("fixtures: fails") {
        // An event past the maximum size fails the open stream (its status was 200).
        expected.extend(failed(Failure::TooLarge, 200));
    }
    SizeCase {
        rule: text(&case["rule"]),
        max_event_size: number(&case["maxEventSize"]),
        chunks: chunks(&case["chunks"]),
        expected,
    }
}

/// The file itself: no table shrank, names are snake_case and none is part of another (so
/// `cargo test <name>` selects exactly one), the default reconnection time is the engine's.
fn fixture_checks(fixtures: &Value) -> Trial {
    let fixtures = fixtures.clone();
    Trial::test("fixtures::names_counts_and_defaults", move || {
        let mut names = Vec::new();
        for (key, least) in AT_LEAST {
            let cases = table(&fixtures, key);
            assert!(cases.len() >= least, "{key}: {} cases", cases.len());
            names.extend(cases.iter().map(|case| text(&case["name"])));
        }
        for name in &names {
            let snake = name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            assert!(snake && !name.is_empty(), "{name:?} is not snake_case");
            let within: Vec<&String> = names
                .iter()
                .filter(|other| *other != name && other.contains(name.as_str()))
                .collect();
            assert!(within.is_empty(), "{name:?} is part of {within:?}");
            let twice = names.iter().filter(|other| *other == name).count();
            assert_eq!(twice, 1, "{name:?} names {twice} cases");
        }
        assert_eq!(
            fixtures["defaultReconnectionTime"].as_u64(),
            Some(DEFAULT_RECONNECTION_TIME),
            "the fixtures' default reconnection time"
        );
        Ok(())
    })
}

// --- the checks ---

/// How a case's bodies are cut into chunks.
#[derive(Debug, Clone, Copy)]
enum Feeding {
    AsGiven,
    Whole,
    ByteByByte,
}

fn rechunk(body: &[Vec<u8>], feeding: Feeding) -> Vec<Vec<u8>> {
    let whole = body.concat();
    match feeding {
        Feeding::AsGiven => body.to_vec(),
        Feeding::Whole => vec![whole],
        Feeding::ByteByByte => whole.iter().map(|&b| vec![b]).collect(),
    }
}

/// Runs a case's bodies through one connection, asserting every command of the life cycle in
/// order; returns the events, the final last event ID and the final reconnection time.
fn run_case(case: &ParsingCase, feeding: Feeding) -> (Vec<Event>, String, u64) {
    let rule = &case.rule;
    let mut connection = Connection::new(Options::default());
    let mut out = Recorder::default();
    let mut events = Vec::new();
    // Constructor: fetch, no Last-Event-ID.
    connection.start(&mut out);
    assert_eq!(out.take(), [Cmd::Connect(String::new())], "{rule}");
    for body in &case.bodies {
        connection.response(200, Some(b"text/event-stream"), &mut out);
        assert_eq!(out.take(), announced(), "{rule}: announce the connection");
        for chunk in rechunk(body, feeding) {
            connection.body_chunk(&chunk, &mut out);
            let commands = out.take();
            assert!(
                commands.iter().all(|c| matches!(c, Cmd::Message { .. })),
                "{rule}: a body only fires messages: {commands:?}"
            );
            events.extend(messages(&commands));
        }
        connection.body_ended(&mut out);
        assert_eq!(
            out.take(),
            reestablished(connection.reconnection_time(), Failure::Ended, 200),
            "{rule}: reestablish the connection"
        );
        connection.timer_fired(&mut out);
        assert_eq!(
            out.take(),
            [Cmd::Connect(common::text(connection.last_event_id()))],
            "{rule}: the next request carries the last event ID"
        );
    }
    (
        events,
        common::text(connection.last_event_id()),
        connection.reconnection_time(),
    )
}

fn check_parsing(case: &ParsingCase) {
    let rule = &case.rule;
    let result = run_case(case, Feeding::AsGiven);
    assert_eq!(result.0, case.events, "{rule}");
    assert_eq!(result.1, case.last_event_id, "{rule}: last event ID");
    assert_eq!(
        result.2, case.reconnection_time,
        "{rule}: reconnection time"
    );
    // Where the network splits a body never matters.
    for feeding in [Feeding::Whole, Feeding::ByteByByte] {
        assert_eq!(run_case(case, feeding), result, "{rule}: {feeding:?}");
    }
}

fn check_response(case: &ResponseCase) {
    let rule = &case.rule;
    let content_type = case.content_type.as_deref();
    // On the first connection and on a reconnection alike.
    for reconnection in [false, true] {
        let mut connection = Connection::new(Options::default());
        let mut out = Recorder::default();
        connection.start(&mut out);
        if reconnection {
            connection.response(200, Some(b"text/event-stream"), &mut out);
            connection.body_ended(&mut out);
            connection.timer_fired(&mut out);
        }
        out.take();
        connection.response(case.status, content_type, &mut out);
        if case.announces {
            // "announce the connection": readyState OPEN, then `open`.
            assert_eq!(out.take(), announced(), "{rule}");
            assert_eq!(connection.ready_state(), ReadyState::Open, "{rule}");
            connection.body_chunk(b"data: a\n\n", &mut out);
            assert_eq!(out.take(), [message("message", "a", "")], "{rule}");
        } else {
            // "fail the connection": readyState CLOSED, `error`, and no reconnection.
            let reason = case
                .reason
                .expect("fixtures: a failing case names its reason");
            assert_eq!(out.take(), failed(reason, case.status), "{rule}");
            assert_eq!(connection.ready_state(), ReadyState::Closed, "{rule}");
            connection.body_chunk(b"data: a\n\n", &mut out);
            connection.body_ended(&mut out);
            connection.network_error(&mut out);
            connection.timer_fired(&mut out);
            connection.response(200, Some(b"text/event-stream"), &mut out);
            assert_eq!(
                out.take(),
                NOTHING,
                "{rule}: a failed connection stays failed"
            );
        }
    }
}

fn check_size(case: &SizeCase) {
    let rule = &case.rule;
    for feeding in [Feeding::AsGiven, Feeding::Whole, Feeding::ByteByByte] {
        let options = Options {
            max_event_size: Some(case.max_event_size),
            ..Options::default()
        };
        let (mut connection, mut out) = open_connection(options);
        for chunk in rechunk(&case.chunks, feeding) {
            connection.body_chunk(&chunk, &mut out);
        }
        assert_eq!(out.take(), case.expected, "{rule} ({feeding:?})");
        if case.expected.last().is_some_and(is_error) {
            // Failed: CLOSED for good, no reconnection.
            assert_eq!(connection.ready_state(), ReadyState::Closed, "{rule}");
            connection.body_ended(&mut out);
            connection.timer_fired(&mut out);
            assert_eq!(out.take(), NOTHING, "{rule}: no reconnection");
        }
    }
}
