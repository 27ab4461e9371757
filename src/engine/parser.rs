//! Interpreting an event stream: fields, the event buffers and the dispatch rules.
//!
//! Spec sections "Parsing an event stream" and "Interpreting an event stream". The parser works on
//! one response body at a time ([`EventStreamParser::begin_stream`] starts the next one) and keeps
//! the event source's last event ID string across streams.
//!
//! The buffers hold the bytes as received, not decoded: the stream's "UTF-8 decode" is left to the
//! face (see [`super::decode`]). Every field value ends at an ASCII byte (CR, LF) and every split
//! inside a line is at an ASCII byte (`:`, space), and a UTF-8 decoder ends any pending sequence
//! at an ASCII byte exactly as at the end of its input; so decoding each buffer on its own, or a
//! batch of them joined by CR, gives exactly the text of decoding the whole stream.

use super::lines::{give_back, LineSplitter};
use alloc::vec::Vec;
use core::ops::ControlFlow;

/// One event ready to be dispatched as a `MessageEvent`. The strings are UTF-8 bytes as received
/// (possibly ill-formed): decode them with "UTF-8 decode" ([`super::decode::decode_lossy`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event<'a> {
    /// The event's `type`: the event type buffer, or `message` when it is empty.
    pub event_type: &'a [u8],
    /// The event's `data`.
    pub data: &'a [u8],
    /// The event's `lastEventId`: the event source's last event ID string.
    pub last_event_id: &'a [u8],
    /// The reconnection time a `retry` field of this event's own block set, in milliseconds up to
    /// `u32::MAX - 1`, or [`NO_RETRY`]: the parser API reports it with the event (the
    /// `EventSource` keeps the reconnection time itself). A sentinel rather than an `Option`: the
    /// flag and the wider value cost the shipped module's every download about 50 bytes gzipped.
    pub retry: u32,
}

/// The type of an event whose block named none (spec: "dispatch the event", step 5): one
/// static, so that a face can tell it by its address without comparing bytes.
pub static MESSAGE: [u8; 7] = *b"message";

/// [`Event::retry`] when the event's block had no valid `retry` field.
pub const NO_RETRY: u32 = u32::MAX;

/// What the parser reports while it reads a stream.
pub trait ParserSink {
    /// An event is to be dispatched (spec: "dispatch the event", step 8).
    fn event(&mut self, event: Event<'_>);
    /// A `retry` field set the reconnection time, in milliseconds.
    fn retry(&mut self, milliseconds: u64);
    /// A comment line arrived: proof the connection is alive, nothing more.
    fn comment(&mut self) {}
    /// From [`EventStreamParser::feed_marking_ascii`], before each line: the first `end` bytes of
    /// the chunk are ASCII.
    fn ascii_end(&mut self, _end: usize) {}
}

/// The current event (data plus line being read) grew past the configured maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventTooLarge;

/// How far [`EventStreamParser::feed`] read a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fed {
    /// All of it.
    All,
    /// Up to a resume point, as asked by [`EventStreamParser::stop_at_resume_point`]; the rest of
    /// the chunk was not read.
    ResumePoint,
}

/// Why the line loop stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    TooLarge,
    ResumePoint,
}

/// Incremental event stream parser. `D` keeps the data buffer: a plain byte vector, or
/// [`ChunkData`], which leaves a one-line value where it is in the chunk being fed.
#[derive(Debug)]
pub struct EventStreamParser<D: DataBuffer = Vec<u8>> {
    lines: LineSplitter,
    fields: Fields<D>,
}

