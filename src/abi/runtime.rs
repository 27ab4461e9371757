//! The shipped module's runtime (wasm32 with the `js-abi` feature only): the `#[no_mangle]`
//! exports the JavaScript face calls (its allocator and panic handler: `wasm`). An application
//! that depends on the crate brings its own allocator and panic handler, so none of this is built
//! then.
//!
//! Calls: JS asks [`es_input`] for room, copies bytes there, then calls one of the `es_*` inputs.
//! Each input returns a pointer to a header `[ops_ptr, ops_len, text_ptr, text_len]` describing
//! the [`Batch`] it produced (see [`super::protocol`] for what the ops mean).

use super::protocol::{
    End, Stream, DECIDE_FAIL, DECIDE_RECONNECT, FLAG_DECIDES, FLAG_RECONNECT_ON_ERROR, UNSET,
};
use super::Batch;
use crate::engine::{Connection, Decision, Options, ReconnectPolicy, ResponseHead};
use alloc::boxed::Box;
use alloc::vec::Vec;

/// One `EventSource`'s state on the Rust side.
pub struct Engine {
    connection: Connection,
    /// Room for input bytes: only ever grows, so that a chunk costs no zero-filling.
    input: Vec<u8>,
    /// How much of `input` the last [`es_input`] asked for.
    input_len: usize,
    batch: Batch,
    /// Where the last batch is, for JS: `[ops_ptr, ops_len, text_ptr, text_len]`.
    header: [u32; 4],
}

impl Engine {
    fn run(&mut self, step: impl FnOnce(&mut Connection, &[u8], &mut Batch)) -> *const u32 {
        self.batch.clear();
        let input = self.input.get(..self.input_len).unwrap_or_default();
        step(&mut self.connection, input, &mut self.batch);
        self.finish()
    }

    /// Points the header at the batch. Not inlined: every export ends here.
    #[inline(never)]
    fn finish(&mut self) -> *const u32 {
        let (ops, text) = (self.batch.ops(), self.batch.text());
        self.header = [
            ops.as_ptr() as u32,
            ops.len() as u32,
            text.as_ptr() as u32,
            text.len() as u32,
        ];
        self.header.as_ptr()
    }
}

/// Creates an engine. Numbers are [`UNSET`] where the option is not set; `backoff` is the factor
/// in millionths ([`super::protocol::FACTOR_ONE`] is 1.0; below it, no backoff); `jitter` is in
/// thousandths; `flags` holds [`FLAG_RECONNECT_ON_ERROR`].
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn es_new(
    max_event_size: u32,
    heartbeat_timeout: u32,
    backoff: u32,
    max_delay: u32,
    jitter: u32,
    max_retries: u32,
    flags: u32,
    seed: u32,
) -> *mut Engine {
    let set = |value: u32| (value != UNSET).then_some(value);
    let defaults = ReconnectPolicy::default();
    let options = Options {
        max_event_size: set(max_event_size).map(|size| size as usize),
        heartbeat_timeout: set(heartbeat_timeout).map(u64::from),
        policy: ReconnectPolicy {
            backoff_millionths: backoff,
            max_delay: set(max_delay).map_or(defaults.max_delay, u64::from),
            jitter_permille: set(jitter).unwrap_or(defaults.jitter_permille),
            max_retries: set(max_retries).unwrap_or(defaults.max_retries),
        },
        reconnect_on_error: flags & FLAG_RECONNECT_ON_ERROR != 0,
        decides: flags & FLAG_DECIDES != 0,
        seed,
        ..Options::default()
    };
    Box::into_raw(Box::new(Engine {
        connection: Connection::new(options),
        input: Vec::new(),
        input_len: 0,
        batch: Batch::new(),
        header: [0; 4],
    }))
}

/// Frees an engine made by [`es_new`].
///
/// # Safety
/// `engine` comes from [`es_new`] and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn es_free(engine: *mut Engine) {
    drop(Box::from_raw(engine));
}

/// Makes room for `len` input bytes and returns where JS writes them.
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_input(engine: *mut Engine, len: u32) -> *mut u8 {
    let engine = &mut *engine;
    let len = len as usize;
    if engine.input.len() < len {
        engine.input.resize(len, 0);
    }
    engine.input_len = len;
    engine.input.as_mut_ptr()
}

/// Starts the first request.
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_start(engine: *mut Engine) -> *const u32 {
    (*engine).run(|c, _, out| c.start(out))
}

