//! NewTopic, NewPartitions, DeleteTopic objects and the CreateTopics,
//! DeleteTopics, CreatePartitions calls.

use crate::client::admin::options::AdminOp;
use crate::client::admin::topics::{NewPartitionsSpec, NewTopicSpec};
use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::admin::call::{objects, prepare};
use crate::ffi::boundary::{c_str, write_errstr};
use crate::ffi::handle::{borrow_mut, into_ptr, take};
use crate::ffi::types::*;
use libc::{c_char, c_int, size_t};

/// A topic to delete (`rd_kafka_DeleteTopic_t`).
pub struct DeleteTopic {
    pub name: String,
}

/// Frees each object of a C array, then nothing else (the array is the
/// application's).
unsafe fn destroy_each<C: crate::ffi::handle::OwnedBox>(array: *mut *mut C, cnt: size_t) {
    if array.is_null() {
        return;
    }
    for p in std::slice::from_raw_parts(array, cnt) {
        drop(take(*p));
    }
}

/// The broker ids of a C array (empty for NULL).
unsafe fn broker_ids<'a>(ids: *mut i32, cnt: size_t) -> &'a [i32] {
    if ids.is_null() || cnt == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ids, cnt)
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_NewTopic_new(
    topic: *const c_char,
    num_partitions: c_int,
    replication_factor: c_int,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_NewTopic_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let name = c_str(topic).unwrap_or_default();
        match NewTopicSpec::new(&name, num_partitions, replication_factor) {
            Ok(spec) => into_ptr(spec),
            Err(reason) => {
                write_errstr(errstr, errstr_size, &reason);
                std::ptr::null_mut()
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_NewTopic_destroy(new_topic: *mut rd_kafka_NewTopic_t) {
    ffi_boundary!((), { drop(take(new_topic)) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_NewTopic_destroy_array(
    new_topics: *mut *mut rd_kafka_NewTopic_t,
    new_topic_cnt: size_t,
) {
    ffi_boundary!((), { destroy_each(new_topics, new_topic_cnt) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_NewTopic_set_replica_assignment(
    new_topic: *mut rd_kafka_NewTopic_t,
    partition: i32,
    broker_ids_: *mut i32,
    broker_id_cnt: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        let Some(t) = borrow_mut(new_topic) else {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        match t.set_replica_assignment(partition, broker_ids(broker_ids_, broker_id_cnt)) {
            Ok(()) => ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
            Err(reason) => {
                write_errstr(errstr, errstr_size, &reason);
                ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG
            }
        }
    })
}

/// Adds a topic config; a NULL name is `_INVALID_ARG`, a NULL value asks
/// for the broker's default.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_NewTopic_set_config(
    new_topic: *mut rd_kafka_NewTopic_t,
    name: *const c_char,
    value: *const c_char,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        let (Some(t), Some(name)) = (borrow_mut(new_topic), c_str(name)) else {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if name.is_empty() {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        t.configs
            .push((name.into_owned(), c_str(value).map(|v| v.into_owned())));
        ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_CreateTopics(
    rk: *mut rd_kafka_t,
    new_topics: *mut *mut rd_kafka_NewTopic_t,
    new_topic_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, reply)) = prepare(rk, options, rkqu, AdminOp::CreateTopics)
        else {
            return;
        };
        let topics = objects(new_topics, new_topic_cnt)
            .map(|v| v.into_iter().cloned().collect())
            .unwrap_or_default();
        client.admin_create_topics(topics, options, reply);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteTopic_new(
    topic: *const c_char,
) -> *mut rd_kafka_DeleteTopic_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match c_str(topic) {
            Some(name) if !name.is_empty() => into_ptr(DeleteTopic {
                name: name.into_owned(),
            }),
            _ => std::ptr::null_mut(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteTopic_destroy(del_topic: *mut rd_kafka_DeleteTopic_t) {
    ffi_boundary!((), { drop(take(del_topic)) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteTopic_destroy_array(
    del_topics: *mut *mut rd_kafka_DeleteTopic_t,
    del_topic_cnt: size_t,
) {
    ffi_boundary!((), { destroy_each(del_topics, del_topic_cnt) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteTopics(
    rk: *mut rd_kafka_t,
    del_topics: *mut *mut rd_kafka_DeleteTopic_t,
    del_topic_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, reply)) = prepare(rk, options, rkqu, AdminOp::DeleteTopics)
        else {
            return;
        };
        let topics = objects(del_topics, del_topic_cnt)
            .map(|v| v.into_iter().map(|t| t.name.clone()).collect())
            .unwrap_or_default();
        client.admin_delete_topics(topics, options, reply);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_NewPartitions_new(
    topic: *const c_char,
    new_total_cnt: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_NewPartitions_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let name = c_str(topic).unwrap_or_default();
        let total = i32::try_from(new_total_cnt).unwrap_or(i32::MAX);
        match NewPartitionsSpec::new(&name, total) {
            Ok(spec) => into_ptr(spec),
            Err(reason) => {
                write_errstr(errstr, errstr_size, &reason);
                std::ptr::null_mut()
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_NewPartitions_destroy(new_parts: *mut rd_kafka_NewPartitions_t) {
    ffi_boundary!((), { drop(take(new_parts)) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_NewPartitions_destroy_array(
    new_parts: *mut *mut rd_kafka_NewPartitions_t,
    new_parts_cnt: size_t,
) {
    ffi_boundary!((), { destroy_each(new_parts, new_parts_cnt) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_NewPartitions_set_replica_assignment(
    new_parts: *mut rd_kafka_NewPartitions_t,
    new_partition_idx: i32,
    broker_ids_: *mut i32,
    broker_id_cnt: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        let Some(p) = borrow_mut(new_parts) else {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        match p.set_replica_assignment(new_partition_idx, broker_ids(broker_ids_, broker_id_cnt)) {
            Ok(()) => ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
            Err(reason) => {
                write_errstr(errstr, errstr_size, &reason);
                ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_CreatePartitions(
    rk: *mut rd_kafka_t,
    new_parts: *mut *mut rd_kafka_NewPartitions_t,
    new_parts_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, reply)) = prepare(rk, options, rkqu, AdminOp::CreatePartitions)
        else {
            return;
        };
        let parts = objects(new_parts, new_parts_cnt)
            .map(|v| v.into_iter().cloned().collect())
            .unwrap_or_default();
        client.admin_create_partitions(parts, options, reply);
    })
}
