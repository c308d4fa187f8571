//! OffsetCommit and OffsetFetch: committed offsets per group, kept by the
//! group's coordinator together with their metadata strings.

use super::group::check_coordinator;
use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::mock::groups::{Committed, Group};
use crate::protocol::messages::{
    OffsetCommitPartitionResponse, OffsetCommitRequest, OffsetCommitResponse,
    OffsetCommitTopicResponse, OffsetFetchPartitionResponse, OffsetFetchRequest,
    OffsetFetchResponse, OffsetFetchTopicResponse,
};
use std::time::Instant;

use ErrorCode::*;

pub fn commit(ctx: &Ctx, req: OffsetCommitRequest) -> Option<OffsetCommitResponse> {
    let mut state = ctx.shared.state.lock();
    let now = Instant::now();
    let group_err = check_coordinator(ctx, &state, &req.group_id).and_then(|()| {
        state
            .groups
            .entry(req.group_id.clone())
            .or_insert_with(|| Group::new(now))
            .check_commit(
                &req.member_id,
                req.group_instance_id.as_deref(),
                req.generation_id,
                now,
            )
    });
    let mut topics = Vec::with_capacity(req.topics.len());
    for t in &req.topics {
        let partition_count = state
            .topics
            .get(&t.name)
            .map_or(0, |tp| tp.partitions.len());
        let mut partitions = Vec::with_capacity(t.partitions.len());
        for p in &t.partitions {
            let exists = usize::try_from(p.partition_index).is_ok_and(|i| i < partition_count);
            let err = match group_err {
                Err(e) => e,
                Ok(()) if !exists => RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
                Ok(()) => {
                    if let Some(g) = state.groups.get_mut(&req.group_id) {
                        g.committed.insert(
                            (t.name.clone(), p.partition_index),
                            Committed {
                                offset: p.committed_offset,
                                metadata: p.committed_metadata.clone(),
                            },
                        );
                    }
                    RD_KAFKA_RESP_ERR_NO_ERROR
                }
            };
            partitions.push(OffsetCommitPartitionResponse {
                partition_index: p.partition_index,
                error_code: wire(err),
            });
        }
        topics.push(OffsetCommitTopicResponse {
            name: t.name.clone(),
            partitions,
        });
    }
    ctx.shared.group_changed.notify_all();
    Some(OffsetCommitResponse {
        throttle_time_ms: 0,
        topics,
    })
}

pub fn fetch(ctx: &Ctx, req: OffsetFetchRequest) -> Option<OffsetFetchResponse> {
    let state = ctx.shared.state.lock();
    if let Err(e) = check_coordinator(ctx, &state, &req.group_id) {
        return Some(OffsetFetchResponse {
            error_code: wire(e),
            ..Default::default()
        });
    }
    let group = state.groups.get(&req.group_id);
    let lookup = |topic: &str, partition: i32| {
        let mut out = OffsetFetchPartitionResponse {
            partition_index: partition,
            ..Default::default()
        };
        if let Some(c) = group.and_then(|g| g.committed.get(&(topic.to_string(), partition))) {
            out.committed_offset = c.offset;
            out.metadata = c.metadata.clone();
        }
        out
    };
    let topics = match &req.topics {
        Some(topics) => topics
            .iter()
            .map(|t| OffsetFetchTopicResponse {
                name: t.name.clone(),
                partitions: t
                    .partition_indexes
                    .iter()
                    .map(|&p| lookup(&t.name, p))
                    .collect(),
            })
            .collect(),
        // All committed offsets of the group, grouped by topic.
        None => {
            let mut keys: Vec<&(String, i32)> = group
                .map(|g| g.committed.keys().collect())
                .unwrap_or_default();
            keys.sort();
            let mut topics: Vec<OffsetFetchTopicResponse> = Vec::new();
            for (topic, partition) in keys {
                if topics.last().map(|t| &t.name) != Some(topic) {
                    topics.push(OffsetFetchTopicResponse {
                        name: topic.clone(),
                        partitions: Vec::new(),
                    });
                }
                if let Some(t) = topics.last_mut() {
                    t.partitions.push(lookup(topic, *partition));
                }
            }
            topics
        }
    };
    Some(OffsetFetchResponse {
        throttle_time_ms: 0,
        topics,
        error_code: 0,
    })
}
