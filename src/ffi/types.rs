//! C-visible types: opaque handle markers, `#[repr(C)]` structs and enums
//! whose layout and values match librdkafka's header field for field
//! (proved by `tests/abi_layout.rs`).
//!
//! # Patterns every FFI module follows
//!
//! **Opaque handles.** librdkafka declares e.g. `typedef struct rd_kafka_s
//! rd_kafka_t;`. We mirror that with a marker struct named after the C tag
//! (`rd_kafka_s`, deliberately *not* `#[repr(C)]` so cbindgen emits it as an
//! incomplete type) plus a `pub type rd_kafka_t = rd_kafka_s;` alias. Rust
//! code uses the `_t` alias; `ffi/handle.rs` ties each handle type to its
//! real Rust object and is the only place that converts between them.
//!
//! **Structs.** Same idea: the struct carries the C tag name
//! (`rd_kafka_message_s`) and a `_t` alias carries the typedef name, so both
//! `struct rd_kafka_message_s` and `rd_kafka_message_t` work in C.
//!
//! **Enums: never trust a value that C wrote.** A C enum is just an `int`;
//! C may hand us any number, and materialising an out-of-range value as a
//! Rust enum is undefined behaviour. So every C enum `foo_t` has two Rust
//! faces:
//! - the Rust enum `foo_t` (`#[repr(C)]`), which cbindgen emits as the real
//!   C enum. Use it for values flowing *to* C: return types and fields C
//!   only reads.
//! - the raw alias `foo_raw = c_int`, which `cbindgen.toml` renames to
//!   `foo_t` (and does not emit itself), so the header still shows the enum
//!   type. Use it for every function parameter and every struct field C may
//!   write, and convert with the checked `from_raw`/`from_code` constructor.
//!
//! A new enum therefore needs: the enum, a `_raw` alias, a
//! `c_enum_from_raw!` line, and one `[export.rename]` line in
//! `cbindgen.toml`. Items are written out rather than macro-generated
//! because cbindgen does not expand macros.

#![allow(non_camel_case_types)]

use crate::error::rd_kafka_resp_err_t;
use libc::{c_char, c_int, c_void, size_t, ssize_t};

// The C layouts and constants the core needs live in the bottom layer;
// the C API sees them here with everything else.
pub use crate::abi::{
    rd_kafka_message_s, rd_kafka_message_t, rd_kafka_resp_err_raw, rd_kafka_topic_s,
    rd_kafka_topic_t, RD_KAFKA_OFFSET_BEGINNING, RD_KAFKA_OFFSET_END, RD_KAFKA_OFFSET_INVALID,
    RD_KAFKA_OFFSET_STORED, RD_KAFKA_OFFSET_TAIL_BASE, RD_KAFKA_PARTITION_UA, RD_KAFKA_VERSION,
};

// Opaque handles; the real object behind each pointer is named in
// `ffi/handle.rs`.

pub struct rd_kafka_s {
    _private: [u8; 0],
}
pub type rd_kafka_t = rd_kafka_s;

pub struct rd_kafka_conf_s {
    _private: [u8; 0],
}
pub type rd_kafka_conf_t = rd_kafka_conf_s;

pub struct rd_kafka_topic_conf_s {
    _private: [u8; 0],
}
pub type rd_kafka_topic_conf_t = rd_kafka_topic_conf_s;

pub struct rd_kafka_queue_s {
    _private: [u8; 0],
}
pub type rd_kafka_queue_t = rd_kafka_queue_s;

pub struct rd_kafka_op_s {
    _private: [u8; 0],
}
pub type rd_kafka_event_t = rd_kafka_op_s;

pub struct rd_kafka_topic_result_s {
    _private: [u8; 0],
}
pub type rd_kafka_topic_result_t = rd_kafka_topic_result_s;

pub struct rd_kafka_consumer_group_metadata_s {
    _private: [u8; 0],
}
pub type rd_kafka_consumer_group_metadata_t = rd_kafka_consumer_group_metadata_s;

pub struct rd_kafka_error_s {
    _private: [u8; 0],
}
pub type rd_kafka_error_t = rd_kafka_error_s;

pub struct rd_kafka_headers_s {
    _private: [u8; 0],
}
pub type rd_kafka_headers_t = rd_kafka_headers_s;

pub struct rd_kafka_group_result_s {
    _private: [u8; 0],
}
pub type rd_kafka_group_result_t = rd_kafka_group_result_s;

