//! Native tests of the protocol definition, the generated JS module and the encoder. The decoder
//! here reads batches the way `run()` in src/js/event-source.js does, driven by the op table.

use super::protocol::{self, DecoderState, End, OpInfo, Stream, MAX_TIMER_MS, OPS, UNSET};
use super::Batch;
use crate::engine::{
    Command, Connection, Decision, ErrorDetails, Event, Failure, IdHeader, Options, Output,
    ReadyState, ReconnectPolicy, ResponseHead,
};
use proptest::prelude::*;
use std::string::{String, ToString};

/// Text as JS decodes it: UTF-8 with each ill-formed subpart replaced (TextDecoder, fatal: false).
fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
use std::vec::Vec;
use std::{format, vec};

/// A command as the JS side sees it after decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Connect(u32, String),
    Abort,
    ArmTimer(u32),
    CancelTimer,
    ReadyState(u32),
    Open,
    Message {
        event_type: String,
        data: String,
        id: String,
        /// The `retry` argument (`UNSET`: none).
        retry: u32,
    },
    /// `error`: reason code, status, delay (`UNSET`: none).
    Error([u32; 3]),
    Decide([u32; 3]),
    ArmHeartbeat(u32),
    CancelHeartbeat,
}

/// An error's details as the decoder must see them.
fn seen_details(details: ErrorDetails) -> [u32; 3] {
    [
        details.reason as u32,
        u32::from(details.status),
        details
            .reconnect
            .map_or(protocol::UNSET, |ms| ms.min(u64::from(MAX_TIMER_MS)) as u32),
    ]
}

/// What the decoder must see for a command.
fn expected(command: Command<'_>) -> Seen {
    let timer = |ms: u64| ms.min(u64::from(MAX_TIMER_MS)) as u32;
    match command {
        Command::Connect {
            last_event_id,
            id_header,
        } => Seen::Connect(id_header as u32, lossy(last_event_id)),
        Command::Abort => Seen::Abort,
        Command::ArmTimer { milliseconds } => Seen::ArmTimer(timer(milliseconds)),
        Command::CancelTimer => Seen::CancelTimer,
        Command::SetReadyState(state) => Seen::ReadyState(state as u32),
        Command::FireOpen => Seen::Open,
        Command::FireMessage(event) => Seen::Message {
            event_type: lossy(event.event_type),
            data: lossy(event.data),
            id: lossy(event.last_event_id),
            retry: event.retry,
        },
        Command::FireError(details) => Seen::Error(seen_details(details)),
        Command::Decide(details) => Seen::Decide(seen_details(details)),
        Command::ArmHeartbeat { milliseconds } => Seen::ArmHeartbeat(timer(milliseconds)),
        Command::CancelHeartbeat => Seen::CancelHeartbeat,
    }
}

/// The JS decoder's state, kept across batches for one engine's life. It starts unknown: reading
/// it before an op set it is a protocol error.
#[derive(Default)]
struct Decoder {
    state: [Option<String>; DecoderState::COUNT],
}

impl Decoder {
    /// Reads one batch as JS does: one split of the text at CR, then each op with exactly the
    /// arguments and text the table gives it.
    fn decode(&mut self, batch: &Batch) -> Vec<Seen> {
        // JS decodes the whole text once; CR is ASCII, so no ill-formed sequence spans two texts.
        let text = lossy(batch.text());
        assert!(
            text.is_empty() || text.ends_with('\r'),
            "every text ends with CR: {text:?}"
        );
        let mut texts = text.split('\r');
        let ops = batch.ops();
        let mut seen = Vec::new();
        let mut i = 0;
        while i < ops.len() {
            let info: &OpInfo = OPS
                .iter()
                .find(|op| op.code == ops[i])
                .unwrap_or_else(|| panic!("unknown op {}", ops[i]));
            let args = &ops[i + 1..i + 1 + info.args];
            i += 1 + info.args;
            let text = info
                .text
                .then(|| texts.next().expect("a text for each op that takes one"));
            if let Some(state) = info.sets {
                self.state[state as usize] = Some(text.unwrap().to_string());
                continue;
            }
            let state = |which: DecoderState| {
                self.state[which as usize]
                    .clone()
                    .unwrap_or_else(|| panic!("{} read before it was set", which.name()))
            };
            seen.push(match info.code {
                c if c == protocol::CONNECT.code => {
                    Seen::Connect(args[0], text.unwrap().to_string())
                }
                c if c == protocol::ABORT.code => Seen::Abort,
                c if c == protocol::ARM_TIMER.code => Seen::ArmTimer(args[0]),
                c if c == protocol::CANCEL_TIMER.code => Seen::CancelTimer,
                c if c == protocol::READY_STATE.code => Seen::ReadyState(args[0]),
                c if c == protocol::OPEN.code => Seen::Open,
                c if c == protocol::MESSAGE.code => Seen::Message {
                    event_type: state(DecoderState::EventType),
                    data: text.unwrap().to_string(),
                    id: state(DecoderState::LastEventId),
                    retry: args[0],
                },
                c if c == protocol::ERROR.code => Seen::Error([args[0], args[1], args[2]]),
                c if c == protocol::DECIDE.code => Seen::Decide([args[0], args[1], args[2]]),
                c if c == protocol::ARM_HEARTBEAT.code => Seen::ArmHeartbeat(args[0]),
                c if c == protocol::CANCEL_HEARTBEAT.code => Seen::CancelHeartbeat,
                other => panic!("op {other} has no decoder case"),
            });
        }
        assert_eq!(
            texts.next(),
            Some(""),
            "only the empty rest after the last CR"
        );
        assert_eq!(texts.next(), None, "every text consumed");
        seen
    }
}

