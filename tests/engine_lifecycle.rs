//! The engine's life cycle against the WHATWG HTML Standard, section "Server-sent events"
//! ("Processing model", the `EventSource` constructor, `close()`), and the extensions' options:
//! sequences of inputs and the exact commands they must produce. The table-driven rules (parsing,
//! response heads, the maximum event size) are fixtures run by tests/engine_spec.rs.

mod common;

use common::{
    announced, failed, message, open_connection, reestablished, retrying, started_connection, Cmd,
    Recorder,
};
use eventsource_wasm::engine::{
    Connection, Failure, IdHeader, Options, ReadyState, ReconnectPolicy, DEFAULT_RECONNECTION_TIME,
};

const D: u64 = DEFAULT_RECONNECTION_TIME;

/// No command at all.
const NOTHING: [Cmd; 0] = [];

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
    assert_eq!(out.take(), reestablished(10, Failure::Ended, 200));
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
    assert_eq!(out.take(), reestablished(10, Failure::Network, 200));
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), [Cmd::Connect("7".into())]);
    // A response that is not an event stream fails the connection for good.
    connection.response(500, Some(b"text/event-stream"), &mut out);
    assert_eq!(out.take(), failed(Failure::Status, 500));
    assert_eq!(connection.ready_state(), ReadyState::Closed);
    assert_eq!(connection.last_event_id(), b"7");
}

#[test]
fn a_network_error_reestablishes_before_or_during_the_body() {
    // Spec (processResponse): "if res is a network error, then reestablish the connection".
    let (mut connection, mut out) = started_connection(Options::default());
    connection.network_error(&mut out);
    assert_eq!(out.take(), reestablished(D, Failure::Network, 0));
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), [Cmd::Connect(String::new())]);
    // A body ending before any head counts the same.
    connection.body_ended(&mut out);
    assert_eq!(out.take(), reestablished(D, Failure::Ended, 0));
    let (mut connection, mut out) = open_connection(Options::default());
    connection.body_chunk(b"data: a\n\ndata: b", &mut out);
    out.take();
    connection.network_error(&mut out);
    assert_eq!(out.take(), reestablished(D, Failure::Network, 200));
}

#[test]
fn a_cross_origin_request_failing_before_any_open_fails_the_connection() {
    // Spec: a network error reestablishes "unless the user agent knows that to be futile, in
    // which case the user agent may fail the connection"; a CORS refusal looks like one.
    let (mut connection, mut out) = started_connection(Options::default());
    connection.request_failed(true, &mut out);
    assert_eq!(out.take(), failed(Failure::Cors, 0));
    // Same-origin, or after the stream once opened, it reestablishes.
    let mut connection = Connection::new(Options::default());
    connection.start(&mut out);
    out.take();
    connection.request_failed(false, &mut out);
    assert_eq!(out.take(), reestablished(D, Failure::Network, 0));
    let (mut connection, mut out) = open_connection(Options::default());
    connection.body_ended(&mut out);
    connection.timer_fired(&mut out);
    out.take();
    connection.request_failed(true, &mut out);
    assert_eq!(out.take(), reestablished(D, Failure::Network, 0));
    // Only while a request is in flight.
    let (mut connection, mut out) = open_connection(Options::default());
    connection.request_failed(false, &mut out);
    assert_eq!(out.take(), NOTHING, "not while streaming");
}

/// An open stream that set the ID `7`, ended, and whose reconnection is in flight with it.
fn reconnecting_with_an_id(options: Options) -> (Connection, Recorder) {
    let (mut connection, mut out) = open_connection(options);
    connection.body_chunk(b"id: 7\ndata: a\n\n", &mut out);
    connection.body_ended(&mut out);
    connection.timer_fired(&mut out);
    assert!(out.take().contains(&Cmd::Connect("7".into())));
    (connection, out)
}

