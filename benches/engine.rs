//! Native throughput of the engine: three corpora (20-byte events, 1 KB events, 64 KB events of 64
//! lines) fed in 64 KiB chunks through a `Connection`; prints MB/s and events/s, median of 5 runs.
//! Run: `cargo bench --bench engine`.

use eventsource_wasm::engine::{Command, Connection, Options, Output};
use std::hint::black_box;
use std::time::Instant;

const CHUNK: usize = 64 * 1024;
const TOTAL: usize = 256 * 1024 * 1024;

/// Counts events and sums their data lengths, so the work cannot be optimised away.
#[derive(Default)]
struct Tally {
    events: usize,
    checksum: usize,
}

impl Output for Tally {
    fn command(&mut self, command: Command<'_>) {
        if let Command::FireMessage(event) = command {
            self.events += 1;
            self.checksum = self
                .checksum
                .wrapping_add(event.data.len() + event.last_event_id.len());
        }
    }
}

fn corpus(event: &[u8]) -> Vec<u8> {
    event.repeat((TOTAL / event.len()).max(1))
}

fn run(body: &[u8]) -> (f64, Tally) {
    let mut connection = Connection::new(Options::default());
    let mut tally = Tally::default();
    connection.start(&mut tally);
    connection.response(200, Some(b"text/event-stream"), &mut tally);
    let started = Instant::now();
    for chunk in body.chunks(CHUNK) {
        connection.body_chunk(black_box(chunk), &mut tally);
    }
    (started.elapsed().as_secs_f64(), tally)
}

fn main() {
    let small = b"data: 0123456789ab\n\n".to_vec();
    let kilobyte = format!("id: 1\ndata: {}\n\n", "y".repeat(1024 - 15)).into_bytes();
    let multi_line: Vec<u8> = (0..64)
        .map(|i| format!("data: {:<1016}\n", i))
        .collect::<String>()
        .into_bytes()
        .into_iter()
        .chain(*b"\n")
        .collect();
    println!("| corpus | event size | MB/s | events/s |");
    println!("|---|---:|---:|---:|");
    for (name, event) in [
        ("20-byte events", small),
        ("1 KB events", kilobyte),
        ("64 KB events, 64 lines", multi_line),
    ] {
        let body = corpus(&event);
        let mut runs: Vec<(f64, usize)> = (0..5)
            .map(|_| {
                let (seconds, tally) = run(&body);
                black_box(tally.checksum);
                (seconds, tally.events)
            })
            .collect();
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (seconds, events) = runs[2];
        println!(
            "| {name} | {} B | {:.0} | {:.0} |",
            event.len(),
            body.len() as f64 / 1e6 / seconds,
            events as f64 / seconds
        );
    }
}
