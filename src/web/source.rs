//! The machinery behind [`EventSource`](super::EventSource): it feeds the engine what the network
//! and the timers report, and carries out the commands the engine answers with. It decides
//! nothing itself (the JavaScript face in src/js/event-source.js works the same way).
//!
//! Ownership: the user's `EventSource` holds the only strong reference to [`Shared`]. What
//! JavaScript calls back (timers, promise reactions, the lifecycle listener) are closures made by
//! [`callback`], each with a tag that says what happened. They hold a weak reference, take a
//! strong one only while they run, and belong to the JavaScript garbage collector, so a promise
//! that settles after the source is gone still finds a function to call.

use super::event::{ErrorEvent, Event, MessageEvent, ReadyState};
use super::sys::{self, get, get_bool, get_string, Function};
use crate::engine::{Command, Connection, IdHeader, Output, ResponseHead};
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::rc::{Rc, Weak};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Ref, RefCell, RefMut};
use core::task::Waker;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `setTimeout` takes delays up to 2^31 - 1 ms (a longer one fires at once); such a wait is
/// "never" for a page anyway.
const MAX_TIMER_MS: u64 = 0x7FFF_FFFF;

/// Hands a batch's events to the callbacks ([`run`]).
pub(super) type Deliver = fn(&Rc<Shared>, usize);

/// The callback slots, made by the first callback set: behind a trait object, so an app without
/// callbacks links no code of theirs (not even to drop them).
pub(super) type Handlers = [Option<Handler>; 4];

pub(super) trait Slots {
    fn slot(&mut self, slot: usize) -> Option<&mut Option<Handler>>;
}

impl Slots for Handlers {
    fn slot(&mut self, slot: usize) -> Option<&mut Option<Handler>> {
        self.get_mut(slot)
    }
}

/// A callback slot: every event, then one per event kind.
pub(super) type Handler = Box<dyn FnMut(&Event)>;
// The options' code is reached through function pointers that only the builder's methods set,
// so an app that does not use an option does not carry its code.

/// Puts the options' headers into a request's headers.
pub(super) type OwnHeaders = fn(&Shared, &Pending, &sys::Object);

/// Puts `name=value` into `url`'s query.
pub(super) type QueryFn = fn(&JsValue, &JsValue, &JsValue) -> JsValue;

/// The per-request headers closure: `(last event ID, attempt)` to extra headers, called with
/// them in one struct. A trait object taking `(&str, u32)` and returning a `Vec` has the wasm
/// signature of many of wasm-bindgen's closure shims, which one such indirect call would keep
/// alive (1.3 KB); a single pointer has one already in use.
pub(super) type HeadersFn = Box<dyn FnMut(&mut HeadersCall<'_>)>;

pub(super) struct HeadersCall<'a> {
    pub last_event_id: &'a str,
    pub attempt: u32,
    pub headers: Vec<(String, String)>,
}

pub(super) const ON_EVENT: usize = 0;
pub(super) const ON_OPEN: usize = 1;
pub(super) const ON_MESSAGE: usize = 2;
pub(super) const ON_ERROR: usize = 3;

// What a [`callback`] is called for: the tag's low 3 bits. The request's tags carry its
// generation above them, so a reaction of a request no longer current does nothing.
pub(super) const TIMER: u32 = 0;
pub(super) const HEARTBEAT: u32 = 1;
const RESUMED: u32 = 2;
const START: u32 = 3;
const RESPONSE: u32 = 4;
const FETCH_FAILED: u32 = 5;
const READ: u32 = 6;
const READ_FAILED: u32 = 7;