#[test]
fn a_refused_last_event_id_preflight_is_found_by_one_request_without_the_header() {
    // A cross-origin reconnection with `Last-Event-ID` needs a preflight, which a server may
    // refuse; a script sees that as a network error. The same request goes again at once
    // without the header, no event in between.
    let (mut connection, mut out) = reconnecting_with_an_id(Options::default());
    connection.request_failed(true, &mut out);
    assert_eq!(
        out.take(),
        [Cmd::ConnectWithout(IdHeader::Probe, "7".into())]
    );
    assert_eq!(connection.ready_state(), ReadyState::Connecting);
    // Answered: the header was refused, and is never sent again.
    connection.response(200, Some(b"text/event-stream"), &mut out);
    assert_eq!(out.take(), announced());
    connection.body_chunk(b"id: 8\ndata: b\n\n", &mut out);
    connection.body_ended(&mut out);
    out.take();
    connection.timer_fired(&mut out);
    assert_eq!(
        out.take(),
        [Cmd::ConnectWithout(IdHeader::Refused, "8".into())]
    );
    // Its failures are network errors again, never another probe.
    connection.request_failed(true, &mut out);
    assert_eq!(out.take(), reestablished(D, Failure::Network, 0));
    // Nor can the stream be recycled: the server could not resume it.
    connection.timer_fired(&mut out);
    connection.response(200, Some(b"text/event-stream"), &mut out);
    out.take();
    assert!(!connection.recycle(&mut out));
    connection.body_chunk(b"id: 9\ndata: c\n\n", &mut out);
    assert_eq!(out.take(), [message("message", "c", "9")]);
}

#[test]
fn a_server_that_is_down_fails_the_probe_too_and_keeps_the_header() {
    // A restarting server refuses both requests: the network is to blame, not the header.
    let (mut connection, mut out) = reconnecting_with_an_id(Options::default());
    connection.request_failed(true, &mut out);
    out.take();
    connection.request_failed(true, &mut out);
    assert_eq!(out.take(), reestablished(D, Failure::Network, 0));
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), [Cmd::Connect("7".into())]);
    // Same-origin requests never probe: no preflight there.
    let (mut connection, mut out) = reconnecting_with_an_id(Options::default());
    connection.request_failed(false, &mut out);
    assert_eq!(out.take(), reestablished(D, Failure::Network, 0));
    // Nor does a request without an ID (see the test above).
}

#[test]
fn a_probe_rearms_the_watchdog_and_close_ends_it() {
    let options = Options {
        heartbeat_timeout: Some(500),
        ..Options::default()
    };
    let (mut connection, mut out) = reconnecting_with_an_id(options);
    connection.request_failed(true, &mut out);
    assert_eq!(
        out.take(),
        [
            Cmd::ConnectWithout(IdHeader::Probe, "7".into()),
            Cmd::Heartbeat(500)
        ]
    );
    connection.close(&mut out);
    assert_eq!(
        out.take(),
        [
            Cmd::Abort,
            Cmd::CancelHeartbeat,
            Cmd::State(ReadyState::Closed)
        ]
    );
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
    connection.resumed(Some(u64::MAX), true, out);
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
    assert_eq!(out.take(), reestablished(D, Failure::Ended, 200));
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

#[test]
fn events_are_unbounded_by_default() {
    // Like native: without `maxEventSize`, a 1 MiB event is dispatched whole.
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
fn a_recycled_request_that_fails_cross_origin_is_reestablished_not_probed() {
    // The restart of a recycle is invisible (the page sees OPEN); failing, it becomes a visible
    // reconnection like any failure, and the probe waits for that reconnection's request.
    let (mut connection, mut out) = open_connection(Options::default());
    assert!(!connection.recycle(&mut out));
    connection.body_chunk(b"id:a\n", &mut out);
    connection.body_chunk(b"\r", &mut out);
    assert_eq!(out.take(), [Cmd::Abort, Cmd::Connect("a".into())]);
    assert_eq!(connection.ready_state(), ReadyState::Open);
    connection.request_failed(true, &mut out);
    assert_eq!(out.take(), reestablished(D, Failure::Network, 0));
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), [Cmd::Connect("a".into())]);
    connection.request_failed(true, &mut out);
    assert_eq!(
        out.take(),
        [Cmd::ConnectWithout(IdHeader::Probe, "a".into())]
    );
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
    assert_eq!(out.take(), reestablished(250, Failure::Ended, 200));
    assert_eq!(D, 3000, "the default, as in Chromium");
}

