//! The Rust face (`eventsource_wasm::web`) in real browsers against the test server: the cases
//! both test crates run, tests/web.rs in a page and tests/web_worker.rs in a dedicated worker.
//! Everything is reached through the global scope, as the face does, so that each case runs in
//! both.
//!
//! Run by tests/web/run.sh, which starts tests/server and builds these tests with its origin in
//! `SSE_TEST_SERVER`, then runs them in headless Chromium, Firefox and WebKit through
//! wasm-bindgen-test. Each test uses its own server key (a random suffix: every run shares one
//! server).

use eventsource_wasm::web::{
    Error, ErrorEvent, ErrorReason, Event, EventSource, MessageEvent, ReadyState,
};
use js_sys::{Array, Promise, Reflect};
use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, milliseconds: u32) -> JsValue;
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_url(url: &str) -> Promise;
}

fn server() -> &'static str {
    // Read at run time in the browser, so not `env!`: the file must build (clippy) without it.
    match option_env!("SSE_TEST_SERVER") {
        Some(origin) => origin,
        None => panic!("SSE_TEST_SERVER is not set: run these tests with tests/web/run.sh"),
    }
}

/// Whether the test runs in WebKit (its user agent names neither Chrome nor Firefox).
fn in_webkit() -> bool {
    let agent = get(&global_get("navigator"), "userAgent");
    !agent.contains("Chrome/") && !agent.contains("Firefox/")
}

/// A property of the global object (a window's or a worker's).
fn global_get(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &name.into()).unwrap_or_default()
}

/// Whether the global object (a window's or a worker's) has this property: where a test crate's
/// cases ran.
pub(crate) fn global_has(name: &str) -> bool {
    Reflect::has(&js_sys::global(), &name.into()).unwrap_or(false)
}

/// A key no earlier run used.
fn key(name: &str) -> String {
    format!("rust-{name}-{}", (js_sys::Math::random() * 1e12) as u64)
}

/// `/sse` with `key` and the script's parameters.
fn sse(key: &str, script: &str) -> String {
    format!("{}/sse?key={key}&{script}", server())
}

/// Percent-encodes an event-stream body for a `bN=` parameter.
fn body(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

fn sleep(milliseconds: u32) -> JsFuture {
    JsFuture::from(Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, milliseconds);
    }))
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// `future`, or a test failure after `seconds`.
async fn within<T>(seconds: u32, what: &str, future: impl Future<Output = T>) -> T {
    let mut future = pin!(future);
    let mut deadline = pin!(sleep(seconds * 1000));
    std::future::poll_fn(|cx| {
        if let Poll::Ready(value) = future.as_mut().poll(cx) {
            return Poll::Ready(value);
        }
        if deadline.as_mut().poll(cx).is_ready() {
            panic!("timed out after {seconds} s waiting for {what}");
        }
        Poll::Pending
    })
    .await
}

/// The next `n` events of the stream.
async fn take(source: &mut EventSource, n: usize) -> Vec<Event> {
    let mut events = Vec::new();
    while events.len() < n {
        match within(10, "an event", source.next()).await {
            Some(event) => events.push(compared(event)),
            None => panic!("the stream ended after {events:?}"),
        }
    }
    events
}

/// Every event until the stream ends (the source closed).
async fn all(source: &mut EventSource) -> Vec<Event> {
    let mut events = Vec::new();
    while let Some(event) = within(10, "an event or the end", source.next()).await {
        events.push(compared(event));
    }
    events
}

fn message(event_type: &str, data: &str, last_event_id: &str) -> Event {
    Event::Message(MessageEvent {
        event_type: event_type.into(),
        data: data.into(),
        last_event_id: last_event_id.into(),
        origin: server().into(),
    })
}

fn error(ready_state: ReadyState, status: Option<u16>, reason: ErrorReason) -> Event {
    Event::Error(ErrorEvent {
        ready_state,
        status,
        reason,
        reconnect_delay: None,
    })
}

/// An event as the tests compare it: an error's reconnection delay must be there exactly when a
/// reconnection follows (CONNECTING); its value is checked where a test sets the delay.
fn compared(event: Event) -> Event {
    match event {
        Event::Error(error) => {
            assert_eq!(
                error.reconnect_delay.is_some(),
                error.ready_state == ReadyState::Connecting,
                "{error:?}"
            );
            Event::Error(ErrorEvent {
                reconnect_delay: None,
                ..error
            })
        }
        other => other,
    }
}

