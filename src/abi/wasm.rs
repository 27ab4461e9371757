//! What the shipped modules share (wasm32 with `js-abi` or `parser-abi`): the allocator, the panic
//! handler and the input room JS writes bytes into. An application that depends on the crate
//! brings its own allocator and panic handler, so none of this is built then.

use alloc::vec::Vec;

use super::size_classes::{SizeClasses, WasmMemory};

// Size classes (see there): the engine holds a handful of long-lived buffers per EventSource.
// wasm32-unknown-unknown without the atomics feature runs on one thread, as the allocator needs.
#[global_allocator]
static ALLOCATOR: SizeClasses<WasmMemory> = SizeClasses::new(WasmMemory);

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // The core never panics by design; if it did, trap instead of linking formatting machinery.
    core::arch::wasm32::unreachable()
}

/// Room for one input's bytes, which JS copies into linear memory before the call that reads them.
/// It only ever grows, so that an input costs no zero-filling. One for each engine: the
/// EventSource's (`es_input`) and the parser's (`sp_input`).
pub struct InputRoom {
    /// Every byte initialised.
    bytes: Vec<u8>,
    /// How much of `bytes` the last [`make`](Self::make) asked for.
    len: usize,
}

impl InputRoom {
    pub const fn new() -> Self {
        Self {
            bytes: Vec::new(),
            len: 0,
        }
    }

    /// Makes room for `len` bytes and returns where JS writes them.
    #[inline(always)]
    pub fn make(&mut self, len: u32) -> *mut u8 {
        let len = len as usize;
        if self.bytes.len() < len {
            self.bytes.resize(len, 0);
        }
        self.len = len;
        self.bytes.as_mut_ptr()
    }

    /// The bytes the last [`make`](Self::make) made room for.
    #[inline(always)]
    pub fn bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}
