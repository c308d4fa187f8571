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
//! | `rd_kafka_AdminOptions_t` | `AdminOptions` | a `Box` |
//! | `rd_kafka_NewTopic_t`, `rd_kafka_NewPartitions_t`, `rd_kafka_DeleteTopic_t` | `NewTopicSpec`, `NewPartitionsSpec`, `DeleteTopic` | a `Box` |
//! | `rd_kafka_ConfigResource_t` | `ConfigResource` | a `Box`, or borrowed from a result event |
//! | `rd_kafka_DeleteRecords_t` | `DeleteRecords` | a `Box` |
//! | `rd_kafka_topic_result_t`, `rd_kafka_group_result_t`, `rd_kafka_ConfigEntry_t`, `rd_kafka_Node_t` | `TopicResultObj`, `GroupResultObj`, `ConfigEntry`, `NodeObj` | borrowed from a result event (or its resource) |
//! | `rd_kafka_AclBinding_t` (= `rd_kafka_AclBindingFilter_t`) | `AclObj` | a `Box`, or borrowed from a result event |
//! | `rd_kafka_DeleteGroup_t`; `rd_kafka_{List,Alter,Delete}ConsumerGroupOffsets_t` | `DeleteGroup`; `GroupPartitions` | a `Box` |
//! | `rd_kafka_acl_result_t`, `rd_kafka_DeleteAcls_result_response_t`, `rd_kafka_ConsumerGroupListing_t`, `rd_kafka_ConsumerGroupDescription_t`, `rd_kafka_MemberDescription_t`, `rd_kafka_MemberAssignment_t` | `AclResultObj`, `DeleteAclsResponseObj`, `GroupListingObj`, `GroupDescriptionObj`, `MemberObj`, `MemberAssignmentObj` | borrowed from a result event |
//!
//! The conversions below are the only casts between the two: the C layer
//! borrows with [`borrow`]/[`borrow_mut`], creates with [`into_ptr`] or
//! [`arc_into_ptr`], and frees with [`take`] or [`arc_release`].

use crate::client::admin::group_offsets::GroupPartitions;
use crate::client::admin::options::AdminOptions;
use crate::client::admin::topics::{NewPartitionsSpec, NewTopicSpec};
use crate::client::headers::Headers;
use crate::client::message::Msg;
use crate::client::topic::Topic;
use crate::ffi::admin::acls::{AclObj, AclResultObj, DeleteAclsResponseObj};
use crate::ffi::admin::configs::{ConfigEntry, ConfigResource};
use crate::ffi::admin::groups::{
    DeleteGroup, GroupDescriptionObj, GroupListingObj, MemberAssignmentObj, MemberObj,
};
use crate::ffi::admin::node::NodeObj;
use crate::ffi::admin::records::DeleteRecords;
use crate::ffi::admin::results::{GroupResultObj, TopicResultObj};
use crate::ffi::admin::topics::DeleteTopic;
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
    rd_kafka_AdminOptions_t => AdminOptions, OwnedBox;
    rd_kafka_NewTopic_t => NewTopicSpec, OwnedBox;
    rd_kafka_NewPartitions_t => NewPartitionsSpec, OwnedBox;
    rd_kafka_DeleteTopic_t => DeleteTopic, OwnedBox;
    rd_kafka_ConfigResource_t => ConfigResource, OwnedBox;
    rd_kafka_DeleteRecords_t => DeleteRecords, OwnedBox;
    rd_kafka_topic_result_t => TopicResultObj, Borrowed;
    rd_kafka_group_result_t => GroupResultObj, Borrowed;
    rd_kafka_ConfigEntry_t => ConfigEntry, Borrowed;
    rd_kafka_Node_t => NodeObj, Borrowed;
    rd_kafka_AclBinding_t => AclObj, OwnedBox;
    rd_kafka_acl_result_t => AclResultObj, Borrowed;
    rd_kafka_DeleteAcls_result_response_t => DeleteAclsResponseObj, Borrowed;
    rd_kafka_DeleteGroup_t => DeleteGroup, OwnedBox;
    rd_kafka_ListConsumerGroupOffsets_t => GroupPartitions, OwnedBox;
    rd_kafka_AlterConsumerGroupOffsets_t => GroupPartitions, OwnedBox;
    rd_kafka_DeleteConsumerGroupOffsets_t => GroupPartitions, OwnedBox;
    rd_kafka_ConsumerGroupListing_t => GroupListingObj, Borrowed;
    rd_kafka_ConsumerGroupDescription_t => GroupDescriptionObj, Borrowed;
    rd_kafka_MemberDescription_t => MemberObj, Borrowed;
    rd_kafka_MemberAssignment_t => MemberAssignmentObj, Borrowed;
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

