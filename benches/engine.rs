//! Native throughput of the engine: four corpora (20-byte events, 1 KiB events of ASCII and of
//! non-ASCII text, 64 KiB events of 64 lines each), 128 MiB each, fed in 64 KiB chunks through a
//! `Connection` with a counting `Output`. Prints MB/s and events/s per corpus, the median of 5
//! runs, and a checksum of what was dispatched so the work cannot be optimised away.
//! Run: `cargo bench --bench engine`.

use eventsource_wasm::engine::{Command, Connection, Options, Output};
use std::hint::black_box;
use std::time::Instant;

const CHUNK: usize = 64 * 1024;
const TOTAL: usize = 128 * 1024 * 1024;
const RUNS: usize = 5;

/// Counts events and folds their contents into a checksum.
#[derive(Default)]
struct Tally {
    events: u64,
    checksum: u64,
}

impl Output for Tally {
    fn command(&mut self, command: Command<'_>) {
        if let Command::FireMessage(event) = command {
            self.events += 1;
            let last = event.data.last().copied().unwrap_or(0);
            self.checksum = self
                .checksum
                .rotate_left(5)
                .wrapping_add((event.data.len() + event.last_event_id.len()) as u64)
                .wrapping_add(u64::from(last) + event.event_type.len() as u64);
        }
    }
}

/// `count` copies of `event`, about `TOTAL` bytes.
fn corpus(event: &[u8]) -> Vec<u8> {
    event.repeat((TOTAL / event.len()).max(1))
}

/// One pass over `body`: seconds taken and the tally.
fn run(body: &[u8]) -> (f64, Tally) {
    let mut connection = Connection::new(Options::default());
    let mut tally = Tally::default();
    connection.start(&mut tally);
    connection.response(200, Some(b"text/event-stream"), &mut tally);
    let started = Instant::now();
    for chunk in body.chunks(CHUNK) {
        connection.body_chunk(black_box(chunk), &mut tally);
    }
    (started.elapsed().as_secs_f64(), black_box(tally))
}

fn main() {
    // 20 bytes: "data: " + 12 + "\n\n".
    let small = b"data: 0123456789ab\n\n".to_vec();
    // 1 KiB: an id line and one data line.
    let kilobyte = format!("id: 12345\ndata: {}\n\n", "y".repeat(1024 - 18)).into_bytes();
    // 1 KiB of non-ASCII text (2-byte "é"): the decoder's slow path.
    let accented = format!("id: 12345\ndata: {}\n\n", "é".repeat((1024 - 18) / 2)).into_bytes();
    // 64 KiB (+ the blank line): 64 data lines of 1 KiB each.
    let multi_line: Vec<u8> = (0..64)
        .flat_map(|i| format!("data: {i:<1017}\n").into_bytes())
        .chain(*b"\n")
        .collect();
    assert_eq!(small.len(), 20);
    assert_eq!(kilobyte.len(), 1024);
    assert_eq!(accented.len(), 1024);
    assert_eq!(multi_line.len(), 64 * 1024 + 1);
    println!("| corpus | event | MB/s | events/s | checksum |");
    println!("|---|---:|---:|---:|---:|");
    for (name, event) in [
        ("20-byte events", small),
        ("1 KiB events", kilobyte),
        ("1 KiB events, non-ASCII", accented),
        ("64 KiB events, 64 lines", multi_line),
    ] {
        let body = corpus(&event);
        let expected_events = (body.len() / event.len()) as u64;
        let mut runs: Vec<(f64, Tally)> = (0..RUNS).map(|_| run(&body)).collect();
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (seconds, tally) = &runs[RUNS / 2];
        assert_eq!(
            tally.events, expected_events,
            "{name}: every event dispatched"
        );
        println!(
            "| {name} | {} B | {:.0} | {:.0} | {:016x} |",
            event.len(),
            body.len() as f64 / 1e6 / seconds,
            tally.events as f64 / seconds,
            tally.checksum
        );
    }
}