/// The request every connection makes; fixed at construction.
pub(super) struct Request {
    /// The URL as resolved by the constructor (the `url` attribute).
    pub url: String,
    pub with_credentials: bool,
    // The options below are JavaScript values as fetch takes them, `undefined` when not set (a
    // fetch option that is `undefined` is fetch's default: `GET`, no body, the global `fetch`).
    pub method: JsValue,
    pub body: JsValue,
    /// The static headers: an object with lowercase names (see [`start_fetch`]).
    pub headers: JsValue,
    pub fetch: JsValue,
    /// `reconnect_on_error`: how `Retry-After` is read.
    pub retry_after: Option<fn(&str) -> Option<u64>>,
    /// `last_event_id_query_parameter`: the name, and how it goes into a URL.
    pub query: Option<(JsValue, QueryFn)>,
    /// `header` or `headers_with`: [`set_own_headers`].
    pub own_headers: Option<OwnHeaders>,
}

pub(super) struct Shared {
    pub request: Request,
    /// Apart from [`State`], so the engine's commands are carried out as it gives them.
    pub engine: RefCell<Connection>,
    pub state: RefCell<State>,
    /// Taken out while one runs, so a callback may touch the source (and even set callbacks).
    pub handlers: RefCell<Option<Box<dyn Slots>>>,
    pub headers_fn: RefCell<Option<HeadersFn>>,
    pub weak: Weak<Shared>,
    /// The reconnection timer's and the heartbeat watchdog's functions (see [`callback`]).
    pub timers: [JsValue; 2],
}

/// `cell.borrow_mut()`, trapping where that would panic (see [`Shared::state`]).
pub(super) fn borrow_mut<T>(cell: &RefCell<T>) -> RefMut<'_, T> {
    cell.try_borrow_mut()
        .unwrap_or_else(|_| core::arch::wasm32::unreachable())
}

impl Shared {
    /// The state, mutably. Every borrow goes through here or [`Shared::read`]; a borrow that
    /// fails (a bug: the face never holds one while the app's code runs) traps, without the
    /// panic's message and source location in the app's data.
    pub fn state(&self) -> RefMut<'_, State> {
        borrow_mut(&self.state)
    }

    pub fn read(&self) -> Ref<'_, State> {
        self.state
            .try_borrow()
            .unwrap_or_else(|_| core::arch::wasm32::unreachable())
    }
}

/// `undefined` members when there is no body being read.
#[derive(Default)]
struct Reading {
    reader: JsValue,
    read: JsValue,
    failed: JsValue,
}

/// A request made but not yet started (it starts in a microtask, after the engine's batch).
pub(super) struct Pending {
    url: JsValue,
    /// A JavaScript string, as the header and the query parameter take it.
    last_event_id: JsValue,
    /// Send the last event ID as `Last-Event-ID` (see [`IdHeader`]): there is one, and the engine
    /// asks for the header.
    header: bool,
    attempt: u32,
}

pub(super) struct State {
    pub ready_state: ReadyState,
    /// Spec: reconnections reuse the request, whose URL is the final one after redirects (a
    /// JavaScript string, as fetch takes it and a response gives it).
    request_url: JsValue,
    /// The origin of `request_url`, for `MessageEvent::origin` and the cross-origin check.
    origin: String,
    /// Bumped by every connect and abort: a reaction whose tag has an older one does nothing.
    generation: u32,
    /// Requests started so far (the number of the next one).
    attempts: u32,
    pending: Option<Pending>,
    /// The request's `AbortController`; `undefined` when none (its `abort` and `signal` then
    /// read as nothing).
    controller: JsValue,
    /// The current response body's reader, and the reactions to its reads.
    reading: Reading,
    /// The timers, `undefined` when not armed.
    timer: Timer,
    heartbeat: Timer,
    /// When the heartbeat watchdog was last armed (at each byte), ms since the epoch; kept only
    /// with `reconnect_on_resume`, the one that asks.
    beat: f64,
    /// The `reconnect_on_resume` listeners; dropping it removes them.
    pub watcher: Option<Box<dyn Resume>>,
    /// Events for the stream; kept only while no callback is set.
    pub queue: VecDeque<Event>,
    /// How events are delivered once a callback is set ([`run`]); until then they
    /// queue for the stream.
    pub deliver: Option<Deliver>,
    pub waker: Option<Waker>,
}

