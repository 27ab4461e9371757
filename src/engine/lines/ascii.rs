//! The parser API's line scan (`eventsource-wasm/parser`): [`LineSplitter::feed_marking_ascii`].
//!
//! Built for many short lines: with WebAssembly's 128-bit SIMD the chunk is read 64 bytes at a
//! time into a bit mask of its line ends, and each line then costs a count of trailing zeros,
//! not a scan restarted at its start. The same read finds the chunk's first non-ASCII byte.

use super::LineSplitter;
use core::ops::ControlFlow;

impl LineSplitter {
    /// [`feed`](Self::feed) for the parser API's module, which slices ASCII data from one decode
    /// of the chunk: `on_line` also receives how many bytes at the start of `chunk` are known to
    /// be ASCII (every byte up to the end of the last line that kept that true; the line scan
    /// finds that too, so the chunk is read once), and whether an empty line ended by LF follows
    /// this one in the chunk (the line is ended by LF, and LF comes next): `on_line` may take
    /// that line with its own by answering `true`, and it is skipped (an answer without such a
    /// line changes nothing).
    pub fn feed_marking_ascii<F>(&mut self, chunk: &[u8], mut on_line: F) -> ControlFlow<()>
    where
        F: FnMut(&[u8], usize, bool) -> ControlFlow<(), bool>,
    {
        let whole = chunk.len();
        let mut at = whole;
        if !self.past_start {
            at -= self.strip_bom(chunk).len();
        } else {
            at = 0;
        }
        // BOM bytes taken from this chunk are not ASCII: nothing of it is sliced.
        let mut ends = LineEnds::new(chunk, at, if at == 0 { usize::MAX } else { 0 });
        let mut ascii_end = 0;
        let mut rest = chunk.get(at..).unwrap_or_default();
        skip_lf_after_cr!(self, rest);
        at = whole - rest.len();
        while let Some(end) = ends.next(at) {
            let (Some(line), Some(&terminator)) = (chunk.get(at..end), chunk.get(end)) else {
                break;
            };
            if end <= ends.first_high() {
                ascii_end = end;
            }
            // A line begun in an earlier chunk is completed in `partial`; one call site, so that
            // `on_line` is inlined into this loop.
            let line = if self.partial.is_empty() {
                line
            } else {
                self.partial.extend_from_slice(line);
                &self.partial[..]
            };
            at = end + 1;
            let blank_follows = terminator == b'\n' && chunk.get(at) == Some(&b'\n');
            let flow = on_line(line, ascii_end, blank_follows);
            self.partial.clear();
            at = whole
                - past_terminator!(self, terminator, chunk.get(at..).unwrap_or_default()).len();
            if flow? && blank_follows {
                at += 1;
            }
        }
        self.partial
            .extend_from_slice(chunk.get(at..).unwrap_or_default());
        ControlFlow::Continue(())
    }
}

