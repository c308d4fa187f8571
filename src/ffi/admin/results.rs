//! Admin result events: the objects a result lists (topic results, group
//! results, config resources, partitions), built once from the core's
//! `AdminResult` and owned by the event, and the accessors C reads them
//! with. Every pointer handed out lives until `rd_kafka_event_destroy`.

use crate::client::admin::options::AdminOp;
use crate::client::admin::result::{AdminResultBody, GroupResult, TopicResult};
use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::admin::acls::{AclObj, AclResultObj, DeleteAclsResponseObj};
use crate::ffi::admin::configs::ConfigResource;
use crate::ffi::admin::groups::{GroupDescriptionObj, GroupListingObj};
use crate::ffi::error::new_error_ptr;
use crate::ffi::error::KafkaError;
use crate::ffi::event::Event;
use crate::ffi::handle::{borrow, lend};
use crate::ffi::partition_list::{list_from, rd_kafka_topic_partition_list_destroy};
use crate::ffi::types::*;
use libc::{c_char, size_t};
use std::ffi::CString;

pub(crate) fn cstring(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

/// The event type of a call's result.
pub fn event_type(op: AdminOp) -> rd_kafka_event_type_t {
    match op {
        AdminOp::Any => RD_KAFKA_EVENT_NONE,
        AdminOp::CreateTopics => RD_KAFKA_EVENT_CREATETOPICS_RESULT,
        AdminOp::DeleteTopics => RD_KAFKA_EVENT_DELETETOPICS_RESULT,
        AdminOp::CreatePartitions => RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT,
        AdminOp::AlterConfigs => RD_KAFKA_EVENT_ALTERCONFIGS_RESULT,
        AdminOp::DescribeConfigs => RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT,
        AdminOp::DeleteRecords => RD_KAFKA_EVENT_DELETERECORDS_RESULT,
        AdminOp::DeleteGroups => RD_KAFKA_EVENT_DELETEGROUPS_RESULT,
        AdminOp::DeleteConsumerGroupOffsets => RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT,
        AdminOp::CreateAcls => RD_KAFKA_EVENT_CREATEACLS_RESULT,
        AdminOp::DescribeAcls => RD_KAFKA_EVENT_DESCRIBEACLS_RESULT,
        AdminOp::DeleteAcls => RD_KAFKA_EVENT_DELETEACLS_RESULT,
        AdminOp::ListConsumerGroups => RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT,
        AdminOp::DescribeConsumerGroups => RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT,
        AdminOp::ListConsumerGroupOffsets => RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT,
        AdminOp::AlterConsumerGroupOffsets => RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT,
    }
}

/// `rd_kafka_event_name` of a result event type; `None` for other types.
pub fn event_name(kind: rd_kafka_event_type_t) -> Option<&'static std::ffi::CStr> {
    Some(match kind {
        RD_KAFKA_EVENT_CREATETOPICS_RESULT => c"CreateTopicsResult",
        RD_KAFKA_EVENT_DELETETOPICS_RESULT => c"DeleteTopicsResult",
        RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT => c"CreatePartitionsResult",
        RD_KAFKA_EVENT_ALTERCONFIGS_RESULT => c"AlterConfigsResult",
        RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT => c"DescribeConfigsResult",
        RD_KAFKA_EVENT_DELETERECORDS_RESULT => c"DeleteRecordsResult",
        RD_KAFKA_EVENT_DELETEGROUPS_RESULT => c"DeleteGroupsResult",
        RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT => c"DeleteConsumerGroupOffsetsResult",
        RD_KAFKA_EVENT_CREATEACLS_RESULT => c"CreateAclsResult",
        RD_KAFKA_EVENT_DESCRIBEACLS_RESULT => c"DescribeAclsResult",
        RD_KAFKA_EVENT_DELETEACLS_RESULT => c"DeleteAclsResult",
        RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT => c"ListConsumerGroupsResult",
        RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT => c"DescribeConsumerGroupsResult",
        RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT => c"ListConsumerGroupOffsetsResult",
        RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT => c"AlterConsumerGroupOffsetsResult",
        _ => return None,
    })
}

