//! The connection state machine of one `EventSource`, sans I/O.
//!
//! Spec: "Processing model" of "Server-sent events". The I/O layer reports what happened (a
//! response head, a body chunk, the end of the body, a network error, a timer, `close()`); the
//! connection answers with [`Command`]s in the order they must take effect. `readyState` changes
//! are reported just before the event that goes with them, as the spec's queued tasks do.

use super::parser::{Event, EventStreamParser, EventTooLarge, Fed, ParserSink};
use super::policy::{Random, ReconnectPolicy};
use super::response::announces_event_stream;

/// The reconnection time before any `retry` field sets one, in milliseconds.
/// Spec: "implementation-defined, probably in the region of a few seconds"; Chromium uses 3000.
pub const DEFAULT_RECONNECTION_TIME: u64 = 3000;

/// `EventSource.readyState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ReadyState {
    Connecting = 0,
    Open = 1,
    Closed = 2,
}

/// Why `error` fired: what failed, as the engine decided it. The JavaScript face adds one reason
/// of its own (the engine failed to load), which the engine cannot report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Failure {
    /// The request or the body failed with a network error.
    Network = 0,
    /// The response's status was not 200 (spec: "if res's status is not 200 ... fail").
    Status = 1,
    /// A 200 response that was not `text/event-stream`.
    ContentType = 2,
    /// A cross-origin request failed before this source ever opened: a CORS refusal.
    Cors = 3,
    /// No byte arrived for the heartbeat timeout.
    Heartbeat = 4,
    /// An event exceeded the maximum event size.
    TooLarge = 5,
    /// The reconnection limit was reached.
    RetriesExhausted = 6,
    /// The response body ended (spec: the connection "closed gracefully").
    Ended = 7,
    /// The page aborted the fetch (`window.stop()`).
    Aborted = 8,
    /// The request can never be made (credentials in the URL, a scheme fetch cannot speak).
    Request = 9,
    /// The page's headers function failed.
    Headers = 10,
}

/// What an `error` event reports: why, the response's status (0: no response), and the
/// reconnection that follows (`None`: none, the connection is CLOSED).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorDetails {
    pub reason: Failure,
    pub status: u16,
    /// Milliseconds until the reconnection, when one follows.
    pub reconnect: Option<u64>,
}

/// The page's answer to [`Command::Decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// What the engine proposed.
    Default,
    /// Fail the connection.
    Fail,
    /// Reconnect, after this many milliseconds (`None`: the engine's delay), even where the
    /// engine would have failed.
    Reconnect(Option<u64>),
}

/// Whether a request carries the last event ID as `Last-Event-ID`. A script's cross-origin
/// request with that header needs a CORS preflight (native `EventSource` sends it without one),
/// and a server that does not allow the header refuses it: to a script exactly like a network
/// error. The engine finds that out with one request without the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdHeader {
    /// Send it (when the ID is not empty).
    Send = 0,
    /// The request that sent it failed cross-origin: this one goes at once without it. If it is
    /// answered, the server refused the header.
    Probe = 1,
    /// A request without it was answered right after one with it failed: never send it again
    /// (the I/O layer may still carry the ID in the query).
    Refused = 2,
}

/// What the I/O layer must do, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command<'a> {
    /// Start a request: `GET`, cache mode `no-store`, header `Accept: text/event-stream`, and
    /// `Last-Event-ID: last_event_id` when it is not empty and `id_header` is
    /// [`IdHeader::Send`] (spec: "The `Last-Event-ID` header").
    Connect {
        last_event_id: &'a [u8],
        id_header: IdHeader,
    },
    /// Abort the request in flight.
    Abort,
    /// Wait this many milliseconds, then report [`Connection::timer_fired`].
    ArmTimer { milliseconds: u64 },
    /// Forget the armed timer.
    CancelTimer,
    /// `readyState` is now this.
    SetReadyState(ReadyState),
    /// Fire `open`.
    FireOpen,
    /// Fire a `MessageEvent`.
    FireMessage(Event<'a>),
    /// Fire `error`, with why and what follows.
    FireError(ErrorDetails),
    /// Ask the page what follows this failure (only with [`Options::decides`], and an [`Output`]
    /// whose [`Output::DECIDES`] is true); the engine waits,
    /// CONNECTING, for [`Connection::decide`]. The details are the engine's own proposal.
    Decide(ErrorDetails),
    /// (Re)start the watchdog: report [`Connection::heartbeat_expired`] if no byte arrives for
    /// this many milliseconds. Only with a heartbeat timeout.
    ArmHeartbeat { milliseconds: u64 },
    /// Stop the watchdog.
    CancelHeartbeat,
}

