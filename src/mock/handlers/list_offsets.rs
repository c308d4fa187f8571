//! ListOffsets: earliest, latest, max-timestamp or by-timestamp lookups on
//! the partition leader.

use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::protocol::messages::list_offsets::{EARLIEST_TIMESTAMP, LATEST_TIMESTAMP};
use crate::protocol::messages::{
    ListOffsetsPartitionResponse, ListOffsetsRequest, ListOffsetsResponse, ListOffsetsTopicResponse,
};

use ErrorCode::*;

/// ListOffsets v7's "offset of the record with the largest timestamp".
const MAX_TIMESTAMP: i64 = -3;

pub fn handle(ctx: &Ctx, req: ListOffsetsRequest) -> Option<ListOffsetsResponse> {
    let mut state = ctx.shared.state.lock();
    crate::mock::txn::expire(&mut state, std::time::Instant::now());
    // read_committed's "latest" is the last stable offset.
    let read_committed = req.isolation_level == 1;
    let topics = req
        .topics
        .iter()
        .map(|t| ListOffsetsTopicResponse {
            name: t.name.clone(),
            partitions: t
                .partitions
                .iter()
                .map(|p| {
                    let mut out = ListOffsetsPartitionResponse {
                        partition_index: p.partition_index,
                        error_code: 0,
                        timestamp: -1,
                        offset: -1,
                        leader_epoch: -1,
                    };
                    let part = state.partition(&t.name, p.partition_index);
                    let result = match (ctx.injected, part) {
                        (Some(e), _) => Err(e),
                        (None, None) => Err(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART),
                        (None, Some(part)) if part.leader != ctx.broker.id => {
                            Err(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
                        }
                        (None, Some(part)) => {
                            out.leader_epoch = part.leader_epoch;
                            Ok(match p.timestamp {
                                LATEST_TIMESTAMP if read_committed => {
                                    Some((-1, part.log.last_stable_offset()))
                                }
                                LATEST_TIMESTAMP => Some((-1, part.log.high_watermark())),
                                EARLIEST_TIMESTAMP => Some((-1, part.log.log_start())),
                                MAX_TIMESTAMP => part.log.max_timestamp(),
                                ts => part.log.offset_for_timestamp(ts),
                            })
                        }
                    };
                    match result {
                        Ok(Some((ts, offset))) => {
                            out.timestamp = ts;
                            out.offset = offset;
                        }
                        Ok(None) => {}
                        Err(e) => out.error_code = wire(e),
                    }
                    out
                })
                .collect(),
        })
        .collect();
    Some(ListOffsetsResponse {
        throttle_time_ms: 0,
        topics,
    })
}
