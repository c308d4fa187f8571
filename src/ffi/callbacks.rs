//! Serving ops on the application's thread: each op the core queued
//! (delivery reports, errors, logs, throttle, statistics, rebalances,
//! commit results, messages) becomes the application's callback, run inside
//! the poll or consume call that took it. The core never calls application
//! code itself (see DESIGN.md, "Where application callbacks run").

use crate::client::message::{Msg, MsgBox};
use crate::client::queue::Op;
use crate::client::topic_partition::TopicPartition;
use crate::error::rd_kafka_resp_err_t::*;
use crate::error::ErrorCode;
use crate::ffi::conf::Callbacks;
use crate::ffi::kafka::KafkaHandle;
use crate::ffi::message::message_ptr;
use crate::ffi::partition_list::list_from;
use crate::ffi::types::*;
use libc::{c_char, c_int, c_void};
use std::ffi::CString;
use std::time::Duration;

/// What serving one op produced.
pub enum Served {
    /// Callbacks ran for this many events.
    Count(c_int),
    /// A message (or consumer error) for the caller to return to the application.
    Message(MsgBox),
}

/// Serves one op for a call that returns messages (`consumer_poll`,
/// `consume_queue`): the message, if the op was one (or an error the
/// application gets as a message); callbacks ran otherwise.
pub unsafe fn served_message(rk: *mut rd_kafka_t, h: &KafkaHandle, op: Op) -> Option<MsgBox> {
    match serve_op(rk, h, op, true) {
        Served::Message(msg) => Some(msg),
        Served::Count(_) => None,
    }
}

/// Serves one op by calling the configured callback on this thread. With
/// `return_messages` (consumer calls), messages and, when no `error_cb` is
/// set, errors come back to the caller instead.
/// Calls `throttle_cb`. librdkafka has no throttle event type: its event
/// API (`rd_kafka_queue_poll`) serves a throttle op through the callback
/// too, on the polling thread, so `Event::from_op` calls this as well.
pub unsafe fn serve_throttle(
    rk: *mut rd_kafka_t,
    cb: &Callbacks,
    broker_name: &str,
    broker_id: i32,
    throttle_ms: i32,
) {
    if let Some(f) = cb.throttle_cb {
        let name = CString::new(broker_name).unwrap_or_default();
        f(rk, name.as_ptr(), broker_id, throttle_ms, cb.opaque);
    }
}