/// Sends commands to the encoder and remembers what the decoder must see.
#[derive(Default)]
struct Recorder {
    batch: Batch,
    expected: Vec<Seen>,
}

impl Output for Recorder {
    const DECIDES: bool = true;

    fn command(&mut self, command: Command<'_>) {
        self.expected.push(expected(command));
        self.batch.command(command);
    }
}

fn encode(decoder: &mut Decoder, batch: &mut Batch, commands: &[Command<'_>]) -> Vec<Seen> {
    batch.clear();
    for &command in commands {
        batch.command(command);
    }
    let seen = decoder.decode(batch);
    let want: Vec<Seen> = commands.iter().map(|&c| expected(c)).collect();
    assert_eq!(seen, want);
    seen
}

fn message<'a>(event_type: &'a str, data: &'a str, last_event_id: &'a str) -> Command<'a> {
    Command::FireMessage(Event {
        event_type: event_type.as_bytes(),
        data: data.as_bytes(),
        last_event_id: last_event_id.as_bytes(),
        retry: crate::engine::parser::NO_RETRY,
    })
}

// The definition.

#[test]
fn op_codes_are_distinct_nonzero_and_listed_in_order() {
    for pair in OPS.windows(2) {
        assert!(pair[0].code < pair[1].code, "{pair:?}");
    }
    assert!(OPS.iter().all(|op| op.code != 0));
    assert!(OPS.iter().all(|op| !op.doc.trim().is_empty()));
}

#[test]
fn typed_ops_match_the_table() {
    let info = |code: u32| *OPS.iter().find(|op| op.code == code).unwrap();
    // The encoder uses the typed constants; their shape must be the table's.
    assert_eq!(info(protocol::CONNECT.code).args, 1);
    assert!(info(protocol::CONNECT.code).text);
    assert_eq!(info(protocol::ARM_TIMER.code).args, 1);
    assert_eq!(info(protocol::READY_STATE.code).args, 1);
    assert_eq!(info(protocol::ARM_HEARTBEAT.code).args, 1);
    assert!(info(protocol::MESSAGE.code).text);
    assert_eq!(
        info(protocol::TYPE.code).sets,
        Some(DecoderState::EventType)
    );
    assert_eq!(
        info(protocol::ID.code).sets,
        Some(DecoderState::LastEventId)
    );
    assert_eq!(protocol::TYPE.state, DecoderState::EventType);
    assert_eq!(protocol::ID.state, DecoderState::LastEventId);
    // Each kind of decoder state has exactly one op that sets it, which takes a text and nothing else.
    for state in [DecoderState::EventType, DecoderState::LastEventId] {
        let setters: Vec<_> = OPS.iter().filter(|op| op.sets == Some(state)).collect();
        assert_eq!(setters.len(), 1, "{}", state.name());
        assert!(setters[0].text && setters[0].args == 0);
    }
}

#[test]
fn input_codes_round_trip() {
    use protocol::Input as Code;
    for (code, input) in Code::ALL.into_iter().enumerate() {
        assert_eq!(input as usize, code, "ALL lists the inputs in code order");
        assert_eq!(Code::from_code(input as u32), Some(input));
    }
    // An unknown code is no input at all: es_send then returns an empty batch.
    assert_eq!(Code::from_code(Code::ALL.len() as u32), None);
    assert_eq!(Code::from_code(u32::MAX), None);
}

#[test]
fn end_codes_round_trip() {
    for end in End::ALL {
        assert_eq!(End::from_code(end as u32), end);
    }
    assert_eq!(End::from_code(99), End::CrossOriginRequestFailed);
}

