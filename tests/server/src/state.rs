//! What the server remembers: per-key attempt counters and the recorded requests, and the demo's
//! open streams.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// One recorded request to `/sse` or `/bench`.
pub struct Record {
    pub method: String,
    /// The request target: path and query.
    pub target: String,
    pub attempt: Option<u32>,
    pub port: &'static str,
    pub headers: BTreeMap<String, String>,
}

impl Record {
    /// A request as it arrived; the attempt number is filled in by [`Shared::record`].
    pub fn new(
        method: &hyper::Method,
        target: &str,
        port: &'static str,
        headers: &hyper::HeaderMap,
    ) -> Self {
        Self {
            method: method.to_string(),
            target: target.to_owned(),
            attempt: None,
            port,
            headers: crate::script::header_map(headers),
        }
    }
}

#[derive(Default)]
pub struct Shared {
    keys: Mutex<HashMap<String, KeyState>>,
    /// Woken to end every open demo stream at once.
    pub demo_cut: Notify,
    pub demo_streams: AtomicUsize,
    /// Per key, the responses still being served (see [`InFlight`]).
    in_flight: Mutex<HashMap<String, usize>>,
}

/// A response of a key counted as in flight while this lives: from the request's arrival until
/// its body is finished or the client has gone. Tests poll `/in-flight` to see that a closed
/// `EventSource` really dropped its request.
pub struct InFlight {
    shared: Arc<Shared>,
    key: String,
}

impl InFlight {
    pub fn start(shared: &Arc<Shared>, key: &str) -> Self {
        *lock(&shared.in_flight).entry(key.to_owned()).or_default() += 1;
        Self {
            shared: Arc::clone(shared),
            key: key.to_owned(),
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(count) = lock(&self.shared.in_flight).get_mut(&self.key) {
            *count = count.saturating_sub(1);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[derive(Default)]
struct KeyState {
    attempts: u32,
    records: Vec<Record>,
}

impl Shared {
    /// Records a request; returns its attempt number when it counts as one.
    pub fn record(&self, key: &str, mut record: Record, counts: bool) -> Option<u32> {
        let mut keys = lock(&self.keys);
        let state = keys.entry(key.to_owned()).or_default();
        if counts {
            record.attempt = Some(state.attempts);
            state.attempts += 1;
        }
        let attempt = record.attempt;
        state.records.push(record);
        attempt
    }

    /// How many responses of `key` are in flight, as JSON: `{"open":N}`.
    pub fn in_flight_json(&self, key: &str) -> String {
        let open = lock(&self.in_flight).get(key).copied().unwrap_or(0);
        format!("{{\"open\":{open}}}")
    }

    /// The recorded requests of `key` as a JSON array.
    pub fn log_json(&self, key: &str) -> String {
        let keys = lock(&self.keys);
        let records = keys
            .get(key)
            .map(|state| state.records.as_slice())
            .unwrap_or(&[]);
        let items: Vec<String> = records
            .iter()
            .map(|record| {
                let headers: Vec<String> = record
                    .headers
                    .iter()
                    .map(|(name, value)| format!("{}:{}", json_string(name), json_string(value)))
                    .collect();
                format!(
                    "{{\"method\":{},\"target\":{},\"attempt\":{},\"port\":{},\"headers\":{{{}}}}}",
                    json_string(&record.method),
                    json_string(&record.target),
                    record.attempt.map_or("null".to_owned(), |a| a.to_string()),
                    json_string(record.port),
                    headers.join(",")
                )
            })
            .collect();
        format!("[{}]", items.join(","))
    }
}

/// A JSON string literal.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