/// Receives the commands a connection produces.
pub trait Output {
    /// Whether this output carries out [`Command::Decide`] (answering with
    /// [`Connection::decide`]). Without it [`Options::decides`] is ignored, and the deciding code is
    /// left out of the build: an output that never decides costs nothing for it.
    const DECIDES: bool = false;

    fn command(&mut self, command: Command<'_>);
}

/// Settings fixed when the `EventSource` is constructed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Bound on one event's size in bytes (as received): its data (each value plus its LF) and its
    /// type. Any line, complete or not (a huge comment, say), may be 7 bytes longer, room for a
    /// field name; however the body is chunked, exceeding either fails the connection. `None`:
    /// unbounded.
    pub max_event_size: Option<usize>,
    /// The reconnection time until the server sends `retry`.
    pub reconnection_time: u64,
    /// Backoff, jitter, cap and retry limit for reconnections (default: native behaviour).
    pub policy: ReconnectPolicy,
    /// Reconnect after 5xx and 429 responses (honouring `Retry-After`) and after network errors
    /// before the first open, instead of failing as native `EventSource` does.
    pub reconnect_on_error: bool,
    /// Reconnect when no byte (comments included) arrives for this long, in milliseconds.
    pub heartbeat_timeout: Option<u64>,
    /// Seed for the jitter's random numbers.
    pub seed: u32,
    /// The page decides after each failure whether and when to reconnect ([`Command::Decide`]).
    pub decides: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_event_size: None,
            reconnection_time: DEFAULT_RECONNECTION_TIME,
            policy: ReconnectPolicy::default(),
            reconnect_on_error: false,
            heartbeat_timeout: None,
            seed: 1,
            decides: false,
        }
    }
}

/// A response head, after redirects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseHead<'a> {
    pub status: u16,
    /// The `Content-Type` header value; `None` when there is none.
    pub content_type: Option<&'a [u8]>,
    /// `Retry-After` in milliseconds from now, when present and valid.
    pub retry_after: Option<u64>,
}

/// Where the connection is in its life. `readyState` is derived from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Not started yet.
    Idle,
    /// A request is in flight; no response head yet.
    Requesting,
    /// The response announced an event stream; its body is being read.
    Streaming,
    /// Waiting for the reconnection timer.
    Waiting,
    /// Waiting for the page's [`Decision`] on a failure.
    Deciding,
    /// A request is in flight that silently replaces a stream ended at an event boundary
    /// ([`Connection::recycle`]); to the page the connection stays open.
    Reopening,
    /// `close()` was called or the connection failed. Nothing happens any more.
    Closed,
}

/// One `EventSource`'s connection state machine.
#[derive(Debug)]
pub struct Connection {
    phase: Phase,
    parser: EventStreamParser,
    /// Spec: the event source's reconnection time, in milliseconds.
    reconnection_time: u64,
    /// A response has announced the stream at least once.
    opened: bool,
    /// Reconnections since the last successful open.
    failures: u32,
    policy: ReconnectPolicy,
    reconnect_on_error: bool,
    /// With a heartbeat timeout: `heartbeat_timeout` is it. A flag and a number rather than an
    /// `Option<u64>`: each test is of a byte, not of a 64-bit tag.
    heartbeat: bool,
    heartbeat_timeout: u64,
    random: Random,
    decides: bool,
    /// The status of the current request's response (0: none yet).
    status: u16,
    /// While [`Phase::Deciding`]: the failure, and the delay a reconnection would take.
    pending: ErrorDetails,
    pending_delay: u64,
    /// The failure being reported is a dead connection found by [`Connection::resumed`]: it is
    /// reestablished without delay.
    resuming: bool,
    /// How requests send the last event ID, and whether the one in flight sent it as a header.
    id_header: IdHeader,
    sent_id_header: bool,
}