#[test]
fn backoff_jitter_cap_and_retry_limit() {
    use eventsource_wasm::engine::ReconnectPolicy;
    let policy = ReconnectPolicy {
        backoff_millionths: 2_000_000,
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
        let (mut connection, mut out) = started_connection(options);
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
                retrying(Failure::Status, status, delay),
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
            retrying(Failure::Heartbeat, 200, 10),
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

#[test]
fn errors_say_why_and_what_follows() {
    use common::{fatal, retrying};
    use eventsource_wasm::engine::ReconnectPolicy;
    // A 200 that is no event stream: the type is the reason, the status is reported.
    let (mut connection, mut out) = started_connection(Options::default());
    connection.response(200, Some(b"text/html"), &mut out);
    assert_eq!(out.take(), failed(Failure::ContentType, 200));
    // Past the retry limit the reason says so, and nothing follows.
    let options = Options {
        policy: ReconnectPolicy {
            max_retries: 1,
            ..ReconnectPolicy::default()
        },
        ..Options::default()
    };
    let (mut connection, mut out) = started_connection(options);
    connection.network_error(&mut out);
    assert_eq!(out.take(), reestablished(D, Failure::Network, 0));
    connection.timer_fired(&mut out);
    out.take();
    connection.request_failed(false, &mut out);
    // The request is gone already: no abort.
    assert_eq!(
        out.take(),
        [
            Cmd::State(ReadyState::Closed),
            fatal(Failure::RetriesExhausted, 0)
        ]
    );
    // A watchdog that gives up aborts its request once.
    let options = Options {
        heartbeat_timeout: Some(500),
        policy: ReconnectPolicy {
            max_retries: 0,
            ..ReconnectPolicy::default()
        },
        ..Options::default()
    };
    let (mut connection, mut out) = open_connection(options);
    connection.heartbeat_expired(&mut out);
    assert_eq!(
        out.take(),
        [
            Cmd::Abort,
            Cmd::CancelHeartbeat,
            Cmd::State(ReadyState::Closed),
            fatal(Failure::RetriesExhausted, 200)
        ]
    );
    // window.stop(): aborted, CLOSED.
    let (mut connection, mut out) = open_connection(Options::default());
    connection.aborted(&mut out);
    assert_eq!(out.take(), failed(Failure::Aborted, 200));
    // An event past the maximum size.
    let (mut connection, mut out) = open_connection(Options {
        max_event_size: Some(4),
        ..Options::default()
    });
    connection.body_chunk(b"data: too long\n\n", &mut out);
    assert_eq!(out.take(), failed(Failure::TooLarge, 200));
    assert_eq!(
        fatal(Failure::TooLarge, 200),
        failed(Failure::TooLarge, 200)[2]
    );
    assert_eq!(
        retrying(Failure::Ended, 200, 5),
        reestablished(5, Failure::Ended, 200)[1]
    );
}

#[test]
fn a_request_that_can_never_succeed_fails_at_once() {
    // Spec: reestablish "unless the user agent knows that to be futile, in which case the user
    // agent may fail the connection": credentials in the URL, a scheme fetch cannot speak.
    for options in [
        Options::default(),
        Options {
            reconnect_on_error: true,
            decides: true,
            heartbeat_timeout: Some(100),
            ..Options::default()
        },
    ] {
        let (mut connection, mut out) = started_connection(options);
        connection.request_impossible(&mut out);
        let mut expected = vec![Cmd::Abort];
        if options.heartbeat_timeout.is_some() {
            expected.push(Cmd::CancelHeartbeat);
        }
        expected.extend([
            Cmd::State(ReadyState::Closed),
            common::fatal(Failure::Request, 0),
        ]);
        assert_eq!(out.take(), expected, "never asked, never retried");
        connection.timer_fired(&mut out);
        assert_eq!(out.take(), NOTHING);
    }
    // Only before a response: once streaming it is a stray report.
    let (mut connection, mut out) = open_connection(Options::default());
    connection.request_impossible(&mut out);
    assert_eq!(out.take(), NOTHING);
}

#[test]
fn a_failed_headers_function_fails_or_retries() {
    // A TypeError: no request with such headers can ever be made.
    let (mut connection, mut out) = started_connection(Options::default());
    connection.headers_failed(true, &mut out);
    assert_eq!(out.take(), failed(Failure::Headers, 0));
    // Anything else (a token refresh that failed for now) is a failed attempt.
    let (mut connection, mut out) = started_connection(Options::default());
    connection.headers_failed(false, &mut out);
    assert_eq!(out.take(), reestablished(D, Failure::Headers, 0));
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), [Cmd::Connect(String::new())]);
}

