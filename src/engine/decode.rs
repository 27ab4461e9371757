//! UTF-8 decoding of what the engine reports, per the Encoding Standard.
//!
//! Spec ("Parsing an event stream"): the stream is decoded with "UTF-8 decode", which turns each
//! invalid sequence into one U+FFFD: the maximal subpart of an ill-formed sequence becomes one
//! replacement character. The engine finds lines and fields on the raw bytes and hands them over
//! undecoded ([`super::parser`] says why that is exact); each face decodes them: the JavaScript face
//! with the runtime's `TextDecoder` (`ignoreBOM: true`: the stream's BOM is the engine's to strip,
//! and a U+FEFF that begins a value is content), a Rust face with this function. Leaving decoding
//! out of the engine keeps a UTF-8 decoder out of the shipped module, which has one in JavaScript
//! already.

use alloc::borrow::Cow;
use alloc::string::String;

/// Decodes one field value (or a last event ID) as "UTF-8 decode" does the stream it came from,
/// borrowing it when it is well-formed. `String::from_utf8_lossy` replaces each maximal subpart of
/// an ill-formed sequence with one U+FFFD, exactly as the Encoding Standard's decoder does.
pub fn decode_lossy(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> String {
        decode_lossy(bytes).into_owned()
    }

    #[test]
    fn valid_text_is_unchanged() {
        assert_eq!(decode("héllo €𝄞".as_bytes()), "héllo €𝄞");
        assert!(matches!(decode_lossy(b"ascii"), Cow::Borrowed("ascii")));
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
        assert_eq!(
            decode(b"\xF4\x90\x80\x80"),
            "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"
        );
    }
}
