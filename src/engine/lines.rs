//! Splitting a response body into lines.
//!
//! Spec ("Parsing an event stream"): lines end in CRLF, LF or CR; a CRLF split across two chunks
//! is still one line end. Spec (Encoding Standard, "UTF-8 decode"): one leading BOM is removed,
//! only at the very start of the stream, even when the BOM itself arrives split across chunks.
//!
//! Lines are found on raw bytes, before decoding. That is equivalent to decoding first: CR and LF
//! are ASCII, never part of a multi-byte sequence, and a decoder seeing one ends any pending
//! sequence with U+FFFD exactly as decoding the line on its own does at its end.

use alloc::vec::Vec;
use core::ops::ControlFlow;

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

// The two steps `feed` and `feed_marking_ascii` (lines/ascii.rs) share. Macros rather than
// methods: the EventSource's module is built for size (opt-level "z"), where rustc leaves inlining
// to LLVM, and LLVM lays an inlined method's blocks out in another order: the shipped bytes would
// change. A macro's expansion is the code as written in place.

/// Spec ("Parsing an event stream"): lines end in CRLF, LF or CR, and a CRLF may arrive split
/// across two chunks. When the previous chunk ended in CR, an LF that starts `$chunk` completes
/// that CRLF: it is skipped.
macro_rules! skip_lf_after_cr {
    ($splitter:ident, $chunk:ident) => {
        if $splitter.after_cr {
            if let Some((&first, rest)) = $chunk.split_first() {
                $splitter.after_cr = false;
                if first == b'\n' {
                    $chunk = rest;
                }
            }
        }
    };
}

/// What follows a line's end, `$terminator` (CR or LF), in `$rest`, the bytes after it. Spec
/// ("Parsing an event stream"): lines end in CRLF, LF or CR, so an LF after a CR is part of the
/// line end; after a CR at the end of the chunk, `skip_lf_after_cr!` looks at the next chunk.
macro_rules! past_terminator {
    ($splitter:ident, $terminator:expr, $rest:expr) => {{
        let mut rest = $rest;
        if $terminator == b'\r' {
            match rest.split_first() {
                Some((b'\n', after)) => rest = after,
                Some(_) => {}
                None => $splitter.after_cr = true,
            }
        }
        rest
    }};
}

// After the macros: the parser API's line scan uses them too.
mod ascii;

/// Incremental line splitter for one response body. Holds at most the current partial line.
#[derive(Debug, Default)]
pub struct LineSplitter {
    /// The start of a line whose end has not arrived yet.
    partial: Vec<u8>,
    /// The previous chunk ended in CR: an LF at the start of the next one belongs to it.
    after_cr: bool,
    /// Bytes at the start of the stream not yet known to be (or not be) a BOM.
    bom_matched: u8,
    /// Past the first bytes of the stream: no BOM is removed any more.
    past_start: bool,
}

impl LineSplitter {
    /// A splitter for a new stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forget everything: the next byte starts a new stream (a reconnection's response body).
    pub fn reset(&mut self) {
        self.partial.clear();
        give_back(&mut self.partial);
        self.after_cr = false;
        self.bom_matched = 0;
        self.past_start = false;
    }

    /// Bytes held for a line that has not ended yet.
    pub fn partial_len(&self) -> usize {
        self.partial.len()
    }

    /// Feed one chunk; `on_line` receives each complete line without its terminator.
    /// Lines inside the chunk are passed without copying. `on_line` may stop the feed by breaking.
    pub fn feed<F>(&mut self, mut chunk: &[u8], mut on_line: F) -> ControlFlow<()>
    where
        F: FnMut(&[u8]) -> ControlFlow<()>,
    {
        if !self.past_start {
            chunk = self.strip_bom(chunk);
        }
        skip_lf_after_cr!(self, chunk);
        while let Some((line, terminator, rest)) = split_line(chunk) {
            let flow = if self.partial.is_empty() {
                on_line(line)
            } else {
                self.partial.extend_from_slice(line);
                let flow = on_line(&self.partial);
                self.partial.clear();
                flow
            };
            chunk = past_terminator!(self, terminator, rest);
            flow?;
        }
        self.partial.extend_from_slice(chunk);
        ControlFlow::Continue(())
    }