#[test]
fn stream_codes_round_trip() {
    for what in Stream::ALL {
        assert_eq!(Stream::from_code(what as u32), what);
    }
    // An unknown code is read as the end: it never announces or feeds a source by mistake.
    assert_eq!(Stream::from_code(99), Stream::End);
}

/// A source on an application's stream, through the encoder as `es_send`'s `Input::Stream` and `Input::Chunk` drive
/// it: no CONNECT ever, OPEN on the first bytes, messages, and the end failing it.
#[test]
fn a_stream_source_batches() {
    let mut connection = Connection::new(Options::default());
    let mut batch = Batch::new();
    connection.stream_start();
    assert!(batch.ops().is_empty());
    connection.stream_data(&mut batch);
    connection.body_chunk(b"id: 1\ndata: a\n\n", &mut batch);
    let ops: Vec<u32> = batch.ops().to_vec();
    assert_eq!(
        ops,
        [
            protocol::READY_STATE.code,
            1,
            protocol::OPEN.code,
            protocol::TYPE.code,
            protocol::ID.code,
            protocol::MESSAGE.code,
            UNSET,
        ]
    );
    assert_eq!(batch.text(), b"message\r1\ra\r");
    batch.clear();
    connection.stream_end(&mut batch);
    assert_eq!(
        batch.ops(),
        [
            protocol::ABORT.code,
            protocol::READY_STATE.code,
            2,
            protocol::ERROR.code,
            // The reason (the stream ended), no status, no reconnection.
            crate::engine::Failure::Ended as u32,
            0,
            protocol::UNSET,
        ]
    );
}

/// src/js/protocol.js is what the definition renders. `UPDATE_PROTOCOL=1 cargo test` rewrites it.
#[test]
fn js_protocol_module_is_generated_from_the_definition() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/js/protocol.js");
    let rendered = protocol::render_js();
    if std::env::var_os("UPDATE_PROTOCOL").is_some_and(|v| v != "0") {
        std::fs::write(path, &rendered).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == rendered,
        "src/js/protocol.js differs from src/abi/protocol.rs's definition; \
         run `UPDATE_PROTOCOL=1 cargo test` to regenerate it"
    );
    for op in OPS {
        assert!(rendered.contains(&format!("export const OP_{} = {};\n", op.name, op.code)));
    }
}

/// src/js/parse-protocol.js is what the parser records' definition renders.
#[test]
fn js_parse_protocol_module_is_generated_from_the_definition() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/js/parse-protocol.js");
    let rendered = protocol::render_parse_js();
    if std::env::var_os("UPDATE_PROTOCOL").is_some_and(|v| v != "0") {
        std::fs::write(path, &rendered).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == rendered,
        "src/js/parse-protocol.js differs from src/abi/protocol.rs's definition; \
         run `UPDATE_PROTOCOL=1 cargo test` to regenerate it"
    );
    let codes: Vec<u32> = protocol::parse::NAMES
        .iter()
        .map(|(_, code)| *code)
        .collect();
    for (i, code) in codes.iter().enumerate() {
        assert!(!codes[..i].contains(code), "record codes are distinct");
    }
}

// The encoder, command by command.

#[test]
fn each_command_maps_to_its_op_arguments_and_text() {
    let cases: Vec<(Command<'_>, Vec<u32>, &str)> = vec![
        (
            Command::Connect {
                last_event_id: b"7",
                id_header: IdHeader::Send,
            },
            vec![protocol::CONNECT.code, protocol::ID_HEADER_SEND],
            "7\r",
        ),
        (
            Command::Connect {
                last_event_id: b"7",
                id_header: IdHeader::Refused,
            },
            vec![protocol::CONNECT.code, protocol::ID_HEADER_REFUSED],
            "7\r",
        ),
        (
            Command::Connect {
                last_event_id: b"",
                id_header: IdHeader::Send,
            },
            vec![protocol::CONNECT.code, protocol::ID_HEADER_SEND],
            "\r",
        ),
        (Command::Abort, vec![protocol::ABORT.code], ""),
        (
            Command::ArmTimer { milliseconds: 3000 },
            vec![protocol::ARM_TIMER.code, 3000],
            "",
        ),
        (Command::CancelTimer, vec![protocol::CANCEL_TIMER.code], ""),
        (
            Command::SetReadyState(ReadyState::Connecting),
            vec![protocol::READY_STATE.code, 0],
            "",
        ),
        (
            Command::SetReadyState(ReadyState::Open),
            vec![protocol::READY_STATE.code, 1],
            "",
        ),
        (
            Command::SetReadyState(ReadyState::Closed),
            vec![protocol::READY_STATE.code, 2],
            "",
        ),
        (Command::FireOpen, vec![protocol::OPEN.code], ""),
        (
            Command::FireError(ErrorDetails {
                reason: Failure::Status,
                status: 503,
                reconnect: Some(u64::MAX),
            }),
            vec![protocol::ERROR.code, 1, 503, MAX_TIMER_MS],
            "",
        ),
        (
            Command::FireError(ErrorDetails {
                reason: Failure::Headers,
                status: 0,
                reconnect: None,
            }),
            vec![protocol::ERROR.code, 10, 0, protocol::UNSET],
            "",
        ),
        (
            Command::Decide(ErrorDetails {
                reason: Failure::Ended,
                status: 200,
                reconnect: Some(3000),
            }),
            vec![protocol::DECIDE.code, 7, 200, 3000],
            "",
        ),
        (
            Command::ArmHeartbeat { milliseconds: 45 },
            vec![protocol::ARM_HEARTBEAT.code, 45],
            "",
        ),
        (
            Command::CancelHeartbeat,
            vec![protocol::CANCEL_HEARTBEAT.code],
            "",
        ),
    ];
    for (command, ops, text) in cases {
        let mut batch = Batch::new();
        batch.command(command);
        assert_eq!(batch.ops(), &ops[..], "{command:?}");
        assert_eq!(batch.text(), text.as_bytes(), "{command:?}");
        Decoder::default().decode(&batch);
    }
}

