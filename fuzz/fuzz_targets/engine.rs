//! Fuzzes the engine with arbitrary sequences of inputs (response heads, body chunks of arbitrary
//! bytes, ends, errors, timers, recycles, close) and an arbitrary maximum event size. It must never
//! panic, and after CLOSED it must never emit anything.
//! Run: `cargo +nightly fuzz run engine` from the repository root.
#![no_main]

use arbitrary::Arbitrary;
use eventsource_wasm::engine::{Command, Connection, Options, Output, ReadyState};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
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

#[derive(Arbitrary, Debug)]
struct Script {
    max_event_size: Option<u16>,
    inputs: Vec<Input>,
}

#[derive(Default)]
struct Count(usize);

impl Output for Count {
    fn command(&mut self, command: Command<'_>) {
        if let Command::FireMessage(event) = command {
            assert!(!event.data.contains('\r'), "a line end inside data");
        }
        self.0 += 1;
    }
}

fuzz_target!(|script: Script| {
    let options = Options {
        max_event_size: script.max_event_size.map(usize::from),
        ..Options::default()
    };
    let mut connection = Connection::new(options);
    for input in &script.inputs {
        let closed = connection.ready_state() == ReadyState::Closed;
        let mut out = Count::default();
        match input {
            Input::Start => connection.start(&mut out),
            Input::Response(status, content_type) => {
                connection.response(*status, content_type.as_deref(), &mut out)
            }
            Input::Chunk(bytes) => connection.body_chunk(bytes, &mut out),
            Input::End => connection.body_ended(&mut out),
            Input::NetworkError => connection.network_error(&mut out),
            Input::RequestFailed(cross_origin) => connection.request_failed(*cross_origin, &mut out),
            Input::Timer => connection.timer_fired(&mut out),
            Input::Recycle => {
                connection.recycle(&mut out);
            }
            Input::Close => connection.close(&mut out),
        }
        assert!(!closed || out.0 == 0, "output after CLOSED");
    }
});
