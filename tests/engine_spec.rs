//! Table-driven checks of the engine against the WHATWG HTML Standard, section "Server-sent
//! events" ("Parsing an event stream", "Interpreting an event stream", "Processing model"), the
//! Encoding Standard's "UTF-8 decode" and the MIME type rules of Fetch and MIME Sniffing.
//!
//! Every case names the spec step it checks. Everything goes through the public API a JavaScript
//! face uses (`Connection` and its commands), and the order of commands is asserted exactly.

mod common;

use common::{
    announced, failed, message, messages, open_connection, reestablished, text, Cmd, Recorder,
};
use eventsource_wasm::engine::{Connection, Options, ReadyState, DEFAULT_RECONNECTION_TIME};

const D: u64 = DEFAULT_RECONNECTION_TIME;

/// No command at all.
const NOTHING: [Cmd; 0] = [];

/// Response bodies (each a list of chunks, one body per connection) and what they must produce.
struct Case {
    rule: &'static str,
    bodies: &'static [&'static [&'static [u8]]],
    /// Every dispatched event, over all bodies: (type, data, lastEventId).
    events: &'static [(&'static str, &'static str, &'static str)],
    /// The last event ID string at the end (sent as `Last-Event-ID` on the next connection).
    last_event_id: &'static str,
    /// The reconnection time at the end (the delay of the last `ArmTimer`).
    reconnection_time: u64,
}

macro_rules! case {
    ($rule:literal, [$([$($chunk:expr),* $(,)?]),+ $(,)?]
        => [$(($t:literal, $d:literal, $i:literal)),* $(,)?], $id:literal, $retry:expr) => {
        Case {
            rule: $rule,
            bodies: &[$(&[$($chunk),*]),+],
            events: &[$(($t, $d, $i)),*],
            last_event_id: $id,
            reconnection_time: $retry,
        }
    };
}

