//! Fetch: whole batches from each partition's log, long-polling until
//! `min_bytes` are available or `max_wait_ms` has passed. `read_committed`
//! requests read up to the last stable offset and get the aborted
//! transactions overlapping what they read. From v13 topics are named by
//! id (answered UNKNOWN_TOPIC_ID when no topic has it).

use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::mock::state::ClusterState;
use crate::protocol::error::UNKNOWN_TOPIC_ID;
use crate::protocol::messages::{
    FetchPartitionResponse, FetchRequest, FetchResponse, FetchTopicResponse, FIRST_TOPIC_ID_VERSION,
};
use std::time::{Duration, Instant};

use ErrorCode::*;

/// Longest a blocked fetch sleeps before re-checking for shutdown.
const TICK: Duration = Duration::from_millis(100);

/// FetchRequest's `isolation_level` for consumers that see only committed
/// transactional data.
const ISOLATION_READ_COMMITTED: i8 = 1;

/// First version with `preferred_read_replica` (KIP-392).
const FIRST_FOLLOWER_FETCH_VERSION: i16 = 11;

struct Built {
    resp: FetchResponse,
    bytes: usize,
    any_error: bool,
}

fn failed(partition: i32, error_code: i16) -> FetchPartitionResponse {
    FetchPartitionResponse {
        partition_index: partition,
        error_code,
        ..Default::default()
    }
}

/// v13+ requests name topics by id: fills in each topic's name (left
/// empty for an id no topic has), so the rest works by name.
fn resolve_topic_ids(state: &ClusterState, ctx: &Ctx, req: &mut FetchRequest) {
    if ctx.version < FIRST_TOPIC_ID_VERSION {
        return;
    }
    for t in &mut req.topics {
        t.topic = state
            .topic_name_by_id(&t.topic_id)
            .unwrap_or_default()
            .to_string();
    }
}

fn build(state: &ClusterState, ctx: &Ctx, req: &FetchRequest) -> Built {
    let mut budget = usize::try_from(req.max_bytes).unwrap_or(0);
    let mut bytes = 0;
    let mut any_error = false;
    let read_committed = req.isolation_level == ISOLATION_READ_COMMITTED;
    let mut topics = Vec::with_capacity(req.topics.len());
    for t in &req.topics {
        let mut partitions = Vec::with_capacity(t.partitions.len());
        for fp in &t.partitions {
            let Some(part) = state.partition(&t.topic, fp.partition) else {
                any_error = true;
                let unknown = if t.topic.is_empty() && ctx.version >= FIRST_TOPIC_ID_VERSION {
                    UNKNOWN_TOPIC_ID
                } else {
                    wire(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
                };
                partitions.push(failed(fp.partition, unknown));
                continue;
            };
            let log = &part.log;
            let (lo, hi) = if part.leader == ctx.broker.id {
                (log.log_start(), log.high_watermark())
            } else if part.follower == ctx.broker.id {
                let (lo, hi) = part.follower_wmarks.unwrap_or((-1, -1));
                let lo = if lo < 0 { log.log_start() } else { lo };
                let hi = if hi < 0 {
                    log.high_watermark()
                } else {
                    hi.min(log.high_watermark())
                };
                (lo, hi)
            } else {
                any_error = true;
                partitions.push(failed(
                    fp.partition,
                    wire(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION),
                ));
                continue;
            };
            let stable = log.last_stable_offset().min(hi);
            let mut out = FetchPartitionResponse {
                partition_index: fp.partition,
                high_watermark: hi,
                last_stable_offset: stable,
                log_start_offset: lo,
                ..Default::default()
            };
            if part.leader == ctx.broker.id
                && part.follower >= 0
                && ctx.version >= FIRST_FOLLOWER_FETCH_VERSION
            {
                out.preferred_read_replica = part.follower;
                any_error = true;
                partitions.push(out);
                continue;
            }
            if fp.fetch_offset < lo || fp.fetch_offset > hi {
                any_error = true;
                out.error_code = wire(RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE);
                partitions.push(out);
                continue;
            }
            let limit = usize::try_from(fp.partition_max_bytes)
                .unwrap_or(0)
                .min(budget);
            // KIP-74: the first batch of the response is returned even when
            // it exceeds the limits, so a consumer can always progress.
            // read_committed reads up to the last stable offset only, and
            // learns which transactions in what it reads were aborted.
            let end = if read_committed { stable } else { hi };
            let records = if fp.fetch_offset < end {
                log.read(fp.fetch_offset, end, limit, bytes == 0)
            } else {
                bytes::Bytes::new()
            };
            if read_committed {
                out.aborted_transactions = Some(log.aborted_between(fp.fetch_offset, end));
            }
            bytes += records.len();
            budget = budget.saturating_sub(records.len());
            out.records = Some(records);
            partitions.push(out);
        }
        topics.push(FetchTopicResponse {
            topic: t.topic.clone(),
            topic_id: t.topic_id,
            partitions,
        });
    }
    Built {
        resp: FetchResponse {
            topics,
            ..Default::default()
        },
        bytes,
        any_error,
    }
}

pub fn handle(ctx: &Ctx, req: FetchRequest) -> Option<FetchResponse> {
    if let Some(err) = ctx.injected {
        let topics = req
            .topics
            .iter()
            .map(|t| FetchTopicResponse {
                topic: t.topic.clone(),
                topic_id: t.topic_id,
                partitions: t
                    .partitions
                    .iter()
                    .map(|p| failed(p.partition, wire(err)))
                    .collect(),
            })
            .collect();
        return Some(FetchResponse {
            topics,
            ..Default::default()
        });
    }
    let wait = Duration::from_millis(u64::try_from(req.max_wait_ms).unwrap_or(0));
    let deadline = Instant::now() + wait;
    let min_bytes = usize::try_from(req.min_bytes).unwrap_or(0);
    let mut state = ctx.shared.state.lock();
    let mut req = req;
    resolve_topic_ids(&state, ctx, &mut req);
    loop {
        // An expired transaction's abort moves the last stable offset.
        crate::mock::txn::expire(&mut state, Instant::now());
        let built = build(&state, ctx, &req);
        let now = Instant::now();
        if built.bytes >= min_bytes
            || built.any_error
            || now >= deadline
            || ctx.shared.is_shut_down()
            || !ctx.broker.is_up()
        {
            return Some(built.resp);
        }
        let until = deadline.min(now + TICK);
        ctx.shared.data_arrived.wait_until(&mut state, until);
    }
}