#[test]
fn a_message_sets_type_and_id_first_then_only_on_change() {
    // A message op and its argument: no `retry` field in these events.
    let (m, u, t, i) = (
        protocol::MESSAGE.code,
        UNSET,
        protocol::TYPE.code,
        protocol::ID.code,
    );
    let mut batch = Batch::new();
    let mut decoder = Decoder::default();
    // The first message of an engine sets both, even to the spec's defaults.
    encode(&mut decoder, &mut batch, &[message("message", "a", "")]);
    assert_eq!(batch.ops(), &[t, i, m, u]);
    assert_eq!(batch.text(), b"message\r\ra\r");
    // Unchanged: the message alone, in the same batch and in later ones.
    encode(
        &mut decoder,
        &mut batch,
        &[message("message", "b", ""), message("message", "c\nd", "")],
    );
    assert_eq!(batch.ops(), &[m, u, m, u]);
    assert_eq!(batch.text(), b"b\rc\nd\r");
    // Only what changed; changing back is a change.
    encode(
        &mut decoder,
        &mut batch,
        &[
            message("message", "e", "1"),
            message("tick", "f", "1"),
            message("message", "g", "1"),
        ],
    );
    assert_eq!(batch.ops(), &[i, m, u, t, m, u, t, m, u]);
    assert_eq!(batch.text(), b"1\re\rtick\rf\rmessage\rg\r");
    // Other commands in between do not reset what the decoder holds.
    encode(
        &mut decoder,
        &mut batch,
        &[
            Command::Abort,
            Command::Connect {
                last_event_id: b"1",
                id_header: IdHeader::Probe,
            },
            message("message", "h", "1"),
        ],
    );
    assert_eq!(
        batch.ops(),
        &[
            protocol::ABORT.code,
            protocol::CONNECT.code,
            protocol::ID_HEADER_PROBE,
            m,
            u
        ]
    );
}

/// A message carries the `retry` of its own block, clamped below `UNSET`; the next one none.
#[test]
fn a_message_carries_its_blocks_retry() {
    let mut connection = Connection::new(Options::default());
    let mut batch = Batch::new();
    let mut decoder = Decoder::default();
    connection.stream_start();
    connection.stream_data(&mut batch);
    batch.clear();
    connection.body_chunk(
        b"retry: 7\ndata: a\n\ndata: b\n\nretry: 99999999999\ndata: c\n\nretry: 5\n\ndata: d\n\n",
        &mut batch,
    );
    let retries: Vec<u32> = decoder
        .decode(&batch)
        .into_iter()
        .filter_map(|seen| match seen {
            Seen::Message { retry, .. } => Some(retry),
            _ => None,
        })
        .collect();
    assert_eq!(retries, [7, UNSET, UNSET - 1, UNSET]);
    // A retry in a block without data still set the reconnection time.
    assert_eq!(connection.reconnection_time(), 5);
}

#[test]
fn timers_are_clamped_to_what_set_timeout_takes() {
    for (milliseconds, sent) in [
        (0, 0),
        (1, 1),
        (u64::from(MAX_TIMER_MS), MAX_TIMER_MS),
        (u64::from(MAX_TIMER_MS) + 1, MAX_TIMER_MS),
        (u64::from(u32::MAX), MAX_TIMER_MS),
        (u64::MAX, MAX_TIMER_MS),
    ] {
        let mut batch = Batch::new();
        batch.command(Command::ArmTimer { milliseconds });
        batch.command(Command::ArmHeartbeat { milliseconds });
        assert_eq!(
            batch.ops(),
            &[
                protocol::ARM_TIMER.code,
                sent,
                protocol::ARM_HEARTBEAT.code,
                sent
            ]
        );
    }
    assert_eq!(MAX_TIMER_MS, (1 << 31) - 1);
}