/// The server's record of `key`'s requests (not preflights): `(target, headers)`.
async fn requests(key: &str) -> Vec<(String, JsValue)> {
    let response = JsFuture::from(fetch_url(&format!("{}/log?key={key}", server())))
        .await
        .unwrap();
    let response: web_sys::Response = response.unchecked_into();
    let json = JsFuture::from(response.json().unwrap()).await.unwrap();
    let records: Array = json.unchecked_into();
    records
        .iter()
        .filter(|record| get(record, "method") != "OPTIONS")
        .map(|record| {
            let target = get(&record, "target");
            (target, Reflect::get(&record, &"headers".into()).unwrap())
        })
        .collect()
}

/// A string property; empty when absent.
fn get(object: &JsValue, name: &str) -> String {
    Reflect::get(object, &name.into())
        .ok()
        .and_then(|value| value.as_string())
        .unwrap_or_default()
}

/// The server's count of `key`'s responses still being written.
async fn in_flight(key: &str) -> f64 {
    let url = format!("{}/in-flight?key={key}", server());
    let response: web_sys::Response = JsFuture::from(fetch_url(&url))
        .await
        .unwrap()
        .unchecked_into();
    let json = JsFuture::from(response.json().unwrap()).await.unwrap();
    Reflect::get(&json, &"open".into())
        .unwrap()
        .as_f64()
        .unwrap()
}