pub struct rd_kafka_acl_result_s {
    _private: [u8; 0],
}
pub type rd_kafka_acl_result_t = rd_kafka_acl_result_s;

/// One element of a partition list; applications may write any field, so
/// `err` is raw.
#[repr(C)]
pub struct rd_kafka_topic_partition_s {
    pub topic: *mut c_char,
    pub partition: i32,
    pub offset: i64,
    pub metadata: *mut c_void,
    pub metadata_size: size_t,
    pub opaque: *mut c_void,
    pub err: rd_kafka_resp_err_raw,
    pub _private: *mut c_void,
}
pub type rd_kafka_topic_partition_t = rd_kafka_topic_partition_s;

#[repr(C)]
pub struct rd_kafka_topic_partition_list_s {
    pub cnt: c_int,
    pub size: c_int,
    pub elems: *mut rd_kafka_topic_partition_t,
}
pub type rd_kafka_topic_partition_list_t = rd_kafka_topic_partition_list_s;

/// Metadata structs are built by us and handed to C read-only, so their
/// error fields use the enum type directly.
#[repr(C)]
pub struct rd_kafka_metadata_broker {
    pub id: i32,
    pub host: *mut c_char,
    pub port: c_int,
}
pub type rd_kafka_metadata_broker_t = rd_kafka_metadata_broker;

#[repr(C)]
pub struct rd_kafka_metadata_partition {
    pub id: i32,
    pub err: rd_kafka_resp_err_t,
    pub leader: i32,
    pub replica_cnt: c_int,
    pub replicas: *mut i32,
    pub isr_cnt: c_int,
    pub isrs: *mut i32,
}
pub type rd_kafka_metadata_partition_t = rd_kafka_metadata_partition;

#[repr(C)]
pub struct rd_kafka_metadata_topic {
    pub topic: *mut c_char,
    pub partition_cnt: c_int,
    pub partitions: *mut rd_kafka_metadata_partition,
    pub err: rd_kafka_resp_err_t,
}
pub type rd_kafka_metadata_topic_t = rd_kafka_metadata_topic;

#[repr(C)]
pub struct rd_kafka_metadata {
    pub broker_cnt: c_int,
    pub brokers: *mut rd_kafka_metadata_broker,
    pub topic_cnt: c_int,
    pub topics: *mut rd_kafka_metadata_topic,
    pub orig_broker_id: i32,
    pub orig_broker_name: *mut c_char,
}
pub type rd_kafka_metadata_t = rd_kafka_metadata;

/// Result structs of `rd_kafka_list_groups()` (C uses them by tag only).
#[repr(C)]
pub struct rd_kafka_group_member_info {
    pub member_id: *mut c_char,
    pub client_id: *mut c_char,
    pub client_host: *mut c_char,
    pub member_metadata: *mut c_void,
    pub member_metadata_size: c_int,
    pub member_assignment: *mut c_void,
    pub member_assignment_size: c_int,
}

#[repr(C)]
pub struct rd_kafka_group_info {
    pub broker: rd_kafka_metadata_broker,
    pub group: *mut c_char,
    pub err: rd_kafka_resp_err_t,
    pub state: *mut c_char,
    pub protocol_type: *mut c_char,
    pub protocol: *mut c_char,
    pub members: *mut rd_kafka_group_member_info,
    pub member_cnt: c_int,
}

#[repr(C)]
pub struct rd_kafka_group_list {
    pub groups: *mut rd_kafka_group_info,
    pub group_cnt: c_int,
}

/// One entry of the table returned by `rd_kafka_get_err_descs()`.
#[repr(C)]
pub struct rd_kafka_err_desc {
    pub code: rd_kafka_resp_err_t,
    pub name: *const c_char,
    pub desc: *const c_char,
}

// SAFETY: entries only point at immutable `'static` C strings, so sharing
// the table between threads is sound.
unsafe impl Sync for rd_kafka_err_desc {}

/// Gives a C enum its checked conversion from the raw value (see the module
/// docs). The variant list must be complete: the generated exhaustive
/// `match` fails to compile otherwise.
macro_rules! c_enum_from_raw {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl $name {
            /// Checks a value that came from C; `None` if it names no variant.
            pub fn from_raw(raw: c_int) -> Option<Self> {
                // Proves at compile time that the list below is complete.
                let _exhaustive = |v: Self| match v {
                    $(Self::$variant => ()),*
                };
                [$(Self::$variant),*].into_iter().find(|v| *v as c_int == raw)
            }
        }
    };
}

