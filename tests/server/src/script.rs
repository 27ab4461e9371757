//! `/sse`: the scripted event-stream endpoint. Each request with the same `key` is the next
//! "attempt"; query parameters suffixed with the attempt number say what that attempt answers
//! (see tests/server/README.md for the full list).

use crate::body::{self, Piece};
use crate::encoding::Encoder;
use crate::query::Query;
use crate::reply::{self, Reply};
use crate::state::{InFlight, Record, Shared};
use bytes::Bytes;
use hyper::{HeaderMap, Method, StatusCode};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// How an attempt's response ends after its last write.
#[derive(Clone, Copy, PartialEq)]
enum Ending {
    Close,
    Hold,
    Reset,
}

pub async fn handle(
    method: &Method,
    target: &str,
    headers: &HeaderMap,
    body: &[u8],
    query: &Query,
    shared: &Arc<Shared>,
    port: &'static str,
) -> Result<Reply, String> {
    let key = query.text("key").unwrap_or_default();
    let record = Record::new(method, target, port, headers);
    let cors = query.text("cors").unwrap_or_else(|| "echo".to_owned());
    if method == Method::OPTIONS {
        shared.record(&key, record, false);
        let mut reply = reply::empty(StatusCode::NO_CONTENT);
        if cors != "none" {
            add_cors(&mut reply, &cors, headers);
            // `allow=`: the request headers allowed (a server that does not list
            // `Last-Event-ID`, say); by default every header asked for.
            let requested = header_text(headers, "access-control-request-headers");
            let allowed = query.text("allow").unwrap_or(requested);
            reply::set_header(&mut reply, "access-control-allow-headers", &allowed);
            reply::set_header(&mut reply, "access-control-allow-methods", "GET, POST");
            reply::set_header(&mut reply, "access-control-max-age", "0");
        }
        return Ok(reply);
    }
    let attempt = shared.record(&key, record, true).unwrap_or(0);
    // Counts this response as in flight until its writer task ends (or the client leaves first).
    let in_flight = InFlight::start(shared, &key);
    let n = attempt.to_string();
    let param = |prefix: &str| format!("{prefix}{n}");

    let scripted = ["b", "s", "l"]
        .iter()
        .any(|prefix| query.all(&param(prefix)).next().is_some());
    let highest = highest_attempt(query);
    if !scripted && highest.is_some_and(|highest| attempt > highest)
        || highest.is_none() && attempt > 0
    {
        let mut reply = reply::empty(StatusCode::NO_CONTENT);
        add_cors(&mut reply, &cors, headers);
        return Ok(reply);
    }

    if let Some(wait) = query.number::<u64>(&param("w"))? {
        tokio::time::sleep(Duration::from_millis(wait)).await;
    }
    let status = query.number::<u16>(&param("s"))?.unwrap_or(200);
    let status = StatusCode::from_u16(status).map_err(|_| format!("bad status {status}"))?;
    let ending = match query.text(&param("e")).as_deref() {
        None | Some("close") => Ending::Close,
        Some("hold") => Ending::Hold,
        Some("reset") => Ending::Reset,
        Some(other) => return Err(format!("e{n}={other}: want close, hold or reset")),
    };

    let substitutions = [
        ("{lei}", header_text(headers, "last-event-id")),
        ("{attempt}", n.clone()),
        ("{cookie}", header_text(headers, "cookie")),
        ("{method}", method.to_string()),
        ("{body}", String::from_utf8_lossy(body).into_owned()),
    ];
    let mut writes: Vec<Vec<u8>> = query
        .all(&param("b"))
        .map(|write| expand_fills(&substitute(write, &substitutions)))
        .collect();
    if let Some(times) = query.number::<usize>(&param("p"))? {
        // Repeat the writes, `{i}` numbering the repetitions: long streams from short URLs.
        let once = std::mem::take(&mut writes);
        for i in 0..times {
            let index = [("{i}", i.to_string())];
            writes.extend(once.iter().map(|write| substitute(write, &index)));
        }
    }
    if let Some(size) = query.number::<usize>(&param("c"))? {
        let whole = writes.concat();
        writes = whole.chunks(size.max(1)).map(<[u8]>::to_vec).collect();
    }
    let delay = Duration::from_millis(query.number::<u64>(&param("d"))?.unwrap_or(0));
    let mut encoder = match query.text(&param("z")) {
        Some(name) => Some((Encoder::new(&name)?, name)),
        None => None,
    };

    let (sender, body) = body::channel();
    let mut reply = reply::streamed(status, body);
    match query.text(&param("t")).as_deref() {
        Some("none") => {}
        Some(content_type) => reply::set_header(&mut reply, "content-type", content_type),
        None => reply::set_header(&mut reply, "content-type", "text/event-stream"),
    }
    if let Some(location) = query.text(&param("l")) {
        reply::set_header(&mut reply, "location", &location);
    }
    for header in query.all(&param("h")) {
        let header = String::from_utf8_lossy(header);
        if let Some((name, value)) = header.split_once(':') {
            reply::set_header(&mut reply, name, value);
        }
    }
    if let Some((_, name)) = &encoder {
        reply::set_header(&mut reply, "content-encoding", name);
    }
    add_cors(&mut reply, &cors, headers);
    let bodiless = status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED;

    tokio::spawn(async move {
        let _in_flight = in_flight;
        if !bodiless {
            for (index, write) in writes.into_iter().enumerate() {
                if index > 0 && !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                let write = match &mut encoder {
                    Some((encoder, _)) => encoder.write(&write),
                    None => write,
                };
                if sender.send(Piece::Data(Bytes::from(write))).await.is_err() {
                    return; // the client went away
                }
            }
        }
        match ending {
            Ending::Close => {
                if let Some((encoder, _)) = encoder {
                    let _ = sender
                        .send(Piece::Data(Bytes::from(encoder.finish())))
                        .await;
                }
            }
            Ending::Hold => sender.closed().await,
            Ending::Reset => {
                let _ = sender.send(Piece::Reset).await;
            }
        }
    });
    Ok(reply)
}

