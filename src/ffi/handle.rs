//! Each C handle type tied to the Rust object behind its pointers, and how C
//! owns it, declared once (the idea of rustls-ffi's `Castable`).
//!
//! | C handle | Rust object | C owns it as |
//! |---|---|---|
//! | `rd_kafka_t` | `KafkaHandle` | a `Box`, freed by `rd_kafka_destroy` |
//! | `rd_kafka_conf_t` | `ConfHandle` | a `Box` (passes to `rd_kafka_new` on success) |
//! | `rd_kafka_topic_conf_t` | `TopicConfHandle` | a `Box`, or borrowed: a conf's default topic conf |
//! | `rd_kafka_topic_t` | `Topic` | an `Arc`: each pointer holds one strong count |
//! | `rd_kafka_queue_t` | `QueueHandle` | a `Box` |
//! | `rd_kafka_event_t` | `Event` | a `Box` |
//! | `rd_kafka_error_t` | `KafkaError` | a `Box` |
//! | `rd_kafka_headers_t` | `Headers` | a `Box`, or borrowed from a message |
//! | `rd_kafka_message_t` | `Msg` | borrowed; a consumed message is a `MsgBox` (`client::message`) |
//! | `rd_kafka_consumer_group_metadata_t` | `GroupMetadata` | a `Box` |
//! | `rd_kafka_metadata_t` | `OwnedMetadata` (the C struct is its first field) | a `Box` |
//! | `rd_kafka_mock_cluster_t` | `MockCluster` | an `Arc` |
//!
//! The conversions below are the only casts between the two: the C layer
//! borrows with [`borrow`]/[`borrow_mut`], creates with [`into_ptr`] or
//! [`arc_into_ptr`], and frees with [`take`] or [`arc_release`].

use crate::client::headers::Headers;
use crate::client::message::Msg;
use crate::client::topic::Topic;
use crate::ffi::conf::{ConfHandle, TopicConfHandle};
use crate::ffi::consumer::GroupMetadata;
use crate::ffi::error::KafkaError;
use crate::ffi::event::Event;
use crate::ffi::kafka::KafkaHandle;
use crate::ffi::metadata::OwnedMetadata;
use crate::ffi::mock::rd_kafka_mock_cluster_t;
use crate::ffi::queue::QueueHandle;
use crate::ffi::types::*;
use crate::mock::MockCluster;
use std::sync::Arc;

/// A C handle type and the Rust object its pointers point to.
pub trait Castable {
    type RustType;
}

/// A handle C owns as a `Box`: made by [`into_ptr`], freed once by [`take`].
pub trait OwnedBox: Castable {}

/// A handle C owns as an `Arc`: every pointer holds one strong count.
pub trait OwnedArc: Castable {}

/// A handle C only borrows: nothing is freed through it.
pub trait Borrowed: Castable {}

macro_rules! castable {
    ($($c:ty => $rust:ty, $ownership:ident;)*) => {
        $(
            impl Castable for $c {
                type RustType = $rust;
            }
            impl $ownership for $c {}
        )*
    };
}

castable! {
    rd_kafka_t => KafkaHandle, OwnedBox;
    rd_kafka_conf_t => ConfHandle, OwnedBox;
    rd_kafka_topic_conf_t => TopicConfHandle, OwnedBox;
    rd_kafka_topic_t => Topic, OwnedArc;
    rd_kafka_queue_t => QueueHandle, OwnedBox;
    rd_kafka_event_t => Event, OwnedBox;
    rd_kafka_error_t => KafkaError, OwnedBox;
    rd_kafka_headers_t => Headers, OwnedBox;
    rd_kafka_message_t => Msg, Borrowed;
    rd_kafka_consumer_group_metadata_t => GroupMetadata, OwnedBox;
    rd_kafka_metadata_t => OwnedMetadata, OwnedBox;
    rd_kafka_mock_cluster_t => MockCluster, OwnedArc;
}

/// Borrows the object behind `ptr`; `None` for NULL.
///
/// # Safety
/// `ptr` must be NULL or a live pointer this library handed out for `C`.
pub unsafe fn borrow<'a, C: Castable>(ptr: *const C) -> Option<&'a C::RustType> {
    ptr.cast::<C::RustType>().as_ref()
}

/// Borrows the object behind `ptr` mutably; `None` for NULL.
///
/// # Safety
/// As [`borrow`], and nobody else may use the object meanwhile.
pub unsafe fn borrow_mut<'a, C: Castable>(ptr: *mut C) -> Option<&'a mut C::RustType> {
    ptr.cast::<C::RustType>().as_mut()
}

/// A pointer C may use while `object` lives, for a handle it does not own
/// (a conf held by its client, a message's headers, a topic passed to a
/// partitioner callback).
pub fn lend<C: Castable>(object: &C::RustType) -> *mut C {
    (object as *const C::RustType).cast_mut().cast()
}

/// [`lend`] for an object C may change through the pointer (a conf's
/// default topic conf).
pub fn lend_mut<C: Castable>(object: &mut C::RustType) -> *mut C {
    (object as *mut C::RustType).cast()
}

/// Hands `value` to C as a new `Box` handle.
pub fn into_ptr<C: OwnedBox>(value: C::RustType) -> *mut C {
    Box::into_raw(Box::new(value)).cast()
}

/// Takes back the `Box` behind `ptr` (to free it or pass it on); `None` for
/// NULL.
///
/// # Safety
/// `ptr` must be NULL or come from [`into_ptr`], and must not be used again.
pub unsafe fn take<C: OwnedBox>(ptr: *mut C) -> Option<Box<C::RustType>> {
    (!ptr.is_null()).then(|| Box::from_raw(ptr.cast::<C::RustType>()))
}

/// Hands one strong count of `value` to C.
pub fn arc_into_ptr<C: OwnedArc>(value: Arc<C::RustType>) -> *mut C {
    Arc::into_raw(value) as *mut C
}

/// A new strong reference to the object behind `ptr`.
///
/// # Safety
/// `ptr` must be non-NULL, come from [`arc_into_ptr`] and still hold its count.
pub unsafe fn arc_clone<C: OwnedArc>(ptr: *const C) -> Arc<C::RustType> {
    let ptr = ptr.cast::<C::RustType>();
    Arc::increment_strong_count(ptr);
    Arc::from_raw(ptr)
}

/// Drops the strong count `ptr` holds; NULL is ignored.
///
/// # Safety
/// `ptr` must be NULL or come from [`arc_into_ptr`], and must not be used again.
pub unsafe fn arc_release<C: OwnedArc>(ptr: *const C) {
    if !ptr.is_null() {
        drop(Arc::from_raw(ptr.cast::<C::RustType>()));
    }
}
