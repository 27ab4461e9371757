//! Shared helpers for the engine's native tests: a recording `Output` with owned commands, and
//! drivers that feed a body through a fresh `Connection`.
#![allow(dead_code)]

use eventsource_wasm::engine::{Command, Connection, Options, Output, ReadyState};

/// An owned copy of a [`Command`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    Connect(String),
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
    Error,
    Heartbeat(u64),
    CancelHeartbeat,
}

#[derive(Default)]
pub struct Recorder {
    pub commands: Vec<Cmd>,
}

impl Output for Recorder {
    fn command(&mut self, command: Command<'_>) {
        self.commands.push(match command {
            Command::Connect { last_event_id } => Cmd::Connect(last_event_id.to_owned()),
            Command::Abort => Cmd::Abort,
            Command::ArmTimer { milliseconds } => Cmd::ArmTimer(milliseconds),
            Command::CancelTimer => Cmd::CancelTimer,
            Command::SetReadyState(state) => Cmd::State(state),
            Command::FireOpen => Cmd::Open,
            Command::FireMessage(event) => Cmd::Message {
                event_type: event.event_type.to_owned(),
                data: event.data.to_owned(),
                id: event.last_event_id.to_owned(),
            },
            Command::FireError => Cmd::Error,
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
        self.commands
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
}

/// A connection that has started and been announced by a 200 `text/event-stream` response.
pub fn open_connection(options: Options) -> (Connection, Recorder) {
    let mut connection = Connection::new(options);
    let mut out = Recorder::default();
    connection.start(&mut out);
    connection.response(200, Some(b"text/event-stream"), &mut out);
    out.take();
    (connection, out)
}

/// What a body fed in the given chunks produces: messages, last event ID, reconnection time.
pub fn feed_chunks(chunks: &[&[u8]]) -> (Vec<(String, String, String)>, String, u64) {
    let (mut connection, mut out) = open_connection(Options::default());
    for chunk in chunks {
        connection.body_chunk(chunk, &mut out);
    }
    (
        out.messages(),
        connection.last_event_id().to_owned(),
        connection.reconnection_time(),
    )
}
