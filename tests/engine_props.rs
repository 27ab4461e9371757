//! Properties of the engine over generated input:
//! - any chunking of the response bodies gives exactly the commands that feeding them whole gives;
//! - no input, and no sequence of inputs, makes it panic or break its invariants;
//! - it agrees with a slow, literal reference model of the spec (`tests/common/reference.rs`).
// The shared inputs derive `Arbitrary` under cargo-fuzz's `fuzzing` cfg, unknown to this crate.
#![allow(unexpected_cfgs)]

mod common;
/// The engine's inputs, shared with the fuzz targets.
#[path = "common/inputs.rs"]
mod inputs;
/// The slow, literal reference model, shared with the fuzz targets.
#[path = "common/reference.rs"]
mod reference;

use common::{connects, lifecycle, messages, timers, Cmd, Recorder};
use eventsource_wasm::engine::{
    Connection, ErrorDetails, Failure, Options, ReadyState, ReconnectPolicy,
    DEFAULT_RECONNECTION_TIME,
};
use inputs::{apply, Input};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};

// Generators --------------------------------------------------------------------------------------

/// A piece of a field value: text, digits, multi-byte and invalid sequences, NUL, BOM, colons,
/// spaces and tabs.
fn value_piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => "[a-z0-9]{1,6}".prop_map(String::into_bytes),
        2 => "[0-9]{1,4}".prop_map(String::into_bytes),
        1 => Just(b"18446744073709551616".to_vec()),
        2 => select(vec!["é", "€", "😀", "\u{FEFF}", "\u{FFFD}", "\u{0661}"])
            .prop_map(|s| s.as_bytes().to_vec()),
        2 => select(vec![
            &b"\xFF"[..], b"\xE2\x82", b"\xF0\x9F\x98", b"\xC3", b"\xED\xA0\x80", b"\xEF\xBB",
            b"\xF4\x90\x80\x80",
        ])
        .prop_map(<[u8]>::to_vec),
        2 => select(vec![&b"\x00"[..], b":", b" ", b"  ", b"\t"]).prop_map(<[u8]>::to_vec),
    ]
}

/// One line without its end: mostly fields (known, unknown, miscased, BOM-prefixed), blank lines
/// that dispatch, comments, and some raw noise that may hold line ends of its own.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let name = select(vec![
        "data",
        "data",
        "data",
        "event",
        "id",
        "id",
        "retry",
        "Data",
        "foo",
        "dat",
        "datas",
        "\u{FEFF}data",
        "",
        " data",
    ]);
    let separator = select(vec!["", ":", ": ", ": ", ":  ", ":\t"]);
    prop_oneof![
        8 => (name, separator, vec(value_piece(), 0..4))
            .prop_map(|(name, separator, value)| {
                [name.as_bytes(), separator.as_bytes(), &value.concat()].concat()
            }),
        4 => Just(Vec::new()),
        1 => vec(value_piece(), 0..3).prop_map(|value| [&b":"[..], &value.concat()].concat()),
        1 => vec(any::<u8>(), 0..10),
    ]
}

fn line_end() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![4 => Just(&b"\n"[..]), 2 => Just(&b"\r\n"[..]), 2 => Just(&b"\r"[..])]
}

/// A body of realistic lines: maybe a BOM (or two, or the start of one), lines with mixed ends,
/// maybe an unterminated last line.
fn realistic_body(max_lines: usize) -> impl Strategy<Value = Vec<u8>> {
    (
        select(vec![
            &b""[..],
            b"",
            b"\xEF\xBB\xBF",
            b"\xEF\xBB\xBF\xEF\xBB\xBF",
            b"\xEF\xBB",
        ]),
        vec((line(), line_end()), 0..max_lines),
        prop_oneof![3 => Just(Vec::new()), 1 => line()],
    )
        .prop_map(|(bom, lines, tail)| {
            let mut body = bom.to_vec();
            for (line, end) in lines {
                body.extend_from_slice(&line);
                body.extend_from_slice(end);
            }
            body.extend_from_slice(&tail);
            body
        })
}