/// `rd_kafka_topic_result_t`.
pub struct TopicResultObj {
    name: CString,
    err: ErrorCode,
    errstr: Option<CString>,
}

/// `rd_kafka_group_result_t`: its error object and partition list are its own.
pub struct GroupResultObj {
    name: CString,
    error: *mut rd_kafka_error_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
}

impl Drop for GroupResultObj {
    fn drop(&mut self) {
        // SAFETY: both were made for this object alone (or are NULL).
        unsafe {
            crate::ffi::error::rd_kafka_error_destroy(self.error);
            rd_kafka_topic_partition_list_destroy(self.partitions);
        }
    }
}

/// Objects and the arrays of pointers to them that C reads: each object is
/// boxed, so its address stays put while the arrays point at it.
pub(crate) struct Listed<T, C> {
    _objects: Vec<Box<T>>,
    pointers: Vec<*const C>,
}

impl<T, C: crate::ffi::handle::Castable<RustType = T>> Listed<T, C> {
    pub(crate) fn new(objects: Vec<T>) -> Self {
        let objects: Vec<Box<T>> = objects.into_iter().map(Box::new).collect();
        let pointers = objects.iter().map(|o| lend::<C>(o).cast_const()).collect();
        Listed {
            _objects: objects,
            pointers,
        }
    }

    /// What an accessor returns for an event of another type: count 0, NULL.
    pub(crate) unsafe fn none(cntp: *mut size_t) -> *mut *const C {
        if !cntp.is_null() {
            *cntp = 0;
        }
        std::ptr::null_mut()
    }

    /// The array and its length for C.
    pub(crate) unsafe fn hand_out(&self, cntp: *mut size_t) -> *mut *const C {
        if !cntp.is_null() {
            *cntp = self.pointers.len();
        }
        if self.pointers.is_empty() {
            std::ptr::null_mut()
        } else {
            self.pointers.as_ptr().cast_mut()
        }
    }
}

/// What an admin result event owns beyond the generic event fields.
pub struct AdminPayload {
    topics: Listed<TopicResultObj, rd_kafka_topic_result_t>,
    groups: Listed<GroupResultObj, rd_kafka_group_result_t>,
    resources: Listed<ConfigResource, rd_kafka_ConfigResource_t>,
    /// DeleteRecords' per-partition outcome.
    partitions: *mut rd_kafka_topic_partition_list_t,
    pub(crate) acl_results: Listed<AclResultObj, rd_kafka_acl_result_t>,
    pub(crate) acls: Listed<AclObj, rd_kafka_AclBinding_t>,
    pub(crate) acl_deletions: Listed<DeleteAclsResponseObj, rd_kafka_DeleteAcls_result_response_t>,
    pub(crate) listings: Listed<GroupListingObj, rd_kafka_ConsumerGroupListing_t>,
    pub(crate) listing_errors: Listed<KafkaError, rd_kafka_error_t>,
    pub(crate) descriptions: Listed<GroupDescriptionObj, rd_kafka_ConsumerGroupDescription_t>,
}

impl Drop for AdminPayload {
    fn drop(&mut self) {
        // SAFETY: made by list_from for this payload alone (or NULL).
        unsafe { rd_kafka_topic_partition_list_destroy(self.partitions) };
    }
}

fn topic_obj(t: TopicResult) -> TopicResultObj {
    TopicResultObj {
        name: cstring(&t.name),
        err: t.err,
        errstr: t.errstr.as_deref().map(cstring),
    }
}

fn group_obj(g: GroupResult) -> GroupResultObj {
    let error = if g.err == ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR {
        std::ptr::null_mut()
    } else {
        new_error_ptr(
            g.err,
            g.errstr.unwrap_or_else(|| g.err.description().to_string()),
        )
    };
    GroupResultObj {
        name: cstring(&g.group),
        error,
        partitions: g
            .partitions
            .as_deref()
            .map_or(std::ptr::null_mut(), list_from),
    }
}

