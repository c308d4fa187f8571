//! Error codes: librdkafka's `rd_kafka_resp_err_t`, value for value.
//!
//! Local (client-side) errors are negative and start with a double
//! underscore after the prefix; broker errors carry Kafka's protocol error
//! numbers. The enum is `#[repr(C)]` so cbindgen emits it into the public
//! header unchanged. Values coming *from* C are never transmuted blindly:
//! [`ErrorCode::from_code`] checks them first.
//!
//! Also here: names, descriptions and retriability. (The per-thread "last
//! error" of librdkafka's legacy calls is the C layer's: `ffi/last_error.rs`.)

#![allow(non_camel_case_types)]

use crate::abi::rd_kafka_resp_err_raw;
use std::ffi::CStr;

/// Every error code librdkafka 2.0.2 defines, with the same names and values.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum rd_kafka_resp_err_t {
    RD_KAFKA_RESP_ERR__BEGIN = -200,
    RD_KAFKA_RESP_ERR__BAD_MSG = -199,
    RD_KAFKA_RESP_ERR__BAD_COMPRESSION = -198,
    RD_KAFKA_RESP_ERR__DESTROY = -197,
    RD_KAFKA_RESP_ERR__FAIL = -196,
    RD_KAFKA_RESP_ERR__TRANSPORT = -195,
    RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE = -194,
    RD_KAFKA_RESP_ERR__RESOLVE = -193,
    RD_KAFKA_RESP_ERR__MSG_TIMED_OUT = -192,
    RD_KAFKA_RESP_ERR__PARTITION_EOF = -191,
    RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION = -190,
    RD_KAFKA_RESP_ERR__FS = -189,
    RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC = -188,
    RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN = -187,
    RD_KAFKA_RESP_ERR__INVALID_ARG = -186,
    RD_KAFKA_RESP_ERR__TIMED_OUT = -185,
    RD_KAFKA_RESP_ERR__QUEUE_FULL = -184,
    RD_KAFKA_RESP_ERR__ISR_INSUFF = -183,
    RD_KAFKA_RESP_ERR__NODE_UPDATE = -182,
    RD_KAFKA_RESP_ERR__SSL = -181,
    RD_KAFKA_RESP_ERR__WAIT_COORD = -180,
    RD_KAFKA_RESP_ERR__UNKNOWN_GROUP = -179,
    RD_KAFKA_RESP_ERR__IN_PROGRESS = -178,
    RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS = -177,
    RD_KAFKA_RESP_ERR__EXISTING_SUBSCRIPTION = -176,
    RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS = -175,
    RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS = -174,
    RD_KAFKA_RESP_ERR__CONFLICT = -173,
    RD_KAFKA_RESP_ERR__STATE = -172,
    RD_KAFKA_RESP_ERR__UNKNOWN_PROTOCOL = -171,
    RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED = -170,
    RD_KAFKA_RESP_ERR__AUTHENTICATION = -169,
    RD_KAFKA_RESP_ERR__NO_OFFSET = -168,
    RD_KAFKA_RESP_ERR__OUTDATED = -167,
    RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE = -166,
    RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE = -165,
    RD_KAFKA_RESP_ERR__WAIT_CACHE = -164,
    RD_KAFKA_RESP_ERR__INTR = -163,
    RD_KAFKA_RESP_ERR__KEY_SERIALIZATION = -162,
    RD_KAFKA_RESP_ERR__VALUE_SERIALIZATION = -161,
    RD_KAFKA_RESP_ERR__KEY_DESERIALIZATION = -160,
    RD_KAFKA_RESP_ERR__VALUE_DESERIALIZATION = -159,
    RD_KAFKA_RESP_ERR__PARTIAL = -158,
    RD_KAFKA_RESP_ERR__READ_ONLY = -157,
    RD_KAFKA_RESP_ERR__NOENT = -156,
    RD_KAFKA_RESP_ERR__UNDERFLOW = -155,
    RD_KAFKA_RESP_ERR__INVALID_TYPE = -154,
    RD_KAFKA_RESP_ERR__RETRY = -153,
    RD_KAFKA_RESP_ERR__PURGE_QUEUE = -152,
    RD_KAFKA_RESP_ERR__PURGE_INFLIGHT = -151,
    RD_KAFKA_RESP_ERR__FATAL = -150,
    RD_KAFKA_RESP_ERR__INCONSISTENT = -149,
    RD_KAFKA_RESP_ERR__GAPLESS_GUARANTEE = -148,
    RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED = -147,
    RD_KAFKA_RESP_ERR__UNKNOWN_BROKER = -146,
    RD_KAFKA_RESP_ERR__NOT_CONFIGURED = -145,
    RD_KAFKA_RESP_ERR__FENCED = -144,
    RD_KAFKA_RESP_ERR__APPLICATION = -143,
    RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST = -142,
    RD_KAFKA_RESP_ERR__NOOP = -141,
    RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET = -140,
    RD_KAFKA_RESP_ERR__END = -100,
    RD_KAFKA_RESP_ERR_UNKNOWN = -1,
    RD_KAFKA_RESP_ERR_NO_ERROR = 0,
    RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE = 1,
    RD_KAFKA_RESP_ERR_INVALID_MSG = 2,
    RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART = 3,
    RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE = 4,
    RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE = 5,
    RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION = 6,
    RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT = 7,
    RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE = 8,
    RD_KAFKA_RESP_ERR_REPLICA_NOT_AVAILABLE = 9,
    RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE = 10,
    RD_KAFKA_RESP_ERR_STALE_CTRL_EPOCH = 11,
    RD_KAFKA_RESP_ERR_OFFSET_METADATA_TOO_LARGE = 12,
    RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION = 13,
    RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS = 14,
    RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE = 15,
    RD_KAFKA_RESP_ERR_NOT_COORDINATOR = 16,
    RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION = 17,
    RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE = 18,
    RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS = 19,
    RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND = 20,
    RD_KAFKA_RESP_ERR_INVALID_REQUIRED_ACKS = 21,
    RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION = 22,
    RD_KAFKA_RESP_ERR_INCONSISTENT_GROUP_PROTOCOL = 23,
    RD_KAFKA_RESP_ERR_INVALID_GROUP_ID = 24,
    RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID = 25,
    RD_KAFKA_RESP_ERR_INVALID_SESSION_TIMEOUT = 26,
    RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS = 27,
    RD_KAFKA_RESP_ERR_INVALID_COMMIT_OFFSET_SIZE = 28,
    RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED = 29,
    RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED = 30,
    RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED = 31,
    RD_KAFKA_RESP_ERR_INVALID_TIMESTAMP = 32,
    RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM = 33,
    RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE = 34,
    RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION = 35,
    RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS = 36,
    RD_KAFKA_RESP_ERR_INVALID_PARTITIONS = 37,
    RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR = 38,
    RD_KAFKA_RESP_ERR_INVALID_REPLICA_ASSIGNMENT = 39,
    RD_KAFKA_RESP_ERR_INVALID_CONFIG = 40,
    RD_KAFKA_RESP_ERR_NOT_CONTROLLER = 41,
    RD_KAFKA_RESP_ERR_INVALID_REQUEST = 42,
    RD_KAFKA_RESP_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT = 43,
    RD_KAFKA_RESP_ERR_POLICY_VIOLATION = 44,
    RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER = 45,
    RD_KAFKA_RESP_ERR_DUPLICATE_SEQUENCE_NUMBER = 46,
    RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH = 47,
    RD_KAFKA_RESP_ERR_INVALID_TXN_STATE = 48,
    RD_KAFKA_RESP_ERR_INVALID_PRODUCER_ID_MAPPING = 49,
    RD_KAFKA_RESP_ERR_INVALID_TRANSACTION_TIMEOUT = 50,
    RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS = 51,
    RD_KAFKA_RESP_ERR_TRANSACTION_COORDINATOR_FENCED = 52,
    RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53,
    RD_KAFKA_RESP_ERR_SECURITY_DISABLED = 54,
    RD_KAFKA_RESP_ERR_OPERATION_NOT_ATTEMPTED = 55,
    RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR = 56,
    RD_KAFKA_RESP_ERR_LOG_DIR_NOT_FOUND = 57,
    RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED = 58,
    RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID = 59,
    RD_KAFKA_RESP_ERR_REASSIGNMENT_IN_PROGRESS = 60,
    RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_AUTH_DISABLED = 61,
    RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_NOT_FOUND = 62,
    RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_OWNER_MISMATCH = 63,
    RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_REQUEST_NOT_ALLOWED = 64,
    RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_AUTHORIZATION_FAILED = 65,
    RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_EXPIRED = 66,
    RD_KAFKA_RESP_ERR_INVALID_PRINCIPAL_TYPE = 67,
    RD_KAFKA_RESP_ERR_NON_EMPTY_GROUP = 68,
    RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND = 69,
    RD_KAFKA_RESP_ERR_FETCH_SESSION_ID_NOT_FOUND = 70,
    RD_KAFKA_RESP_ERR_INVALID_FETCH_SESSION_EPOCH = 71,
    RD_KAFKA_RESP_ERR_LISTENER_NOT_FOUND = 72,
    RD_KAFKA_RESP_ERR_TOPIC_DELETION_DISABLED = 73,
    RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH = 74,
    RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH = 75,
    RD_KAFKA_RESP_ERR_UNSUPPORTED_COMPRESSION_TYPE = 76,
    RD_KAFKA_RESP_ERR_STALE_BROKER_EPOCH = 77,
    RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE = 78,
    RD_KAFKA_RESP_ERR_MEMBER_ID_REQUIRED = 79,
    RD_KAFKA_RESP_ERR_PREFERRED_LEADER_NOT_AVAILABLE = 80,
    RD_KAFKA_RESP_ERR_GROUP_MAX_SIZE_REACHED = 81,
    RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID = 82,
    RD_KAFKA_RESP_ERR_ELIGIBLE_LEADERS_NOT_AVAILABLE = 83,
    RD_KAFKA_RESP_ERR_ELECTION_NOT_NEEDED = 84,
    RD_KAFKA_RESP_ERR_NO_REASSIGNMENT_IN_PROGRESS = 85,
    RD_KAFKA_RESP_ERR_GROUP_SUBSCRIBED_TO_TOPIC = 86,
    RD_KAFKA_RESP_ERR_INVALID_RECORD = 87,
    RD_KAFKA_RESP_ERR_UNSTABLE_OFFSET_COMMIT = 88,
    RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED = 89,
    RD_KAFKA_RESP_ERR_PRODUCER_FENCED = 90,
    RD_KAFKA_RESP_ERR_RESOURCE_NOT_FOUND = 91,
    RD_KAFKA_RESP_ERR_DUPLICATE_RESOURCE = 92,
    RD_KAFKA_RESP_ERR_UNACCEPTABLE_CREDENTIAL = 93,
    RD_KAFKA_RESP_ERR_INCONSISTENT_VOTER_SET = 94,
    RD_KAFKA_RESP_ERR_INVALID_UPDATE_VERSION = 95,
    RD_KAFKA_RESP_ERR_FEATURE_UPDATE_FAILED = 96,
    RD_KAFKA_RESP_ERR_PRINCIPAL_DESERIALIZATION_FAILURE = 97,
    RD_KAFKA_RESP_ERR_END_ALL = 98,
}

