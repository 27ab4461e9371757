//! The spec read literally, slow and obvious: decode each whole body as the Encoding Standard's
//! "UTF-8 decode" says, split it into lines, and interpret each line as "Interpreting an event
//! stream" says. Nothing here is shared with the engine, and nothing is clever: it is the yardstick
//! the engine is measured against.
//!
//! Used by `tests/engine_props.rs` (proptest) and by the fuzz targets `decode` and `differential`
//! (`fuzz/fuzz_targets/`), which include this file with `#[path]`.
#![allow(dead_code)]

use eventsource_wasm::engine::DEFAULT_RECONNECTION_TIME;

pub struct Model {
    pub events: Vec<(String, String, String)>,
    /// The last event ID string and the reconnection time when each body ended. A body that
    /// failed the connection has no entry: nothing follows it.
    pub after_each_body: Vec<(String, u64)>,
    /// The maximum event size failed the connection.
    pub failed: bool,
    /// The last event ID string and the reconnection time at the very end.
    pub last_event_id: String,
    pub reconnection_time: u64,
    /// For each body read: its resume points, where a server resuming from the last event ID
    /// sends exactly what follows. Each is the offset in the body just after the blank line that
    /// ended a block that set the last event ID buffer, with the last event ID string there.
    pub resume_points: Vec<Vec<(usize, String)>>,
}

/// Decoded text: each code point with the number of bytes it was decoded from.
pub type Decoded = Vec<(char, usize)>;

/// Encoding Standard, "UTF-8 decode": strip one leading BOM, then run the UTF-8 decoder with
/// error mode "replacement". Each code point comes with the number of bytes it was decoded from
/// (a U+FFFD: the bytes of the ill-formed sequence it replaces).
pub fn utf8_decode(bytes: &[u8]) -> Decoded {
    // 1. "Let buffer be the result of peeking three bytes from ioQueue."
    // 2. "If buffer is 0xEF 0xBB 0xBF, then read three bytes from ioQueue."
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // 3. "Process a queue with an instance of UTF-8's decoder, ioQueue, output, and
    //    "replacement"."
    utf8_decoder(bytes)
}