impl Connection {
    pub fn new(options: Options) -> Self {
        Self {
            phase: Phase::Idle,
            parser: EventStreamParser::new(options.max_event_size),
            reconnection_time: options.reconnection_time,
            opened: false,
            failures: 0,
            policy: options.policy,
            reconnect_on_error: options.reconnect_on_error,
            heartbeat: options.heartbeat_timeout.is_some(),
            heartbeat_timeout: options.heartbeat_timeout.unwrap_or(0),
            random: Random::new(options.seed),
            decides: options.decides,
            status: 0,
            pending: ErrorDetails {
                reason: Failure::Network,
                status: 0,
                reconnect: None,
            },
            pending_delay: 0,
            resuming: false,
            id_header: IdHeader::Send,
            sent_id_header: false,
        }
    }

    /// `readyState`.
    pub fn ready_state(&self) -> ReadyState {
        match self.phase {
            Phase::Idle | Phase::Requesting | Phase::Waiting | Phase::Deciding => {
                ReadyState::Connecting
            }
            Phase::Streaming | Phase::Reopening => ReadyState::Open,
            Phase::Closed => ReadyState::Closed,
        }
    }

    /// The last event ID string, as received (see [`Event`]).
    pub fn last_event_id(&self) -> &[u8] {
        self.parser.last_event_id()
    }

    /// The current reconnection time in milliseconds.
    pub fn reconnection_time(&self) -> u64 {
        self.reconnection_time
    }

    /// The constructor's fetch (spec: the `EventSource(url, eventSourceInitDict)` constructor,
    /// the last steps). Does nothing unless the connection is new.
    pub fn start(&mut self, out: &mut impl Output) {
        if self.phase == Phase::Idle {
            self.connect(out);
        }
    }

    /// A response head arrived, after redirects. `content_type` is the `Content-Type` header
    /// value, `None` when there is none.
    pub fn response(&mut self, status: u16, content_type: Option<&[u8]>, out: &mut impl Output) {
        let head = ResponseHead {
            status,
            content_type,
            retry_after: None,
        };
        self.response_head(head, out);
    }

    /// A response head arrived, after redirects.
    pub fn response_head(&mut self, head: ResponseHead<'_>, out: &mut impl Output) {
        let ResponseHead {
            status,
            content_type,
            retry_after,
        } = head;
        if !self.requesting() {
            return;
        }
        if self.id_header == IdHeader::Probe {
            // Answered without the header, right after the request with it failed.
            self.id_header = IdHeader::Refused;
        }
        self.status = status;
        if announces_event_stream(status, content_type) {
            let reopening = self.phase == Phase::Reopening;
            self.phase = Phase::Streaming;
            self.opened = true;
            self.failures = 0;
            self.parser.begin_stream();
            if !reopening {
                // Spec: "announce the connection": set readyState to OPEN and fire `open`.
                out.command(Command::SetReadyState(ReadyState::Open));
                out.command(Command::FireOpen);
            }
        } else if self.reconnect_on_error && (status >= 500 || status == 429) {
            // Opt-in: a server error or rate limit is retried, after Retry-After when given.
            out.command(Command::Abort);
            // No Retry-After is a wait of 0: the reconnection delay decides alone.
            self.failure(Failure::Status, true, retry_after.unwrap_or(0), out);
        } else {
            // Spec: "if res's status is not 200, or if res's `Content-Type` is not
            // `text/event-stream`, then fail the connection".
            let reason = if status == 200 {
                Failure::ContentType
            } else {
                Failure::Status
            };
            self.failure(reason, false, 0, out);
        }
    }