#[test]
fn clear_starts_an_empty_batch() {
    let mut batch = Batch::new();
    batch.command(message("x", "y", "z"));
    batch.clear();
    assert!(batch.ops().is_empty() && batch.text().is_empty());
}

// The encoder behind a real connection: whatever the engine does, the decoder sees exactly the
// commands, in order, and every batch keeps the wire invariants.

#[derive(Debug, Clone)]
enum Input {
    Response(u16, Option<&'static str>),
    Chunk(Vec<u8>),
    End(End),
    Timer,
    Heartbeat,
    Recycle,
    Close,
    Decide(Decision),
}

fn chunk() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(&b"data: "[..]),
        Just(&b"data"[..]),
        Just(&b"data:"[..]),
        Just(&b"id: "[..]),
        Just(&b"id"[..]),
        Just(&b"event: "[..]),
        Just(&b"retry: 99999999999999"[..]),
        Just(&b"retry: 5"[..]),
        Just(&b": comment"[..]),
        Just(&b"\n"[..]),
        Just(&b"\r"[..]),
        Just(&b"\r\n"[..]),
        Just(&b"x"[..]),
        Just(&b"message"[..]),
        Just("\u{e9}\u{1F600}".as_bytes()),
        Just(&b"\xff\xc3"[..]),
        Just(&b"\0"[..]),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        2 => (
            prop_oneof![Just(200u16), Just(204), Just(500), Just(503), Just(429)],
            prop_oneof![Just(Some("text/event-stream")), Just(Some("text/plain")), Just(None)],
        )
            .prop_map(|(status, content_type)| Input::Response(status, content_type)),
        6 => chunk().prop_map(Input::Chunk),
        1 => proptest::sample::select(End::ALL.to_vec()).prop_map(Input::End),
        1 => Just(Input::Timer),
        1 => Just(Input::Heartbeat),
        1 => Just(Input::Recycle),
        1 => Just(Input::Close),
        1 => prop_oneof![
            Just(Decision::Default),
            Just(Decision::Fail),
            Just(Decision::Reconnect(None)),
            Just(Decision::Reconnect(Some(7))),
        ]
        .prop_map(Input::Decide),
    ]
}

proptest! {
    #[test]
    fn any_session_decodes_to_exactly_the_engine_commands(
        inputs in proptest::collection::vec(input(), 0..40),
        heartbeat in proptest::option::of(prop_oneof![Just(1u64), Just(45_000), Just(u64::MAX)]),
        reconnect_on_error in any::<bool>(),
        decides in any::<bool>(),
    ) {
        let mut connection = Connection::new(Options {
            heartbeat_timeout: heartbeat,
            reconnect_on_error,
            decides,
            policy: ReconnectPolicy {
                backoff_millionths: 3_000_000,
                ..ReconnectPolicy::default()
            },
            ..Options::default()
        });
        let mut out = Recorder::default();
        let mut decoder = Decoder::default();
        let mut step = |out: &mut Recorder, apply: &mut dyn FnMut(&mut Recorder)| {
            out.batch.clear();
            out.expected.clear();
            apply(out);
            let seen = decoder.decode(&out.batch);
            assert_eq!(seen, out.expected);
        };
        step(&mut out, &mut |out| connection.start(out));
        for input in inputs {
            step(&mut out, &mut |out| match &input {
                Input::Response(status, content_type) => connection.response_head(
                    ResponseHead {
                        status: *status,
                        content_type: content_type.map(str::as_bytes),
                        retry_after: None,
                    },
                    out,
                ),
                Input::Chunk(bytes) => connection.body_chunk(bytes, out),
                Input::End(End::BodyEnded) => connection.body_ended(out),
                Input::End(End::BodyFailed) => connection.network_error(out),
                Input::End(End::RequestFailed) => connection.request_failed(false, out),
                Input::End(End::CrossOriginRequestFailed) => connection.request_failed(true, out),
                Input::End(End::Aborted) => connection.aborted(out),
                Input::End(End::Impossible) => connection.request_impossible(out),
                Input::End(End::HeadersRefused) => connection.headers_failed(true, out),
                Input::End(End::HeadersFailed) => connection.headers_failed(false, out),
                Input::Decide(decision) => connection.decide(*decision, out),
                Input::Timer => connection.timer_fired(out),
                Input::Heartbeat => connection.heartbeat_expired(out),
                Input::Recycle => {
                    connection.recycle(out);
                }
                Input::Close => connection.close(out),
            });
        }
    }
}

