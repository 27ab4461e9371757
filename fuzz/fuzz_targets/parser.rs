//! Fuzzes the event stream parser (lines, fields, dispatch, the maximum event size) over several
//! streams, each of arbitrary bytes.
//!
//! - Feeding each stream whole, in arbitrary chunks or byte by byte gives the same reports:
//!   events, `retry` values, comments, "event too large" at the same place, and the same last
//!   event ID and resume point at the end of each stream; so does the parser API's data buffer
//!   (`ChunkData`, which leaves one-line values in the chunk).
//! - Events have a type, the last event ID never holds NUL, CR or LF, data never holds CR.
//! - Asked to stop at a resume point, the parser stops there (it reports being at one) having
//!   reported a prefix of what the whole stream reports.
//! - It never panics.
//!
//! Input: one byte for the maximum event size, then the streams' bytes with chunk and stream
//! boundaries marked (`tests/common/inputs.rs`).
//!
//! Run: `scripts/fuzz.sh` (all targets) or `RUSTC_BOOTSTRAP=1 cargo fuzz run parser`.
#![no_main]

use eventsource_wasm::engine::decode::decode_lossy;
use eventsource_wasm::engine::{
    ChunkData, DataBuffer, Event, EventStreamParser, EventTooLarge, Fed, ParserSink,
};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/inputs.rs"]
mod inputs;

struct Script<'a> {
    max_event_size: Option<usize>,
    /// Each stream as its chunks.
    streams: Vec<Vec<&'a [u8]>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Report {
    Event {
        event_type: String,
        data: String,
        last_event_id: String,
        retry: u32,
    },
    Retry(u64),
    Comment,
    TooLarge,
    /// The end of a stream: the last event ID and whether it ended at a resume point.
    End(String, bool),
    /// Stopped at a resume point, as asked.
    Stopped,
}

#[derive(Default)]
struct Recorder(Vec<Report>);

impl ParserSink for Recorder {
    fn event(&mut self, event: Event<'_>) {
        assert!(!event.event_type.is_empty(), "an event without a type");
        assert!(
            !event.last_event_id.iter().any(|b| b"\0\r\n".contains(b)),
            "NUL, CR or LF in a last event ID"
        );
        assert!(!event.data.contains(&b'\r'), "CR in data");
        assert!(
            !event.event_type.iter().any(|b| b"\r\n".contains(b)),
            "CR or LF in a type"
        );
        self.0.push(Report::Event {
            event_type: decode_lossy(event.event_type).into_owned(),
            data: decode_lossy(event.data).into_owned(),
            last_event_id: decode_lossy(event.last_event_id).into_owned(),
            retry: event.retry,
        });
    }

    fn retry(&mut self, milliseconds: u64) {
        self.0.push(Report::Retry(milliseconds));
    }

    fn comment(&mut self) {
        self.0.push(Report::Comment);
    }
}

#[derive(Clone, Copy)]
enum Chunking {
    Whole,
    Cuts,
    ByteByByte,
}

/// Every stream in turn, chunked as asked; stops at the first "event too large" (the connection
/// fails then). With `stop`, asks each stream to stop at its first resume point.
fn run<D: DataBuffer>(script: &Script, chunking: Chunking, stop: bool) -> Vec<Report> {
    let mut parser = EventStreamParser::<D>::with_data_buffer(script.max_event_size);
    let mut sink = Recorder::default();
    for stream in &script.streams {
        parser.begin_stream();
        if stop {
            parser.stop_at_resume_point();
        }
        let whole = inputs::whole(stream);
        let chunks = match chunking {
            Chunking::Whole => vec![&whole[..]],
            Chunking::Cuts => stream.clone(),
            Chunking::ByteByByte => inputs::bytes(&whole),
        };
        for chunk in chunks {
            match parser.feed(chunk, &mut sink) {
                Ok(Fed::All) => {}
                Ok(Fed::ResumePoint) => {
                    assert!(stop, "stopped at a resume point unasked");
                    assert!(
                        parser.at_resume_point(),
                        "stopped, but not at a resume point"
                    );
                    sink.0.push(Report::Stopped);
                    return sink.0;
                }
                Err(EventTooLarge) => {
                    sink.0.push(Report::TooLarge);
                    return sink.0;
                }
            }
        }
        sink.0.push(Report::End(
            decode_lossy(parser.last_event_id()).into_owned(),
            parser.at_resume_point(),
        ));
    }
    sink.0
}

fuzz_target!(|data: &[u8]| {
    let (max_event_size, rest) = inputs::max_event_size_and_rest(data);
    let script = Script {
        max_event_size,
        streams: inputs::bodies(rest),
    };
    let whole = run::<Vec<u8>>(&script, Chunking::Whole, false);
    assert_eq!(
        run::<Vec<u8>>(&script, Chunking::Cuts, false),
        whole,
        "chunked"
    );
    for chunking in [Chunking::Whole, Chunking::Cuts, Chunking::ByteByByte] {
        assert_eq!(
            run::<ChunkData>(&script, chunking, false),
            whole,
            "chunk data"
        );
    }
    assert_eq!(
        run::<Vec<u8>>(&script, Chunking::ByteByByte, false),
        whole,
        "byte by byte"
    );
    // Stopping at the first resume point: what was reported by then is what the stream reports.
    for chunking in [Chunking::Whole, Chunking::Cuts] {
        let stopped = run::<Vec<u8>>(&script, chunking, true);
        match stopped.split_last() {
            Some((Report::Stopped, before)) => {
                assert_eq!(before, &whole[..before.len()], "stopped early");
            }
            // Never at a resume point (or too large first): nothing differs.
            _ => assert_eq!(stopped, whole, "asked to stop"),
        }
    }
});
