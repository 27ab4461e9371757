//! The machinery behind [`EventSource`](super::EventSource): it feeds the engine what the network
//! and the timers report, and carries out the commands the engine answers with. It decides
//! nothing itself (the JavaScript face in src/js/event-source.js works the same way).
//!
//! Ownership: the user's `EventSource` holds the only strong reference to [`Shared`]. The request
//! task and the timer closures hold weak ones, so dropping the `EventSource` frees everything; each
//! of them takes a strong reference only while it runs, never across an `await`.

use super::event::{ErrorEvent, Event, MessageEvent, ReadyState};
use super::sys;
use crate::engine::{Command, Connection, ErrorDetails, IdHeader, Output, ResponseHead};
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::rc::{Rc, Weak};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::task::Waker;
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, AbortSignal, Headers, ReadableStreamDefaultReader, RequestCache,
    RequestCredentials, RequestInit, RequestMode, Response, Url,
};

/// `setTimeout` takes delays up to 2^31 - 1 ms (a longer one fires at once); such a wait is
/// "never" for a page anyway.
const MAX_TIMER_MS: u64 = 0x7FFF_FFFF;

/// A callback slot: every event, then one per event kind.
pub(super) type Handler = Box<dyn FnMut(&Event)>;
/// The per-request headers closure: `(last event ID, attempt)` to extra headers.
pub(super) type HeadersFn = Box<dyn FnMut(&str, u32) -> Vec<(String, String)>>;

pub(super) const ON_EVENT: usize = 0;
pub(super) const ON_OPEN: usize = 1;
pub(super) const ON_MESSAGE: usize = 2;
pub(super) const ON_ERROR: usize = 3;

/// The request every connection makes; fixed at construction.
pub(super) struct Request {
    /// The URL as resolved by the constructor (the `url` attribute).
    pub url: String,
    pub with_credentials: bool,
    pub method: String,
    pub body: Option<String>,
    pub headers: Vec<(String, String)>,
    pub fetch: Option<Function>,
    pub reconnect_on_error: bool,
    pub last_event_id_query_parameter: Option<String>,
}

pub(super) struct Shared {
    pub request: Request,
    pub state: RefCell<State>,
    /// Taken out while one runs, so a callback may touch the source (and even set callbacks).
    pub handlers: RefCell<[Option<Handler>; 4]>,
    pub headers_fn: RefCell<Option<HeadersFn>>,
}

pub(super) struct State {
    engine: Connection,
    pub ready_state: ReadyState,
    /// Spec: reconnections reuse the request, whose URL is the final one after redirects.
    request_url: String,
    /// The origin of `request_url`, for `MessageEvent::origin`.
    origin: String,
    /// Bumped by every connect and abort: a request task whose number is no longer current stops.
    generation: u32,
    /// Requests started so far (the number of the next one).
    attempts: u32,
    controller: Option<AbortController>,
    timer: Option<Timer>,
    heartbeat: Option<Timer>,
    /// When the heartbeat watchdog was last armed (at each byte), ms since the epoch.
    beat: f64,
    /// The `reconnect_on_resume` listeners; dropping it removes them.
    pub watcher: Option<Watcher>,
    /// The status of the current request's response, once it arrived.
    status: Option<u16>,
    /// Events for the stream; kept only while no callback is set.
    pub queue: VecDeque<Event>,
    pub buffering: bool,
    pub waker: Option<Waker>,
}

impl State {
    pub fn new(engine: Connection, url: &str) -> Self {
        Self {
            engine,
            ready_state: ReadyState::Connecting,
            request_url: url.into(),
            origin: origin_of(url),
            generation: 0,
            attempts: 0,
            controller: None,
            timer: None,
            heartbeat: None,
            beat: 0.0,
            watcher: None,
            status: None,
            queue: VecDeque::new(),
            buffering: true,
            waker: None,
        }
    }

    fn abort(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if let Some(controller) = self.controller.take() {
            controller.abort();
        }
    }