    /// A chunk of the response body arrived.
    pub fn body_chunk(&mut self, chunk: &[u8], out: &mut impl Output) {
        if self.phase != Phase::Streaming {
            return;
        }
        let mut sink = Dispatch {
            out,
            reconnection_time: &mut self.reconnection_time,
        };
        let fed = self.parser.feed(chunk, &mut sink);
        if self.heartbeat && fed == Ok(Fed::All) {
            out.command(Command::ArmHeartbeat {
                milliseconds: self.heartbeat_timeout,
            });
        }
        match fed {
            Ok(Fed::All) => {}
            // A recycle was asked for: the rest of the chunk comes again after the resume.
            Ok(Fed::ResumePoint) => self.reopen(out),
            // The configured maximum event size was exceeded: a clear error, not unbounded growth.
            Err(EventTooLarge) => self.failure(Failure::TooLarge, false, 0, out),
        }
    }

    /// The response body ended. Spec: "When a user agent is to reestablish the connection" applies
    /// "whether the connection is closed gracefully or unexpectedly".
    pub fn body_ended(&mut self, out: &mut impl Output) {
        self.ended(false, Failure::Ended, true, out);
    }

    /// The request failed with a network error (before or during the body). Spec: "if res is a
    /// network error, then reestablish the connection".
    pub fn network_error(&mut self, out: &mut impl Output) {
        self.ended(false, Failure::Network, true, out);
    }

    /// A request (`requesting`: one with no response head yet; else a request or its body) ended
    /// in a failure for `reason`, reestablished or not: the inputs that do nothing else, as one
    /// call (the JS ABI takes them from a table).
    pub(crate) fn ended(
        &mut self,
        requesting: bool,
        reason: Failure,
        reestablish: bool,
        out: &mut impl Output,
    ) {
        if self.requesting() || (!requesting && self.phase == Phase::Streaming) {
            self.failure(reason, reestablish, 0, out);
        }
    }

    /// A request is in flight (or being prepared), no stream yet.
    fn requesting(&self) -> bool {
        matches!(self.phase, Phase::Requesting | Phase::Reopening)
    }

    /// A request or its body is in flight.
    fn live(&self) -> bool {
        self.requesting() || self.phase == Phase::Streaming
    }

    /// The request can never succeed, and the I/O layer found so before making it: the URL holds
    /// credentials, or its scheme is one fetch cannot speak. Fetch would answer it with a network
    /// error at once (Fetch, "main fetch": a URL with credentials in a request whose mode is
    /// "cors" (the EventSource constructor's) is a network error in Chromium; "scheme fetch" gives
    /// a network error for unknown schemes). Spec: "reestablish the connection, unless the user
    /// agent knows that to be futile, in which case the user agent may fail the connection": it is
    /// futile, so this fails, whatever the options say.
    pub fn request_impossible(&mut self, out: &mut impl Output) {
        self.ended(true, Failure::Request, false, out);
    }

    /// The page's headers function, called before the request, failed. `fatal` (a TypeError: no
    /// request with such headers can ever be made) fails the connection; anything else (a token
    /// refresh that failed for now) is a failed attempt, reestablished as a network error is.
    pub fn headers_failed(&mut self, fatal: bool, out: &mut impl Output) {
        self.ended(true, Failure::Headers, !fatal, out);
    }

    /// The request failed with a network error before any response head arrived.
    ///
    /// Spec: "if res is a network error, then reestablish the connection, unless the user agent
    /// knows that to be futile, in which case the user agent may fail the connection." A script
    /// sees a CORS refusal as exactly such an error, and browsers fail the connection on it; so a
    /// cross-origin request failing before this source ever opened is taken as futile and fails.
    /// Every other network error reestablishes.
    #[inline(always)]
    pub fn request_failed(&mut self, cross_origin: bool, out: &mut impl Output) {
        if !self.requesting() {
            return;
        }
        if cross_origin && !self.opened && !self.reconnect_on_error {
            self.failure(Failure::Cors, false, 0, out);
        } else if cross_origin && self.sent_id_header && self.phase == Phase::Requesting {
            // Perhaps a preflight refused `Last-Event-ID` (see [`IdHeader`]): ask again at once
            // without it; a server that was merely down fails this one too. Not for a recycled
            // request (Reopening, the page sees OPEN): a restart that cannot resume is no restart
            // to make invisibly, so that failure is reestablished like any other, and the probe
            // comes with the next request.
            self.id_header = IdHeader::Probe;
            self.request(out);
        } else {
            if self.id_header == IdHeader::Probe {
                // Failed without the header too: the network, not the header.
                self.id_header = IdHeader::Send;
            }
            self.reestablish(Failure::Network, out);
        }
    }

