//! Deciding whether a response head announces an event stream.
//!
//! Spec ("Processing model", the fetch's processResponse): "if res's status is not 200, or if
//! res's `Content-Type` is not `text/event-stream`, then fail the connection." The type is
//! compared by MIME type essence (MIME Sniffing Standard, "parse a MIME type"), so parameters
//! and letter case do not matter.

/// Whether a response with this status and `Content-Type` header value (`None`: no header)
/// opens the event stream. Anything else fails the connection without reconnecting.
pub fn announces_event_stream(status: u16, content_type: Option<&[u8]>) -> bool {
    status == 200 && content_type.is_some_and(is_event_stream)
}

/// Fetch's "extract a MIME type" on a combined header value: each comma-separated value is parsed
/// and the last one that parses wins, except that "if temporaryMimeType is failure or its essence
/// is "*/*", then continue". (Fetch splits only at commas outside quoted strings; splitting at
/// every comma differs only for a quoted parameter value holding a comma, and saves ~90 bytes.)
fn is_event_stream(header_value: &[u8]) -> bool {
    let mut verdict = false;
    for value in header_value.split(|&b| b == b',') {
        if let Some(essence) = parse_essence(value) {
            verdict = essence.eq_ignore_ascii_case(b"text/event-stream");
        }
    }
    verdict
}

/// "Parse a MIME type", as far as the essence: `type "/" subtype`, both non-empty HTTP tokens,
/// after optional leading HTTP whitespace, parameters after `;` ignored. Returns the essence,
/// `None` on failure or for `*/*`.
///
/// Leading whitespace is removed from the value; the subtype ends at `;` and loses its trailing
/// whitespace ("remove any trailing HTTP whitespace from subtype": only trailing, so whitespace
/// after the `/` fails the token check, as whitespace before it does in the type). Checked as one
/// run of token bytes around a single `/`: a `;` or a second `/` is no token byte either.
fn parse_essence(value: &[u8]) -> Option<&[u8]> {
    let start = value.iter().position(|&b| !is_http_whitespace(b))?;
    let value = value.get(start..)?;
    let mut essence = value.split(|&b| b == b';').next()?;
    while let [rest @ .., last] = essence {
        if !is_http_whitespace(*last) {
            break;
        }
        essence = rest;
    }
    let slash = essence.iter().position(|&b| b == b'/')?;
    let parses = slash > 0
        && slash + 1 < essence.len()
        && essence
            .iter()
            .enumerate()
            .all(|(i, &b)| i == slash || is_token_byte(b));
    (parses && essence != b"*/*").then_some(essence)
}

fn is_http_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The HTTP token code points, as a bit set over ASCII (one lookup instead of ten comparisons; 32-bit
/// words, which the legacy build's wasm2js translation handles without 64-bit emulation).
const TOKEN: [u32; 4] = {
    let mut set = [0u32; 4];
    let mut b = 0u8;
    while b < 128 {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'!' | b'#'..=b'\'' | b'*' | b'+' | b'-' | b'.' | b'^'..=b'`' | b'|' | b'~')
        {
            set[(b >> 5) as usize] |= 1 << (b & 31);
        }
        b += 1;
    }
    set
};

/// An HTTP token code point.
fn is_token_byte(b: u8) -> bool {
    TOKEN
        .get(usize::from(b >> 5))
        .is_some_and(|word| word >> (b & 31) & 1 != 0)
}