/// Client type given to `rd_kafka_new()`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum rd_kafka_type_t {
    RD_KAFKA_PRODUCER = 0,
    RD_KAFKA_CONSUMER = 1,
}
/// `rd_kafka_type_t` as received from C.
pub type rd_kafka_type_raw = c_int;
c_enum_from_raw!(rd_kafka_type_t {
    RD_KAFKA_PRODUCER,
    RD_KAFKA_CONSUMER
});

/// Where a message's timestamp came from.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum rd_kafka_timestamp_type_t {
    RD_KAFKA_TIMESTAMP_NOT_AVAILABLE = 0,
    RD_KAFKA_TIMESTAMP_CREATE_TIME = 1,
    RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME = 2,
}
/// `rd_kafka_timestamp_type_t` as received from C.
pub type rd_kafka_timestamp_type_raw = c_int;
c_enum_from_raw!(rd_kafka_timestamp_type_t {
    RD_KAFKA_TIMESTAMP_NOT_AVAILABLE,
    RD_KAFKA_TIMESTAMP_CREATE_TIME,
    RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME
});

/// Outcome of setting a configuration property.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum rd_kafka_conf_res_t {
    RD_KAFKA_CONF_UNKNOWN = -2,
    RD_KAFKA_CONF_INVALID = -1,
    RD_KAFKA_CONF_OK = 0,
}
/// `rd_kafka_conf_res_t` as received from C.
pub type rd_kafka_conf_res_raw = c_int;
c_enum_from_raw!(rd_kafka_conf_res_t {
    RD_KAFKA_CONF_UNKNOWN,
    RD_KAFKA_CONF_INVALID,
    RD_KAFKA_CONF_OK
});

/// Tags of the `rd_kafka_producev()` argument list and of `rd_kafka_vu_t`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum rd_kafka_vtype_t {
    RD_KAFKA_VTYPE_END = 0,
    RD_KAFKA_VTYPE_TOPIC = 1,
    RD_KAFKA_VTYPE_RKT = 2,
    RD_KAFKA_VTYPE_PARTITION = 3,
    RD_KAFKA_VTYPE_VALUE = 4,
    RD_KAFKA_VTYPE_KEY = 5,
    RD_KAFKA_VTYPE_OPAQUE = 6,
    RD_KAFKA_VTYPE_MSGFLAGS = 7,
    RD_KAFKA_VTYPE_TIMESTAMP = 8,
    RD_KAFKA_VTYPE_HEADER = 9,
    RD_KAFKA_VTYPE_HEADERS = 10,
}
/// `rd_kafka_vtype_t` as received from C.
pub type rd_kafka_vtype_raw = c_int;
c_enum_from_raw!(rd_kafka_vtype_t {
    RD_KAFKA_VTYPE_END,
    RD_KAFKA_VTYPE_TOPIC,
    RD_KAFKA_VTYPE_RKT,
    RD_KAFKA_VTYPE_PARTITION,
    RD_KAFKA_VTYPE_VALUE,
    RD_KAFKA_VTYPE_KEY,
    RD_KAFKA_VTYPE_OPAQUE,
    RD_KAFKA_VTYPE_MSGFLAGS,
    RD_KAFKA_VTYPE_TIMESTAMP,
    RD_KAFKA_VTYPE_HEADER,
    RD_KAFKA_VTYPE_HEADERS
});

/// How sure we are that a message reached the broker's log.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum rd_kafka_msg_status_t {
    RD_KAFKA_MSG_STATUS_NOT_PERSISTED = 0,
    RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED = 1,
    RD_KAFKA_MSG_STATUS_PERSISTED = 2,
}
/// `rd_kafka_msg_status_t` as received from C.
pub type rd_kafka_msg_status_raw = c_int;
c_enum_from_raw!(rd_kafka_msg_status_t {
    RD_KAFKA_MSG_STATUS_NOT_PERSISTED,
    RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED,
    RD_KAFKA_MSG_STATUS_PERSISTED
});

