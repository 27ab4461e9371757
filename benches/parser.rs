//! Native throughput of the parser API's engine ([`StreamParser`], `eventsource-wasm/parser`'s
//! module): 20-byte, 1 KiB and 64 KiB events, 128 MiB each, fed in 64 KiB chunks. Prints ns per
//! event, the median of 5 runs, and a checksum of the batches so the work cannot be optimised
//! away. Run: `cargo bench --bench parser`.

use eventsource_wasm::abi::StreamParser;
use std::hint::black_box;
use std::time::Instant;

const CHUNK: usize = 64 * 1024;
const TOTAL: usize = 128 * 1024 * 1024;
const RUNS: usize = 5;

fn main() {
    let corpora: [(&str, Vec<u8>); 3] = [
        ("20 B", b"data: xxxxxxxxxxxx\n\n".to_vec()),
        (
            "1 KiB",
            [&b"id: 1\ndata: "[..], &[b'y'; 1010], b"\n\n"].concat(),
        ),
        ("64 KiB", {
            let mut event = Vec::new();
            for n in 0..64 {
                event.extend_from_slice(format!("data: {n:z<1016}\n").as_bytes());
            }
            event.push(b'\n');
            event
        }),
    ];
    for (name, event) in corpora {
        let per_chunk = (CHUNK / event.len()).max(1);
        let chunk = event.repeat(per_chunk);
        let chunks = TOTAL / chunk.len();
        let mut times = Vec::new();
        let mut checksum = 0u64;
        for _ in 0..RUNS {
            let mut parser = StreamParser::new(None);
            let start = Instant::now();
            for _ in 0..chunks {
                parser.chunk(black_box(&chunk));
                let batch = parser.batch();
                checksum =
                    checksum.wrapping_add(batch.ops().len() as u64 + batch.text().len() as u64);
            }
            times.push(start.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let events = (chunks * per_chunk) as f64;
        println!(
            "{name:>7}: {:6.1} ns/event, {:7.0} MB/s (checksum {checksum})",
            times[RUNS / 2] * 1e9 / events,
            (chunks * chunk.len()) as f64 / times[RUNS / 2] / 1e6
        );
    }
}
