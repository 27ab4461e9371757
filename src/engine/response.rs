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
        if let Some((kind, subtype)) = parse_essence(value) {
            verdict =
                kind.eq_ignore_ascii_case(b"text") && subtype.eq_ignore_ascii_case(b"event-stream");
        }
    }
    verdict
}

/// "Parse a MIME type", as far as the essence: `type "/" subtype`, both non-empty HTTP tokens,
/// surrounded by optional HTTP whitespace, parameters after `;` ignored.
fn parse_essence(value: &[u8]) -> Option<(&[u8], &[u8])> {
    let value = trim_http_whitespace(value);
    let (kind, slash_and_rest) = value.split_at_checked(value.iter().position(|&b| b == b'/')?)?;
    let rest = slash_and_rest.get(1..)?;
    let subtype = rest.split(|&b| b == b';').next()?;
    let subtype = trim_http_whitespace(subtype);
    // "Remove any trailing HTTP whitespace from subtype": only trailing, so a subtype that
    // started with whitespace is no token.
    // And "if temporaryMimeType is failure or its essence is "*/*", then continue".
    (is_token(kind)
        && is_token(subtype)
        && subtype.as_ptr() == rest.as_ptr()
        && !matches!((kind, subtype), ([b'*'], [b'*'])))
    .then_some((kind, subtype))
}

fn trim_http_whitespace(mut bytes: &[u8]) -> &[u8] {
    let is_whitespace = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    while let [first, rest @ ..] = bytes {
        if !is_whitespace(first) {
            break;
        }
        bytes = rest;
    }
    while let [rest @ .., last] = bytes {
        if !is_whitespace(last) {
            break;
        }
        bytes = rest;
    }
    bytes
}

/// An HTTP token: one or more token code points.
fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'!' | b'#'..=b'\'' | b'*' | b'+' | b'-' | b'.' | b'^'..=b'`' | b'|' | b'~'))
}
