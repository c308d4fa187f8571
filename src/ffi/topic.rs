//! `rd_kafka_topic_t`: topic handles.
//!
//! Ownership: every `rd_kafka_topic_t*` given to C is one strong count of
//! the client's `Arc<Topic>` (see `handle.rs`); `rd_kafka_topic_destroy`
//! drops it. Messages keep their own count, so a delivery report's `rkt`
//! stays valid even after the application destroyed its handle.

use crate::client::topic::{CustomPartitioner, Topic};
use crate::client::TopicExtras;
use crate::error::ErrorCode;
use crate::ffi::boundary::c_str;
use crate::ffi::conf::TopicConfHandle;
use crate::ffi::handle::{arc_clone, arc_into_ptr, arc_release, borrow, lend, take};
use crate::ffi::kafka::handle;
use crate::ffi::last_error::set_last_error;
use crate::ffi::types::*;
use libc::{c_char, c_int, c_void};
use std::sync::Arc;

/// A new strong reference to the topic behind `rkt`.
///
/// # Safety
/// As for [`topic_ref`], and `rkt` must not be NULL.
pub unsafe fn topic_arc(rkt: *const rd_kafka_topic_t) -> Arc<Topic> {
    arc_clone(rkt)
}

/// Wraps the application's partitioner callback for the core.
fn custom_partitioner(conf: &TopicConfHandle) -> TopicExtras {
    let opaque = conf.opaque() as usize;
    let partitioner = conf.partitioner().map(|cb| {
        let p: CustomPartitioner = Arc::new(
            move |topic: &Topic, key: Option<&[u8]>, cnt: i32, msg_opaque: *mut c_void| {
                let (ptr, len) = key.map_or((std::ptr::null(), 0), |k| {
                    (k.as_ptr() as *const c_void, k.len())
                });
                // SAFETY: the callback has librdkafka's partitioner signature;
                // the topic pointer is the handle C knows this topic by.
                unsafe {
                    cb(
                        lend::<rd_kafka_topic_t>(topic).cast_const(),
                        ptr,
                        len,
                        cnt,
                        opaque as *mut c_void,
                        msg_opaque,
                    )
                }
            },
        );
        p
    });
    TopicExtras {
        partitioner,
        opaque,
    }
}

/// The partitioner callback and opaque of the client's default topic conf.
pub fn default_topic_extras(h: &crate::ffi::kafka::KafkaHandle) -> TopicExtras {
    let default_topic = h.conf.config.default_topic();
    custom_partitioner(TopicConfHandle::view(default_topic))
}

/// Looks up or creates a topic. Takes ownership of `conf` (NULL: the
/// default topic configuration). Returns NULL with `rd_kafka_last_error()`
/// set on failure.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_new(
    rk: *mut rd_kafka_t,
    topic: *const c_char,
    conf: *mut rd_kafka_topic_conf_t,
) -> *mut rd_kafka_topic_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let conf = take(conf);
        let (Some(h), Some(name)) = (handle(rk), c_str(topic)) else {
            set_last_error(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG);
            return std::ptr::null_mut();
        };
        let extras = match conf.as_deref() {
            Some(c) => custom_partitioner(c),
            None => default_topic_extras(h),
        };
        match h
            .client()
            .topic(&name, conf.as_ref().map(|c| &c.config), extras)
        {
            Ok(t) => arc_into_ptr(t),
            Err(_) => {
                set_last_error(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG);
                std::ptr::null_mut()
            }
        }
    })
}

/// Releases the application's reference. NULL is ignored; each handle must
/// be destroyed once.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_destroy(rkt: *mut rd_kafka_topic_t) {
    ffi_boundary!((), {
        arc_release(rkt);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_name(rkt: *const rd_kafka_topic_t) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(rkt).map_or(std::ptr::null(), |t| t.name_c.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_opaque(rkt: *const rd_kafka_topic_t) -> *mut c_void {
    ffi_boundary!(std::ptr::null_mut(), {
        borrow(rkt).map_or(std::ptr::null_mut(), |t| t.opaque as *mut c_void)
    })
}

/// 1 if the partition exists and has a leader (for partitioner callbacks).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_available(
    rkt: *const rd_kafka_topic_t,
    partition: i32,
) -> c_int {
    ffi_boundary!(0, {
        borrow(rkt).map_or(0, |t| t.partition_available(partition) as c_int)
    })
}