#[test]
fn reasons_are_named_by_their_code() {
    let all = [
        (Failure::Network, "network"),
        (Failure::Status, "status"),
        (Failure::ContentType, "content-type"),
        (Failure::Cors, "cors"),
        (Failure::Heartbeat, "heartbeat"),
        (Failure::TooLarge, "too-large"),
        (Failure::RetriesExhausted, "retries-exhausted"),
        (Failure::Ended, "ended"),
        (Failure::Aborted, "aborted"),
        (Failure::Request, "request"),
        (Failure::Headers, "headers"),
    ];
    assert_eq!(all.len(), protocol::REASONS.len());
    for (failure, name) in all {
        assert_eq!(protocol::REASONS[failure as usize], name);
    }
}

#[test]
fn op_codes_fit_the_generated_text_bit_set() {
    // protocol.js's OP_TEXTS is a 32-bit set indexed by op code.
    assert!(OPS.iter().all(|op| op.code < 32));
}

// The parser API's engine (`StreamParser`, src/js/parser.js): its batches, read as parser.js reads
// them, give exactly the events the EventSource's engine gives for the same stream (what the
// parser API drove before it had a module of its own), whatever the chunking.
mod parse_api {
    use super::*;
    use crate::abi::parse::ParseBatch;
    use crate::abi::protocol::parse::{ID, RETRY, SPAN, TEXT, TOO_LARGE, TYPE};
    use crate::abi::StreamParser;

    /// What a parser API user sees.
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Out {
        Event {
            event_type: String,
            data: String,
            id: String,
            retry: u32,
        },
        /// onRetry.
        Retry(u32),
        /// onError: the event passed maxEventSize.
        TooLarge,
    }

    /// How an event's data travelled.
    #[derive(Debug, Default)]
    struct Paths {
        spans: usize,
        texts: usize,
    }

    /// Reads batches as src/js/parser.js does.
    struct Reader {
        event_type: String,
        id: String,
    }

    impl Reader {
        fn new() -> Self {
            Reader {
                event_type: "message".into(),
                id: String::new(),
            }
        }

        fn read(&mut self, batch: &ParseBatch, chunk: &[u8], paths: &mut Paths) -> Vec<Out> {
            let decode = chunk
                .get(..batch.decode_len() as usize)
                .expect("decode_len within the chunk");
            // Slicing by byte offsets is exact only where every byte before is ASCII.
            assert!(decode.is_ascii(), "the decoded start is ASCII");
            let decoded = lossy(decode);
            let text = lossy(batch.text());
            assert!(text.is_empty() || text.ends_with('\r'));
            let mut texts = text.split('\r');
            let ops = batch.ops();
            assert_eq!(ops.len() % 4, 0, "records of four numbers");
            let mut out = Vec::new();
            for (n, record) in ops.chunks_exact(4).enumerate() {
                let last = n + 1 == ops.len() / 4;
                match record[0] {
                    SPAN => {
                        let (start, end) = (record[1] as usize, record[2] as usize);
                        assert!(start <= end && end <= decode.len(), "{record:?}");
                        paths.spans += 1;
                        out.push(Out::Event {
                            event_type: self.event_type.clone(),
                            data: decoded[start..end].to_string(),
                            id: self.id.clone(),
                            retry: record[3],
                        });
                    }
                    TEXT => {
                        paths.texts += 1;
                        out.push(Out::Event {
                            event_type: self.event_type.clone(),
                            data: texts.next().expect("a text").to_string(),
                            id: self.id.clone(),
                            retry: record[1],
                        });
                    }
                    TYPE => self.event_type = texts.next().expect("a text").to_string(),
                    ID => self.id = texts.next().expect("a text").to_string(),
                    RETRY => {
                        assert!(last, "RETRY ends a batch");
                        out.push(Out::Retry(record[1]));
                    }
                    TOO_LARGE => {
                        assert!(last, "TOO_LARGE ends a batch");
                        *self = Reader::new();
                        out.push(Out::TooLarge);
                    }
                    other => panic!("unknown record {other}"),
                }
            }
            assert_eq!(
                texts.next(),
                Some(""),
                "only the empty rest after the last CR"
            );
            assert_eq!(texts.next(), None, "every text consumed");
            out
        }
    }

    /// The reference: the EventSource's engine fed as an application's stream, read by the
    /// EventSource's decoder, started afresh after an event too large, its reconnection time
    /// compared after each chunk (as parser.js did before).
    struct Reference {
        max_event_size: Option<usize>,
        connection: Connection,
        decoder: Decoder,
        reported: u64,
    }