#[test]
fn the_page_decides_after_each_failure() {
    use common::retrying;
    use eventsource_wasm::engine::{Decision, ErrorDetails, ResponseHead};
    let options = Options {
        decides: true,
        reconnection_time: 100,
        ..Options::default()
    };
    // A 401: the engine proposes to fail, the page reconnects (with a fresh token) instead.
    let (mut connection, mut out) = open_connection(options);
    connection.body_chunk(b"id: 1\ndata: a\n\n", &mut out);
    connection.body_ended(&mut out);
    let proposal = ErrorDetails {
        reason: Failure::Ended,
        status: 200,
        reconnect: Some(100),
    };
    assert_eq!(
        out.take()[1..],
        [Cmd::State(ReadyState::Connecting), Cmd::Decide(proposal)]
    );
    // Nothing but the decision (or close()) moves it on.
    connection.timer_fired(&mut out);
    connection.body_ended(&mut out);
    connection.heartbeat_expired(&mut out);
    assert_eq!(out.take(), NOTHING);
    assert_eq!(connection.ready_state(), ReadyState::Connecting);
    connection.decide(Decision::Default, &mut out);
    assert_eq!(out.take(), reestablished(100, Failure::Ended, 200));
    connection.decide(Decision::Fail, &mut out);
    assert_eq!(out.take(), NOTHING, "a second decision is ignored");
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), [Cmd::Connect("1".into())]);
    connection.response(401, Some(b"text/plain"), &mut out);
    let proposal = ErrorDetails {
        reason: Failure::Status,
        status: 401,
        reconnect: None,
    };
    assert_eq!(
        out.take(),
        [
            Cmd::Abort,
            Cmd::State(ReadyState::Connecting),
            Cmd::Decide(proposal)
        ]
    );
    connection.decide(Decision::Reconnect(None), &mut out);
    assert_eq!(
        out.take(),
        [
            Cmd::State(ReadyState::Connecting),
            retrying(Failure::Status, 401, 100),
            Cmd::ArmTimer(100)
        ]
    );
    connection.timer_fired(&mut out);
    assert_eq!(
        out.take(),
        [Cmd::Connect("1".into())],
        "resumes where it was"
    );
    // A 503: the page honours Retry-After with its own delay.
    connection.response_head(
        ResponseHead {
            status: 503,
            content_type: None,
            retry_after: Some(2000),
        },
        &mut out,
    );
    out.take();
    connection.decide(Decision::Reconnect(Some(2000)), &mut out);
    assert_eq!(out.take(), reestablished(2000, Failure::Status, 503));
    // A 403: stop.
    connection.timer_fired(&mut out);
    connection.response(403, None, &mut out);
    out.take();
    connection.decide(Decision::Fail, &mut out);
    assert_eq!(
        out.take(),
        [
            Cmd::State(ReadyState::Closed),
            common::fatal(Failure::Status, 403)
        ]
    );
    // close() while deciding leaves nothing; the late decision is ignored.
    let (mut connection, mut out) = started_connection(options);
    connection.network_error(&mut out);
    out.take();
    connection.close(&mut out);
    assert_eq!(out.take(), [Cmd::State(ReadyState::Closed)]);
    connection.decide(Decision::Reconnect(Some(1)), &mut out);
    assert_eq!(out.take(), NOTHING);
    // window.stop() is never the page's to overrule.
    let (mut connection, mut out) = open_connection(options);
    connection.aborted(&mut out);
    assert_eq!(out.take(), failed(Failure::Aborted, 200));
}

