//! Fuzzes the engine with arbitrary sequences of inputs (response heads, body chunks of arbitrary
//! bytes, ends, errors, timers, heartbeats, recycles, close) and arbitrary options. It must never
//! panic; after CLOSED it must never emit anything; `readyState` as the commands report it must
//! always be the engine's; `error` and `open` always come right after their `readyState` change.
//! Run: `scripts/fuzz.sh` (all targets) or `RUSTC_BOOTSTRAP=1 cargo fuzz run engine`.
#![no_main]

use arbitrary::Arbitrary;
use eventsource_wasm::engine::{Command, Connection, Options, Output, ReadyState, ReconnectPolicy};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/inputs.rs"]
mod inputs;

use inputs::{apply, Input};

#[derive(Arbitrary, Debug)]
struct Script {
    max_event_size: Option<u16>,
    reconnection_time: u64,
    backoff_permille: u16,
    max_delay: u64,
    jitter_permille: u16,
    max_retries: u8,
    reconnect_on_error: bool,
    heartbeat_timeout: Option<u64>,
    seed: u32,
    decides: bool,
    inputs: Vec<Input>,
}

/// Checks each command as it comes, against the `readyState` the page has seen so far.
struct Check {
    visible: ReadyState,
    previous: Option<&'static str>,
    count: usize,
    /// The delay the last error announced, until its timer is armed.
    armed: Option<u64>,
    /// The input is the page coming back: a waiting reconnection's timer is cut short to 0.
    resumed: bool,
}

impl Output for Check {
    const DECIDES: bool = true;

    fn command(&mut self, command: Command<'_>) {
        let name = match command {
            Command::SetReadyState(state) => {
                self.visible = state;
                "state"
            }
            Command::FireError(details) => {
                assert_eq!(
                    self.previous,
                    Some("state"),
                    "error without a readyState change"
                );
                // A reconnection follows exactly when the state is CONNECTING.
                assert_eq!(
                    details.reconnect.is_some(),
                    self.visible == ReadyState::Connecting,
                    "an error's reconnection disagrees with readyState"
                );
                self.armed = details.reconnect;
                "error"
            }
            Command::Decide(_) => {
                assert_eq!(
                    self.visible,
                    ReadyState::Connecting,
                    "deciding outside CONNECTING"
                );
                assert_eq!(
                    self.previous,
                    Some("state"),
                    "a decision without CONNECTING"
                );
                "decide"
            }
            Command::FireOpen => {
                assert_eq!(self.visible, ReadyState::Open, "open outside OPEN");
                assert_eq!(
                    self.previous,
                    Some("state"),
                    "open without a readyState change"
                );
                "open"
            }
            Command::FireMessage(event) => {
                assert_eq!(self.visible, ReadyState::Open, "a message outside OPEN");
                assert!(!event.event_type.is_empty(), "an event without a type");
                assert!(
                    !event.last_event_id.iter().any(|b| b"\0\n\r".contains(b)),
                    "NUL, LF or CR in a last event ID"
                );
                "message"
            }
            Command::Connect { last_event_id, .. } => {
                assert!(
                    !last_event_id.iter().any(|b| b"\0\n\r".contains(b)),
                    "a bad Last-Event-ID"
                );
                "connect"
            }
            Command::Abort => "abort",
            Command::ArmTimer { milliseconds } => {
                if self.resumed && self.previous.is_none() && self.armed.is_none() {
                    assert_eq!(milliseconds, 0, "a resume's timer that does not run out now");
                    return self.next("timer");
                }
                assert_eq!(
                    self.armed.take(),
                    Some(milliseconds),
                    "a timer other than the error's reconnection delay"
                );
                "timer"
            }
            Command::CancelTimer => "cancel",
            Command::ArmHeartbeat { .. } => "heartbeat",
            Command::CancelHeartbeat => "cancel heartbeat",
        };
        self.next(name);
    }
}

impl Check {
    fn next(&mut self, name: &'static str) {
        self.previous = Some(name);
        self.count += 1;
    }
}

fuzz_target!(|script: Script| {
    let options = Options {
        max_event_size: script.max_event_size.map(usize::from),
        reconnection_time: script.reconnection_time,
        policy: ReconnectPolicy {
            backoff_millionths: u32::from(script.backoff_permille) * 1000,
            max_delay: script.max_delay,
            jitter_permille: u32::from(script.jitter_permille),
            max_retries: u32::from(script.max_retries),
        },
        reconnect_on_error: script.reconnect_on_error,
        heartbeat_timeout: script.heartbeat_timeout,
        seed: script.seed,
        decides: script.decides,
    };
    let mut connection = Connection::new(options);
    let mut check = Check {
        visible: ReadyState::Connecting,
        previous: None,
        count: 0,
        armed: None,
        resumed: false,
    };
    for input in &script.inputs {
        let closed = connection.ready_state() == ReadyState::Closed;
        check.count = 0;
        check.previous = None;
        check.resumed = matches!(input, Input::Resumed(..));
        apply(&mut connection, input, &mut check);
        assert!(!closed || check.count == 0, "output after CLOSED");
        assert_eq!(
            check.armed.take(),
            None,
            "an error's reconnection without its timer"
        );
        assert_eq!(
            check.visible,
            connection.ready_state(),
            "readyState out of step"
        );
    }
});