#[rustfmt::skip]
const PARSING: &[Case] = &[
    // Interpreting: "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark (BOM)".
    case!("UTF-8 decode: one leading BOM is stripped",
        [[b"\xEF\xBB\xBFdata: a\n\n"]] => [("message", "a", "")], "", D),
    case!("UTF-8 decode: a BOM split byte by byte across chunks is stripped",
        [[b"\xEF", b"\xBB", b"\xBF", b"data: a\n\n"]] => [("message", "a", "")], "", D),
    case!("UTF-8 decode: a BOM split 2 + 1, its last byte with the first line",
        [[b"\xEF\xBB", b"\xBFdata: a\n\n"]] => [("message", "a", "")], "", D),
    case!("UTF-8 decode: a BOM alone in its chunk, then empty chunks",
        [[b"\xEF\xBB\xBF", b"", b"", b"data: a\n\n"]] => [("message", "a", "")], "", D),
    case!("UTF-8 decode: only one BOM is stripped; a second is U+FEFF in the field name (unknown field)",
        [[b"\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\ndata: b\n\n"]] => [("message", "b", "")], "", D),
    case!("UTF-8 decode: a second BOM split across chunks is kept too",
        [[b"\xEF\xBB\xBF\xEF", b"\xBB\xBFdata: a\n\ndata: b\n\n"]] => [("message", "b", "")], "", D),
    case!("UTF-8 decode: a BOM after the stream start is content (unknown field)",
        [[b"data: a\n\n\xEF\xBB\xBFdata: b\n\ndata: c\n\n"]] => [("message", "a", ""), ("message", "c", "")], "", D),
    case!("UTF-8 decode: the first two BOM bytes alone are an invalid sequence, not a BOM",
        [[b"\xEF\xBBdata: a\n\ndata: b\n\n"]] => [("message", "b", "")], "", D),
    case!("UTF-8 decode: a BOM before a comment line",
        [[b"\xEF\xBB\xBF: hi\ndata: a\n\n"]] => [("message", "a", "")], "", D),
    case!("UTF-8 decode: U+FEFF inside a data value is kept",
        [[b"data: \xEF\xBB\xBFx\n\n"]] => [("message", "\u{FEFF}x", "")], "", D),
    case!("UTF-8 decode: each response body is a new stream, so its BOM is stripped again",
        [[b"\xEF\xBB\xBFdata: a\n\n"], [b"\xEF\xBB\xBFdata: b\n\n"]] => [("message", "a", ""), ("message", "b", "")], "", D),
    case!("UTF-8 decode: a BOM split across chunks at the start of a reconnected body",
        [[b"data: a\n\n"], [b"\xEF", b"\xBB\xBF", b"data: b\n\n"]] => [("message", "a", ""), ("message", "b", "")], "", D),
    case!("UTF-8 decode: after a reconnection, still only one BOM is stripped",
        [[b"\xEF\xBB\xBFdata: a\n\n"], [b"\xEF\xBB\xBF\xEF\xBB\xBFdata: b\n\ndata: c\n\n"]] => [("message", "a", ""), ("message", "c", "")], "", D),

    // Interpreting: a line ends in "a CRLF character pair, a single LF ... or a single CR".
    case!("Parsing: LF ends a line",
        [[b"data: a\n\n"]] => [("message", "a", "")], "", D),
    case!("Parsing: CRLF ends a line",
        [[b"data: a\r\n\r\n"]] => [("message", "a", "")], "", D),
    case!("Parsing: CR ends a line",
        [[b"data: a\r\r"]] => [("message", "a", "")], "", D),
    case!("Parsing: CRLF, CR and LF mixed in one event",
        [[b"data: a\r\ndata: b\rdata: c\ndata: d\r\n\n"]] => [("message", "a\nb\nc\nd", "")], "", D),
    case!("Parsing: a CR ending a chunk and an LF starting the next are one line end",
        [[b"data: a\r", b"\ndata: b\r\n\r\n"]] => [("message", "a\nb", "")], "", D),
    case!("Parsing: a CR, empty chunks, then an LF are still one line end",
        [[b"data: a\r", b"", b"", b"\ndata: b\n\n"]] => [("message", "a\nb", "")], "", D),
    case!("Parsing: CR CR is two line ends, the second a blank line",
        [[b"data: a\r\rdata: b\r\r"]] => [("message", "a", ""), ("message", "b", "")], "", D),
    case!("Parsing: CR CR split across chunks is two line ends",
        [[b"data: a\r", b"\rdata: b\r", b"\r"]] => [("message", "a", ""), ("message", "b", "")], "", D),
    case!("Parsing: LF CR is two line ends",
        [[b"data: a\n\rdata: b\n\n"]] => [("message", "a", ""), ("message", "b", "")], "", D),
    case!("Parsing: CR LF LF is one line end, then a blank line",
        [[b"data: a\r\n\ndata: b\r\n\n"]] => [("message", "a", ""), ("message", "b", "")], "", D),
    case!("Parsing: a blank CRLF line split between its CR and LF",
        [[b"data: a\r\n\r", b"\ndata: b\n\n"]] => [("message", "a", ""), ("message", "b", "")], "", D),
    case!("Parsing: a lone CR inside a value ends the line (the rest is a field named b)",
        [[b"data: a\rb\n\n"]] => [("message", "a", "")], "", D),
    case!("Parsing: a line may span many chunks",
        [[b"da", b"ta", b": h", b"el", b"lo", b"\n", b"\n"]] => [("message", "hello", "")], "", D),

    // Interpreting: "If value starts with a U+0020 SPACE character, remove it from value."
    case!("Interpreting: the one leading space is removed",
        [[b"data: a\n\n"]] => [("message", "a", "")], "", D),
    case!("Interpreting: only one leading space is removed",
        [[b"data:  a\n\n"]] => [("message", " a", "")], "", D),
    case!("Interpreting: no space after the colon",
        [[b"data:a\n\n"]] => [("message", "a", "")], "", D),
    case!("Interpreting: a tab is not a space and stays",
        [[b"data:\ta\n\n"]] => [("message", "\ta", "")], "", D),
    case!("Interpreting: trailing spaces stay",
        [[b"data: a  \n\n"]] => [("message", "a  ", "")], "", D),
    case!("Interpreting: a value of one space is empty",
        [[b"data: \n\n"]] => [("message", "", "")], "", D),
    case!("Interpreting: field and value split at the first colon only",
        [[b"data: a: b:c\n\n"]] => [("message", "a: b:c", "")], "", D),
    case!("Interpreting: a value may be a colon",
        [[b"data::\n\n"]] => [("message", ":", "")], "", D),
    // "Otherwise, the string is not empty but does not contain a U+003A COLON character".
    case!("Interpreting: `data` alone is the data field with an empty value",
        [[b"data\n\n"]] => [("message", "", "")], "", D),
    case!("Interpreting: `data` alone among other data lines adds an empty line",
        [[b"data\ndata: x\n\n"]] => [("message", "\nx", "")], "", D),
    // "If the line starts with a U+003A COLON character (:) Ignore the line."
    case!("Interpreting: a line starting with a colon is a comment",
        [[b": comment\ndata: a\n\n"]] => [("message", "a", "")], "", D),
    case!("Interpreting: a lone colon is a comment",
        [[b":\n\ndata: a\n\n"]] => [("message", "a", "")], "", D),
    case!("Interpreting: a comment inside an event does not end it",
        [[b"data: a\n: c\ndata: b\n\n"]] => [("message", "a\nb", "")], "", D),
    case!("Interpreting: a block of only a comment fires nothing",
        [[b": x\n\n"]] => [], "", D),
    // "Otherwise The field is ignored." / "Field names must be compared literally".
    case!("Process the field: unknown fields are ignored",
        [[b"foo: bar\ndata: a\nbaz\n\n"]] => [("message", "a", "")], "", D),
    case!("Process the field: names are case-sensitive (`Data` is unknown)",
        [[b"Data: x\nDATA: y\ndata: a\n\n"]] => [("message", "a", "")], "", D),
    case!("Process the field: `Event`, `ID`, `Retry` are unknown",
        [[b"Event: x\nID: 9\nRetry: 5\ndata: a\n\n"]] => [("message", "a", "")], "", D),
    case!("Process the field: a space before the colon makes another name",
        [[b"data : x\ndata: a\n\n"]] => [("message", "a", "")], "", D),
    case!("Process the field: a space before the name makes another name",
        [[b" data: x\ndata: a\n\n"]] => [("message", "a", "")], "", D),
    case!("Process the field: a name with an invalid byte (U+FFFD) is unknown",
        [[b"d\xFFata: x\ndata: a\n\n"]] => [("message", "a", "")], "", D),

    // "data": "Append the field value to the data buffer, then append a single U+000A LF".
    case!("Process the field: data lines are joined by LF",
        [[b"data: a\ndata: b\ndata: c\n\n"]] => [("message", "a\nb\nc", "")], "", D),
    case!("Dispatch step 3: only one trailing LF is removed",
        [[b"data: a\ndata\n\n"]] => [("message", "a\n", "")], "", D),
    case!("Dispatch step 3: two empty data lines give one LF",
        [[b"data\ndata\n\n"]] => [("message", "\n", "")], "", D),
    case!("Process the field: `data:` with an empty value dispatches an empty string",
        [[b"data:\n\n"]] => [("message", "", "")], "", D),
    case!("Process the field: data may hold U+0000",
        [[b"data: a\x00b\n\n"]] => [("message", "a\0b", "")], "", D),
    case!("Dispatch step 2: an empty data buffer dispatches nothing",
        [[b"event: x\n\n"]] => [], "", D),
    case!("Dispatch step 2: ... and resets the event type buffer",
        [[b"event: x\n\ndata: a\n\n"]] => [("message", "a", "")], "", D),
    case!("Interpreting: blank lines with nothing buffered dispatch nothing",
        [[b"\n\n\n\r\n\r"]] => [], "", D),
    // "event": "Set the event type buffer to the field value."
    case!("Dispatch step 6: the event type buffer names the event",
        [[b"event: add\ndata: a\n\n"]] => [("add", "a", "")], "", D),
    case!("Dispatch step 7: the event type is reset after dispatch",
        [[b"event: add\ndata: a\n\ndata: b\n\n"]] => [("add", "a", ""), ("message", "b", "")], "", D),
    case!("Dispatch step 6: an empty `event:` means message",
        [[b"event:\ndata: a\n\n"]] => [("message", "a", "")], "", D),
    case!("Dispatch step 6: `event` alone (no colon) means message",
        [[b"event: x\nevent\ndata: a\n\n"]] => [("message", "a", "")], "", D),
    case!("Process the field: an event field after the data still names the event",
        [[b"data: a\nevent: late\n\n"]] => [("late", "a", "")], "", D),
    case!("Process the field: the last event field wins",
        [[b"event: a\nevent: b\ndata: x\n\n"]] => [("b", "x", "")], "", D),
    case!("Process the field: an event type keeps its second leading space",
        [[b"event:  x\ndata: a\n\n"]] => [(" x", "a", "")], "", D),
    case!("Dispatch step 6: any type is allowed, even `error`",
        [[b"event: error\ndata: a\n\n"]] => [("error", "a", "")], "", D),
    // "Once the end of the file is reached, any pending data must be discarded."
    case!("Interpreting: an incomplete event at the end of the stream is discarded",
        [[b"data: a\n\ndata: b\n"]] => [("message", "a", "")], "", D),
    case!("Interpreting: an unterminated last line is discarded",
        [[b"data: a\n\ndata: b"]] => [("message", "a", "")], "", D),
    case!("Interpreting: a stream ending in CR ended its line, but not the event",
        [[b"data: a\r"]] => [], "", D),
    case!("Interpreting: a discarded event does not leak into the next body (data and type)",
        [[b"data: a\n\ndata: lost\nevent: x\n"], [b"data: b\n\n"]] => [("message", "a", ""), ("message", "b", "")], "", D),
    case!("Interpreting: a discarded partial line does not leak into the next body",
        [[b"data: a\n\ndat"], [b"a: b\n\n"]] => [("message", "a", "")], "", D),

    // "id": "If the field value does not contain U+0000 NULL, then set the last event ID buffer".
    case!("Dispatch step 1: the id is the event's lastEventId",
        [[b"id: 1\ndata: a\n\n"]] => [("message", "a", "1")], "1", D),
    case!("Dispatch step 1: the last event ID persists across events (the buffer is not reset)",
        [[b"id: 1\ndata: a\n\ndata: b\n\n"]] => [("message", "a", "1"), ("message", "b", "1")], "1", D),
    case!("Dispatch step 1: an id after the data in the same block applies to it",
        [[b"data: a\nid: 5\n\n"]] => [("message", "a", "5")], "5", D),
    case!("Process the field: an id containing U+0000 is ignored",
        [[b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n"]] => [("message", "a", "1"), ("message", "b", "1")], "1", D),
    case!("Process the field: an id of only U+0000 is ignored",
        [[b"id: 1\n\nid: \x00\ndata: b\n\n"]] => [("message", "b", "1")], "1", D),
    case!("Process the field: an empty id resets the last event ID",
        [[b"id: 1\ndata: a\n\nid:\ndata: b\n\n"]] => [("message", "a", "1"), ("message", "b", "")], "", D),
    case!("Process the field: `id` alone (no colon) resets the last event ID",
        [[b"id: 1\ndata: a\n\nid\ndata: b\n\n"]] => [("message", "a", "1"), ("message", "b", "")], "", D),
    case!("Dispatch step 1: a block with only an id sets the last event ID",
        [[b"id: 7\n\ndata: a\n\n"]] => [("message", "a", "7")], "7", D),
    case!("Dispatch step 1: an id-only block at the end sets it with no event",
        [[b"id: 7\n\n"]] => [], "7", D),
    case!("Dispatch step 1: an id in an incomplete event at the end is not committed",
        [[b"id: 1\ndata: a\n\nid: 2\ndata: b"]] => [("message", "a", "1")], "1", D),
    case!("Dispatch step 1: a complete id line without its blank line is not committed",
        [[b"id: 1\n\nid: 2\n"]] => [], "1", D),
    case!("Process the field: the last id before the dispatch wins",
        [[b"id: 1\nid: 2\ndata: a\n\n"]] => [("message", "a", "2")], "2", D),
    case!("Process the field: an id keeps spaces after the first one",
        [[b"id:  x \ndata: a\n\n"]] => [("message", "a", " x ")], " x ", D),
    case!("Process the field: an id may hold a colon",
        [[b"id: a:b\ndata: x\n\n"]] => [("message", "x", "a:b")], "a:b", D),
    case!("Process the field: an id may be any non-ASCII text",
        [["id: é😀\ndata: a\n\n".as_bytes()]] => [("message", "a", "é😀")], "é😀", D),
    case!("Processing model: the last event ID persists across reconnections",
        [[b"id: 1\ndata: a\n\n"], [b"data: b\n\n"]] => [("message", "a", "1"), ("message", "b", "1")], "1", D),
    case!("Processing model: an id not committed before the end is not carried into the next body",
        [[b"id: 1\ndata: a\n\nid: 2\n"], [b"data: b\n\n"]] => [("message", "a", "1"), ("message", "b", "1")], "1", D),
    case!("Processing model: an empty id in a later body resets the last event ID",
        [[b"id: 1\ndata: a\n\n"], [b"id\ndata: b\n\n"]] => [("message", "a", "1"), ("message", "b", "")], "", D),

    // "retry": "If the field value consists of only ASCII digits, then ... set the event stream's
    // reconnection time to that integer. Otherwise, ignore the field."
    case!("Process the field: retry with digits sets the reconnection time",
        [[b"retry: 1234\n"]] => [], "", 1234),
    case!("Process the field: retry applies without a dispatch, even in a discarded event",
        [[b"data: a\nretry: 5\ndata: b"]] => [], "", 5),
    case!("Process the field: retry with a non-digit is ignored",
        [[b"retry: 12a\n"]] => [], "", D),
    case!("Process the field: an empty retry is ignored (with and without colon)",
        [[b"retry:\nretry\nretry: \n"]] => [], "", D),
    case!("Process the field: retry with two leading spaces is ignored",
        [[b"retry:  5\n"]] => [], "", D),
    case!("Process the field: retry with a trailing space is ignored",
        [[b"retry: 5 \n"]] => [], "", D),
    case!("Process the field: retry with a sign is ignored",
        [[b"retry: -5\nretry: +5\n"]] => [], "", D),
    case!("Process the field: a decimal retry is ignored",
        [[b"retry: 1.5\n"]] => [], "", D),
    case!("Process the field: non-ASCII digits are not ASCII digits",
        [["retry: \u{0661}\n".as_bytes()]] => [], "", D),
    case!("Process the field: retry with leading zeros is base ten",
        [[b"retry: 007\n"]] => [], "", 7),
    case!("Process the field: retry 0 is valid",
        [[b"retry: 0\n"]] => [], "", 0),
    case!("Process the field: the largest 64-bit retry is taken",
        [[b"retry: 18446744073709551615\n"]] => [], "", u64::MAX),
    case!("Process the field: a retry too large for 64 bits is ignored",
        [[b"retry: 18446744073709551616\nretry: 99999999999999999999999\n"]] => [], "", D),
    case!("Process the field: the last valid retry wins",
        [[b"retry: 1\nretry: x\nretry: 2\nretry: y\n"]] => [], "", 2),
    case!("Processing model: the reconnection time carries over to later connections",
        [[b"retry: 10\n"], [b"data: a\n\n"]] => [("message", "a", "")], "", 10),

    // Interpreting: "Streams must be decoded using the UTF-8 decode algorithm", which replaces
    // each maximal subpart of an ill-formed sequence with one U+FFFD.
    case!("UTF-8 decode: an invalid byte becomes U+FFFD",
        [[b"data: a\xFFb\n\n"]] => [("message", "a\u{FFFD}b", "")], "", D),
    case!("UTF-8 decode: a truncated 3-byte sequence is one U+FFFD",
        [[b"data: \xE2\x82\n\n"]] => [("message", "\u{FFFD}", "")], "", D),
    case!("UTF-8 decode: E0 80 (overlong) is two U+FFFD",
        [[b"data: \xE0\x80\n\n"]] => [("message", "\u{FFFD}\u{FFFD}", "")], "", D),
    case!("UTF-8 decode: an encoded surrogate ED A0 80 is three U+FFFD",
        [[b"data: \xED\xA0\x80\n\n"]] => [("message", "\u{FFFD}\u{FFFD}\u{FFFD}", "")], "", D),
    case!("UTF-8 decode: F4 90 80 80 (above U+10FFFF) is four U+FFFD",
        [[b"data: \xF4\x90\x80\x80\n\n"]] => [("message", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}", "")], "", D),
    case!("UTF-8 decode: C0 AF is two U+FFFD",
        [[b"data: \xC0\xAF\n\n"]] => [("message", "\u{FFFD}\u{FFFD}", "")], "", D),
    case!("UTF-8 decode: a lead byte before ASCII is one U+FFFD, the ASCII stays",
        [[b"data: \xC3(\n\n"]] => [("message", "\u{FFFD}(", "")], "", D),
    case!("UTF-8 decode: a truncated sequence before LF is one U+FFFD and the LF ends the line",
        [[b"data: \xF0\x9F\x98\ndata: b\n\n"]] => [("message", "\u{FFFD}\nb", "")], "", D),
    case!("UTF-8 decode: a truncated sequence before CR is one U+FFFD and the CR ends the line",
        [[b"data: \xE2\x82\rdata: b\r\r"]] => [("message", "\u{FFFD}\nb", "")], "", D),
    case!("UTF-8 decode: U+FFFD itself passes through",
        [[b"data: \xEF\xBF\xBD\n\n"]] => [("message", "\u{FFFD}", "")], "", D),
    case!("UTF-8 decode: a 2-byte sequence split across chunks",
        [[b"data: \xC3", b"\xA9\n\n"]] => [("message", "é", "")], "", D),
    case!("UTF-8 decode: a 3-byte sequence split across chunks",
        [[b"data: \xE2", b"\x82\xAC\n\n"]] => [("message", "€", "")], "", D),
    case!("UTF-8 decode: a 4-byte sequence split across three chunks",
        [[b"data: \xF0\x9F", b"\x98", b"\x80\n\n"]] => [("message", "😀", "")], "", D),
    case!("UTF-8 decode: an invalid sequence split across chunks is still one U+FFFD",
        [[b"data: \xE2", b"\x82", b"x\n\n"]] => [("message", "\u{FFFD}x", "")], "", D),
    case!("UTF-8 decode: a multi-byte id and event type split across chunks",
        [[b"id: \xC3", b"\xA9\nevent: \xE2\x82", b"\xAC\ndata: a\n\n"]] => [("€", "a", "é")], "é", D),
    case!("UTF-8 decode: U+FFFD in an id",
        [[b"id: \xFF\ndata: a\n\n"]] => [("message", "a", "\u{FFFD}")], "\u{FFFD}", D),
    case!("UTF-8 decode: U+FFFD in an event type",
        [[b"event: \xFF\ndata: a\n\n"]] => [("\u{FFFD}", "a", "")], "", D),
];

/// How a case's bodies are cut into chunks.
#[derive(Debug, Clone, Copy)]
enum Feeding {
    AsGiven,
    Whole,
    ByteByByte,
}

fn rechunk(body: &[&[u8]], feeding: Feeding) -> Vec<Vec<u8>> {
    let whole = body.concat();
    match feeding {
        Feeding::AsGiven => body.iter().map(|chunk| chunk.to_vec()).collect(),
        Feeding::Whole => vec![whole],
        Feeding::ByteByByte => whole.iter().map(|&b| vec![b]).collect(),
    }
}

/// Runs a case's bodies through one connection, asserting every command of the life cycle in
/// order; returns the events, the final last event ID and the final reconnection time.
fn run_case(case: &Case, feeding: Feeding) -> (Vec<(String, String, String)>, String, u64) {
    let rule = case.rule;
    let mut connection = Connection::new(Options::default());
    let mut out = Recorder::default();
    let mut events = Vec::new();
    // Constructor: fetch, no Last-Event-ID.
    connection.start(&mut out);
    assert_eq!(out.take(), [Cmd::Connect(String::new())], "{rule}");
    for body in case.bodies {
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
            reestablished(connection.reconnection_time()),
            "{rule}: reestablish the connection"
        );
        connection.timer_fired(&mut out);
        assert_eq!(
            out.take(),
            [Cmd::Connect(text(connection.last_event_id()))],
            "{rule}: the next request carries the last event ID"
        );
    }
    (
        events,
        text(connection.last_event_id()),
        connection.reconnection_time(),
    )
}

#[test]
fn parsing_and_interpreting_rules() {
    assert!(PARSING.len() >= 70, "{} cases", PARSING.len());
    for case in PARSING {
        let expected: Vec<(String, String, String)> = case
            .events
            .iter()
            .map(|(t, d, i)| ((*t).to_owned(), (*d).to_owned(), (*i).to_owned()))
            .collect();
        let result = run_case(case, Feeding::AsGiven);
        assert_eq!(result.0, expected, "{}", case.rule);
        assert_eq!(result.1, case.last_event_id, "{}: last event ID", case.rule);
        assert_eq!(
            result.2, case.reconnection_time,
            "{}: reconnection time",
            case.rule
        );
        // Where the network splits a body never matters.
        for feeding in [Feeding::Whole, Feeding::ByteByByte] {
            assert_eq!(
                run_case(case, feeding),
                result,
                "{}: {feeding:?}",
                case.rule
            );
        }
    }
}

/// Response heads: (rule, status, `Content-Type` header value, whether it announces the stream).
#[rustfmt::skip]
const RESPONSES: &[(&str, u16, Option<&[u8]>, bool)] = &[
    ("Processing model: 200 and text/event-stream announce the connection", 200, Some(b"text/event-stream"), true),
    ("Parse a MIME type: parameters do not matter", 200, Some(b"text/event-stream; charset=utf-8"), true),
    ("Parse a MIME type: parameters without a space", 200, Some(b"text/event-stream;charset=utf-8"), true),
    ("Parse a MIME type: an empty parameter list", 200, Some(b"text/event-stream;"), true),
    ("Parse a MIME type: a bogus parameter", 200, Some(b"text/event-stream; bogus"), true),
    ("Parse a MIME type: type and subtype are ASCII case-insensitive", 200, Some(b"TEXT/Event-Stream"), true),
    ("Parse a MIME type: leading and trailing HTTP whitespace is removed", 200, Some(b" \ttext/event-stream \t"), true),
    ("Parse a MIME type: CR and LF are HTTP whitespace too", 200, Some(b"\r\ntext/event-stream\r\n"), true),
    ("Parse a MIME type: trailing whitespace of the subtype is removed", 200, Some(b"text/event-stream \t;a=b"), true),
    ("Parse a MIME type: leading whitespace of the subtype is not (no token)", 200, Some(b"text/ event-stream"), false),
    ("Parse a MIME type: a space before the slash is no token", 200, Some(b"text /event-stream"), false),
    ("Parse a MIME type: a vertical tab is not HTTP whitespace", 200, Some(b"text/event-stream\x0B"), false),
    ("Parse a MIME type: a NUL is not HTTP whitespace", 200, Some(b"text/event-stream\x00"), false),
    ("Parse a MIME type: a longer subtype is another type", 200, Some(b"text/event-streams"), false),
    ("Parse a MIME type: another subtype", 200, Some(b"text/event_stream"), false),
    ("Parse a MIME type: another type", 200, Some(b"application/event-stream"), false),
    ("Parse a MIME type: non-ASCII bytes are no token", 200, Some("text/event-stréam".as_bytes()), false),
    ("Parse a MIME type: no slash fails", 200, Some(b"event-stream"), false),
    ("Parse a MIME type: an empty subtype fails", 200, Some(b"text/"), false),
    ("Parse a MIME type: an empty type fails", 200, Some(b"/event-stream"), false),
    ("Parse a MIME type: an empty value fails", 200, Some(b""), false),
    ("Processing model: text/plain fails the connection", 200, Some(b"text/plain"), false),
    ("Processing model: no Content-Type fails the connection", 200, None, false),
    ("Extract a MIME type: of a combined header, the last value that parses wins", 200, Some(b"text/plain, text/event-stream"), true),
    ("Extract a MIME type: a later value that fails to parse does not count", 200, Some(b"text/event-stream, nonsense"), true),
    ("Extract a MIME type: an empty later value does not count", 200, Some(b"text/event-stream, "), true),
    ("Extract a MIME type: a later valid other type wins", 200, Some(b"text/event-stream, text/plain"), false),
    ("Extract a MIME type: the same type twice", 200, Some(b"text/event-stream,text/event-stream"), true),
    ("Extract a MIME type: a later */* is skipped", 200, Some(b"text/event-stream, */*"), true),
    ("Extract a MIME type: */* alone is no type", 200, Some(b"*/*"), false),
    // Known deviation, kept for size: a comma inside a quoted parameter value splits too, so
    // `text/plain; a=",text/event-stream"` would announce. Quoted commas do not occur in practice.
    ("Get, decode, and split: a quoted comma in the event-stream parameters", 200, Some(b"text/event-stream; a=\"x,y\""), true),
    ("Get, decode, and split: a split after a closed quoted string", 200, Some(b"text/plain; a=\"x\", text/event-stream"), true),
    ("Processing model: status 201 fails the connection", 201, Some(b"text/event-stream"), false),
    ("Processing model: status 204 fails the connection", 204, Some(b"text/event-stream"), false),
    ("Processing model: status 206 fails the connection", 206, Some(b"text/event-stream"), false),
    ("Processing model: status 301 (redirects are followed before) fails", 301, Some(b"text/event-stream"), false),
    ("Processing model: status 304 fails the connection", 304, Some(b"text/event-stream"), false),
    ("Processing model: status 404 fails the connection", 404, Some(b"text/event-stream"), false),
    ("Processing model: status 500 fails the connection", 500, Some(b"text/event-stream"), false),
    ("Processing model: status 503 fails too (no reconnection)", 503, Some(b"text/event-stream"), false),
    ("Processing model: status 0 fails the connection", 0, Some(b"text/event-stream"), false),
];

#[test]
fn response_heads_announce_or_fail() {
    for &(rule, status, content_type, announces) in RESPONSES {
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
            connection.response(status, content_type, &mut out);
            if announces {
                // "announce the connection": readyState OPEN, then `open`.
                assert_eq!(out.take(), announced(), "{rule}");
                assert_eq!(connection.ready_state(), ReadyState::Open, "{rule}");
                connection.body_chunk(b"data: a\n\n", &mut out);
                assert_eq!(out.take(), [message("message", "a", "")], "{rule}");
            } else {
                // "fail the connection": readyState CLOSED, `error`, and no reconnection.
                assert_eq!(out.take(), failed(), "{rule}");
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
}

#[test]
fn the_whole_life_cycle_in_order() {
    let mut connection = Connection::new(Options::default());
    let mut out = Recorder::default();
    assert_eq!(connection.ready_state(), ReadyState::Connecting);
    // The constructor's fetch.
    connection.start(&mut out);
    assert_eq!(out.take(), [Cmd::Connect(String::new())]);
    assert_eq!(connection.ready_state(), ReadyState::Connecting);
    connection.response(200, Some(b"text/event-stream"), &mut out);
    assert_eq!(out.take(), announced());
    assert_eq!(connection.ready_state(), ReadyState::Open);
    connection.body_chunk(
        b"retry: 10\nid: 7\ndata: a\n\nevent: x\ndata: b\n\n",
        &mut out,
    );
    assert_eq!(
        out.take(),
        [message("message", "a", "7"), message("x", "b", "7")]
    );
    // The body ends: "reestablish the connection" with the reconnection time set by `retry`.
    connection.body_ended(&mut out);
    assert_eq!(out.take(), reestablished(10));
    assert_eq!(connection.ready_state(), ReadyState::Connecting);
    // Reestablish step 5: fetch again with `Last-Event-ID`.
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), [Cmd::Connect("7".into())]);
    connection.response(200, Some(b"text/event-stream"), &mut out);
    assert_eq!(out.take(), announced());
    connection.body_chunk(b"data: c\n\n", &mut out);
    assert_eq!(out.take(), [message("message", "c", "7")]);
    // A network error during the body reestablishes too.
    connection.network_error(&mut out);
    assert_eq!(out.take(), reestablished(10));
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), [Cmd::Connect("7".into())]);
    // A response that is not an event stream fails the connection for good.
    connection.response(500, Some(b"text/event-stream"), &mut out);
    assert_eq!(out.take(), failed());
    assert_eq!(connection.ready_state(), ReadyState::Closed);
    assert_eq!(connection.last_event_id(), b"7");
}

#[test]
fn a_network_error_reestablishes_before_or_during_the_body() {
    // Spec (processResponse): "if res is a network error, then reestablish the connection".
    let mut connection = Connection::new(Options::default());
    let mut out = Recorder::default();
    connection.start(&mut out);
    out.take();
    connection.network_error(&mut out);
    assert_eq!(out.take(), reestablished(D));
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), [Cmd::Connect(String::new())]);
    // A body ending before any head counts the same.
    connection.body_ended(&mut out);
    assert_eq!(out.take(), reestablished(D));
    let (mut connection, mut out) = open_connection(Options::default());
    connection.body_chunk(b"data: a\n\ndata: b", &mut out);
    out.take();
    connection.network_error(&mut out);
    assert_eq!(out.take(), reestablished(D));
}

