//! The legacy (simple) consumer's C API: `rd_kafka_consume_start`,
//! `consume_start_queue`, `consume_stop`, `consume`, `consume_batch`,
//! `consume_callback` and `consume_callback_queue`. Thin wrappers over
//! `client::legacy_consumer`; `rd_kafka_consume_queue` and
//! `consume_batch_queue`, shared with the high-level consumer, live in
//! `ffi/queue.rs`.
//!
//! These calls report failure as librdkafka's legacy API does: -1 or NULL
//! with `rd_kafka_last_error()` (and `errno`) set.

use crate::client::legacy_consumer::{self, StartedPartition};
use crate::client::message::MsgBox;
use crate::client::queue::Op;
use crate::error::rd_kafka_resp_err_t::*;
use crate::error::ErrorCode;
use crate::ffi::callbacks::serve_op;
use crate::ffi::handle::borrow;
use crate::ffi::kafka::{handle, timeout_from_ms};
use crate::ffi::last_error::set_last_error;
use crate::ffi::topic::topic_arc;
use crate::ffi::types::*;
use libc::{c_int, c_void, size_t, ssize_t};
use std::time::{Duration, Instant};

/// 0 on success; -1 with the last error set otherwise.
fn legacy_status(r: Result<(), ErrorCode>) -> c_int {
    match r {
        Ok(()) => {
            set_last_error(RD_KAFKA_RESP_ERR_NO_ERROR);
            0
        }
        Err(e) => {
            set_last_error(e);
            -1
        }
    }
}

unsafe fn start(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    offset: i64,
    rkqu: *mut rd_kafka_queue_t,
    with_queue: bool,
) -> c_int {
    if borrow(rkt).is_none() {
        return legacy_status(Err(RD_KAFKA_RESP_ERR__INVALID_ARG));
    }
    let queue = match borrow(rkqu) {
        Some(q) => Some(q.queue.clone()),
        None if with_queue => return legacy_status(Err(RD_KAFKA_RESP_ERR__INVALID_ARG)),
        None => None,
    };
    legacy_status(legacy_consumer::consume_start(
        &topic_arc(rkt),
        partition,
        offset,
        queue,
    ))
}

/// Starts consuming `partition` at `offset` (absolute, `RD_KAFKA_OFFSET_
/// BEGINNING`/`END`/`STORED` or `RD_KAFKA_OFFSET_TAIL(n)`); read it with
/// `rd_kafka_consume*`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consume_start(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    offset: i64,
) -> c_int {
    ffi_boundary!(-1, {
        start(rkt, partition, offset, std::ptr::null_mut(), false)
    })
}

/// Like `rd_kafka_consume_start`, the messages going to `rkqu`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consume_start_queue(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    offset: i64,
    rkqu: *mut rd_kafka_queue_t,
) -> c_int {
    ffi_boundary!(-1, { start(rkt, partition, offset, rkqu, true) })
}

/// Stops consuming the partition; prefetched messages are dropped.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consume_stop(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
) -> c_int {
    ffi_boundary!(-1, {
        let Some(topic) = borrow(rkt) else {
            return legacy_status(Err(RD_KAFKA_RESP_ERR__INVALID_ARG));
        };
        legacy_status(legacy_consumer::consume_stop(topic, partition))
    })
}

/// The started partition behind `rkt`/`partition`, or the last error set.
unsafe fn started(rkt: *mut rd_kafka_topic_t, partition: i32) -> Option<StartedPartition> {
    if borrow(rkt).is_none() {
        set_last_error(RD_KAFKA_RESP_ERR__INVALID_ARG);
        return None;
    }
    match legacy_consumer::started_partition(&topic_arc(rkt), partition) {
        Ok(p) => Some(p),
        Err(e) => {
            set_last_error(e);
            None
        }
    }
}

/// The next message of a started partition, NULL after `timeout_ms` (last
/// error `_TIMED_OUT`). Errors such as `_PARTITION_EOF` come as messages.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consume(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    timeout_ms: c_int,
) -> *mut rd_kafka_message_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(p) = started(rkt, partition) else {
            return std::ptr::null_mut();
        };
        match p.next_message(timeout_from_ms(timeout_ms)) {
            Some(msg) => {
                set_last_error(RD_KAFKA_RESP_ERR_NO_ERROR);
                msg.into_raw()
            }
            None => {
                set_last_error(RD_KAFKA_RESP_ERR__TIMED_OUT);
                std::ptr::null_mut()
            }
        }
    })
}