/// The line ends (CR, LF) of a chunk, found 64 bytes at a time, and where its first non-ASCII
/// byte is (WebAssembly's 128-bit SIMD, the parser API's module).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
struct LineEnds<'c> {
    bytes: &'c [u8],
    /// The start of the block `mask` describes.
    base: usize,
    /// The line ends of the 64 bytes at `base`, one bit each (bit 0: `base`).
    mask: u64,
    /// The first non-ASCII byte read (`usize::MAX`: none yet).
    high: usize,
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl<'c> LineEnds<'c> {
    /// The ends from `start` on; `high` as [`first_high`](Self::first_high) starts.
    #[inline(always)]
    fn new(bytes: &'c [u8], start: usize, high: usize) -> Self {
        let mut ends = Self {
            bytes,
            base: start,
            mask: 0,
            high,
        };
        ends.mask = ends.block(start);
        ends
    }

    /// The first line end at or after `from` (which never goes back, and is never past the
    /// block after `base`).
    #[inline(always)]
    fn next(&mut self, from: usize) -> Option<usize> {
        loop {
            // `from` may lie in the block before (the line began there).
            let skip = from.saturating_sub(self.base);
            if skip < 64 {
                let mask = self.mask & (u64::MAX << skip);
                if mask != 0 {
                    return Some(self.base + mask.trailing_zeros() as usize);
                }
            }
            self.base += 64;
            if self.base >= self.bytes.len() {
                return None;
            }
            self.mask = self.block(self.base);
        }
    }

    /// Every byte before this position, from where the scan started, is ASCII.
    #[inline(always)]
    fn first_high(&self) -> usize {
        self.high
    }

    /// The line ends among the (up to) 64 bytes at `at`; notes the first non-ASCII byte.
    #[inline(always)]
    fn block(&mut self, at: usize) -> u64 {
        use crate::engine::simd::load;
        use core::arch::wasm32::{
            i8x16_lt, i8x16_min, i8x16_splat, u8x16_bitmask, u8x16_eq, u8x16_splat, v128,
            v128_any_true, v128_or,
        };
        #[inline(always)]
        fn ends(v: v128) -> u64 {
            u64::from(u8x16_bitmask(v128_or(
                u8x16_eq(v, u8x16_splat(b'\n')),
                u8x16_eq(v, u8x16_splat(b'\r')),
            )))
        }
        let high_bits = |v: v128| u64::from(u8x16_bitmask(v));
        let group = self.bytes.get(at..).and_then(<[u8]>::first_chunk::<64>);
        if let Some(group) = group {
            if let (Some(a), Some(b), Some(c), Some(d)) = (
                load(group, 0),
                load(group, 16),
                load(group, 32),
                load(group, 48),
            ) {
                // One cheap test first, on signed bytes: whether some byte is below 0x0E (LF is
                // 0x0A, CR 0x0D) or not ASCII (negative). A long ASCII line's blocks pass it.
                let least = i8x16_min(i8x16_min(a, b), i8x16_min(c, d));
                if !v128_any_true(i8x16_lt(least, i8x16_splat(0x0E))) {
                    return 0;
                }
                if self.high == usize::MAX {
                    let high = high_bits(v128_or(v128_or(a, b), v128_or(c, d)));
                    if high != 0 {
                        let bits = high_bits(a)
                            | high_bits(b) << 16
                            | high_bits(c) << 32
                            | high_bits(d) << 48;
                        self.high = at + bits.trailing_zeros() as usize;
                    }
                }
                return ends(a) | ends(b) << 16 | ends(c) << 32 | ends(d) << 48;
            }
        }
        // The chunk's last bytes, fewer than 64: 16 at a time, then one at a time.
        let mut mask = 0;
        let mut offset = 0;
        while let Some(v) = load(self.bytes, at + offset) {
            mask |= ends(v) << offset;
            let high = high_bits(v);
            if high != 0 && self.high == usize::MAX {
                self.high = at + offset + high.trailing_zeros() as usize;
            }
            offset += 16;
        }
        for (i, &byte) in self
            .bytes
            .get(at + offset..)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if byte == b'\n' || byte == b'\r' {
                mask |= 1 << (offset + i);
            }
            if !byte.is_ascii() && self.high == usize::MAX {
                self.high = at + offset + i;
            }
        }
        mask
    }
}

/// The line ends of a chunk, found line by line, and how far it is ASCII (builds without SIMD).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
struct LineEnds<'c> {
    bytes: &'c [u8],
    /// Some byte at or after this position is not ASCII (`usize::MAX`: none found yet).
    high: usize,
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
impl<'c> LineEnds<'c> {
    fn new(bytes: &'c [u8], _start: usize, high: usize) -> Self {
        Self { bytes, high }
    }

    /// The first line end at or after `from`.
    fn next(&mut self, from: usize) -> Option<usize> {
        let line = self.bytes.get(from..)?;
        let end = super::find_line_end(line)?;
        // The bytes between lines are their ends: ASCII.
        if self.high == usize::MAX && !line.get(..end).unwrap_or_default().is_ascii() {
            self.high = from;
        }
        Some(from + end)
    }

    /// Every byte before this position, from where the scan started, is ASCII (or, without SIMD,
    /// one at or after it is not: lines are judged whole).
    fn first_high(&self) -> usize {
        self.high
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    /// Lines, and how far the chunk was ASCII at each.
    fn marked(splitter: &mut LineSplitter, chunk: &[u8]) -> Vec<(Vec<u8>, usize)> {
        let mut lines = vec![];
        let _ = splitter.feed_marking_ascii(chunk, |line, ascii_end, _| {
            lines.push((line.to_vec(), ascii_end));
            ControlFlow::Continue(false)
        });
        lines
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
    fn a_line_may_take_the_blank_line_after_it() {
        // Lines, whether a blank line (LF) follows each in the chunk; every line takes it.
        let mut splitter = LineSplitter::new();
        let mut lines = vec![];
        let mut feed = |chunk: &[u8], lines: &mut Vec<(Vec<u8>, bool)>| {
            let _ = splitter.feed_marking_ascii(chunk, |line, _, blank_follows| {
                lines.push((line.to_vec(), blank_follows));
                ControlFlow::Continue(true)
            });
        };
        feed(b"a\n\nb\r\n\nc\n\r\nd\n\n\ne\n", &mut lines);
        feed(b"\nf\n\n", &mut lines);
        let want: [(&[u8], bool); 8] = [
            (b"a", true),
            (b"b", false),
            (b"", false),
            (b"c", false),
            (b"", false),
            (b"d", true),
            (b"", false),
            (b"e", false),
        ];
        let mut want: Vec<_> = want.iter().map(|&(l, b)| (l.to_vec(), b)).collect();
        // A blank line in the next chunk is not seen ahead: it comes as a line.
        want.extend([(b"".to_vec(), false), (b"f".to_vec(), true)]);
        assert_eq!(lines, want);
    }
}