/// The highest attempt number any per-attempt parameter names.
fn highest_attempt(query: &Query) -> Option<u32> {
    query
        .names()
        .filter_map(|name| {
            let digits = name.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            let prefix = &name[..name.len() - digits.len()];
            let per_attempt =
                ["b", "s", "t", "c", "d", "w", "e", "l", "h", "p", "z"].contains(&prefix);
            per_attempt.then(|| digits.parse().ok()).flatten()
        })
        .max()
}

fn substitute(write: &[u8], substitutions: &[(&str, String)]) -> Vec<u8> {
    let mut out = write.to_vec();
    for (placeholder, value) in substitutions {
        let mut result = Vec::with_capacity(out.len());
        let mut rest = out.as_slice();
        while let Some(at) = find(rest, placeholder.as_bytes()) {
            result.extend_from_slice(&rest[..at]);
            result.extend_from_slice(value.as_bytes());
            rest = &rest[at + placeholder.len()..];
        }
        result.extend_from_slice(rest);
        out = result;
    }
    out
}

/// `{fill:N}` becomes N letters `x`, and `{fill:N:UNIT}` N copies of UNIT (any bytes but `}`):
/// big events from short URLs.
fn expand_fills(write: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(write.len());
    let mut rest = write;
    while let Some(at) = find(rest, b"{fill:") {
        let after = &rest[at + 6..];
        let Some(close) = after.iter().position(|&b| b == b'}') else {
            break;
        };
        let inside = &after[..close];
        let (digits, unit) = match inside.iter().position(|&b| b == b':') {
            Some(colon) => (&inside[..colon], &inside[colon + 1..]),
            None => (inside, &b"x"[..]),
        };
        let count = std::str::from_utf8(digits)
            .ok()
            .and_then(|digits| digits.parse::<usize>().ok());
        let Some(count) = count else {
            break;
        };
        out.extend_from_slice(&rest[..at]);
        for _ in 0..count {
            out.extend_from_slice(unit);
        }
        rest = &after[close + 1..];
    }
    out.extend_from_slice(rest);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// CORS response headers for `mode`: `echo` (the request's Origin, with credentials), `star`, `none`.
pub fn add_cors(reply: &mut Reply, mode: &str, headers: &HeaderMap) {
    match mode {
        "star" => reply::set_header(reply, "access-control-allow-origin", "*"),
        "none" => {}
        _ => {
            if let Some(origin) = headers.get("origin").and_then(|v| v.to_str().ok()) {
                reply::set_header(reply, "access-control-allow-origin", origin);
                reply::set_header(reply, "access-control-allow-credentials", "true");
                reply::set_header(reply, "vary", "Origin");
            }
        }
    }
}

pub fn header_text(headers: &HeaderMap, name: &str) -> String {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    values.join(", ")
}

/// All request headers, lower-case names, repeated ones joined with ", ".
pub fn header_map(headers: &HeaderMap) -> BTreeMap<String, String> {
    headers
        .keys()
        .map(|name| {
            (
                name.as_str().to_owned(),
                header_text(headers, name.as_str()),
            )
        })
        .collect()
}