// The page came back (the `reconnectOnResume` option): online again, shown from the back/forward
// cache, visible, resumed. Native EventSource has no such input; the faces send it only with the
// option.

#[test]
fn resuming_ends_a_long_reconnection_wait_with_the_last_event_id() {
    let (mut connection, mut out) = open_connection(Options::default());
    connection.body_chunk(
        b"retry: 600000\nid: 41\ndata: a\n\nid: 42\ndata: b\n\n",
        &mut out,
    );
    connection.network_error(&mut out);
    assert_eq!(
        out.take()[2..],
        reestablished(600_000, Failure::Network, 200)
    );
    // The wait ends now: the timer is replaced by one of 0 ms; the error that began the wait has
    // fired, no other event. More signals in a row change nothing more.
    for _ in 0..3 {
        connection.resumed(None, true, &mut out);
        assert_eq!(out.take(), [Cmd::ArmTimer(0)]);
    }
    assert_eq!(connection.ready_state(), ReadyState::Connecting);
    // Reestablish, step 5: the fetch, with Last-Event-ID.
    connection.timer_fired(&mut out);
    assert_eq!(out.take(), [Cmd::Connect("42".into())]);
    // Another signal while the request is in flight (and not silent past a heartbeat): nothing.
    connection.resumed(Some(u64::MAX), true, &mut out);
    assert_eq!(out.take(), NOTHING);
    connection.response(200, Some(b"text/event-stream"), &mut out);
    assert_eq!(out.take(), announced());
    connection.body_chunk(b"id: 43\ndata: c\n\n", &mut out);
    assert_eq!(out.take(), [message("message", "c", "43")]);
    // The reconnection time the server set stays for the next failure.
    connection.body_ended(&mut out);
    assert_eq!(out.take(), reestablished(600_000, Failure::Ended, 200));
}

#[test]
fn resuming_leaves_a_healthy_stream_alone() {
    // Without a heartbeat timeout, a quiet stream cannot be told from a dead one: kept, however
    // long it was silent.
    let (mut connection, mut out) = open_connection(Options::default());
    connection.body_chunk(b"id: 1\ndata: a\n\n", &mut out);
    out.take();
    for silent in [None, Some(0), Some(u64::MAX)] {
        connection.resumed(silent, true, &mut out);
        assert_eq!(out.take(), NOTHING, "{silent:?}");
    }
    assert_eq!(connection.ready_state(), ReadyState::Open);
    // With one, a stream that had bytes within it is healthy.
    let options = Options {
        heartbeat_timeout: Some(45_000),
        ..Options::default()
    };
    let (mut connection, mut out) = open_connection(options);
    for silent in [None, Some(0), Some(44_999)] {
        connection.resumed(silent, true, &mut out);
        assert_eq!(out.take(), NOTHING, "{silent:?}");
    }
    assert_eq!(connection.ready_state(), ReadyState::Open);
}

