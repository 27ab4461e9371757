//! Shared helpers for the engine's native tests: a recording `Output` with owned commands, and
//! drivers that take a `Connection` through whole response bodies.
#![allow(dead_code)]

use eventsource_wasm::engine::decode::decode_lossy;
use eventsource_wasm::engine::{
    Command, Connection, ErrorDetails, Failure, IdHeader, Options, Output, ReadyState,
};

/// The engine's text as a face shows it: "UTF-8 decode"d.
pub fn text(bytes: &[u8]) -> String {
    decode_lossy(bytes).into_owned()
}

/// An owned copy of a [`Command`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    /// A request, with `Last-Event-ID` when the ID is not empty.
    Connect(String),
    /// A request that does not send its last event ID as a header (see [`IdHeader`]).
    ConnectWithout(IdHeader, String),
    Abort,
    ArmTimer(u64),
    CancelTimer,
    State(ReadyState),
    Open,
    Message {
        event_type: String,
        data: String,
        id: String,
    },
    /// `error`, with its reason, status and the reconnection that follows.
    Error(ErrorDetails),
    /// The page is asked to decide, with the engine's proposal.
    Decide(ErrorDetails),
    Heartbeat(u64),
    CancelHeartbeat,
}

/// A `MessageEvent` command, for expectations.
pub fn message(event_type: &str, data: &str, id: &str) -> Cmd {
    Cmd::Message {
        event_type: event_type.to_owned(),
        data: data.to_owned(),
        id: id.to_owned(),
    }
}

/// The `error` that fails the connection for `reason`, after a response with `status` (0: none).
pub fn fatal(reason: Failure, status: u16) -> Cmd {
    Cmd::Error(ErrorDetails {
        reason,
        status,
        reconnect: None,
    })
}

/// The `error` of a reestablish for `reason`, reconnecting after `milliseconds`.
pub fn retrying(reason: Failure, status: u16, milliseconds: u64) -> Cmd {
    Cmd::Error(ErrorDetails {
        reason,
        status,
        reconnect: Some(milliseconds),
    })
}

/// "Fail the connection", as commands: the request goes, `readyState` is CLOSED, `error` fires
/// with `reason` and the response's `status` (0: none) and no reconnection.
pub fn failed(reason: Failure, status: u16) -> Vec<Cmd> {
    vec![
        Cmd::Abort,
        Cmd::State(ReadyState::Closed),
        fatal(reason, status),
    ]
}

/// "Reestablish the connection", as commands: CONNECTING, `error` (with `reason`, `status` and
/// the delay), then the timer.
pub fn reestablished(milliseconds: u64, reason: Failure, status: u16) -> Vec<Cmd> {
    vec![
        Cmd::State(ReadyState::Connecting),
        retrying(reason, status, milliseconds),
        Cmd::ArmTimer(milliseconds),
    ]
}

/// Whether a command is an `error`.
pub fn is_error(command: &Cmd) -> bool {
    matches!(command, Cmd::Error(_))
}

/// "Announce the connection", as commands.
pub fn announced() -> Vec<Cmd> {
    vec![Cmd::State(ReadyState::Open), Cmd::Open]
}

#[derive(Default)]
pub struct Recorder {
    pub commands: Vec<Cmd>,
}

impl Output for Recorder {
    const DECIDES: bool = true;

    fn command(&mut self, command: Command<'_>) {
        self.commands.push(match command {
            Command::Connect {
                last_event_id,
                id_header: IdHeader::Send,
            } => Cmd::Connect(text(last_event_id)),
            Command::Connect {
                last_event_id,
                id_header,
            } => Cmd::ConnectWithout(id_header, text(last_event_id)),
            Command::Abort => Cmd::Abort,
            Command::ArmTimer { milliseconds } => Cmd::ArmTimer(milliseconds),
            Command::CancelTimer => Cmd::CancelTimer,
            Command::SetReadyState(state) => Cmd::State(state),
            Command::FireOpen => Cmd::Open,
            Command::FireMessage(event) => Cmd::Message {
                event_type: text(event.event_type),
                data: text(event.data),
                id: text(event.last_event_id),
            },
            Command::FireError(details) => Cmd::Error(details),
            Command::Decide(details) => Cmd::Decide(details),
            Command::ArmHeartbeat { milliseconds } => Cmd::Heartbeat(milliseconds),
            Command::CancelHeartbeat => Cmd::CancelHeartbeat,
        });
    }
}

impl Recorder {
    pub fn take(&mut self) -> Vec<Cmd> {
        std::mem::take(&mut self.commands)
    }

    /// The dispatched messages as (type, data, last event ID).
    pub fn messages(&self) -> Vec<(String, String, String)> {
        messages(&self.commands)
    }
}

/// The messages among `commands` as (type, data, last event ID).
pub fn messages(commands: &[Cmd]) -> Vec<(String, String, String)> {
    commands
        .iter()
        .filter_map(|c| match c {
            Cmd::Message {
                event_type,
                data,
                id,
            } => Some((event_type.clone(), data.clone(), id.clone())),
            _ => None,
        })
        .collect()
}

/// A connection that has started (its first request is in flight), its commands taken.
pub fn started_connection(options: Options) -> (Connection, Recorder) {
    let mut connection = Connection::new(options);
    let mut out = Recorder::default();
    connection.start(&mut out);
    out.take();
    (connection, out)
}

/// A connection that has started and been announced by a 200 `text/event-stream` response.
pub fn open_connection(options: Options) -> (Connection, Recorder) {
    let (mut connection, mut out) = started_connection(options);
    connection.response(200, Some(b"text/event-stream"), &mut out);
    out.take();
    (connection, out)
}

/// The whole life of a connection over the given response bodies, each a list of chunks: start;
/// for each body a 200 `text/event-stream` response, its chunks and its end; the reconnection
/// timer after each end. Returns every command, the last event ID and the reconnection time.
pub fn lifecycle<C: AsRef<[u8]>>(options: Options, bodies: &[Vec<C>]) -> (Vec<Cmd>, String, u64) {
    let mut connection = Connection::new(options);
    let mut out = Recorder::default();
    connection.start(&mut out);
    for body in bodies {
        connection.response(200, Some(b"text/event-stream"), &mut out);
        for chunk in body {
            connection.body_chunk(chunk.as_ref(), &mut out);
        }
        connection.body_ended(&mut out);
        connection.timer_fired(&mut out);
    }
    outcome(&connection, &mut out)
}

/// What a life cycle leaves: every command not yet taken, the last event ID and the reconnection
/// time.
pub fn outcome(connection: &Connection, out: &mut Recorder) -> (Vec<Cmd>, String, u64) {
    (
        out.take(),
        text(connection.last_event_id()),
        connection.reconnection_time(),
    )
}

/// The `Last-Event-ID` of each request among `commands` (empty: none).
pub fn connects(commands: &[Cmd]) -> Vec<String> {
    commands
        .iter()
        .filter_map(|c| match c {
            Cmd::Connect(id) => Some(id.clone()),
            Cmd::ConnectWithout(..) => Some(String::new()),
            _ => None,
        })
        .collect()
}

/// The delay of each reconnection timer among `commands`.
pub fn timers(commands: &[Cmd]) -> Vec<u64> {
    commands
        .iter()
        .filter_map(|c| match c {
            Cmd::ArmTimer(ms) => Some(*ms),
            _ => None,
        })
        .collect()
}