#[test]
fn a_cross_origin_request_failing_before_any_open_fails_the_connection() {
    // Spec: a network error reestablishes "unless the user agent knows that to be futile, in
    // which case the user agent may fail the connection"; a CORS refusal looks like one.
    let mut connection = Connection::new(Options::default());
    let mut out = Recorder::default();
    connection.start(&mut out);
    out.take();
    connection.request_failed(true, &mut out);
    assert_eq!(out.take(), failed());
    // Same-origin, or after the stream once opened, it reestablishes.
    let mut connection = Connection::new(Options::default());
    connection.start(&mut out);
    out.take();
    connection.request_failed(false, &mut out);
    assert_eq!(out.take(), reestablished(D));
    let (mut connection, mut out) = open_connection(Options::default());
    connection.body_ended(&mut out);
    connection.timer_fired(&mut out);
    out.take();
    connection.request_failed(true, &mut out);
    assert_eq!(out.take(), reestablished(D));
    // Only while a request is in flight.
    let (mut connection, mut out) = open_connection(Options::default());
    connection.request_failed(false, &mut out);
    assert_eq!(out.take(), NOTHING, "not while streaming");
}

/// Brings a new connection into the phase under test.
type Reach = fn(&mut Connection, &mut Recorder);

/// Sends every input there is; after `close()` none may produce anything.
fn poke_everything(connection: &mut Connection, out: &mut Recorder) {
    connection.start(out);
    connection.response(200, Some(b"text/event-stream"), out);
    connection.body_chunk(b"data: late\n\n", out);
    connection.body_ended(out);
    connection.network_error(out);
    connection.request_failed(true, out);
    connection.request_failed(false, out);
    connection.timer_fired(out);
    assert!(!connection.recycle(out));
    connection.close(out);
}

