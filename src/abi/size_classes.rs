//! The shipped modules' allocator: power-of-two size classes, each with its own free list, carved
//! from memory that only grows (as WebAssembly memory does).
//!
//! An engine holds a handful of buffers that grow by doubling (a `Vec`'s capacities are powers of
//! two already) and live as long as its `EventSource`; a freed block waits in its class for the
//! next buffer of that size, such as the next `EventSource`'s. So a block is found or freed in a
//! few instructions, and the code is a fraction of a general allocator's: no splitting, no
//! coalescing. The cost is memory: a block is up to twice its request, and a freed block serves
//! only its own class.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

/// Bytes in a page of memory.
pub const PAGE: usize = 1 << 16;

/// The smallest block is 2^3 bytes: room for the free list's link, and every block 8-aligned.
const SMALLEST_CLASS: u32 = 3;

/// Where memory comes from.
pub trait Grow {
    /// Adds `pages` pages and returns the address of the first, or `None` when memory cannot grow.
    /// Pages follow the previous ones when nothing else grew the memory between the calls.
    fn grow(&self, pages: usize) -> Option<usize>;
}

/// The allocator. Single-threaded: it must only be used from one thread.
pub struct SizeClasses<G> {
    state: UnsafeCell<State>,
    memory: G,
}

struct State {
    /// For class k, the first free block of 2^k bytes (0: none); each free block starts with the
    /// address of the next.
    free: [usize; usize::BITS as usize + 1],
    /// The unused part of the memory grown so far: `next..end`.
    next: usize,
    end: usize,
}

// SAFETY: only for targets where the allocator runs on one thread (wasm32 without the atomics
// feature), as the `GlobalAlloc` impl's callers there do.
unsafe impl<G> Sync for SizeClasses<G> {}

impl<G> SizeClasses<G> {
    pub const fn new(memory: G) -> Self {
        Self {
            state: UnsafeCell::new(State {
                free: [0; usize::BITS as usize + 1],
                next: 0,
                end: 0,
            }),
            memory,
        }
    }
}

/// The class of the block `layout` takes: the smallest k with 2^k at least its size, at least
/// [`SMALLEST_CLASS`].
#[inline(always)]
fn class(layout: Layout) -> usize {
    let size = layout.size().max(1 << SMALLEST_CLASS);
    (usize::BITS - (size - 1).leading_zeros()) as usize
}

unsafe impl<G: Grow> GlobalAlloc for SizeClasses<G> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // Blocks are 8-aligned; nothing in the engine asks for more.
        if layout.align() > 1 << SMALLEST_CLASS {
            return null_mut();
        }
        let state = &mut *self.state.get();
        let class = class(layout);
        let first = state.free[class];
        if first != 0 {
            state.free[class] = *(first as *const usize);
            return first as *mut u8;
        }
        // A layout's size is at most isize::MAX, so the block's size fits.
        let size = 1 << class;
        if state.end - state.next < size {
            let pages = size.div_ceil(PAGE);
            let Some(start) = self.memory.grow(pages) else {
                return null_mut();
            };
            // The very end of a 32-bit address space: no block can end there.
            let Some(end) = start.checked_add(pages * PAGE) else {
                return null_mut();
            };
            // New pages that do not follow the unused part leave it behind (only the first
            // time, when it is empty, unless something else grows the memory).
            if start != state.end {
                state.next = start;
            }
            state.end = end;
        }
        let block = state.next;
        state.next += size;
        block as *mut u8
    }

    // One body: a vector's growth frees its old block too.
    #[inline(never)]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let state = &mut *self.state.get();
        let class = class(layout);
        *(block as *mut usize) = state.free[class];
        state.free[class] = block as usize;
    }
}

/// WebAssembly's own memory, grown at its end.
#[cfg(all(
    target_arch = "wasm32",
    any(feature = "js-abi", feature = "parser-abi")
))]
pub struct WasmMemory;