    /// CLOSED is final: no request, no timer stays behind.
    fn release(&mut self) {
        self.abort();
        self.timer = None;
        self.heartbeat = None;
        self.watcher = None;
    }
}

/// The page lifecycle signals `reconnect_on_resume` listens for: the global object's, then the
/// document's (src/js/lifecycle.js listens for the same).
const SIGNALS: [&str; 4] = ["online", "pageshow", "visibilitychange", "resume"];

/// The `reconnect_on_resume` listeners, removed when dropped (CLOSED, or the source dropped).
pub(super) struct Watcher {
    listener: Closure<dyn FnMut(sys::LifecycleEvent)>,
}

impl Watcher {
    /// Listens for the signals and hands each to the engine, which decides what follows.
    pub fn new(shared: &Rc<Shared>) -> Self {
        let weak = Rc::downgrade(shared);
        let listener = Closure::<dyn FnMut(sys::LifecycleEvent)>::own_aborting(
            move |event: sys::LifecycleEvent| {
                let Some(shared) = weak.upgrade() else { return };
                // A fresh load's pageshow, and a page going hidden, are not signals.
                let hidden = sys::DOCUMENT.with(|d| d.as_ref().is_some_and(sys::Document::hidden));
                if event.persisted() == Some(false)
                    || (event.kind() == "visibilitychange" && hidden)
                {
                    return;
                }
                let online = sys::NAVIGATOR.with(|n| n.as_ref().and_then(sys::Navigator::on_line))
                    != Some(false);
                let silent = shared.state.borrow().silence();
                feed(&shared, Input::Resumed(silent, online));
            },
        );
        let watcher = Self { listener };
        watcher.each(true);
        watcher
    }

