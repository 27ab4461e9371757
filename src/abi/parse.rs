//! The parser API's engine (`eventsource-wasm/parser`): the event stream parser alone, without a
//! connection, answering each chunk with one batch of [`protocol::parse`](super::protocol::parse)
//! records. Plain Rust, tested natively; the `sp_*` exports (feature `parser-abi`) only hand its
//! buffers to JS.
//!
//! What crosses is shaped for one decode per chunk: an event whose data is one value inside the
//! chunk, all of it ASCII up to its end, travels as the value's offsets, and JS slices it from the
//! chunk's one decode (decoding ASCII maps each byte to one UTF-16 code unit, so byte offsets are
//! string offsets). Any other data (several `data` lines, a value split across chunks, non-ASCII
//! bytes before its end) is copied into the batch's texts, which JS decodes at once, as the
//! EventSource's batches.

use super::protocol::parse::{ID, RETRY, SPAN, TEXT, TOO_LARGE, TYPE};
use crate::engine::parser::{place, same, MESSAGE};
use crate::engine::{
    ChunkData, Event, EventStreamParser, EventTooLarge, ParserSink, DEFAULT_RECONNECTION_TIME,
};
use alloc::vec::Vec;

/// One parser: the stream's state and the last batch.
#[derive(Debug)]
pub struct StreamParser {
    parser: EventStreamParser<ChunkData>,
    max_event_size: Option<usize>,
    /// The stream's reconnection time (ms), and the one last reported by a `RETRY` record.
    time: u64,
    reported: u64,
    batch: ParseBatch,
}

/// A chunk's records, texts and how much of the chunk JS decodes, plus what JS holds from
/// earlier batches.
#[derive(Debug, Default)]
pub struct ParseBatch {
    /// Records of four numbers each (a code and up to three; unused ones are 0): one store each.
    ops: Vec<[u32; 4]>,
    text: Vec<u8>,
    decode_len: u32,
    /// The type and last event ID JS holds: it starts with `message` and the empty string.
    event_type: Vec<u8>,
    id: Vec<u8>,
    /// `event_type` is `message`, the parser's default.
    default_type: bool,
}

impl ParseBatch {
    /// The records: each a code followed by three numbers.
    pub fn ops(&self) -> &[u32] {
        self.ops.as_flattened()
    }

    /// The texts the records consume, in order, each followed by CR (a byte no value holds), as
    /// received: JS decodes them at once.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// The chunk's bytes JS decodes to slice `SPAN` data from (0: none).
    pub fn decode_len(&self) -> u32 {
        self.decode_len
    }

    /// What JS holds before the first batch (and after `TOO_LARGE`).
    fn forget(&mut self) {
        self.event_type.clear();
        self.event_type.extend_from_slice(&MESSAGE);
        self.default_type = true;
        self.id.clear();
    }

    fn push_text(&mut self, text: &[u8]) {
        self.text.extend_from_slice(text);
        self.text.push(b'\r');
    }

    /// Sends `value` as `code`'s text unless JS holds it already.
    #[inline(always)]
    fn set(
        code: u32,
        held: &mut Vec<u8>,
        value: &[u8],
        ops: &mut Vec<[u32; 4]>,
        text: &mut Vec<u8>,
    ) {
        if !same(held, value) {
            ops.push([code, 0, 0, 0]);
            text.extend_from_slice(value);
            text.push(b'\r');
            held.clear();
            held.extend_from_slice(value);
        }
    }
}

/// The parser's reports during one chunk, as records.
struct Sink<'a> {
    batch: &'a mut ParseBatch,
    chunk: &'a [u8],
    /// How many bytes at the chunk's start are known to be ASCII (from the line scan).
    ascii: usize,
    time: &'a mut u64,
}

impl ParserSink for Sink<'_> {
    fn event(&mut self, event: Event<'_>) {
        let b = &mut *self.batch;
        // The parser's default type is one static, and whether JS holds it is one flag: most
        // events need no comparison.
        if !(b.default_type && core::ptr::eq(event.event_type, &MESSAGE[..])) {
            ParseBatch::set(
                TYPE,
                &mut b.event_type,
                event.event_type,
                &mut b.ops,
                &mut b.text,
            );
            b.default_type = same(&b.event_type, &MESSAGE);
        }
        ParseBatch::set(ID, &mut b.id, event.last_event_id, &mut b.ops, &mut b.text);
        match place(event.data, self.chunk) {
            Some((start, end)) if end <= self.ascii => {
                b.ops.push([SPAN, start as u32, end as u32, event.retry]);
                b.decode_len = end as u32;
            }
            _ => {
                b.ops.push([TEXT, event.retry, 0, 0]);
                b.push_text(event.data);
            }
        }
    }

    fn retry(&mut self, milliseconds: u64) {
        *self.time = milliseconds;
    }

    fn ascii_end(&mut self, end: usize) {
        self.ascii = end;
    }
}

impl StreamParser {
    /// A parser; `max_event_size` bounds the bytes one event may hold (`None`: no bound).
    pub fn new(max_event_size: Option<usize>) -> Self {
        let mut batch = ParseBatch::default();
        batch.forget();
        Self {
            parser: EventStreamParser::with_data_buffer(max_event_size),
            max_event_size,
            time: DEFAULT_RECONNECTION_TIME,
            reported: DEFAULT_RECONNECTION_TIME,
            batch,
        }
    }

    /// The last batch.
    pub fn batch(&self) -> &ParseBatch {
        &self.batch
    }

    /// Parses one chunk into a new batch. Records: the events, in order; then `RETRY` when a
    /// `retry` field changed the reconnection time since the last one reported; or, when an
    /// event passes the maximum size, `TOO_LARGE` after the events before it, and the parser
    /// starts afresh (a new stream: BOM, last event ID and reconnection time as at first).
    pub fn chunk(&mut self, chunk: &[u8]) {
        let batch = &mut self.batch;
        batch.ops.clear();
        batch.text.clear();
        batch.decode_len = 0;
        let mut sink = Sink {
            batch,
            chunk,
            ascii: 0,
            time: &mut self.time,
        };
        match self.parser.feed_marking_ascii(chunk, &mut sink) {
            Err(EventTooLarge) => {
                self.batch.ops.push([TOO_LARGE, 0, 0, 0]);
                self.batch.forget();
                self.parser = EventStreamParser::with_data_buffer(self.max_event_size);
                self.time = DEFAULT_RECONNECTION_TIME;
                self.reported = DEFAULT_RECONNECTION_TIME;
            }
            Ok(_) if self.time != self.reported => {
                self.reported = self.time;
                let time = self.time.min(u64::from(u32::MAX)) as u32;
                self.batch.ops.push([RETRY, time, 0, 0]);
            }
            Ok(_) => {}
        }
    }

    /// `reset()`: the partial line, the event being built and the BOM state go (a fresh stream
    /// may follow); the last event ID string and the reconnection time stay.
    pub fn reset(&mut self) {
        self.parser.begin_stream();
    }
}