/// Storage for the spec's data buffer: every `data` value is appended with a trailing LF.
pub trait DataBuffer: Default + core::fmt::Debug {
    /// What the buffer needs to know of the chunk being fed (nothing, for a plain vector: the
    /// EventSource's parser passes nothing more than before).
    type Chunk<'a>: Copy;
    /// That, from the chunk.
    fn chunk(chunk: &[u8]) -> Self::Chunk<'_>;
    /// The bytes held, LFs included: the bytes received for the current event's data.
    fn len(&self) -> usize;
    /// Whether nothing is held.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Appends `value` (a slice of `chunk` or of the line splitter's partial line) and an LF.
    fn push(&mut self, value: &[u8], chunk: Self::Chunk<'_>);
    /// The buffer less its last LF (spec: "dispatch the event", step 3).
    fn data<'a, 'c: 'a>(&'a self, chunk: Self::Chunk<'c>) -> &'a [u8];
    /// Empties the buffer.
    fn clear(&mut self);
    /// `chunk` is going away: copy what still refers to it.
    fn keep(&mut self, chunk: Self::Chunk<'_>);
    /// Gives back memory one huge event left (past [`RETAINED_CAPACITY`](super::lines::RETAINED_CAPACITY)).
    fn shrink(&mut self);
}

impl DataBuffer for Vec<u8> {
    type Chunk<'a> = ();
    #[inline(always)]
    fn chunk(_: &[u8]) {}
    #[inline(always)]
    fn len(&self) -> usize {
        Vec::len(self)
    }
    #[inline(always)]
    fn push(&mut self, value: &[u8], _: ()) {
        self.extend_from_slice(value);
        // As a slice: `push` would link a second growth path.
        self.extend_from_slice(b"\n");
    }
    #[inline(always)]
    fn data<'a, 'c: 'a>(&'a self, _: ()) -> &'a [u8] {
        // Each value ends in LF: the last byte is always one.
        self.strip_suffix(b"\n").unwrap_or(self)
    }
    #[inline(always)]
    fn clear(&mut self) {
        Vec::clear(self);
    }
    #[inline(always)]
    fn keep(&mut self, _: ()) {}
    #[inline(always)]
    fn shrink(&mut self) {
        give_back(self);
    }
}

/// A data buffer that copies nothing while an event's data is one value inside the chunk being
/// fed: it holds the value's place (an event is then dispatched with its data as a slice of the
/// chunk, which a face can pass on as offsets). A second value, or the chunk's end, copies it.
#[derive(Debug, Default)]
pub struct ChunkData {
    copy: Vec<u8>,
    /// The value's place in the chunk, when the buffer is that value plus LF (then `copy` is
    /// empty).
    span: Option<(usize, usize)>,
}

impl ChunkData {
    fn take_span(&mut self, chunk: &[u8]) {
        if let Some((start, end)) = self.span.take() {
            self.copy
                .extend_from_slice(chunk.get(start..end).unwrap_or_default());
            self.copy.push(b'\n');
        }
    }
}

/// Where `part` lies in `whole`, if it is a slice of it.
pub(crate) fn place(part: &[u8], whole: &[u8]) -> Option<(usize, usize)> {
    let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
    let end = start.checked_add(part.len())?;
    let inside = whole.get(start..end)?;
    (inside.as_ptr() == part.as_ptr()).then_some((start, end))
}

impl DataBuffer for ChunkData {
    type Chunk<'a> = &'a [u8];
    fn chunk(chunk: &[u8]) -> &[u8] {
        chunk
    }
    fn len(&self) -> usize {
        match self.span {
            Some((start, end)) => end - start + 1,
            None => self.copy.len(),
        }
    }
    fn push(&mut self, value: &[u8], chunk: &[u8]) {
        if self.span.is_none() && self.copy.is_empty() {
            if let Some(span) = place(value, chunk) {
                self.span = Some(span);
                return;
            }
        }
        self.take_span(chunk);
        self.copy.extend_from_slice(value);
        self.copy.push(b'\n');
    }
    fn data<'a, 'c: 'a>(&'a self, chunk: &'c [u8]) -> &'a [u8] {
        match self.span {
            Some((start, end)) => chunk.get(start..end).unwrap_or_default(),
            None => self.copy.strip_suffix(b"\n").unwrap_or(&self.copy),
        }
    }
    fn clear(&mut self) {
        self.copy.clear();
        self.span = None;
    }
    fn keep(&mut self, chunk: &[u8]) {
        self.take_span(chunk);
    }
    fn shrink(&mut self) {
        self.copy.shrink();
    }
}

#[derive(Debug)]
struct Fields<D> {
    /// Spec: the data buffer. Every `data` value is appended with a trailing LF. Its length is
    /// the bytes received for the current event's data.
    data: D,
    /// Spec: the event type buffer.
    event_type: Vec<u8>,
    /// Spec: the last event ID buffer of the stream being parsed.
    id_buffer: Vec<u8>,
    /// Spec: the event source's last event ID string, set from the buffer at each dispatch.
    last_event_id: Vec<u8>,
    /// A valid `retry` field's value in the block being read (as [`Event::retry`]).
    block_retry: u32,
    max_event_size: usize,
    /// The block being read has set the last event ID buffer.
    block_has_id: bool,
    /// The last thing read was the end of a block that set the ID: a server resuming from the
    /// last event ID sends exactly what follows.
    at_resume_point: bool,
    /// Stop feeding at the next resume point.
    stop_requested: bool,
}

