//! The unit tests' global allocator: the system allocator, plus a record of
//! the largest single allocation each thread asks for. It lets a test prove
//! that hostile input (a decompression bomb, a frame header claiming
//! 100 MB) is refused *without* allocating what it claims: on Linux such an
//! allocation usually succeeds untouched, so an error alone proves nothing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct RecordLargest;

thread_local! {
    // Const-initialised and without a destructor: reading it never allocates.
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

fn note(size: usize) {
    let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(size)));
}

unsafe impl GlobalAlloc for RecordLargest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: RecordLargest = RecordLargest;

/// Runs `f` and returns its result with the largest single allocation
/// (bytes) it made on this thread.
pub fn largest_allocation_in<T>(f: impl FnOnce() -> T) -> (T, usize) {
    LARGEST.with(|largest| largest.set(0));
    let result = f();
    (result, LARGEST.with(Cell::get))
}
