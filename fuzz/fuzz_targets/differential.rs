//! Differential fuzzing: the engine against the slow, literal reference model of the spec in
//! `tests/common/reference.rs` (the same model `tests/engine_props.rs` uses).
//!
//! A connection lives through several response bodies of arbitrary bytes, each cut into arbitrary
//! chunks, with an arbitrary maximum event size (or none): start, then per body a 200
//! `text/event-stream` response, the chunks, the end of the body and the reconnection timer. The
//! engine fed whole bodies, the engine fed the chunks, and the model must agree on every event,
//! the `Last-Event-ID` and delay of every reconnection, whether the connection failed, and the
//! final last event ID and reconnection time.
//!
//! Recycles: where the input asks for one, the I/O layer calls `recycle`; the connection must
//! then restart at the first resume point the model knows from there on, asking with the model's
//! last event ID there, and a server resending exactly what follows must give the very commands
//! of the run without recycles (less the invisible abort and reconnect): nothing lost, nothing
//! repeated, no `readyState` change, no event.
//!
//! Input: one byte for the maximum event size, then the bodies' bytes with chunk and body
//! boundaries marked (`shared.rs`).
//!
//! Run: `scripts/fuzz.sh` (all targets) or `RUSTC_BOOTSTRAP=1 cargo fuzz run differential`.
#![no_main]

use eventsource_wasm::engine::{Connection, Options, ReadyState};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../../tests/common/reference.rs"]
mod reference;
mod shared;

use common::{lifecycle, messages, Cmd, Recorder};

const EVENT_STREAM: Option<&[u8]> = Some(b"text/event-stream");

/// The life cycle of `common::lifecycle`, with recycles where the bodies ask for them and a
/// server that resumes each body at the resume point the model expects. Returns the commands less
/// each recycle's `Abort` and `Connect`, the last event ID and the reconnection time.
fn lifecycle_with_recycles(
    options: Options,
    bodies: &[Vec<(&[u8], bool)>],
    model: &reference::Model,
) -> (Vec<Cmd>, String, u64) {
    let mut connection = Connection::new(options);
    let mut out = Recorder::default();
    connection.start(&mut out);
    for (index, chunks) in bodies.iter().enumerate() {
        let body: Vec<u8> = chunks
            .iter()
            .flat_map(|(chunk, _)| chunk.iter().copied())
            .collect();
        connection.response(200, EVENT_STREAM, &mut out);
        // Bytes of `body` sent so far, and where the response being read started (a resumed one
        // starts further on: its start is no resume point, nothing of it has been read).
        let mut sent = 0;
        let mut start = 0;
        // Where the pending recycle was asked for.
        let mut asked_at: Option<usize> = None;
        let mut end = 0;
        for &(chunk, recycle) in chunks {
            end += chunk.len();
            let mark = out.commands.len();
            if end > sent {
                connection.body_chunk(&body[sent..end], &mut out);
                sent = end;
            }
            if recycle && !reopened(&out.commands[mark..]) {
                asked_at.get_or_insert(sent);
                connection.recycle(&mut out);
            }
            if !reopened(&out.commands[mark..]) {
                continue;
            }
            // The connection restarted: where, by the model?
            let asked = asked_at.take().expect("a restart nobody asked for");
            let points = model
                .resume_points
                .get(index)
                .map_or(&[][..], Vec::as_slice);
            let (at, id) = points
                .iter()
                .find(|(at, _)| *at >= asked && *at > start)
                .expect("a restart where the model has no resume point");
            // The model's point is past a CRLF's LF; the connection may have stopped at the CR.
            let crlf_pending = *at == sent + 1 && body[..*at].ends_with(b"\r\n");
            assert!(
                *at <= sent || crlf_pending,
                "a restart before its resume point arrived"
            );
            let Some(Cmd::Connect(asked_id)) = out.commands.pop() else {
                unreachable!()
            };
            assert_eq!(
                out.commands.pop(),
                Some(Cmd::Abort),
                "a restart without abort"
            );
            assert_eq!(&asked_id, id, "Last-Event-ID of a restart");
            // The server resends what follows, after a BOM when that starts with one (a new
            // response's first BOM is stripped).
            connection.response(200, EVENT_STREAM, &mut out);
            if body[*at..].starts_with(b"\xEF\xBB\xBF") {
                connection.body_chunk(b"\xEF\xBB\xBF", &mut out);
            }
            sent = *at;
            start = *at;
        }
        // What a restart in the last chunk left to resend.
        if sent < body.len() {
            let mark = out.commands.len();
            connection.body_chunk(&body[sent..], &mut out);
            assert!(
                !reopened(&out.commands[mark..]),
                "a restart nobody asked for"
            );
        }
        if let Some(asked) = asked_at {
            // Never restarted: there was no resume point after the request.
            let points = model
                .resume_points
                .get(index)
                .map_or(&[][..], Vec::as_slice);
            let failed = out.commands.contains(&Cmd::State(ReadyState::Closed));
            assert!(
                failed || points.iter().all(|(at, _)| *at < asked || *at <= start),
                "a recycle that never happened: asked at {asked}, points {points:?}"
            );
        }
        connection.body_ended(&mut out);
        connection.timer_fired(&mut out);
    }
    (
        out.take(),
        common::text(connection.last_event_id()),
        connection.reconnection_time(),
    )
}