/// Bytes drawn mostly from those the syntax cares about.
fn biased_bytes(max_len: usize) -> impl Strategy<Value = Vec<u8>> {
    let interesting =
        b"data:eventidretry \r\n\r\n\n\x00\xEF\xBB\xBF\xE2\x82\xAC\xF0\x9F\x98\x80\xC3\xA9\xFF07"
            .to_vec();
    vec(
        prop_oneof![3 => select(interesting), 1 => any::<u8>()],
        0..max_len,
    )
}

/// A response body: realistic lines, biased bytes or any bytes.
fn any_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => realistic_body(24),
        2 => biased_bytes(200),
        1 => vec(any::<u8>(), 0..200),
    ]
}

/// A smaller piece of a body, for sequences of inputs.
fn any_chunk() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => realistic_body(6),
        2 => biased_bytes(48),
        1 => vec(any::<u8>(), 0..48),
    ]
}

/// Where a body is cut into chunks.
#[derive(Debug, Clone)]
enum Chunking {
    /// At these points; a repeated point makes an empty chunk.
    At(Vec<Index>),
    /// Inside every CRLF, every multi-byte (or invalid) sequence and a leading BOM, plus these.
    Tricky(Vec<Index>),
    ByteByByte,
}

fn chunking() -> impl Strategy<Value = Chunking> {
    prop_oneof![
        3 => vec(any::<Index>(), 0..12).prop_map(Chunking::At),
        3 => vec(any::<Index>(), 0..4).prop_map(Chunking::Tricky),
        1 => Just(Chunking::ByteByByte),
    ]
}

fn split(body: &[u8], chunking: &Chunking) -> Vec<Vec<u8>> {
    let anywhere = |points: &[Index]| -> Vec<usize> {
        points.iter().map(|p| p.index(body.len() + 1)).collect()
    };
    let mut points = match chunking {
        Chunking::ByteByByte => return body.iter().map(|&b| vec![b]).collect(),
        Chunking::At(points) => anywhere(points),
        Chunking::Tricky(points) => {
            let mut points = anywhere(points);
            for (i, pair) in body.windows(2).enumerate() {
                let inside_crlf = pair == b"\r\n";
                let inside_sequence = pair[0] >= 0x80 && (0x80..0xC0).contains(&pair[1]);
                if inside_crlf || inside_sequence {
                    points.push(i + 1);
                }
            }
            points.extend([1, 2].into_iter().filter(|&p| p <= body.len()));
            points
        }
    };
    points.sort_unstable();
    let mut chunks = Vec::new();
    let mut start = 0;
    for point in points {
        chunks.push(body[start..point].to_vec());
        start = point;
    }
    chunks.push(body[start..].to_vec());
    chunks
}

/// Each body cut by its chunking.
fn split_each(bodies: &[Vec<u8>], chunkings: &[Chunking]) -> Vec<Vec<Vec<u8>>> {
    bodies
        .iter()
        .zip(chunkings)
        .map(|(body, chunking)| split(body, chunking))
        .collect()
}

fn max_event_size() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![3 => Just(None), 2 => (0usize..80).prop_map(Some), 1 => any::<usize>().prop_map(Some)]
}

// (a) Chunking -----------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Over whole life cycles (several bodies, reconnections between them), with or without a
    /// maximum event size: the same events, `Last-Event-ID`s, timers and failures.
    #[test]
    fn any_chunking_gives_the_same_commands(
        bodies in vec(any_body(), 1..4),
        chunkings in vec(chunking(), 3),
        max_event_size in max_event_size(),
    ) {
        let options = Options { max_event_size, ..Options::default() };
        let whole: Vec<Vec<Vec<u8>>> = bodies.iter().map(|body| vec![body.clone()]).collect();
        let chunked = split_each(&bodies, &chunkings);
        let bytes: Vec<Vec<Vec<u8>>> = bodies
            .iter()
            .map(|body| split(body, &Chunking::ByteByByte))
            .collect();
        let expected = lifecycle(options, &whole);
        prop_assert_eq!(&lifecycle(options, &chunked), &expected);
        prop_assert_eq!(&lifecycle(options, &bytes), &expected);
    }
}