#[test]
fn close_stops_everything_in_every_phase() {
    // Spec: close() "must abort any instances of the fetch algorithm started for this
    // EventSource object, and must set the readyState attribute to CLOSED". No event fires.
    let phases: [(&str, Reach, Vec<Cmd>); 6] = [
        ("before start", |_, _| {}, vec![]),
        ("requesting", |c, o| c.start(o), vec![Cmd::Abort]),
        (
            "streaming",
            |c, o| {
                c.start(o);
                c.response(200, Some(b"text/event-stream"), o);
                c.body_chunk(b"data: half an event\n", o);
            },
            vec![Cmd::Abort],
        ),
        (
            "waiting to reconnect",
            |c, o| {
                c.start(o);
                c.response(200, Some(b"text/event-stream"), o);
                c.body_ended(o);
            },
            vec![Cmd::CancelTimer],
        ),
        (
            "reconnecting",
            |c, o| {
                c.start(o);
                c.network_error(o);
                c.timer_fired(o);
            },
            vec![Cmd::Abort],
        ),
        (
            "reopening invisibly (recycle)",
            |c, o| {
                c.start(o);
                c.response(200, Some(b"text/event-stream"), o);
                c.body_chunk(b"id: 1\n\n", o);
                assert!(c.recycle(o));
            },
            vec![Cmd::Abort],
        ),
    ];
    for (phase, reach, stop) in phases {
        let mut connection = Connection::new(Options::default());
        let mut out = Recorder::default();
        reach(&mut connection, &mut out);
        out.take();
        connection.close(&mut out);
        let mut expected = stop;
        expected.push(Cmd::State(ReadyState::Closed));
        assert_eq!(out.take(), expected, "{phase}");
        assert_eq!(connection.ready_state(), ReadyState::Closed, "{phase}");
        // A second close() and every later input: nothing at all.
        poke_everything(&mut connection, &mut out);
        assert_eq!(out.take(), NOTHING, "{phase}: nothing after close()");
        assert_eq!(connection.ready_state(), ReadyState::Closed, "{phase}");
    }
    // After the connection failed, close() has nothing left to do either.
    let mut connection = Connection::new(Options::default());
    let mut out = Recorder::default();
    connection.start(&mut out);
    connection.response(404, Some(b"text/event-stream"), &mut out);
    out.take();
    poke_everything(&mut connection, &mut out);
    assert_eq!(out.take(), NOTHING, "nothing after failing");
}