impl State {
    pub fn new(url: JsValue, origin: String) -> Self {
        Self {
            ready_state: ReadyState::Connecting,
            request_url: url,
            origin,
            generation: 0,
            attempts: 0,
            pending: None,
            controller: JsValue::UNDEFINED,
            reading: Reading::default(),
            timer: Timer::default(),
            heartbeat: Timer::default(),
            beat: 0.0,
            watcher: None,
            queue: VecDeque::new(),
            deliver: None,
            waker: None,
        }
    }

    fn abort(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        self.pending = None;
        let controller = core::mem::take(&mut self.controller);
        let _ = sys::call(
            &controller,
            "abort",
            &JsValue::UNDEFINED,
            &JsValue::UNDEFINED,
        );
    }

    /// CLOSED is final: no request, no timer stays behind.
    pub fn release(&mut self) {
        self.abort();
        self.timer = Timer::default();
        self.heartbeat = Timer::default();
        self.watcher = None;
    }

    /// The tag of a reaction of the current request.
    fn tag(&self, kind: u32) -> u32 {
        self.generation << 3 | kind
    }

    /// Milliseconds since the request's last byte, where the heartbeat watchdog tells it.
    fn silence(&self) -> Option<u64> {
        (!self.heartbeat.0.is_undefined()).then(|| (sys::now() - self.beat).max(0.0) as u64)
    }
}

/// A JavaScript function that calls [`on_callback`] with `tag` and its argument. The JavaScript
/// garbage collector owns it (see the module's notes on ownership). Its type is the one
/// wasm-bindgen-futures' queue uses, so the app gets no closure glue or shim of its own for it.
pub(super) fn callback(weak: &Weak<Shared>, tag: u32) -> JsValue {
    let weak = weak.clone();
    Closure::<dyn FnMut(JsValue) -> Result<(), JsError>>::own_assert_unwind_safe(
        move |value: JsValue| {
            if let Some(shared) = weak.upgrade() {
                on_callback(&shared, tag, value);
            }
            Ok(())
        },
    )
    .into_js_value()
}

/// The page lifecycle signals `reconnect_on_resume` listens for: the global object's, then the
/// document's (src/js/lifecycle.js listens for the same).
const SIGNALS: [&str; 4] = ["online", "pageshow", "visibilitychange", "resume"];

/// What `reconnect_on_resume` adds to a source: behind a trait object, so only an app that sets
/// the option links its code (see the options' note above).
pub(super) trait Resume {
    /// What a signal does.
    fn on_signal(&self) -> fn(&Rc<Shared>, &JsValue);
    /// Now, in ms since the epoch.
    fn clock(&self) -> f64;
}

/// [`Watcher::start`], set by the builder's `reconnect_on_resume`.
pub(super) type StartWatcher = fn(&Shared) -> Box<dyn Resume>;

/// The `reconnect_on_resume` listeners, removed when dropped (CLOSED, or the source dropped).
pub(super) struct Watcher {
    listener: JsValue,
}

impl Resume for Watcher {
    fn on_signal(&self) -> fn(&Rc<Shared>, &JsValue) {
        resumed
    }

    fn clock(&self) -> f64 {
        sys::now()
    }
}

impl Watcher {
    /// Listens for the signals and hands each to the engine, which decides what follows.
    pub fn start(shared: &Shared) -> Box<dyn Resume> {
        let watcher = Self {
            listener: callback(&shared.weak, RESUMED),
        };
        watcher.each("addEventListener");
        Box::new(watcher)
    }

