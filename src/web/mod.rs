//! `EventSource` for Rust WebAssembly apps (Leptos, Yew, Dioxus, plain wasm-bindgen): the
//! crate's spec-exact engine driven over `fetch`, with the options the browser's own
//! `EventSource` lacks. Feature `web`; target `wasm32-unknown-unknown`.
//!
//! ```no_run
//! use eventsource_wasm::web::{Event, EventSource};
//!
//! # fn main() -> Result<(), eventsource_wasm::web::Error> {
//! // As a stream of typed events (futures::StreamExt::next works too):
//! let mut source = EventSource::new("/updates")?;
//! wasm_bindgen_futures::spawn_local(async move {
//!     while let Some(event) = source.next().await {
//!         match event {
//!             Event::Open => {}
//!             Event::Message(message) => web_sys::console::log_1(&message.data.into()),
//!             Event::Error(error) => web_sys::console::log_1(&format!("{error:?}").into()),
//!         }
//!     }
//! });
//!
//! // Or with callbacks and options; dropping the source closes it.
//! let source = EventSource::builder("/prices")
//!     .header("Authorization", "Bearer token")
//!     .headers_with(|last_event_id, attempt| {
//!         vec![("X-Attempt".into(), attempt.to_string()), ("X-Seen".into(), last_event_id.into())]
//!     })
//!     .heartbeat_timeout(std::time::Duration::from_secs(45))
//!     .backoff_factor(2.0)
//!     .max_reconnect_delay(std::time::Duration::from_secs(60))
//!     .reconnect_jitter(0.3)
//!     .reconnect_on_error(true)
//!     .build()?;
//! let handle = source.handle();
//! source.on_message(move |message| {
//!     if message.data == "bye" {
//!         handle.close();
//!     }
//! });
//! # std::mem::forget(source);
//! # Ok(())
//! # }
//! ```
//!
//! What it does, as the standard says (WHATWG HTML, "Server-sent events"): `url` resolves against
//! the document's base URL (the worker's location in a worker); each request is a `fetch` with
//! mode `cors`, cache mode `no-store`, `Accept: text/event-stream`, credentials only with
//! [`with_credentials`](EventSourceBuilder::with_credentials), and `Last-Event-ID` when it
//! reconnects, to the final URL after redirects. A 200 `text/event-stream` response opens it; any
//! other response fails it (no reconnection); a dropped connection reconnects after the
//! reconnection time (the server's `retry:`). Every such decision is the crate's
//! [`engine`](crate::engine)'s; this module does the I/O, the timers and the delivery.
//!
//! Events arrive in order either through the [`Stream`](futures_core::Stream) the source is, or
//! through callbacks ([`on_event`](EventSource::on_event), [`on_open`](EventSource::on_open),
//! [`on_message`](EventSource::on_message), [`on_error`](EventSource::on_error)): once a callback
//! is set, events go to the callbacks and no longer queue up for the stream. A callback that
//! closes the source (through a [`Handle`]) stops delivery at once, as `close()` in a listener
//! does.
//!
//! It runs in windows and in dedicated, shared and service workers: everything is reached
//! through the global scope, not `window`.

mod event;
mod source;
mod sys;

pub use event::{ErrorEvent, ErrorReason, Event, MessageEvent, ReadyState};

use crate::engine::{Connection, Options, ReconnectPolicy};
use alloc::boxed::Box;
use alloc::rc::{Rc, Weak};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::future::poll_fn;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use source::{Input, Request, Shared, State, ON_ERROR, ON_EVENT, ON_MESSAGE, ON_OPEN};
use wasm_bindgen::JsValue;

/// Why an `EventSource` could not be constructed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// The URL does not parse against the base URL (where the browser's constructor throws a
    /// `SyntaxError`).
    InvalidUrl,
    /// An option is out of range (named): a backoff factor below 1 or not a number, a jitter
    /// outside 0 to 1, a maximum event size of 0.
    InvalidOption(&'static str),
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Error::InvalidUrl => f.write_str("invalid EventSource URL"),
            Error::InvalidOption(name) => write!(f, "invalid EventSource option '{name}'"),
        }
    }
}

impl core::error::Error for Error {}

/// A server-sent events connection. Closed when dropped.
///
/// It is a [`Stream`](futures_core::Stream) of [`Event`]s that ends after the source closes.
pub struct EventSource {
    shared: Rc<Shared>,
}