impl AdminPayload {
    pub fn new(body: AdminResultBody) -> AdminPayload {
        let mut payload = AdminPayload {
            topics: Listed::new(Vec::new()),
            groups: Listed::new(Vec::new()),
            resources: Listed::new(Vec::new()),
            partitions: std::ptr::null_mut(),
            acl_results: Listed::new(Vec::new()),
            acls: Listed::new(Vec::new()),
            acl_deletions: Listed::new(Vec::new()),
            listings: Listed::new(Vec::new()),
            listing_errors: Listed::new(Vec::new()),
            descriptions: Listed::new(Vec::new()),
        };
        match body {
            AdminResultBody::Empty => {}
            AdminResultBody::Topics(t) => {
                payload.topics = Listed::new(t.into_iter().map(topic_obj).collect())
            }
            AdminResultBody::Groups(g) => {
                payload.groups = Listed::new(g.into_iter().map(group_obj).collect())
            }
            AdminResultBody::Resources(r) => {
                payload.resources =
                    Listed::new(r.into_iter().map(ConfigResource::from_result).collect())
            }
            AdminResultBody::Partitions(p) => payload.partitions = list_from(&p),
            AdminResultBody::AclResults(r) => {
                payload.acl_results = Listed::new(r.into_iter().map(AclResultObj::new).collect())
            }
            AdminResultBody::Acls(a) => {
                payload.acls = Listed::new(a.into_iter().map(AclObj::new).collect())
            }
            AdminResultBody::DeletedAcls(d) => {
                payload.acl_deletions =
                    Listed::new(d.into_iter().map(DeleteAclsResponseObj::new).collect())
            }
            AdminResultBody::GroupListings(l) => {
                payload.listings = Listed::new(l.valid.iter().map(GroupListingObj::new).collect());
                payload.listing_errors = Listed::new(
                    l.errors
                        .into_iter()
                        .map(|(err, text)| KafkaError::new(err, text))
                        .collect(),
                );
            }
            AdminResultBody::GroupDescriptions(d) => {
                payload.descriptions =
                    Listed::new(d.into_iter().map(GroupDescriptionObj::new).collect())
            }
        }
        payload
    }

    /// `rd_kafka_*_result_topics`.
    pub unsafe fn topics(&self, cntp: *mut size_t) -> *mut *const rd_kafka_topic_result_t {
        self.topics.hand_out(cntp)
    }

    /// `rd_kafka_*_result_groups`.
    pub unsafe fn groups(&self, cntp: *mut size_t) -> *mut *const rd_kafka_group_result_t {
        self.groups.hand_out(cntp)
    }

    /// `rd_kafka_*_result_resources`.
    pub unsafe fn resources(&self, cntp: *mut size_t) -> *mut *const rd_kafka_ConfigResource_t {
        self.resources.hand_out(cntp)
    }

    pub fn partitions(&self) -> *const rd_kafka_topic_partition_list_t {
        self.partitions
    }
}

/// The payload of `rkev` if it is a result event of type `kind`.
pub unsafe fn payload_of<'a>(
    rkev: *const rd_kafka_event_t,
    kind: rd_kafka_event_type_t,
) -> Option<&'a AdminPayload> {
    borrow(rkev)
        .filter(|e: &&Event| e.kind() == kind)
        .and_then(|e| e.admin())
}