    fn each(&self, method: &str) {
        let global = js_sys::global();
        let document = get(&global, "document");
        for (i, kind) in SIGNALS.iter().enumerate() {
            let target = if i < 2 { &global } else { &document };
            // A worker has no document: the call fails and changes nothing.
            let _ = sys::call(target, method, &JsValue::from_str(kind), &self.listener);
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.each("removeEventListener");
    }
}

type ResumedFn = fn(&mut Connection, Option<u64>, bool, &mut Ops<'_>);

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
    /// The page came back (`reconnect_on_resume`): ms since the last byte, and online; the
    /// engine's call comes with it, so only an app with the option links it.
    Resumed(Option<u64>, bool, ResumedFn),
}

/// The engine's two timers.
#[derive(Clone, Copy)]
enum Slot {
    Reconnect,
    Heartbeat,
}

/// The engine reports text as the bytes received: this face decodes it (spec: UTF-8 decode) with
/// the glue's `TextDecoder` (`ignoreBOM`), which replaces each maximal ill-formed subpart with
/// U+FFFD as the Encoding Standard says and costs the module no decoder of its own.
fn text(bytes: &[u8]) -> String {
    sys::utf8(&JsValue::from_utf8_lossy(bytes))
}

/// Carries out the engine's commands as it gives them. Events go to the stream's queue; with
/// callbacks they wait there until the engine is no longer borrowed (a callback may call
/// `close()`). Requests, timers and `readyState` are set before the batch's events are
/// dispatched; a callback that closes the source undoes them, and [`run`] shows each callback
/// the `readyState` of its own event.
pub(super) struct Ops<'a> {
    shared: &'a Rc<Shared>,
    state: &'a mut State,
}

impl Output for Ops<'_> {
    fn command(&mut self, command: Command<'_>) {
        let state = &mut *self.state;
        let event = match command {
            Command::Connect {
                last_event_id,
                id_header,
            } => {
                let header = id_header == IdHeader::Send;
                return connect(self.shared, state, last_event_id, header);
            }
            Command::Abort => return state.abort(),
            Command::ArmTimer { milliseconds } => {
                state.timer = arm(self.shared, Slot::Reconnect, milliseconds);
                return;
            }
            Command::CancelTimer => return state.timer = Timer::default(),
            Command::ArmHeartbeat { milliseconds } => {
                // Only the resume signals ask when (see the options' note).
                if let Some(watcher) = &state.watcher {
                    state.beat = watcher.clock();
                }
                state.heartbeat = arm(self.shared, Slot::Heartbeat, milliseconds);
                return;
            }
            Command::CancelHeartbeat => return state.heartbeat = Timer::default(),
            Command::SetReadyState(ready_state) => {
                state.ready_state = ready_state;
                if ready_state == ReadyState::Closed {
                    state.release();
                }
                return;
            }
            Command::FireOpen => Event::Open,
            Command::FireMessage(event) => Event::Message(MessageEvent {
                event_type: text(event.event_type),
                data: text(event.data),
                last_event_id: text(event.last_event_id),
                origin: state.origin.clone(),
            }),
            // The engine sets `readyState` just before it fires `error`.
            Command::FireError(details) => Event::Error(ErrorEvent {
                ready_state: state.ready_state,
                status: (details.status != 0).then_some(details.status),
                reason: details.reason.into(),
                reconnect_delay: details.reconnect,
            }),
            // Only with `Options::decides`, which this face leaves off: the engine decides.
            Command::Decide(_) => return,
        };
        // Without a callback the event is the stream's at once (no code of the app's runs before
        // the batch ends); with one it waits in the queue for [`run`].
        state.queue.push_back(event);
        if state.deliver.is_none() {
            if let Some(waker) = state.waker.take() {
                waker.wake();
            }
        }
    }
}

/// Feeds one input to the engine, carrying out its commands as it gives them (see [`Ops`]), then
/// dispatches its events.
pub(super) fn feed(shared: &Rc<Shared>, input: Input<'_>) {
    let (first, deliver) = {
        let mut engine = borrow_mut(&shared.engine);
        let engine = &mut *engine;
        let mut state = shared.state();
        // Where this batch's events will begin in the queue (events the stream has not taken may
        // wait before them), and whether callbacks take them.
        let batch = (state.queue.len(), state.deliver);
        let mut ops = Ops {
            shared,
            state: &mut state,
        };
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
            Input::Resumed(silent, online, resumed) => resumed(engine, silent, online, &mut ops),
        }
        batch
    };
    if let Some(deliver) = deliver {
        deliver(shared, first);
    }
}

