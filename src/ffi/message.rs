//! Accessors for `rd_kafka_message_t` objects the library hands out:
//! delivery reports (owned by the library for the duration of the
//! callback) and consumed messages (owned by the application until
//! `rd_kafka_message_destroy`). Both are the first field of a `Msg`.

use crate::client::message::{MsgBox, MsgStatus, TimestampType};
use crate::error::rd_kafka_resp_err_t;
use crate::error::ErrorCode;
use crate::ffi::handle::{borrow, borrow_mut, lend_mut, take};
use crate::ffi::types::*;
use libc::c_char;

/// The pointer C is given for a message the library keeps owning (a
/// delivery report, a `consume_cb` call, an event's messages). It is made
/// from the whole `Msg`, not from its `rkmessage` field: the accessors
/// below read the `Msg` behind the pointer, and a pointer made from a
/// reference to the first field only may not reach the rest of the block
/// (Miri's Stacked Borrows reports that as undefined behaviour). Made from
/// a mutable borrow, as C may change the message (its headers) through it.
pub fn message_ptr(msg: &mut MsgBox) -> *mut rd_kafka_message_t {
    lend_mut::<rd_kafka_message_t>(&mut **msg)
}

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
        // C may change the list through the pointer (rd_kafka_header_add),
        // so it is lent from a mutable borrow: one made from `&Headers` may
        // not be written through (Miri reports it). `const` is only
        // librdkafka's prototype; every message pointer the library hands
        // out may be written through (see `message_ptr`).
        let Some(m) = borrow_mut(rkmessage.cast_mut()) else {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if hdrsp.is_null() {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        match &mut m.headers {
            Some(h) => {
                *hdrsp = lend_mut(&mut **h);
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

/// The accessors called as C calls them, on the three kinds of message the
/// library hands out (a delivery report's produced message, a consumed
/// message, a consumer error), through to `rd_kafka_message_destroy`.
/// Run under Miri by `tests/miri.sh`.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::consumer::{ConsumerPartition, Origin};
    use crate::client::headers::Headers;
    use crate::client::message::{Msg, NewMsg};
    use crate::client::queue::Queue;
    use crate::ffi::headers::headers_into_ptr;
    use crate::ffi::headers::{rd_kafka_header_add, rd_kafka_header_cnt, rd_kafka_headers_destroy};
    use std::ffi::CStr;
    use std::ptr::null_mut;
    use std::time::Instant;

    fn topic() -> std::sync::Arc<crate::client::topic::Topic> {
        crate::ffi::handle::tests::test_topic("t", 0)
    }

    fn consumed(headers: Option<Headers>) -> *mut rd_kafka_message_t {
        let t = topic();
        let origin = Origin {
            partition: ConsumerPartition::new(t.clone(), 2, &Queue::new()),
            version: 0,
        };
        Msg::consumed(
            t,
            2,
            17,
            Some(bytes::Bytes::from_static(b"key")),
            Some(bytes::Bytes::from(b"value".to_vec())),
            1_700_000_000_000,
            TimestampType::LogAppendTime,
            headers.map(Box::new),
            4,
            origin,
            Instant::now(),
        )
        .into_raw()
    }

    #[test]
    fn consumed_message_accessors_and_destroy() {
        let mut headers = Headers::new();
        headers.add(b"h", Some(b"1")).unwrap();
        let m = consumed(Some(headers));
        unsafe {
            let r = &*m;
            assert_eq!((r.partition, r.offset, r.len, r.key_len), (2, 17, 5, 3));
            assert_eq!(
                std::slice::from_raw_parts(r.payload as *const u8, r.len),
                b"value"
            );
            assert_eq!(
                std::slice::from_raw_parts(r.key as *const u8, r.key_len),
                b"key"
            );
            let mut ty = rd_kafka_timestamp_type_t::RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
            assert_eq!(rd_kafka_message_timestamp(m, &mut ty), 1_700_000_000_000);
            assert_eq!(
                ty,
                rd_kafka_timestamp_type_t::RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME
            );
            assert_eq!(rd_kafka_message_timestamp(m, null_mut()), 1_700_000_000_000);
            assert_eq!(rd_kafka_message_leader_epoch(m), 4);
            assert_eq!(rd_kafka_message_latency(m), -1);
            assert_eq!(rd_kafka_message_broker_id(m), -1);
            assert_eq!(
                rd_kafka_message_status(m),
                rd_kafka_msg_status_t::RD_KAFKA_MSG_STATUS_PERSISTED
            );
            assert!(rd_kafka_message_errstr(m).is_null());
            let mut h: *mut rd_kafka_headers_t = null_mut();
            assert_eq!(
                rd_kafka_message_headers(m, &mut h),
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
            );
            assert_eq!(rd_kafka_header_cnt(h), 1);
            assert_eq!(
                rd_kafka_message_headers(m, null_mut()),
                ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG
            );
            rd_kafka_message_destroy(m);
            rd_kafka_message_destroy(null_mut());
        }
    }

    #[test]
    fn headers_lent_by_a_message_can_be_changed_through_the_c_api() {
        // rd_kafka_message_headers lends the message's own list; C may add
        // to it (librdkafka allows that) before the message is destroyed,
        // on a consumed message or in a delivery report.
        let m = consumed(Some(Headers::new()));
        unsafe {
            let mut h: *mut rd_kafka_headers_t = null_mut();
            assert_eq!(
                rd_kafka_message_headers(m, &mut h),
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
            );
            assert_eq!(
                rd_kafka_header_add(h, c"x".as_ptr(), -1, c"y".as_ptr().cast(), -1),
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
            );
            let mut again: *mut rd_kafka_headers_t = null_mut();
            rd_kafka_message_headers(m, &mut again);
            assert_eq!(rd_kafka_header_cnt(again), 1);
            rd_kafka_message_destroy(m);
        }
        let mut produced = Msg::new(NewMsg {
            topic: topic(),
            partition: 0,
            key: None,
            payload: null_mut(),
            len: 0,
            copy_payload: false,
            free_payload: false,
            opaque: null_mut(),
            timestamp: 1,
            headers: Some(Box::new(Headers::new())),
            message_timeout_ms: 0,
            now: Instant::now(),
        });
        let m = message_ptr(&mut produced);
        unsafe {
            let mut h: *mut rd_kafka_headers_t = null_mut();
            assert_eq!(
                rd_kafka_message_headers(m, &mut h),
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
            );
            rd_kafka_header_add(h, c"x".as_ptr(), -1, null_mut(), 0);
        }
        assert_eq!(produced.headers.as_ref().unwrap().len(), 1);
    }

    #[test]
    fn headers_detached_set_and_replaced() {
        let m = consumed(None);
        unsafe {
            let mut h: *mut rd_kafka_headers_t = null_mut();
            assert_eq!(
                rd_kafka_message_headers(m, &mut h),
                ErrorCode::RD_KAFKA_RESP_ERR__NOENT
            );
            let mut own = Headers::new();
            own.add(b"a", None).unwrap();
            rd_kafka_message_set_headers(m, headers_into_ptr(own));
            // Replacing frees the previous list.
            let mut other = Headers::new();
            other.add(b"b", None).unwrap();
            other.add(b"c", None).unwrap();
            rd_kafka_message_set_headers(m, headers_into_ptr(other));
            assert_eq!(
                rd_kafka_message_detach_headers(m, &mut h),
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
            );
            assert_eq!(rd_kafka_header_cnt(h), 2);
            assert_eq!(
                rd_kafka_message_detach_headers(m, &mut h),
                ErrorCode::RD_KAFKA_RESP_ERR__NOENT
            );
            // The detached list outlives the message and is the caller's.
            rd_kafka_message_destroy(m);
            assert_eq!(rd_kafka_header_cnt(h), 2);
            rd_kafka_headers_destroy(h);
            rd_kafka_message_set_headers(null_mut(), null_mut());
        }
    }

    #[test]
    fn consumer_error_message_carries_its_text() {
        let m = Msg::consumer_error(
            None,
            -1,
            -1,
            ErrorCode::RD_KAFKA_RESP_ERR__PARTITION_EOF,
            "reached\0end".to_string(),
        )
        .into_raw();
        unsafe {
            let text = CStr::from_ptr(rd_kafka_message_errstr(m)).to_str().unwrap();
            assert_eq!(text, "reached end");
            // librdkafka puts the error string in the payload too.
            assert_eq!(
                std::slice::from_raw_parts((*m).payload as *const u8, (*m).len),
                b"reached end"
            );
            assert!((*m).rkt.is_null());
            assert_eq!(rd_kafka_message_timestamp(m, null_mut()), -1);
            rd_kafka_message_destroy(m);
        }
    }

    #[test]
    fn produced_message_as_a_delivery_report_sees_it() {
        let payload = b"copied payload".to_vec();
        let mut msg = Msg::new(NewMsg {
            topic: topic(),
            partition: 1,
            key: Some(b"k"),
            payload: payload.as_ptr() as *mut u8,
            len: payload.len(),
            copy_payload: true,
            free_payload: false,
            opaque: 7usize as *mut libc::c_void,
            timestamp: 0,
            headers: None,
            message_timeout_ms: 1000,
            now: Instant::now(),
        });
        drop(payload);
        msg.set_offset(3);
        msg.broker_id = 1;
        msg.set_result(
            ErrorCode::RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
            MsgStatus::NotPersisted,
        );
        // The pointer a delivery report (dr_msg_cb) gives C.
        let m = message_ptr(&mut msg);
        unsafe {
            assert_eq!(
                std::slice::from_raw_parts((*m).payload as *const u8, (*m).len),
                b"copied payload"
            );
            assert_eq!(
                std::slice::from_raw_parts((*m).key as *const u8, (*m).key_len),
                b"k"
            );
            assert_eq!((*m)._private as usize, 7);
            assert_eq!(rd_kafka_message_broker_id(m), 1);
            assert!(rd_kafka_message_timestamp(m, null_mut()) > 0);
            let errstr = CStr::from_ptr(rd_kafka_message_errstr(m));
            assert!(errstr.to_str().unwrap().contains("larger"), "{errstr:?}");
            assert!(!crate::ffi::topic::rd_kafka_topic_name((*m).rkt).is_null());
        }
        drop(msg);
        // F_FREE: the library frees the application's malloc'ed payload.
        // SAFETY: a fresh malloc of 3 bytes.
        let owned = unsafe { libc::malloc(3) } as *mut u8;
        unsafe { std::ptr::copy_nonoverlapping(b"abc".as_ptr(), owned, 3) };
        let msg = Msg::new(NewMsg {
            topic: topic(),
            partition: crate::abi::RD_KAFKA_PARTITION_UA,
            key: None,
            payload: owned,
            len: 3,
            copy_payload: false,
            free_payload: true,
            opaque: null_mut(),
            timestamp: 5,
            headers: None,
            message_timeout_ms: 0,
            now: Instant::now(),
        });
        assert_eq!(msg.payload(), Some(&b"abc"[..]));
        assert!(msg.key().is_none());
        drop(msg);
    }
}