impl Default for EventStreamParser {
    fn default() -> Self {
        Self::new(None)
    }
}

impl EventStreamParser {
    /// A parser; `max_event_size` bounds the bytes one event may hold (`None`: no bound, like
    /// native `EventSource`).
    pub fn new(max_event_size: Option<usize>) -> Self {
        Self::with_data_buffer(max_event_size)
    }
}

impl<D: DataBuffer> EventStreamParser<D> {
    /// A parser keeping its data buffer in a `D`.
    pub fn with_data_buffer(max_event_size: Option<usize>) -> Self {
        Self {
            lines: LineSplitter::new(),
            fields: Fields {
                data: D::default(),
                event_type: Vec::new(),
                id_buffer: Vec::new(),
                last_event_id: Vec::new(),
                block_retry: NO_RETRY,
                max_event_size: max_event_size.unwrap_or(usize::MAX),
                block_has_id: false,
                at_resume_point: false,
                stop_requested: false,
            },
        }
    }

    /// The event source's last event ID string (sent as `Last-Event-ID` when reconnecting), as
    /// received.
    pub fn last_event_id(&self) -> &[u8] {
        &self.fields.last_event_id
    }

    /// Whether the stream is at a resume point: right after a block that set the event ID, with
    /// nothing of the next one read. Ending the stream here and resuming with `Last-Event-ID`
    /// loses and repeats nothing.
    pub fn at_resume_point(&self) -> bool {
        self.fields.at_resume_point && self.lines.partial_len() == 0
    }

    /// Makes [`feed`](Self::feed) stop at the next resume point.
    pub fn stop_at_resume_point(&mut self) {
        self.fields.stop_requested = true;
    }

    /// Starts a new response body. An event left incomplete by the previous one is discarded
    /// (spec: "if the file ends in the middle of an event, ... the pending data is discarded");
    /// the last event ID string carries over.
    pub fn begin_stream(&mut self) {
        self.lines.reset();
        let fields = &mut self.fields;
        fields.empty_event();
        fields.id_buffer.clear();
        fields.id_buffer.extend_from_slice(&fields.last_event_id);
        fields.block_has_id = false;
        fields.at_resume_point = false;
        fields.stop_requested = false;
        fields.data.shrink();
    }

    /// Feeds one chunk of the body. On [`EventTooLarge`] the stream must be abandoned.
    pub fn feed(&mut self, chunk: &[u8], sink: &mut impl ParserSink) -> Result<Fed, EventTooLarge> {
        let fields = &mut self.fields;
        let mut stop = None;
        let stopped = &mut stop;
        let place = D::chunk(chunk);
        // `move`: `place` is taken by value (nothing, for a plain vector).
        let _ = self.lines.feed(chunk, move |line| {
            let flow = fields.process_line(line, place, sink);
            if let ControlFlow::Break(reason) = flow {
                *stopped = Some(reason);
            }
            flow.map_break(|_| ())
        });
        self.fields.data.keep(place);
        self.fed(stop)
    }

    /// What a feed that stopped for `stop` (or ran to the chunk's end) reports.
    #[inline(always)]
    fn fed(&self, stop: Option<Stop>) -> Result<Fed, EventTooLarge> {
        match stop {
            Some(Stop::TooLarge) => Err(EventTooLarge),
            Some(Stop::ResumePoint) => Ok(Fed::ResumePoint),
            // A partial line is held to the bound of a complete one, so whether an event is too
            // large never depends on where the network split the body.
            None if self.lines.partial_len() > self.fields.max_line() => Err(EventTooLarge),
            None => Ok(Fed::All),
        }
    }
}

