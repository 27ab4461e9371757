//! The shipped modules' allocator and panic handler (wasm32 with `js-abi` or `parser-abi`). An
//! application that depends on the crate brings its own, so none of this is built then.

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
