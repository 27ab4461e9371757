//! WebAssembly 128-bit SIMD helpers, for builds that enable it (the parser API's module: the
//! EventSource's module is built without, and none of this is in it).

use core::arch::wasm32::{v128, v128_load};

/// The 16 bytes at `at`, if `bytes` has them.
#[inline(always)]
pub(crate) fn load(bytes: &[u8], at: usize) -> Option<v128> {
    let block: &[u8; 16] = bytes.get(at..at.checked_add(16)?)?.try_into().ok()?;
    // SAFETY: `block` is 16 readable bytes, and `v128.load` has no alignment requirement.
    Some(unsafe { v128_load(block.as_ptr().cast()) })
}
