//! What an Admin API call delivers: one [`AdminResult`] per call, queued as
//! `Op::Admin` on the queue the application gave, where the C layer turns
//! it into the `RD_KAFKA_EVENT_*_RESULT` event and its result objects.

use crate::client::admin::acls::{AclSpec, DeleteAclsOutcome};
use crate::client::admin::groups::{GroupDescription, GroupListings};
use crate::client::admin::options::AdminOp;
use crate::client::topic_partition::TopicPartition;
use crate::error::ErrorCode;

/// A per-topic outcome (CreateTopics, DeleteTopics, CreatePartitions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicResult {
    pub name: String,
    pub err: ErrorCode,
    /// The broker's message, else the error's description; `None` on success.
    pub errstr: Option<String>,
}

impl TopicResult {
    pub fn new(name: &str, err: ErrorCode, message: Option<String>) -> TopicResult {
        let errstr = (err != ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR)
            .then(|| message.unwrap_or_else(|| err.description().to_string()));
        TopicResult {
            name: name.to_string(),
            err,
            errstr,
        }
    }
}

/// A per-group outcome (`rd_kafka_group_result_t`: DeleteGroups,
/// the consumer-group-offsets calls).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupResult {
    pub group: String,
    pub err: ErrorCode,
    pub errstr: Option<String>,
    pub partitions: Option<Vec<TopicPartition>>,
}

/// A broker as the results name it (`rd_kafka_Node_t`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub id: i32,
    pub host: String,
    pub port: u16,
}

/// One config entry as DescribeConfigs reports it (and the synonyms of one).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ConfigEntryInfo {
    pub name: String,
    pub value: Option<String>,
    /// `rd_kafka_ConfigSource_t`.
    pub source: i32,
    pub is_read_only: bool,
    pub is_default: bool,
    pub is_sensitive: bool,
    pub is_synonym: bool,
    pub synonyms: Vec<ConfigEntryInfo>,
}

/// A resource's outcome (DescribeConfigs, AlterConfigs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceResult {
    /// `rd_kafka_ResourceType_t`.
    pub restype: i32,
    pub name: String,
    pub err: ErrorCode,
    pub errstr: Option<String>,
    pub configs: Vec<ConfigEntryInfo>,
}

/// The body of a result, by the kind of objects it lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdminResultBody {
    /// Only the request-level error (set on the result) is known.
    Empty,
    Topics(Vec<TopicResult>),
    Resources(Vec<ResourceResult>),
    /// Per-partition outcome with its new offset (DeleteRecords: the low
    /// watermark).
    Partitions(Vec<TopicPartition>),
    Groups(Vec<GroupResult>),
    /// CreateAcls: per binding, its error (`None`: created).
    AclResults(Vec<Option<(ErrorCode, String)>>),
    /// DescribeAcls: the matching bindings.
    Acls(Vec<AclSpec>),
    /// DeleteAcls: per filter, its error or the bindings it deleted.
    DeletedAcls(Vec<DeleteAclsOutcome>),
    GroupListings(GroupListings),
    GroupDescriptions(Vec<GroupDescription>),
}

/// The result of one Admin API call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminResult {
    /// Which call (decides the event type).
    pub op: AdminOp,
    /// The request-level error (`rd_kafka_event_error`).
    pub err: ErrorCode,
    pub errstr: Option<String>,
    pub body: AdminResultBody,
    /// `AdminOptions_set_opaque`'s value.
    pub opaque: usize,
}

impl AdminResult {
    pub fn ok(op: AdminOp, body: AdminResultBody) -> AdminResult {
        AdminResult {
            op,
            err: ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
            errstr: None,
            body,
            opaque: 0,
        }
    }

    /// A request-level failure; the body stays empty, as librdkafka's.
    pub fn failed(op: AdminOp, err: ErrorCode, errstr: impl Into<String>) -> AdminResult {
        AdminResult {
            op,
            err,
            errstr: Some(errstr.into()),
            body: AdminResultBody::Empty,
            opaque: 0,
        }
    }
}