    /// The fetch was aborted by something other than this connection: the page stopped loading
    /// (`window.stop()`) or the document is going away. Spec: "Processing model": "if res is an
    /// aborted network error, then fail the connection" (the note under "reestablish the
    /// connection": it does not apply "when fetch is aborted by the user agent, e.g., in response
    /// to window.stop()"). Never a reconnection, whatever the options say.
    pub fn aborted(&mut self, out: &mut impl Output) {
        self.ended(false, Failure::Aborted, false, out);
    }

    /// No byte arrived for the heartbeat timeout: the connection is taken to be dead (a half-open
    /// TCP connection never reports an error) and is reestablished as if it had dropped.
    pub fn heartbeat_expired(&mut self, out: &mut impl Output) {
        if self.heartbeat && self.live() {
            out.command(Command::Abort);
            self.reestablish(Failure::Heartbeat, out);
        }
    }

    /// The page came back to life: the runtime reported it online again, shown from the
    /// back/forward cache, visible again, or resumed after being frozen (the `reconnectOnResume`
    /// option; native `EventSource` does nothing then). Connections left behind while the page
    /// was away are reestablished at once, resuming with `Last-Event-ID`; a healthy one is left
    /// alone.
    ///
    /// - Waiting out a reconnection delay (however long, a server's `retry: 600000` included):
    ///   the wait ends now (the timer is armed again with 0 ms); then the fetch of "reestablish
    ///   the connection", step 5, starts (the `error` that began the wait has fired already;
    ///   `readyState` stays CONNECTING).
    /// - A request or stream in flight that has been silent (`silent_for`: milliseconds since
    ///   its last byte, or since the request when none came; `None`: unknown) for at least the
    ///   heartbeat timeout: it is taken for dead, as the watchdog would, and reestablished
    ///   without delay. Without a heartbeat timeout a quiet stream cannot be told from a dead
    ///   one, and is kept.
    /// - `online` false (the runtime says it is offline): nothing, a request would fail at once.
    ///   So is a connection waiting for the page's decision, new, or closed.
    pub fn resumed(&mut self, silent_for: Option<u64>, online: bool, out: &mut impl Output) {
        if !online {
            return;
        }
        if self.phase == Phase::Waiting {
            // The armed timer is replaced by one that runs out now: the fetch starts in a task of
            // its own, after the signal's (a runtime may report itself online a moment before its
            // network stack is), and several signals in a row still make one request.
            out.command(Command::ArmTimer { milliseconds: 0 });
        } else if self.live()
            && self.heartbeat
            && silent_for.is_some_and(|silent| silent >= self.heartbeat_timeout)
        {
            // As the watchdog's expiry, without the reconnection delay: the page was away, the
            // silence is the network's, not the server's.
            self.resuming = true;
            self.heartbeat_expired(out);
        }
    }

    /// The reconnection timer fired.
    pub fn timer_fired(&mut self, out: &mut impl Output) {
        if self.phase == Phase::Waiting {
            // Spec: reestablish, step 5: "if the EventSource object's readyState attribute is not
            // set to CONNECTING, then return", else fetch again with Last-Event-ID.
            self.connect(out);
        }
    }