/// Encoding Standard, "UTF-8 decoder", run over the whole queue with error mode "replacement"
/// (no BOM handling: that is "UTF-8 decode"'s job).
pub fn utf8_decoder(bytes: &[u8]) -> Decoded {
    let mut output = Vec::new();
    // "UTF-8 decoder has an associated UTF-8 code point, UTF-8 bytes seen, and UTF-8 bytes needed
    // (all initially 0), a UTF-8 lower boundary (initially 0x80), and a UTF-8 upper boundary
    // (initially 0xBF)."
    let mut code_point: u32 = 0;
    let mut bytes_seen: u32 = 0;
    let mut bytes_needed: u32 = 0;
    let mut lower: u8 = 0x80;
    let mut upper: u8 = 0xBF;
    // Bytes read since the last output: what the next output was decoded from.
    let mut read = 0;
    let mut queue = bytes.iter().copied();
    // A byte "restored to ioQueue" is read again first.
    let mut restored: Option<u8> = None;
    loop {
        let byte = restored.take().or_else(|| queue.next());
        let Some(byte) = byte else {
            // 1. "If byte is end-of-queue and UTF-8 bytes needed is not 0, set UTF-8 bytes needed
            //    to 0 and return error."
            if bytes_needed != 0 {
                output.push((char::REPLACEMENT_CHARACTER, read));
            }
            // 2. "If byte is end-of-queue, return finished."
            return output;
        };
        read += 1;
        // 3. "If UTF-8 bytes needed is 0, based on byte:"
        if bytes_needed == 0 {
            match byte {
                // "Return a code point whose value is byte."
                0x00..=0x7F => {
                    output.push((char::from(byte), read));
                    read = 0;
                }
                0xC2..=0xDF => {
                    bytes_needed = 1;
                    code_point = u32::from(byte & 0x1F);
                }
                0xE0..=0xEF => {
                    if byte == 0xE0 {
                        lower = 0xA0;
                    }
                    if byte == 0xED {
                        upper = 0x9F;
                    }
                    bytes_needed = 2;
                    code_point = u32::from(byte & 0xF);
                }
                0xF0..=0xF4 => {
                    if byte == 0xF0 {
                        lower = 0x90;
                    }
                    if byte == 0xF4 {
                        upper = 0x8F;
                    }
                    bytes_needed = 3;
                    code_point = u32::from(byte & 0x7);
                }
                // "Otherwise: Return error."
                _ => {
                    output.push((char::REPLACEMENT_CHARACTER, read));
                    read = 0;
                }
            }
            // "Return continue."
            continue;
        }
        // 4. "If byte is not in the range UTF-8 lower boundary to UTF-8 upper boundary, inclusive"
        if !(lower..=upper).contains(&byte) {
            // "Set UTF-8 code point, UTF-8 bytes needed, and UTF-8 bytes seen to 0, UTF-8 lower
            //  boundary to 0x80, and UTF-8 upper boundary to 0xBF."
            code_point = 0;
            bytes_needed = 0;
            bytes_seen = 0;
            lower = 0x80;
            upper = 0xBF;
            // "Restore byte to ioQueue."
            restored = Some(byte);
            read -= 1;
            // "Return error."
            output.push((char::REPLACEMENT_CHARACTER, read));
            read = 0;
            continue;
        }
        // 5. "Set UTF-8 lower boundary to 0x80 and UTF-8 upper boundary to 0xBF."
        lower = 0x80;
        upper = 0xBF;
        // 6. "Set UTF-8 code point to (UTF-8 code point << 6) | (byte & 0x3F)"
        code_point = (code_point << 6) | u32::from(byte & 0x3F);
        // 7. "Increase UTF-8 bytes seen by one."
        bytes_seen += 1;
        // 8. "If UTF-8 bytes seen is not equal to UTF-8 bytes needed, return continue."
        if bytes_seen != bytes_needed {
            continue;
        }
        // 9. "Let code point be UTF-8 code point."
        let scalar = code_point;
        // 10. "Set UTF-8 code point, UTF-8 bytes needed, and UTF-8 bytes seen to 0."
        code_point = 0;
        bytes_needed = 0;
        bytes_seen = 0;
        // 11. "Return a code point whose value is code point." (The boundaries make it a scalar
        //     value: no surrogate, nothing above U+10FFFF, no overlong form.)
        let c = char::from_u32(scalar).expect("the boundaries exclude non-scalar values");
        output.push((c, read));
        read = 0;
    }
}

/// The text of decoded code points.
pub fn text(decoded: &[(char, usize)]) -> String {
    decoded.iter().map(|&(c, _)| c).collect()
}

/// The bytes received for decoded code points.
fn received(decoded: &[(char, usize)]) -> usize {
    decoded.iter().map(|&(_, n)| n).sum()
}

/// "Parsing an event stream": lines end in CRLF, a lone LF or a lone CR. Returns the lines, each
/// with the number of bytes from the start of `decoded` to the end of its line end, and what
/// follows the last line end (not a line: "Once the end of the file is reached, any pending data
/// must be discarded").
pub fn split_lines(decoded: &[(char, usize)]) -> (Vec<(Decoded, usize)>, Decoded) {
    let mut lines = Vec::new();
    let mut line = Vec::new();
    let mut offset = 0;
    let mut chars = decoded.iter().copied().peekable();
    while let Some((c, n)) = chars.next() {
        offset += n;
        match c {
            '\r' => {
                if let Some(&('\n', lf)) = chars.peek() {
                    chars.next();
                    offset += lf;
                }
                lines.push((std::mem::take(&mut line), offset));
            }
            '\n' => lines.push((std::mem::take(&mut line), offset)),
            _ => line.push((c, n)),
        }
    }
    (lines, line)
}

/// The bodies' events without a bound on their size, as native `EventSource` does.
pub fn interpret(bodies: &[Vec<u8>]) -> Model {
    interpret_bounded(bodies, None)
}