#[test]
fn inputs_in_the_wrong_phase_are_ignored() {
    let mut connection = Connection::new(Options::default());
    let mut out = Recorder::default();
    // Before start(): no request exists.
    connection.body_chunk(b"data: early\n\n", &mut out);
    connection.response(200, Some(b"text/event-stream"), &mut out);
    connection.body_ended(&mut out);
    connection.network_error(&mut out);
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), NOTHING, "nothing before start()");
    connection.start(&mut out);
    connection.start(&mut out);
    assert_eq!(
        out.take(),
        [Cmd::Connect(String::new())],
        "start() connects once"
    );
    // Requesting: no body before the head, no timer armed.
    connection.body_chunk(b"data: before the head\n\n", &mut out);
    connection.timer_fired(&mut out);
    assert_eq!(
        out.take(),
        NOTHING,
        "a chunk before the head, a stray timer"
    );
    connection.response(200, Some(b"text/event-stream"), &mut out);
    assert_eq!(out.take(), announced());
    // Streaming: a second head, a timer, another start.
    connection.response(200, Some(b"text/event-stream"), &mut out);
    connection.response(500, None, &mut out);
    connection.timer_fired(&mut out);
    connection.start(&mut out);
    assert_eq!(
        out.take(),
        NOTHING,
        "a second head or a stray timer changes nothing"
    );
    connection.body_chunk(b"data: a\n\n", &mut out);
    assert_eq!(out.take(), [message("message", "a", "")]);
    // Waiting: the old request is gone; its late head, chunks, end or error change nothing.
    connection.body_ended(&mut out);
    assert_eq!(out.take(), reestablished(D));
    connection.response(200, Some(b"text/event-stream"), &mut out);
    connection.body_chunk(b"data: stale\n\n", &mut out);
    connection.body_ended(&mut out);
    connection.network_error(&mut out);
    connection.request_failed(true, &mut out);
    connection.start(&mut out);
    assert!(!connection.recycle(&mut out));
    assert_eq!(out.take(), NOTHING, "inputs while waiting for the timer");
    assert_eq!(connection.ready_state(), ReadyState::Connecting);
    connection.timer_fired(&mut out);
    connection.timer_fired(&mut out);
    assert_eq!(
        out.take(),
        [Cmd::Connect(String::new())],
        "one timer, one request"
    );
}

