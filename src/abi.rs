//! The flat C-ABI surface that the JavaScript face drives (wasm32 only).
//!
//! Why not wasm-bindgen here: the face needs only numbers and one byte buffer each way, and a
//! plain export surface keeps the module small, free of JS glue, and convertible by `wasm2js`
//! for engines without WebAssembly (a second, externref table would stop it).
//!
//! Protocol: JS asks [`es_input`] for room, copies bytes there, then calls one of the `es_*`
//! inputs. Each input returns a pointer to a [`Batch`] header `[ops_ptr, ops_len, text_ptr,
//! text_len]`: `ops` is a list of `u32` op codes (some followed by one argument), `text` holds the
//! strings the ops consume, in order, each ended by CR (CR never occurs inside a field value, so
//! JS recovers them all with one decode and one `split('\r')`).

use crate::engine::{Command, Connection, Options, Output, ReconnectPolicy, ResponseHead};
use alloc::boxed::Box;
use alloc::vec::Vec;

// A sorted, coalescing free list: the engine holds a handful of long-lived buffers per
// EventSource, so the list stays short, and the allocator costs about 1 KB instead of dlmalloc's 5.
// SAFETY: wasm32-unknown-unknown without the atomics feature runs on one thread.
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // The core never panics by design; if it did, trap instead of linking formatting machinery.
    core::arch::wasm32::unreachable()
}

// Op codes. Keep in sync with src/js/engine.js.
const OP_CONNECT: u32 = 1; // text: last event ID
const OP_ABORT: u32 = 2;
const OP_ARM_TIMER: u32 = 3; // arg: milliseconds, clamped to what setTimeout accepts
const OP_CANCEL_TIMER: u32 = 4;
const OP_READY_STATE: u32 = 5; // arg: 0, 1 or 2
const OP_OPEN: u32 = 6;
const OP_MESSAGE: u32 = 7; // text: data (type and last event ID as last set)
const OP_TYPE: u32 = 8; // text: event type for the following messages
const OP_ID: u32 = 9; // text: last event ID for the following messages
const OP_ERROR: u32 = 10;
const OP_ARM_HEARTBEAT: u32 = 11; // arg: milliseconds
const OP_CANCEL_HEARTBEAT: u32 = 12;

/// "None" for the optional numbers JS passes.
const UNSET: u32 = u32::MAX;

/// `setTimeout` treats delays above 2^31 - 1 ms as 0; such a wait is "never" for a page anyway.
const MAX_TIMER_MS: u64 = 0x7FFF_FFFF;

/// The commands produced by one input, encoded for JS.
#[derive(Default)]
struct Batch {
    header: [u32; 4],
    ops: Vec<u32>,
    text: Vec<u8>,
    /// The event type and last event ID JS already holds, so they are sent only on change.
    sent_type: Vec<u8>,
    sent_id: Vec<u8>,
}

impl Batch {
    fn begin(&mut self) {
        self.ops.clear();
        self.text.clear();
    }

    fn finish(&mut self) -> *const u32 {
        self.header = [
            self.ops.as_ptr() as u32,
            self.ops.len() as u32,
            self.text.as_ptr() as u32,
            self.text.len() as u32,
        ];
        self.header.as_ptr()
    }

    /// Text as received (UTF-8, possibly ill-formed): JS decodes the batch's text at once.
    fn push_text(&mut self, text: &[u8]) {
        self.text.extend_from_slice(text);
        self.text.push(b'\r');
    }
}

impl Output for Batch {
    fn command(&mut self, command: Command<'_>) {
        match command {
            Command::Connect { last_event_id } => {
                self.ops.push(OP_CONNECT);
                self.push_text(last_event_id);
            }
            Command::Abort => self.ops.push(OP_ABORT),
            Command::ArmTimer { milliseconds } => {
                self.ops.push(OP_ARM_TIMER);
                self.ops.push(milliseconds.min(MAX_TIMER_MS) as u32);
            }
            Command::CancelTimer => self.ops.push(OP_CANCEL_TIMER),
            Command::SetReadyState(state) => {
                self.ops.push(OP_READY_STATE);
                self.ops.push(state as u32);
            }
            Command::FireOpen => self.ops.push(OP_OPEN),
            Command::FireError => self.ops.push(OP_ERROR),
            Command::ArmHeartbeat { milliseconds } => {
                self.ops.push(OP_ARM_HEARTBEAT);
                self.ops.push(milliseconds.min(MAX_TIMER_MS) as u32);
            }
            Command::CancelHeartbeat => self.ops.push(OP_CANCEL_HEARTBEAT),
            Command::FireMessage(event) => {
                if event.event_type != self.sent_type {
                    self.ops.push(OP_TYPE);
                    self.push_text(event.event_type);
                    self.sent_type.clear();
                    self.sent_type.extend_from_slice(event.event_type);
                }
                if event.last_event_id != self.sent_id {
                    self.ops.push(OP_ID);
                    self.push_text(event.last_event_id);
                    self.sent_id.clear();
                    self.sent_id.extend_from_slice(event.last_event_id);
                }
                self.ops.push(OP_MESSAGE);
                self.push_text(event.data);
            }
        }
    }
}

/// One `EventSource`'s state on the Rust side.
pub struct Engine {
    connection: Connection,
    /// Room for input bytes: only ever grows, so that a chunk costs no zero-filling.
    input: Vec<u8>,
    /// How much of `input` the last [`es_input`] asked for.
    input_len: usize,
    batch: Batch,
}

impl Engine {
    fn run(&mut self, step: impl FnOnce(&mut Connection, &[u8], &mut Batch)) -> *const u32 {
        self.batch.begin();
        let input = self.input.get(..self.input_len).unwrap_or_default();
        step(&mut self.connection, input, &mut self.batch);
        self.batch.finish()
    }
}

/// Creates an engine. Numbers are `u32::MAX` where the option is not set; `backoff` and
/// `jitter` are in thousandths; `flags` bit 0 is `reconnectOnError`. JS starts with the event type
/// `message` and an empty last event ID.
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
            backoff_permille: set(backoff).unwrap_or(defaults.backoff_permille),
            max_delay: set(max_delay).map_or(defaults.max_delay, u64::from),
            jitter_permille: set(jitter).unwrap_or(defaults.jitter_permille),
            max_retries: set(max_retries).unwrap_or(defaults.max_retries),
        },
        reconnect_on_error: flags & 1 != 0,
        seed,
        ..Options::default()
    };
    let batch = Batch {
        sent_type: b"message".to_vec(),
        ..Batch::default()
    };
    Box::into_raw(Box::new(Engine {
        connection: Connection::new(options),
        input: Vec::new(),
        input_len: 0,
        batch,
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

/// The body ended (`how` 0), the connection failed during the body (1), or the request failed
/// before any response, same-origin (2) or cross-origin (3).
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_end(engine: *mut Engine, how: u32) -> *const u32 {
    (*engine).run(|c, _, out| match how {
        0 => c.body_ended(out),
        1 => c.network_error(out),
        _ => c.request_failed(how == 3, out),
    })
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

/// `close()`.
///
/// # Safety
/// `engine` comes from [`es_new`].
#[no_mangle]
pub unsafe extern "C" fn es_close(engine: *mut Engine) -> *const u32 {
    (*engine).run(|c, _, out| c.close(out))
}
