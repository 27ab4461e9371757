//! The encoder: turns the engine's [`Command`]s into a batch in the [`protocol`](super::protocol)'s
//! wire form. Plain Rust, tested natively; the wasm shims only hand its buffers to JS.

use super::protocol::{
    DecoderState, Op, StateOp, ABORT, ARM_HEARTBEAT, ARM_TIMER, CANCEL_HEARTBEAT, CANCEL_TIMER,
    CONNECT, DECIDE, ERROR, ID, MAX_TIMER_MS, MESSAGE, OPEN, READY_STATE, TYPE, UNSET,
};
use crate::engine::parser::same;
use crate::engine::{Command, ErrorDetails, Output};
use alloc::vec::Vec;

/// The commands one engine input produced, encoded for JS, plus what the decoder on the other
/// side remembers from earlier batches.
#[derive(Debug, Default)]
pub struct Batch {
    /// The ops as `u32`s in native byte order (JS reads them as a `Uint32Array`). Bytes, not
    /// `u32`s: the module then links one vector growth path, for bytes, instead of two.
    ops: Vec<u8>,
    text: Vec<u8>,
    /// The decoder's state (see [`DecoderState`]) as the ops sent so far left it, once known
    /// (false until an op first sets it). It outlives each batch, as the decoder's copy does.
    /// A flag rather than an `Option`: no second drop path, and the vector's room is kept.
    mirror: [(bool, Vec<u8>); DecoderState::COUNT],
}

impl Batch {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts the next batch: the ops and texts go, the mirrored decoder state stays.
    pub fn clear(&mut self) {
        self.ops.clear();
        self.text.clear();
    }

    /// Op codes, each followed by its arguments.
    pub fn ops(&self) -> Vec<u32> {
        self.ops
            .chunks_exact(4)
            .map(|word| u32::from_ne_bytes([word[0], word[1], word[2], word[3]]))
            .collect()
    }

    /// [`ops`](Self::ops) as they are held: each `u32` in native byte order. In the shipped
    /// module, aligned for a `Uint32Array` unless empty (the allocator's blocks are 8-aligned).
    pub fn op_bytes(&self) -> &[u8] {
        &self.ops
    }

    /// The texts the ops consume, in order, each followed by CR, as received (UTF-8, possibly
    /// ill-formed: JS decodes the whole text at once). CR never occurs inside one: the parser
    /// splits lines at CR, and the last event ID comes from such a line.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    #[inline(always)]
    fn op<const ARGS: usize>(&mut self, op: Op<ARGS, false>, args: [u32; ARGS]) {
        self.push_op(op.code, args);
    }

    #[inline(always)]
    fn op_text<const ARGS: usize>(&mut self, op: Op<ARGS, true>, args: [u32; ARGS], text: &[u8]) {
        self.push_op(op.code, args);
        self.push_text(text);
    }

    /// Appends an op: its code and arguments with one copy (see [`Words`]). One body per number
    /// of arguments, called from each place that gives a command: inlined there, each site
    /// stored its words to the stack and called the copy itself (228 B more of the module).
    /// Measured in Node, the engine alone is 4% faster this way on 20 B events (4 ns an event)
    /// and 5-7% slower on 1 KB and 64 KB ones (18 ns and 1 µs, of the 7 µs and 200 µs such an
    /// event takes from network to listener in Chromium). Translated by wasm2js (the legacy
    /// builds), the call cost the legacy file 10% on the bench's 1 KB row: inlined there.
    #[cfg_attr(not(feature = "js-translated"), inline(never))]
    #[cfg_attr(feature = "js-translated", inline(always))]
    fn push_op<const ARGS: usize>(&mut self, code: u32, args: [u32; ARGS]) {
        self.ops.extend_from_slice(Words { code, args }.bytes());
    }

    /// Sets decoder state, unless the decoder already holds `value`.
    fn set(&mut self, op: StateOp, value: &[u8]) {
        let (known, held) = &mut self.mirror[op.state as usize];
        if *known && same(held, value) {
            return;
        }
        *known = true;
        held.clear();
        held.extend_from_slice(value);
        self.push_op(op.code, []);
        self.push_text(value);
    }

    fn push_text(&mut self, text: &[u8]) {
        self.text.extend_from_slice(text);
        self.text.extend_from_slice(b"\r");
    }
}

/// An op as the `u32`s it is sent as: its code, then its arguments, appended with one copy (each
/// copy is a call into the vector's growth check: two per op cost the engine ~8% of its time
/// on small events).
#[repr(C)]
struct Words<const ARGS: usize> {
    code: u32,
    args: [u32; ARGS],
}

impl<const ARGS: usize> Words<ARGS> {
    /// The words' bytes, in native byte order.
    #[inline(always)]
    fn bytes(&self) -> &[u8] {
        // SAFETY: `repr(C)` of `u32`s only: no padding, every byte initialised.
        unsafe {
            core::slice::from_raw_parts((self as *const Self).cast::<u8>(), size_of::<Self>())
        }
    }
}

/// A timer's milliseconds as an op argument.
fn timer(milliseconds: u64) -> u32 {
    milliseconds.min(u64::from(MAX_TIMER_MS)) as u32
}

/// An error's details as `ERROR` and `DECIDE` carry them: reason, status, delay (`UNSET`: none).
fn details(details: ErrorDetails) -> [u32; 3] {
    [
        details.reason as u32,
        u32::from(details.status),
        details.reconnect.map_or(UNSET, timer),
    ]
}

impl Output for Batch {
    // The JS face's `reconnect` option answers DECIDE.
    const DECIDES: bool = true;

    // Inlined into every place that gives a command, where the command's kind is known: each
    // becomes a direct op, and neither the command's construction nor this match remains
    // (about 400 B of the module).
    #[inline(always)]
    fn command(&mut self, command: Command<'_>) {
        match command {
            Command::Connect {
                last_event_id,
                id_header,
            } => self.op_text(CONNECT, [id_header as u32], last_event_id),
            Command::Abort => self.op(ABORT, []),
            Command::ArmTimer { milliseconds } => self.op(ARM_TIMER, [timer(milliseconds)]),
            Command::CancelTimer => self.op(CANCEL_TIMER, []),
            Command::SetReadyState(state) => self.op(READY_STATE, [state as u32]),
            Command::FireOpen => self.op(OPEN, []),
            // One arm for both: the same arguments, only the code differs.
            Command::FireError(error) | Command::Decide(error) => {
                let op = if matches!(command, Command::Decide(_)) {
                    DECIDE
                } else {
                    ERROR
                };
                self.op(op, details(error))
            }
            Command::ArmHeartbeat { milliseconds } => self.op(ARM_HEARTBEAT, [timer(milliseconds)]),
            Command::CancelHeartbeat => self.op(CANCEL_HEARTBEAT, []),
            Command::FireMessage(event) => {
                self.set(TYPE, event.event_type);
                self.set(ID, event.last_event_id);
                self.op_text(MESSAGE, [event.retry], event.data);
            }
        }
    }
}
