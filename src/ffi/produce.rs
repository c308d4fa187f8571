//! Produce calls: `rd_kafka_produce`, `rd_kafka_produceva` (and through the
//! C shim `producev.c`, `rd_kafka_producev`), `rd_kafka_produce_batch`.
//!
//! None of them blocks unless `RD_KAFKA_MSG_F_BLOCK` is given: a message is
//! queued or refused at once. On refusal the payload stays the
//! application's, even with `RD_KAFKA_MSG_F_FREE`.

use crate::client::headers::Headers;
use crate::client::topic::Topic;
use crate::client::{Client, ClientInner, ProduceArgs, TopicExtras};
use crate::error::ErrorCode;
use crate::ffi::boundary::c_str;
use crate::ffi::error::new_error_ptr;
use crate::ffi::handle::{borrow, take};
use crate::ffi::kafka::handle;
use crate::ffi::last_error::set_last_error;
use crate::ffi::topic::topic_arc;
use crate::ffi::types::*;
use libc::{c_int, c_void, size_t};
use std::sync::Arc;

unsafe fn key_slice<'a>(key: *const c_void, keylen: size_t) -> Option<&'a [u8]> {
    if key.is_null() {
        None
    } else {
        Some(std::slice::from_raw_parts(key as *const u8, keylen))
    }
}

