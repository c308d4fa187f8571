//! The high-level consumer's C API: subscribe, consumer_poll, rebalance
//! handling, assign, commit, seek, pause/resume, positions, watermarks,
//! close. Thin wrappers over `client::consumer_api`.

use crate::client::message::{Msg, MsgBox};
use crate::client::topic_partition::TopicPartition;
use crate::client::ClientKind;
use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::boundary::c_str;
use crate::ffi::callbacks::{serve_op, served_message};
use crate::ffi::error::new_error_ptr;
use crate::ffi::handle::borrow;
use crate::ffi::kafka::{handle, timeout_from_ms, KafkaHandle};
use crate::ffi::partition_list::{list_from, list_to_vec, update_list};
use crate::ffi::types::*;
use libc::{c_char, c_int, c_void, size_t};
use std::time::Duration;

use crate::error::rd_kafka_resp_err_t::*;

fn result(r: Result<(), ErrorCode>) -> rd_kafka_resp_err_t {
    r.err().unwrap_or(RD_KAFKA_RESP_ERR_NO_ERROR)
}

unsafe fn consumer_handle<'a>(rk: *const rd_kafka_t) -> Option<&'a KafkaHandle> {
    handle(rk).filter(|h| h.kind == ClientKind::Consumer)
}

/// The consumer behind `rk` for a call that needs its group: NULL is
/// `_INVALID_ARG`; a producer has no consumer group, which librdkafka
/// answers with `_UNKNOWN_GROUP`.
unsafe fn group_consumer<'a>(rk: *const rd_kafka_t) -> Result<&'a KafkaHandle, ErrorCode> {
    match handle(rk) {
        None => Err(RD_KAFKA_RESP_ERR__INVALID_ARG),
        Some(h) if h.kind != ClientKind::Consumer => Err(RD_KAFKA_RESP_ERR__UNKNOWN_GROUP),
        Some(h) => Ok(h),
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_subscribe(
    rk: *mut rd_kafka_t,
    topics: *const rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let h = match group_consumer(rk) {
            Ok(h) => h,
            Err(e) => return e,
        };
        if topics.is_null() {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        let names: Vec<String> = list_to_vec(topics).into_iter().map(|tp| tp.topic).collect();
        result(h.client().subscribe(names))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_unsubscribe(rk: *mut rd_kafka_t) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let h = match group_consumer(rk) {
            Ok(h) => h,
            Err(e) => return e,
        };
        result(h.client().unsubscribe())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_subscription(
    rk: *mut rd_kafka_t,
    topics: *mut *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let h = match group_consumer(rk) {
            Ok(h) => h,
            Err(e) => return e,
        };
        if topics.is_null() {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        match h.client().subscription() {
            Ok(names) => {
                let tps: Vec<TopicPartition> = names
                    .iter()
                    .map(|n| TopicPartition::new(n, RD_KAFKA_PARTITION_UA, RD_KAFKA_OFFSET_INVALID))
                    .collect();
                *topics = list_from(&tps);
                RD_KAFKA_RESP_ERR_NO_ERROR
            }
            Err(e) => e,
        }
    })
}

/// Serves the consumer queue until a message or consumer error arrives or
/// `timeout` passes; callbacks (rebalance, commit, errors) run meanwhile.
pub unsafe fn consume_next(
    rk: *mut rd_kafka_t,
    h: &KafkaHandle,
    timeout: Option<Duration>,
) -> *mut rd_kafka_message_t {
    h.client()
        .consumer_poll(timeout, |op| served_message(rk, h, op))
        .map_or(std::ptr::null_mut(), MsgBox::into_raw)
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_poll(
    rk: *mut rd_kafka_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_message_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match group_consumer(rk) {
            Ok(h) => consume_next(rk, h, timeout_from_ms(timeout_ms)),
            Err(RD_KAFKA_RESP_ERR__INVALID_ARG) => std::ptr::null_mut(),
            // A producer: librdkafka answers with a message carrying the error.
            Err(err) => Msg::consumer_error(
                None,
                RD_KAFKA_PARTITION_UA,
                RD_KAFKA_OFFSET_INVALID,
                err,
                err.description().to_string(),
            )
            .into_raw(),
        }
    })
}

/// Routes the main queue (errors, logs, stats) into the consumer queue, so
/// `rd_kafka_consumer_poll` serves everything.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_poll_set_consumer(rk: *mut rd_kafka_t) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let Some(h) = consumer_handle(rk) else {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        result(h.client().forward_main_queue_to_consumer())
    })
}

