//! `rd_kafka_topic_t`: topic handles.
//!
//! Ownership: every `rd_kafka_topic_t*` given to C is one strong count of
//! the client's `Arc<Topic>` (see `handle.rs`); `rd_kafka_topic_destroy`
//! drops it. Messages keep their own count, so a delivery report's `rkt`
//! stays valid even after the application destroyed its handle.

use crate::client::topic::{CustomPartitioner, Topic};
use crate::client::TopicExtras;
use crate::error::{set_last_error, ErrorCode};
use crate::ffi::boundary::c_str;
use crate::ffi::conf::TopicConfHandle;
use crate::ffi::handle::{arc_into_raw, arc_release_raw, box_from_raw};
use crate::ffi::kafka::handle;
use crate::ffi::types::*;
use libc::{c_char, c_int, c_void};
use std::sync::Arc;

/// Borrows the topic behind `rkt`.
///
/// # Safety
/// `rkt` must be NULL or a live pointer obtained from `rd_kafka_topic_new`
/// (or a message's `rkt`).
pub unsafe fn topic_ref<'a>(rkt: *const rd_kafka_topic_t) -> Option<&'a Topic> {
    (rkt as *const Topic).as_ref()
}

/// A new strong reference to the topic behind `rkt`.
///
/// # Safety
/// As for [`topic_ref`], and `rkt` must not be NULL.
pub unsafe fn topic_arc(rkt: *const rd_kafka_topic_t) -> Arc<Topic> {
    crate::ffi::handle::arc_clone_raw(rkt as *const Topic)
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
                        topic as *const Topic as *const rd_kafka_topic_t,
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
    // SAFETY: TopicConfHandle is a repr(transparent) wrapper of TopicConfig.
    custom_partitioner(unsafe {
        &*(default_topic as *const crate::config::TopicConfig as *const TopicConfHandle)
    })
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
        let conf = box_from_raw(conf as *mut TopicConfHandle);
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
            Ok(t) => arc_into_raw(t) as *mut rd_kafka_topic_t,
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
        arc_release_raw(rkt as *const Topic);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_name(rkt: *const rd_kafka_topic_t) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        topic_ref(rkt).map_or(std::ptr::null(), |t| t.name_c.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_opaque(rkt: *const rd_kafka_topic_t) -> *mut c_void {
    ffi_boundary!(std::ptr::null_mut(), {
        topic_ref(rkt).map_or(std::ptr::null_mut(), |t| t.opaque as *mut c_void)
    })
}

/// 1 if the partition exists and has a leader (for partitioner callbacks).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_available(
    rkt: *const rd_kafka_topic_t,
    partition: i32,
) -> c_int {
    ffi_boundary!(0, {
        topic_ref(rkt).map_or(0, |t| t.partition_available(partition) as c_int)
    })
}