impl EventStreamParser<ChunkData> {
    /// [`feed`](Self::feed) for the parser API's module, built for speed: the sink also learns
    /// how far the chunk is ASCII ([`ParserSink::ascii_end`]), found by the line scan itself; the
    /// most common line, `data:` and its value, skips the general field split, and a blank line
    /// right after it (the most common end of an event) is taken with it.
    pub fn feed_marking_ascii(
        &mut self,
        chunk: &[u8],
        sink: &mut impl ParserSink,
    ) -> Result<Fed, EventTooLarge> {
        let fields = &mut self.fields;
        let mut stop = None;
        let stopped = &mut stop;
        let _ = self
            .lines
            .feed_marking_ascii(chunk, |mut line, ascii_end, blank_follows| {
                sink.ascii_end(ascii_end);
                let mut take_blank = false;
                // Exactly what `process_line` does with a line that starts with `data:` (the
                // first colon ends the name `data`; too long a line is also too large a value).
                if let [b'd', b'a', b't', b'a', b':', rest @ ..] = line {
                    let value = rest.strip_prefix(b" ").unwrap_or(rest);
                    fields.at_resume_point = false;
                    if value.len() >= fields.room() {
                        *stopped = Some(Stop::TooLarge);
                        return ControlFlow::Break(());
                    }
                    fields.data.push(value, chunk);
                    if !blank_follows {
                        return ControlFlow::Continue(false);
                    }
                    // The blank line after it, taken now: "dispatch the event".
                    line = &[];
                    take_blank = true;
                }
                // Exactly what `process_line` does with an `id:` line that fits.
                if let [b'i', b'd', b':', rest @ ..] = line {
                    let value = rest.strip_prefix(b" ").unwrap_or(rest);
                    if line.len() <= fields.max_line() && value.iter().all(|&b| b != 0) {
                        fields.at_resume_point = false;
                        fields.block_has_id = true;
                        if !same(&fields.id_buffer, value) {
                            fields.id_buffer.clear();
                            fields.id_buffer.extend_from_slice(value);
                        }
                        return ControlFlow::Continue(false);
                    }
                }
                match fields.process_line(line, chunk, sink) {
                    ControlFlow::Break(reason) => {
                        *stopped = Some(reason);
                        ControlFlow::Break(())
                    }
                    ControlFlow::Continue(()) => ControlFlow::Continue(take_blank),
                }
            });
        self.fields.data.keep(chunk);
        self.fed(stop)
    }
}

impl<D: DataBuffer> Fields<D> {
    /// Bytes the current event may still take before it is too large, counted as received.
    fn room(&self) -> usize {
        self.max_event_size
            .saturating_sub(self.data.len() + self.event_type.len())
    }

    /// The longest line of any kind (comments and `id` included), complete or not: the maximum
    /// event size plus 7 bytes for a field name (`event: `, `retry: `), so that every line whose
    /// value fits an event fits as a line.
    fn max_line(&self) -> usize {
        self.max_event_size.saturating_add(7)
    }