/// The helpers used the way the C layer uses them, with the pointers C
/// would hold; run under Miri by `tests/miri.sh`, which checks that every
/// borrow, take and reference count stays within what was handed out.
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::client::settings::{ClientSettings, TopicSettings};
    use crate::config::{Config, TopicConfig};
    use crate::error::rd_kafka_resp_err_t::*;
    use crate::ffi::error::rd_kafka_error_destroy;
    use crate::ffi::topic::{rd_kafka_topic_destroy, rd_kafka_topic_name, rd_kafka_topic_opaque};

    pub(crate) fn test_topic(name: &str, opaque: usize) -> Arc<Topic> {
        let client = ClientSettings::from_config(&Config::new(), true).unwrap();
        let settings = TopicSettings::from_config(&TopicConfig::new(), &client).unwrap();
        Arc::new(Topic::new(std::sync::Weak::new(), name, settings, None, opaque).unwrap())
    }

    #[test]
    fn box_handles_round_trip_through_c_pointers() {
        let p: *mut rd_kafka_error_t = into_ptr(KafkaError::new(RD_KAFKA_RESP_ERR__STATE, "first"));
        // SAFETY (all below): p came from into_ptr and is taken once.
        unsafe {
            assert_eq!(borrow(p).unwrap().code(), RD_KAFKA_RESP_ERR__STATE);
            // C passes the same pointer to a call that changes the object...
            *borrow_mut(p).unwrap() = KafkaError::new(RD_KAFKA_RESP_ERR__FAIL, "second");
            // ...and later reads through it again.
            assert_eq!(
                borrow(p as *const rd_kafka_error_t).unwrap().code(),
                RD_KAFKA_RESP_ERR__FAIL
            );
            let back = take(p).unwrap();
            assert_eq!(back.message().to_str().unwrap(), "second");
        }
        // The destroy path C uses, and NULL everywhere.
        let p: *mut rd_kafka_error_t = into_ptr(KafkaError::new(RD_KAFKA_RESP_ERR__FAIL, ""));
        unsafe {
            rd_kafka_error_destroy(p);
            assert!(borrow::<rd_kafka_error_t>(std::ptr::null()).is_none());
            assert!(borrow_mut::<rd_kafka_error_t>(std::ptr::null_mut()).is_none());
            assert!(take::<rd_kafka_error_t>(std::ptr::null_mut()).is_none());
        }
    }

    #[test]
    fn lent_pointers_read_the_lender() {
        let mut headers = Headers::new();
        headers.add(b"k", Some(b"v")).unwrap();
        let p: *mut rd_kafka_headers_t = lend(&headers);
        // SAFETY: `headers` outlives the borrow and is not changed meanwhile.
        assert_eq!(unsafe { borrow(p) }.unwrap().len(), 1);
        let p: *mut rd_kafka_headers_t = lend_mut(&mut headers);
        // SAFETY: lend_mut's pointer may be written through while `headers` lives.
        unsafe { borrow_mut(p) }.unwrap().add(b"k2", None).unwrap();
        assert_eq!(headers.len(), 2);
    }

    #[test]
    fn arc_handles_count_one_reference_per_pointer() {
        let topic = test_topic("t", 42);
        let p: *mut rd_kafka_topic_t = arc_into_ptr(topic.clone());
        assert_eq!(Arc::strong_count(&topic), 2);
        // SAFETY: p holds its count until rd_kafka_topic_destroy.
        unsafe {
            let again = arc_clone(p);
            assert_eq!(Arc::strong_count(&topic), 3);
            drop(again);
            let name = std::ffi::CStr::from_ptr(rd_kafka_topic_name(p));
            assert_eq!(name.to_str().unwrap(), "t");
            assert_eq!(rd_kafka_topic_opaque(p) as usize, 42);
            // A second handle for the same topic, as rd_kafka_topic_new gives
            // for a name already known; each is destroyed once.
            let q: *mut rd_kafka_topic_t = arc_into_ptr(arc_clone(p));
            assert_eq!(Arc::strong_count(&topic), 3);
            rd_kafka_topic_destroy(p);
            assert_eq!(Arc::strong_count(&topic), 2);
            arc_release(q);
            arc_release::<rd_kafka_topic_t>(std::ptr::null());
            rd_kafka_topic_destroy(std::ptr::null_mut());
            assert!(rd_kafka_topic_name(std::ptr::null()).is_null());
        }
        assert_eq!(Arc::strong_count(&topic), 1);
        // The last reference may be the C one.
        let p: *mut rd_kafka_topic_t = arc_into_ptr(topic);
        unsafe { rd_kafka_topic_destroy(p) };
    }
}
