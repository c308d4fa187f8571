//! Exported parts of librdkafka's API this library does not implement yet:
//! `consumer_close_queue`, `set_log_queue`.
//! Each returns `RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED` (as an error code or an
//! error object) so programs link and get an honest answer; the README
//! lists them.

use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::error::new_error_ptr;
use crate::ffi::types::*;

fn not_implemented(what: &str) -> *mut rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        new_error_ptr(
            ErrorCode::RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED,
            format!("{what} is not implemented by this library"),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_close_queue(
    _rk: *mut rd_kafka_t,
    _rkqu: *mut rd_kafka_queue_t,
) -> *mut rd_kafka_error_t {
    not_implemented("rd_kafka_consumer_close_queue() (use rd_kafka_consumer_close())")
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_set_log_queue(
    _rk: *mut rd_kafka_t,
    _rkqu: *mut rd_kafka_queue_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__FAIL, {
        rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED
    })
}
