//! UTF-8 decoding of one complete line (or part of one), per the Encoding Standard.
//!
//! Spec ("Parsing an event stream"): the stream is decoded with "UTF-8 decode", which turns each
//! invalid sequence into one U+FFFD: the maximal subpart of an ill-formed sequence becomes one
//! replacement character. `core::str::Utf8Chunks` splits invalid input the same way.

use alloc::string::String;

/// Decodes `bytes`, borrowing them when they are valid UTF-8 (the common case) and otherwise
/// writing the repaired text into `scratch`.
pub fn decode_lossy<'a>(bytes: &'a [u8], scratch: &'a mut String) -> &'a str {
    if let Ok(text) = core::str::from_utf8(bytes) {
        return text;
    }
    scratch.clear();
    for chunk in bytes.utf8_chunks() {
        scratch.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            scratch.push(char::REPLACEMENT_CHARACTER);
        }
    }
    scratch
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
