//! `rd_kafka_queue_t`: handles on the library's queues (main, consumer,
//! per-partition) and application-created ones, with forwarding, polling
//! as events, batch consumption and fd wake-ups.
//!
//! Ownership: `rd_kafka_queue_t*` is a `Box<QueueHandle>` holding one
//! reference to the shared queue; `rd_kafka_queue_destroy` drops the handle,
//! never the queue the library still uses.

use crate::client::message::MsgBox;
use crate::client::queue::{Op, Queue};
use crate::ffi::boundary::c_str;
use crate::ffi::callbacks::{serve_op, served_message, Served};
use crate::ffi::event::Event;
use crate::ffi::handle::{borrow, into_ptr, take};
use crate::ffi::kafka::{handle, timeout_from_ms};
use crate::ffi::types::*;
use libc::{c_char, c_int, c_void, size_t, ssize_t};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct QueueHandle {
    pub queue: Arc<Queue>,
    rk: *mut rd_kafka_t,
}

impl QueueHandle {
    /// The client handle the queue was obtained from.
    pub fn owner(&self) -> *mut rd_kafka_t {
        self.rk
    }
}

pub(crate) fn new_handle(queue: Arc<Queue>, rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    into_ptr(QueueHandle { queue, rk })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_new(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    ffi_boundary!(std::ptr::null_mut(), {
        if handle(rk).is_none() {
            return std::ptr::null_mut();
        }
        new_handle(Queue::new(), rk)
    })
}

/// Releases the handle. NULL is ignored; must not be called twice.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_destroy(rkqu: *mut rd_kafka_queue_t) {
    ffi_boundary!((), {
        drop(take(rkqu));
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_get_main(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    ffi_boundary!(std::ptr::null_mut(), {
        handle(rk).map_or(std::ptr::null_mut(), |h| {
            new_handle(h.client().main_queue().clone(), rk)
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_get_consumer(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match handle(rk).and_then(|h| h.client().consumer_queue()) {
            Some(q) => new_handle(q, rk),
            None => std::ptr::null_mut(),
        }
    })
}

/// The fetch queue of an assigned partition (NULL if not assigned). It
/// forwards to the consumer queue until `rd_kafka_queue_forward(q, NULL)`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_get_partition(
    rk: *mut rd_kafka_t,
    topic: *const c_char,
    partition: i32,
) -> *mut rd_kafka_queue_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let (Some(h), Some(topic)) = (handle(rk), c_str(topic)) else {
            return std::ptr::null_mut();
        };
        match h.client().partition_queue(&topic, partition) {
            Some(queue) => new_handle(queue, rk),
            None => std::ptr::null_mut(),
        }
    })
}

/// The background queue: served by a library thread that calls
/// `background_event_cb` (or destroys the event when none is set); for use
/// as the reply queue of the Admin API. Started on first use.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_get_background(
    rk: *mut rd_kafka_t,
) -> *mut rd_kafka_queue_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(h) = handle(rk) else {
            return std::ptr::null_mut();
        };
        match crate::ffi::background::get_or_start(rk, h) {
            Some(queue) => new_handle(queue, rk),
            None => std::ptr::null_mut(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_forward(
    src: *mut rd_kafka_queue_t,
    dst: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some(s) = borrow(src) else { return };
        s.queue.forward_to(borrow(dst).map(|d| d.queue.clone()));
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_length(rkqu: *mut rd_kafka_queue_t) -> size_t {
    ffi_boundary!(0, { borrow(rkqu).map_or(0, |q| q.queue.len()) })
}

/// Has `event_cb(rk, qev_opaque)` called, on whichever thread enqueues,
/// each time the queue goes from empty to non-empty; NULL disables. The
/// callback must only schedule the application's poll of the queue.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_cb_event_enable(
    rkqu: *mut rd_kafka_queue_t,
    event_cb: Option<unsafe extern "C" fn(rk: *mut rd_kafka_t, qev_opaque: *mut c_void)>,
    qev_opaque: *mut c_void,
) {
    ffi_boundary!((), {
        let Some(q) = borrow(rkqu) else { return };
        let callback = event_cb.map(|cb| {
            let (rk, opaque) = (q.owner() as usize, qev_opaque as usize);
            // SAFETY: the application's callback and opaque, for its handle,
            // which outlives its queues' use.
            std::sync::Arc::new(move || unsafe { cb(rk as *mut rd_kafka_t, opaque as *mut c_void) })
                as crate::client::queue::EventCallback
        });
        q.queue.set_event_callback(callback);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_io_event_enable(
    rkqu: *mut rd_kafka_queue_t,
    fd: c_int,
    payload: *const c_void,
    size: size_t,
) {
    ffi_boundary!((), {
        let Some(q) = borrow(rkqu) else { return };
        let bytes = if payload.is_null() || size == 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(payload as *const u8, size)
        };
        q.queue.set_io_event(fd, bytes);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_yield(rkqu: *mut rd_kafka_queue_t) {
    ffi_boundary!((), {
        if let Some(q) = borrow(rkqu) {
            q.queue.wake();
        }
    })
}

/// Pops the next op the application should see, with consumer
/// bookkeeping (positions, stale messages after seek) applied.
unsafe fn pop(q: &QueueHandle, timeout: Option<Duration>) -> Option<Op> {
    handle(q.rk)?
        .client()
        .pop_for_application(&q.queue, timeout)
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_poll(
    rkqu: *mut rd_kafka_queue_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_event_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(q) = borrow(rkqu) else {
            return std::ptr::null_mut();
        };
        let Some(h) = handle(q.rk) else {
            return std::ptr::null_mut();
        };
        let timeout = timeout_from_ms(timeout_ms);
        let deadline = timeout.map(|t| Instant::now() + t);
        // An op served internally (no event) does not end the wait.
        while let Some(op) = pop(
            q,
            deadline.map(|d| d.saturating_duration_since(Instant::now())),
        ) {
            let ev = Event::from_op(op, q.rk, h);
            if !ev.is_null() {
                return ev;
            }
        }
        std::ptr::null_mut()
    })
}

/// Serves the queue with callbacks; returns the number of events served.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_poll_callback(
    rkqu: *mut rd_kafka_queue_t,
    timeout_ms: c_int,
) -> c_int {
    ffi_boundary!(0, {
        let Some(q) = borrow(rkqu) else { return 0 };
        let Some(h) = handle(q.rk) else { return 0 };
        let mut served = 0;
        let mut timeout = timeout_from_ms(timeout_ms);
        while let Some(op) = pop(q, timeout) {
            if let Served::Count(n) = serve_op(q.rk, h, op, false) {
                served += n;
            }
            timeout = Some(Duration::ZERO);
        }
        served
    })
}

/// Next message from the queue (callbacks for other ops run meanwhile).
unsafe fn next_message(q: &QueueHandle, deadline: Option<Instant>) -> Option<MsgBox> {
    let h = handle(q.rk)?;
    let timeout = deadline.map(|d| d.saturating_duration_since(Instant::now()));
    h.client()
        .next_message(&q.queue, timeout, |op| served_message(q.rk, h, op))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consume_queue(
    rkqu: *mut rd_kafka_queue_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_message_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(q) = borrow(rkqu) else {
            return std::ptr::null_mut();
        };
        let deadline = timeout_from_ms(timeout_ms).map(|t| Instant::now() + t);
        next_message(q, deadline).map_or(std::ptr::null_mut(), |m| m.into_raw())
    })
}

/// Up to `rkmessages_size` messages, waiting at most `timeout_ms` in all.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consume_batch_queue(
    rkqu: *mut rd_kafka_queue_t,
    timeout_ms: c_int,
    rkmessages: *mut *mut rd_kafka_message_t,
    rkmessages_size: size_t,
) -> ssize_t {
    ffi_boundary!(-1, {
        let Some(q) = borrow(rkqu) else { return -1 };
        if rkmessages.is_null() {
            return -1;
        }
        let deadline = timeout_from_ms(timeout_ms).map(|t| Instant::now() + t);
        let mut n = 0;
        while n < rkmessages_size {
            let Some(m) = next_message(q, deadline) else {
                break;
            };
            *rkmessages.add(n) = m.into_raw();
            n += 1;
        }
        n as ssize_t
    })
}
