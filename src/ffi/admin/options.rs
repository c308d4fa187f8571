//! `rd_kafka_AdminOptions_*`: a `Box<AdminOptions>` (`client::admin::options`)
//! the application owns; each call copies it.

use crate::client::admin::options::{AdminOp, AdminOptions};
use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::boundary::write_errstr;
use crate::ffi::error::new_error_ptr;
use crate::ffi::handle::{borrow_mut, into_ptr, take};
use crate::ffi::kafka::handle;
use crate::ffi::types::*;
use libc::{c_char, c_int, c_void, size_t};

/// NULL for an unknown `for_api` or client, as librdkafka.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AdminOptions_new(
    rk: *mut rd_kafka_t,
    for_api: rd_kafka_admin_op_raw,
) -> *mut rd_kafka_AdminOptions_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let (Some(h), Some(op)) = (handle(rk), AdminOp::from_raw(for_api)) else {
            return std::ptr::null_mut();
        };
        into_ptr(AdminOptions::new(op, h.client().admin_default_timeout()))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AdminOptions_destroy(options: *mut rd_kafka_AdminOptions_t) {
    ffi_boundary!((), {
        drop(take(options));
    })
}

/// Applies `set` to the options; a refusal is `_INVALID_ARG` with its
/// reason in `errstr`.
unsafe fn set_with_errstr(
    options: *mut rd_kafka_AdminOptions_t,
    errstr: *mut c_char,
    errstr_size: size_t,
    set: impl FnOnce(&mut AdminOptions) -> Result<(), String>,
) -> rd_kafka_resp_err_t {
    let outcome = match borrow_mut(options) {
        Some(o) => set(o),
        None => Err("AdminOptions is NULL".to_string()),
    };
    match outcome {
        Ok(()) => ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
        Err(reason) => {
            write_errstr(errstr, errstr_size, &reason);
            ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG
        }
    }
}

/// As [`set_with_errstr`], for the setters that answer with an error object.
unsafe fn set_with_error(
    options: *mut rd_kafka_AdminOptions_t,
    set: impl FnOnce(&mut AdminOptions) -> Result<(), String>,
) -> *mut rd_kafka_error_t {
    let outcome = match borrow_mut(options) {
        Some(o) => set(o),
        None => Err("AdminOptions is NULL".to_string()),
    };
    match outcome {
        Ok(()) => std::ptr::null_mut(),
        Err(reason) => new_error_ptr(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG, reason),
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_request_timeout(
    options: *mut rd_kafka_AdminOptions_t,
    timeout_ms: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        set_with_errstr(options, errstr, errstr_size, |o| {
            o.set_request_timeout(timeout_ms)
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_operation_timeout(
    options: *mut rd_kafka_AdminOptions_t,
    timeout_ms: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        set_with_errstr(options, errstr, errstr_size, |o| {
            o.set_operation_timeout(timeout_ms)
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_validate_only(
    options: *mut rd_kafka_AdminOptions_t,
    true_or_false: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        set_with_errstr(options, errstr, errstr_size, |o| {
            o.set_validate_only(true_or_false)
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_broker(
    options: *mut rd_kafka_AdminOptions_t,
    broker_id: i32,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        set_with_errstr(options, errstr, errstr_size, |o| o.set_broker(broker_id))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_require_stable_offsets(
    options: *mut rd_kafka_AdminOptions_t,
    true_or_false: c_int,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        set_with_error(options, |o| o.set_require_stable_offsets(true_or_false))
    })
}

/// `consumer_group_states` is an array of `rd_kafka_consumer_group_state_t`
/// (C `int`s), read as such and checked.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_match_consumer_group_states(
    options: *mut rd_kafka_AdminOptions_t,
    consumer_group_states: *const rd_kafka_consumer_group_state_raw,
    consumer_group_states_cnt: size_t,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let states: &[c_int] = if consumer_group_states.is_null() || consumer_group_states_cnt == 0
        {
            &[]
        } else {
            std::slice::from_raw_parts(consumer_group_states, consumer_group_states_cnt)
        };
        set_with_error(options, |o| o.set_match_consumer_group_states(states))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AdminOptions_set_opaque(
    options: *mut rd_kafka_AdminOptions_t,
    ev_opaque: *mut c_void,
) {
    ffi_boundary!((), {
        if let Some(o) = borrow_mut(options) {
            o.opaque = ev_opaque as usize;
        }
    })
}
