//! The event API (`rd_kafka_queue_poll` → `rd_kafka_event_t`): ops turned
//! into objects the application inspects and destroys.
//!
//! Ownership: `rd_kafka_event_t*` is a `Box<Event>`; messages inside stay
//! owned by the event and are freed with it (`rd_kafka_event_destroy`).

use crate::client::message::MsgBox;
use crate::client::queue::Op;
use crate::client::topic_partition::TopicPartition;
use crate::client::DeliveryTicket;
use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::admin::results::{event_name, event_type, AdminPayload};
use crate::ffi::handle::{borrow, borrow_mut, into_ptr, take};
use crate::ffi::kafka::KafkaHandle;
use crate::ffi::message::message_ptr;
use crate::ffi::partition_list::{list_from, partition_from};
use crate::ffi::types::*;
use libc::{c_char, c_int, c_void, size_t};
use std::ffi::CString;

pub struct Event {
    kind: c_int,
    msgs: Vec<MsgBox>,
    next: usize,
    err: ErrorCode,
    errstr: CString,
    partitions: *mut rd_kafka_topic_partition_list_t,
    log: Option<(CString, CString, c_int)>,
    /// The debug contexts of a LOG event's line ("" for other lines).
    debug_contexts: String,
    /// The partition a FETCH or consumer ERROR event concerns
    /// (`rd_kafka_event_topic_partition`).
    partition: Option<TopicPartition>,
    stats: Option<CString>,
    /// `sasl.oauthbearer.config` of an OAUTHBEARER_TOKEN_REFRESH event.
    config: Option<CString>,
    /// Delivery reports count against the producer queue until destroyed.
    delivered_to: Option<DeliveryTicket>,
    opaque: *mut c_void,
    /// The objects of an Admin API result.
    admin: Option<Box<AdminPayload>>,
}

impl Drop for Event {
    fn drop(&mut self) {
        if let Some(ticket) = &self.delivered_to {
            ticket.served(&self.msgs);
        }
        // SAFETY: the list was created by list_from and is owned by the event.
        unsafe {
            crate::ffi::partition_list::rd_kafka_topic_partition_list_destroy(self.partitions)
        };
    }
}

fn cstring(s: String) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

impl Event {
    fn new(kind: c_int) -> Event {
        Event {
            kind,
            msgs: Vec::new(),
            next: 0,
            err: ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
            errstr: CString::default(),
            partitions: std::ptr::null_mut(),
            log: None,
            debug_contexts: String::new(),
            partition: None,
            stats: None,
            config: None,
            delivered_to: None,
            opaque: std::ptr::null_mut(),
            admin: None,
        }
    }

    pub(crate) fn kind(&self) -> c_int {
        self.kind
    }

    pub(crate) fn admin(&self) -> Option<&AdminPayload> {
        self.admin.as_deref()
    }