/// Builds an [`EventSource`] with options; [`EventSource::builder`] makes one.
///
/// Without options it behaves as the browser's own `EventSource`.
pub struct EventSourceBuilder {
    url: String,
    request: Request,
    headers_fn: Option<source::HeadersFn>,
    options: Options,
    backoff_factor: f64,
    reconnect_jitter: f64,
    /// `backoff_factor` or `reconnect_jitter`: [`tune`] (see source.rs on the options' code).
    tune: Option<Tune>,
    /// `reconnect_on_resume` (see source.rs on the options' code).
    watcher: Option<source::StartWatcher>,
}

/// A weak handle on an [`EventSource`], to close it from a callback or elsewhere. It does not keep
/// the source alive: once the source is dropped, the handle reads `Closed` and does nothing.
#[derive(Clone)]
pub struct Handle {
    shared: Weak<Shared>,
}

impl EventSource {
    /// Connects to `url` as `new EventSource(url)` does.
    pub fn new(url: &str) -> Result<Self, Error> {
        Self::builder(url).build()
    }

    /// A builder, for options.
    pub fn builder(url: impl Into<String>) -> EventSourceBuilder {
        EventSourceBuilder {
            url: url.into(),
            request: Request {
                url: String::new(),
                with_credentials: false,
                method: JsValue::UNDEFINED,
                body: JsValue::UNDEFINED,
                headers: JsValue::UNDEFINED,
                fetch: JsValue::UNDEFINED,
                retry_after: None,
                query: None,
                own_headers: None,
            },
            headers_fn: None,
            options: Options::default(),
            backoff_factor: 1.0,
            reconnect_jitter: 0.0,
            tune: None,
            watcher: None,
        }
    }

    /// `readyState`.
    pub fn ready_state(&self) -> ReadyState {
        self.shared.read().ready_state
    }

    /// The URL, as resolved at construction (the `url` attribute).
    pub fn url(&self) -> &str {
        &self.shared.request.url
    }

    /// Whether requests carry credentials to other origins (the `withCredentials` attribute).
    pub fn with_credentials(&self) -> bool {
        self.shared.request.with_credentials
    }

    /// `close()`: aborts the request, stops every timer, sets `readyState` to `Closed`. No event
    /// fires; events not yet taken from the stream are dropped and the stream ends; callbacks are
    /// released.
    pub fn close(&self) {
        source::close(&self.shared);
    }

    /// A weak handle to close the source from a callback.
    pub fn handle(&self) -> Handle {
        Handle {
            shared: Rc::downgrade(&self.shared),
        }
    }

    /// The next event; `None` once the source is closed and every event before was taken.
    // Not an `async fn`: its state machine would wrap the poll function for nothing (100 B).
    #[allow(clippy::should_implement_trait)] // the async `next` of a stream, as `StreamExt::next`
    pub fn next(&mut self) -> impl core::future::Future<Output = Option<Event>> + '_ {
        poll_fn(|cx| self.poll_event(cx))
    }

    /// Calls `callback` with every event (before the per-kind callbacks). Replaces an earlier one.
    pub fn on_event(&self, callback: impl FnMut(&Event) + 'static) {
        self.set_handler(ON_EVENT, Box::new(callback));
    }

    /// Calls `callback` when the connection opens. Replaces an earlier one.
    pub fn on_open(&self, mut callback: impl FnMut() + 'static) {
        self.set_handler(ON_OPEN, Box::new(move |_: &Event| callback()));
    }

    /// Calls `callback` with every message. Replaces an earlier one.
    pub fn on_message(&self, mut callback: impl FnMut(&MessageEvent) + 'static) {
        self.set_handler(
            ON_MESSAGE,
            Box::new(move |event: &Event| {
                if let Event::Message(message) = event {
                    callback(message);
                }
            }),
        );
    }

    /// Calls `callback` with every error. Replaces an earlier one.
    pub fn on_error(&self, mut callback: impl FnMut(&ErrorEvent) + 'static) {
        self.set_handler(
            ON_ERROR,
            Box::new(move |event: &Event| {
                if let Event::Error(error) = event {
                    callback(error);
                }
            }),
        );
    }

    fn set_handler(&self, slot: usize, handler: source::Handler) {
        if self.ready_state() == ReadyState::Closed {
            return;
        }
        self.shared.state().deliver = Some(source::run);
        let mut handlers = source::borrow_mut(&self.shared.handlers);
        let handlers = handlers.get_or_insert_with(|| Box::new(source::Handlers::default()));
        if let Some(empty) = handlers.slot(slot) {
            *empty = Some(handler);
        }
    }

    fn poll_event(&self, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        let mut state = self.shared.state();
        if let Some(event) = state.queue.pop_front() {
            return Poll::Ready(Some(event));
        }
        if state.ready_state == ReadyState::Closed {
            return Poll::Ready(None);
        }
        state.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl futures_core::Stream for EventSource {
    type Item = Event;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.poll_event(cx)
    }
}

