//! DeleteRecords: the leader moves each partition's log start.

use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::protocol::messages::{
    DeleteRecordsPartitionResult, DeleteRecordsRequest, DeleteRecordsResponse,
    DeleteRecordsTopicResult,
};

use ErrorCode::*;

pub fn delete_records(ctx: &Ctx, req: DeleteRecordsRequest) -> Option<DeleteRecordsResponse> {
    let mut state = ctx.shared.state.lock();
    let topics = req
        .topics
        .iter()
        .map(|t| DeleteRecordsTopicResult {
            name: t.name.clone(),
            partitions: t
                .partitions
                .iter()
                .map(|p| {
                    let outcome = match (
                        ctx.injected,
                        state.partition_mut(&t.name, p.partition_index),
                    ) {
                        (Some(e), _) => Err(e),
                        (None, None) => Err(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART),
                        (None, Some(part)) if part.leader != ctx.broker.id => {
                            Err(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
                        }
                        (None, Some(part)) => part.log.delete_before(p.offset),
                    };
                    DeleteRecordsPartitionResult {
                        partition_index: p.partition_index,
                        low_watermark: *outcome.as_ref().unwrap_or(&-1),
                        error_code: wire(outcome.err().unwrap_or(RD_KAFKA_RESP_ERR_NO_ERROR)),
                    }
                })
                .collect(),
        })
        .collect();
    Some(DeleteRecordsResponse {
        throttle_time_ms: 0,
        topics,
    })
}
