//! Produce: validate and append each partition's record set on the
//! partition leader, then wake long-polling fetches.

use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::mock::log::AppendError;
use crate::protocol::messages::{
    ProducePartitionResponse, ProduceRequest, ProduceResponse, ProduceTopicResponse,
};
use bytes::Bytes;

use ErrorCode::*;

fn partition_result(
    index: i32,
    error: ErrorCode,
    base_offset: i64,
    log_start: i64,
) -> ProducePartitionResponse {
    ProducePartitionResponse {
        index,
        error_code: wire(error),
        base_offset,
        log_append_time_ms: -1,
        log_start_offset: log_start,
        ..Default::default()
    }
}

pub fn handle(ctx: &Ctx, req: ProduceRequest) -> Option<ProduceResponse> {
    let acks_valid = matches!(req.acks, -1..=1);
    let mut state = ctx.shared.state.lock();
    let mut appended = false;
    let mut topics = Vec::with_capacity(req.topics.len());
    for t in &req.topics {
        let topic_error = state.topics.get(&t.name).and_then(|topic| topic.error);
        let mut partitions = Vec::with_capacity(t.partitions.len());
        for p in &t.partitions {
            let early = if let Some(e) = ctx.injected {
                Some(e)
            } else if !acks_valid {
                Some(RD_KAFKA_RESP_ERR_INVALID_REQUIRED_ACKS)
            } else {
                topic_error
            };
            if let Some(e) = early {
                partitions.push(partition_result(p.index, e, -1, -1));
                continue;
            }
            let Some(part) = state.partition_mut(&t.name, p.index) else {
                partitions.push(partition_result(
                    p.index,
                    RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
                    -1,
                    -1,
                ));
                continue;
            };
            if part.leader != ctx.broker.id {
                partitions.push(partition_result(
                    p.index,
                    RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                    -1,
                    -1,
                ));
                continue;
            }
            let records = p.records.clone().unwrap_or_else(Bytes::new);
            let result = match part.log.append(&records) {
                Ok(base) => {
                    appended = true;
                    (RD_KAFKA_RESP_ERR_NO_ERROR, base)
                }
                // As Kafka: a retry of one of the producer's last five
                // batches succeeds with the original offset, appending nothing.
                Err(AppendError::Duplicate { base_offset }) => {
                    (RD_KAFKA_RESP_ERR_NO_ERROR, base_offset)
                }
                Err(AppendError::Refused(e)) => (e, -1),
            };
            partitions.push(partition_result(
                p.index,
                result.0,
                result.1,
                part.log.log_start(),
            ));
        }
        topics.push(ProduceTopicResponse {
            name: t.name.clone(),
            partitions,
        });
    }
    if appended {
        ctx.shared.data_arrived.notify_all();
    }
    drop(state);
    if req.acks == 0 {
        return None;
    }
    Some(ProduceResponse {
        topics,
        throttle_time_ms: 0,
    })
}
