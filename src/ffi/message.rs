//! Accessors for `rd_kafka_message_t` objects the library hands out:
//! delivery reports (owned by the library for the duration of the
//! callback) and consumed messages (owned by the application until
//! `rd_kafka_message_destroy`). Both are the first field of a `Msg`.

use crate::client::message::{MsgBox, MsgStatus, TimestampType};
use crate::error::rd_kafka_resp_err_t;
use crate::error::ErrorCode;
use crate::ffi::handle::{borrow, borrow_mut, lend, take};
use crate::ffi::types::*;
use libc::c_char;

/// Frees a message returned by a consume call. NULL is ignored; must not
/// be called twice, nor for a delivery report's message.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_message_destroy(rkmessage: *mut rd_kafka_message_t) {
    ffi_boundary!((), {
        if !rkmessage.is_null() {
            drop(MsgBox::from_raw(rkmessage));
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_message_timestamp(
    rkmessage: *const rd_kafka_message_t,
    tstype: *mut rd_kafka_timestamp_type_t,
) -> i64 {
    ffi_boundary!(-1, {
        let Some(m) = borrow(rkmessage) else {
            return -1;
        };
        let (ts, ty) = match m.timestamp_type {
            TimestampType::NotAvailable => (
                -1,
                rd_kafka_timestamp_type_t::RD_KAFKA_TIMESTAMP_NOT_AVAILABLE,
            ),
            TimestampType::CreateTime => (
                m.timestamp,
                rd_kafka_timestamp_type_t::RD_KAFKA_TIMESTAMP_CREATE_TIME,
            ),
            TimestampType::LogAppendTime => (
                m.timestamp,
                rd_kafka_timestamp_type_t::RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME,
            ),
        };
        if !tstype.is_null() {
            *tstype = ty;
        }
        ts
    })
}

/// Microseconds from produce() to acknowledgement, or -1 if not acknowledged.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_message_latency(rkmessage: *const rd_kafka_message_t) -> i64 {
    ffi_boundary!(-1, { borrow(rkmessage).map_or(-1, |m| m.latency_us) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_message_broker_id(rkmessage: *const rd_kafka_message_t) -> i32 {
    ffi_boundary!(-1, { borrow(rkmessage).map_or(-1, |m| m.broker_id) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_message_leader_epoch(
    rkmessage: *const rd_kafka_message_t,
) -> i32 {
    ffi_boundary!(-1, { borrow(rkmessage).map_or(-1, |m| m.leader_epoch) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_message_status(
    rkmessage: *const rd_kafka_message_t,
) -> rd_kafka_msg_status_t {
    ffi_boundary!(rd_kafka_msg_status_t::RD_KAFKA_MSG_STATUS_NOT_PERSISTED, {
        match borrow(rkmessage).map(|m| m.status) {
            Some(MsgStatus::Persisted) => rd_kafka_msg_status_t::RD_KAFKA_MSG_STATUS_PERSISTED,
            Some(MsgStatus::PossiblyPersisted) => {
                rd_kafka_msg_status_t::RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED
            }
            _ => rd_kafka_msg_status_t::RD_KAFKA_MSG_STATUS_NOT_PERSISTED,
        }
    })
}

/// A description of the message's error, or NULL if it has none.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_message_errstr(
    rkmessage: *const rd_kafka_message_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        let Some(m) = borrow(rkmessage) else {
            return std::ptr::null();
        };
        if m.err() == ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR {
            return std::ptr::null();
        }
        match &m.errstr {
            Some(s) => s.as_ptr(),
            None => crate::ffi::error::rd_kafka_err2str(m.err() as i32),
        }
    })
}

/// The message's headers (still owned by the message), or `_NOENT`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_message_headers(
    rkmessage: *const rd_kafka_message_t,
    hdrsp: *mut *mut rd_kafka_headers_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        let Some(m) = borrow(rkmessage) else {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if hdrsp.is_null() {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        match &m.headers {
            Some(h) => {
                *hdrsp = lend(&**h);
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
            }
            None => ErrorCode::RD_KAFKA_RESP_ERR__NOENT,
        }
    })
}

/// Like `rd_kafka_message_headers` but transfers ownership to the caller.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_message_detach_headers(
    rkmessage: *mut rd_kafka_message_t,
    hdrsp: *mut *mut rd_kafka_headers_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        let Some(m) = borrow_mut(rkmessage) else {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if hdrsp.is_null() {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        match m.headers.take() {
            Some(h) => {
                *hdrsp = Box::into_raw(h) as *mut rd_kafka_headers_t;
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
            }
            None => ErrorCode::RD_KAFKA_RESP_ERR__NOENT,
        }
    })
}

/// Replaces the message's headers, taking ownership of `hdrs` (may be NULL).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_message_set_headers(
    rkmessage: *mut rd_kafka_message_t,
    hdrs: *mut rd_kafka_headers_t,
) {
    ffi_boundary!((), {
        if let Some(m) = borrow_mut(rkmessage) {
            m.headers = take(hdrs);
        }
    })
}