/// Every single split point and every pair of split points of bodies dense with the tricky parts.
#[test]
fn every_split_of_tricky_bodies_gives_the_same_commands() {
    let bodies: [&[u8]; 5] = [
        b"\xEF\xBB\xBFid: \xC3\xA9\r\ndata: \xF0\x9F\x98\x80\r\rdata\n\n",
        b"\xEF\xBB\xBF\xEF\xBB\xBFdata: a\r\n\r\ndata: \xE2\x82\r\n\n",
        b"retry: 12\r\nevent: \xE2\x82\xAC\r\ndata:  x\r\n\r\nid\r\n\r\n",
        b"\xEF\xBBdata: a\n\ndata: \xFF\xED\xA0\x80\r\r: c\r\n\n",
        b"data: a\r\n\r\ndata: b\r\n\r\ndata: c",
    ];
    for max_event_size in [None, Some(6)] {
        let options = Options {
            max_event_size,
            ..Options::default()
        };
        for body in bodies {
            let expected = lifecycle(options, &[vec![body]]);
            for i in 0..=body.len() {
                for j in i..=body.len() {
                    let chunks = vec![&body[..i], &body[i..j], &body[j..]];
                    assert_eq!(
                        lifecycle(options, &[chunks]),
                        expected,
                        "{body:?} split at {i} and {j}"
                    );
                }
            }
        }
    }
}

// (b) No panic, and invariants over any sequence of inputs ----------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        body in vec(any::<u8>(), 0..4096),
        chunking in chunking(),
        max_event_size in max_event_size(),
    ) {
        let options = Options { max_event_size, ..Options::default() };
        lifecycle(options, &[split(&body, &chunking)]);
    }
}

fn content_type() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop_oneof![
        4 => Just(Some(b"text/event-stream".to_vec())),
        1 => Just(None),
        1 => select(vec![
            &b"text/event-stream; charset=utf-8"[..], b"TEXT/EVENT-STREAM", b"text/plain",
            b"text/event-stream, */*", b"text/ event-stream", b"", b",", b"\"", b"a/b;\"\\",
        ])
        .prop_map(|t| Some(t.to_vec())),
        1 => proptest::option::of(vec(any::<u8>(), 0..24)),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![6 => Just(200u16), 1 => Just(500), 1 => Just(429), 1 => Just(404), 1 => any::<u16>()]
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        1 => Just(Input::Start),
        3 => (status(), content_type(), proptest::option::of(0u64..100_000))
            .prop_map(|(status, content_type, retry_after)| {
                Input::Response(status, content_type, retry_after)
            }),
        5 => any_chunk().prop_map(Input::Chunk),
        1 => Just(Input::End),
        1 => Just(Input::NetworkError),
        1 => any::<bool>().prop_map(Input::RequestFailed),
        2 => Just(Input::Timer),
        1 => Just(Input::Heartbeat),
        1 => Just(Input::Recycle),
        1 => Just(Input::Close),
        1 => Just(Input::Impossible),
        1 => any::<bool>().prop_map(Input::HeadersFailed),
        2 => (any::<u8>(), proptest::option::of(0u32..100_000))
            .prop_map(|(kind, delay)| Input::Decide(kind, delay)),
        1 => (proptest::option::of(0u64..200_000), any::<bool>())
            .prop_map(|(silent, online)| Input::Resumed(silent, online)),
    ]
}

/// Any options: size bound, reconnection time, backoff, jitter, cap, retry limit, retrying
/// server errors, heartbeat, seed.
fn options() -> impl Strategy<Value = Options> {
    let policy = (
        prop_oneof![Just(1000u32), 0u32..4000],
        prop_oneof![Just(u64::MAX), any::<u64>()],
        prop_oneof![Just(0u32), 0u32..2000],
        prop_oneof![Just(u32::MAX), 0u32..4],
    )
        .prop_map(
            |(backoff_permille, max_delay, jitter_permille, max_retries)| ReconnectPolicy {
                backoff_millionths: backoff_permille * 1000,
                max_delay,
                jitter_permille,
                max_retries,
            },
        );
    (
        max_event_size(),
        prop_oneof![Just(DEFAULT_RECONNECTION_TIME), any::<u64>()],
        prop_oneof![Just(ReconnectPolicy::default()), policy],
        any::<bool>(),
        proptest::option::of(any::<u64>()),
        any::<u32>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                max_event_size,
                reconnection_time,
                policy,
                reconnect_on_error,
                heartbeat,
                seed,
                decides,
            )| {
                Options {
                    max_event_size,
                    reconnection_time,
                    policy,
                    reconnect_on_error,
                    heartbeat_timeout: heartbeat,
                    seed,
                    decides,
                }
            },
        )
}