    /// Removes a leading BOM, which may arrive one byte at a time. Returns the rest of the chunk.
    fn strip_bom<'c>(&mut self, mut chunk: &'c [u8]) -> &'c [u8] {
        while let Some((&byte, rest)) = chunk.split_first() {
            let matched = usize::from(self.bom_matched);
            if BOM.get(matched) != Some(&byte) {
                // Not a BOM after all: the bytes held back are ordinary line content.
                self.partial
                    .extend_from_slice(BOM.get(..matched).unwrap_or_default());
                self.past_start = true;
                return chunk;
            }
            self.bom_matched += 1;
            chunk = rest;
            if usize::from(self.bom_matched) == BOM.len() {
                self.past_start = true;
                return chunk;
            }
        }
        chunk
    }
}
/// Capacity kept across streams; a buffer grown past it by one huge line is given back.
pub(crate) const RETAINED_CAPACITY: usize = 64 * 1024;

/// Gives back the memory of a buffer grown past [`RETAINED_CAPACITY`]. One body for the line
/// and data buffers.
#[inline(never)]
pub(crate) fn give_back(buffer: &mut Vec<u8>) {
    if buffer.capacity() > RETAINED_CAPACITY {
        *buffer = Vec::new();
    }
}

/// Splits off the first line: its content, its terminator (CR or LF) and what follows it.
/// (Checked splits keep panic paths, and their messages, out of the shipped module.)
fn split_line(chunk: &[u8]) -> Option<(&[u8], u8, &[u8])> {
    let (line, rest) = chunk.split_at_checked(find_line_end(chunk)?)?;
    let (&terminator, rest) = rest.split_first()?;
    Some((line, terminator, rest))
}

/// Index of the first CR or LF. Scans eight bytes at a time (wasm32 has 64-bit integers too):
/// most bytes are neither. One test a word: whether some byte is below 0x0E (CR is 0x0D, LF
/// 0x0A); only such a word, rare in text, is looked at byte by byte. (The parser API's module,
/// built with SIMD, finds its lines 64 bytes at a time: `ascii.rs`.)
fn find_line_end(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::MAX / 0xFF;
    const HIGHS: u64 = ONES << 7;
    let mut words = bytes.chunks_exact(8);
    let mut start = 0;
    for word in &mut words {
        let value = <[u8; 8]>::try_from(word).map_or(0, u64::from_ne_bytes);
        // Non-zero when some byte is below 0x0E (borrows may mark a higher byte too: the byte
        // scan decides).
        if value.wrapping_sub(ONES * 0x0E) & !value & HIGHS != 0 {
            let i = first_end(word);
            if i < word.len() {
                return Some(start + i);
            }
        }
        start += 8;
    }
    let rest = words.remainder();
    let i = first_end(rest);
    (i < rest.len()).then_some(start + i)
}

/// Index of the first CR or LF in `bytes`, or its length when there is none: a plain number,
/// where an `Option` comes back from an out-of-line call through memory.
fn first_end(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn split(chunks: &[&[u8]]) -> Vec<Vec<u8>> {
        let mut splitter = LineSplitter::new();
        let mut lines = vec![];
        for chunk in chunks {
            let _ = splitter.feed(chunk, |line| {
                lines.push(line.to_vec());
                ControlFlow::Continue(())
            });
        }
        lines
    }

    #[test]
    fn finds_line_ends_at_every_offset() {
        for len in 0..40 {
            for end in [b'\r', b'\n'] {
                // Other control bytes (tab, NUL, 0x0B, 0x0C, 0x0E) are no line end.
                let mut bytes: Vec<u8> = [b'a', b'\t', 0, 0x0B, 0x0C, 0x0E, 0xFF, b'z']
                    .iter()
                    .cycle()
                    .take(len)
                    .copied()
                    .collect();
                assert_eq!(find_line_end(&bytes), None);
                bytes.push(end);
                bytes.extend_from_slice(b"tail\n");
                assert_eq!(find_line_end(&bytes), Some(len));
            }
        }
    }

    #[test]
    fn crlf_split_across_chunks_is_one_line_end() {
        assert_eq!(
            split(&[b"a\r", b"\nb\n"]),
            vec![b"a".to_vec(), b"b".to_vec()]
        );
    }

    #[test]
    fn bom_split_byte_by_byte_is_removed() {
        assert_eq!(split(&[b"\xEF", b"\xBB", b"\xBFx\n"]), vec![b"x".to_vec()]);
    }

    #[test]
    fn partial_bom_is_content() {
        assert_eq!(split(&[b"\xEF", b"\xBBx\n"]), vec![b"\xEF\xBBx".to_vec()]);
    }
}