impl Drop for EventSource {
    fn drop(&mut self) {
        // `close()`, less what goes with the source itself: queued events, callbacks, the waker
        // of a stream no one can poll any more. The engine's CLOSED releases the request, the
        // timers and the listeners (once closed, they were released then).
        source::feed(&self.shared, Input::Close);
    }
}

impl Handle {
    /// Closes the source (see [`EventSource::close`]); nothing once it is gone.
    pub fn close(&self) {
        if let Some(shared) = self.shared.upgrade() {
            source::close(&shared);
        }
    }

    /// The source's `readyState`; `Closed` once it is gone.
    pub fn ready_state(&self) -> ReadyState {
        self.shared
            .upgrade()
            .map_or(ReadyState::Closed, |shared| shared.read().ready_state)
    }
}

impl EventSourceBuilder {
    /// Send cookies and HTTP authentication to other origins too (`withCredentials`): credentials
    /// mode `include` instead of `same-origin`.
    pub fn with_credentials(mut self, with_credentials: bool) -> Self {
        self.request.with_credentials = with_credentials;
        self
    }

    /// An extra request header, sent with every request, reconnections included.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.own_headers = Some(source::set_own_headers);
        if self.request.headers.is_undefined() {
            self.request.headers = sys::object().into();
        }
        // Lowercase, as `Headers` keeps names: a later header of the same name replaces this one
        // whatever its case.
        let name = name.into().to_ascii_lowercase();
        let headers = wasm_bindgen::JsCast::unchecked_ref(&self.request.headers);
        sys::put(headers, &name, &JsValue::from_str(&value.into()));
        self
    }

    /// Extra headers computed before every request from the last event ID (empty before the
    /// first event with an ID) and the attempt (0 for the first request, then 1, 2, … for each
    /// reconnection): a fresh token, say. They come after the static ones and win over them.
    pub fn headers_with(
        mut self,
        mut headers: impl FnMut(&str, u32) -> Vec<(String, String)> + 'static,
    ) -> Self {
        self.request.own_headers = Some(source::set_own_headers);
        self.headers_fn = Some(Box::new(move |call: &mut source::HeadersCall<'_>| {
            call.headers = headers(call.last_event_id, call.attempt);
        }));
        self
    }

    /// The request method (default `GET`).
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.request.method = JsValue::from_str(&method.into());
        self
    }

    /// A request body, sent with every request (use a method that takes one, e.g. `POST`).
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.request.body = JsValue::from_str(&body.into());
        self
    }

    /// The function that makes the requests instead of the global `fetch`, called as
    /// `fetch(url, init)` (a wrapper adding auth, a test double).
    pub fn fetch(mut self, fetch: js_sys::Function) -> Self {
        self.request.fetch = fetch.into();
        self
    }

    /// Take the connection as dead and reconnect when no byte (comments count) arrives for this
    /// long: a half-open connection otherwise hangs forever.
    pub fn heartbeat_timeout(mut self, timeout: Duration) -> Self {
        self.options.heartbeat_timeout = Some(milliseconds(timeout));
        self
    }

    /// Each consecutive failed reconnection multiplies the delay by this (at least 1; default 1);
    /// the server's `retry:` still sets the base.
    pub fn backoff_factor(mut self, factor: f64) -> Self {
        self.backoff_factor = factor;
        self.tune = Some(tune);
        self
    }

    /// Up to this fraction (0 to 1) of each delay is taken off at random, so clients spread out.
    pub fn reconnect_jitter(mut self, fraction: f64) -> Self {
        self.reconnect_jitter = fraction;
        self.tune = Some(tune);
        self
    }

    /// No reconnection delay is longer than this.
    pub fn max_reconnect_delay(mut self, delay: Duration) -> Self {
        self.options.policy.max_delay = milliseconds(delay);
        self
    }

    /// After this many consecutive failures without an open, fail (`Closed`) instead of
    /// reconnecting.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.options.policy.max_retries = retries;
        self
    }

    /// Reconnect after 5xx and 429 responses (waiting for `Retry-After`) and after network errors
    /// before the first open, where the browser's `EventSource` fails.
    pub fn reconnect_on_error(mut self, reconnect: bool) -> Self {
        self.options.reconnect_on_error = reconnect;
        self.request.retry_after = reconnect.then_some(source::retry_after_milliseconds as _);
        self
    }

    /// When the page comes back (`online`, shown from the back/forward cache, visible again,
    /// resumed after being frozen), a source waiting out a reconnection delay, or silent past the
    /// heartbeat timeout, reconnects at once with `Last-Event-ID`; a healthy stream is left
    /// alone. Off by default, as the browser's `EventSource` does nothing then.
    pub fn reconnect_on_resume(mut self, reconnect: bool) -> Self {
        self.watcher = reconnect.then_some(source::Watcher::start as _);
        self
    }

    /// Also send the last event ID as this query parameter (for proxies that strip headers, and
    /// to keep cross-origin reconnections free of a preflight).
    pub fn last_event_id_query_parameter(mut self, name: impl Into<String>) -> Self {
        let name = JsValue::from_str(&name.into());
        self.request.query = Some((name, source::with_query_parameter));
        self
    }

    /// Bytes one event may hold; a bigger one fails the connection with an error instead of
    /// growing memory. Unbounded by default.
    pub fn max_event_size(mut self, bytes: usize) -> Self {
        self.options.max_event_size = Some(bytes);
        self
    }

    /// Constructs the source; it connects at once.
    pub fn build(mut self) -> Result<EventSource, Error> {
        if let Some(tune) = self.tune {
            tune(
                &mut self.options,
                self.backoff_factor,
                self.reconnect_jitter,
            )?;
        }
        if self.options.max_event_size == Some(0) {
            return Err(Error::InvalidOption("max_event_size"));
        }
        let url = source::resolve_url(&self.url).ok_or(Error::InvalidUrl)?;
        let href = sys::get(&url, "href");
        self.request.url = sys::utf8(&href);
        let state = State::new(href, sys::utf8(&sys::get(&url, "origin")));
        let shared = Rc::new_cyclic(|weak| Shared {
            engine: RefCell::new(Connection::new(self.options)),
            request: self.request,
            state: RefCell::new(state),
            handlers: RefCell::new(None),
            headers_fn: RefCell::new(self.headers_fn),
            weak: weak.clone(),
            timers: [
                source::callback(weak, source::TIMER),
                source::callback(weak, source::HEARTBEAT),
            ],
        });
        if let Some(watch) = self.watcher {
            let watcher = watch(&shared);
            shared.state().watcher = Some(watcher);
        }
        source::feed(&shared, Input::Start);
        Ok(EventSource { shared })
    }
}

type Tune = fn(&mut Options, f64, f64) -> Result<(), Error>;

/// Checks and sets the backoff factor and the jitter (the defaults need neither).
fn tune(options: &mut Options, backoff_factor: f64, jitter: f64) -> Result<(), Error> {
    // A range check also refuses NaN.
    if !(1.0..=f64::INFINITY).contains(&backoff_factor) {
        return Err(Error::InvalidOption("backoff_factor"));
    }
    if !(0.0..=1.0).contains(&jitter) {
        return Err(Error::InvalidOption("reconnect_jitter"));
    }
    options.policy = ReconnectPolicy {
        // Millionths, rounded; the cast saturates, so a huge factor is the largest one.
        backoff_millionths: (backoff_factor * f64::from(crate::engine::FACTOR_ONE) + 0.5) as u32,
        jitter_permille: (jitter * 1000.0) as u32,
        ..options.policy
    };
    // The jitter's random numbers.
    options.seed = (sys::number("Math", "random", &JsValue::UNDEFINED) * 4_294_967_296.0) as u32;
    Ok(())
}

fn milliseconds(duration: Duration) -> u64 {
    duration
        .as_secs()
        .saturating_mul(1000)
        .saturating_add(u64::from(duration.subsec_millis()))
}