/// A response head: `status`, the `Content-Type` value in the input (`has_type` 0: none), and
/// `Retry-After` in milliseconds (`u32::MAX`: none).
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_response(
    engine: *mut Engine,
    status: u32,
    has_type: u32,
    retry_after: u32,
) -> *const u32 {
    let status = u16::try_from(status).unwrap_or(0);
    let retry_after = (retry_after != UNSET).then_some(u64::from(retry_after));
    (*engine).run(|c, input, out| {
        let head = ResponseHead {
            status,
            content_type: (has_type != 0).then_some(input),
            retry_after,
        };
        c.response_head(head, out)
    })
}

/// A body chunk of `len` bytes, in the input.
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_chunk(engine: *mut Engine, len: u32) -> *const u32 {
    (*engine).run(|c, input, out| c.body_chunk(input.get(..len as usize).unwrap_or(input), out))
}

/// The response ended: `how` is an [`End`] code.
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_end(engine: *mut Engine, how: u32) -> *const u32 {
    (*engine).run(|c, _, out| match End::from_code(how) {
        End::BodyEnded => c.body_ended(out),
        End::BodyFailed => c.network_error(out),
        End::RequestFailed => c.request_failed(false, out),
        End::CrossOriginRequestFailed => c.request_failed(true, out),
        End::Aborted => c.aborted(out),
        End::Impossible => c.request_impossible(out),
        End::HeadersRefused => c.headers_failed(true, out),
        End::HeadersFailed => c.headers_failed(false, out),
    })
}

/// The page's decision after a `DECIDE` op: `how` is `DECIDE_DEFAULT`, `DECIDE_FAIL` or
/// `DECIDE_RECONNECT` (after `delay` ms; `UNSET`: the engine's delay).
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_decide(engine: *mut Engine, how: u32, delay: u32) -> *const u32 {
    let decision = match how {
        DECIDE_FAIL => Decision::Fail,
        DECIDE_RECONNECT => Decision::Reconnect((delay != UNSET).then_some(u64::from(delay))),
        _ => Decision::Default,
    };
    (*engine).run(|c, _, out| c.decide(decision, out))
}

/// The reconnection timer fired.
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_timer(engine: *mut Engine) -> *const u32 {
    (*engine).run(|c, _, out| c.timer_fired(out))
}

/// Restart the stream invisibly if it is at an event boundary (see `Connection::recycle`).
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_recycle(engine: *mut Engine) -> *const u32 {
    (*engine).run(|c, _, out| {
        c.recycle(out);
    })
}

/// The heartbeat watchdog expired.
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_heartbeat(engine: *mut Engine) -> *const u32 {
    (*engine).run(|c, _, out| c.heartbeat_expired(out))
}

/// The page came back (`reconnectOnResume`: online again, shown from the back/forward cache,
/// visible, resumed): `silent` is the milliseconds since the request's last byte (`UNSET`:
/// unknown), `online` 0 when the runtime says it is offline (see `Connection::resumed`).
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_resume(engine: *mut Engine, silent: u32, online: u32) -> *const u32 {
    let silent = (silent != UNSET).then_some(u64::from(silent));
    (*engine).run(|c, _, out| c.resumed(silent, online != 0, out))
}

/// `close()`.
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_close(engine: *mut Engine) -> *const u32 {
    (*engine).run(|c, _, out| c.close(out))
}

// A source fed by the application's byte stream (`EventSource.fromReadableStream()`): one export
// for its four inputs, each export costing the module its own copy of the glue.

/// The application's stream: `what` is a [`Stream`] code. Its bytes go to [`es_chunk`] after a
/// [`Stream::Data`].
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_stream(engine: *mut Engine, what: u32) -> *const u32 {
    (*engine).run(|c, _, out| match Stream::from_code(what) {
        Stream::Start => c.stream_start(),
        Stream::Data => c.stream_data(out),
        Stream::End => c.stream_end(out),
        Stream::Reset => c.stream_reset(),
    })
}

/// The source's state the page may read: `[reconnection time (ms, at most u32::MAX), last event
/// ID pointer, its length, 0]`, valid until the next call.
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_info(engine: *mut Engine) -> *const u32 {
    let engine = &mut *engine;
    let id = engine.connection.last_event_id();
    engine.header = [
        engine
            .connection
            .reconnection_time()
            .min(u64::from(u32::MAX)) as u32,
        id.as_ptr() as u32,
        id.len() as u32,
        0,
    ];
    engine.header.as_ptr()
}
