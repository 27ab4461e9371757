//! Properties of the engine over generated input: any chunking gives the same result as feeding a
//! body whole; no input sequence makes it panic or break its invariants; and it agrees with a
//! slow, literal reference model of the spec written here.

mod common;

use common::{open_connection, Cmd, Recorder};
use eventsource_wasm::engine::{Connection, Options, ReadyState};
use proptest::prelude::*;

/// Lines that exercise every rule: fields, comments, line ends, BOMs, multi-byte and invalid bytes.
fn line_piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"data: hello".to_vec()),
        Just(b"data:".to_vec()),
        Just(b"data".to_vec()),
        Just(b"data:  two".to_vec()),
        Just(b"event: custom".to_vec()),
        Just(b"event:".to_vec()),
        Just(b"id: 42".to_vec()),
        Just(b"id".to_vec()),
        Just(b"id: a\x00b".to_vec()),
        Just(b"retry: 1500".to_vec()),
        Just(b"retry: 15x".to_vec()),
        Just(b": comment".to_vec()),
        Just(b"unknown: field".to_vec()),
        Just("data: é€😀".as_bytes().to_vec()),
        Just(b"data: \xE2\x82".to_vec()),
        Just(b"data: \xFF\xC3(".to_vec()),
        Just(b"\xEF\xBB\xBFdata: bom".to_vec()),
        Just(Vec::new()),
        proptest::collection::vec(any::<u8>(), 0..12),
    ]
}

fn line_end() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![Just(&b"\n"[..]), Just(&b"\r\n"[..]), Just(&b"\r"[..])]
}

/// A body built from realistic lines, maybe with a leading BOM, maybe unterminated at the end.
fn body() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        proptest::collection::vec((line_piece(), line_end()), 0..40),
        proptest::collection::vec(any::<u8>(), 0..6),
    )
        .prop_map(|(bom, lines, tail)| {
            let mut out = Vec::new();
            if bom {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            for (line, end) in lines {
                out.extend_from_slice(&line);
                out.extend_from_slice(end);
            }
            out.extend_from_slice(&tail);
            out
        })
}

/// Split points: arbitrary, plus points inside every CRLF, the BOM and multi-byte sequences.
fn chunked(body: &[u8], cuts: &[usize], tricky: bool) -> Vec<Vec<u8>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (body.len() + 1)).collect();
    if tricky {
        for (i, pair) in body.windows(2).enumerate() {
            let inside_crlf = pair == b"\r\n";
            let inside_multibyte =
                pair[0] >= 0xC0 || (pair[0] & 0xC0 == 0x80 && pair[1] & 0xC0 == 0x80);
            if inside_crlf || inside_multibyte {
                points.push(i + 1);
            }
        }
        points.extend([1, 2]);
    }
    points.retain(|&p| p <= body.len());
    points.sort_unstable();
    points.dedup();
    let mut chunks = Vec::new();
    let mut start = 0;
    for point in points {
        chunks.push(body[start..point].to_vec());
        start = point;
    }
    chunks.push(body[start..].to_vec());
    chunks
}

