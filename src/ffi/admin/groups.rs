//! The consumer-group calls: DeleteGroups, ListConsumerGroups,
//! DescribeConsumerGroups and the List/Alter/DeleteConsumerGroupOffsets
//! calls, their objects, result accessors and the group state names.

use crate::client::admin::group_offsets::GroupPartitions;
use crate::client::admin::groups::{group_state_code, GroupDescription, GroupListing, MemberInfo};
use crate::client::admin::options::AdminOp;
use crate::ffi::admin::call::{objects, prepare};
use crate::ffi::admin::node::NodeObj;
use crate::ffi::admin::results::{cstring, groups_of, payload_of, Listed};
use crate::ffi::boundary::c_str;
use crate::ffi::error::new_error_ptr;
use crate::ffi::handle::{borrow, into_ptr, lend, take, OwnedBox};
use crate::ffi::partition_list::{list_from, list_to_vec, rd_kafka_topic_partition_list_destroy};
use crate::ffi::types::*;
use libc::{c_char, c_int, size_t};
use std::ffi::CString;

/// A group to delete (`rd_kafka_DeleteGroup_t`).
pub struct DeleteGroup {
    pub name: String,
}

/// `rd_kafka_ConsumerGroupListing_t`, owned by its result event.
pub struct GroupListingObj {
    group_id: CString,
    is_simple: bool,
    state: i32,
}

impl GroupListingObj {
    pub fn new(l: &GroupListing) -> GroupListingObj {
        GroupListingObj {
            group_id: cstring(&l.group_id),
            is_simple: l.is_simple,
            state: l.state,
        }
    }
}

/// `rd_kafka_MemberAssignment_t`: its partition list is its own.
pub struct MemberAssignmentObj {
    partitions: *mut rd_kafka_topic_partition_list_t,
}

impl Drop for MemberAssignmentObj {
    fn drop(&mut self) {
        // SAFETY: made by list_from for this object alone.
        unsafe { rd_kafka_topic_partition_list_destroy(self.partitions) };
    }
}

/// `rd_kafka_MemberDescription_t`.
pub struct MemberObj {
    consumer_id: CString,
    instance_id: Option<CString>,
    client_id: CString,
    host: CString,
    assignment: MemberAssignmentObj,
}

impl MemberObj {
    fn new(m: MemberInfo) -> MemberObj {
        MemberObj {
            consumer_id: cstring(&m.member_id),
            instance_id: m.instance_id.as_deref().map(cstring),
            client_id: cstring(&m.client_id),
            host: cstring(&m.host),
            assignment: MemberAssignmentObj {
                partitions: list_from(&m.assignment),
            },
        }
    }
}

/// `rd_kafka_ConsumerGroupDescription_t`, owned by its result event.
pub struct GroupDescriptionObj {
    group_id: CString,
    error: *mut rd_kafka_error_t,
    is_simple: bool,
    partition_assignor: CString,
    state: i32,
    coordinator: Option<NodeObj>,
    members: Vec<MemberObj>,
}

impl GroupDescriptionObj {
    pub fn new(d: GroupDescription) -> GroupDescriptionObj {
        GroupDescriptionObj {
            group_id: cstring(&d.group_id),
            error: d
                .error
                .map_or(std::ptr::null_mut(), |(err, text)| new_error_ptr(err, text)),
            is_simple: d.is_simple,
            partition_assignor: cstring(&d.partition_assignor),
            state: d.state,
            coordinator: d.coordinator.as_ref().map(NodeObj::new),
            members: d.members.into_iter().map(MemberObj::new).collect(),
        }
    }
}

impl Drop for GroupDescriptionObj {
    fn drop(&mut self) {
        // SAFETY: made for this object alone (or NULL).
        unsafe { crate::ffi::error::rd_kafka_error_destroy(self.error) };
    }
}

/// Frees each object of a C array (the array is the application's).
unsafe fn destroy_each<C: OwnedBox>(array: *mut *mut C, cnt: size_t) {
    if array.is_null() {
        return;
    }
    for p in std::slice::from_raw_parts(array, cnt) {
        drop(take(*p));
    }
}