/// Waits until the server has no response of `key` in flight: the client really went away.
async fn until_no_request_in_flight(key: &str) {
    within(10, "the server to see the request go", async {
        while in_flight(key).await > 0.0 {
            sleep(20).await.unwrap();
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn events_carry_types_ids_and_origin() {
    let key = key("events");
    let stream = "event: greet\nid: 1\ndata: hello\ndata: world\n\n: comment\ndata: two\nid: 2\n\nid\ndata: three\n\n";
    let mut source = EventSource::new(&sse(&key, &format!("b0={}", body(stream)))).unwrap();
    assert_eq!(source.ready_state(), ReadyState::Connecting);
    assert_eq!(take(&mut source, 1).await, [Event::Open]);
    assert_eq!(source.ready_state(), ReadyState::Open);
    assert_eq!(
        take(&mut source, 3).await,
        [
            message("greet", "hello\nworld", "1"),
            message("message", "two", "2"),
            message("message", "three", ""),
        ]
    );
    source.close();
    assert_eq!(source.ready_state(), ReadyState::Closed);
    assert_eq!(within(5, "the end", source.next()).await, None);
}

#[wasm_bindgen_test]
async fn reconnects_with_last_event_id_then_204_stops() {
    let key = key("reconnect");
    let script = format!(
        "b0={}&b1={}",
        body("retry: 20\nid: seven\ndata: a\n\n"),
        body("data: {lei}\n\n")
    );
    let mut source = EventSource::new(&sse(&key, &script)).unwrap();
    assert_eq!(
        all(&mut source).await,
        [
            Event::Open,
            message("message", "a", "seven"),
            error(ReadyState::Connecting, Some(200), ErrorReason::Closed),
            Event::Open,
            message("message", "seven", "seven"),
            error(ReadyState::Connecting, Some(200), ErrorReason::Closed),
            error(ReadyState::Closed, Some(204), ErrorReason::Status),
        ]
    );
    assert_eq!(source.ready_state(), ReadyState::Closed);
    let requests = requests(&key).await;
    assert_eq!(requests.len(), 3);
    assert_eq!(get(&requests[0].1, "last-event-id"), "");
    assert_eq!(get(&requests[1].1, "last-event-id"), "seven");
    assert_eq!(get(&requests[1].1, "accept"), "text/event-stream");
}

#[wasm_bindgen_test]
async fn retry_field_sets_the_reconnection_delay() {
    let key = key("retry");
    let script = format!("b0={}&b1={}", body("retry: 400\n\n"), body("data: b\n\n"));
    let mut source = EventSource::new(&sse(&key, &script)).unwrap();
    assert_eq!(
        take(&mut source, 2).await[1].clone(),
        error(ReadyState::Connecting, Some(200), ErrorReason::Closed)
    );
    let dropped = now();
    assert_eq!(take(&mut source, 1).await, [Event::Open]);
    let waited = now() - dropped;
    assert!(
        waited >= 390.0,
        "reconnected after {waited} ms, retry was 400"
    );
}

#[wasm_bindgen_test]
async fn wrong_content_type_fails_without_reconnecting() {
    let key = key("type");
    let script = format!(
        "t0=text%2Fplain&b0={}&b1={}",
        body("data: no\n\n"),
        body("data: b\n\n")
    );
    let mut source = EventSource::new(&sse(&key, &script)).unwrap();
    assert_eq!(
        all(&mut source).await,
        [error(
            ReadyState::Closed,
            Some(200),
            ErrorReason::ContentType
        )]
    );
    assert_eq!(requests(&key).await.len(), 1);
}

#[wasm_bindgen_test]
async fn server_error_fails_and_reconnect_on_error_retries_after_retry_after() {
    let key = key("status");
    let mut source = EventSource::new(&sse(&key, "s0=503&b1=x")).unwrap();
    assert_eq!(
        all(&mut source).await,
        [error(ReadyState::Closed, Some(503), ErrorReason::Status)]
    );

    let key = self::key("retry-after");
    let script = format!(
        "s0=503&h0=Retry-After:1&h0=Access-Control-Expose-Headers:Retry-After&b1={}",
        body("data: back\n\n")
    );
    let mut source = EventSource::builder(sse(&key, &script))
        .reconnect_on_error(true)
        .max_reconnect_delay(Duration::from_millis(10))
        .build()
        .unwrap();
    assert_eq!(
        take(&mut source, 1).await,
        [error(
            ReadyState::Connecting,
            Some(503),
            ErrorReason::Status
        )]
    );
    let failed = now();
    assert_eq!(
        take(&mut source, 2).await,
        [Event::Open, message("message", "back", "")]
    );
    let waited = now() - failed;
    assert!(
        waited >= 990.0,
        "retried after {waited} ms, Retry-After was 1 s"
    );
}

#[wasm_bindgen_test]
async fn close_in_a_callback_stops_the_batch() {
    let key = key("close-callback");
    let script = format!("b0={}", body("data: 1\n\ndata: 2\n\ndata: 3\n\n"));
    let source = EventSource::new(&sse(&key, &script)).unwrap();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let handle = source.handle();
    let log = seen.clone();
    source.on_event(move |event| {
        log.borrow_mut().push(event.clone());
        if matches!(event, Event::Message(_)) {
            handle.close();
            assert_eq!(handle.ready_state(), ReadyState::Closed);
        }
    });
    within(10, "the first message", async {
        while seen.borrow().len() < 2 {
            sleep(10).await.unwrap();
        }
    })
    .await;
    // The other two messages came in the same chunk: none of them reaches a callback.
    until_no_request_in_flight(&key).await;
    assert_eq!(*seen.borrow(), [Event::Open, message("message", "1", "")]);
    assert_eq!(source.ready_state(), ReadyState::Closed);
}

#[wasm_bindgen_test]
async fn close_from_the_stream_drops_the_rest_and_leaves_no_request() {
    let key = key("close-stream");
    let script = format!("b0={}&e0=hold", body("retry: 10\ndata: 1\n\ndata: 2\n\n"));
    let mut source = EventSource::new(&sse(&key, &script)).unwrap();
    assert_eq!(
        take(&mut source, 2).await,
        [Event::Open, message("message", "1", "")]
    );
    source.close();
    assert_eq!(within(5, "the end", source.next()).await, None);
    // The held response is aborted, and no reconnection follows.
    until_no_request_in_flight(&key).await;
    assert_eq!(requests(&key).await.len(), 1);
}

#[wasm_bindgen_test]
async fn drop_closes() {
    let key = key("drop");
    let script = format!("b0={}&e0=hold", body("retry: 10\ndata: 1\n\n"));
    let mut source = EventSource::new(&sse(&key, &script)).unwrap();
    let handle = source.handle();
    assert_eq!(take(&mut source, 1).await, [Event::Open]);
    drop(source);
    assert_eq!(handle.ready_state(), ReadyState::Closed);
    until_no_request_in_flight(&key).await;
    handle.close();
    assert_eq!(requests(&key).await.len(), 1);
}

#[wasm_bindgen_test]
async fn callbacks_get_the_stream_order() {
    let key = key("callbacks");
    let script = format!(
        "b0={}&b1={}",
        body("retry: 10\nevent: a\ndata: 1\n\n"),
        body("data: 2\n\n")
    );
    let source = EventSource::new(&sse(&key, &script)).unwrap();
    let seen = Rc::new(RefCell::new(Vec::<String>::new()));
    let (open, message_log, error_log, all) =
        (seen.clone(), seen.clone(), seen.clone(), seen.clone());
    source.on_open(move || open.borrow_mut().push("open".into()));
    source.on_message(move |m| {
        message_log
            .borrow_mut()
            .push(format!("{}:{}", m.event_type, m.data))
    });
    source.on_error(move |e| {
        error_log
            .borrow_mut()
            .push(format!("error:{:?}", e.ready_state))
    });
    source.on_event(move |_| all.borrow_mut().push("*".into()));
    within(10, "the source to close", async {
        while source.ready_state() != ReadyState::Closed {
            sleep(10).await.unwrap();
        }
    })
    .await;
    assert_eq!(
        *seen.borrow(),
        [
            "*",
            "open",
            "*",
            "a:1",
            "*",
            "error:Connecting",
            "*",
            "open",
            "*",
            "message:2",
            "*",
            "error:Connecting",
            "*",
            "error:Closed"
        ]
    );
}

#[wasm_bindgen_test]
async fn headers_static_and_per_request() {
    let key = key("headers");
    let script = format!(
        "b0={}&b1={}",
        body("retry: 10\nid: a\u{e9}\ndata: x\n\n"),
        body("data: y\n\n")
    );
    let mut source = EventSource::builder(sse(&key, &script))
        .header("X-Static", "s")
        .header("X-Replaced", "static")
        .header("x-case", "static")
        // An Accept of the app's replaces the standard one.
        .header("ACCEPT", "text/event-stream; q=1")
        .headers_with(|last_event_id, attempt| {
            vec![
                ("X-Attempt".into(), attempt.to_string()),
                ("X-Last".into(), body(last_event_id)),
                ("X-Replaced".into(), "dynamic".into()),
                // Names match whatever their case: one header, the closure's value.
                ("X-Case".into(), "dynamic".into()),
            ]
        })
        .build()
        .unwrap();
    all(&mut source).await;
    let requests = requests(&key).await;
    assert_eq!(requests.len(), 3);
    for (attempt, (_, headers)) in requests.iter().enumerate() {
        assert_eq!(get(headers, "x-static"), "s");
        assert_eq!(get(headers, "x-replaced"), "dynamic");
        assert_eq!(get(headers, "x-case"), "dynamic");
        assert_eq!(get(headers, "x-attempt"), attempt.to_string());
        assert_eq!(get(headers, "accept"), "text/event-stream; q=1");
    }
    assert_eq!(get(&requests[0].1, "x-last"), "");
    assert_eq!(get(&requests[1].1, "x-last"), "a%C3%A9");
    // The UTF-8 bytes of the ID, as the server reads them. WebKit's fetch departs: it sends a header
    // value's code units as UTF-8 where they are bytes (a ByteString), so the ID's UTF-8 arrives
    // encoded once more; no script can do better there (README, "Tested in").
    let sent = if in_webkit() {
        "a\u{c3}\u{a9}"
    } else {
        "a\u{e9}"
    };
    assert_eq!(get(&requests[1].1, "last-event-id"), sent);
}

#[wasm_bindgen_test]
async fn post_with_a_body() {
    let key = key("post");
    let script = format!("b0={}", body("data: {method} {body}\n\n"));
    let mut source = EventSource::builder(sse(&key, &script))
        .method("POST")
        .body("q=1")
        .header("Content-Type", "text/plain")
        .build()
        .unwrap();
    assert_eq!(
        take(&mut source, 2).await,
        [Event::Open, message("message", "POST q=1", "")]
    );
}

#[wasm_bindgen_test]
async fn max_retries_gives_up() {
    let key = key("max-retries");
    let mut source = EventSource::builder(sse(&key, "s0=503&s1=503&s2=503&s3=503&s4=503"))
        .reconnect_on_error(true)
        .max_retries(2)
        .max_reconnect_delay(Duration::from_millis(10))
        .build()
        .unwrap();
    assert_eq!(
        all(&mut source).await,
        [
            error(ReadyState::Connecting, Some(503), ErrorReason::Status),
            error(ReadyState::Connecting, Some(503), ErrorReason::Status),
            error(ReadyState::Closed, Some(503), ErrorReason::RetriesExhausted),
        ]
    );
    assert_eq!(requests(&key).await.len(), 3);
}

#[wasm_bindgen_test]
async fn heartbeat_timeout_reconnects_a_silent_stream() {
    let key = key("heartbeat");
    let script = format!(
        "b0={}&e0=hold&b1={}",
        body("data: a\n\n"),
        body("data: b\n\n")
    );
    let mut source = EventSource::builder(sse(&key, &script))
        .heartbeat_timeout(Duration::from_millis(300))
        .max_reconnect_delay(Duration::from_millis(10))
        .build()
        .unwrap();
    let started = now();
    assert_eq!(
        take(&mut source, 5).await,
        [
            Event::Open,
            message("message", "a", ""),
            error(ReadyState::Connecting, Some(200), ErrorReason::Heartbeat),
            Event::Open,
            message("message", "b", ""),
        ]
    );
    assert!(now() - started >= 290.0);
    source.close();
    until_no_request_in_flight(&key).await;
}

#[wasm_bindgen_test]
async fn last_event_id_query_parameter_and_final_url_after_redirect() {
    let first = key("redirect-from");
    let target = key("redirect-to");
    let script = format!(
        "b0={}&b1={}",
        body("retry: 10\nid: x y\ndata: 1\n\n"),
        body("data: 2\n\n")
    );
    let location = body(&format!("/sse?key={target}&{script}"));
    let mut source = EventSource::builder(sse(&first, &format!("s0=307&l0={location}")))
        .last_event_id_query_parameter("lei")
        .build()
        .unwrap();
    assert_eq!(
        take(&mut source, 5).await[3..],
        [Event::Open, message("message", "2", "x y")]
    );
    source.close();
    assert_eq!(requests(&first).await.len(), 1);
    let requests = requests(&target).await;
    assert_eq!(requests.len(), 2);
    assert!(requests[1].0.ends_with("&lei=x%20y"), "{}", requests[1].0);
}

#[wasm_bindgen_test]
async fn a_preflight_refusing_last_event_id_is_resumed_without_the_header() {
    // The runner serves the page from an origin of its own: these requests are cross-origin, and
    // with `allow=accept` the server's preflight refuses `Last-Event-ID`. One request goes again
    // at once without it; answered, the header is never sent again (the query carries the ID).
    let key = key("refused-header");
    let script = format!(
        "allow=accept&b0={}&b1={}&b2={}",
        body("retry: 20\nid: 1\ndata: a\n\n"),
        body("id: 2\ndata: [{lei}]\n\n"),
        body("data: [{lei}]\n\n")
    );
    let mut source = EventSource::builder(sse(&key, &script))
        .last_event_id_query_parameter("lei")
        .build()
        .unwrap();
    let ended = |status| error(ReadyState::Connecting, Some(status), ErrorReason::Closed);
    assert_eq!(
        take(&mut source, 8).await,
        [
            Event::Open,
            message("message", "a", "1"),
            ended(200),
            Event::Open,
            message("message", "[]", "2"),
            ended(200),
            Event::Open,
            message("message", "[]", "2"),
        ]
    );
    source.close();
    let requests = requests(&key).await;
    assert_eq!(requests.len(), 3, "{requests:?}");
    assert!(requests
        .iter()
        .all(|(_, headers)| get(headers, "last-event-id").is_empty()));
    assert!(requests[1].0.ends_with("&lei=1"), "{}", requests[1].0);
    assert!(requests[2].0.ends_with("&lei=2"), "{}", requests[2].0);
}

#[wasm_bindgen_test]
async fn max_event_size_fails_the_connection() {
    let key = key("too-large");
    let script = format!("b0={}", body("data: 0123456789\n\n"));
    let mut source = EventSource::builder(sse(&key, &script))
        .max_event_size(8)
        .build()
        .unwrap();
    assert_eq!(
        all(&mut source).await,
        [
            Event::Open,
            error(ReadyState::Closed, Some(200), ErrorReason::TooLarge)
        ]
    );
}

#[wasm_bindgen_test]
async fn callbacks_see_the_ready_state_of_their_event() {
    // A message and the error of the event after it, in one chunk: one batch of the engine's,
    // which leaves the source closed; the message's callback still sees it open.
    let key = key("state-in-callbacks");
    let script = format!("b0={}", body("data: 1\n\ndata: 0123456789\n\n"));
    let source = EventSource::builder(sse(&key, &script))
        .max_event_size(8)
        .build()
        .unwrap();
    let seen = Rc::new(RefCell::new(Vec::<String>::new()));
    let (handle, log) = (source.handle(), seen.clone());
    source.on_event(move |event| {
        let kind = match event {
            Event::Open => "open".into(),
            Event::Message(message) => format!("message {}", message.data),
            Event::Error(error) => format!("error {:?}", error.ready_state),
        };
        log.borrow_mut()
            .push(format!("{kind}: {:?}", handle.ready_state()));
    });
    within(10, "the source to close", async {
        while source.ready_state() != ReadyState::Closed {
            sleep(10).await.unwrap();
        }
    })
    .await;
    assert_eq!(
        *seen.borrow(),
        ["open: Open", "message 1: Open", "error Closed: Closed"]
    );
}

#[wasm_bindgen_test]
async fn network_error_before_open_cross_origin_fails() {
    // Port 9 is on the browsers' list of blocked ports: a network error, as a CORS refusal is.
    let mut source = EventSource::new("http://127.0.0.1:9/sse").unwrap();
    assert_eq!(
        all(&mut source).await,
        [error(ReadyState::Closed, None, ErrorReason::Cors)]
    );
}

#[wasm_bindgen_test]
async fn url_resolves_against_the_page_and_bad_input_is_refused() {
    let source = EventSource::new("/nowhere?x=1").unwrap();
    let page = get(&global_get("location"), "origin");
    assert_eq!(source.url(), format!("{page}/nowhere?x=1"));
    assert!(!source.with_credentials());
    source.close();
    assert!(matches!(
        EventSource::new("http://[::1"),
        Err(Error::InvalidUrl)
    ));
    let refused = |builder: eventsource_wasm::web::EventSourceBuilder| builder.build().err();
    assert_eq!(
        refused(EventSource::builder("/x").backoff_factor(0.5)),
        Some(Error::InvalidOption("backoff_factor"))
    );
    assert_eq!(
        refused(EventSource::builder("/x").reconnect_jitter(f64::NAN)),
        Some(Error::InvalidOption("reconnect_jitter"))
    );
    assert_eq!(
        refused(EventSource::builder("/x").max_event_size(0)),
        Some(Error::InvalidOption("max_event_size"))
    );
}

#[wasm_bindgen_test]
async fn reconnect_on_resume_ends_a_long_wait_at_once() {
    // The server sets a 10-minute reconnection time and drops; the page's `online` signal ends
    // the wait with the option, and changes nothing without it (the browser's behaviour).
    let script = format!(
        "b0={}&b1={}&e1=hold",
        body("retry: 600000\nid: 1\ndata: one\n\n"),
        body("id: 2\ndata: two after {lei}\n\n")
    );
    let (on_key, off_key) = (key("resume-on"), key("resume-off"));
    let mut source = EventSource::builder(sse(&on_key, &script))
        .reconnect_on_resume(true)
        .build()
        .unwrap();
    let mut off = EventSource::new(&sse(&off_key, &script)).unwrap();
    let waiting = [
        Event::Open,
        message("message", "one", "1"),
        error(ReadyState::Connecting, Some(200), ErrorReason::Closed),
    ];
    assert_eq!(take(&mut source, 3).await, waiting);
    assert_eq!(take(&mut off, 3).await, waiting);
    js_sys::eval("dispatchEvent(new Event('online'))").unwrap();
    assert_eq!(
        take(&mut source, 2).await,
        [Event::Open, message("message", "two after 1", "2")]
    );
    let log = requests(&on_key).await;
    assert_eq!(log.len(), 2);
    assert_eq!(get(&log[1].1, "last-event-id"), "1");
    assert_eq!(requests(&off_key).await.len(), 1);
    assert_eq!(off.ready_state(), ReadyState::Connecting);
    source.close();
    off.close();
}