/// Up to `rkmessages_size` messages of a started partition, waiting at
/// most `timeout_ms` in all; -1 if the partition was not started.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consume_batch(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    timeout_ms: c_int,
    rkmessages: *mut *mut rd_kafka_message_t,
    rkmessages_size: size_t,
) -> ssize_t {
    ffi_boundary!(-1, {
        if rkmessages.is_null() {
            set_last_error(RD_KAFKA_RESP_ERR__INVALID_ARG);
            return -1;
        }
        let Some(p) = started(rkt, partition) else {
            return -1;
        };
        let deadline = timeout_from_ms(timeout_ms).map(|t| Instant::now() + t);
        let mut n = 0;
        while n < rkmessages_size {
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            let Some(msg) = p.next_message(remaining) else {
                break;
            };
            *rkmessages.add(n) = msg.into_raw();
            n += 1;
        }
        n as ssize_t
    })
}

type ConsumeCb = unsafe extern "C" fn(*mut rd_kafka_message_t, *mut c_void);

/// What the source of a consume_callback call yielded.
enum Next {
    Message(MsgBox),
    /// Something else, already served with its callback.
    Served,
}

/// The loop of both consume_callback calls: waits up to `timeout` for the
/// first op `next` yields, then takes what is already waiting, handing
/// each message to `cb` (and freeing it after: it is the library's, as
/// librdkafka's consume callbacks say), at most `max` messages (0: no
/// limit). Returns how many messages `cb` got.
unsafe fn serve_messages(
    cb: ConsumeCb,
    opaque: *mut c_void,
    max: usize,
    timeout: Option<Duration>,
    mut next: impl FnMut(Option<Duration>) -> Option<Next>,
) -> c_int {
    let mut timeout = timeout;
    let mut served: c_int = 0;
    while max == 0 || (served as usize) < max {
        let Some(got) = next(timeout) else {
            break;
        };
        timeout = Some(Duration::ZERO);
        if let Next::Message(mut msg) = got {
            cb(crate::ffi::message::message_ptr(&mut msg), opaque);
            drop(msg);
            served += 1;
        }
    }
    served
}

/// Waits up to `timeout_ms` for a started partition's first message, then
/// hands `consume_cb` every message already waiting (at most
/// `consume.callback.max.messages`); returns how many, or -1.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consume_callback(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    timeout_ms: c_int,
    consume_cb: Option<
        unsafe extern "C" fn(rkmessage: *mut rd_kafka_message_t, commit_opaque: *mut c_void),
    >,
    commit_opaque: *mut c_void,
) -> c_int {
    ffi_boundary!(-1, {
        let Some(cb) = consume_cb else {
            set_last_error(RD_KAFKA_RESP_ERR__INVALID_ARG);
            return -1;
        };
        let Some(p) = started(rkt, partition) else {
            return -1;
        };
        serve_messages(
            cb,
            commit_opaque,
            p.callback_max_messages(),
            timeout_from_ms(timeout_ms),
            |timeout| p.next_message(timeout).map(Next::Message),
        )
    })
}

/// `rd_kafka_consume_callback` for a queue (`rd_kafka_consume_start_queue`):
/// other ops on it (errors, logs, rebalances) are served with their
/// callbacks meanwhile. Returns the number of messages handed to `consume_cb`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consume_callback_queue(
    rkqu: *mut rd_kafka_queue_t,
    timeout_ms: c_int,
    consume_cb: Option<
        unsafe extern "C" fn(rkmessage: *mut rd_kafka_message_t, commit_opaque: *mut c_void),
    >,
    commit_opaque: *mut c_void,
) -> c_int {
    ffi_boundary!(-1, {
        let (Some(q), Some(cb)) = (borrow(rkqu), consume_cb) else {
            set_last_error(RD_KAFKA_RESP_ERR__INVALID_ARG);
            return -1;
        };
        let rk = q.owner();
        let Some(h) = handle(rk) else {
            set_last_error(RD_KAFKA_RESP_ERR__INVALID_ARG);
            return -1;
        };
        let client = h.client();
        serve_messages(
            cb,
            commit_opaque,
            client.consume_callback_max_messages(),
            timeout_from_ms(timeout_ms),
            |timeout| {
                Some(match client.pop_for_application(&q.queue, timeout)? {
                    Op::Message(msg) => Next::Message(msg),
                    other => {
                        serve_op(rk, h, other, false);
                        Next::Served
                    }
                })
            },
        )
    })
}