/// Kind of internal thread reported to thread interceptors.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum rd_kafka_thread_type_t {
    RD_KAFKA_THREAD_MAIN = 0,
    RD_KAFKA_THREAD_BACKGROUND = 1,
    RD_KAFKA_THREAD_BROKER = 2,
}
/// `rd_kafka_thread_type_t` as received from C.
pub type rd_kafka_thread_type_raw = c_int;
c_enum_from_raw!(rd_kafka_thread_type_t {
    RD_KAFKA_THREAD_MAIN,
    RD_KAFKA_THREAD_BACKGROUND,
    RD_KAFKA_THREAD_BROKER
});

/// Certificate or key kind for `rd_kafka_conf_set_ssl_cert()`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum rd_kafka_cert_type_t {
    RD_KAFKA_CERT_PUBLIC_KEY = 0,
    RD_KAFKA_CERT_PRIVATE_KEY = 1,
    RD_KAFKA_CERT_CA = 2,
    RD_KAFKA_CERT__CNT = 3,
}
/// `rd_kafka_cert_type_t` as received from C.
pub type rd_kafka_cert_type_raw = c_int;
c_enum_from_raw!(rd_kafka_cert_type_t {
    RD_KAFKA_CERT_PUBLIC_KEY,
    RD_KAFKA_CERT_PRIVATE_KEY,
    RD_KAFKA_CERT_CA,
    RD_KAFKA_CERT__CNT
});

/// Encoding of a certificate buffer for `rd_kafka_conf_set_ssl_cert()`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum rd_kafka_cert_enc_t {
    RD_KAFKA_CERT_ENC_PKCS12 = 0,
    RD_KAFKA_CERT_ENC_DER = 1,
    RD_KAFKA_CERT_ENC_PEM = 2,
    RD_KAFKA_CERT_ENC__CNT = 3,
}
/// `rd_kafka_cert_enc_t` as received from C.
pub type rd_kafka_cert_enc_raw = c_int;
c_enum_from_raw!(rd_kafka_cert_enc_t {
    RD_KAFKA_CERT_ENC_PKCS12,
    RD_KAFKA_CERT_ENC_DER,
    RD_KAFKA_CERT_ENC_PEM,
    RD_KAFKA_CERT_ENC__CNT
});

/// Pointer and length of a value or key in an `rd_kafka_vu_t`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct rd_kafka_vu_mem_s {
    pub ptr: *mut c_void,
    pub size: size_t,
}

/// One header in an `rd_kafka_vu_t`; `size` -1 means "NUL-terminated".
#[repr(C)]
#[derive(Clone, Copy)]
pub struct rd_kafka_vu_header_s {
    pub name: *const c_char,
    pub val: *const c_void,
    pub size: ssize_t,
}

/// The value part of an `rd_kafka_vu_t`; `vtype` says which member is live.
/// librdkafka declares it as an anonymous union, which has the same layout.
#[repr(C)]
#[derive(Clone, Copy)]
pub union rd_kafka_vu_value_u {
    pub cstr: *const c_char,
    pub rkt: *mut rd_kafka_topic_t,
    pub i: c_int,
    pub i32: i32,
    pub i64: i64,
    pub mem: rd_kafka_vu_mem_s,
    pub header: rd_kafka_vu_header_s,
    pub headers: *mut rd_kafka_headers_t,
    pub ptr: *mut c_void,
    pub _pad: [c_char; 64],
}

/// One tagged argument of `rd_kafka_produceva()`, written by C: `vtype` is
/// raw and must be checked with [`rd_kafka_vtype_t::from_raw`].
#[repr(C)]
#[derive(Clone, Copy)]
pub struct rd_kafka_vu_s {
    pub vtype: rd_kafka_vtype_raw,
    pub u: rd_kafka_vu_value_u,
}
pub type rd_kafka_vu_t = rd_kafka_vu_s;

// Admin API objects (`ffi/admin/`); the result types are the event.

pub struct rd_kafka_AdminOptions_s {
    _private: [u8; 0],
}
pub type rd_kafka_AdminOptions_t = rd_kafka_AdminOptions_s;

pub struct rd_kafka_NewTopic_s {
    _private: [u8; 0],
}
pub type rd_kafka_NewTopic_t = rd_kafka_NewTopic_s;

pub struct rd_kafka_DeleteTopic_s {
    _private: [u8; 0],
}
pub type rd_kafka_DeleteTopic_t = rd_kafka_DeleteTopic_s;

pub struct rd_kafka_NewPartitions_s {
    _private: [u8; 0],
}
pub type rd_kafka_NewPartitions_t = rd_kafka_NewPartitions_s;

