//! The shipped module's runtime (wasm32 with the `js-abi` feature only): the `#[no_mangle]`
//! exports the JavaScript face calls (the allocator and panic handler are in `wasm`). An application
//! that depends on the crate brings its own allocator and panic handler, so none of this is built
//! then.
//!
//! Calls: JS asks [`es_input`] for room and copies bytes there when an input has bytes, then calls
//! [`es_send`] with the input's code and numbers (one export for every input: each export costs
//! the module its own copy of the glue around the engine).
//! Each input returns a pointer to a header `[ops_ptr, ops_len, text_ptr, text_len]` describing
//! the [`Batch`] it produced (see [`super::protocol`] for what the ops mean).

use super::protocol::{
    End, Input, Stream, DECIDE_FAIL, DECIDE_RECONNECT, FLAG_DECIDES, FLAG_RECONNECT_ON_ERROR, UNSET,
};
use super::wasm::InputRoom;
use super::Batch;
use crate::engine::{Connection, Failure, Options, ReconnectPolicy, ResponseHead};
use alloc::alloc::{alloc_zeroed, handle_alloc_error, Layout};
use alloc::boxed::Box;

/// One `EventSource`'s state on the Rust side.
pub struct Engine {
    connection: Connection,
    /// Where the last batch is, for JS: `[ops_ptr, ops_len, text_ptr, text_len]`.
    header: [u32; 4],
    /// Where [`es_input`] makes room for input bytes.
    input: InputRoom,
    batch: Batch,
}

impl Engine {
    fn run(&mut self, step: impl FnOnce(&mut Connection, &[u8], &mut Batch)) -> *const u32 {
        self.batch.clear();
        let input = self.input.bytes();
        step(&mut self.connection, input, &mut self.batch);
        self.finish()
    }

    /// The source's state the page may read: `[reconnection time (ms, at most u32::MAX), last
    /// event ID pointer, its length, 0]`, valid until the next call.
    fn info(&mut self) -> *const u32 {
        let id = self.connection.last_event_id();
        self.header = [
            self.connection.reconnection_time().min(u64::from(u32::MAX)) as u32,
            id.as_ptr() as u32,
            id.len() as u32,
            0,
        ];
        self.header.as_ptr()
    }

    /// Points the header at the batch. Not inlined: every input ends here.
    #[inline(never)]
    fn finish(&mut self) -> *const u32 {
        let (ops, text) = (self.batch.op_bytes(), self.batch.text());
        self.header = [
            // An empty vector's dangling pointer is 1; JS needs an aligned one even for no ops.
            ops.as_ptr() as u32 & !3,
            (ops.len() / 4) as u32,
            text.as_ptr() as u32,
            text.len() as u32,
        ];
        self.header.as_ptr()
    }
}

/// What each [`End`] but the request failures is (see `Connection::ended`): whether only a
/// request without a response head ends so, the failure, and whether it is reestablished. As the
/// connection's `body_ended`, `network_error`, `aborted`, `request_impossible` and
/// `headers_failed` do it.
const ENDS: [(bool, Failure, bool); 8] = [
    (false, Failure::Ended, true),
    (false, Failure::Network, true),
    (true, Failure::Network, true),
    (true, Failure::Network, true),
    (false, Failure::Aborted, false),
    (true, Failure::Request, false),
    (true, Failure::Headers, false),
    (true, Failure::Headers, true),
];

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
    // Into zeroed memory rather than through Box::new: the compiler then leaves out the stores
    // of the engine's many zero fields, one fill instead (about 80 B of the module).
    let layout = Layout::new::<Engine>();
    // SAFETY: `Engine` is not zero-sized; the block is written whole before it is returned, and
    // es_free gives it back as the Box it then is.
    unsafe {
        let engine = alloc_zeroed(layout).cast::<Engine>();
        if engine.is_null() {
            handle_alloc_error(layout);
        }
        engine.write(Engine {
            connection: Connection::new(options),
            input: InputRoom::new(),
            batch: Batch::new(),
            header: [0; 4],
        });
        engine
    }
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
    (*engine).input.make(len)
}

/// Every input: `input` is an [`Input`] code, `a`, `b` and `c` its numbers (see there; 0 where it
/// takes fewer). The bytes of [`Input::Response`] and [`Input::Chunk`] are in the input
/// ([`es_input`]). Returns the batch's header, or for [`Input::Info`] the state the page reads.
/// An unknown code does nothing.
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_send(
    engine: *mut Engine,
    input: u32,
    a: u32,
    b: u32,
    c: u32,
) -> *const u32 {
    let optional = |value: u32| (value != UNSET).then_some(u64::from(value));
    let Some(input) = Input::from_code(input) else {
        return (*engine).run(|_, _, _| {});
    };
    // fromReadableStream()'s getters: only the js-stream builds read them (else a no-op batch).
    if input == Input::Info && cfg!(feature = "js-stream") {
        return (*engine).info();
    }
    (*engine).run(|connection, bytes, out| match input {
        Input::Start => connection.start(out),
        Input::Response => connection.response_head(
            ResponseHead {
                status: u16::try_from(a).unwrap_or(0),
                content_type: (b != 0).then_some(bytes),
                retry_after: optional(c),
            },
            out,
        ),
        Input::Chunk => connection.body_chunk(bytes.get(..a as usize).unwrap_or(bytes), out),
        Input::End => match End::from_code(a) {
            // One call for both: the origin as a value, not two inlined copies.
            end @ (End::RequestFailed | End::CrossOriginRequestFailed) => {
                connection.request_failed(end == End::CrossOriginRequestFailed, out)
            }
            // The others only fail or reestablish: one call, its arguments from a table.
            end => {
                let (requesting, reason, reestablish) = ENDS[end as usize];
                connection.ended(requesting, reason, reestablish, out)
            }
        },
        Input::Decide => {
            connection.decided(a == DECIDE_FAIL, a == DECIDE_RECONNECT, optional(b), out)
        }
        Input::Timer => connection.timer_fired(out),
        Input::Heartbeat => connection.heartbeat_expired(out),
        // The inputs of Cargo.toml's js-recycle, js-resume and js-stream: a no-op in a module
        // built without the feature (an output that never sends it).
        Input::Recycle => {
            if cfg!(feature = "js-recycle") {
                connection.recycle(out);
            }
        }
        Input::Resume => {
            if cfg!(feature = "js-resume") {
                connection.resumed(optional(a), b != 0, out);
            }
        }
        Input::Stream => {
            if cfg!(feature = "js-stream") {
                match Stream::from_code(a) {
                    Stream::Start => connection.stream_start(),
                    Stream::Data => connection.stream_data(out),
                    Stream::End => connection.stream_end(out),
                    Stream::Reset => connection.stream_reset(),
                }
            }
        }
        Input::Close => connection.close(out),
        // Answered above, without a batch, in the js-stream builds.
        Input::Info => {}
    })
}
