//! Exported parts of librdkafka's API this library does not implement yet:
//! transactions.
//! Each returns `RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED` (as an error code or an
//! error object) so programs link and get an honest answer; the README
//! lists them.

use crate::error::ErrorCode;
use crate::ffi::error::new_error_ptr;
use crate::ffi::types::*;
use libc::c_int;

fn not_implemented(what: &str) -> *mut rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        new_error_ptr(
            ErrorCode::RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED,
            format!("{what} is not implemented by this library"),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_init_transactions(
    _rk: *mut rd_kafka_t,
    _timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    not_implemented("rd_kafka_init_transactions()")
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_begin_transaction(_rk: *mut rd_kafka_t) -> *mut rd_kafka_error_t {
    not_implemented("rd_kafka_begin_transaction()")
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_send_offsets_to_transaction(
    _rk: *mut rd_kafka_t,
    _offsets: *const rd_kafka_topic_partition_list_t,
    _cgmetadata: *const rd_kafka_consumer_group_metadata_t,
    _timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    not_implemented("rd_kafka_send_offsets_to_transaction()")
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_commit_transaction(
    _rk: *mut rd_kafka_t,
    _timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    not_implemented("rd_kafka_commit_transaction()")
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_abort_transaction(
    _rk: *mut rd_kafka_t,
    _timeout_ms: c_int,
) -> *mut rd_kafka_error_t {
    not_implemented("rd_kafka_abort_transaction()")
}