/// What the I/O layer and the page know, rebuilt from the commands alone.
#[derive(Default)]
struct World {
    /// `readyState` as the page last saw it (`None`: CONNECTING, as constructed).
    visible: Option<ReadyState>,
    started: bool,
    request_in_flight: bool,
    /// The request in flight has had its response head.
    head_arrived: bool,
    timer_armed: bool,
    heartbeat_armed: bool,
    /// The status of the request's response head (0: none yet).
    status: u16,
    /// The engine asked the page to decide on this failure and waits.
    deciding: Option<ErrorDetails>,
}

/// The reasons an input may give its error (or decision request), besides running out of
/// retries, which any failure that would reconnect may turn into.
fn reasons(input: &Input, deciding: Option<ErrorDetails>) -> Vec<Failure> {
    match input {
        Input::Response(..) => vec![Failure::Status, Failure::ContentType],
        Input::Chunk(_) => vec![Failure::TooLarge],
        Input::End => vec![Failure::Ended],
        Input::NetworkError => vec![Failure::Network],
        Input::RequestFailed(true) => vec![Failure::Network, Failure::Cors],
        Input::RequestFailed(false) => vec![Failure::Network],
        Input::Heartbeat | Input::Resumed(..) => vec![Failure::Heartbeat],
        Input::Impossible => vec![Failure::Request],
        Input::HeadersFailed(_) => vec![Failure::Headers],
        Input::Decide(..) => deciding.map(|d| d.reason).into_iter().collect(),
        Input::Start | Input::Timer | Input::Recycle | Input::Close => vec![],
    }
}

impl World {
    fn ready_state(&self) -> ReadyState {
        self.visible.unwrap_or(ReadyState::Connecting)
    }
}