pub unsafe fn serve_op(
    rk: *mut rd_kafka_t,
    h: &KafkaHandle,
    op: Op,
    return_messages: bool,
) -> Served {
    let cb = &h.callbacks;
    match op {
        Op::Delivery(mut msgs) => {
            let n = msgs.len() as c_int;
            serve_delivery(rk, h, &mut msgs);
            h.client().delivery_served(&msgs);
            drop(msgs);
            Served::Count(n)
        }
        Op::Message(msg) if return_messages => Served::Message(msg),
        Op::Message(mut msg) => {
            if let Some(f) = cb.consume_cb {
                f(message_ptr(&mut msg), cb.opaque);
            }
            Served::Count(1)
        }
        Op::Error { code, reason } => match cb.error_cb {
            Some(f) => {
                let reason = CString::new(reason.replace('\0', " ")).unwrap_or_default();
                f(rk, code as c_int, reason.as_ptr(), cb.opaque);
                Served::Count(1)
            }
            None if return_messages => {
                Served::Message(Msg::consumer_error(None, -1, -1, code, reason))
            }
            None => {
                h.client().logger().emit(
                    crate::client::log::LOG_ERR,
                    "ERROR",
                    &format!("{}: {}", code.name(), reason),
                );
                Served::Count(1)
            }
        },
        Op::Log {
            level,
            facility,
            message,
            ..
        } => {
            h.client().logger().emit(level, &facility, &message);
            Served::Count(1)
        }
        Op::Throttle {
            broker_name,
            broker_id,
            throttle_ms,
        } => {
            serve_throttle(rk, cb, &broker_name, broker_id, throttle_ms);
            Served::Count(1)
        }
        Op::Stats(json) => {
            if let Some(f) = cb.stats_cb {
                let bytes = CString::new(json).unwrap_or_default().into_bytes_with_nul();
                // A non-zero return means the application keeps the buffer
                // and frees it with free(): hand over a malloc'ed copy.
                let buf = libc::malloc(bytes.len()) as *mut c_char;
                if !buf.is_null() {
                    std::ptr::copy_nonoverlapping(
                        bytes.as_ptr() as *const c_char,
                        buf,
                        bytes.len(),
                    );
                    if f(rk, buf, bytes.len() - 1, cb.opaque) == 0 {
                        libc::free(buf as *mut c_void);
                    }
                }
            }
            Served::Count(1)
        }
        Op::Rebalance { kind, partitions } => {
            serve_rebalance(rk, h, kind, &partitions);
            Served::Count(1)
        }
        Op::OAuthBearerTokenRefresh { config } => {
            // Without a callback the application answers the event (or
            // calls rd_kafka_oauthbearer_set_token on its own schedule).
            if let Some(f) = cb.oauthbearer_token_refresh_cb {
                let config = config.map(|c| CString::new(c.replace('\0', " ")).unwrap_or_default());
                f(
                    rk,
                    config.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()),
                    cb.opaque,
                );
            }
            Served::Count(1)
        }
        Op::OidcTokenRefresh => {
            h.client().refresh_oidc_token();
            Served::Count(0)
        }
        // A result on a queue served by callbacks (the main queue under
        // rd_kafka_poll) has no callback of its own: librdkafka drops it.
        Op::Admin(_) => Served::Count(1),
        Op::OffsetCommit { err, offsets } => {
            if let Some(f) = cb.offset_commit_cb {
                let list = crate::ffi::partition_list::list_from(&offsets);
                f(rk, err, list, cb.opaque);
                crate::ffi::partition_list::rd_kafka_topic_partition_list_destroy(list);
            }
            Served::Count(1)
        }
    }
}

unsafe fn serve_delivery(rk: *mut rd_kafka_t, h: &KafkaHandle, msgs: &mut [MsgBox]) {
    let cb = &h.callbacks;
    if let Some(f) = cb.dr_msg_cb {
        for msg in msgs.iter_mut() {
            f(rk, message_ptr(msg), cb.opaque);
        }
    } else if let Some(f) = cb.dr_cb {
        for msg in msgs {
            let m = &msg.rkmessage;
            f(rk, m.payload, m.len, msg.err(), cb.opaque, m._private);
        }
    }
}

/// Serves events for up to `timeout` (first wait), then everything already
/// queued. Returns the number of events served.
pub unsafe fn poll_events(
    rk: *mut rd_kafka_t,
    h: &KafkaHandle,
    timeout: Option<Duration>,
) -> c_int {
    let client = h.client();
    let mut served = 0;
    let mut serve = |op| {
        if let Served::Count(n) = serve_op(rk, h, op, false) {
            served += n;
        }
    };
    if let Some(op) = client.poll_event(timeout) {
        serve(op);
        for op in client.main_queue().drain() {
            serve(op);
        }
    }
    served
}

/// Runs the application's rebalance callback, or does what librdkafka does
/// without one: assign what is assigned, unassign what is revoked.
pub unsafe fn serve_rebalance(
    rk: *mut rd_kafka_t,
    h: &KafkaHandle,
    kind: ErrorCode,
    partitions: &[TopicPartition],
) {
    let cb = &h.callbacks;
    if let Some(f) = cb.rebalance_cb {
        let list = list_from(partitions);
        f(rk, kind, list, cb.opaque);
        crate::ffi::partition_list::rd_kafka_topic_partition_list_destroy(list);
        return;
    }
    let client = h.client();
    let cooperative = client
        .group_view()
        .is_some_and(|g| g.protocol == Some("COOPERATIVE"));
    let _ = match (kind, cooperative) {
        (RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS, false) => client.assign(Some(partitions.to_vec())),
        (RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS, true) => {
            client.incremental_assign(partitions.to_vec())
        }
        (_, false) => client.assign(None),
        (_, true) => client.incremental_unassign(partitions.to_vec()),
    };
}
