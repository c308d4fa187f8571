//! The C layouts and constants that the Rust core shares with the C API:
//! the message struct (the first field of every `Msg`, so the pointer C
//! holds *is* the message, as in librdkafka), the topic handle it points
//! to, the special offsets and partition, and the raw error type.
//!
//! This is the bottom layer: it imports nothing from the crate, so
//! `client/`, `protocol/`, `config/` and `mock/` use it without depending
//! on `ffi/`, which re-exports these items with the rest of the C API
//! (`ffi/types.rs` explains the naming patterns).

#![allow(non_camel_case_types)]

use libc::{c_int, c_void, size_t};

/// `rd_kafka_resp_err_t` as received from C: any `int`, checked before it
/// becomes an `ErrorCode` (see `ffi/types.rs`, "never trust a value that C
/// wrote").
pub type rd_kafka_resp_err_raw = c_int;

// The topic handle C holds; the object behind it is `client::topic::Topic`.
pub struct rd_kafka_topic_s {
    _private: [u8; 0],
}
pub type rd_kafka_topic_t = rd_kafka_topic_s;

/// A message: produced (handed back in delivery reports) or consumed.
///
/// `err` is raw because C may write it (e.g. the array passed to
/// `rd_kafka_produce_batch()` is C-initialised memory).
#[repr(C)]
pub struct rd_kafka_message_s {
    pub err: rd_kafka_resp_err_raw,
    pub rkt: *mut rd_kafka_topic_t,
    pub partition: i32,
    pub payload: *mut c_void,
    pub len: size_t,
    pub key: *mut c_void,
    pub key_len: size_t,
    pub offset: i64,
    pub _private: *mut c_void,
}
pub type rd_kafka_message_t = rd_kafka_message_s;

/// The API level we implement, in librdkafka's `MM.mm.rr.xx` hex form
/// (`xx` = 0xff: a final release).
pub const RD_KAFKA_VERSION: c_int = 0x020002ff;

/// Special partition and offset values.
pub const RD_KAFKA_PARTITION_UA: i32 = -1;
pub const RD_KAFKA_OFFSET_BEGINNING: i64 = -2;
pub const RD_KAFKA_OFFSET_END: i64 = -1;
pub const RD_KAFKA_OFFSET_STORED: i64 = -1000;
pub const RD_KAFKA_OFFSET_INVALID: i64 = -1001;
pub const RD_KAFKA_OFFSET_TAIL_BASE: i64 = -2000;