#[test]
fn resuming_reestablishes_a_stream_silent_past_the_heartbeat_at_once() {
    let options = Options {
        heartbeat_timeout: Some(45_000),
        reconnection_time: 5000,
        ..Options::default()
    };
    let (mut connection, mut out) = open_connection(options);
    connection.body_chunk(b"id: 7\ndata: a\n\n", &mut out);
    out.take();
    // The page was away: the watchdog's timer may not have run, the silence says it all.
    connection.resumed(Some(45_000), true, &mut out);
    assert_eq!(
        out.take(),
        [
            Cmd::Abort,
            Cmd::CancelHeartbeat,
            Cmd::State(ReadyState::Connecting),
            retrying(Failure::Heartbeat, 200, 0),
            Cmd::ArmTimer(0),
        ]
    );
    connection.timer_fired(&mut out);
    assert_eq!(
        out.take(),
        [Cmd::Connect("7".into()), Cmd::Heartbeat(45_000)]
    );
    // A request silent as long (no response head) is dead the same way.
    connection.resumed(Some(50_000), true, &mut out);
    assert_eq!(out.take()[..2], [Cmd::Abort, Cmd::CancelHeartbeat]);
    // Each counts as a failure for the retry limit.
    let options = Options {
        heartbeat_timeout: Some(100),
        policy: ReconnectPolicy {
            max_retries: 0,
            ..ReconnectPolicy::default()
        },
        ..Options::default()
    };
    let (mut connection, mut out) = open_connection(options);
    connection.resumed(Some(100), true, &mut out);
    let got = out.take();
    assert_eq!(got[0], Cmd::Abort);
    assert_eq!(
        got[got.len() - 3..],
        [
            Cmd::CancelHeartbeat,
            Cmd::State(ReadyState::Closed),
            common::fatal(Failure::RetriesExhausted, 200),
        ]
    );
}

#[test]
fn resuming_while_offline_deciding_new_or_closed_does_nothing() {
    // Offline: a request would fail at once; the `online` signal comes later.
    let (mut connection, mut out) = started_connection(Options::default());
    connection.network_error(&mut out);
    out.take();
    connection.resumed(None, false, &mut out);
    assert_eq!(out.take(), NOTHING);
    assert_eq!(connection.ready_state(), ReadyState::Connecting);
    connection.resumed(None, true, &mut out);
    assert_eq!(out.take(), [Cmd::ArmTimer(0)]);
    // New: start() makes the first request, not a signal.
    let mut connection = Connection::new(Options::default());
    connection.resumed(Some(u64::MAX), true, &mut out);
    assert_eq!(out.take(), NOTHING);
    assert_eq!(connection.ready_state(), ReadyState::Connecting);
    // Waiting for the page's decision: the page's function decides, not the signal.
    let options = Options {
        decides: true,
        heartbeat_timeout: Some(10),
        ..Options::default()
    };
    let (mut connection, mut out) = started_connection(options);
    connection.network_error(&mut out);
    out.take();
    connection.resumed(Some(u64::MAX), true, &mut out);
    assert_eq!(out.take(), NOTHING);
    // A silent stream with the page deciding: the page is asked, the proposal is to go now.
    let (mut connection, mut out) = open_connection(options);
    connection.resumed(Some(10), true, &mut out);
    let proposal = eventsource_wasm::engine::ErrorDetails {
        reason: Failure::Heartbeat,
        status: 200,
        reconnect: Some(0),
    };
    assert_eq!(
        out.take(),
        [
            Cmd::Abort,
            Cmd::CancelHeartbeat,
            Cmd::State(ReadyState::Connecting),
            Cmd::Decide(proposal)
        ]
    );
    // Closed (failed or close()): nothing.
    let (mut connection, mut out) = open_connection(Options::default());
    connection.close(&mut out);
    out.take();
    connection.resumed(None, true, &mut out);
    assert_eq!(out.take(), NOTHING);
}