    /// Spec: "Parsing an event stream" and the line rules of "Interpreting an event stream".
    /// Fields are split on bytes: `:` and space are ASCII, so splitting before decoding is exact.
    fn process_line(
        &mut self,
        line: &[u8],
        chunk: D::Chunk<'_>,
        sink: &mut impl ParserSink,
    ) -> ControlFlow<Stop> {
        if line.len() > self.max_line() {
            return ControlFlow::Break(Stop::TooLarge);
        }
        // "If the line is empty (a blank line): dispatch the event."
        let Some(&first) = line.first() else {
            let resume_point = self.block_has_id;
            self.dispatch(chunk, sink);
            self.block_has_id = false;
            self.at_resume_point = resume_point;
            if resume_point && self.stop_requested {
                self.stop_requested = false;
                return ControlFlow::Break(Stop::ResumePoint);
            }
            return ControlFlow::Continue(());
        };
        self.at_resume_point = false;
        // "If the line starts with a U+003A COLON character (:): ignore the line."
        if first == b':' {
            sink.comment();
            return ControlFlow::Continue(());
        }
        // "If the line contains a U+003A COLON character": field is what comes before the first
        // colon, value what comes after, less one leading U+0020 SPACE. "Otherwise": the whole
        // line is the field name and the value is empty.
        let colon = line.iter().position(|&b| b == b':');
        let (name, value) = match colon.and_then(|colon| line.split_at_checked(colon)) {
            Some((name, colon_and_value)) => {
                let value = colon_and_value.get(1..).unwrap_or_default();
                (name, value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        // "Process the field": field names are compared byte for byte (case-sensitive), by
        // length first: a slice of known length equal to a constant compiles to one or two word
        // compares (byte patterns cost a compare a byte; a memcmp call per line more still).
        match name.len() {
            4 if name == b"data" => {
                // "Append the field value to the data buffer, then append a single U+000A LF."
                if value.len() >= self.room() {
                    return ControlFlow::Break(Stop::TooLarge);
                }
                self.data.push(value, chunk);
            }
            5 if name == b"event" => {
                // "Set the event type buffer to the field value." The new type replaces the old
                // one in the event's size too.
                if value.len() > self.room() + self.event_type.len() {
                    return ControlFlow::Break(Stop::TooLarge);
                }
                self.event_type.clear();
                self.event_type.extend_from_slice(value);
            }
            // "If the field value does not contain U+0000 NULL, then set the last event ID buffer
            // to the field value. Otherwise, ignore the field." Only byte 0x00 decodes to U+0000.
            2 if name == b"id" && value.iter().all(|&b| b != 0) => {
                self.block_has_id = true;
                self.id_buffer.clear();
                self.id_buffer.extend_from_slice(value);
            }
            5 if name == b"retry" => {
                // "If the field value consists of only ASCII digits, then interpret the field
                // value as an integer in base ten, and set the event stream's reconnection time
                // to that integer. Otherwise, ignore the field." An empty value or one too large
                // for 64 bits is ignored.
                if let Some(milliseconds) = parse_digits(value) {
                    self.block_retry = milliseconds.min(u64::from(NO_RETRY - 1)) as u32;
                    sink.retry(milliseconds);
                }
            }
            // "Otherwise: the field is ignored."
            _ => {}
        }
        ControlFlow::Continue(())
    }

    /// Spec: "dispatch the event".
    fn dispatch(&mut self, chunk: D::Chunk<'_>, sink: &mut impl ParserSink) {
        // Step 1: "Set the last event ID string of the event source to the value of the last
        // event ID buffer." It persists until the server sets it again.
        if !same(&self.last_event_id, &self.id_buffer) {
            self.last_event_id.clear();
            self.last_event_id.extend_from_slice(&self.id_buffer);
        }
        // Step 2: "If the data buffer is an empty string, set the data buffer and the event type
        // buffer to the empty string and return."
        if !self.data.is_empty() {
            // Step 3: "If the data buffer's last character is a U+000A LINE FEED (LF) character,
            // then remove the last character from the data buffer." It always is: each value
            // ends in LF.
            let data = self.data.data(chunk);
            // Steps 4-6: the event's type is "message" unless the event type buffer says
            // otherwise.
            let event_type: &[u8] = if self.event_type.is_empty() {
                &MESSAGE
            } else {
                &self.event_type
            };
            sink.event(Event {
                event_type,
                data,
                last_event_id: &self.last_event_id,
                retry: self.block_retry,
            });
        }
        // Step 7 (and step 2): "Set the data buffer and the event type buffer to the empty
        // string."
        self.empty_event();
    }

    /// Empties the data and event type buffers: the next event starts from nothing.
    fn empty_event(&mut self) {
        self.data.clear();
        self.event_type.clear();
        self.block_retry = NO_RETRY;
    }
}

/// Whether two byte strings are equal: an inline loop, for the short values compared once per
/// event (type, last event ID), where the wasm build's memcmp call costs more than the compare.
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// A non-empty run of ASCII digits as a base-ten integer; `None` for anything else.
fn parse_digits(value: &[u8]) -> Option<u64> {
    if value.is_empty() {
        return None;
    }
    value.iter().try_fold(0u64, |acc, &b| {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        // `acc * 10` overflows exactly when `acc` is past u64::MAX / 10 (checked this way: no
        // 128-bit multiplication is linked).
        if acc > u64::MAX / 10 {
            return None;
        }
        (acc * 10).checked_add(u64::from(digit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_parse_only_when_all_digits() {
        assert_eq!(parse_digits(b"0"), Some(0));
        assert_eq!(parse_digits(b"3000"), Some(3000));
        assert_eq!(parse_digits(b""), None);
        assert_eq!(parse_digits(b" 1"), None);
        assert_eq!(parse_digits(b"1a"), None);
        assert_eq!(parse_digits(b"-1"), None);
        assert_eq!(parse_digits(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_digits(b"18446744073709551616"), None);
    }
}
