//! UTF-8 decoding of one complete line (or part of one), per the Encoding Standard.
//!
//! Spec ("Parsing an event stream"): the stream is decoded with "UTF-8 decode", which turns each
//! invalid sequence into one U+FFFD: the maximal subpart of an ill-formed sequence becomes one
//! replacement character.

use alloc::string::String;

/// Decodes `bytes`, borrowing them when they are ASCII (the common case) and otherwise writing
/// the decoded text into `scratch`.
pub fn decode_lossy<'a>(bytes: &'a [u8], scratch: &'a mut String) -> &'a str {
    if bytes.is_ascii() {
        // SAFETY: ASCII is valid UTF-8.
        return unsafe { core::str::from_utf8_unchecked(bytes) };
    }
    scratch.clear();
    decode_into(bytes, scratch);
    scratch
}

/// The Encoding Standard's "UTF-8 decoder", run to the end of `bytes`: every error (an invalid
/// byte, a sequence cut short by another byte or by the end) becomes one U+FFFD, and the byte
/// that revealed a cut-short sequence is decoded afresh. Written out instead of using
/// `str::from_utf8` and `Utf8Chunks` because it is a fraction of their size in the module.
fn decode_into(bytes: &[u8], out: &mut String) {
    let mut code_point = 0u32;
    let mut needed = 0u32;
    let (mut lower, mut upper) = (0x80u8, 0xBFu8);
    let mut rest = bytes;
    while let Some((&byte, after)) = rest.split_first() {
        if needed == 0 {
            rest = after;
            match byte {
                0x00..=0x7F => out.push(char::from(byte)),
                0xC2..=0xDF => {
                    needed = 1;
                    code_point = u32::from(byte & 0x1F);
                }
                0xE0..=0xEF => {
                    if byte == 0xE0 {
                        lower = 0xA0;
                    } else if byte == 0xED {
                        upper = 0x9F;
                    }
                    needed = 2;
                    code_point = u32::from(byte & 0x0F);
                }
                0xF0..=0xF4 => {
                    if byte == 0xF0 {
                        lower = 0x90;
                    } else if byte == 0xF4 {
                        upper = 0x8F;
                    }
                    needed = 3;
                    code_point = u32::from(byte & 0x07);
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            }
            continue;
        }
        if !(lower..=upper).contains(&byte) {
            // The sequence is cut short: one U+FFFD, then this byte starts over (not consumed).
            needed = 0;
            (lower, upper) = (0x80, 0xBF);
            out.push(char::REPLACEMENT_CHARACTER);
            continue;
        }
        rest = after;
        (lower, upper) = (0x80, 0xBF);
        code_point = (code_point << 6) | u32::from(byte & 0x3F);
        needed -= 1;
        if needed == 0 {
            out.push(char::from_u32(code_point).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
    }
    if needed != 0 {
        // The end of the line cuts the sequence short.
        out.push(char::REPLACEMENT_CHARACTER);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> String {
        let mut scratch = String::new();
        String::from(decode_lossy(bytes, &mut scratch))
    }

    #[test]
    fn valid_text_is_borrowed_unchanged() {
        assert_eq!(decode("héllo €𝄞".as_bytes()), "héllo €𝄞");
    }

    #[test]
    fn agrees_with_the_standard_library_on_every_short_input() {
        // Rust's lossy decoding replaces maximal subparts exactly as the Encoding Standard does.
        let interesting = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1,
            0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
        ];
        let mut input = [0u8; 3];
        for len in 1..=3 {
            for index in 0..interesting.len().pow(len as u32) {
                let mut n = index;
                for slot in input.iter_mut().take(len) {
                    *slot = interesting[n % interesting.len()];
                    n /= interesting.len();
                }
                let bytes = &input[..len];
                assert_eq!(
                    decode(bytes),
                    String::from_utf8_lossy(bytes),
                    "{bytes:02X?}"
                );
            }
        }
    }

    #[test]
    fn each_maximal_subpart_becomes_one_replacement() {
        // Encoding Standard examples: a truncated 3-byte sequence is one U+FFFD;
        // a lead byte followed by a non-continuation is one U+FFFD and the byte stands.
        assert_eq!(decode(b"a\xE2\x82b"), "a\u{FFFD}b");
        assert_eq!(decode(b"\xE0\x80"), "\u{FFFD}\u{FFFD}");
        assert_eq!(decode(b"\xFF\xFE"), "\u{FFFD}\u{FFFD}");
        assert_eq!(decode(b"\xF0\x9F\x98"), "\u{FFFD}");
        assert_eq!(decode(b"\xED\xA0\x80"), "\u{FFFD}\u{FFFD}\u{FFFD}");
    }
}