/// The bodies' events, each body a whole response read to its end, then a reconnection.
///
/// `max_event_size` is this project's extension, read literally from the documentation of
/// `Options::max_event_size`: "Bound on one event's size in bytes (as received): its data (each
/// value plus its LF) and its type. Any line, complete or not, may be 7 bytes longer;
/// however the body is chunked, exceeding either fails the connection."
pub fn interpret_bounded(bodies: &[Vec<u8>], max_event_size: Option<usize>) -> Model {
    let max_event_size = max_event_size.unwrap_or(usize::MAX);
    let max_line = max_event_size.saturating_add(7);
    let mut events = Vec::new();
    let mut after_each_body = Vec::new();
    let mut failed = false;
    // Of the EventSource: "A reconnection time" and "A last event ID string".
    let mut reconnection_time = DEFAULT_RECONNECTION_TIME;
    let mut last_event_id = String::new();
    let mut resume_points = Vec::new();
    'bodies: for body in bodies {
        // "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark (BOM)", and
        // replaces what is not UTF-8 with U+FFFD, one per maximal subpart.
        let decoded = utf8_decode(body);
        let (lines, tail) = split_lines(&decoded);
        let bom = body.len() - received(&decoded);
        resume_points.push(Vec::new());
        let mut block_has_id = false;
        // "a data buffer, an event type buffer, and a last event ID buffer". The spec has the
        // last one start empty; browsers start it at the last event ID string, so that a
        // reconnected stream without `id` does not reset it. The engine does as browsers do.
        let mut data = String::new();
        let mut event_type = String::new();
        let mut id_buffer = last_event_id.clone();
        // Bytes received for the event being read: its data values plus their LFs, its type.
        let mut data_size = 0usize;
        let mut type_size = 0usize;
        for (line, end) in lines {
            if received(&line) > max_line {
                failed = true;
                break 'bodies;
            }
            if line.is_empty() {
                // "dispatch the event"
                last_event_id = id_buffer.clone();
                if std::mem::take(&mut block_has_id) {
                    if let Some(points) = resume_points.last_mut() {
                        points.push((bom + end, last_event_id.clone()));
                    }
                }
                data_size = 0;
                type_size = 0;
                if data.is_empty() {
                    event_type.clear();
                    continue;
                }
                if data.ends_with('\n') {
                    data.pop();
                }
                let kind = if event_type.is_empty() {
                    "message".to_owned()
                } else {
                    event_type.clone()
                };
                events.push((kind, data.clone(), last_event_id.clone()));
                data.clear();
                event_type.clear();
                continue;
            }
            if line[0].0 == ':' {
                continue;
            }
            let (field, value) = match line.iter().position(|&(c, _)| c == ':') {
                Some(colon) => {
                    let value = &line[colon + 1..];
                    let value = match value.first() {
                        Some((' ', _)) => &value[1..],
                        _ => value,
                    };
                    (&line[..colon], value)
                }
                None => (&line[..], &[][..]),
            };
            let (field, value_size, value) = (text(field), received(value), text(value));
            match field.as_str() {
                "event" => {
                    if data_size + value_size > max_event_size {
                        failed = true;
                        break 'bodies;
                    }
                    type_size = value_size;
                    event_type = value;
                }
                "data" => {
                    if data_size + value_size + 1 + type_size > max_event_size {
                        failed = true;
                        break 'bodies;
                    }
                    data_size += value_size + 1;
                    data.push_str(&value);
                    data.push('\n');
                }
                // "If the field value does not contain U+0000 NULL".
                "id" if !value.contains('\0') => {
                    id_buffer = value;
                    block_has_id = true;
                }
                // "If the field value consists of only ASCII digits". The engine keeps a
                // 64-bit reconnection time: a larger value is ignored.
                "retry" if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()) => {
                    if let Ok(milliseconds) = value.parse() {
                        reconnection_time = milliseconds;
                    }
                }
                // "Otherwise The field is ignored."
                _ => {}
            }
        }
        // A line not yet ended counts as well.
        if received(&tail) > max_line {
            failed = true;
            break;
        }
        after_each_body.push((last_event_id.clone(), reconnection_time));
    }
    Model {
        events,
        after_each_body,
        failed,
        last_event_id,
        reconnection_time,
        resume_points,
    }
}