/// Hands a batch's events (the queue's from `first` on) to the callbacks, once one is set (until
/// then they stay queued for the stream); reached through [`State::deliver`], so only an app
/// with callbacks links it. A
/// callback sees `readyState` as it was when its event fired (`Open` for `open` and messages, the
/// error's own for `error`), and may close the source: the spec's queued tasks each check
/// `readyState` first, so the rest of the batch is dropped.
pub(super) fn run(shared: &Rc<Shared>, first: usize) {
    let (events, last) = {
        let mut state = shared.state();
        (state.queue.split_off(first), state.ready_state)
    };
    for event in events {
        shared.state().ready_state = match &event {
            Event::Error(error) => error.ready_state,
            _ => ReadyState::Open,
        };
        call_handlers(shared, &event);
        if shared.read().ready_state == ReadyState::Closed {
            return;
        }
    }
    shared.state().ready_state = last;
}

/// Calls the callback for every event, then the one for the event's kind.
fn call_handlers(shared: &Rc<Shared>, event: &Event) {
    let kind = match event {
        Event::Open => ON_OPEN,
        Event::Message(_) => ON_MESSAGE,
        Event::Error(_) => ON_ERROR,
    };
    for slot in [ON_EVENT, kind] {
        let taken = borrow_mut(&shared.handlers)
            .as_mut()
            .and_then(|handlers| handlers.slot(slot)?.take());
        if let Some(mut handler) = taken {
            handler(event);
            // Put back unless the callback set another one, or the source is closed (then every
            // callback is released).
            let closed = shared.read().ready_state == ReadyState::Closed;
            let mut handlers = borrow_mut(&shared.handlers);
            let handlers = handlers.as_mut().filter(|_| !closed);
            if let Some(empty @ None) = handlers.and_then(|handlers| handlers.slot(slot)) {
                *empty = Some(handler);
            }
        }
    }
}

