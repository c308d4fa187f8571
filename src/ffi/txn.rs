//! The transactional producer's C API (`rd_kafka_init_transactions` ...):
//! argument checks, then `Client`'s transaction calls (`client/txn/`),
//! whose `TxnError` becomes an `rd_kafka_error_t` with librdkafka's flags.
//! Commit and abort wait for their messages as `rd_kafka_flush` does,
//! serving delivery reports on the calling thread.

use crate::client::txn::{TxnError, TxnGroup, TxnOffset};
use crate::client::ClientKind;
use crate::error::ErrorCode;
use crate::ffi::error::{new_error_ptr, KafkaError};
use crate::ffi::handle::borrow;
use crate::ffi::kafka::{flush_until, handle, timeout_from_ms, KafkaHandle};
use crate::ffi::partition_list::list_to_vec;
use crate::ffi::types::*;
use libc::c_int;
use std::ptr::null_mut;

fn to_c(result: Result<(), TxnError>) -> *mut rd_kafka_error_t {
    match result {
        Ok(()) => null_mut(),
        Err(e) => {
            let mut error = KafkaError::new(e.code, e.message);
            if e.fatal {
                error = error.fatal();
            }
            if e.retriable {
                error = error.retriable();
            }
            if e.txn_requires_abort {
                error = error.txn_requires_abort();
            }
            error.into_ptr()
        }
    }
}

/// Runs `call` on the producer handle behind `rk`; anything else gets the
/// error librdkafka gives.
unsafe fn with_producer(
    rk: *mut rd_kafka_t,
    call: impl FnOnce(&KafkaHandle) -> *mut rd_kafka_error_t,
) -> *mut rd_kafka_error_t {
    match handle(rk) {
        Some(h) if h.kind == ClientKind::Producer => call(h),
        _ => new_error_ptr(
            ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
            "The Transactional API can only be used on producer instances".to_string(),
        ),
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_init_transactions(
    rk: *mut rd_kafka_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(null_mut(), {
        with_producer(rk, |h| {
            to_c(h.client().init_transactions(timeout_from_ms(timeout_ms)))
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_begin_transaction(rk: *mut rd_kafka_t) -> *mut rd_kafka_error_t {
    ffi_boundary!(null_mut(), {
        with_producer(rk, |h| to_c(h.client().begin_transaction()))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_send_offsets_to_transaction(
    rk: *mut rd_kafka_t,
    offsets: *const rd_kafka_topic_partition_list_t,
    cgmetadata: *const rd_kafka_consumer_group_metadata_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(null_mut(), {
        with_producer(rk, |h| send_offsets(h, offsets, cgmetadata, timeout_ms))
    })
}

/// `rd_kafka_send_offsets_to_transaction` once `rk` is known a producer.
unsafe fn send_offsets(
    h: &KafkaHandle,
    offsets: *const rd_kafka_topic_partition_list_t,
    cgmetadata: *const rd_kafka_consumer_group_metadata_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    let Some(md) = borrow(cgmetadata) else {
        return new_error_ptr(
            ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
            "consumer group metadata must not be NULL".to_string(),
        );
    };
    if offsets.is_null() {
        return new_error_ptr(
            ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
            "offsets must not be NULL".to_string(),
        );
    }
    let offsets = list_to_vec(offsets)
        .into_iter()
        .map(|tp| TxnOffset {
            topic: tp.topic,
            partition: tp.partition,
            offset: tp.offset,
            metadata: tp
                .metadata
                .map(|m| String::from_utf8_lossy(&m).into_owned()),
        })
        .collect();
    let group = TxnGroup {
        group_id: &md.group_id,
        member_id: &md.member_id,
        generation: md.generation,
        instance_id: md.instance_id.as_deref(),
    };
    to_c(
        h.client()
            .send_offsets_to_transaction(offsets, group, timeout_from_ms(timeout_ms)),
    )
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_commit_transaction(
    rk: *mut rd_kafka_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(null_mut(), { end_transaction(rk, timeout_ms, true) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_abort_transaction(
    rk: *mut rd_kafka_t,
    timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(null_mut(), { end_transaction(rk, timeout_ms, false) })
}

/// Commit or abort; both wait for their messages as `rd_kafka_flush`.
unsafe fn end_transaction(
    rk: *mut rd_kafka_t,
    timeout_ms: c_int,
    commit: bool,
) -> *mut rd_kafka_error_t {
    with_producer(rk, |h| {
        let timeout = timeout_from_ms(timeout_ms);
        let flush = |deadline| flush_until(rk, h, Some(deadline));
        to_c(if commit {
            h.client().commit_transaction(timeout, flush)
        } else {
            h.client().abort_transaction(timeout, flush)
        })
    })
}