pub struct rd_kafka_ConfigEntry_s {
    _private: [u8; 0],
}
pub type rd_kafka_ConfigEntry_t = rd_kafka_ConfigEntry_s;

pub struct rd_kafka_ConfigResource_s {
    _private: [u8; 0],
}
pub type rd_kafka_ConfigResource_t = rd_kafka_ConfigResource_s;

pub struct rd_kafka_DeleteRecords_s {
    _private: [u8; 0],
}
pub type rd_kafka_DeleteRecords_t = rd_kafka_DeleteRecords_s;

pub struct rd_kafka_Node_s {
    _private: [u8; 0],
}
pub type rd_kafka_Node_t = rd_kafka_Node_s;

pub type rd_kafka_CreateTopics_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteTopics_result_t = rd_kafka_event_t;
pub type rd_kafka_CreatePartitions_result_t = rd_kafka_event_t;
pub type rd_kafka_AlterConfigs_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeConfigs_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteRecords_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteGroups_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteConsumerGroupOffsets_result_t = rd_kafka_event_t;
pub type rd_kafka_CreateAcls_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeAcls_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteAcls_result_t = rd_kafka_event_t;
pub type rd_kafka_ListConsumerGroups_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeConsumerGroups_result_t = rd_kafka_event_t;
pub type rd_kafka_ListConsumerGroupOffsets_result_t = rd_kafka_event_t;
pub type rd_kafka_AlterConsumerGroupOffsets_result_t = rd_kafka_event_t;

/// `rd_kafka_admin_op_t`; C hands it in, so functions take the raw `int`
/// (`rd_kafka_admin_op_raw`) and convert with `AdminOp::from_raw`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum rd_kafka_admin_op_t {
    RD_KAFKA_ADMIN_OP_ANY = 0,
    RD_KAFKA_ADMIN_OP_CREATETOPICS,
    RD_KAFKA_ADMIN_OP_DELETETOPICS,
    RD_KAFKA_ADMIN_OP_CREATEPARTITIONS,
    RD_KAFKA_ADMIN_OP_ALTERCONFIGS,
    RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS,
    RD_KAFKA_ADMIN_OP_DELETERECORDS,
    RD_KAFKA_ADMIN_OP_DELETEGROUPS,
    RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS,
    RD_KAFKA_ADMIN_OP_CREATEACLS,
    RD_KAFKA_ADMIN_OP_DESCRIBEACLS,
    RD_KAFKA_ADMIN_OP_DELETEACLS,
    RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS,
    RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS,
    RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
    RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS,
    RD_KAFKA_ADMIN_OP__CNT,
}
pub type rd_kafka_admin_op_raw = c_int;

/// `rd_kafka_consumer_group_state_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum rd_kafka_consumer_group_state_t {
    RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN = 0,
    RD_KAFKA_CONSUMER_GROUP_STATE_PREPARING_REBALANCE = 1,
    RD_KAFKA_CONSUMER_GROUP_STATE_COMPLETING_REBALANCE = 2,
    RD_KAFKA_CONSUMER_GROUP_STATE_STABLE = 3,
    RD_KAFKA_CONSUMER_GROUP_STATE_DEAD = 4,
    RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY = 5,
    RD_KAFKA_CONSUMER_GROUP_STATE__CNT,
}
pub type rd_kafka_consumer_group_state_raw = c_int;

/// `rd_kafka_ResourceType_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum rd_kafka_ResourceType_t {
    RD_KAFKA_RESOURCE_UNKNOWN = 0,
    RD_KAFKA_RESOURCE_ANY = 1,
    RD_KAFKA_RESOURCE_TOPIC = 2,
    RD_KAFKA_RESOURCE_GROUP = 3,
    RD_KAFKA_RESOURCE_BROKER = 4,
    RD_KAFKA_RESOURCE__CNT,
}
pub type rd_kafka_ResourceType_raw = c_int;

/// `rd_kafka_ConfigSource_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum rd_kafka_ConfigSource_t {
    RD_KAFKA_CONFIG_SOURCE_UNKNOWN_CONFIG = 0,
    RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG = 1,
    RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG = 2,
    RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG = 3,
    RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG = 4,
    RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG = 5,
    RD_KAFKA_CONFIG_SOURCE__CNT,
}
pub type rd_kafka_ConfigSource_raw = c_int;

/// Event types are plain `int`s in librdkafka (a bit set for some APIs).
pub type rd_kafka_event_type_t = c_int;