    /// Turns an op into an event pointer for the application; NULL for an
    /// op the library serves itself on the polling thread (the builtin OIDC
    /// refresh and a throttle report's `throttle_cb`, which librdkafka never
    /// shows as events).
    ///
    /// # Safety
    /// `rk` is the handle `h` belongs to (handed to `throttle_cb`).
    pub unsafe fn from_op(op: Op, rk: *mut rd_kafka_t, h: &KafkaHandle) -> *mut rd_kafka_event_t {
        let client = h.client();
        let mut ev;
        let mut opaque = h.callbacks.opaque;
        match op {
            Op::Delivery(msgs) => {
                ev = Event::new(RD_KAFKA_EVENT_DR);
                ev.msgs = msgs;
                ev.delivered_to = Some(client.delivery_ticket());
            }
            Op::Message(msg) => {
                // A consumer error (`_PARTITION_EOF`, ...) is an ERROR event,
                // as librdkafka's consumer-error ops are; the message stays
                // readable through the event.
                let err = msg.err();
                let failed = err != ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR;
                ev = Event::new(if failed {
                    RD_KAFKA_EVENT_ERROR
                } else {
                    RD_KAFKA_EVENT_FETCH
                });
                ev.err = err;
                if failed {
                    let text = msg.payload().map(String::from_utf8_lossy);
                    ev.errstr = cstring(text.map(|t| t.into_owned()).unwrap_or_default());
                }
                // As librdkafka: an error's partition carries the error's
                // offset; a fetch's leaves the offset unset (0).
                ev.partition = msg.topic.as_ref().map(|t| TopicPartition {
                    err,
                    ..TopicPartition::new(
                        &t.name,
                        msg.partition(),
                        if failed { msg.offset() } else { 0 },
                    )
                });
                ev.msgs = vec![msg];
            }
            Op::Error { code, reason } => {
                ev = Event::new(RD_KAFKA_EVENT_ERROR);
                ev.err = code;
                ev.errstr = cstring(reason);
            }
            Op::Log {
                level,
                facility,
                message,
                contexts,
            } => {
                ev = Event::new(RD_KAFKA_EVENT_LOG);
                ev.log = Some((cstring(facility), cstring(message), level));
                ev.debug_contexts = crate::client::log::context_names(contexts);
            }
            Op::Throttle {
                broker_name,
                broker_id,
                throttle_ms,
            } => {
                crate::ffi::callbacks::serve_throttle(
                    rk,
                    &h.callbacks,
                    &broker_name,
                    broker_id,
                    throttle_ms,
                );
                return std::ptr::null_mut();
            }
            Op::Stats(json) => {
                ev = Event::new(RD_KAFKA_EVENT_STATS);
                ev.stats = Some(cstring(json));
            }
            Op::Rebalance { kind, partitions } => {
                ev = Event::new(RD_KAFKA_EVENT_REBALANCE);
                ev.err = kind;
                ev.partitions = list_from(&partitions);
            }
            Op::OidcTokenRefresh => {
                client.refresh_oidc_token();
                return std::ptr::null_mut();
            }
            Op::OAuthBearerTokenRefresh { config } => {
                ev = Event::new(RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH);
                ev.config = config.map(cstring);
            }
            Op::OffsetCommit { err, offsets } => {
                ev = Event::new(RD_KAFKA_EVENT_OFFSET_COMMIT);
                ev.err = err;
                ev.partitions = list_from(&offsets);
            }
            Op::Admin(result) => {
                let result = *result;
                ev = Event::new(event_type(result.op));
                ev.err = result.err;
                if let Some(reason) = result.errstr {
                    ev.errstr = cstring(reason);
                }
                // An admin result carries AdminOptions_set_opaque's value.
                opaque = result.opaque as *mut c_void;
                ev.admin = Some(Box::new(AdminPayload::new(result.body)));
            }
        }
        ev.opaque = opaque;
        if ev.errstr.as_bytes().is_empty() && ev.err != ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR {
            ev.errstr = CString::new(ev.err.description()).unwrap_or_default();
        }
        into_ptr(ev)
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_type(
    rkev: *const rd_kafka_event_t,
) -> rd_kafka_event_type_t {
    ffi_boundary!(RD_KAFKA_EVENT_NONE, {
        borrow(rkev).map_or(RD_KAFKA_EVENT_NONE, |e| e.kind)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_name(rkev: *const rd_kafka_event_t) -> *const c_char {
    ffi_boundary!(c"(NONE)".as_ptr(), {
        let name = match borrow(rkev).map(|e| e.kind) {
            Some(RD_KAFKA_EVENT_DR) => c"DeliveryReport",
            Some(RD_KAFKA_EVENT_FETCH) => c"Fetch",
            Some(RD_KAFKA_EVENT_LOG) => c"Log",
            Some(RD_KAFKA_EVENT_ERROR) => c"Error",
            Some(RD_KAFKA_EVENT_REBALANCE) => c"Rebalance",
            Some(RD_KAFKA_EVENT_OFFSET_COMMIT) => c"OffsetCommit",
            Some(RD_KAFKA_EVENT_STATS) => c"Stats",
            Some(RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH) => c"OAuthBearerTokenRefresh",
            Some(kind) => event_name(kind).unwrap_or(c"(NONE)"),
            None => c"(NONE)",
        };
        name.as_ptr()
    })
}

/// Destroys the event and what it owns. NULL is ignored; not twice.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_destroy(rkev: *mut rd_kafka_event_t) {
    ffi_boundary!((), {
        drop(take(rkev));
    })
}

/// The next message of a DR or FETCH event (owned by the event), or NULL.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_message_next(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_message_t {
    ffi_boundary!(std::ptr::null(), {
        let Some(e) = borrow_mut(rkev) else {
            return std::ptr::null();
        };
        let Some(m) = e.msgs.get_mut(e.next) else {
            return std::ptr::null();
        };
        let m = message_ptr(m);
        e.next += 1;
        m
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_message_array(
    rkev: *mut rd_kafka_event_t,
    rkmessages: *mut *const rd_kafka_message_t,
    size: size_t,
) -> size_t {
    ffi_boundary!(0, {
        let Some(e) = borrow_mut(rkev) else { return 0 };
        if rkmessages.is_null() {
            return 0;
        }
        let mut n = 0;
        while n < size && e.next < e.msgs.len() {
            *rkmessages.add(n) = message_ptr(&mut e.msgs[e.next]);
            e.next += 1;
            n += 1;
        }
        n
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_message_count(rkev: *mut rd_kafka_event_t) -> size_t {
    ffi_boundary!(0, { borrow(rkev).map_or(0, |e| e.msgs.len()) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_error(rkev: *mut rd_kafka_event_t) -> rd_kafka_resp_err_t {
    ffi_boundary!(rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__FAIL, {
        borrow(rkev).map_or(rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__INVALID_ARG, |e| {
            e.err
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_error_string(rkev: *mut rd_kafka_event_t) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        match borrow(rkev) {
            Some(e) if e.err != ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR => e.errstr.as_ptr(),
            _ => std::ptr::null(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_error_is_fatal(rkev: *mut rd_kafka_event_t) -> c_int {
    // The only error event raised for a fatal error is `__FATAL` itself.
    ffi_boundary!(0, {
        borrow(rkev).is_some_and(|e| {
            e.kind == RD_KAFKA_EVENT_ERROR && e.err == ErrorCode::RD_KAFKA_RESP_ERR__FATAL
        }) as c_int
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_opaque(rkev: *mut rd_kafka_event_t) -> *mut c_void {
    ffi_boundary!(std::ptr::null_mut(), {
        borrow(rkev).map_or(std::ptr::null_mut(), |e| e.opaque)
    })
}

/// Facility, message and level of a LOG event; -1 for other events.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_log(
    rkev: *mut rd_kafka_event_t,
    fac: *mut *const c_char,
    str_: *mut *const c_char,
    level: *mut c_int,
) -> c_int {
    ffi_boundary!(-1, {
        let Some((f, m, l)) = borrow(rkev).and_then(|e| e.log.as_ref()) else {
            return -1;
        };
        if !fac.is_null() {
            *fac = f.as_ptr();
        }
        if !str_.is_null() {
            *str_ = m.as_ptr();
        }
        if !level.is_null() {
            *level = *l;
        }
        0
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_stats(rkev: *mut rd_kafka_event_t) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(rkev)
            .and_then(|e| e.stats.as_ref())
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// `sasl.oauthbearer.config` of an OAUTHBEARER_TOKEN_REFRESH event (NULL if
/// unset or another event type); owned by the event.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_config_string(
    rkev: *mut rd_kafka_event_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(rkev)
            .and_then(|e| e.config.as_ref())
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// The partition list of a REBALANCE or OFFSET_COMMIT event (owned by the event).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_topic_partition_list(
    rkev: *mut rd_kafka_event_t,
) -> *mut rd_kafka_topic_partition_list_t {
    ffi_boundary!(std::ptr::null_mut(), {
        borrow(rkev).map_or(std::ptr::null_mut(), |e| e.partitions)
    })
}

/// The debug contexts of a LOG event's line (comma-separated librdkafka
/// names, "" for a line that is not a debug line), written NUL-terminated
/// (truncated to fit) to `dst`: 0, or -1 for another event type.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_debug_contexts(
    rkev: *mut rd_kafka_event_t,
    dst: *mut c_char,
    dstsize: size_t,
) -> c_int {
    ffi_boundary!(-1, {
        match borrow(rkev) {
            Some(e) if e.kind == RD_KAFKA_EVENT_LOG as c_int => {
                crate::ffi::boundary::write_errstr(dst, dstsize, &e.debug_contexts);
                0
            }
            _ => -1,
        }
    })
}

/// The partition an event concerns, newly allocated (free with
/// `rd_kafka_topic_partition_destroy`): for a consumer ERROR event (its
/// error and offset) and a FETCH event (as librdkafka, whose ops for both
/// carry their partition); NULL for client-level errors and other events.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_topic_partition(
    rkev: *mut rd_kafka_event_t,
) -> *mut rd_kafka_topic_partition_t {
    ffi_boundary!(std::ptr::null_mut(), {
        borrow(rkev)
            .and_then(|e| e.partition.as_ref())
            .map_or(std::ptr::null_mut(), partition_from)
    })
}

/// Events read as C reads them: messages taken one by one and by array
/// (pointers that stay valid until the event is destroyed), out-parameters,
/// the owned partition list, destroy. Run under Miri by `tests/miri.sh`.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::message::Msg;
    use crate::client::topic_partition::TopicPartition;
    use crate::ffi::message::{rd_kafka_message_errstr, rd_kafka_message_timestamp};
    use std::ffi::CStr;
    use std::ptr::{null, null_mut};

    fn error_message(n: i64) -> MsgBox {
        Msg::consumer_error(
            None,
            0,
            n,
            ErrorCode::RD_KAFKA_RESP_ERR__PARTITION_EOF,
            format!("end {n}"),
        )
    }

    unsafe fn errstr(m: *const rd_kafka_message_t) -> String {
        CStr::from_ptr(rd_kafka_message_errstr(m))
            .to_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn messages_by_next_and_by_array_stay_valid_until_destroy() {
        let mut ev = Event::new(RD_KAFKA_EVENT_FETCH);
        ev.msgs = (0..3).map(error_message).collect();
        let rkev: *mut rd_kafka_event_t = into_ptr(ev);
        unsafe {
            assert_eq!(rd_kafka_event_type(rkev), RD_KAFKA_EVENT_FETCH);
            assert_eq!(rd_kafka_event_message_count(rkev), 3);
            let first = rd_kafka_event_message_next(rkev);
            assert_eq!(errstr(first), "end 0");
            let mut rest = [null::<rd_kafka_message_t>(); 4];
            assert_eq!(rd_kafka_event_message_array(rkev, rest.as_mut_ptr(), 4), 2);
            assert!(rd_kafka_event_message_next(rkev).is_null());
            // Every pointer handed out is still readable, the first too.
            assert_eq!(errstr(rest[0]), "end 1");
            assert_eq!(errstr(rest[1]), "end 2");
            assert_eq!((*first).offset, 0);
            assert_eq!(rd_kafka_message_timestamp(first, null_mut()), -1);
            assert_eq!(rd_kafka_event_message_array(rkev, null_mut(), 4), 0);
            rd_kafka_event_destroy(rkev);
            rd_kafka_event_destroy(null_mut());
            assert!(rd_kafka_event_message_next(null_mut()).is_null());
        }
    }

    #[test]
    fn log_and_rebalance_events_through_out_parameters() {
        let mut ev = Event::new(RD_KAFKA_EVENT_LOG);
        ev.log = Some((c"FAC".into(), c"text".into(), 6));
        let rkev: *mut rd_kafka_event_t = into_ptr(ev);
        unsafe {
            let (mut fac, mut text, mut level) = (null::<c_char>(), null::<c_char>(), 0);
            assert_eq!(rd_kafka_event_log(rkev, &mut fac, &mut text, &mut level), 0);
            assert_eq!(CStr::from_ptr(fac).to_str().unwrap(), "FAC");
            assert_eq!(CStr::from_ptr(text).to_str().unwrap(), "text");
            assert_eq!(level, 6);
            assert_eq!(
                rd_kafka_event_log(rkev, null_mut(), null_mut(), null_mut()),
                0
            );
            assert!(rd_kafka_event_topic_partition_list(rkev).is_null());
            assert!(rd_kafka_event_error_string(rkev).is_null());
            rd_kafka_event_destroy(rkev);
        }
        let mut ev = Event::new(RD_KAFKA_EVENT_REBALANCE);
        ev.err = ErrorCode::RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
        ev.errstr = cstring("assign".into());
        ev.partitions = list_from(&[
            TopicPartition::new("t", 0, -1),
            TopicPartition::new("t", 1, -1),
        ]);
        let rkev: *mut rd_kafka_event_t = into_ptr(ev);
        unsafe {
            let list = rd_kafka_event_topic_partition_list(rkev);
            assert_eq!((*list).cnt, 2);
            assert_eq!((*(*list).elems.add(1)).partition, 1);
            assert_eq!(
                CStr::from_ptr(rd_kafka_event_error_string(rkev))
                    .to_str()
                    .unwrap(),
                "assign"
            );
            assert_eq!(
                rd_kafka_event_log(rkev, null_mut(), null_mut(), null_mut()),
                -1
            );
            // The list is the event's: destroying the event frees it.
            rd_kafka_event_destroy(rkev);
        }
    }
}