/// Checks one input's commands against the world and updates it. Returns a description of the
/// first broken rule.
fn check(world: &mut World, input: &Input, commands: &[Cmd]) -> Result<(), String> {
    let spurious = match input {
        Input::Start => std::mem::replace(&mut world.started, true),
        // A timer that is not armed, or anything from a request that does not exist.
        Input::Timer => !std::mem::take(&mut world.timer_armed),
        Input::Heartbeat => !std::mem::take(&mut world.heartbeat_armed),
        Input::Response(..) => {
            !world.request_in_flight || std::mem::replace(&mut world.head_arrived, true)
        }
        Input::Chunk(_) => !world.request_in_flight || !world.head_arrived,
        // `request_failed` is for a request that failed before its head arrived.
        Input::RequestFailed(_) if world.head_arrived => true,
        Input::End | Input::NetworkError | Input::RequestFailed(_) => {
            !std::mem::take(&mut world.request_in_flight)
        }
        // Impossible requests and failed headers are found before a request goes out.
        Input::Impossible | Input::HeadersFailed(_) if world.head_arrived => true,
        Input::Impossible | Input::HeadersFailed(_) => {
            !std::mem::take(&mut world.request_in_flight)
        }
        Input::Decide(..) => world.deciding.is_none(),
        // The page's signal may come at any time.
        Input::Recycle | Input::Close | Input::Resumed(..) => false,
    };
    let pending = world.deciding.take();
    if pending.is_some()
        && !matches!(input, Input::Decide(..) | Input::Close)
        && !commands.is_empty()
    {
        return Err("an input other than the decision or close() acted while deciding".into());
    }
    if matches!(input, Input::Decide(..) | Input::Close) || pending.is_none() {
        // Only the decision (or close()) ends the wait.
    } else {
        world.deciding = pending;
    }
    if let Input::Response(status, ..) = input {
        if !spurious {
            world.status = *status;
        }
    }
    if spurious && !commands.is_empty() {
        return Err("a stray input had an effect".into());
    }
    for (i, command) in commands.iter().enumerate() {
        let previous = i.checked_sub(1).map(|i| &commands[i]);
        // The rest of the batch ends in CLOSED: failing, or close().
        let closing = commands[i..].contains(&Cmd::State(ReadyState::Closed));
        match command {
            Cmd::Connect(_) | Cmd::ConnectWithout(..) => {
                if world.request_in_flight || world.timer_armed {
                    return Err("a second request, or one while a timer is armed".into());
                }
                // A recycle: the stream restarts at a resume point, invisibly.
                let invisible =
                    previous == Some(&Cmd::Abort) && world.ready_state() == ReadyState::Open;
                if world.ready_state() != ReadyState::Connecting && !invisible {
                    return Err("Connect outside CONNECTING".into());
                }
                world.request_in_flight = true;
                world.head_arrived = false;
                world.status = 0;
            }
            Cmd::Abort => {
                // Before CLOSED or a decision, the abort may find the request already gone
                // (aborting is idempotent for the I/O layer).
                let pausing = matches!(commands.last(), Some(Cmd::Decide(_)));
                if !world.request_in_flight && !closing && !pausing {
                    return Err("Abort with no request".into());
                }
                world.request_in_flight = false;
            }
            Cmd::ArmTimer(milliseconds) => {
                // The page came back: the armed timer is armed again to run out now, alone.
                let cut_short = matches!(input, Input::Resumed(..))
                    && world.timer_armed
                    && *milliseconds == 0
                    && commands.len() == 1;
                if cut_short {
                    continue;
                }
                if world.timer_armed
                    || world.request_in_flight
                    || !matches!(previous, Some(Cmd::Error(_)))
                {
                    return Err("ArmTimer not right after the error of a reestablish".into());
                }
                world.timer_armed = true;
            }
            Cmd::CancelTimer => {
                if !world.timer_armed || !closing {
                    return Err("CancelTimer without a timer, or not for close()".into());
                }
                world.timer_armed = false;
            }
            Cmd::Heartbeat(_) => {
                if !world.request_in_flight {
                    return Err("a heartbeat watchdog without a request".into());
                }
                world.heartbeat_armed = true;
            }
            Cmd::CancelHeartbeat => world.heartbeat_armed = false,
            Cmd::State(state) => world.visible = Some(*state),
            Cmd::Open => {
                if previous != Some(&Cmd::State(ReadyState::Open)) {
                    return Err("open without readyState OPEN just before".into());
                }
            }
            Cmd::Message { .. } => {
                if world.ready_state() != ReadyState::Open || !matches!(input, Input::Chunk(_)) {
                    return Err("a message outside OPEN or not from a chunk".into());
                }
            }
            Cmd::Error(details) | Cmd::Decide(details) => {
                let deciding = matches!(command, Cmd::Decide(_));
                let state = match (deciding, details.reconnect) {
                    (false, None) => ReadyState::Closed,
                    _ => ReadyState::Connecting,
                };
                if previous != Some(&Cmd::State(state)) {
                    return Err("error without its readyState just before".into());
                }
                let allowed = reasons(input, pending);
                let exhausted = details.reason == Failure::RetriesExhausted
                    && (details.reconnect.is_none() || deciding || pending.is_some());
                if !allowed.contains(&details.reason) && !exhausted {
                    return Err(format!("reason {:?} for this input", details.reason));
                }
                let status = match pending {
                    Some(pending) => pending.status,
                    None => world.status,
                };
                if details.status != status {
                    return Err(format!(
                        "status {} where the response had {status}",
                        details.status
                    ));
                }
                match (deciding, details.reconnect, commands.get(i + 1)) {
                    (true, _, next) => {
                        if next.is_some() || world.request_in_flight || world.timer_armed {
                            return Err("a decision asked for with more to do".into());
                        }
                        world.deciding = Some(*details);
                    }
                    (false, Some(delay), Some(Cmd::ArmTimer(armed))) if *armed == delay => {}
                    (false, Some(_), _) => {
                        return Err("the error's delay is not the timer armed right after".into());
                    }
                    (false, None, next) => {
                        if next.is_some() {
                            return Err(
                                "commands after the error that failed the connection".into()
                            );
                        }
                    }
                }
                if let (Some(pending), Input::Decide(kind, delay)) = (pending, input) {
                    let expected = match inputs::decision(*kind, *delay) {
                        eventsource_wasm::engine::Decision::Default => pending.reconnect,
                        eventsource_wasm::engine::Decision::Fail => None,
                        eventsource_wasm::engine::Decision::Reconnect(Some(ms)) => Some(ms),
                        eventsource_wasm::engine::Decision::Reconnect(None) => {
                            details.reconnect.or(Some(0))
                        }
                    };
                    if details.reconnect != expected || details.reason != pending.reason {
                        return Err("the error does not report the decision".into());
                    }
                }
            }
        }
    }
    if world.heartbeat_armed && !world.request_in_flight {
        return Err("a heartbeat watchdog left without a request".into());
    }
    if world.ready_state() == ReadyState::Closed
        && (world.request_in_flight || world.timer_armed || world.heartbeat_armed)
    {
        return Err("CLOSED with a request or a timer left".into());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Invariants: nothing after CLOSED; `readyState` as the commands report it is always the
    /// engine's; `error` right after a `readyState` change and `open` right after OPEN; one
    /// request at a time, only in CONNECTING (or as an invisible recycle); a timer only after the
    /// error of a reestablish, and never left behind; stray inputs change nothing.
    #[test]
    fn no_input_sequence_panics_or_breaks_invariants(
        inputs in vec(input(), 0..48),
        options in options(),
    ) {
        let mut connection = Connection::new(options);
        let mut out = Recorder::default();
        let mut world = World::default();
        prop_assert_eq!(connection.ready_state(), ReadyState::Connecting);
        for input in &inputs {
            if matches!(input, Input::Heartbeat) && options.heartbeat_timeout.is_none() {
                // No watchdog is ever armed, so the I/O layer never reports one expiring.
                continue;
            }
            let closed = connection.ready_state() == ReadyState::Closed;
            apply(&mut connection, input, &mut out);
            let commands = out.take();
            if closed {
                prop_assert!(commands.is_empty(), "after CLOSED: {:?} gave {:?}", input, commands);
            }
            if let Err(broken) = check(&mut world, input, &commands) {
                return Err(TestCaseError::fail(format!("{broken}: {input:?} gave {commands:?}")));
            }
            prop_assert_eq!(world.ready_state(), connection.ready_state(), "after {:?}", input);
        }
    }
}

// (c) The reference model --------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Events, and the `Last-Event-ID` and delay of every reconnection, over several bodies.
    #[test]
    fn the_engine_agrees_with_the_reference_model(bodies in vec(any_body(), 1..4)) {
        let whole: Vec<Vec<Vec<u8>>> = bodies.iter().map(|body| vec![body.clone()]).collect();
        let (commands, last_event_id, reconnection_time) = lifecycle(Options::default(), &whole);
        let model = reference::interpret(&bodies);
        prop_assert_eq!(messages(&commands), model.events);
        let (ids, delays): (Vec<String>, Vec<u64>) = model.after_each_body.into_iter().unzip();
        prop_assert_eq!(&connects(&commands)[1..], &ids[..]);
        prop_assert_eq!(&timers(&commands), &delays);
        prop_assert_eq!(Some(&last_event_id), ids.last());
        prop_assert_eq!(Some(&reconnection_time), delays.last());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// With a maximum event size, chunked anyhow: the model reads `Options::max_event_size`'s
    /// documentation literally (bytes as received; a replaced event type no longer counts).
    /// Regression for the fuzzing findings on the size bound.
    #[test]
    fn the_engine_agrees_with_the_reference_model_on_the_size_bound(
        bodies in vec(any_body(), 1..4),
        chunkings in vec(chunking(), 3),
        max_event_size in (0usize..80).prop_map(Some),
    ) {
        let options = Options { max_event_size, ..Options::default() };
        let chunked = split_each(&bodies, &chunkings);
        let (commands, last_event_id, reconnection_time) = lifecycle(options, &chunked);
        let model = reference::interpret_bounded(&bodies, max_event_size);
        prop_assert_eq!(messages(&commands), model.events);
        let failed = commands.contains(&Cmd::State(ReadyState::Closed));
        prop_assert_eq!(failed, model.failed);
        let ids: Vec<String> = model.after_each_body.iter().map(|(id, _)| id.clone()).collect();
        prop_assert_eq!(&connects(&commands)[1..], &ids[..]);
        prop_assert_eq!(last_event_id, model.last_event_id);
        prop_assert_eq!(reconnection_time, model.reconnection_time);
    }
}