/// Whether these commands restart the request invisibly (a recycle): they end in `Abort`,
/// `Connect` with no `readyState` change.
fn reopened(commands: &[Cmd]) -> bool {
    matches!(commands, [.., Cmd::Abort, Cmd::Connect(_)])
        && !commands.iter().any(|c| matches!(c, Cmd::State(_)))
}

fuzz_target!(|data: &[u8]| {
    let (first, rest) = data
        .split_first()
        .map_or((None, data), |(&b, rest)| (Some(b), rest));
    let max_event_size = shared::max_event_size(first);
    let options = Options {
        max_event_size,
        ..Options::default()
    };
    let chunked = shared::bodies(rest);
    let bodies: Vec<Vec<u8>> = chunked.iter().map(|chunks| shared::whole(chunks)).collect();
    let whole: Vec<Vec<&[u8]>> = bodies.iter().map(|body| vec![&body[..]]).collect();
    let (commands, last_event_id, reconnection_time) = lifecycle(options, &whole);
    assert_eq!(
        lifecycle(options, &chunked),
        (commands.clone(), last_event_id.clone(), reconnection_time),
        "chunked"
    );

    let model = reference::interpret_bounded(&bodies, max_event_size);
    assert_eq!(messages(&commands), model.events, "events");
    let connects: Vec<&str> = commands
        .iter()
        .filter_map(|c| match c {
            Cmd::Connect(id) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let timers: Vec<u64> = commands
        .iter()
        .filter_map(|c| match c {
            Cmd::ArmTimer(ms) => Some(*ms),
            _ => None,
        })
        .collect();
    let ids: Vec<&str> = model
        .after_each_body
        .iter()
        .map(|(id, _)| id.as_str())
        .collect();
    let delays: Vec<u64> = model.after_each_body.iter().map(|&(_, ms)| ms).collect();
    assert_eq!(connects[1..], ids[..], "Last-Event-ID of each reconnection");
    assert_eq!(timers, delays, "reconnection delays");
    let failed = commands.contains(&Cmd::State(ReadyState::Closed));
    assert_eq!(failed, model.failed, "failing the connection");
    assert_eq!(last_event_id, model.last_event_id, "the last event ID");
    assert_eq!(
        reconnection_time, model.reconnection_time,
        "the reconnection time"
    );

    let with_recycles = shared::bodies_with_recycles(rest);
    if with_recycles.iter().flatten().any(|&(_, recycle)| recycle) {
        assert_eq!(
            lifecycle_with_recycles(options, &with_recycles, &model),
            (commands, last_event_id, reconnection_time),
            "with recycles"
        );
    }
});