/// `close()`: spec: abort the fetch, set `readyState` to CLOSED; no event fires. Pending events
/// are dropped and every callback is released.
pub(super) fn close(shared: &Rc<Shared>) {
    // The engine's CLOSED releases the request, the timers and the listeners (see [`Ops`]).
    feed(shared, Input::Close);
    let waker = {
        let mut state = shared.state();
        state.queue.clear();
        state.waker.take()
    };
    borrow_mut(&shared.handlers).take();
    borrow_mut(&shared.headers_fn).take();
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// A `setTimeout` of one of [`Shared::timers`]; dropping it clears it (`clearTimeout` of
/// `undefined`, the default, does nothing).
#[derive(Default)]
struct Timer(JsValue);

impl Drop for Timer {
    fn drop(&mut self) {
        // Harmless when it already fired (this runs inside its own callback then).
        sys::call_global("clearTimeout", &self.0);
    }
}

fn arm(shared: &Rc<Shared>, slot: Slot, milliseconds: u64) -> Timer {
    let callback = &shared.timers[slot as usize];
    let delay = JsValue::from(milliseconds.min(MAX_TIMER_MS) as f64);
    Timer(sys::call(&js_sys::global(), "setTimeout", callback, &delay).unwrap_or_default())
}

/// `promise.then(ok, failed)`.
fn then(promise: &JsValue, ok: &JsValue, failed: &JsValue) {
    // A promise's `then` does not throw.
    let _ = sys::call(promise, "then", ok, failed);
}

/// Sets up a request: the fetch the constructor and "reestablish the connection" start. The
/// fetch itself starts in a microtask, once the engine's batch is carried out.
fn connect(shared: &Rc<Shared>, state: &mut State, id: &[u8], header: bool) {
    state.abort();
    let attempt = state.attempts;
    state.attempts = attempt.wrapping_add(1);
    state.controller = sys::AbortController::new().map_or(JsValue::UNDEFINED, JsValue::from);
    state.reading = Reading::default();
    // Decoded as the events' text is (see [`text`]).
    let last_event_id = JsValue::from_utf8_lossy(id);
    let mut url = state.request_url.clone();
    if let (Some((name, with_query_parameter)), false) = (&shared.request.query, id.is_empty()) {
        url = with_query_parameter(&url, name, &last_event_id);
    }
    state.pending = Some(Pending {
        url,
        last_event_id,
        header: header && !id.is_empty(),
        attempt,
    });
    // Every engine that runs a wasm-bindgen module (reference types) has `queueMicrotask`.
    sys::call_global("queueMicrotask", &callback(&shared.weak, state.tag(START)));
}

/// What JavaScript called back for: a timer, a lifecycle signal, or a step of the current
/// request (a request's tag with an older generation does nothing).
fn on_callback(shared: &Rc<Shared>, tag: u32, value: JsValue) {
    let kind = tag & 7;
    if kind >= START && shared.read().tag(kind) != tag {
        return;
    }
    match kind {
        TIMER => {
            shared.state().timer = Timer::default();
            feed(shared, Input::Timer);
        }
        HEARTBEAT => {
            shared.state().heartbeat = Timer::default();
            feed(shared, Input::Heartbeat);
        }
        RESUMED => {
            let on_signal = shared
                .read()
                .watcher
                .as_ref()
                .map(|watcher| watcher.on_signal());
            if let Some(on_signal) = on_signal {
                on_signal(shared, &value);
            }
        }
        START => start(shared),
        RESPONSE => response(shared, &value),
        FETCH_FAILED => request_failed(shared),
        READ => {
            // `{ done, value }`: the end of the body, or a chunk.
            if get_bool(&value, "done") == Some(true) {
                return feed(shared, Input::BodyEnded);
            }
            let chunk = sys::bytes(&get(&value, "value"));
            feed(shared, Input::Chunk(&chunk));
            read(shared, tag);
        }
        _ => feed(shared, Input::BodyFailed),
    }
}

fn request_failed(shared: &Rc<Shared>) {
    // Whether the request left the page's origin (never where there is no location).
    let here = get_string(&get(&js_sys::global(), "location"), "origin");
    let cross_origin = here.is_some_and(|here| here != shared.read().origin);
    feed(shared, Input::RequestFailed { cross_origin });
}

/// A lifecycle signal (`reconnect_on_resume`).
fn resumed(shared: &Rc<Shared>, event: &JsValue) {
    let global = js_sys::global();
    // A fresh load's pageshow, and a page going hidden, are not signals.
    let hidden = get_bool(&get(&global, "document"), "hidden") == Some(true);
    if get_bool(event, "persisted") == Some(false)
        || (get_string(event, "type").as_deref() == Some("visibilitychange") && hidden)
    {
        return;
    }
    let online = get_bool(&get(&global, "navigator"), "onLine") != Some(false);
    let silent = shared.read().silence();
    feed(
        shared,
        Input::Resumed(silent, online, |engine, silent, online, ops| {
            engine.resumed(silent, online, ops);
        }),
    );
}

/// Starts the fetch of the pending request.
fn start(shared: &Rc<Shared>) {
    let (pending, signal) = {
        let mut state = shared.state();
        let signal = get(&state.controller, "signal");
        (state.pending.take(), signal)
    };
    let Some(pending) = pending else { return };
    match start_fetch(shared, &pending, signal) {
        Ok(promise) => {
            let tag = shared.read().tag(0);
            let ok = callback(&shared.weak, tag | RESPONSE);
            then(&promise, &ok, &callback(&shared.weak, tag | FETCH_FAILED));
        }
        Err(_) => request_failed(shared),
    }
}

/// The response head arrived: the engine decides, then the body is read.
fn response(shared: &Rc<Shared>, response: &JsValue) {
    let status = sys::get_number(response, "status") as u16;
    let headers = get(response, "headers");
    let content_type = header(&headers, "content-type");
    let retry_after = shared
        .request
        .retry_after
        .and_then(|parse| parse(&header(&headers, "retry-after")?));
    let tag = {
        let mut state = shared.state();
        let final_url = get(response, "url");
        if let Some(origin) = origin_of(&final_url) {
            state.origin = origin;
            state.request_url = final_url;
        }
        state.tag(READ)
    };
    feed(
        shared,
        Input::Response(ResponseHead {
            status,
            content_type: content_type.as_deref().map(str::as_bytes),
            retry_after,
        }),
    );
    // No body (or no reader) reads as an empty one.
    let reader = sys::call(
        &get(response, "body"),
        "getReader",
        &JsValue::UNDEFINED,
        &JsValue::UNDEFINED,
    );
    let mut state = shared.state();
    if state.tag(READ) != tag {
        return;
    }
    match reader {
        Ok(reader) => {
            state.reading = Reading {
                reader,
                read: callback(&shared.weak, tag),
                failed: callback(&shared.weak, tag ^ READ ^ READ_FAILED),
            };
            drop(state);
            read(shared, tag);
        }
        Err(_) => {
            drop(state);
            feed(shared, Input::BodyEnded);
        }
    }
}

/// `headers.get(name)`; `None` when there is none.
fn header(headers: &JsValue, name: &str) -> Option<String> {
    let value = sys::call(
        headers,
        "get",
        &JsValue::from_str(name),
        &JsValue::UNDEFINED,
    );
    sys::string(&value.ok()?)
}

/// Reads the next chunk of the current body, if `tag`'s request is still the current one.
fn read(shared: &Rc<Shared>, tag: u32) {
    let state = shared.read();
    if state.tag(READ) != tag {
        return;
    }
    let reading = &state.reading;
    let read = sys::call(
        &reading.reader,
        "read",
        &JsValue::UNDEFINED,
        &JsValue::UNDEFINED,
    );
    match read {
        Ok(promise) => then(&promise, &reading.read, &reading.failed),
        Err(_) => {
            drop(state);
            feed(shared, Input::BodyFailed);
        }
    }
}

/// Spec: the request the `EventSource` constructor sets up (mode `cors`, credentials mode from
/// `withCredentials`, cache mode `no-store`, `Accept: text/event-stream`), with the options'
/// method, body and headers, and `Last-Event-ID` when reconnecting with one.
fn start_fetch(shared: &Shared, pending: &Pending, signal: JsValue) -> Result<JsValue, JsValue> {
    let request = &shared.request;
    // A plain object with lowercase names (as `Headers` keeps them): an option's header
    // replaces `Accept` or an earlier one of the same name whatever its case, and an invalid one
    // fails the request as the `Headers` object would, when `fetch` reads it.
    let headers = sys::object();
    let put_header = |name: &str, value: &JsValue| sys::put(&headers, name, value);
    put_header("accept", &JsValue::from_str("text/event-stream"));
    if let Some(set_own_headers) = request.own_headers {
        set_own_headers(shared, pending, &headers);
    }
    if pending.header {
        // Header values are byte strings: one char per byte of the UTF-8 text, which is what
        // `unescape(encodeURIComponent(id))` gives (the ID is well-formed: no lone surrogate).
        let utf8 = sys::call_global("encodeURIComponent", &pending.last_event_id);
        put_header("last-event-id", &sys::call_global("unescape", &utf8));
    }
    let init = sys::object();
    let put = |key: &str, value: &str| sys::put(&init, key, &JsValue::from_str(value));
    sys::put(&init, "method", &request.method);
    sys::put(&init, "body", &request.body);
    put("mode", "cors");
    put(
        "credentials",
        match request.with_credentials {
            true => "include",
            false => "same-origin",
        },
    );
    put("cache", "no-store");
    sys::put(&init, "headers", &headers);
    sys::put(&init, "signal", &signal);
    let global = js_sys::global();
    let (fetch, context): (Function, JsValue) = match request.fetch.is_undefined() {
        false => (request.fetch.clone().unchecked_into(), JsValue::UNDEFINED),
        // Where there is no `fetch` at all, the call throws and the request fails.
        true => (get(&global, "fetch").unchecked_into(), global.into()),
    };
    let promise = fetch.call_with(&context, &pending.url, &init)?;
    Ok(js_sys::Promise::resolve(&promise).into())
}

/// The static headers, then those of the `headers_with` closure, which win.
pub(super) fn set_own_headers(shared: &Shared, pending: &Pending, headers: &sys::Object) {
    // `Object.assign(headers, static headers)`: undefined copies nothing.
    let object = get(&js_sys::global(), "Object");
    let _ = sys::call(&object, "assign", headers, &shared.request.headers);
    for (name, value) in call_headers_fn(shared, pending) {
        sys::put(
            headers,
            &name.to_ascii_lowercase(),
            &JsValue::from_str(&value),
        );
    }
}

/// The `headers_with` closure's headers for this request (none without one).
fn call_headers_fn(shared: &Shared, pending: &Pending) -> Vec<(String, String)> {
    // Taken out for the call: the closure may look at the source.
    let Some(mut headers_fn) = borrow_mut(&shared.headers_fn).take() else {
        return Vec::new();
    };
    let last_event_id = sys::utf8(&pending.last_event_id);
    let mut call = HeadersCall {
        last_event_id: &last_event_id,
        attempt: pending.attempt,
        headers: Vec::new(),
    };
    headers_fn(&mut call);
    let mut slot = borrow_mut(&shared.headers_fn);
    if slot.is_none() && shared.read().ready_state != ReadyState::Closed {
        *slot = Some(headers_fn);
    }
    call.headers
}

/// `Retry-After` (seconds or an HTTP date) in milliseconds from now; `None` when bad.
pub(super) fn retry_after_milliseconds(value: &str) -> Option<u64> {
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
    let at = sys::number("Date", "parse", &JsValue::from_str(value));
    // NaN: an unparsable date is no Retry-After.
    (!at.is_nan()).then(|| (at - sys::now()).max(0.0) as u64)
}

/// `url` with `name=value` in its query, replacing an earlier value of `name` (as the JavaScript
/// face's `withQueryParameter`).
pub(super) fn with_query_parameter(url: &JsValue, name: &JsValue, value: &JsValue) -> JsValue {
    let url = sys::utf8(url);
    // Split by byte positions of ASCII marks with `str::get` (no char searchers, no panics).
    fn cut(text: &str, mark: u8) -> (&str, Option<&str>) {
        match text.bytes().position(|b| b == mark) {
            Some(at) => (text.get(..at).unwrap_or(text), text.get(at + 1..)),
            None => (text, None),
        }
    }
    let (base, fragment) = cut(&url, b'#');
    let (path, query) = cut(base, b'?');
    let encode = |text: &JsValue| sys::utf8(&sys::call_global("encodeURIComponent", text));
    let name = encode(name);
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
    out.push_str(&encode(value));
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    JsValue::from_str(&out)
}

/// Spec: the constructor, steps 3-5: `url` parsed against the API base URL (the document's base
/// URL in a window, the worker's location in a worker).
pub(super) fn resolve_url(input: &str) -> Option<sys::Url> {
    let global = js_sys::global();
    let mut base = get(&get(&global, "document"), "baseURI");
    if base.is_undefined() {
        base = location_href();
    }
    sys::Url::new(&JsValue::from_str(input), &base).ok()
}

/// `location.href` (the window's or the worker's); `undefined` where there is none.
fn location_href() -> JsValue {
    get(&get(&js_sys::global(), "location"), "href")
}

/// The origin of `url`; `None` when it is no URL (a response from a `fetch` option may lack one).
fn origin_of(url: &JsValue) -> Option<String> {
    let url = sys::Url::new(url, &JsValue::UNDEFINED).ok()?;
    Some(sys::utf8(&get(&url, "origin")))
}