#[cfg(all(
    target_arch = "wasm32",
    any(feature = "js-abi", feature = "parser-abi")
))]
impl Grow for WasmMemory {
    fn grow(&self, pages: usize) -> Option<usize> {
        let previous = core::arch::wasm32::memory_grow(0, pages);
        (previous != usize::MAX).then_some(previous * PAGE)
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use core::cell::Cell;
    use std::vec::Vec;

    /// Memory for the tests: `capacity` pages of an 8-aligned buffer, handed out in order.
    struct Arena {
        base: usize,
        pages: Cell<usize>,
        capacity: usize,
        _buffer: Vec<u64>,
    }

    impl Arena {
        fn new(capacity: usize) -> Self {
            let buffer = std::vec![0u64; capacity * PAGE / 8];
            Self {
                base: buffer.as_ptr() as usize,
                pages: Cell::new(0),
                capacity,
                _buffer: buffer,
            }
        }
    }

    impl Grow for &Arena {
        fn grow(&self, pages: usize) -> Option<usize> {
            let used = self.pages.get();
            if used + pages > self.capacity {
                return None;
            }
            self.pages.set(used + pages);
            Some(self.base + used * PAGE)
        }
    }

    fn layout(size: usize) -> Layout {
        Layout::from_size_align(size, 1).unwrap()
    }

    #[test]
    fn classes_are_powers_of_two_from_eight() {
        let cases = [
            (1, 3),
            (8, 3),
            (9, 4),
            (16, 4),
            (17, 5),
            (4096, 12),
            (4097, 13),
        ];
        for (size, expected) in cases {
            assert_eq!(class(layout(size)), expected, "{size}");
        }
        assert_eq!(class(layout(isize::MAX as usize)), usize::BITS as usize - 1);
    }

    #[test]
    fn a_freed_block_serves_the_next_request_of_its_class_only() {
        let arena = Arena::new(4);
        let heap = SizeClasses::new(&arena);
        unsafe {
            let a = heap.alloc(layout(100));
            let b = heap.alloc(layout(100));
            assert_eq!(
                b as usize - a as usize,
                128,
                "one 128-byte block after the other"
            );
            heap.dealloc(a, layout(100));
            let other = heap.alloc(layout(20));
            assert!(other != a, "another class does not take it");
            assert_eq!(
                heap.alloc(layout(65)),
                a,
                "its class does, whatever the size"
            );
            // The free list is last in, first out.
            heap.dealloc(b, layout(128));
            heap.dealloc(a, layout(128));
            assert_eq!(heap.alloc(layout(128)), a);
            assert_eq!(heap.alloc(layout(128)), b);
        }
    }

    #[test]
    fn live_blocks_are_aligned_and_never_overlap() {
        let arena = Arena::new(512);
        let heap = SizeClasses::new(&arena);
        let mut random = crate::engine::Random::new(3);
        let mut live: Vec<(*mut u8, usize, u8)> = Vec::new();
        for step in 0..20_000u32 {
            if live.is_empty() || (live.len() < 300 && random.next_u32() % 2 == 0) {
                let bits = 1 + random.next_u32() % 16;
                let size = 1 + (random.next_u32() % (1 << bits)) as usize;
                let align = 1 << (random.next_u32() % 4);
                let block = unsafe { heap.alloc(Layout::from_size_align(size, align).unwrap()) };
                assert!(!block.is_null(), "step {step}");
                assert_eq!(block as usize % 8, 0);
                let fill = step as u8;
                unsafe { block.write_bytes(fill, size) };
                live.push((block, size, fill));
            } else {
                let (block, size, fill) = live.swap_remove(random.next_u32() as usize % live.len());
                let bytes = unsafe { core::slice::from_raw_parts(block, size) };
                assert!(bytes.iter().all(|&byte| byte == fill), "step {step}");
                unsafe { heap.dealloc(block, layout(size)) };
            }
        }
        for (block, size, fill) in live {
            let bytes = unsafe { core::slice::from_raw_parts(block, size) };
            assert!(bytes.iter().all(|&byte| byte == fill));
        }
    }

    #[test]
    fn memory_grows_in_whole_pages_and_continues_where_it_ended() {
        let arena = Arena::new(8);
        let heap = SizeClasses::new(&arena);
        unsafe {
            let small = heap.alloc(layout(8));
            assert_eq!(small as usize, arena.base);
            assert_eq!(arena.pages.get(), 1);
            // Three pages more for 2^17 bytes: the block starts where the first page's use ended.
            let big = heap.alloc(layout(PAGE + 1));
            assert_eq!(big as usize, arena.base + 8);
            assert_eq!(arena.pages.get(), 3);
            // What is left of the pages serves later blocks without growing.
            heap.alloc(layout(PAGE / 2));
            assert_eq!(arena.pages.get(), 3);
        }
    }

    #[test]
    fn requests_it_cannot_serve_get_null() {
        let arena = Arena::new(2);
        let heap = SizeClasses::new(&arena);
        unsafe {
            assert!(
                heap.alloc(layout(3 * PAGE)).is_null(),
                "memory cannot grow so far"
            );
            assert!(!heap.alloc(layout(2 * PAGE)).is_null(), "but this far");
            assert!(heap.alloc(layout(1)).is_null(), "and then no further");
            let wide = Layout::from_size_align(8, 16).unwrap();
            assert!(heap.alloc(wide).is_null(), "alignment above 8");
        }
    }

    #[test]
    fn reallocation_keeps_the_contents() {
        let arena = Arena::new(16);
        let heap = SizeClasses::new(&arena);
        unsafe {
            // A Vec's growth and shrinking: realloc (GlobalAlloc's own) moves the contents across classes.
            let (mut block, mut size) = (heap.alloc(layout(8)), 8);
            block.write_bytes(7, 8);
            for grown in [16, 100, 4096, 70_000, 9] {
                block = heap.realloc(block, layout(size), grown);
                size = grown;
                assert!(core::slice::from_raw_parts(block, 8)
                    .iter()
                    .all(|&b| b == 7));
            }
        }
    }
}
