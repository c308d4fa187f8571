//! `TopicPartition`: a partition with an offset, metadata and error, the
//! core form of `rd_kafka_topic_partition_t` that assignments, commits,
//! positions and rebalance events carry.

use crate::error::ErrorCode;

/// A partition with an offset and error, the core form of
/// `rd_kafka_topic_partition_t`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub metadata: Option<Vec<u8>>,
    pub err: ErrorCode,
    pub leader_epoch: i32,
}

impl TopicPartition {
    pub fn new(topic: &str, partition: i32, offset: i64) -> TopicPartition {
        TopicPartition {
            topic: topic.to_string(),
            partition,
            offset,
            metadata: None,
            err: ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
            leader_epoch: -1,
        }
    }
}