/// `client`: the producing handle's client when the caller has it (a
/// produce call with `rk`); otherwise, or for a topic of another handle,
/// the topic's own client is used.
#[allow(clippy::too_many_arguments)]
/// Who queues a message: the application's client handle, or the client a
/// topic handle belongs to (taken once for a whole batch).
enum Producer<'a> {
    Handle(&'a Client),
    Owner(&'a ClientInner),
}

unsafe fn produce_one(
    client: Option<Producer<'_>>,
    topic: &Arc<Topic>,
    partition: i32,
    msgflags: c_int,
    payload: *mut c_void,
    len: size_t,
    key: Option<&[u8]>,
    opaque: *mut c_void,
    timestamp: i64,
    headers: Option<Box<Headers>>,
) -> Result<(), (ErrorCode, Option<Box<Headers>>)> {
    if payload.is_null() && len > 0 {
        return Err((ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG, headers));
    }
    let args = ProduceArgs {
        topic,
        partition,
        payload: payload as *mut u8,
        len,
        key,
        copy_payload: msgflags & RD_KAFKA_MSG_F_COPY != 0,
        free_payload: msgflags & RD_KAFKA_MSG_F_FREE != 0,
        block: msgflags & RD_KAFKA_MSG_F_BLOCK != 0,
        opaque,
        timestamp,
        headers,
    };
    // The caller's client when the topic is its own (no reference count
    // touched); otherwise the topic's client, if it still exists.
    let result = match client {
        Some(Producer::Handle(c)) if c.owns(topic) => c.produce(args),
        Some(Producer::Owner(owner)) if std::ptr::eq(topic.client.as_ptr(), owner) => {
            owner.produce(args)
        }
        _ => match topic.client.upgrade() {
            Some(owner) => owner.produce(args),
            None => return Err((ErrorCode::RD_KAFKA_RESP_ERR__DESTROY, args.headers)),
        },
    };
    result.map_err(|e| (e.code, e.headers))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_produce(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    msgflags: c_int,
    payload: *mut c_void,
    len: size_t,
    key: *const c_void,
    keylen: size_t,
    msg_opaque: *mut c_void,
) -> c_int {
    ffi_boundary!(-1, {
        if borrow(rkt).is_none() {
            set_last_error(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG);
            return -1;
        }
        let topic = topic_arc(rkt);
        match produce_one(
            None,
            &topic,
            partition,
            msgflags,
            payload,
            len,
            key_slice(key, keylen),
            msg_opaque,
            0,
            None,
        ) {
            Ok(()) => {
                set_last_error(ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR);
                0
            }
            Err((err, _)) => {
                set_last_error(err);
                -1
            }
        }
    })
}

/// Produces a message described by an array of `rd_kafka_vu_t`. Returns
/// NULL on success or an error object the caller must destroy.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_produceva(
    rk: *mut rd_kafka_t,
    vus: *const rd_kafka_vu_t,
    cnt: size_t,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(
        new_error_ptr(
            ErrorCode::RD_KAFKA_RESP_ERR__FAIL,
            "internal error".to_string()
        ),
        {
            let Some(h) = handle(rk) else {
                return new_error_ptr(
                    ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
                    "rk is NULL".to_string(),
                );
            };
            if vus.is_null() && cnt > 0 {
                return new_error_ptr(
                    ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
                    "vus is NULL".to_string(),
                );
            }
            let vus = if cnt == 0 {
                &[][..]
            } else {
                std::slice::from_raw_parts(vus, cnt)
            };
            // The last RD_KAFKA_V_TOPIC/RD_KAFKA_V_RKT wins. A topic named
            // by RD_KAFKA_V_TOPIC is used from the registry below, without
            // taking a reference to it.
            let mut topic: Option<Arc<Topic>> = None;
            let mut known_name: Option<&[u8]> = None;
            let mut partition = RD_KAFKA_PARTITION_UA;
            let (mut payload, mut len) = (std::ptr::null_mut::<c_void>(), 0usize);
            let mut key: Option<&[u8]> = None;
            let mut opaque = std::ptr::null_mut::<c_void>();
            let mut msgflags = 0;
            let mut timestamp = 0i64;
            let mut single_headers: Option<Box<Headers>> = None;
            let mut headers_ptr: *mut rd_kafka_headers_t = std::ptr::null_mut();
            let invalid = |msg: &str| {
                new_error_ptr(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG, msg.to_string())
            };
            for vu in vus {
                match rd_kafka_vtype_t::from_raw(vu.vtype) {
                    Some(rd_kafka_vtype_t::RD_KAFKA_VTYPE_END) => break,
                    Some(rd_kafka_vtype_t::RD_KAFKA_VTYPE_TOPIC) => {
                        if vu.u.cstr.is_null() {
                            return invalid("topic name is NULL");
                        }
                        // Resolved after the loop (created there if new).
                        known_name = Some(std::ffi::CStr::from_ptr(vu.u.cstr).to_bytes());
                        topic = None;
                    }
                    Some(rd_kafka_vtype_t::RD_KAFKA_VTYPE_RKT) => {
                        if vu.u.rkt.is_null() {
                            return invalid("topic handle is NULL");
                        }
                        topic = Some(topic_arc(vu.u.rkt));
                        known_name = None;
                    }
                    Some(rd_kafka_vtype_t::RD_KAFKA_VTYPE_PARTITION) => partition = vu.u.i32,
                    Some(rd_kafka_vtype_t::RD_KAFKA_VTYPE_VALUE) => {
                        payload = vu.u.mem.ptr;
                        len = vu.u.mem.size;
                    }
                    Some(rd_kafka_vtype_t::RD_KAFKA_VTYPE_KEY) => {
                        key = key_slice(vu.u.mem.ptr, vu.u.mem.size)
                    }
                    Some(rd_kafka_vtype_t::RD_KAFKA_VTYPE_OPAQUE) => opaque = vu.u.ptr,
                    Some(rd_kafka_vtype_t::RD_KAFKA_VTYPE_MSGFLAGS) => msgflags = vu.u.i,
                    Some(rd_kafka_vtype_t::RD_KAFKA_VTYPE_TIMESTAMP) => timestamp = vu.u.i64,
                    Some(rd_kafka_vtype_t::RD_KAFKA_VTYPE_HEADER) => {
                        if !headers_ptr.is_null() {
                            return invalid(
                                "VTYPE_HEADER and VTYPE_HEADERS are mutually exclusive",
                            );
                        }
                        let hdr = vu.u.header;
                        let Some(name) = c_str(hdr.name) else {
                            return invalid("header name is NULL");
                        };
                        let value = if hdr.val.is_null() {
                            None
                        } else if hdr.size < 0 {
                            Some(
                                std::ffi::CStr::from_ptr(hdr.val as *const libc::c_char).to_bytes(),
                            )
                        } else {
                            Some(std::slice::from_raw_parts(
                                hdr.val as *const u8,
                                hdr.size as usize,
                            ))
                        };
                        let list = single_headers
                            .get_or_insert_with(|| Box::new(Headers::with_capacity(4)));
                        if let Err(err) = list.add(name.as_bytes(), value) {
                            return new_error_ptr(err, "cannot add header".to_string());
                        }
                    }
                    Some(rd_kafka_vtype_t::RD_KAFKA_VTYPE_HEADERS) => {
                        if single_headers.is_some() {
                            return invalid(
                                "VTYPE_HEADER and VTYPE_HEADERS are mutually exclusive",
                            );
                        }
                        headers_ptr = vu.u.headers;
                    }
                    None => return invalid(&format!("unsupported vtype {}", vu.vtype)),
                }
            }
            let client = h.client();
            // Topics stay in the registry for the client's lifetime. Its
            // lock is held through the produce call (lock order: registry,
            // then topic), except with RD_KAFKA_MSG_F_BLOCK, which may wait
            // for queue space, and for a topic with a partitioner callback
            // (no lock is held while application code runs).
            let mut registry = None;
            if let Some(name) = known_name {
                match client.registered_topic(name) {
                    Some(known) => {
                        if msgflags & RD_KAFKA_MSG_F_BLOCK != 0
                            || known.custom_partitioner.is_some()
                        {
                            topic = Some(Arc::clone(&known));
                        } else {
                            registry = Some(known);
                        }
                    }
                    None => {
                        // A new topic: created with the default topic conf.
                        let name = String::from_utf8_lossy(name);
                        match client.topic(&name, None, default_extras(h)) {
                            Ok(t) => topic = Some(t),
                            Err(e) => return invalid(&e),
                        }
                    }
                }
            }
            let topic = match &registry {
                Some(known) => Some(&**known),
                None => topic.as_ref(),
            };
            let Some(topic) = topic else {
                return invalid("no topic given (RD_KAFKA_V_TOPIC or RD_KAFKA_V_RKT)");
            };
            // Ownership of a headers list passes to the message only on success.
            let headers = single_headers.or_else(|| take(headers_ptr));
            let result = produce_one(
                Some(Producer::Handle(client)),
                topic,
                partition,
                msgflags,
                payload,
                len,
                key,
                opaque,
                timestamp,
                headers,
            );
            drop(registry);
            match result {
                Ok(()) => std::ptr::null_mut(),
                Err((err, headers)) => {
                    if let Some(headers) = headers {
                        if !headers_ptr.is_null() {
                            // Give the application's list back untouched.
                            let _ = Box::into_raw(headers);
                        }
                    }
                    new_error_ptr(err, err.description().to_string())
                }
            }
        }
    )
}

unsafe fn default_extras(h: &crate::ffi::kafka::KafkaHandle) -> TopicExtras {
    crate::ffi::topic::default_topic_extras(h)
}

/// Produces `message_cnt` messages; returns how many were queued. Refused
/// messages have their `err` field set.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_produce_batch(
    rkt: *mut rd_kafka_topic_t,
    partition: i32,
    msgflags: c_int,
    rkmessages: *mut rd_kafka_message_t,
    message_cnt: c_int,
) -> c_int {
    ffi_boundary!(0, {
        if borrow(rkt).is_none() || rkmessages.is_null() || message_cnt <= 0 {
            set_last_error(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG);
            return 0;
        }
        let msgs = std::slice::from_raw_parts_mut(rkmessages, message_cnt as usize);
        let per_message_partition = msgflags & RD_KAFKA_MSG_F_PARTITION != 0;
        let topic = topic_arc(rkt);
        let client = topic.client.upgrade();
        let mut queued = 0;
        for m in msgs.iter_mut() {
            let p = if per_message_partition {
                m.partition
            } else {
                partition
            };
            let result = produce_one(
                client.as_deref().map(Producer::Owner),
                &topic,
                p,
                msgflags,
                m.payload,
                m.len,
                key_slice(m.key, m.key_len),
                m._private,
                0,
                None,
            );
            m.err = match result {
                Ok(()) => {
                    queued += 1;
                    ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR.code()
                }
                Err((err, _)) => err.code(),
            };
        }
        queued
    })
}