/// Commits (with auto-commit), revokes the assignment through the rebalance
/// callback, leaves the group. Returns in bounded time even when the
/// coordinator is gone.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_close(rk: *mut rd_kafka_t) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let h = match group_consumer(rk) {
            Ok(h) => h,
            Err(e) => return e,
        };
        let served = h.client().close_consumer(|op| {
            let _ = serve_op(rk, h, op, false);
        });
        result(served)
    })
}

/// Starts closing the consumer (commit, revoke, leave) and returns at once;
/// the application serves `rkqu` (where the revoke arrives when it has a
/// rebalance callback or REBALANCE events) until `rd_kafka_consumer_closed`.
/// Errors as librdkafka's: `_INVALID_ARG` without a queue, `__UNKNOWN_GROUP`
/// without a `group.id`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_close_queue(
    rk: *mut rd_kafka_t,
    rkqu: *mut rd_kafka_queue_t,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(h) = handle(rk) else {
            return new_error_ptr(RD_KAFKA_RESP_ERR__INVALID_ARG, "Invalid handle".into());
        };
        let Some(queue) = borrow(rkqu) else {
            return new_error_ptr(
                RD_KAFKA_RESP_ERR__INVALID_ARG,
                "Queue must be specified".into(),
            );
        };
        let app_revokes = h.callbacks.rebalance_cb.is_some()
            || h.callbacks.events & RD_KAFKA_EVENT_REBALANCE != 0;
        match h
            .client()
            .close_consumer_async(queue.queue.clone(), app_revokes)
        {
            Ok(()) => std::ptr::null_mut(),
            Err(RD_KAFKA_RESP_ERR__UNKNOWN_GROUP) => new_error_ptr(
                RD_KAFKA_RESP_ERR__UNKNOWN_GROUP,
                "Consume close called on non-group consumer".into(),
            ),
            Err(e) => new_error_ptr(e, e.description().to_string()),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_closed(rk: *mut rd_kafka_t) -> c_int {
    ffi_boundary!(0, {
        consumer_handle(rk).is_some_and(|h| h.client().consumer_closed()) as c_int
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_assign(
    rk: *mut rd_kafka_t,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let h = match group_consumer(rk) {
            Ok(h) => h,
            Err(e) => return e,
        };
        let parts = (!partitions.is_null()).then(|| list_to_vec(partitions));
        result(h.client().assign(parts))
    })
}

/// Shared body of the incremental assign/unassign calls: the error comes
/// back as an error object, as librdkafka's API has it.
unsafe fn incremental(
    rk: *mut rd_kafka_t,
    partitions: *const rd_kafka_topic_partition_list_t,
    what: &str,
    apply: impl FnOnce(&crate::client::Client, Vec<TopicPartition>) -> Result<(), ErrorCode>,
) -> *mut rd_kafka_error_t {
    let fail = |e: ErrorCode, msg: String| crate::ffi::error::new_error_ptr(e, msg);
    let h = match group_consumer(rk) {
        Ok(h) => h,
        Err(e) => return fail(e, format!("{what}: {}", e.description())),
    };
    if partitions.is_null() {
        return fail(RD_KAFKA_RESP_ERR__INVALID_ARG, "partitions is NULL".into());
    }
    match apply(h.client(), list_to_vec(partitions)) {
        Ok(()) => std::ptr::null_mut(),
        Err(e) => fail(e, format!("{what} failed: {}", e.description())),
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_incremental_assign(
    rk: *mut rd_kafka_t,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        incremental(rk, partitions, "incremental assign", |c, p| {
            c.incremental_assign(p)
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_incremental_unassign(
    rk: *mut rd_kafka_t,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        incremental(rk, partitions, "incremental unassign", |c, p| {
            c.incremental_unassign(p)
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_assignment(
    rk: *mut rd_kafka_t,
    partitions: *mut *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let h = match group_consumer(rk) {
            Ok(h) => h,
            Err(e) => return e,
        };
        if partitions.is_null() {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        match h.client().assignment() {
            Ok(tps) => {
                *partitions = list_from(&tps);
                RD_KAFKA_RESP_ERR_NO_ERROR
            }
            Err(e) => e,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_assignment_lost(rk: *mut rd_kafka_t) -> c_int {
    ffi_boundary!(0, {
        consumer_handle(rk).map_or(0, |h| {
            h.client().group_view().is_some_and(|g| g.assignment_lost) as c_int
        })
    })
}

/// "COOPERATIVE", "EAGER", or "NONE" (no group / not yet joined).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_rebalance_protocol(rk: *mut rd_kafka_t) -> *const c_char {
    ffi_boundary!(c"NONE".as_ptr(), {
        let Some(h) = consumer_handle(rk) else {
            return c"NONE".as_ptr();
        };
        match h.client().group_view().and_then(|g| g.protocol) {
            Some("COOPERATIVE") => c"COOPERATIVE".as_ptr(),
            Some("EAGER") => c"EAGER".as_ptr(),
            _ => c"NONE".as_ptr(),
        }
    })
}

unsafe fn commit_list(
    h: &KafkaHandle,
    offsets: *mut rd_kafka_topic_partition_list_t,
    async_: c_int,
) -> rd_kafka_resp_err_t {
    let parts = (!offsets.is_null()).then(|| list_to_vec(offsets));
    match h.client().commit(parts, async_ == 0) {
        Ok(results) => {
            if !offsets.is_null() {
                update_list(offsets, &results);
            }
            RD_KAFKA_RESP_ERR_NO_ERROR
        }
        Err(e) => e,
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_commit(
    rk: *mut rd_kafka_t,
    offsets: *const rd_kafka_topic_partition_list_t,
    async_: c_int,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let h = match group_consumer(rk) {
            Ok(h) => h,
            Err(e) => return e,
        };
        // The caller's list is const: commit a copy.
        let copy = if offsets.is_null() {
            std::ptr::null_mut()
        } else {
            crate::ffi::partition_list::rd_kafka_topic_partition_list_copy(offsets)
        };
        let err = commit_list(h, copy, async_);
        crate::ffi::partition_list::rd_kafka_topic_partition_list_destroy(copy);
        err
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_commit_message(
    rk: *mut rd_kafka_t,
    rkmessage: *const rd_kafka_message_t,
    async_: c_int,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let h = match group_consumer(rk) {
            Ok(h) => h,
            Err(e) => return e,
        };
        let Some(m) = rkmessage.as_ref() else {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if m.err != 0 {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        let Some(topic) = borrow(m.rkt) else {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        let tp = TopicPartition::new(&topic.name, m.partition, m.offset + 1);
        match h.client().commit(Some(vec![tp]), async_ == 0) {
            Ok(_) => RD_KAFKA_RESP_ERR_NO_ERROR,
            Err(e) => e,
        }
    })
}

/// Commits and reports the result through `cb` (called before returning
/// when `rkqu` is NULL) or as an OFFSET_COMMIT event on `rkqu`. This
/// implementation waits for the commit result in both cases.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_commit_queue(
    rk: *mut rd_kafka_t,
    offsets: *const rd_kafka_topic_partition_list_t,
    rkqu: *mut rd_kafka_queue_t,
    cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            err: rd_kafka_resp_err_raw,
            offsets: *mut rd_kafka_topic_partition_list_t,
            commit_opaque: *mut c_void,
        ),
    >,
    commit_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let h = match group_consumer(rk) {
            Ok(h) => h,
            Err(e) => return e,
        };
        let parts = (!offsets.is_null()).then(|| list_to_vec(offsets));
        let requested = parts
            .clone()
            .unwrap_or_else(|| h.client().offsets_to_commit());
        let (err, results) = match h.client().commit(parts, true) {
            Ok(r) => (RD_KAFKA_RESP_ERR_NO_ERROR, r),
            Err(e) => (e, requested),
        };
        if let Some(q) = borrow(rkqu) {
            q.queue.push(crate::client::queue::Op::OffsetCommit {
                err,
                offsets: results,
            });
        } else if let Some(f) = cb {
            let list = list_from(&results);
            f(rk, err as c_int, list, commit_opaque);
            crate::ffi::partition_list::rd_kafka_topic_partition_list_destroy(list);
        }
        err
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_committed(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let h = match group_consumer(rk) {
            Ok(h) => h,
            Err(e) => return e,
        };
        if partitions.is_null() {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        let timeout = Duration::from_millis(timeout_ms.max(0) as u64);
        match h.client().committed(list_to_vec(partitions), timeout) {
            Ok(results) => {
                update_list(partitions, &results);
                RD_KAFKA_RESP_ERR_NO_ERROR
            }
            Err(e) => e,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_position(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let Some(h) = consumer_handle(rk) else {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if partitions.is_null() {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        let mut tps = list_to_vec(partitions);
        h.client().position(&mut tps);
        update_list(partitions, &tps);
        RD_KAFKA_RESP_ERR_NO_ERROR
    })
}

/// Legacy seek by topic handle; `timeout_ms` is not needed (the seek takes
/// effect at once).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_seek(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    offset: i64,
    _timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let Some(topic) = borrow(rkt) else {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        let Some(inner) = topic.client.upgrade() else {
            return RD_KAFKA_RESP_ERR__DESTROY;
        };
        let Some(consumer) = inner.consumer.as_ref() else {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        match consumer.partition(&topic.name, partition) {
            Some(cp) => {
                cp.seek(offset);
                inner.wake_all_brokers();
                inner.wake_main();
                RD_KAFKA_RESP_ERR_NO_ERROR
            }
            None => RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_seek_partitions(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
    _timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(h) = consumer_handle(rk) else {
            return crate::ffi::error::new_error_ptr(
                RD_KAFKA_RESP_ERR__INVALID_ARG,
                "not a consumer".into(),
            );
        };
        let mut tps = list_to_vec(partitions);
        for tp in tps.iter_mut() {
            tp.err = h
                .client()
                .seek(&tp.topic, tp.partition, tp.offset)
                .err()
                .unwrap_or(RD_KAFKA_RESP_ERR_NO_ERROR);
        }
        update_list(partitions, &tps);
        std::ptr::null_mut()
    })
}

unsafe fn pause_resume(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
    paused: bool,
) -> rd_kafka_resp_err_t {
    let Some(h) = consumer_handle(rk) else {
        return RD_KAFKA_RESP_ERR__INVALID_ARG;
    };
    if partitions.is_null() {
        return RD_KAFKA_RESP_ERR__INVALID_ARG;
    }
    let mut tps = list_to_vec(partitions);
    let r = h.client().pause(&mut tps, paused);
    update_list(partitions, &tps);
    result(r)
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_pause_partitions(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        pause_resume(rk, partitions, true)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_resume_partitions(
    rk: *mut rd_kafka_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        pause_resume(rk, partitions, false)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_offsets_store(
    rk: *mut rd_kafka_t,
    offsets: *mut rd_kafka_topic_partition_list_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let Some(h) = consumer_handle(rk) else {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if offsets.is_null() {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        let mut tps = list_to_vec(offsets);
        let r = h.client().offsets_store(&mut tps);
        update_list(offsets, &tps);
        result(r)
    })
}

/// Legacy: stores `offset` + 1 for the partition (mark a message processed).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_offset_store(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    offset: i64,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let Some(topic) = borrow(rkt) else {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        let Some(inner) = topic.client.upgrade() else {
            return RD_KAFKA_RESP_ERR__DESTROY;
        };
        let Some(consumer) = inner.consumer.as_ref() else {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if consumer.settings.enable_auto_offset_store {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        match consumer.partition(&topic.name, partition) {
            Some(cp) => {
                cp.state.lock().stored = offset + 1;
                RD_KAFKA_RESP_ERR_NO_ERROR
            }
            None => RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_query_watermark_offsets(
    rk: *mut rd_kafka_t,
    topic: *const c_char,
    partition: i32,
    low: *mut i64,
    high: *mut i64,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let (Some(h), Some(topic)) = (handle(rk), c_str(topic)) else {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if low.is_null() || high.is_null() {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        match h.client().query_watermarks(
            &topic,
            partition,
            Duration::from_millis(timeout_ms.max(0) as u64),
        ) {
            Ok((l, hi)) => {
                *low = l;
                *high = hi;
                RD_KAFKA_RESP_ERR_NO_ERROR
            }
            Err(e) => e,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_get_watermark_offsets(
    rk: *mut rd_kafka_t,
    topic: *const c_char,
    partition: i32,
    low: *mut i64,
    high: *mut i64,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let (Some(h), Some(topic)) = (consumer_handle(rk), c_str(topic)) else {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if low.is_null() || high.is_null() {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        match h.client().cached_watermarks(&topic, partition) {
            Ok((l, hi)) => {
                *low = l;
                *high = hi;
                RD_KAFKA_RESP_ERR_NO_ERROR
            }
            Err(e) => e,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_offsets_for_times(
    rk: *mut rd_kafka_t,
    offsets: *mut rd_kafka_topic_partition_list_t,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        let Some(h) = handle(rk) else {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if offsets.is_null() {
            return RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        let mut tps = list_to_vec(offsets);
        let r = h
            .client()
            .offsets_for_times(&mut tps, Duration::from_millis(timeout_ms.max(0) as u64));
        update_list(offsets, &tps);
        result(r)
    })
}

/// The group member id (malloc'ed; free with `rd_kafka_mem_free`), or NULL.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_memberid(rk: *const rd_kafka_t) -> *mut c_char {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(h) = consumer_handle(rk) else {
            return std::ptr::null_mut();
        };
        let id = h
            .client()
            .group_view()
            .map(|g| g.member_id)
            .unwrap_or_default();
        if id.is_empty() {
            return std::ptr::null_mut();
        }
        let s = std::ffi::CString::new(id).unwrap_or_default();
        libc::strdup(s.as_ptr())
    })
}

/// The consumer's group metadata for transactional producers.
pub struct GroupMetadata {
    pub group_id: String,
    pub member_id: String,
    pub generation: i32,
    pub instance_id: Option<String>,
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata(
    rk: *mut rd_kafka_t,
) -> *mut rd_kafka_consumer_group_metadata_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(h) = consumer_handle(rk) else {
            return std::ptr::null_mut();
        };
        let client = h.client();
        let (Some((group_id, instance_id)), Some(view)) =
            (client.group_identity(), client.group_view())
        else {
            return std::ptr::null_mut();
        };
        crate::ffi::handle::into_ptr(GroupMetadata {
            group_id,
            member_id: view.member_id,
            generation: view.generation,
            instance_id,
        }) as *mut rd_kafka_consumer_group_metadata_t
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_new(
    group_id: *const c_char,
) -> *mut rd_kafka_consumer_group_metadata_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(group_id) = c_str(group_id) else {
            return std::ptr::null_mut();
        };
        crate::ffi::handle::into_ptr(GroupMetadata {
            group_id: group_id.into_owned(),
            member_id: String::new(),
            generation: -1,
            instance_id: None,
        }) as *mut rd_kafka_consumer_group_metadata_t
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_new_with_genid(
    group_id: *const c_char,
    generation_id: i32,
    member_id: *const c_char,
    group_instance_id: *const c_char,
) -> *mut rd_kafka_consumer_group_metadata_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let (Some(group_id), Some(member_id)) = (c_str(group_id), c_str(member_id)) else {
            return std::ptr::null_mut();
        };
        crate::ffi::handle::into_ptr(GroupMetadata {
            group_id: group_id.into_owned(),
            member_id: member_id.into_owned(),
            generation: generation_id,
            instance_id: c_str(group_instance_id).map(|s| s.into_owned()),
        }) as *mut rd_kafka_consumer_group_metadata_t
    })
}

/// librdkafka's serialized form starts with this (no terminating NUL).
const GROUP_METADATA_MAGIC: &[u8] = b"CGMDv2:";

impl GroupMetadata {
    /// librdkafka's serialized form: the magic, the generation id (native
    /// byte order), the group id and member id NUL-terminated, a byte that
    /// is 1 when there is no group instance id, else 0 and the id
    /// NUL-terminated.
    fn serialize(&self) -> Vec<u8> {
        let mut out = GROUP_METADATA_MAGIC.to_vec();
        out.extend_from_slice(&self.generation.to_ne_bytes());
        for s in [&self.group_id, &self.member_id] {
            out.extend_from_slice(s.as_bytes());
            out.push(0);
        }
        match &self.instance_id {
            None => out.push(1),
            Some(id) => {
                out.push(0);
                out.extend_from_slice(id.as_bytes());
                out.push(0);
            }
        }
        out
    }

    fn deserialize(bytes: &[u8]) -> Result<GroupMetadata, &'static str> {
        let rest = bytes
            .strip_prefix(GROUP_METADATA_MAGIC)
            .ok_or("Input buffer is not a serialized consumer group metadata object")?;
        let truncated = "Input buffer is too short";
        let (generation, mut rest) = match rest.split_first_chunk::<4>() {
            Some((g, r)) => (i32::from_ne_bytes(*g), r),
            None => return Err(truncated),
        };
        let take_str = |rest: &mut &[u8]| -> Result<String, &'static str> {
            let end = rest.iter().position(|&b| b == 0).ok_or(truncated)?;
            let s =
                std::str::from_utf8(&rest[..end]).map_err(|_| "Input buffer is not valid UTF-8")?;
            *rest = &rest[end + 1..];
            Ok(s.to_string())
        };
        let group_id = take_str(&mut rest)?;
        let member_id = take_str(&mut rest)?;
        let (&is_null, mut after) = rest.split_first().ok_or(truncated)?;
        let instance_id = if is_null != 0 {
            None
        } else {
            Some(take_str(&mut after)?)
        };
        Ok(GroupMetadata {
            group_id,
            member_id,
            generation,
            instance_id,
        })
    }
}

/// Serializes `cgmd` into a buffer the caller frees with
/// `rd_kafka_mem_free`, in librdkafka's format (readable by it).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_write(
    cgmd: *const rd_kafka_consumer_group_metadata_t,
    bufferp: *mut *mut c_void,
    sizep: *mut size_t,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let (Some(md), false, false) = (
            crate::ffi::handle::borrow(cgmd),
            bufferp.is_null(),
            sizep.is_null(),
        ) else {
            return new_error_ptr(
                ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
                "consumer group metadata, buffer and size pointers are required".to_string(),
            );
        };
        let bytes = md.serialize();
        let buf = libc::malloc(bytes.len()) as *mut u8;
        if buf.is_null() {
            return new_error_ptr(
                ErrorCode::RD_KAFKA_RESP_ERR__FAIL,
                "out of memory".to_string(),
            );
        }
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, bytes.len());
        *bufferp = buf as *mut c_void;
        *sizep = bytes.len();
        std::ptr::null_mut()
    })
}

/// Reads what `rd_kafka_consumer_group_metadata_write` (ours or
/// librdkafka's) wrote.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_read(
    cgmdp: *mut *mut rd_kafka_consumer_group_metadata_t,
    buffer: *const c_void,
    size: size_t,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        if cgmdp.is_null() || (buffer.is_null() && size > 0) {
            return new_error_ptr(
                ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
                "output pointer and buffer are required".to_string(),
            );
        }
        let bytes = if size == 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(buffer as *const u8, size)
        };
        match GroupMetadata::deserialize(bytes) {
            Ok(md) => {
                *cgmdp =
                    crate::ffi::handle::into_ptr(md) as *mut rd_kafka_consumer_group_metadata_t;
                std::ptr::null_mut()
            }
            Err(why) => new_error_ptr(ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG, why.to_string()),
        }
    })
}

/// NULL is ignored; must not be called twice.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_group_metadata_destroy(
    cgmd: *mut rd_kafka_consumer_group_metadata_t,
) {
    ffi_boundary!((), {
        drop(crate::ffi::handle::take(cgmd));
    })
}