    impl Reference {
        fn new(max_event_size: Option<usize>) -> Self {
            let mut connection = Connection::new(Options {
                max_event_size,
                ..Options::default()
            });
            connection.stream_start();
            connection.stream_data(&mut Batch::new());
            Reference {
                max_event_size,
                connection,
                decoder: Decoder::default(),
                reported: crate::engine::DEFAULT_RECONNECTION_TIME,
            }
        }

        fn chunk(&mut self, chunk: &[u8]) -> Vec<Out> {
            let mut batch = Batch::new();
            self.connection.body_chunk(chunk, &mut batch);
            let mut out = Vec::new();
            for seen in self.decoder.decode(&batch) {
                match seen {
                    Seen::Message {
                        event_type,
                        data,
                        id,
                        retry,
                    } => out.push(Out::Event {
                        event_type,
                        data,
                        id,
                        retry,
                    }),
                    Seen::Error([reason, ..]) => {
                        assert_eq!(reason, Failure::TooLarge as u32);
                        *self = Reference::new(self.max_event_size);
                        out.push(Out::TooLarge);
                        return out;
                    }
                    _ => {}
                }
            }
            let time = self.connection.reconnection_time();
            if time != self.reported {
                self.reported = time;
                out.push(Out::Retry(time.min(u64::from(u32::MAX)) as u32));
            }
            out
        }

        fn reset(&mut self) {
            self.connection.stream_reset();
        }
    }

    fn run(chunks: &[&[u8]], max_event_size: Option<usize>) -> (Vec<Out>, Paths) {
        let mut parser = StreamParser::new(max_event_size);
        let mut reader = Reader::new();
        let mut paths = Paths::default();
        let mut out = Vec::new();
        for chunk in chunks {
            parser.chunk(chunk);
            out.extend(reader.read(parser.batch(), chunk, &mut paths));
        }
        (out, paths)
    }

    fn event(event_type: &str, data: &str, id: &str) -> Out {
        Out::Event {
            event_type: event_type.into(),
            data: data.into(),
            id: id.into(),
            retry: UNSET,
        }
    }

    #[test]
    fn one_line_ascii_data_travels_as_offsets() {
        let (out, paths) = run(&[b"data: abc\n\nid: 7\ndata: d\r\n\r\n"], None);
        assert_eq!(
            out,
            [event("message", "abc", ""), event("message", "d", "7")]
        );
        assert_eq!((paths.spans, paths.texts), (2, 0));
    }

    #[test]
    fn data_after_a_non_ascii_byte_travels_as_text() {
        // Offsets into a decode are exact only before the first non-ASCII byte.
        let chunk = "data: a\n\n: \u{e9}\ndata: b\n\ndata: \u{1F600}\n\n".as_bytes();
        let (out, paths) = run(&[chunk], None);
        let want = [
            event("message", "a", ""),
            event("message", "b", ""),
            event("message", "\u{1F600}", ""),
        ];
        assert_eq!(out, want);
        assert_eq!((paths.spans, paths.texts), (1, 2));
    }

    #[test]
    fn multi_line_and_split_data_travel_as_text() {
        let (out, paths) = run(
            &[b"data: a\ndata: b\n\ndata: sp", b"lit\n\ndata: c\n", b"\n"],
            None,
        );
        let want = [
            event("message", "a\nb", ""),
            event("message", "split", ""),
            event("message", "c", ""),
        ];
        assert_eq!(out, want);
        assert_eq!((paths.spans, paths.texts), (0, 3));
    }

    #[test]
    fn a_bom_and_utf8_split_across_chunks() {
        let bytes = "\u{feff}data: \u{e9}t\u{e9}\n\ndata: x\n\n".as_bytes();
        for cut in 0..bytes.len() {
            let (out, _) = run(&[&bytes[..cut], &bytes[cut..]], None);
            assert_eq!(
                out,
                [
                    event("message", "\u{e9}t\u{e9}", ""),
                    event("message", "x", "")
                ],
                "cut at {cut}"
            );
        }
        // Ill-formed UTF-8 decodes to U+FFFD as TextDecoder does.
        let (out, _) = run(&[b"data: a\xff\xc3\n\n"], None);
        assert_eq!(out, [event("message", "a\u{fffd}\u{fffd}", "")]);
    }

    #[test]
    fn retry_is_reported_once_per_chunk_when_it_changed() {
        let (out, _) = run(
            &[
                b"retry: 10\ndata: a\n\nretry: x\nretry: 20\n\n",
                b"retry: 20\n\n",
            ],
            None,
        );
        let a = Out::Event {
            event_type: "message".into(),
            data: "a".into(),
            id: String::new(),
            retry: 10,
        };
        assert_eq!(out, [a, Out::Retry(20)]);
    }

