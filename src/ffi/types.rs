//! C-visible types: opaque handle markers and `#[repr(C)]` structs whose
//! layout matches librdkafka's header field for field (proved by
//! `tests/abi_layout.rs`).

#![allow(non_camel_case_types)]

use crate::error::rd_kafka_resp_err_t;
use libc::{c_char, c_int, c_void, size_t};

/// Declares opaque marker types: C only ever holds pointers to them. The
/// real object behind each pointer is named in the module that creates it.
macro_rules! opaque_handles {
    ($($name:ident),* $(,)?) => {
        $(
            #[repr(C)]
            pub struct $name {
                _private: [u8; 0],
            }
        )*
    };
}

opaque_handles!(
    rd_kafka_t,
    rd_kafka_topic_t,
    rd_kafka_conf_t,
    rd_kafka_topic_conf_t,
    rd_kafka_queue_t,
    rd_kafka_event_t,
    rd_kafka_headers_t,
    rd_kafka_error_t,
    rd_kafka_consumer_group_metadata_t,
);

/// A message: produced (handed back in delivery reports) or consumed.
#[repr(C)]
pub struct rd_kafka_message_t {
    pub err: rd_kafka_resp_err_t,
    pub rkt: *mut rd_kafka_topic_t,
    pub partition: i32,
    pub payload: *mut c_void,
    pub len: size_t,
    pub key: *mut c_void,
    pub key_len: size_t,
    pub offset: i64,
    pub _private: *mut c_void,
}

#[repr(C)]
pub struct rd_kafka_topic_partition_t {
    pub topic: *mut c_char,
    pub partition: i32,
    pub offset: i64,
    pub metadata: *mut c_void,
    pub metadata_size: size_t,
    pub opaque: *mut c_void,
    pub err: rd_kafka_resp_err_t,
    pub _private: *mut c_void,
}

#[repr(C)]
pub struct rd_kafka_topic_partition_list_t {
    pub cnt: c_int,
    pub size: c_int,
    pub elems: *mut rd_kafka_topic_partition_t,
}

#[repr(C)]
pub struct rd_kafka_metadata_broker_t {
    pub id: i32,
    pub host: *mut c_char,
    pub port: c_int,
}

#[repr(C)]
pub struct rd_kafka_metadata_partition_t {
    pub id: i32,
    pub err: rd_kafka_resp_err_t,
    pub leader: i32,
    pub replica_cnt: c_int,
    pub replicas: *mut i32,
    pub isr_cnt: c_int,
    pub isrs: *mut i32,
}

#[repr(C)]
pub struct rd_kafka_metadata_topic_t {
    pub topic: *mut c_char,
    pub partition_cnt: c_int,
    pub partitions: *mut rd_kafka_metadata_partition_t,
    pub err: rd_kafka_resp_err_t,
}

#[repr(C)]
pub struct rd_kafka_metadata_t {
    pub broker_cnt: c_int,
    pub brokers: *mut rd_kafka_metadata_broker_t,
    pub topic_cnt: c_int,
    pub topics: *mut rd_kafka_metadata_topic_t,
    pub orig_broker_id: i32,
    pub orig_broker_name: *mut c_char,
}

/// Special partition and offset values (librdkafka's `RD_KAFKA_PARTITION_UA`,
/// `RD_KAFKA_OFFSET_*`).
pub const RD_KAFKA_PARTITION_UA: i32 = -1;
pub const RD_KAFKA_OFFSET_BEGINNING: i64 = -2;
pub const RD_KAFKA_OFFSET_END: i64 = -1;
pub const RD_KAFKA_OFFSET_STORED: i64 = -1000;
pub const RD_KAFKA_OFFSET_INVALID: i64 = -1001;
pub const RD_KAFKA_OFFSET_TAIL_BASE: i64 = -2000;

/// Produce flags (`RD_KAFKA_MSG_F_*`).
pub const RD_KAFKA_MSG_F_FREE: c_int = 0x1;
pub const RD_KAFKA_MSG_F_COPY: c_int = 0x2;
pub const RD_KAFKA_MSG_F_BLOCK: c_int = 0x4;
pub const RD_KAFKA_MSG_F_PARTITION: c_int = 0x8;

/// Purge flags (`RD_KAFKA_PURGE_F_*`).
pub const RD_KAFKA_PURGE_F_QUEUE: c_int = 0x1;
pub const RD_KAFKA_PURGE_F_INFLIGHT: c_int = 0x2;
pub const RD_KAFKA_PURGE_F_NON_BLOCKING: c_int = 0x4;