/// Maximum event size cases: (rule, bound, chunks, commands after the connection opened).
type SizeCase<'a> = (&'static str, usize, &'a [&'a [u8]], Vec<Cmd>);

#[test]
fn the_maximum_event_size_fails_the_connection_whatever_the_chunking() {
    let comment = format!(": {}\n", "x".repeat(40));
    let id = format!("id: {}\n", "i".repeat(20));
    let cases: [SizeCase; 19] = [
        (
            "data value + LF exactly at the bound",
            16,
            &[b"data: 0123456789abcde\n\n"],
            vec![message("message", "0123456789abcde", "")],
        ),
        (
            "one byte over the bound",
            16,
            &[b"data: 0123456789abcdef\n\n"],
            failed(),
        ),
        (
            "a partial line below the bound waits for its end",
            16,
            &[b"data: 0123456789", b"abcde\n\n"],
            vec![message("message", "0123456789abcde", "")],
        ),
        (
            "data lines accumulate; events before the failing line are still fired",
            16,
            &[b"data: a\n\ndata: 01234567\ndata: 89abcdef\n"],
            [vec![message("message", "a", "")], failed()].concat(),
        ),
        (
            "the bound is per event",
            16,
            &[b"data: 0123456789abcde\n\ndata: 0123456789abcde\n\n"],
            vec![
                message("message", "0123456789abcde", ""),
                message("message", "0123456789abcde", ""),
            ],
        ),
        (
            "the event type counts",
            16,
            &[b"event: 0123456789\ndata: 012345\n\n"],
            failed(),
        ),
        (
            "event type and data exactly at the bound",
            16,
            &[b"event: 012345678\ndata: 012345\n\n"],
            vec![message("012345678", "012345", "")],
        ),
        (
            "one huge data line arriving in many chunks fails before it ends",
            16,
            &[&b"data: xxxxx"[..]; 10],
            failed(),
        ),
        (
            "a huge comment line fails too",
            16,
            &[comment.as_bytes(), b"data: a\n\n"],
            failed(),
        ),
        (
            "a line of the bound plus 7 bytes (`retry: ` and 16 digits) fits",
            16,
            &[b"retry: 1000000000000000\ndata: a\n\n"],
            vec![message("message", "a", "")],
        ),
        (
            "a line of the bound plus 8 bytes does not",
            16,
            &[b"retry: 10000000000000000\n"],
            failed(),
        ),
        ("a long id line fails", 16, &[id.as_bytes()], failed()),
        (
            "the bound counts bytes received (an invalid byte is 1, its U+FFFD 3)",
            4,
            &[b"data: \xFF\xFF\xFF\n\ndata: \xFF\xFF\xFF\xFF\n\n"],
            [
                vec![message("message", "\u{FFFD}\u{FFFD}\u{FFFD}", "")],
                failed(),
            ]
            .concat(),
        ),
        // Found by fuzzing (the `differential` target against tests/common/reference.rs): the
        // data already held was counted as decoded, a U+FFFD as 3 bytes, not as received.
        (
            "data held so far counts as received too (a U+FFFD is held as 3 bytes)",
            4,
            &[b"data: \xFF\ndata:\n\n"],
            vec![message("message", "\u{FFFD}\n", "")],
        ),
        (
            "an event type counts as received too",
            5,
            &[b"event: \xFF\xFF\ndata: ab\n\n"],
            vec![message("\u{FFFD}\u{FFFD}", "ab", "")],
        ),
        // Found by the same model: a second `event` line replaces the type, so the replaced one
        // no longer counts.
        (
            "a replaced event type no longer counts",
            6,
            &[b"event: aaaa\nevent: bbbb\ndata: x\n\n"],
            vec![message("bbbb", "x", "")],
        ),
        (
            "the replacing event type counts",
            6,
            &[b"event: a\ndata: xyz\nevent: bbb\n"],
            failed(),
        ),
        (
            "a dispatch without data starts the next event's size from nothing",
            4,
            &[b"event: abcd\n\ndata: abc\n\n"],
            vec![message("message", "abc", "")],
        ),
        (
            "a bound of 0 fails on any data line",
            0,
            &[b":\n\ndata\n"],
            failed(),
        ),
    ];
    for (rule, bound, chunks, expected) in cases {
        for feeding in [Feeding::AsGiven, Feeding::Whole, Feeding::ByteByByte] {
            let options = Options {
                max_event_size: Some(bound),
                ..Options::default()
            };
            let (mut connection, mut out) = open_connection(options);
            for chunk in rechunk(chunks, feeding) {
                connection.body_chunk(&chunk, &mut out);
            }
            assert_eq!(out.take(), expected, "{rule} ({feeding:?})");
            if expected.last() == Some(&Cmd::Error) {
                // Failed: CLOSED for good, no reconnection.
                assert_eq!(connection.ready_state(), ReadyState::Closed, "{rule}");
                connection.body_ended(&mut out);
                connection.timer_fired(&mut out);
                assert_eq!(out.take(), NOTHING, "{rule}: no reconnection");
            }
        }
    }
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
    // Spec (reestablish, step 5.3): `Last-Event-ID` is the last event ID string when not empty.
    let (mut connection, mut out) = open_connection(Options::default());
    connection.body_chunk("id: é\u{1F600}\ndata: a\n\n".as_bytes(), &mut out);
    connection.body_ended(&mut out);
    out.take();
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), [Cmd::Connect("é\u{1F600}".into())]);
}

#[test]
fn options_set_the_first_reconnection_time() {
    let options = Options {
        reconnection_time: 250,
        ..Options::default()
    };
    let (mut connection, mut out) = open_connection(options);
    connection.body_ended(&mut out);
    assert_eq!(out.take(), reestablished(250));
    assert_eq!(D, 3000, "the default, as in Chromium");
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