/// The name the Rust core uses for [`rd_kafka_resp_err_t`].
pub use rd_kafka_resp_err_t as ErrorCode;

impl ErrorCode {
    /// The numeric value, as C sees it.
    pub const fn code(self) -> i32 {
        self as i32
    }

    /// Maps a number received from C or from the wire to an error code, if it is one.
    pub const fn from_code(code: i32) -> Option<ErrorCode> {
        use rd_kafka_resp_err_t::*;
        Some(match code {
            -200 => RD_KAFKA_RESP_ERR__BEGIN,
            -199 => RD_KAFKA_RESP_ERR__BAD_MSG,
            -198 => RD_KAFKA_RESP_ERR__BAD_COMPRESSION,
            -197 => RD_KAFKA_RESP_ERR__DESTROY,
            -196 => RD_KAFKA_RESP_ERR__FAIL,
            -195 => RD_KAFKA_RESP_ERR__TRANSPORT,
            -194 => RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE,
            -193 => RD_KAFKA_RESP_ERR__RESOLVE,
            -192 => RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
            -191 => RD_KAFKA_RESP_ERR__PARTITION_EOF,
            -190 => RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
            -189 => RD_KAFKA_RESP_ERR__FS,
            -188 => RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
            -187 => RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
            -186 => RD_KAFKA_RESP_ERR__INVALID_ARG,
            -185 => RD_KAFKA_RESP_ERR__TIMED_OUT,
            -184 => RD_KAFKA_RESP_ERR__QUEUE_FULL,
            -183 => RD_KAFKA_RESP_ERR__ISR_INSUFF,
            -182 => RD_KAFKA_RESP_ERR__NODE_UPDATE,
            -181 => RD_KAFKA_RESP_ERR__SSL,
            -180 => RD_KAFKA_RESP_ERR__WAIT_COORD,
            -179 => RD_KAFKA_RESP_ERR__UNKNOWN_GROUP,
            -178 => RD_KAFKA_RESP_ERR__IN_PROGRESS,
            -177 => RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS,
            -176 => RD_KAFKA_RESP_ERR__EXISTING_SUBSCRIPTION,
            -175 => RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS,
            -174 => RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS,
            -173 => RD_KAFKA_RESP_ERR__CONFLICT,
            -172 => RD_KAFKA_RESP_ERR__STATE,
            -171 => RD_KAFKA_RESP_ERR__UNKNOWN_PROTOCOL,
            -170 => RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED,
            -169 => RD_KAFKA_RESP_ERR__AUTHENTICATION,
            -168 => RD_KAFKA_RESP_ERR__NO_OFFSET,
            -167 => RD_KAFKA_RESP_ERR__OUTDATED,
            -166 => RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE,
            -165 => RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE,
            -164 => RD_KAFKA_RESP_ERR__WAIT_CACHE,
            -163 => RD_KAFKA_RESP_ERR__INTR,
            -162 => RD_KAFKA_RESP_ERR__KEY_SERIALIZATION,
            -161 => RD_KAFKA_RESP_ERR__VALUE_SERIALIZATION,
            -160 => RD_KAFKA_RESP_ERR__KEY_DESERIALIZATION,
            -159 => RD_KAFKA_RESP_ERR__VALUE_DESERIALIZATION,
            -158 => RD_KAFKA_RESP_ERR__PARTIAL,
            -157 => RD_KAFKA_RESP_ERR__READ_ONLY,
            -156 => RD_KAFKA_RESP_ERR__NOENT,
            -155 => RD_KAFKA_RESP_ERR__UNDERFLOW,
            -154 => RD_KAFKA_RESP_ERR__INVALID_TYPE,
            -153 => RD_KAFKA_RESP_ERR__RETRY,
            -152 => RD_KAFKA_RESP_ERR__PURGE_QUEUE,
            -151 => RD_KAFKA_RESP_ERR__PURGE_INFLIGHT,
            -150 => RD_KAFKA_RESP_ERR__FATAL,
            -149 => RD_KAFKA_RESP_ERR__INCONSISTENT,
            -148 => RD_KAFKA_RESP_ERR__GAPLESS_GUARANTEE,
            -147 => RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED,
            -146 => RD_KAFKA_RESP_ERR__UNKNOWN_BROKER,
            -145 => RD_KAFKA_RESP_ERR__NOT_CONFIGURED,
            -144 => RD_KAFKA_RESP_ERR__FENCED,
            -143 => RD_KAFKA_RESP_ERR__APPLICATION,
            -142 => RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST,
            -141 => RD_KAFKA_RESP_ERR__NOOP,
            -140 => RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET,
            -100 => RD_KAFKA_RESP_ERR__END,
            -1 => RD_KAFKA_RESP_ERR_UNKNOWN,
            0 => RD_KAFKA_RESP_ERR_NO_ERROR,
            1 => RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE,
            2 => RD_KAFKA_RESP_ERR_INVALID_MSG,
            3 => RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
            4 => RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE,
            5 => RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
            6 => RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
            7 => RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
            8 => RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE,
            9 => RD_KAFKA_RESP_ERR_REPLICA_NOT_AVAILABLE,
            10 => RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
            11 => RD_KAFKA_RESP_ERR_STALE_CTRL_EPOCH,
            12 => RD_KAFKA_RESP_ERR_OFFSET_METADATA_TOO_LARGE,
            13 => RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
            14 => RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
            15 => RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
            16 => RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
            17 => RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION,
            18 => RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE,
            19 => RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
            20 => RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
            21 => RD_KAFKA_RESP_ERR_INVALID_REQUIRED_ACKS,
            22 => RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION,
            23 => RD_KAFKA_RESP_ERR_INCONSISTENT_GROUP_PROTOCOL,
            24 => RD_KAFKA_RESP_ERR_INVALID_GROUP_ID,
            25 => RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID,
            26 => RD_KAFKA_RESP_ERR_INVALID_SESSION_TIMEOUT,
            27 => RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
            28 => RD_KAFKA_RESP_ERR_INVALID_COMMIT_OFFSET_SIZE,
            29 => RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
            30 => RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED,
            31 => RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED,
            32 => RD_KAFKA_RESP_ERR_INVALID_TIMESTAMP,
            33 => RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM,
            34 => RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE,
            35 => RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION,
            36 => RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS,
            37 => RD_KAFKA_RESP_ERR_INVALID_PARTITIONS,
            38 => RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR,
            39 => RD_KAFKA_RESP_ERR_INVALID_REPLICA_ASSIGNMENT,
            40 => RD_KAFKA_RESP_ERR_INVALID_CONFIG,
            41 => RD_KAFKA_RESP_ERR_NOT_CONTROLLER,
            42 => RD_KAFKA_RESP_ERR_INVALID_REQUEST,
            43 => RD_KAFKA_RESP_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT,
            44 => RD_KAFKA_RESP_ERR_POLICY_VIOLATION,
            45 => RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
            46 => RD_KAFKA_RESP_ERR_DUPLICATE_SEQUENCE_NUMBER,
            47 => RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH,
            48 => RD_KAFKA_RESP_ERR_INVALID_TXN_STATE,
            49 => RD_KAFKA_RESP_ERR_INVALID_PRODUCER_ID_MAPPING,
            50 => RD_KAFKA_RESP_ERR_INVALID_TRANSACTION_TIMEOUT,
            51 => RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS,
            52 => RD_KAFKA_RESP_ERR_TRANSACTION_COORDINATOR_FENCED,
            53 => RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
            54 => RD_KAFKA_RESP_ERR_SECURITY_DISABLED,
            55 => RD_KAFKA_RESP_ERR_OPERATION_NOT_ATTEMPTED,
            56 => RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR,
            57 => RD_KAFKA_RESP_ERR_LOG_DIR_NOT_FOUND,
            58 => RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED,
            59 => RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID,
            60 => RD_KAFKA_RESP_ERR_REASSIGNMENT_IN_PROGRESS,
            61 => RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_AUTH_DISABLED,
            62 => RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_NOT_FOUND,
            63 => RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_OWNER_MISMATCH,
            64 => RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_REQUEST_NOT_ALLOWED,
            65 => RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_AUTHORIZATION_FAILED,
            66 => RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_EXPIRED,
            67 => RD_KAFKA_RESP_ERR_INVALID_PRINCIPAL_TYPE,
            68 => RD_KAFKA_RESP_ERR_NON_EMPTY_GROUP,
            69 => RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND,
            70 => RD_KAFKA_RESP_ERR_FETCH_SESSION_ID_NOT_FOUND,
            71 => RD_KAFKA_RESP_ERR_INVALID_FETCH_SESSION_EPOCH,
            72 => RD_KAFKA_RESP_ERR_LISTENER_NOT_FOUND,
            73 => RD_KAFKA_RESP_ERR_TOPIC_DELETION_DISABLED,
            74 => RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH,
            75 => RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH,
            76 => RD_KAFKA_RESP_ERR_UNSUPPORTED_COMPRESSION_TYPE,
            77 => RD_KAFKA_RESP_ERR_STALE_BROKER_EPOCH,
            78 => RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE,
            79 => RD_KAFKA_RESP_ERR_MEMBER_ID_REQUIRED,
            80 => RD_KAFKA_RESP_ERR_PREFERRED_LEADER_NOT_AVAILABLE,
            81 => RD_KAFKA_RESP_ERR_GROUP_MAX_SIZE_REACHED,
            82 => RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID,
            83 => RD_KAFKA_RESP_ERR_ELIGIBLE_LEADERS_NOT_AVAILABLE,
            84 => RD_KAFKA_RESP_ERR_ELECTION_NOT_NEEDED,
            85 => RD_KAFKA_RESP_ERR_NO_REASSIGNMENT_IN_PROGRESS,
            86 => RD_KAFKA_RESP_ERR_GROUP_SUBSCRIBED_TO_TOPIC,
            87 => RD_KAFKA_RESP_ERR_INVALID_RECORD,
            88 => RD_KAFKA_RESP_ERR_UNSTABLE_OFFSET_COMMIT,
            89 => RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED,
            90 => RD_KAFKA_RESP_ERR_PRODUCER_FENCED,
            91 => RD_KAFKA_RESP_ERR_RESOURCE_NOT_FOUND,
            92 => RD_KAFKA_RESP_ERR_DUPLICATE_RESOURCE,
            93 => RD_KAFKA_RESP_ERR_UNACCEPTABLE_CREDENTIAL,
            94 => RD_KAFKA_RESP_ERR_INCONSISTENT_VOTER_SET,
            95 => RD_KAFKA_RESP_ERR_INVALID_UPDATE_VERSION,
            96 => RD_KAFKA_RESP_ERR_FEATURE_UPDATE_FAILED,
            97 => RD_KAFKA_RESP_ERR_PRINCIPAL_DESERIALIZATION_FAILURE,
            98 => RD_KAFKA_RESP_ERR_END_ALL,
            _ => return None,
        })
    }