/// Everything observable from feeding `chunks`: commands, last event ID, reconnection time.
fn run(chunks: &[Vec<u8>]) -> (Vec<Cmd>, String, u64) {
    let (mut connection, mut out) = open_connection(Options::default());
    for chunk in chunks {
        connection.body_chunk(chunk, &mut out);
    }
    connection.body_ended(&mut out);
    (
        out.take(),
        connection.last_event_id().to_owned(),
        connection.reconnection_time(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn any_chunking_gives_the_same_result(body in body(), cuts in proptest::collection::vec(any::<usize>(), 0..16), tricky in any::<bool>()) {
        let whole = run(std::slice::from_ref(&body));
        prop_assert_eq!(run(&chunked(&body, &cuts, tricky)), whole.clone());
        let bytes: Vec<Vec<u8>> = body.iter().map(|&b| vec![b]).collect();
        prop_assert_eq!(run(&bytes), whole);
    }

    #[test]
    fn arbitrary_bytes_in_any_chunking_agree_too(body in proptest::collection::vec(any::<u8>(), 0..300), cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        prop_assert_eq!(run(&chunked(&body, &cuts, true)), run(&[body]));
    }

    #[test]
    fn the_engine_agrees_with_the_reference_model(body in body()) {
        let (commands, last_event_id, reconnection_time) = run(std::slice::from_ref(&body));
        let messages: Vec<(String, String, String)> = commands.iter().filter_map(|c| match c {
            Cmd::Message { event_type, data, id } => Some((event_type.clone(), data.clone(), id.clone())),
            _ => None,
        }).collect();
        let model = reference::interpret(&body);
        prop_assert_eq!(messages, model.events);
        prop_assert_eq!(last_event_id, model.last_event_id);
        prop_assert_eq!(reconnection_time, model.reconnection_time);
    }

    #[test]
    fn no_input_sequence_panics_or_breaks_invariants(inputs in proptest::collection::vec(input(), 0..60), max in proptest::option::of(1usize..200)) {
        let mut connection = Connection::new(Options { max_event_size: max, ..Options::default() });
        let mut out = Recorder::default();
        let mut closed = false;
        for input in inputs {
            apply(&mut connection, &input, &mut out);
            let commands = out.take();
            if closed {
                prop_assert!(commands.is_empty(), "nothing after CLOSED: {:?}", commands);
            }
            let mut state = None;
            for command in &commands {
                match command {
                    Cmd::State(s) => state = Some(*s),
                    Cmd::Error => prop_assert!(state.is_some(), "error without a readyState change"),
                    Cmd::Connect(_) => prop_assert!(connection.ready_state() != ReadyState::Closed),
                    _ => {}
                }
            }
            if let Some(state) = state {
                prop_assert_eq!(state, connection.ready_state());
            }
            closed = connection.ready_state() == ReadyState::Closed;
        }
    }
}

#[derive(Debug, Clone)]
enum Input {
    Start,
    Response(u16, Option<Vec<u8>>),
    Chunk(Vec<u8>),
    End,
    NetworkError,
    RequestFailed(bool),
    Timer,
    Recycle,
    Close,
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        Just(Input::Start),
        (
            prop_oneof![Just(200u16), any::<u16>()],
            proptest::option::of(prop_oneof![
                Just(b"text/event-stream".to_vec()),
                proptest::collection::vec(any::<u8>(), 0..24),
            ])
        )
            .prop_map(|(s, t)| Input::Response(s, t)),
        body().prop_map(Input::Chunk),
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(Input::Chunk),
        Just(Input::End),
        Just(Input::NetworkError),
        any::<bool>().prop_map(Input::RequestFailed),
        Just(Input::Timer),
        Just(Input::Recycle),
        Just(Input::Close),
    ]
}

fn apply(connection: &mut Connection, input: &Input, out: &mut Recorder) {
    match input {
        Input::Start => connection.start(out),
        Input::Response(status, content_type) => {
            connection.response(*status, content_type.as_deref(), out)
        }
        Input::Chunk(bytes) => connection.body_chunk(bytes, out),
        Input::End => connection.body_ended(out),
        Input::NetworkError => connection.network_error(out),
        Input::RequestFailed(cross_origin) => connection.request_failed(*cross_origin, out),
        Input::Timer => connection.timer_fired(out),
        Input::Recycle => {
            connection.recycle(out);
        }
        Input::Close => connection.close(out),
    }
}

/// The spec read literally, slow and obvious: decode the whole body, split it into lines, and
/// interpret each line as "Interpreting an event stream" says.
mod reference {
    pub struct Model {
        pub events: Vec<(String, String, String)>,
        pub last_event_id: String,
        pub reconnection_time: u64,
    }

    pub fn interpret(body: &[u8]) -> Model {
        // UTF-8 decode: strip one leading BOM, then decode with replacement.
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        let text = String::from_utf8_lossy(body).into_owned();
        // Lines end in CRLF, LF or CR; whatever follows the last line end is not a line.
        let mut lines = Vec::new();
        let mut current = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    lines.push(std::mem::take(&mut current));
                }
                '\n' => lines.push(std::mem::take(&mut current)),
                c => current.push(c),
            }
        }
        let mut model = Model {
            events: Vec::new(),
            last_event_id: String::new(),
            reconnection_time: eventsource_wasm::engine::DEFAULT_RECONNECTION_TIME,
        };
        let (mut data, mut event_type, mut id_buffer) =
            (String::new(), String::new(), String::new());
        for line in lines {
            if line.is_empty() {
                model.last_event_id = id_buffer.clone();
                if data.is_empty() {
                    event_type.clear();
                    continue;
                }
                if data.ends_with('\n') {
                    data.pop();
                }
                let kind = if event_type.is_empty() {
                    "message".to_owned()
                } else {
                    event_type.clone()
                };
                model
                    .events
                    .push((kind, data.clone(), model.last_event_id.clone()));
                data.clear();
                event_type.clear();
                continue;
            }
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = match line.find(':') {
                Some(i) => {
                    let value = &line[i + 1..];
                    (&line[..i], value.strip_prefix(' ').unwrap_or(value))
                }
                None => (line.as_str(), ""),
            };
            match field {
                "event" => event_type = value.to_owned(),
                "data" => {
                    data.push_str(value);
                    data.push('\n');
                }
                "id" if !value.contains('\0') => id_buffer = value.to_owned(),
                "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                    if let Ok(ms) = value.parse() {
                        model.reconnection_time = ms;
                    }
                }
                _ => {}
            }
        }
        model
    }
}
