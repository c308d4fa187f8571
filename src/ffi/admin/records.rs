//! `rd_kafka_DeleteRecords_t` and the DeleteRecords call.

use crate::client::admin::options::AdminOp;
use crate::client::topic_partition::TopicPartition;
use crate::ffi::admin::call::{objects, prepare};
use crate::ffi::admin::results::payload_of;
use crate::ffi::handle::{into_ptr, take};
use crate::ffi::partition_list::list_to_vec;
use crate::ffi::types::*;
use libc::size_t;

/// The partitions and offsets to delete records before (a copy of the
/// application's list).
pub struct DeleteRecords {
    pub offsets: Vec<TopicPartition>,
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteRecords_new(
    before_offsets: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_DeleteRecords_t {
    ffi_boundary!(std::ptr::null_mut(), {
        if before_offsets.is_null() {
            return std::ptr::null_mut();
        }
        into_ptr(DeleteRecords {
            offsets: list_to_vec(before_offsets),
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteRecords_destroy(
    del_records: *mut rd_kafka_DeleteRecords_t,
) {
    ffi_boundary!((), { drop(take(del_records)) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteRecords_destroy_array(
    del_records: *mut *mut rd_kafka_DeleteRecords_t,
    del_record_cnt: size_t,
) {
    ffi_boundary!((), {
        if del_records.is_null() {
            return;
        }
        for p in std::slice::from_raw_parts(del_records, del_record_cnt) {
            drop(take(*p));
        }
    })
}

/// librdkafka takes exactly one DeleteRecords object per call.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteRecords(
    rk: *mut rd_kafka_t,
    del_records: *mut *mut rd_kafka_DeleteRecords_t,
    del_record_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, reply)) = prepare(rk, options, rkqu, AdminOp::DeleteRecords)
        else {
            return;
        };
        let requests: Vec<Vec<TopicPartition>> = objects(del_records, del_record_cnt)
            .map(|v| v.into_iter().map(|d| d.offsets.clone()).collect())
            .unwrap_or_default();
        client.admin_delete_records(requests, options, reply);
    })
}

/// The partitions with their new low watermark (or error); owned by the event.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteRecords_result_offsets(
    result: *const rd_kafka_DeleteRecords_result_t,
) -> *const rd_kafka_topic_partition_list_t {
    ffi_boundary!(std::ptr::null(), {
        payload_of(result, RD_KAFKA_EVENT_DELETERECORDS_RESULT)
            .map_or(std::ptr::null(), |p| p.partitions())
    })
}