    /// `close()`. Spec: "abort any instances of the fetch algorithm started for this EventSource
    /// object, and set the readyState attribute to CLOSED". No event fires.
    pub fn close(&mut self, out: &mut impl Output) {
        match self.phase {
            Phase::Requesting | Phase::Streaming | Phase::Reopening => out.command(Command::Abort),
            Phase::Waiting => out.command(Command::CancelTimer),
            // A decision still to come is ignored when it comes.
            Phase::Idle | Phase::Deciding => {}
            Phase::Closed => return,
        }
        self.cancel_heartbeat(out);
        self.phase = Phase::Closed;
        out.command(Command::SetReadyState(ReadyState::Closed));
    }

    /// Ends the stream at the next resume point and requests it again with `Last-Event-ID`,
    /// invisibly to the page: no event, no `readyState` change. For transports whose memory
    /// grows with the stream (XMLHttpRequest keeps the whole response). A resume point is the end
    /// of a block that set the event ID: the server resends exactly what follows, so nothing is
    /// lost or repeated. Returns whether the restart happened now; otherwise it happens during a
    /// later [`body_chunk`](Self::body_chunk) (streams without IDs are never restarted).
    pub fn recycle(&mut self, out: &mut impl Output) -> bool {
        // Without `Last-Event-ID` the server could not resume where the stream was cut.
        if self.phase != Phase::Streaming || self.id_header == IdHeader::Refused {
            return false;
        }
        if self.parser.at_resume_point() {
            self.reopen(out);
            return true;
        }
        self.parser.stop_at_resume_point();
        false
    }

    fn reopen(&mut self, out: &mut impl Output) {
        out.command(Command::Abort);
        self.phase = Phase::Reopening;
        self.request(out);
    }

    /// The page's answer to [`Command::Decide`]. Ignored unless the engine is waiting for one
    /// (after `close()`, say).
    pub fn decide(&mut self, decision: Decision, out: &mut impl Output) {
        match decision {
            Decision::Default => self.decided(false, false, None, out),
            Decision::Fail => self.decided(true, false, None, out),
            Decision::Reconnect(delay) => self.decided(false, true, delay, out),
        }
    }

    /// [`decide`](Self::decide) with the decision in parts: `fail`, or `reconnect` after `delay`
    /// (`None`: the engine's delay), else the engine's proposal. The JS ABI's form: no 64-bit
    /// enum tag to build and test.
    #[inline(always)]
    pub(crate) fn decided(
        &mut self,
        fail: bool,
        reconnect: bool,
        delay: Option<u64>,
        out: &mut impl Output,
    ) {
        if self.phase != Phase::Deciding {
            return;
        }
        let mut details = self.pending;
        if fail {
            details.reconnect = None;
        } else if reconnect {
            details.reconnect = Some(delay.unwrap_or(self.pending_delay));
        }
        self.conclude(details, out);
    }

    /// Starts a request (and the watchdog, with a heartbeat timeout).
    #[inline(never)]
    fn request(&mut self, out: &mut impl Output) {
        self.status = 0;
        let last_event_id = self.parser.last_event_id();
        self.sent_id_header = self.id_header == IdHeader::Send && !last_event_id.is_empty();
        out.command(Command::Connect {
            last_event_id,
            id_header: self.id_header,
        });
        if self.heartbeat {
            out.command(Command::ArmHeartbeat {
                milliseconds: self.heartbeat_timeout,
            });
        }
    }

    fn cancel_heartbeat(&self, out: &mut impl Output) {
        if self.heartbeat {
            out.command(Command::CancelHeartbeat);
        }
    }

    fn connect(&mut self, out: &mut impl Output) {
        self.phase = Phase::Requesting;
        self.request(out);
    }

    /// Spec: "When a user agent is to reestablish the connection": set readyState to CONNECTING,
    /// fire `error`, wait the reconnection time (step 3: "optionally, wait some more", which is
    /// where backoff and jitter apply), then fetch again.
    fn reestablish(&mut self, reason: Failure, out: &mut impl Output) {
        self.failure(reason, true, 0, out);
    }

