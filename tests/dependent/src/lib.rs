//! A no_std wasm app with its own allocator and panic handler, driving the engine directly.
#![no_std]

extern crate alloc;

use core::alloc::{GlobalAlloc, Layout};
use eventsource_wasm::engine::{Command, Connection, Options, Output, ResponseHead};

/// Never frees: every allocation takes fresh pages. Enough for a build check, and unlike the
/// crate's own allocator.
struct Pages;

unsafe impl GlobalAlloc for Pages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pages = layout.size().div_ceil(65536).max(1);
        match core::arch::wasm32::memory_grow(0, pages) {
            usize::MAX => core::ptr::null_mut(),
            page => (page * 65536) as *mut u8,
        }
    }

    unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
}

#[global_allocator]
static ALLOCATOR: Pages = Pages;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

#[derive(Default)]
struct Count(u32);

impl Output for Count {
    fn command(&mut self, command: Command<'_>) {
        if let Command::FireMessage(_) = command {
            self.0 += 1;
        }
    }
}

/// How many events a small stream holds, through the engine.
#[no_mangle]
pub extern "C" fn app_count_events() -> u32 {
    let mut connection = Connection::new(Options::default());
    let mut count = Count::default();
    connection.start(&mut count);
    let head = ResponseHead {
        status: 200,
        content_type: Some(b"text/event-stream"),
        retry_after: None,
    };
    connection.response_head(head, &mut count);
    connection.body_chunk(b"data: a\n\ndata: b\n\n", &mut count);
    count.0
}
