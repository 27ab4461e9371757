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

// The two steps `feed` and `feed_marking_ascii` share. Macros rather than methods: the
// EventSource's module is built for size (opt-level "z"), where rustc leaves inlining to LLVM, and
// LLVM lays an inlined method's blocks out in another order: the shipped bytes would change. A
// macro's expansion is the code as written in place.

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
        if self.partial.capacity() > RETAINED_CAPACITY {
            self.partial = Vec::new();
        }
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

    /// [`feed`](Self::feed) for the parser API's module, which slices ASCII data from one decode
    /// of the chunk: `on_line` also receives how many bytes at the start of `chunk` are known to
    /// be ASCII (every byte up to the end of the last line that kept that true). The line scan
    /// finds that too, so the chunk is read once.
    pub fn feed_marking_ascii<F>(&mut self, chunk: &[u8], mut on_line: F) -> ControlFlow<()>
    where
        F: FnMut(&[u8], usize) -> ControlFlow<()>,
    {
        let whole = chunk.len();
        let mut chunk = chunk;
        if !self.past_start {
            chunk = self.strip_bom(chunk);
        }
        // BOM bytes taken from this chunk are not ASCII: nothing of it is sliced.
        let mut ascii = chunk.len() == whole;
        let mut ascii_end = 0;
        skip_lf_after_cr!(self, chunk);
        while let Some((end, line_ascii)) = find_line_end_ascii(chunk) {
            let Some((line, rest)) = chunk.split_at_checked(end) else {
                break;
            };
            let Some((&terminator, rest)) = rest.split_first() else {
                break;
            };
            ascii &= line_ascii;
            if ascii {
                ascii_end = whole - chunk.len() + end;
            }
            // A line begun in an earlier chunk is completed in `partial`; one call site, so that
            // `on_line` is inlined into this loop.
            let line = if self.partial.is_empty() {
                line
            } else {
                self.partial.extend_from_slice(line);
                &self.partial[..]
            };
            let flow = on_line(line, ascii_end);
            self.partial.clear();
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

/// Splits off the first line: its content, its terminator (CR or LF) and what follows it.
/// (Checked splits keep panic paths, and their messages, out of the shipped module.)
fn split_line(chunk: &[u8]) -> Option<(&[u8], u8, &[u8])> {
    let (line, rest) = chunk.split_at_checked(find_line_end(chunk)?)?;
    let (&terminator, rest) = rest.split_first()?;
    Some((line, terminator, rest))
}

/// Index of the first CR or LF, and whether every byte before it is ASCII: both from one read of
/// each 16 bytes (WebAssembly's 128-bit SIMD, the parser API's module).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn find_line_end_ascii(bytes: &[u8]) -> Option<(usize, bool)> {
    use super::simd::load;
    use core::arch::wasm32::{
        u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_min, u8x16_splat, v128, v128_any_true, v128_or,
    };
    /// Which of the 16 bytes are CR or LF, one bit each.
    #[inline(always)]
    fn ends(v: v128) -> u64 {
        u64::from(u8x16_bitmask(v128_or(
            u8x16_eq(v, u8x16_splat(b'\n')),
            u8x16_eq(v, u8x16_splat(b'\r')),
        )))
    }
    /// Whether the bits in `high` below the lowest set bit of `ends` are all clear.
    #[inline(always)]
    fn ascii_before(high: u64, ends: u64) -> bool {
        // `ends & ends.wrapping_neg()` is the lowest end; minus one, the bits below it.
        high & (ends & ends.wrapping_neg()).wrapping_sub(1) == 0
    }
    let high_bits = |v: v128| u64::from(u8x16_bitmask(v));
    // The high bits of the blocks passed, or-ed together: one more operation a block.
    let mut high = u8x16_splat(0);
    let mut start = 0;
    // Most lines are short: two blocks first, one at a time.
    while start < 32 {
        let Some(v) = load(bytes, start) else {
            break;
        };
        let mask = ends(v);
        if mask != 0 {
            let ascii = u8x16_bitmask(high) == 0 && ascii_before(high_bits(v), mask);
            return Some((start + mask.trailing_zeros() as usize, ascii));
        }
        high = v128_or(high, v);
        start += 16;
    }
    if start == 32 {
        // Then 64 bytes a test, and a cheap one: whether some byte is below 0x0E (LF is 0x0A, CR
        // 0x0D). Only such a group, rare in text (a tab, a control byte), is looked at exactly.
        while let Some(group) = bytes.get(start..).and_then(<[u8]>::first_chunk::<64>) {
            let (Some(a), Some(b), Some(c), Some(d)) = (
                load(group, 0),
                load(group, 16),
                load(group, 32),
                load(group, 48),
            ) else {
                break;
            };
            let least = u8x16_min(u8x16_min(a, b), u8x16_min(c, d));
            if v128_any_true(u8x16_lt(least, u8x16_splat(0x0E))) {
                let mask = ends(a) | ends(b) << 16 | ends(c) << 32 | ends(d) << 48;
                if mask != 0 {
                    let group_high =
                        high_bits(a) | high_bits(b) << 16 | high_bits(c) << 32 | high_bits(d) << 48;
                    let ascii = u8x16_bitmask(high) == 0 && ascii_before(group_high, mask);
                    return Some((start + mask.trailing_zeros() as usize, ascii));
                }
            }
            high = v128_or(high, v128_or(v128_or(a, b), v128_or(c, d)));
            start += 64;
        }
        while let Some(v) = load(bytes, start) {
            let mask = ends(v);
            if mask != 0 {
                let ascii = u8x16_bitmask(high) == 0 && ascii_before(high_bits(v), mask);
                return Some((start + mask.trailing_zeros() as usize, ascii));
            }
            high = v128_or(high, v);
            start += 16;
        }
    }
    let rest = bytes.get(start..).unwrap_or_default();
    let end = rest.iter().position(|&b| b == b'\n' || b == b'\r')?;
    let ascii = u8x16_bitmask(high) == 0 && rest.get(..end).unwrap_or_default().is_ascii();
    Some((start + end, ascii))
}

/// Index of the first CR or LF, and whether every byte before it is ASCII.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn find_line_end_ascii(bytes: &[u8]) -> Option<(usize, bool)> {
    let end = find_line_end(bytes)?;
    Some((end, bytes.get(..end).unwrap_or_default().is_ascii()))
}