fn state_enum(state: i32) -> rd_kafka_consumer_group_state_t {
    use rd_kafka_consumer_group_state_t::*;
    match state {
        1 => RD_KAFKA_CONSUMER_GROUP_STATE_PREPARING_REBALANCE,
        2 => RD_KAFKA_CONSUMER_GROUP_STATE_COMPLETING_REBALANCE,
        3 => RD_KAFKA_CONSUMER_GROUP_STATE_STABLE,
        4 => RD_KAFKA_CONSUMER_GROUP_STATE_DEAD,
        5 => RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY,
        _ => RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN,
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_group_state_name(
    state: rd_kafka_consumer_group_state_raw,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        match state {
            0 => c"Unknown".as_ptr(),
            1 => c"PreparingRebalance".as_ptr(),
            2 => c"CompletingRebalance".as_ptr(),
            3 => c"Stable".as_ptr(),
            4 => c"Dead".as_ptr(),
            5 => c"Empty".as_ptr(),
            _ => std::ptr::null(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_consumer_group_state_code(
    name: *const c_char,
) -> rd_kafka_consumer_group_state_t {
    ffi_boundary!(
        rd_kafka_consumer_group_state_t::RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN,
        { state_enum(c_str(name).map_or(0, |n| group_state_code(&n))) }
    )
}

// ---- DeleteGroups ------------------------------------------------------

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteGroup_new(
    group: *const c_char,
) -> *mut rd_kafka_DeleteGroup_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match c_str(group) {
            Some(name) => into_ptr(DeleteGroup {
                name: name.into_owned(),
            }),
            None => std::ptr::null_mut(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteGroup_destroy(del_group: *mut rd_kafka_DeleteGroup_t) {
    ffi_boundary!((), { drop(take(del_group)) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteGroup_destroy_array(
    del_groups: *mut *mut rd_kafka_DeleteGroup_t,
    del_group_cnt: size_t,
) {
    ffi_boundary!((), { destroy_each(del_groups, del_group_cnt) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteGroups(
    rk: *mut rd_kafka_t,
    del_groups: *mut *mut rd_kafka_DeleteGroup_t,
    del_group_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, queue)) = prepare(rk, options, rkqu, AdminOp::DeleteGroups)
        else {
            return;
        };
        let groups = objects(del_groups, del_group_cnt)
            .map(|g: Vec<&DeleteGroup>| g.iter().map(|d| d.name.clone()).collect())
            .unwrap_or_default();
        client.admin_delete_groups(groups, options, queue);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteGroups_result_groups(
    result: *const rd_kafka_DeleteGroups_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    ffi_boundary!(std::ptr::null_mut(), {
        groups_of(result, RD_KAFKA_EVENT_DELETEGROUPS_RESULT, cntp)
    })
}

// ---- the group offsets calls ------------------------------------------

unsafe fn group_partitions(
    group: *const c_char,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> Option<GroupPartitions> {
    Some(GroupPartitions {
        group: c_str(group)?.into_owned(),
        partitions: (!partitions.is_null()).then(|| list_to_vec(partitions)),
    })
}

/// The requests behind a C array of group-offsets objects (all of one C
/// type); a NULL entry empties the list, which the call's checks refuse.
unsafe fn group_requests<C>(array: *mut *mut C, cnt: size_t) -> Vec<GroupPartitions>
where
    C: crate::ffi::handle::Castable<RustType = GroupPartitions>,
{
    objects(array, cnt)
        .map(|r: Vec<&GroupPartitions>| r.into_iter().cloned().collect())
        .unwrap_or_default()
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets_new(
    group_id: *const c_char,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_ListConsumerGroupOffsets_t {
    ffi_boundary!(std::ptr::null_mut(), {
        group_partitions(group_id, partitions).map_or(std::ptr::null_mut(), into_ptr)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets_destroy(
    list_grpoffsets: *mut rd_kafka_ListConsumerGroupOffsets_t,
) {
    ffi_boundary!((), { drop(take(list_grpoffsets)) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets_destroy_array(
    list_grpoffsetss: *mut *mut rd_kafka_ListConsumerGroupOffsets_t,
    list_grpoffsets_cnt: size_t,
) {
    ffi_boundary!((), { destroy_each(list_grpoffsetss, list_grpoffsets_cnt) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets(
    rk: *mut rd_kafka_t,
    list_grpoffsetss: *mut *mut rd_kafka_ListConsumerGroupOffsets_t,
    list_grpoffsetss_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, queue)) =
            prepare(rk, options, rkqu, AdminOp::ListConsumerGroupOffsets)
        else {
            return;
        };
        client.admin_list_consumer_group_offsets(
            group_requests(list_grpoffsetss, list_grpoffsetss_cnt),
            options,
            queue,
        );
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroupOffsets_result_groups(
    result: *const rd_kafka_ListConsumerGroupOffsets_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    ffi_boundary!(std::ptr::null_mut(), {
        groups_of(result, RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT, cntp)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets_new(
    group_id: *const c_char,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_AlterConsumerGroupOffsets_t {
    ffi_boundary!(std::ptr::null_mut(), {
        group_partitions(group_id, partitions).map_or(std::ptr::null_mut(), into_ptr)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets_destroy(
    alter_grpoffsets: *mut rd_kafka_AlterConsumerGroupOffsets_t,
) {
    ffi_boundary!((), { drop(take(alter_grpoffsets)) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets_destroy_array(
    alter_grpoffsetss: *mut *mut rd_kafka_AlterConsumerGroupOffsets_t,
    alter_grpoffsets_cnt: size_t,
) {
    ffi_boundary!((), {
        destroy_each(alter_grpoffsetss, alter_grpoffsets_cnt)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets(
    rk: *mut rd_kafka_t,
    alter_grpoffsetss: *mut *mut rd_kafka_AlterConsumerGroupOffsets_t,
    alter_grpoffsetss_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, queue)) =
            prepare(rk, options, rkqu, AdminOp::AlterConsumerGroupOffsets)
        else {
            return;
        };
        client.admin_alter_consumer_group_offsets(
            group_requests(alter_grpoffsetss, alter_grpoffsetss_cnt),
            options,
            queue,
        );
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AlterConsumerGroupOffsets_result_groups(
    result: *const rd_kafka_AlterConsumerGroupOffsets_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    ffi_boundary!(std::ptr::null_mut(), {
        groups_of(
            result,
            RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT,
            cntp,
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets_new(
    group: *const c_char,
    partitions: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_DeleteConsumerGroupOffsets_t {
    ffi_boundary!(std::ptr::null_mut(), {
        group_partitions(group, partitions).map_or(std::ptr::null_mut(), into_ptr)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets_destroy(
    del_grpoffsets: *mut rd_kafka_DeleteConsumerGroupOffsets_t,
) {
    ffi_boundary!((), { drop(take(del_grpoffsets)) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets_destroy_array(
    del_grpoffsetss: *mut *mut rd_kafka_DeleteConsumerGroupOffsets_t,
    del_grpoffsets_cnt: size_t,
) {
    ffi_boundary!((), { destroy_each(del_grpoffsetss, del_grpoffsets_cnt) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets(
    rk: *mut rd_kafka_t,
    del_grpoffsetss: *mut *mut rd_kafka_DeleteConsumerGroupOffsets_t,
    del_grpoffsetss_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, queue)) =
            prepare(rk, options, rkqu, AdminOp::DeleteConsumerGroupOffsets)
        else {
            return;
        };
        client.admin_delete_consumer_group_offsets(
            group_requests(del_grpoffsetss, del_grpoffsetss_cnt),
            options,
            queue,
        );
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteConsumerGroupOffsets_result_groups(
    result: *const rd_kafka_DeleteConsumerGroupOffsets_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_group_result_t {
    ffi_boundary!(std::ptr::null_mut(), {
        groups_of(
            result,
            RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT,
            cntp,
        )
    })
}

// ---- ListConsumerGroups -----------------------------------------------

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroups(
    rk: *mut rd_kafka_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, queue)) =
            prepare(rk, options, rkqu, AdminOp::ListConsumerGroups)
        else {
            return;
        };
        client.admin_list_consumer_groups(options, queue);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroups_result_valid(
    result: *const rd_kafka_ListConsumerGroups_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConsumerGroupListing_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match payload_of(result, RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT) {
            Some(p) => p.listings.hand_out(cntp),
            None => Listed::<GroupListingObj, rd_kafka_ConsumerGroupListing_t>::none(cntp),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ListConsumerGroups_result_errors(
    result: *const rd_kafka_ListConsumerGroups_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match payload_of(result, RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT) {
            Some(p) => p.listing_errors.hand_out(cntp),
            None => Listed::<crate::ffi::error::KafkaError, rd_kafka_error_t>::none(cntp),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupListing_group_id(
    grplist: *const rd_kafka_ConsumerGroupListing_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(grplist).map_or(std::ptr::null(), |g| g.group_id.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupListing_is_simple_consumer_group(
    grplist: *const rd_kafka_ConsumerGroupListing_t,
) -> c_int {
    ffi_boundary!(0, {
        borrow(grplist).map_or(0, |g| c_int::from(g.is_simple))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupListing_state(
    grplist: *const rd_kafka_ConsumerGroupListing_t,
) -> rd_kafka_consumer_group_state_t {
    ffi_boundary!(
        rd_kafka_consumer_group_state_t::RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN,
        { state_enum(borrow(grplist).map_or(0, |g| g.state)) }
    )
}

// ---- DescribeConsumerGroups -------------------------------------------

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DescribeConsumerGroups(
    rk: *mut rd_kafka_t,
    groups: *mut *const c_char,
    groups_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, queue)) =
            prepare(rk, options, rkqu, AdminOp::DescribeConsumerGroups)
        else {
            return;
        };
        let names: Vec<String> = if groups.is_null() || groups_cnt == 0 {
            Vec::new()
        } else {
            // A NULL name becomes "" and fails the call's checks.
            std::slice::from_raw_parts(groups, groups_cnt)
                .iter()
                .map(|&g| c_str(g).map(|s| s.into_owned()).unwrap_or_default())
                .collect()
        };
        client.admin_describe_consumer_groups(names, options, queue);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DescribeConsumerGroups_result_groups(
    result: *const rd_kafka_DescribeConsumerGroups_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConsumerGroupDescription_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match payload_of(result, RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT) {
            Some(p) => p.descriptions.hand_out(cntp),
            None => Listed::<GroupDescriptionObj, rd_kafka_ConsumerGroupDescription_t>::none(cntp),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_group_id(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(grpdesc).map_or(std::ptr::null(), |g| g.group_id.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_error(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> *const rd_kafka_error_t {
    ffi_boundary!(std::ptr::null(), {
        borrow(grpdesc).map_or(std::ptr::null(), |g| g.error.cast_const())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> c_int {
    ffi_boundary!(0, {
        borrow(grpdesc).map_or(0, |g| c_int::from(g.is_simple))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_partition_assignor(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(grpdesc).map_or(std::ptr::null(), |g| g.partition_assignor.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_state(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> rd_kafka_consumer_group_state_t {
    ffi_boundary!(
        rd_kafka_consumer_group_state_t::RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN,
        { state_enum(borrow(grpdesc).map_or(0, |g| g.state)) }
    )
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_coordinator(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> *const rd_kafka_Node_t {
    ffi_boundary!(std::ptr::null(), {
        borrow(grpdesc)
            .and_then(|g| g.coordinator.as_ref())
            .map_or(std::ptr::null(), |n| {
                lend::<rd_kafka_Node_t>(n).cast_const()
            })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_member_count(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
) -> size_t {
    ffi_boundary!(0, { borrow(grpdesc).map_or(0, |g| g.members.len()) })
}

/// NULL for an index past the last member.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConsumerGroupDescription_member(
    grpdesc: *const rd_kafka_ConsumerGroupDescription_t,
    idx: size_t,
) -> *const rd_kafka_MemberDescription_t {
    ffi_boundary!(std::ptr::null(), {
        borrow(grpdesc)
            .and_then(|g| g.members.get(idx))
            .map_or(std::ptr::null(), |m| {
                lend::<rd_kafka_MemberDescription_t>(m).cast_const()
            })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_MemberDescription_client_id(
    member: *const rd_kafka_MemberDescription_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(member).map_or(std::ptr::null(), |m| m.client_id.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_MemberDescription_group_instance_id(
    member: *const rd_kafka_MemberDescription_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(member)
            .and_then(|m| m.instance_id.as_ref())
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_MemberDescription_consumer_id(
    member: *const rd_kafka_MemberDescription_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(member).map_or(std::ptr::null(), |m| m.consumer_id.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_MemberDescription_host(
    member: *const rd_kafka_MemberDescription_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(member).map_or(std::ptr::null(), |m| m.host.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_MemberDescription_assignment(
    member: *const rd_kafka_MemberDescription_t,
) -> *const rd_kafka_MemberAssignment_t {
    ffi_boundary!(std::ptr::null(), {
        borrow(member).map_or(std::ptr::null(), |m| {
            lend::<rd_kafka_MemberAssignment_t>(&m.assignment).cast_const()
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_MemberAssignment_partitions(
    assignment: *const rd_kafka_MemberAssignment_t,
) -> *const rd_kafka_topic_partition_list_t {
    ffi_boundary!(std::ptr::null(), {
        borrow(assignment).map_or(std::ptr::null(), |a| a.partitions.cast_const())
    })
}