    /// librdkafka's short name: the variant name without the
    /// `RD_KAFKA_RESP_ERR_` prefix (local errors keep one leading `_`).
    pub fn name(self) -> &'static str {
        self.c_name().to_str().unwrap_or("")
    }

    /// Human-readable description; local errors start with "Local: ",
    /// broker errors with "Broker: ".
    pub fn description(self) -> &'static str {
        self.c_description()
            .unwrap_or(c"Range marker, not an error code")
            .to_str()
            .unwrap_or("")
    }

    /// [`ErrorCode::name`] as a C string for the FFI tables.
    pub const fn c_name(self) -> &'static CStr {
        self.strings().0
    }

    /// [`ErrorCode::description`] as a C string, `None` for the range
    /// markers (`_BEGIN`, `_END`, `END_ALL`) which C must not see as errors.
    pub const fn c_description(self) -> Option<&'static CStr> {
        self.strings().1
    }

    /// Whether retrying the same operation later may succeed. Broker codes
    /// follow Kafka's classification (the Java client's `RetriableException`
    /// family); local codes are retriable when they describe a transient
    /// condition (connectivity, timeouts, a full queue, a pending
    /// coordinator or metadata refresh).
    pub fn is_retriable(self) -> bool {
        use rd_kafka_resp_err_t::*;
        match self {
            RD_KAFKA_RESP_ERR__BEGIN => false,
            RD_KAFKA_RESP_ERR__BAD_MSG => false,
            RD_KAFKA_RESP_ERR__BAD_COMPRESSION => false,
            RD_KAFKA_RESP_ERR__DESTROY => false,
            RD_KAFKA_RESP_ERR__FAIL => false,
            RD_KAFKA_RESP_ERR__TRANSPORT => true,
            RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE => false,
            RD_KAFKA_RESP_ERR__RESOLVE => true,
            RD_KAFKA_RESP_ERR__MSG_TIMED_OUT => true,
            RD_KAFKA_RESP_ERR__PARTITION_EOF => false,
            RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION => false,
            RD_KAFKA_RESP_ERR__FS => false,
            RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC => false,
            RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN => true,
            RD_KAFKA_RESP_ERR__INVALID_ARG => false,
            RD_KAFKA_RESP_ERR__TIMED_OUT => true,
            RD_KAFKA_RESP_ERR__QUEUE_FULL => true,
            RD_KAFKA_RESP_ERR__ISR_INSUFF => true,
            RD_KAFKA_RESP_ERR__NODE_UPDATE => true,
            RD_KAFKA_RESP_ERR__SSL => false,
            RD_KAFKA_RESP_ERR__WAIT_COORD => true,
            RD_KAFKA_RESP_ERR__UNKNOWN_GROUP => false,
            RD_KAFKA_RESP_ERR__IN_PROGRESS => false,
            RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS => false,
            RD_KAFKA_RESP_ERR__EXISTING_SUBSCRIPTION => false,
            RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS => false,
            RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS => false,
            RD_KAFKA_RESP_ERR__CONFLICT => false,
            RD_KAFKA_RESP_ERR__STATE => false,
            RD_KAFKA_RESP_ERR__UNKNOWN_PROTOCOL => false,
            RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED => false,
            RD_KAFKA_RESP_ERR__AUTHENTICATION => false,
            RD_KAFKA_RESP_ERR__NO_OFFSET => false,
            RD_KAFKA_RESP_ERR__OUTDATED => false,
            RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE => true,
            RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE => false,
            RD_KAFKA_RESP_ERR__WAIT_CACHE => true,
            RD_KAFKA_RESP_ERR__INTR => false,
            RD_KAFKA_RESP_ERR__KEY_SERIALIZATION => false,
            RD_KAFKA_RESP_ERR__VALUE_SERIALIZATION => false,
            RD_KAFKA_RESP_ERR__KEY_DESERIALIZATION => false,
            RD_KAFKA_RESP_ERR__VALUE_DESERIALIZATION => false,
            RD_KAFKA_RESP_ERR__PARTIAL => false,
            RD_KAFKA_RESP_ERR__READ_ONLY => false,
            RD_KAFKA_RESP_ERR__NOENT => false,
            RD_KAFKA_RESP_ERR__UNDERFLOW => false,
            RD_KAFKA_RESP_ERR__INVALID_TYPE => false,
            RD_KAFKA_RESP_ERR__RETRY => true,
            RD_KAFKA_RESP_ERR__PURGE_QUEUE => false,
            RD_KAFKA_RESP_ERR__PURGE_INFLIGHT => false,
            RD_KAFKA_RESP_ERR__FATAL => false,
            RD_KAFKA_RESP_ERR__INCONSISTENT => false,
            RD_KAFKA_RESP_ERR__GAPLESS_GUARANTEE => false,
            RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED => false,
            RD_KAFKA_RESP_ERR__UNKNOWN_BROKER => false,
            RD_KAFKA_RESP_ERR__NOT_CONFIGURED => false,
            RD_KAFKA_RESP_ERR__FENCED => false,
            RD_KAFKA_RESP_ERR__APPLICATION => false,
            RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST => false,
            RD_KAFKA_RESP_ERR__NOOP => false,
            RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET => false,
            RD_KAFKA_RESP_ERR__END => false,
            RD_KAFKA_RESP_ERR_UNKNOWN => false,
            RD_KAFKA_RESP_ERR_NO_ERROR => false,
            RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE => false,
            RD_KAFKA_RESP_ERR_INVALID_MSG => true,
            RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART => true,
            RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE => false,
            RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE => true,
            RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION => true,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT => true,
            RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE => false,
            RD_KAFKA_RESP_ERR_REPLICA_NOT_AVAILABLE => true,
            RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE => false,
            RD_KAFKA_RESP_ERR_STALE_CTRL_EPOCH => false,
            RD_KAFKA_RESP_ERR_OFFSET_METADATA_TOO_LARGE => false,
            RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION => true,
            RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS => true,
            RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE => true,
            RD_KAFKA_RESP_ERR_NOT_COORDINATOR => true,
            RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION => false,
            RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE => false,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS => true,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND => true,
            RD_KAFKA_RESP_ERR_INVALID_REQUIRED_ACKS => false,
            RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION => false,
            RD_KAFKA_RESP_ERR_INCONSISTENT_GROUP_PROTOCOL => false,
            RD_KAFKA_RESP_ERR_INVALID_GROUP_ID => false,
            RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID => false,
            RD_KAFKA_RESP_ERR_INVALID_SESSION_TIMEOUT => false,
            RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS => false,
            RD_KAFKA_RESP_ERR_INVALID_COMMIT_OFFSET_SIZE => false,
            RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED => false,
            RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED => false,
            RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED => false,
            RD_KAFKA_RESP_ERR_INVALID_TIMESTAMP => false,
            RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM => false,
            RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE => false,
            RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION => false,
            RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS => false,
            RD_KAFKA_RESP_ERR_INVALID_PARTITIONS => false,
            RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR => false,
            RD_KAFKA_RESP_ERR_INVALID_REPLICA_ASSIGNMENT => false,
            RD_KAFKA_RESP_ERR_INVALID_CONFIG => false,
            RD_KAFKA_RESP_ERR_NOT_CONTROLLER => true,
            RD_KAFKA_RESP_ERR_INVALID_REQUEST => false,
            RD_KAFKA_RESP_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT => false,
            RD_KAFKA_RESP_ERR_POLICY_VIOLATION => false,
            RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER => false,
            RD_KAFKA_RESP_ERR_DUPLICATE_SEQUENCE_NUMBER => false,
            RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH => false,
            RD_KAFKA_RESP_ERR_INVALID_TXN_STATE => false,
            RD_KAFKA_RESP_ERR_INVALID_PRODUCER_ID_MAPPING => false,
            RD_KAFKA_RESP_ERR_INVALID_TRANSACTION_TIMEOUT => false,
            RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS => false,
            RD_KAFKA_RESP_ERR_TRANSACTION_COORDINATOR_FENCED => false,
            RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED => false,
            RD_KAFKA_RESP_ERR_SECURITY_DISABLED => false,
            RD_KAFKA_RESP_ERR_OPERATION_NOT_ATTEMPTED => false,
            RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR => true,
            RD_KAFKA_RESP_ERR_LOG_DIR_NOT_FOUND => false,
            RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED => false,
            RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID => false,
            RD_KAFKA_RESP_ERR_REASSIGNMENT_IN_PROGRESS => false,
            RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_AUTH_DISABLED => false,
            RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_NOT_FOUND => false,
            RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_OWNER_MISMATCH => false,
            RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_REQUEST_NOT_ALLOWED => false,
            RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_AUTHORIZATION_FAILED => false,
            RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_EXPIRED => false,
            RD_KAFKA_RESP_ERR_INVALID_PRINCIPAL_TYPE => false,
            RD_KAFKA_RESP_ERR_NON_EMPTY_GROUP => false,
            RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND => false,
            RD_KAFKA_RESP_ERR_FETCH_SESSION_ID_NOT_FOUND => true,
            RD_KAFKA_RESP_ERR_INVALID_FETCH_SESSION_EPOCH => true,
            RD_KAFKA_RESP_ERR_LISTENER_NOT_FOUND => true,
            RD_KAFKA_RESP_ERR_TOPIC_DELETION_DISABLED => false,
            RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH => true,
            RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH => true,
            RD_KAFKA_RESP_ERR_UNSUPPORTED_COMPRESSION_TYPE => false,
            RD_KAFKA_RESP_ERR_STALE_BROKER_EPOCH => false,
            RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE => true,
            RD_KAFKA_RESP_ERR_MEMBER_ID_REQUIRED => false,
            RD_KAFKA_RESP_ERR_PREFERRED_LEADER_NOT_AVAILABLE => true,
            RD_KAFKA_RESP_ERR_GROUP_MAX_SIZE_REACHED => false,
            RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID => false,
            RD_KAFKA_RESP_ERR_ELIGIBLE_LEADERS_NOT_AVAILABLE => true,
            RD_KAFKA_RESP_ERR_ELECTION_NOT_NEEDED => false,
            RD_KAFKA_RESP_ERR_NO_REASSIGNMENT_IN_PROGRESS => false,
            RD_KAFKA_RESP_ERR_GROUP_SUBSCRIBED_TO_TOPIC => false,
            RD_KAFKA_RESP_ERR_INVALID_RECORD => false,
            RD_KAFKA_RESP_ERR_UNSTABLE_OFFSET_COMMIT => true,
            RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED => true,
            RD_KAFKA_RESP_ERR_PRODUCER_FENCED => false,
            RD_KAFKA_RESP_ERR_RESOURCE_NOT_FOUND => false,
            RD_KAFKA_RESP_ERR_DUPLICATE_RESOURCE => false,
            RD_KAFKA_RESP_ERR_UNACCEPTABLE_CREDENTIAL => false,
            RD_KAFKA_RESP_ERR_INCONSISTENT_VOTER_SET => false,
            RD_KAFKA_RESP_ERR_INVALID_UPDATE_VERSION => false,
            RD_KAFKA_RESP_ERR_FEATURE_UPDATE_FAILED => false,
            RD_KAFKA_RESP_ERR_PRINCIPAL_DESERIALIZATION_FAILURE => false,
            RD_KAFKA_RESP_ERR_END_ALL => false,
        }
    }

    /// Exhaustive so a new code cannot be added without a name and text.
    const fn strings(self) -> (&'static CStr, Option<&'static CStr>) {
        use rd_kafka_resp_err_t::*;
        match self {
            RD_KAFKA_RESP_ERR__BEGIN => (c"_BEGIN", None),
            RD_KAFKA_RESP_ERR__BAD_MSG => (
                c"_BAD_MSG",
                Some(c"Local: Received a message that could not be parsed"),
            ),
            RD_KAFKA_RESP_ERR__BAD_COMPRESSION => (
                c"_BAD_COMPRESSION",
                Some(c"Local: Message uses an unsupported or corrupt compression"),
            ),
            RD_KAFKA_RESP_ERR__DESTROY => (c"_DESTROY", Some(c"Local: Client is being destroyed")),
            RD_KAFKA_RESP_ERR__FAIL => (
                c"_FAIL",
                Some(c"Local: Generic failure, see the log for details"),
            ),
            RD_KAFKA_RESP_ERR__TRANSPORT => (
                c"_TRANSPORT",
                Some(c"Local: Broker connection failed or was closed"),
            ),
            RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE => (
                c"_CRIT_SYS_RESOURCE",
                Some(c"Local: A critical system resource could not be obtained"),
            ),
            RD_KAFKA_RESP_ERR__RESOLVE => (
                c"_RESOLVE",
                Some(c"Local: Broker hostname could not be resolved"),
            ),
            RD_KAFKA_RESP_ERR__MSG_TIMED_OUT => (
                c"_MSG_TIMED_OUT",
                Some(c"Local: Message was not delivered before its timeout expired"),
            ),
            RD_KAFKA_RESP_ERR__PARTITION_EOF => (
                c"_PARTITION_EOF",
                Some(c"Local: Reached the end of the partition"),
            ),
            RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION => (
                c"_UNKNOWN_PARTITION",
                Some(c"Local: Partition does not exist in the cluster"),
            ),
            RD_KAFKA_RESP_ERR__FS => (c"_FS", Some(c"Local: File or filesystem error")),
            RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC => (
                c"_UNKNOWN_TOPIC",
                Some(c"Local: Topic does not exist in the cluster"),
            ),
            RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN => (
                c"_ALL_BROKERS_DOWN",
                Some(c"Local: No broker connection is up"),
            ),
            RD_KAFKA_RESP_ERR__INVALID_ARG => (
                c"_INVALID_ARG",
                Some(c"Local: An argument was invalid or a required one was missing"),
            ),
            RD_KAFKA_RESP_ERR__TIMED_OUT => (
                c"_TIMED_OUT",
                Some(c"Local: Operation did not finish in time"),
            ),
            RD_KAFKA_RESP_ERR__QUEUE_FULL => {
                (c"_QUEUE_FULL", Some(c"Local: Producer queue is full"))
            }
            RD_KAFKA_RESP_ERR__ISR_INSUFF => {
                (c"_ISR_INSUFF", Some(c"Local: Not enough in-sync replicas"))
            }
            RD_KAFKA_RESP_ERR__NODE_UPDATE => {
                (c"_NODE_UPDATE", Some(c"Local: Broker address changed"))
            }
            RD_KAFKA_RESP_ERR__SSL => (c"_SSL", Some(c"Local: TLS/SSL failure")),
            RD_KAFKA_RESP_ERR__WAIT_COORD => (
                c"_WAIT_COORD",
                Some(c"Local: Waiting for the coordinator to become available"),
            ),
            RD_KAFKA_RESP_ERR__UNKNOWN_GROUP => (
                c"_UNKNOWN_GROUP",
                Some(c"Local: Consumer group is not known"),
            ),
            RD_KAFKA_RESP_ERR__IN_PROGRESS => (
                c"_IN_PROGRESS",
                Some(c"Local: Operation is already underway"),
            ),
            RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS => (
                c"_PREV_IN_PROGRESS",
                Some(c"Local: A previous operation is still underway"),
            ),
            RD_KAFKA_RESP_ERR__EXISTING_SUBSCRIPTION => (
                c"_EXISTING_SUBSCRIPTION",
                Some(c"Local: A subscription already exists"),
            ),
            RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS => (
                c"_ASSIGN_PARTITIONS",
                Some(c"Local: Partitions assigned to this consumer (rebalance)"),
            ),
            RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS => (
                c"_REVOKE_PARTITIONS",
                Some(c"Local: Partitions revoked from this consumer (rebalance)"),
            ),
            RD_KAFKA_RESP_ERR__CONFLICT => {
                (c"_CONFLICT", Some(c"Local: Conflicting use of the API"))
            }
            RD_KAFKA_RESP_ERR__STATE => (
                c"_STATE",
                Some(c"Local: Operation not allowed in the current state"),
            ),
            RD_KAFKA_RESP_ERR__UNKNOWN_PROTOCOL => {
                (c"_UNKNOWN_PROTOCOL", Some(c"Local: Protocol is not known"))
            }
            RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED => (
                c"_NOT_IMPLEMENTED",
                Some(c"Local: This feature is not implemented"),
            ),
            RD_KAFKA_RESP_ERR__AUTHENTICATION => {
                (c"_AUTHENTICATION", Some(c"Local: Authentication failed"))
            }
            RD_KAFKA_RESP_ERR__NO_OFFSET => (
                c"_NO_OFFSET",
                Some(c"Local: No offset is stored for this partition"),
            ),
            RD_KAFKA_RESP_ERR__OUTDATED => (c"_OUTDATED", Some(c"Local: Result is outdated")),
            RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE => (
                c"_TIMED_OUT_QUEUE",
                Some(c"Local: Timed out while waiting in a queue"),
            ),
            RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE => (
                c"_UNSUPPORTED_FEATURE",
                Some(c"Local: The broker does not support this feature"),
            ),
            RD_KAFKA_RESP_ERR__WAIT_CACHE => (
                c"_WAIT_CACHE",
                Some(c"Local: Waiting for the metadata cache to be refreshed"),
            ),
            RD_KAFKA_RESP_ERR__INTR => (c"_INTR", Some(c"Local: Operation was interrupted")),
            RD_KAFKA_RESP_ERR__KEY_SERIALIZATION => (
                c"_KEY_SERIALIZATION",
                Some(c"Local: The key could not be serialized"),
            ),
            RD_KAFKA_RESP_ERR__VALUE_SERIALIZATION => (
                c"_VALUE_SERIALIZATION",
                Some(c"Local: The value could not be serialized"),
            ),
            RD_KAFKA_RESP_ERR__KEY_DESERIALIZATION => (
                c"_KEY_DESERIALIZATION",
                Some(c"Local: The key could not be deserialized"),
            ),
            RD_KAFKA_RESP_ERR__VALUE_DESERIALIZATION => (
                c"_VALUE_DESERIALIZATION",
                Some(c"Local: The value could not be deserialized"),
            ),
            RD_KAFKA_RESP_ERR__PARTIAL => {
                (c"_PARTIAL", Some(c"Local: Operation only partly succeeded"))
            }
            RD_KAFKA_RESP_ERR__READ_ONLY => (c"_READ_ONLY", Some(c"Local: Object is read-only")),
            RD_KAFKA_RESP_ERR__NOENT => (c"_NOENT", Some(c"Local: No such entry")),
            RD_KAFKA_RESP_ERR__UNDERFLOW => (
                c"_UNDERFLOW",
                Some(c"Local: Read past the end of the available data"),
            ),
            RD_KAFKA_RESP_ERR__INVALID_TYPE => {
                (c"_INVALID_TYPE", Some(c"Local: Value has the wrong type"))
            }
            RD_KAFKA_RESP_ERR__RETRY => (c"_RETRY", Some(c"Local: Operation will be retried")),
            RD_KAFKA_RESP_ERR__PURGE_QUEUE => (
                c"_PURGE_QUEUE",
                Some(c"Local: Message was purged from the local queue"),
            ),
            RD_KAFKA_RESP_ERR__PURGE_INFLIGHT => (
                c"_PURGE_INFLIGHT",
                Some(c"Local: Message was purged while a request for it was in flight"),
            ),
            RD_KAFKA_RESP_ERR__FATAL => (
                c"_FATAL",
                Some(c"Local: A fatal error was raised, the client is unusable"),
            ),
            RD_KAFKA_RESP_ERR__INCONSISTENT => (
                c"_INCONSISTENT",
                Some(c"Local: Inconsistent state detected"),
            ),
            RD_KAFKA_RESP_ERR__GAPLESS_GUARANTEE => (
                c"_GAPLESS_GUARANTEE",
                Some(c"Local: The gap-less delivery guarantee could not be kept"),
            ),
            RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED => (
                c"_MAX_POLL_EXCEEDED",
                Some(c"Local: The application did not poll within max.poll.interval.ms"),
            ),
            RD_KAFKA_RESP_ERR__UNKNOWN_BROKER => {
                (c"_UNKNOWN_BROKER", Some(c"Local: Broker is not known"))
            }
            RD_KAFKA_RESP_ERR__NOT_CONFIGURED => (
                c"_NOT_CONFIGURED",
                Some(c"Local: The needed functionality was not configured"),
            ),
            RD_KAFKA_RESP_ERR__FENCED => (
                c"_FENCED",
                Some(c"Local: This instance was fenced by a newer instance"),
            ),
            RD_KAFKA_RESP_ERR__APPLICATION => (
                c"_APPLICATION",
                Some(c"Local: Error raised by the application"),
            ),
            RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST => (
                c"_ASSIGNMENT_LOST",
                Some(c"Local: The consumer group assignment was lost"),
            ),
            RD_KAFKA_RESP_ERR__NOOP => (c"_NOOP", Some(c"Local: Nothing to do")),
            RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET => (
                c"_AUTO_OFFSET_RESET",
                Some(c"Local: No usable offset and auto.offset.reset is set to error"),
            ),
            RD_KAFKA_RESP_ERR__END => (c"_END", None),
            RD_KAFKA_RESP_ERR_UNKNOWN => {
                (c"UNKNOWN", Some(c"Unknown error reported by the broker"))
            }
            RD_KAFKA_RESP_ERR_NO_ERROR => (c"NO_ERROR", Some(c"Success")),
            RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE => (
                c"OFFSET_OUT_OF_RANGE",
                Some(c"Broker: Requested offset is outside the partition's range"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_MSG => (
                c"INVALID_MSG",
                Some(c"Broker: Message failed its CRC check or is otherwise corrupt"),
            ),
            RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART => (
                c"UNKNOWN_TOPIC_OR_PART",
                Some(c"Broker: Topic or partition is not known to the broker"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE => (
                c"INVALID_MSG_SIZE",
                Some(c"Broker: Message has an invalid size"),
            ),
            RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE => (
                c"LEADER_NOT_AVAILABLE",
                Some(c"Broker: Partition has no leader right now (election underway)"),
            ),
            RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION => (
                c"NOT_LEADER_FOR_PARTITION",
                Some(c"Broker: Broker is not the leader or follower for this partition"),
            ),
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT => (
                c"REQUEST_TIMED_OUT",
                Some(c"Broker: The broker timed out the request"),
            ),
            RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE => (
                c"BROKER_NOT_AVAILABLE",
                Some(c"Broker: Broker is not available"),
            ),
            RD_KAFKA_RESP_ERR_REPLICA_NOT_AVAILABLE => (
                c"REPLICA_NOT_AVAILABLE",
                Some(c"Broker: Replica is not available"),
            ),
            RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE => (
                c"MSG_SIZE_TOO_LARGE",
                Some(c"Broker: Message is larger than the broker accepts"),
            ),
            RD_KAFKA_RESP_ERR_STALE_CTRL_EPOCH => (
                c"STALE_CTRL_EPOCH",
                Some(c"Broker: Controller epoch is stale"),
            ),
            RD_KAFKA_RESP_ERR_OFFSET_METADATA_TOO_LARGE => (
                c"OFFSET_METADATA_TOO_LARGE",
                Some(c"Broker: Offset commit metadata is too large"),
            ),
            RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION => (
                c"NETWORK_EXCEPTION",
                Some(c"Broker: Connection closed before the response arrived"),
            ),
            RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS => (
                c"COORDINATOR_LOAD_IN_PROGRESS",
                Some(c"Broker: Coordinator is still loading its state"),
            ),
            RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE => (
                c"COORDINATOR_NOT_AVAILABLE",
                Some(c"Broker: Coordinator is not available"),
            ),
            RD_KAFKA_RESP_ERR_NOT_COORDINATOR => (
                c"NOT_COORDINATOR",
                Some(c"Broker: Broker is not the coordinator"),
            ),
            RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION => {
                (c"TOPIC_EXCEPTION", Some(c"Broker: Topic name is not valid"))
            }
            RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE => (
                c"RECORD_LIST_TOO_LARGE",
                Some(c"Broker: Record batch is larger than the broker's segment size"),
            ),
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS => (
                c"NOT_ENOUGH_REPLICAS",
                Some(c"Broker: Too few in-sync replicas to accept the write"),
            ),
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND => (
                c"NOT_ENOUGH_REPLICAS_AFTER_APPEND",
                Some(c"Broker: Written, but the in-sync replica count dropped too low"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_REQUIRED_ACKS => (
                c"INVALID_REQUIRED_ACKS",
                Some(c"Broker: The acks value is not valid"),
            ),
            RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION => (
                c"ILLEGAL_GENERATION",
                Some(c"Broker: Consumer group generation is not current"),
            ),
            RD_KAFKA_RESP_ERR_INCONSISTENT_GROUP_PROTOCOL => (
                c"INCONSISTENT_GROUP_PROTOCOL",
                Some(c"Broker: Group protocol does not match the group's"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_GROUP_ID => {
                (c"INVALID_GROUP_ID", Some(c"Broker: Group id is not valid"))
            }
            RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID => (
                c"UNKNOWN_MEMBER_ID",
                Some(c"Broker: Group member id is not known"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_SESSION_TIMEOUT => (
                c"INVALID_SESSION_TIMEOUT",
                Some(c"Broker: Session timeout is outside the broker's allowed range"),
            ),
            RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS => (
                c"REBALANCE_IN_PROGRESS",
                Some(c"Broker: The group is rebalancing"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_COMMIT_OFFSET_SIZE => (
                c"INVALID_COMMIT_OFFSET_SIZE",
                Some(c"Broker: Commit offset data size is not valid"),
            ),
            RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED => (
                c"TOPIC_AUTHORIZATION_FAILED",
                Some(c"Broker: Not authorized to access the topic"),
            ),
            RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED => (
                c"GROUP_AUTHORIZATION_FAILED",
                Some(c"Broker: Not authorized to access the group"),
            ),
            RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED => (
                c"CLUSTER_AUTHORIZATION_FAILED",
                Some(c"Broker: Not authorized for this cluster operation"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_TIMESTAMP => (
                c"INVALID_TIMESTAMP",
                Some(c"Broker: Message timestamp is out of the accepted range"),
            ),
            RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM => (
                c"UNSUPPORTED_SASL_MECHANISM",
                Some(c"Broker: SASL mechanism is not supported by the broker"),
            ),
            RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE => (
                c"ILLEGAL_SASL_STATE",
                Some(c"Broker: Request not allowed in the current SASL state"),
            ),
            RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION => (
                c"UNSUPPORTED_VERSION",
                Some(c"Broker: API version is not supported by the broker"),
            ),
            RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS => (
                c"TOPIC_ALREADY_EXISTS",
                Some(c"Broker: Topic already exists"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_PARTITIONS => (
                c"INVALID_PARTITIONS",
                Some(c"Broker: Number of partitions is not valid"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR => (
                c"INVALID_REPLICATION_FACTOR",
                Some(c"Broker: Replication factor is not valid"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_REPLICA_ASSIGNMENT => (
                c"INVALID_REPLICA_ASSIGNMENT",
                Some(c"Broker: Replica assignment is not valid"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_CONFIG => (
                c"INVALID_CONFIG",
                Some(c"Broker: Configuration is not valid"),
            ),
            RD_KAFKA_RESP_ERR_NOT_CONTROLLER => (
                c"NOT_CONTROLLER",
                Some(c"Broker: Broker is not the cluster controller"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_REQUEST => (
                c"INVALID_REQUEST",
                Some(c"Broker: The broker considers the request malformed"),
            ),
            RD_KAFKA_RESP_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT => (
                c"UNSUPPORTED_FOR_MESSAGE_FORMAT",
                Some(c"Broker: Not supported by the message format in use"),
            ),
            RD_KAFKA_RESP_ERR_POLICY_VIOLATION => (
                c"POLICY_VIOLATION",
                Some(c"Broker: Rejected by a broker policy"),
            ),
            RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER => (
                c"OUT_OF_ORDER_SEQUENCE_NUMBER",
                Some(c"Broker: Broker received an unexpected sequence number"),
            ),
            RD_KAFKA_RESP_ERR_DUPLICATE_SEQUENCE_NUMBER => (
                c"DUPLICATE_SEQUENCE_NUMBER",
                Some(c"Broker: Broker received a duplicate sequence number"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH => (
                c"INVALID_PRODUCER_EPOCH",
                Some(c"Broker: Producer epoch is older than the broker's"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_TXN_STATE => (
                c"INVALID_TXN_STATE",
                Some(c"Broker: Operation not valid in the transaction's state"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_PRODUCER_ID_MAPPING => (
                c"INVALID_PRODUCER_ID_MAPPING",
                Some(c"Broker: Producer id does not match the transactional id"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_TRANSACTION_TIMEOUT => (
                c"INVALID_TRANSACTION_TIMEOUT",
                Some(c"Broker: Transaction timeout is larger than the broker allows"),
            ),
            RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS => (
                c"CONCURRENT_TRANSACTIONS",
                Some(c"Broker: Another transaction operation is pending for this producer"),
            ),
            RD_KAFKA_RESP_ERR_TRANSACTION_COORDINATOR_FENCED => (
                c"TRANSACTION_COORDINATOR_FENCED",
                Some(c"Broker: Transaction coordinator epoch is stale"),
            ),
            RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED => (
                c"TRANSACTIONAL_ID_AUTHORIZATION_FAILED",
                Some(c"Broker: Not authorized to use this transactional id"),
            ),
            RD_KAFKA_RESP_ERR_SECURITY_DISABLED => (
                c"SECURITY_DISABLED",
                Some(c"Broker: Security features are disabled on the broker"),
            ),
            RD_KAFKA_RESP_ERR_OPERATION_NOT_ATTEMPTED => (
                c"OPERATION_NOT_ATTEMPTED",
                Some(c"Broker: Operation skipped because another one in the batch failed"),
            ),
            RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR => {
                (c"KAFKA_STORAGE_ERROR", Some(c"Broker: Broker disk error"))
            }
            RD_KAFKA_RESP_ERR_LOG_DIR_NOT_FOUND => (
                c"LOG_DIR_NOT_FOUND",
                Some(c"Broker: Log directory not found on the broker"),
            ),
            RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED => (
                c"SASL_AUTHENTICATION_FAILED",
                Some(c"Broker: SASL authentication failed"),
            ),
            RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID => (
                c"UNKNOWN_PRODUCER_ID",
                Some(c"Broker: Producer id is not known to the broker"),
            ),
            RD_KAFKA_RESP_ERR_REASSIGNMENT_IN_PROGRESS => (
                c"REASSIGNMENT_IN_PROGRESS",
                Some(c"Broker: A partition reassignment is underway"),
            ),
            RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_AUTH_DISABLED => (
                c"DELEGATION_TOKEN_AUTH_DISABLED",
                Some(c"Broker: Delegation token authentication is disabled"),
            ),
            RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_NOT_FOUND => (
                c"DELEGATION_TOKEN_NOT_FOUND",
                Some(c"Broker: Delegation token not found"),
            ),
            RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_OWNER_MISMATCH => (
                c"DELEGATION_TOKEN_OWNER_MISMATCH",
                Some(c"Broker: Principal does not own the delegation token"),
            ),
            RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_REQUEST_NOT_ALLOWED => (
                c"DELEGATION_TOKEN_REQUEST_NOT_ALLOWED",
                Some(c"Broker: Delegation token requests are not allowed on this connection"),
            ),
            RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_AUTHORIZATION_FAILED => (
                c"DELEGATION_TOKEN_AUTHORIZATION_FAILED",
                Some(c"Broker: Not authorized for the delegation token operation"),
            ),
            RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_EXPIRED => (
                c"DELEGATION_TOKEN_EXPIRED",
                Some(c"Broker: Delegation token has expired"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_PRINCIPAL_TYPE => (
                c"INVALID_PRINCIPAL_TYPE",
                Some(c"Broker: Principal type is not supported"),
            ),
            RD_KAFKA_RESP_ERR_NON_EMPTY_GROUP => {
                (c"NON_EMPTY_GROUP", Some(c"Broker: The group is not empty"))
            }
            RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND => {
                (c"GROUP_ID_NOT_FOUND", Some(c"Broker: Group id not found"))
            }
            RD_KAFKA_RESP_ERR_FETCH_SESSION_ID_NOT_FOUND => (
                c"FETCH_SESSION_ID_NOT_FOUND",
                Some(c"Broker: Fetch session not found"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_FETCH_SESSION_EPOCH => (
                c"INVALID_FETCH_SESSION_EPOCH",
                Some(c"Broker: Fetch session epoch is not valid"),
            ),
            RD_KAFKA_RESP_ERR_LISTENER_NOT_FOUND => (
                c"LISTENER_NOT_FOUND",
                Some(c"Broker: Leader has no listener with the requested name"),
            ),
            RD_KAFKA_RESP_ERR_TOPIC_DELETION_DISABLED => (
                c"TOPIC_DELETION_DISABLED",
                Some(c"Broker: Topic deletion is disabled on the broker"),
            ),
            RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH => (
                c"FENCED_LEADER_EPOCH",
                Some(c"Broker: Leader epoch is older than the broker's"),
            ),
            RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH => (
                c"UNKNOWN_LEADER_EPOCH",
                Some(c"Broker: Leader epoch is newer than the broker's"),
            ),
            RD_KAFKA_RESP_ERR_UNSUPPORTED_COMPRESSION_TYPE => (
                c"UNSUPPORTED_COMPRESSION_TYPE",
                Some(c"Broker: The broker does not support this compression type"),
            ),
            RD_KAFKA_RESP_ERR_STALE_BROKER_EPOCH => (
                c"STALE_BROKER_EPOCH",
                Some(c"Broker: Broker epoch is stale"),
            ),
            RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE => (
                c"OFFSET_NOT_AVAILABLE",
                Some(c"Broker: Leader offset not available yet"),
            ),
            RD_KAFKA_RESP_ERR_MEMBER_ID_REQUIRED => (
                c"MEMBER_ID_REQUIRED",
                Some(c"Broker: The group requires a member id (join again)"),
            ),
            RD_KAFKA_RESP_ERR_PREFERRED_LEADER_NOT_AVAILABLE => (
                c"PREFERRED_LEADER_NOT_AVAILABLE",
                Some(c"Broker: Preferred leader is not available"),
            ),
            RD_KAFKA_RESP_ERR_GROUP_MAX_SIZE_REACHED => (
                c"GROUP_MAX_SIZE_REACHED",
                Some(c"Broker: The group has reached its maximum size"),
            ),
            RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID => (
                c"FENCED_INSTANCE_ID",
                Some(
                    c"Broker: Static group member was fenced by another with the same instance id",
                ),
            ),
            RD_KAFKA_RESP_ERR_ELIGIBLE_LEADERS_NOT_AVAILABLE => (
                c"ELIGIBLE_LEADERS_NOT_AVAILABLE",
                Some(c"Broker: No eligible leader is available"),
            ),
            RD_KAFKA_RESP_ERR_ELECTION_NOT_NEEDED => (
                c"ELECTION_NOT_NEEDED",
                Some(c"Broker: Leader election not needed"),
            ),
            RD_KAFKA_RESP_ERR_NO_REASSIGNMENT_IN_PROGRESS => (
                c"NO_REASSIGNMENT_IN_PROGRESS",
                Some(c"Broker: No partition reassignment is underway"),
            ),
            RD_KAFKA_RESP_ERR_GROUP_SUBSCRIBED_TO_TOPIC => (
                c"GROUP_SUBSCRIBED_TO_TOPIC",
                Some(c"Broker: Cannot delete offsets of a topic the group is subscribed to"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_RECORD => (
                c"INVALID_RECORD",
                Some(c"Broker: The broker rejected a record as invalid"),
            ),
            RD_KAFKA_RESP_ERR_UNSTABLE_OFFSET_COMMIT => (
                c"UNSTABLE_OFFSET_COMMIT",
                Some(c"Broker: Transactional offsets for the partition are still pending"),
            ),
            RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED => (
                c"THROTTLING_QUOTA_EXCEEDED",
                Some(c"Broker: Request throttled: quota exceeded"),
            ),
            RD_KAFKA_RESP_ERR_PRODUCER_FENCED => (
                c"PRODUCER_FENCED",
                Some(c"Broker: Producer was fenced by a newer one with the same transactional id"),
            ),
            RD_KAFKA_RESP_ERR_RESOURCE_NOT_FOUND => {
                (c"RESOURCE_NOT_FOUND", Some(c"Broker: Resource not found"))
            }
            RD_KAFKA_RESP_ERR_DUPLICATE_RESOURCE => (
                c"DUPLICATE_RESOURCE",
                Some(c"Broker: Resource listed more than once in the request"),
            ),
            RD_KAFKA_RESP_ERR_UNACCEPTABLE_CREDENTIAL => (
                c"UNACCEPTABLE_CREDENTIAL",
                Some(c"Broker: Credential does not meet the broker's requirements"),
            ),
            RD_KAFKA_RESP_ERR_INCONSISTENT_VOTER_SET => (
                c"INCONSISTENT_VOTER_SET",
                Some(c"Broker: Voter set is inconsistent with the leader's"),
            ),
            RD_KAFKA_RESP_ERR_INVALID_UPDATE_VERSION => (
                c"INVALID_UPDATE_VERSION",
                Some(c"Broker: Update version is not valid"),
            ),
            RD_KAFKA_RESP_ERR_FEATURE_UPDATE_FAILED => (
                c"FEATURE_UPDATE_FAILED",
                Some(c"Broker: Broker failed to update the finalized features"),
            ),
            RD_KAFKA_RESP_ERR_PRINCIPAL_DESERIALIZATION_FAILURE => (
                c"PRINCIPAL_DESERIALIZATION_FAILURE",
                Some(c"Broker: Forwarded request principal could not be deserialized"),
            ),
            RD_KAFKA_RESP_ERR_END_ALL => (c"END_ALL", None),
        }
    }
}

// Older group-coordinator names librdkafka keeps as aliases of the generic
// coordinator codes. Typed with the raw alias (see src/ffi/types.rs)
// because cbindgen only emits constants of primitive type; the header then
// casts to the enum type, so C++ can assign them to an enum variable.
pub const RD_KAFKA_RESP_ERR_GROUP_LOAD_IN_PROGRESS: rd_kafka_resp_err_raw =
    rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS as rd_kafka_resp_err_raw;
pub const RD_KAFKA_RESP_ERR_GROUP_COORDINATOR_NOT_AVAILABLE: rd_kafka_resp_err_raw =
    rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE as rd_kafka_resp_err_raw;
pub const RD_KAFKA_RESP_ERR_NOT_COORDINATOR_FOR_GROUP: rd_kafka_resp_err_raw =
    rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NOT_COORDINATOR as rd_kafka_resp_err_raw;

impl From<ErrorCode> for i32 {
    fn from(code: ErrorCode) -> i32 {
        code.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rd_kafka_resp_err_t::*;

    fn all_codes() -> impl Iterator<Item = ErrorCode> {
        (-200..=98).filter_map(ErrorCode::from_code)
    }

    #[test]
    fn from_code_round_trips_every_value() {
        let codes: Vec<_> = all_codes().collect();
        assert_eq!(codes.len(), 162);
        for code in codes {
            assert_eq!(ErrorCode::from_code(code.code()), Some(code));
        }
        assert_eq!(ErrorCode::from_code(-201), None);
        assert_eq!(ErrorCode::from_code(-139), None);
        assert_eq!(ErrorCode::from_code(99), None);
    }

    #[test]
    fn names_are_the_variant_names_without_prefix() {
        for code in all_codes() {
            let variant = format!("{code:?}");
            assert_eq!(
                Some(code.name()),
                variant.strip_prefix("RD_KAFKA_RESP_ERR_"),
                "{variant}"
            );
        }
        assert_eq!(RD_KAFKA_RESP_ERR__QUEUE_FULL.name(), "_QUEUE_FULL");
        assert_eq!(RD_KAFKA_RESP_ERR_NO_ERROR.name(), "NO_ERROR");
    }

    #[test]
    fn descriptions_are_prefixed_by_origin() {
        for code in all_codes() {
            let Some(desc) = code.c_description() else {
                assert!(matches!(
                    code,
                    RD_KAFKA_RESP_ERR__BEGIN | RD_KAFKA_RESP_ERR__END | RD_KAFKA_RESP_ERR_END_ALL
                ));
                continue;
            };
            let desc = desc.to_str().unwrap();
            let expected = match code.code() {
                c if c < -1 => "Local: ",
                -1 | 0 => "",
                _ => "Broker: ",
            };
            assert!(desc.starts_with(expected), "{code:?}: {desc}");
            assert!(desc.len() > expected.len() + 5, "{code:?}: {desc}");
        }
        assert_eq!(RD_KAFKA_RESP_ERR_NO_ERROR.description(), "Success");
    }

    #[test]
    fn retriable_codes_follow_kafka() {
        assert!(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.is_retriable());
        assert!(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.is_retriable());
        assert!(RD_KAFKA_RESP_ERR__TRANSPORT.is_retriable());
        assert!(RD_KAFKA_RESP_ERR__TIMED_OUT.is_retriable());
        assert!(!RD_KAFKA_RESP_ERR_NO_ERROR.is_retriable());
        assert!(!RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED.is_retriable());
        assert!(!RD_KAFKA_RESP_ERR__INVALID_ARG.is_retriable());
        assert!(!RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.is_retriable());
    }
}