    fn each(&self, add: bool) {
        for (i, kind) in SIGNALS.iter().enumerate() {
            if i < 2 {
                if add {
                    sys::add_global_listener(kind, &self.listener);
                } else {
                    sys::remove_global_listener(kind, &self.listener);
                }
            } else {
                sys::DOCUMENT.with(|document| match document {
                    Some(d) if add => d.add_listener(kind, &self.listener),
                    Some(d) => d.remove_listener(kind, &self.listener),
                    None => {}
                });
            }
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.each(false);
    }
}

impl State {
    /// Milliseconds since the request's last byte, where the heartbeat watchdog tells it.
    fn silence(&self) -> Option<u64> {
        self.heartbeat
            .as_ref()
            .map(|_| (js_sys::Date::now() - self.beat).max(0.0) as u64)
    }
}

/// What the I/O reports to the engine.
#[derive(Clone, Copy)]
pub(super) enum Input<'a> {
    Start,
    Response(ResponseHead<'a>),
    Chunk(&'a [u8]),
    BodyEnded,
    BodyFailed,
    RequestFailed {
        cross_origin: bool,
    },
    Timer,
    Heartbeat,
    Close,
    /// The page came back (`reconnect_on_resume`): ms since the last byte, and online.
    Resumed(Option<u64>, bool),
}

/// A command the engine gave, owned, to be carried out once the engine is no longer borrowed
/// (a callback may call `close()`).
enum Op {
    /// A request; `header`: the last event ID goes as `Last-Event-ID` (see [`IdHeader`]).
    Connect {
        last_event_id: String,
        header: bool,
    },
    Abort,
    Arm(Slot, u64),
    Cancel(Slot),
    ReadyState(ReadyState),
    Open,
    Message {
        event_type: String,
        data: String,
        last_event_id: String,
    },
    Error(ErrorDetails),
}

/// The engine's two timers.
#[derive(Clone, Copy)]
enum Slot {
    Reconnect,
    Heartbeat,
}

/// The engine reports text as the bytes received: this face decodes it (spec: UTF-8 decode).
fn text(bytes: &[u8]) -> String {
    crate::engine::decode::decode_lossy(bytes).into_owned()
}

struct Ops(Vec<Op>);

impl Output for Ops {
    fn command(&mut self, command: Command<'_>) {
        self.0.push(match command {
            Command::Connect {
                last_event_id,
                id_header,
            } => Op::Connect {
                last_event_id: text(last_event_id),
                header: id_header == IdHeader::Send,
            },
            Command::Abort => Op::Abort,
            Command::ArmTimer { milliseconds } => Op::Arm(Slot::Reconnect, milliseconds),
            Command::CancelTimer => Op::Cancel(Slot::Reconnect),
            Command::ArmHeartbeat { milliseconds } => Op::Arm(Slot::Heartbeat, milliseconds),
            Command::CancelHeartbeat => Op::Cancel(Slot::Heartbeat),
            Command::SetReadyState(state) => Op::ReadyState(state),
            Command::FireOpen => Op::Open,
            Command::FireMessage(event) => Op::Message {
                event_type: text(event.event_type),
                data: text(event.data),
                last_event_id: text(event.last_event_id),
            },
            Command::FireError(details) => Op::Error(details),
            // Only with `Options::decides`, which this face leaves off: the engine decides.
            Command::Decide(_) => return,
        });
    }
}

/// A `setTimeout` and the closure it calls; dropping it clears both.
struct Timer {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Drop for Timer {
    fn drop(&mut self) {
        // Harmless when it already fired (this runs inside its own callback then; wasm-bindgen
        // frees a closure dropped during its call only after the call returns).
        sys::clear_timeout(&self.id);
    }
}

/// Feeds one input to the engine, then carries out the commands it answered with.
pub(super) fn feed(shared: &Rc<Shared>, input: Input<'_>) {
    let mut ops = Ops(Vec::new());
    {
        let mut state = shared.state.borrow_mut();
        let engine = &mut state.engine;
        match input {
            Input::Start => engine.start(&mut ops),
            Input::Response(head) => engine.response_head(head, &mut ops),
            Input::Chunk(bytes) => engine.body_chunk(bytes, &mut ops),
            Input::BodyEnded => engine.body_ended(&mut ops),
            Input::BodyFailed => engine.network_error(&mut ops),
            Input::RequestFailed { cross_origin } => engine.request_failed(cross_origin, &mut ops),
            Input::Timer => engine.timer_fired(&mut ops),
            Input::Heartbeat => engine.heartbeat_expired(&mut ops),
            Input::Close => engine.close(&mut ops),
            Input::Resumed(silent, online) => engine.resumed(silent, online, &mut ops),
        }
    }
    run(shared, ops.0);
}

/// Carries out commands in order. After each event, a callback may have closed the source: the
/// spec's queued tasks each check `readyState` first, so the rest of the batch is dropped.
fn run(shared: &Rc<Shared>, ops: Vec<Op>) {
    for op in ops {
        let event = {
            let mut state = shared.state.borrow_mut();
            let state = &mut *state;
            match op {
                Op::Connect {
                    last_event_id,
                    header,
                } => {
                    connect(shared, state, last_event_id, header);
                    continue;
                }
                Op::Abort => {
                    state.abort();
                    continue;
                }
                Op::Arm(slot, milliseconds) => {
                    let timer = Some(arm(shared, slot, milliseconds));
                    match slot {
                        Slot::Reconnect => state.timer = timer,
                        Slot::Heartbeat => {
                            state.beat = js_sys::Date::now();
                            state.heartbeat = timer;
                        }
                    }
                    continue;
                }
                Op::Cancel(Slot::Reconnect) => {
                    state.timer = None;
                    continue;
                }
                Op::Cancel(Slot::Heartbeat) => {
                    state.heartbeat = None;
                    continue;
                }
                Op::ReadyState(ready_state) => {
                    state.ready_state = ready_state;
                    if ready_state == ReadyState::Closed {
                        state.release();
                    }
                    continue;
                }
                Op::Open => Event::Open,
                Op::Message {
                    event_type,
                    data,
                    last_event_id,
                } => Event::Message(MessageEvent {
                    event_type,
                    data,
                    last_event_id,
                    origin: state.origin.clone(),
                }),
                Op::Error(details) => Event::Error(ErrorEvent {
                    ready_state: state.ready_state,
                    status: (details.status != 0).then_some(details.status),
                    reason: details.reason.into(),
                    reconnect_delay: details.reconnect,
                }),
            }
        };
        dispatch(shared, event);
        if shared.state.borrow().ready_state == ReadyState::Closed {
            return;
        }
    }
}

/// Hands an event to the callbacks, or to the stream when there are none.
fn dispatch(shared: &Rc<Shared>, event: Event) {
    let kind = match event {
        Event::Open => ON_OPEN,
        Event::Message(_) => ON_MESSAGE,
        Event::Error(_) => ON_ERROR,
    };
    for slot in [ON_EVENT, kind] {
        let taken = shared
            .handlers
            .borrow_mut()
            .get_mut(slot)
            .and_then(Option::take);
        if let Some(mut handler) = taken {
            handler(&event);
            // Put back unless the callback set another one, or the source is closed (then every
            // callback is released).
            let closed = shared.state.borrow().ready_state == ReadyState::Closed;
            let mut handlers = shared.handlers.borrow_mut();
            if let Some(empty @ None) = handlers.get_mut(slot).filter(|_| !closed) {
                *empty = Some(handler);
            }
        }
    }
    let mut state = shared.state.borrow_mut();
    if state.buffering {
        state.queue.push_back(event);
        if let Some(waker) = state.waker.take() {
            waker.wake();
        }
    }
}

/// `close()`: spec: abort the fetch, set `readyState` to CLOSED; no event fires. Pending events
/// are dropped and every callback is released.
pub(super) fn close(shared: &Rc<Shared>) {
    feed(shared, Input::Close);
    let waker = {
        let mut state = shared.state.borrow_mut();
        state.release();
        state.queue.clear();
        state.waker.take()
    };
    *shared.handlers.borrow_mut() = Default::default();
    shared.headers_fn.borrow_mut().take();
    if let Some(waker) = waker {
        waker.wake();
    }
}

fn arm(shared: &Rc<Shared>, slot: Slot, milliseconds: u64) -> Timer {
    let weak = Rc::downgrade(shared);
    let callback = Closure::<dyn FnMut()>::own_aborting(move || {
        if let Some(shared) = weak.upgrade() {
            let input = {
                let mut state = shared.state.borrow_mut();
                match slot {
                    Slot::Reconnect => {
                        state.timer = None;
                        Input::Timer
                    }
                    Slot::Heartbeat => {
                        state.heartbeat = None;
                        Input::Heartbeat
                    }
                }
            };
            feed(&shared, input);
        }
    });
    let id = sys::set_timeout(&callback, milliseconds.min(MAX_TIMER_MS) as u32);
    Timer {
        id,
        _callback: callback,
    }
}

/// Starts a request: the fetch the constructor and "reestablish the connection" start.
fn connect(shared: &Rc<Shared>, state: &mut State, last_event_id: String, header: bool) {
    state.abort();
    state.status = None;
    let generation = state.generation;
    let attempt = state.attempts;
    state.attempts = attempt.wrapping_add(1);
    let controller = AbortController::new().ok();
    let signal = controller.as_ref().map(AbortController::signal);
    state.controller = controller;
    let mut url = state.request_url.clone();
    if let (Some(name), false) = (
        &shared.request.last_event_id_query_parameter,
        last_event_id.is_empty(),
    ) {
        url = with_query_parameter(&url, name, &last_event_id);
    }
    wasm_bindgen_futures::spawn_local(request(
        Rc::downgrade(shared),
        generation,
        url,
        last_event_id,
        header,
        attempt,
        signal,
    ));
}

/// The source, if it still exists and `generation` is still its current request.
fn current(weak: &Weak<Shared>, generation: u32) -> Option<Rc<Shared>> {
    weak.upgrade()
        .filter(|shared| shared.state.borrow().generation == generation)
}

/// One request, from fetch to the end of its body.
async fn request(
    weak: Weak<Shared>,
    generation: u32,
    url: String,
    last_event_id: String,
    header: bool,
    attempt: u32,
    signal: Option<AbortSignal>,
) {
    let promise = match current(&weak, generation) {
        Some(shared) => start_fetch(
            &shared,
            &url,
            &last_event_id,
            header,
            attempt,
            signal.as_ref(),
        ),
        None => return,
    };
    let response = match promise {
        Ok(promise) => JsFuture::from(promise).await,
        Err(error) => Err(error),
    };
    let Some(shared) = current(&weak, generation) else {
        return;
    };
    let response: Response = match response {
        Ok(response) => response.unchecked_into(),
        Err(_) => {
            let cross_origin = is_cross_origin(&shared.state.borrow().request_url);
            feed(&shared, Input::RequestFailed { cross_origin });
            return;
        }
    };
    let status = response.status();
    let headers = response.headers();
    let content_type = headers.get("content-type").ok().flatten();
    let retry_after = match shared.request.reconnect_on_error {
        true => headers
            .get("retry-after")
            .ok()
            .flatten()
            .and_then(|value| retry_after_milliseconds(&value)),
        false => None,
    };
    {
        let mut state = shared.state.borrow_mut();
        let final_url = response.url();
        if !final_url.is_empty() {
            state.origin = origin_of(&final_url);
            state.request_url = final_url;
        }
        state.status = Some(status);
    }
    feed(
        &shared,
        Input::Response(ResponseHead {
            status,
            content_type: content_type.as_deref().map(str::as_bytes),
            retry_after,
        }),
    );
    drop(shared);
    let reader = response
        .body()
        .and_then(|body| ReadableStreamDefaultReader::new(&body).ok());
    loop {
        let read = match &reader {
            Some(reader) if current(&weak, generation).is_some() => {
                JsFuture::from(reader.read()).await
            }
            _ => Ok(JsValue::UNDEFINED),
        };
        let Some(shared) = current(&weak, generation) else {
            return;
        };
        let result = match read {
            Ok(result) => result.unchecked_into::<sys::ReadResult>(),
            Err(_) => return feed(&shared, Input::BodyFailed),
        };
        // No body (or no reader) reads as an empty one.
        if reader.is_none() || result.done() {
            return feed(&shared, Input::BodyEnded);
        }
        // `to_vec`, not `copy_to`: the latter's length assertion links number formatting.
        feed(&shared, Input::Chunk(&result.value().to_vec()));
    }
}

/// Spec: the request the `EventSource` constructor sets up (mode `cors`, credentials mode from
/// `withCredentials`, cache mode `no-store`, `Accept: text/event-stream`), with the options'
/// method, body and headers, and `Last-Event-ID` when reconnecting with one.
fn start_fetch(
    shared: &Shared,
    url: &str,
    last_event_id: &str,
    header: bool,
    attempt: u32,
    signal: Option<&AbortSignal>,
) -> Result<Promise, JsValue> {
    let request = &shared.request;
    let headers = Headers::new()?;
    let mut has_accept = false;
    let mut set = |name: &str, value: &str| {
        has_accept |= name.eq_ignore_ascii_case("accept");
        headers.set(name, value)
    };
    for (name, value) in &request.headers {
        set(name, value)?;
    }
    // Taken out for the call: the closure may look at the source.
    let headers_fn = shared.headers_fn.borrow_mut().take();
    if let Some(mut headers_fn) = headers_fn {
        let extra = headers_fn(last_event_id, attempt);
        let mut slot = shared.headers_fn.borrow_mut();
        if slot.is_none() && shared.state.borrow().ready_state != ReadyState::Closed {
            *slot = Some(headers_fn);
        }
        drop(slot);
        for (name, value) in &extra {
            set(name, value)?;
        }
    }
    if !has_accept {
        headers.set("Accept", "text/event-stream")?;
    }
    if header && !last_event_id.is_empty() {
        // Header values are byte strings: one char per byte of the UTF-8 text.
        let bytes: String = last_event_id.bytes().map(char::from).collect();
        headers.set("Last-Event-ID", &bytes)?;
    }
    let init = RequestInit::new();
    init.set_method(&request.method);
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    init.set_mode(RequestMode::Cors);
    init.set_credentials(match request.with_credentials {
        true => RequestCredentials::Include,
        false => RequestCredentials::SameOrigin,
    });
    init.set_cache(RequestCache::NoStore);
    init.set_signal(signal);
    match &request.fetch {
        Some(fetch) => fetch
            .call2(&JsValue::UNDEFINED, &JsValue::from_str(url), &init)
            .map(|promise| Promise::resolve(&promise)),
        None => sys::fetch(url, &init),
    }
}

/// `Retry-After` (seconds or an HTTP date) in milliseconds from now; `None` when bad.
fn retry_after_milliseconds(value: &str) -> Option<u64> {
    // Digits between optional spaces (by bytes: `str::trim` would bring Unicode tables).
    let mut seconds: Option<u64> = None;
    let mut after_digits = false;
    let mut digits_only = true;
    for &byte in value.as_bytes() {
        match byte {
            b'0'..=b'9' if !after_digits => {
                let n = seconds.unwrap_or(0).saturating_mul(10);
                seconds = Some(n.saturating_add(u64::from(byte - b'0')));
            }
            b' ' | b'\t' => after_digits = seconds.is_some(),
            _ => digits_only = false,
        }
    }
    if let (Some(seconds), true) = (seconds, digits_only) {
        return Some(seconds.saturating_mul(1000));
    }
    let at = js_sys::Date::parse(value);
    // NaN: an unparsable date is no Retry-After.
    (!at.is_nan()).then(|| (at - js_sys::Date::now()).max(0.0) as u64)
}

/// `url` with `name=value` in its query, replacing an earlier value of `name` (as the JavaScript
/// face's `withQueryParameter`).
fn with_query_parameter<'a>(url: &'a str, name: &str, value: &str) -> String {
    // Split by byte positions of ASCII marks with `str::get` (no char searchers, no panics).
    let cut = |text: &'a str, mark: u8| -> (&'a str, Option<&'a str>) {
        match text.bytes().position(|b| b == mark) {
            Some(at) => (text.get(..at).unwrap_or(text), text.get(at + 1..)),
            None => (text, None),
        }
    };
    let (base, fragment) = cut(url, b'#');
    let (path, query) = cut(base, b'?');
    let name = String::from(js_sys::encode_uri_component(name));
    let mut out = String::from(path);
    out.push('?');
    let mut rest = query.unwrap_or("");
    while !rest.is_empty() {
        let (part, next) = cut(rest, b'&');
        if !part.is_empty() && cut(part, b'=').0 != name {
            out.push_str(part);
            out.push('&');
        }
        rest = next.unwrap_or("");
    }
    out.push_str(&name);
    out.push('=');
    out.push_str(&String::from(js_sys::encode_uri_component(value)));
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// Spec: the constructor, steps 3-5: `url` parsed against the API base URL (the document's base
/// URL in a window, the worker's location in a worker).
pub(super) fn resolve_url(input: &str) -> Option<String> {
    let base = match sys::DOCUMENT.with(|document| document.as_ref().map(sys::Document::base_uri)) {
        Some(base) => Some(base),
        None => location_href(),
    };
    match base {
        Some(base) => Url::new_with_base(input, &base),
        None => Url::new(input),
    }
    .ok()
    .map(|url| url.href())
}

fn location_href() -> Option<String> {
    sys::LOCATION.with(|location| location.as_ref().map(sys::Location::href))
}

fn origin_of(url: &str) -> String {
    Url::new(url).map(|url| url.origin()).unwrap_or_default()
}

/// Whether a request to `url` leaves the page's origin (never where there is no location).
fn is_cross_origin(url: &str) -> bool {
    location_href().is_some_and(|here| origin_of(&here) != origin_of(url))
}