    /// Every shape of a `data` line (the fast path takes lines that start `data:`), cut into
    /// three chunks anywhere: the events the spec gives, the same as the EventSource's engine.
    #[test]
    fn data_lines_of_every_shape_cut_anywhere() {
        let bytes: &[u8] = b"data:x\n\ndata\n\ndata: \n\ndataX: no\ndata:  two\r\n\r\n\
            dat: a\ndata:\rdata: crlf\r\n\r\ndata:a:b\n\n data: no\n\nDATA: no\n\n\
            data:\xC3\xA9\n\ndata: last\r";
        let want = [
            event("message", "x", ""),
            event("message", "", ""),
            event("message", "", ""),
            event("message", " two", ""),
            event("message", "\ncrlf", ""),
            event("message", "a:b", ""),
            event("message", "\u{e9}", ""),
        ];
        let whole = [bytes];
        let (out, _) = run(&whole, None);
        assert_eq!(out, want);
        // The last line ends in CR: an LF next is part of that end, a CR the empty line.
        for end in [&b"\n\n"[..], b"\r", b"\n\r"] {
            let (out, _) = run(&[bytes, end], None);
            assert_eq!(out.len(), want.len() + 1);
            assert_eq!(out.last(), Some(&event("message", "last", "")));
        }
        for a in 0..=bytes.len() {
            for b in a..=bytes.len() {
                let chunks = [&bytes[..a], &bytes[a..b], &bytes[b..]];
                let mut reference = Reference::new(None);
                let expected: Vec<Out> = chunks.iter().flat_map(|c| reference.chunk(c)).collect();
                let (out, _) = run(&chunks, None);
                assert_eq!(out, expected, "cut at {a} and {b}");
                assert_eq!(out, want, "cut at {a} and {b}");
            }
        }
    }

    #[test]
    fn a_data_line_at_the_size_bound() {
        // The fast path checks the bound as the general one: a value of `max` bytes fits
        // nothing (its LF counts), one byte less fits.
        for (line, fits) in [(&b"data:12345\n\n"[..], false), (b"data: 1234\n\n", true)] {
            for cut in 0..=line.len() {
                let (out, _) = run(&[&line[..cut], &line[cut..]], Some(5));
                let want = if fits {
                    event("message", "1234", "")
                } else {
                    Out::TooLarge
                };
                assert_eq!(out, [want], "{line:?} cut at {cut}");
            }
        }
    }

    #[test]
    fn too_large_starts_afresh() {
        let (out, _) = run(
            &[
                b"id: 1\nevent: t\ndata: ok\n\ndata: 0123456789\n\ndata: lost\n\n",
                b"data: b\n\n",
            ],
            Some(6),
        );
        assert_eq!(
            out,
            [
                event("t", "ok", "1"),
                Out::TooLarge,
                event("message", "b", "")
            ]
        );
    }

    fn stream() -> impl Strategy<Value = (Vec<Vec<u8>>, Vec<bool>, Option<usize>)> {
        (
            proptest::collection::vec(chunk(), 0..12),
            proptest::collection::vec(any::<bool>(), 12),
            prop_oneof![3 => Just(None), 1 => (0usize..40).prop_map(Some)],
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Any stream, any chunking, resets between chunks: the same events, retries and errors
        /// as the EventSource's engine.
        #[test]
        fn any_stream_reads_as_the_eventsource_engine_reads_it((chunks, resets, max) in stream()) {
            let mut parser = StreamParser::new(max);
            let mut reader = Reader::new();
            let mut reference = Reference::new(max);
            let mut paths = Paths::default();
            for (chunk, reset) in chunks.iter().zip(resets) {
                if reset {
                    parser.reset();
                    reference.reset();
                }
                parser.chunk(chunk);
                let ours = reader.read(parser.batch(), chunk, &mut paths);
                prop_assert_eq!(ours, reference.chunk(chunk));
            }
        }

        /// Whole or cut anywhere: the same events.
        #[test]
        fn chunking_changes_nothing((chunks, _, _) in stream(), cut in any::<prop::sample::Index>()) {
            let whole = chunks.concat();
            let at = cut.index(whole.len() + 1);
            let (a, _) = run(&[&whole], None);
            let (b, _) = run(&[&whole[..at], &whole[at..]], None);
            // Events in order; onRetry comes once per chunk, so only the last value must agree.
            let split = |out: Vec<Out>| {
                let retry = out.iter().rev().find(|o| matches!(o, Out::Retry(_))).cloned();
                (out.into_iter().filter(|o| matches!(o, Out::Event { .. })).collect::<Vec<_>>(), retry)
            };
            prop_assert_eq!(split(a), split(b));
        }
    }
}