/// Index of the first CR or LF. Scans eight bytes at a time (wasm32 has 64-bit integers too):
/// most bytes are neither. One test a word: whether some byte is below 0x0E (CR is 0x0D, LF
/// 0x0A); only such a word, rare in text, is looked at byte by byte. (The parser API's module,
/// built with SIMD, finds its lines with `find_line_end_ascii`.)
fn find_line_end(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::MAX / 0xFF;
    const HIGHS: u64 = ONES << 7;
    let is_end = |&b: &u8| b == b'\n' || b == b'\r';
    let mut words = bytes.chunks_exact(8);
    let mut start = 0;
    for word in &mut words {
        let value = <[u8; 8]>::try_from(word).map_or(0, u64::from_ne_bytes);
        // Non-zero when some byte is below 0x0E (borrows may mark a higher byte too: the byte
        // scan decides).
        if value.wrapping_sub(ONES * 0x0E) & !value & HIGHS != 0 {
            if let Some(i) = word.iter().position(is_end) {
                return Some(start + i);
            }
        }
        start += 8;
    }
    words.remainder().iter().position(is_end).map(|i| start + i)
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

    /// Lines, and how far the chunk was ASCII at each.
    fn marked(splitter: &mut LineSplitter, chunk: &[u8]) -> Vec<(Vec<u8>, usize)> {
        let mut lines = vec![];
        let _ = splitter.feed_marking_ascii(chunk, |line, ascii_end| {
            lines.push((line.to_vec(), ascii_end));
            ControlFlow::Continue(())
        });
        lines
    }

    #[test]
    fn finds_line_ends_and_ascii_at_every_offset() {
        for len in 0..40 {
            let mut bytes: Vec<u8> = b"ab:\t\0z".iter().cycle().take(len).copied().collect();
            bytes.extend_from_slice(b"\r\xFF\n");
            assert_eq!(find_line_end_ascii(&bytes), Some((len, true)));
            for at in 0..len {
                let mut high = bytes.clone();
                high[at] = 0x80;
                assert_eq!(find_line_end_ascii(&high), Some((len, false)));
            }
            assert_eq!(find_line_end_ascii(&bytes[..len]), None);
        }
    }

    #[test]
    fn marks_how_far_the_chunk_is_ascii() {
        let mut splitter = LineSplitter::new();
        let lines = marked(&mut splitter, "ab\r\ncd\n\u{e9}\nx\npart".as_bytes());
        let want = [
            (&b"ab"[..], 2),
            (b"cd", 6),
            ("\u{e9}".as_bytes(), 6),
            (b"x", 6),
        ];
        assert_eq!(lines, want.map(|(l, n)| (l.to_vec(), n)));
        // A line completed from an earlier chunk: only this chunk's bytes count.
        assert_eq!(
            marked(&mut splitter, b"ial\ny\n"),
            [(b"partial".to_vec(), 3), (b"y".to_vec(), 5)]
        );
        // A BOM is not ASCII: nothing of its chunk is.
        let mut splitter = LineSplitter::new();
        assert_eq!(
            marked(&mut splitter, b"\xEF\xBB\xBFa\n"),
            [(b"a".to_vec(), 0)]
        );
        let mut splitter = LineSplitter::new();
        assert_eq!(marked(&mut splitter, b"\xEF\xBB"), []);
        assert_eq!(marked(&mut splitter, b"\xBFa\n"), [(b"a".to_vec(), 0)]);
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