/// The event as its typed result pointer, or NULL for another type.
unsafe fn as_result(
    rkev: *mut rd_kafka_event_t,
    kind: rd_kafka_event_type_t,
) -> *const rd_kafka_event_t {
    match borrow(rkev) {
        Some(e) if e.kind() == kind => rkev,
        _ => std::ptr::null(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_CreateTopics_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_CreateTopics_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_CREATETOPICS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_DeleteTopics_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DeleteTopics_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_DELETETOPICS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_CreatePartitions_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_CreatePartitions_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_AlterConfigs_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_AlterConfigs_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_ALTERCONFIGS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_DescribeConfigs_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DescribeConfigs_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_DeleteRecords_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DeleteRecords_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_DELETERECORDS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_DeleteGroups_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DeleteGroups_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_DELETEGROUPS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_DeleteConsumerGroupOffsets_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DeleteConsumerGroupOffsets_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_CreateAcls_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_CreateAcls_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_CREATEACLS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_DescribeAcls_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DescribeAcls_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_DESCRIBEACLS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_DeleteAcls_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DeleteAcls_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_DELETEACLS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_ListConsumerGroups_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_ListConsumerGroups_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_DescribeConsumerGroups_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_DescribeConsumerGroups_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_ListConsumerGroupOffsets_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_ListConsumerGroupOffsets_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_event_AlterConsumerGroupOffsets_result(
    rkev: *mut rd_kafka_event_t,
) -> *const rd_kafka_AlterConsumerGroupOffsets_result_t {
    ffi_boundary!(std::ptr::null(), {
        as_result(rkev, RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_CreateTopics_result_topics(
    result: *const rd_kafka_CreateTopics_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_result_t {
    ffi_boundary!(std::ptr::null_mut(), {
        topics_of(result, RD_KAFKA_EVENT_CREATETOPICS_RESULT, cntp)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteTopics_result_topics(
    result: *const rd_kafka_DeleteTopics_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_result_t {
    ffi_boundary!(std::ptr::null_mut(), {
        topics_of(result, RD_KAFKA_EVENT_DELETETOPICS_RESULT, cntp)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_CreatePartitions_result_topics(
    result: *const rd_kafka_CreatePartitions_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_result_t {
    ffi_boundary!(std::ptr::null_mut(), {
        topics_of(result, RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT, cntp)
    })
}

/// The array `list` picks from the payload of a result event of type
/// `kind`; count 0 and NULL for any other event.
unsafe fn listed_of<C>(
    result: *const rd_kafka_event_t,
    kind: rd_kafka_event_type_t,
    cntp: *mut size_t,
    list: impl FnOnce(&AdminPayload, *mut size_t) -> *mut *const C,
) -> *mut *const C {
    match payload_of(result, kind) {
        Some(p) => list(p, cntp),
        None => {
            if !cntp.is_null() {
                *cntp = 0;
            }
            std::ptr::null_mut()
        }
    }
}

unsafe fn topics_of(
    result: *const rd_kafka_event_t,
    kind: rd_kafka_event_type_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_topic_result_t {
    listed_of(result, kind, cntp, |p, c| p.topics(c))
}

/// The group results of a result event of type `kind` (for DeleteGroups and
/// the consumer-group-offsets results).
pub unsafe fn groups_of(
    result: *const rd_kafka_event_t,
    kind: rd_kafka_event_type_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    listed_of(result, kind, cntp, |p, c| p.groups(c))
}

/// The config resources of a result event of type `kind`.
pub unsafe fn resources_of(
    result: *const rd_kafka_event_t,
    kind: rd_kafka_event_type_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigResource_t {
    listed_of(result, kind, cntp, |p, c| p.resources(c))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_result_error(
    topicres: *const rd_kafka_topic_result_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        borrow(topicres).map_or(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG, |t| t.err)
    })
}

/// NULL when the topic succeeded.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_result_error_string(
    topicres: *const rd_kafka_topic_result_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(topicres)
            .and_then(|t| t.errstr.as_ref())
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_result_name(
    topicres: *const rd_kafka_topic_result_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(topicres).map_or(std::ptr::null(), |t| t.name.as_ptr())
    })
}

/// NULL when the group succeeded; owned by the result.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_group_result_error(
    groupres: *const rd_kafka_group_result_t,
) -> *const rd_kafka_error_t {
    ffi_boundary!(std::ptr::null(), {
        borrow(groupres).map_or(std::ptr::null(), |g| g.error.cast_const())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_group_result_name(
    groupres: *const rd_kafka_group_result_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(groupres).map_or(std::ptr::null(), |g| g.name.as_ptr())
    })
}

/// The group's partitions (with per-partition errors), or NULL.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_group_result_partitions(
    groupres: *const rd_kafka_group_result_t,
) -> *const rd_kafka_topic_partition_list_t {
    ffi_boundary!(std::ptr::null(), {
        borrow(groupres).map_or(std::ptr::null(), |g| g.partitions.cast_const())
    })
}