    /// Every failure ends here. `reestablish`: false to fail the connection, else true with the
    /// `retry_after` to honour (0: none; a reconnection never waits less than the delay anyway).
    /// A flag and a number, not an `Option<u64>`: a 64-bit tag less to pass and test in the
    /// module. The error reports the reason, the status and what follows; with
    /// [`Options::decides`] the page is asked first (except where reconnecting is never right:
    /// an aborted fetch, an impossible request, headers that can never be sent).
    fn failure<O: Output>(
        &mut self,
        reason: Failure,
        reestablish: bool,
        retry_after: u64,
        out: &mut O,
    ) {
        // The delay a reconnection takes: counted on every failure, so that a page that turns a
        // failure into a reconnection gets the policy's backoff too.
        self.failures = self.failures.saturating_add(1);
        let delay = if core::mem::take(&mut self.resuming) {
            0
        } else {
            self.policy
                .delay(self.reconnection_time, self.failures, &mut self.random)
        };
        let mut reason = reason;
        let mut reconnect = None;
        if reestablish {
            if self.policy.gives_up(self.failures) {
                reason = Failure::RetriesExhausted;
            } else {
                reconnect = Some(retry_after.max(delay));
            }
        }
        let details = ErrorDetails {
            reason,
            status: self.status,
            reconnect,
        };
        let final_only = matches!(reason, Failure::Aborted | Failure::Request)
            || (reason == Failure::Headers && reconnect.is_none());
        // A failure that fails at once may leave its response open (a status, a type, an
        // oversized event); one that would have reestablished has lost or aborted its request
        // already, retries exhausted or not. So whether the page decides or not.
        if !reestablish {
            out.command(Command::Abort);
        }
        self.cancel_heartbeat(out);
        if O::DECIDES && self.decides && !final_only {
            self.phase = Phase::Deciding;
            self.pending = details;
            self.pending_delay = delay;
            out.command(Command::SetReadyState(ReadyState::Connecting));
            out.command(Command::Decide(details));
            return;
        }
        self.conclude(details, out);
    }

    /// Carries out what follows a failure: reconnect after `details.reconnect` (spec: "reestablish
    /// the connection": CONNECTING, `error`, wait), or, without one, "fail the connection": set
    /// readyState to CLOSED and fire `error`; it does not reconnect.
    // Inlined into its two callers: each gives the same ops for a known case more cheaply than a
    // shared body takes its arguments.
    #[inline(always)]
    fn conclude(&mut self, details: ErrorDetails, out: &mut impl Output) {
        match details.reconnect {
            Some(milliseconds) => {
                self.phase = Phase::Waiting;
                out.command(Command::SetReadyState(ReadyState::Connecting));
                out.command(Command::FireError(details));
                out.command(Command::ArmTimer { milliseconds });
            }
            None => {
                self.phase = Phase::Closed;
                out.command(Command::SetReadyState(ReadyState::Closed));
                out.command(Command::FireError(details));
            }
        }
    }
}

/// A source fed by a byte stream the application supplies (`EventSource.fromReadableStream()`,
/// proposed for the HTML Standard): no request, no reconnection. The application pipes bytes in;
/// the end of its stream fails the connection, and the application reconnects by its own means.
impl Connection {
    /// The source is created around a stream: `readyState` stays CONNECTING until the first
    /// bytes. Does nothing unless the connection is new.
    pub fn stream_start(&mut self) {
        if self.phase == Phase::Idle {
            self.phase = Phase::Requesting;
        }
    }

    /// Bytes from the stream are coming (their chunk follows, as a body chunk). The first ones
    /// announce the connection (spec: "announce the connection": set readyState to OPEN and fire
    /// `open`), as a response head would.
    pub fn stream_data(&mut self, out: &mut impl Output) {
        if self.phase == Phase::Requesting {
            self.phase = Phase::Streaming;
            self.opened = true;
            self.parser.begin_stream();
            out.command(Command::SetReadyState(ReadyState::Open));
            out.command(Command::FireOpen);
        }
    }

