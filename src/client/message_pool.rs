//! Caches of freed message blocks, by size class: one per thread, and a
//! shared depot between them.
//!
//! Delivery reports free a whole batch of messages at once; glibc's tcache
//! keeps 7 blocks per size, so most frees and the next mallocs took the slow
//! paths (~400 instructions per message for the pair). Usually one thread
//! allocates and frees a block (produce and poll on the application's
//! thread; a consumed message is made when popped, see `client::fetched`);
//! when they differ (delivery reports served by another thread), a thread
//! whose cache is full hands a magazine of blocks to the depot and a thread
//! whose cache is empty takes one (one lock per `MAGAZINE` blocks). Each thread keeps at most `LOCAL_BYTES` and the depot
//! `DEPOT_BYTES` per class; beyond that blocks go back to the allocator. A
//! thread's cache is freed when it exits.

use crate::client::message::Msg;
use std::alloc::Layout;
use std::cell::RefCell;
use std::sync::Mutex;

/// Block sizes: 64-byte steps from 256 to 1024 bytes (a message block
/// is the ~270-byte `Msg` plus its key and copied payload), then 128-byte
/// steps to 2048, so a block wastes at most ~10% of its size (a 1 KiB
/// payload would otherwise sit in a 1536-byte block).
const CLASSES: usize = 21;
const SMALLEST: usize = 256;
const FINE_STEP: usize = 64;
const FINE_UP_TO: usize = 1024;
const COARSE_STEP: usize = 128;
const FINE_CLASSES: usize = (FINE_UP_TO - SMALLEST) / FINE_STEP + 1;
const LARGEST: usize = 2048;
const LOCAL_BYTES: usize = 1 << 20;
const DEPOT_BYTES: usize = 2 << 20;
const MAGAZINE: usize = 256;

#[inline]
pub fn class_of(size: usize) -> Option<usize> {
    if size <= SMALLEST {
        Some(0)
    } else if size <= FINE_UP_TO {
        Some((size - SMALLEST).div_ceil(FINE_STEP))
    } else if size <= LARGEST {
        Some(FINE_CLASSES - 1 + (size - FINE_UP_TO).div_ceil(COARSE_STEP))
    } else {
        None
    }
}

#[inline]
pub fn class_size(class: usize) -> usize {
    if class < FINE_CLASSES {
        SMALLEST + class * FINE_STEP
    } else {
        FINE_UP_TO + (class + 1 - FINE_CLASSES) * COARSE_STEP
    }
}

fn class_layout(class: usize) -> Layout {
    Layout::from_size_align(class_size(class), std::mem::align_of::<Msg>()).expect("message layout")
}

struct Blocks([Vec<*mut u8>; CLASSES]);

// SAFETY: the pointers are unused heap blocks owned by whoever holds
// the list; nothing else refers to them.
unsafe impl Send for Blocks {}

impl Drop for Blocks {
    fn drop(&mut self) {
        for (c, list) in self.0.iter_mut().enumerate() {
            for p in list.drain(..) {
                // SAFETY: every cached block was allocated with this layout.
                unsafe { std::alloc::dealloc(p, class_layout(c)) };
            }
        }
    }
}

static DEPOT: Mutex<Blocks> = Mutex::new(Blocks([const { Vec::new() }; CLASSES]));

thread_local! {
    static CACHE: RefCell<Blocks> =
        const { RefCell::new(Blocks([const { Vec::new() }; CLASSES])) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_maps_to_the_smallest_class_that_holds_it() {
        for size in 1..=2048 {
            let c = class_of(size).expect("pooled size");
            assert!(size <= class_size(c), "{size} in class {c}");
            assert!(c == 0 || size > class_size(c - 1), "{size} in class {c}");
        }
        assert_eq!(class_of(2049), None);
        assert_eq!(class_size(CLASSES - 1), 2048);
    }

    #[test]
    fn blocks_are_reused_and_capped() {
        let size = class_size(3);
        let layout = Layout::from_size_align(size, std::mem::align_of::<Msg>()).unwrap();
        let p = unsafe { std::alloc::alloc(layout) };
        assert!(give(p, size));
        assert_eq!(take(size), Some(p));
        unsafe { std::alloc::dealloc(p, layout) };
        assert_eq!(take(4096), None);
        assert!(!give(std::ptr::null_mut(), 4096));
    }
}

fn cap(bytes: usize, class: usize) -> usize {
    bytes / class_size(class)
}

/// A cached block of exactly `size` bytes (a class size), if any.
#[inline]
pub fn take(size: usize) -> Option<*mut u8> {
    let class = class_of(size)?;
    CACHE
        .try_with(|c| {
            let mut c = c.borrow_mut();
            let local = &mut c.0[class];
            if local.is_empty() {
                let Ok(mut depot) = DEPOT.lock() else {
                    return None;
                };
                let shared = &mut depot.0[class];
                let from = shared.len().saturating_sub(MAGAZINE);
                local.extend(shared.drain(from..));
            }
            local.pop()
        })
        .ok()
        .flatten()
}

/// Keeps a freed block of `size` bytes for reuse; false: the caller frees it.
#[inline]
pub fn give(p: *mut u8, size: usize) -> bool {
    let Some(class) = class_of(size) else {
        return false;
    };
    CACHE
        .try_with(|c| {
            let mut c = c.borrow_mut();
            let local = &mut c.0[class];
            if local.len() >= cap(LOCAL_BYTES, class) {
                let Ok(mut depot) = DEPOT.lock() else {
                    return false;
                };
                let shared = &mut depot.0[class];
                if shared.len() + MAGAZINE > cap(DEPOT_BYTES, class) {
                    return false;
                }
                let from = local.len() - MAGAZINE;
                shared.extend(local.drain(from..));
            }
            local.push(p);
            true
        })
        .unwrap_or(false)
}