pub const RD_KAFKA_EVENT_NONE: rd_kafka_event_type_t = 0x0;
pub const RD_KAFKA_EVENT_DR: rd_kafka_event_type_t = 0x1;
pub const RD_KAFKA_EVENT_FETCH: rd_kafka_event_type_t = 0x2;
pub const RD_KAFKA_EVENT_LOG: rd_kafka_event_type_t = 0x4;
pub const RD_KAFKA_EVENT_ERROR: rd_kafka_event_type_t = 0x8;
pub const RD_KAFKA_EVENT_REBALANCE: rd_kafka_event_type_t = 0x10;
pub const RD_KAFKA_EVENT_OFFSET_COMMIT: rd_kafka_event_type_t = 0x20;
pub const RD_KAFKA_EVENT_STATS: rd_kafka_event_type_t = 0x40;
pub const RD_KAFKA_EVENT_CREATETOPICS_RESULT: rd_kafka_event_type_t = 100;
pub const RD_KAFKA_EVENT_DELETETOPICS_RESULT: rd_kafka_event_type_t = 101;
pub const RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT: rd_kafka_event_type_t = 102;
pub const RD_KAFKA_EVENT_ALTERCONFIGS_RESULT: rd_kafka_event_type_t = 103;
pub const RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT: rd_kafka_event_type_t = 104;
pub const RD_KAFKA_EVENT_DELETERECORDS_RESULT: rd_kafka_event_type_t = 105;
pub const RD_KAFKA_EVENT_DELETEGROUPS_RESULT: rd_kafka_event_type_t = 106;
pub const RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT: rd_kafka_event_type_t = 107;
pub const RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH: rd_kafka_event_type_t = 0x100;
pub const RD_KAFKA_EVENT_BACKGROUND: rd_kafka_event_type_t = 0x200;
pub const RD_KAFKA_EVENT_CREATEACLS_RESULT: rd_kafka_event_type_t = 0x400;
pub const RD_KAFKA_EVENT_DESCRIBEACLS_RESULT: rd_kafka_event_type_t = 0x800;
pub const RD_KAFKA_EVENT_DELETEACLS_RESULT: rd_kafka_event_type_t = 0x1000;
pub const RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT: rd_kafka_event_type_t = 0x2000;
pub const RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT: rd_kafka_event_type_t = 0x4000;
pub const RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT: rd_kafka_event_type_t = 0x8000;
pub const RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT: rd_kafka_event_type_t = 0x10000;

/// Produce flags (`RD_KAFKA_MSG_F_*`).
pub const RD_KAFKA_MSG_F_FREE: c_int = 0x1;
pub const RD_KAFKA_MSG_F_COPY: c_int = 0x2;
pub const RD_KAFKA_MSG_F_BLOCK: c_int = 0x4;
pub const RD_KAFKA_MSG_F_PARTITION: c_int = 0x8;

/// Purge flags (`RD_KAFKA_PURGE_F_*`).
pub const RD_KAFKA_PURGE_F_QUEUE: c_int = 0x1;
pub const RD_KAFKA_PURGE_F_INFLIGHT: c_int = 0x2;
pub const RD_KAFKA_PURGE_F_NON_BLOCKING: c_int = 0x4;

/// Flag for `rd_kafka_destroy_flags()`.
pub const RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE: c_int = 0x8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_raw_accepts_only_declared_values() {
        assert_eq!(
            rd_kafka_vtype_t::from_raw(10),
            Some(rd_kafka_vtype_t::RD_KAFKA_VTYPE_HEADERS)
        );
        assert_eq!(rd_kafka_vtype_t::from_raw(11), None);
        assert_eq!(rd_kafka_vtype_t::from_raw(-1), None);
        assert_eq!(
            rd_kafka_conf_res_t::from_raw(-2),
            Some(rd_kafka_conf_res_t::RD_KAFKA_CONF_UNKNOWN)
        );
        assert_eq!(rd_kafka_type_t::from_raw(2), None);
    }
}

// The group and ACL calls' objects (`ffi/admin/groups.rs`, `ffi/admin/acls.rs`).

pub struct rd_kafka_AclBinding_s {
    _private: [u8; 0],
}
pub type rd_kafka_AclBinding_t = rd_kafka_AclBinding_s;

pub struct rd_kafka_DeleteAcls_result_response_s {
    _private: [u8; 0],
}
pub type rd_kafka_DeleteAcls_result_response_t = rd_kafka_DeleteAcls_result_response_s;