    /// The stream ended or errored: there is nothing to reconnect to, so the connection fails
    /// (spec: "fail the connection": readyState CLOSED, fire `error`).
    pub fn stream_end(&mut self, out: &mut impl Output) {
        if matches!(self.phase, Phase::Requesting | Phase::Streaming) {
            self.failure(Failure::Ended, false, 0, out);
        }
    }

    /// `reset()`: the bytes read so far that did not make an event are discarded (the partial
    /// line, the event being built, whether a BOM may still come), so that a fresh stream can
    /// follow; the last event ID string and the reconnection time stay.
    pub fn stream_reset(&mut self) {
        if self.phase != Phase::Closed {
            self.parser.begin_stream();
        }
    }
}

/// Turns parser reports into commands while a body is read.
struct Dispatch<'a, O: Output> {
    out: &'a mut O,
    reconnection_time: &'a mut u64,
}

impl<O: Output> ParserSink for Dispatch<'_, O> {
    fn event(&mut self, event: Event<'_>) {
        self.out.command(Command::FireMessage(event));
    }

    fn retry(&mut self, milliseconds: u64) {
        *self.reconnection_time = milliseconds;
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    /// Commands as short strings: the connection's output is checked in order.
    #[derive(Default)]
    struct Log(Vec<&'static str>);

    impl Output for Log {
        fn command(&mut self, command: Command<'_>) {
            self.0.push(match command {
                Command::Connect { .. } => "connect",
                Command::Abort => "abort",
                Command::ArmTimer { .. } => "arm-timer",
                Command::CancelTimer => "cancel-timer",
                Command::SetReadyState(ReadyState::Connecting) => "connecting",
                Command::SetReadyState(ReadyState::Open) => "open-state",
                Command::SetReadyState(ReadyState::Closed) => "closed",
                Command::FireOpen => "fire-open",
                Command::FireMessage(_) => "fire-message",
                Command::FireError(_) => "fire-error",
                Command::Decide(_) => "decide",
                Command::ArmHeartbeat { .. } => "arm-heartbeat",
                Command::CancelHeartbeat => "cancel-heartbeat",
            });
        }
    }

    fn aborted_after(
        setup: impl FnOnce(&mut Connection, &mut Log),
        options: Options,
    ) -> Vec<&'static str> {
        let mut connection = Connection::new(options);
        let mut log = Log::default();
        connection.start(&mut log);
        setup(&mut connection, &mut log);
        let mut after = Log::default();
        connection.aborted(&mut after);
        assert_eq!(connection.ready_state(), ReadyState::Closed);
        // Closed is final: the timer that would have reconnected never comes.
        let mut later = Log::default();
        connection.timer_fired(&mut later);
        connection.aborted(&mut later);
        assert!(later.0.is_empty());
        after.0
    }

    #[test]
    fn aborted_fetch_fails_the_connection_while_connecting() {
        let options = Options {
            reconnect_on_error: true,
            ..Options::default()
        };
        let got = aborted_after(|_, _| {}, options);
        assert_eq!(got, ["abort", "closed", "fire-error"]);
    }

    #[test]
    fn aborted_fetch_fails_the_connection_while_open() {
        let options = Options {
            heartbeat_timeout: Some(1000),
            ..Options::default()
        };
        let got = aborted_after(
            |c, out| {
                c.response(200, Some(b"text/event-stream"), out);
                c.body_chunk(b"id: 1\ndata: x\n\n", out);
                assert_eq!(c.ready_state(), ReadyState::Open);
            },
            options,
        );
        assert_eq!(got, ["abort", "cancel-heartbeat", "closed", "fire-error"]);
    }

    #[test]
    fn aborted_while_waiting_or_closed_changes_nothing() {
        let mut connection = Connection::new(Options::default());
        let mut log = Log::default();
        connection.start(&mut log);
        connection.network_error(&mut log);
        assert_eq!(connection.ready_state(), ReadyState::Connecting);
        let mut after = Log::default();
        connection.aborted(&mut after);
        assert!(after.0.is_empty());
        connection.close(&mut after);
        let mut later = Log::default();
        connection.aborted(&mut later);
        assert!(later.0.is_empty());
    }
}