pub struct rd_kafka_DeleteGroup_s {
    _private: [u8; 0],
}
pub type rd_kafka_DeleteGroup_t = rd_kafka_DeleteGroup_s;

pub struct rd_kafka_ListConsumerGroupOffsets_s {
    _private: [u8; 0],
}
pub type rd_kafka_ListConsumerGroupOffsets_t = rd_kafka_ListConsumerGroupOffsets_s;

pub struct rd_kafka_AlterConsumerGroupOffsets_s {
    _private: [u8; 0],
}
pub type rd_kafka_AlterConsumerGroupOffsets_t = rd_kafka_AlterConsumerGroupOffsets_s;

pub struct rd_kafka_DeleteConsumerGroupOffsets_s {
    _private: [u8; 0],
}
pub type rd_kafka_DeleteConsumerGroupOffsets_t = rd_kafka_DeleteConsumerGroupOffsets_s;

pub struct rd_kafka_ConsumerGroupListing_s {
    _private: [u8; 0],
}
pub type rd_kafka_ConsumerGroupListing_t = rd_kafka_ConsumerGroupListing_s;

pub struct rd_kafka_ConsumerGroupDescription_s {
    _private: [u8; 0],
}
pub type rd_kafka_ConsumerGroupDescription_t = rd_kafka_ConsumerGroupDescription_s;

pub struct rd_kafka_MemberDescription_s {
    _private: [u8; 0],
}
pub type rd_kafka_MemberDescription_t = rd_kafka_MemberDescription_s;

pub struct rd_kafka_MemberAssignment_s {
    _private: [u8; 0],
}
pub type rd_kafka_MemberAssignment_t = rd_kafka_MemberAssignment_s;

/// librdkafka uses one type for bindings and filters.
pub type rd_kafka_AclBindingFilter_t = rd_kafka_AclBinding_t;

/// `rd_kafka_ResourcePatternType_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum rd_kafka_ResourcePatternType_t {
    RD_KAFKA_RESOURCE_PATTERN_UNKNOWN = 0,
    RD_KAFKA_RESOURCE_PATTERN_ANY = 1,
    RD_KAFKA_RESOURCE_PATTERN_MATCH = 2,
    RD_KAFKA_RESOURCE_PATTERN_LITERAL = 3,
    RD_KAFKA_RESOURCE_PATTERN_PREFIXED = 4,
    RD_KAFKA_RESOURCE_PATTERN_TYPE__CNT,
}
pub type rd_kafka_ResourcePatternType_raw = c_int;

/// `rd_kafka_AclOperation_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum rd_kafka_AclOperation_t {
    RD_KAFKA_ACL_OPERATION_UNKNOWN = 0,
    RD_KAFKA_ACL_OPERATION_ANY = 1,
    RD_KAFKA_ACL_OPERATION_ALL = 2,
    RD_KAFKA_ACL_OPERATION_READ = 3,
    RD_KAFKA_ACL_OPERATION_WRITE = 4,
    RD_KAFKA_ACL_OPERATION_CREATE = 5,
    RD_KAFKA_ACL_OPERATION_DELETE = 6,
    RD_KAFKA_ACL_OPERATION_ALTER = 7,
    RD_KAFKA_ACL_OPERATION_DESCRIBE = 8,
    RD_KAFKA_ACL_OPERATION_CLUSTER_ACTION = 9,
    RD_KAFKA_ACL_OPERATION_DESCRIBE_CONFIGS = 10,
    RD_KAFKA_ACL_OPERATION_ALTER_CONFIGS = 11,
    RD_KAFKA_ACL_OPERATION_IDEMPOTENT_WRITE = 12,
    RD_KAFKA_ACL_OPERATION__CNT,
}
pub type rd_kafka_AclOperation_raw = c_int;

/// `rd_kafka_AclPermissionType_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum rd_kafka_AclPermissionType_t {
    RD_KAFKA_ACL_PERMISSION_TYPE_UNKNOWN = 0,
    RD_KAFKA_ACL_PERMISSION_TYPE_ANY = 1,
    RD_KAFKA_ACL_PERMISSION_TYPE_DENY = 2,
    RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW = 3,
    RD_KAFKA_ACL_PERMISSION_TYPE__CNT,
}
pub type rd_kafka_AclPermissionType_raw = c_int;
