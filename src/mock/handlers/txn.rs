//! The transaction coordinator's requests (AddPartitionsToTxn,
//! AddOffsetsToTxn, EndTxn) and the group coordinator's TxnOffsetCommit.
//! Each first lets expired transactions abort (`mock::txn::expire`), so a
//! producer that outlived its `transaction.timeout.ms` finds itself fenced.

use super::group::check_coordinator as check_group_coordinator;
use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::mock::groups::{Committed, Group};
use crate::mock::state::{ClusterState, KEY_TYPE_TRANSACTION};
use crate::mock::txn;
use crate::protocol::messages::*;
use std::time::Instant;

use ErrorCode::*;

/// First versions answering a stale epoch with PRODUCER_FENCED (KIP-588).
const ADD_PARTITIONS_FENCED_FROM: i16 = 2;
const ADD_OFFSETS_FENCED_FROM: i16 = 2;
const END_TXN_FENCED_FROM: i16 = 2;
const TXN_OFFSET_COMMIT_FENCED_FROM: i16 = 3;

/// NOT_COORDINATOR unless this broker coordinates `transactional_id`.
pub(super) fn check_coordinator(
    ctx: &Ctx,
    state: &ClusterState,
    transactional_id: &str,
) -> Result<(), ErrorCode> {
    if transactional_id.is_empty() {
        return Err(RD_KAFKA_RESP_ERR_INVALID_REQUEST);
    }
    if state.coordinator(KEY_TYPE_TRANSACTION, transactional_id) != ctx.broker.id {
        return Err(RD_KAFKA_RESP_ERR_NOT_COORDINATOR);
    }
    Ok(())
}

/// Aborts expired transactions; wakes long-polling fetches if that moved a
/// last stable offset.
fn expire(ctx: &Ctx, state: &mut ClusterState, now: Instant) {
    if txn::expire(state, now) {
        ctx.shared.data_arrived.notify_all();
    }
}

pub fn add_partitions(
    ctx: &Ctx,
    req: AddPartitionsToTxnRequest,
) -> Option<AddPartitionsToTxnResponse> {
    let now = Instant::now();
    let mut state = ctx.shared.state.lock();
    expire(ctx, &mut state, now);
    let request_err = ctx.injected.map(Err).unwrap_or_else(|| {
        check_coordinator(ctx, &state, &req.transactional_id)?;
        txn::current(
            &mut state,
            &req.transactional_id,
            req.producer_id,
            req.producer_epoch,
            txn::fenced(ctx.version, ADD_PARTITIONS_FENCED_FROM),
        )
        .map(drop)
    });
    // Kafka adds all partitions or none: when one is unknown, the others
    // are answered OPERATION_NOT_ATTEMPTED.
    let unknown = |state: &ClusterState, t: &AddPartitionsToTxnTopic, p: i32| {
        state.partition(&t.name, p).is_none()
    };
    let any_unknown = req
        .topics
        .iter()
        .any(|t| t.partitions.iter().any(|&p| unknown(&state, t, p)));
    let results = req
        .topics
        .iter()
        .map(|t| AddPartitionsToTxnTopicResult {
            name: t.name.clone(),
            results: t
                .partitions
                .iter()
                .map(|&p| {
                    let err = match request_err {
                        Err(e) => e,
                        Ok(()) if unknown(&state, t, p) => RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
                        Ok(()) if any_unknown => RD_KAFKA_RESP_ERR_OPERATION_NOT_ATTEMPTED,
                        Ok(()) => RD_KAFKA_RESP_ERR_NO_ERROR,
                    };
                    AddPartitionsToTxnPartitionResult {
                        partition_index: p,
                        error_code: wire(err),
                    }
                })
                .collect(),
        })
        .collect();
    if request_err.is_ok() && !any_unknown {
        if let Some(t) = state.transactions.get_mut(&req.transactional_id) {
            let open = t.open_or_begin(now);
            for topic in &req.topics {
                for &p in &topic.partitions {
                    open.partitions.insert((topic.name.clone(), p));
                }
            }
        }
    }
    Some(AddPartitionsToTxnResponse {
        throttle_time_ms: 0,
        results,
    })
}

pub fn add_offsets(ctx: &Ctx, req: AddOffsetsToTxnRequest) -> Option<AddOffsetsToTxnResponse> {
    let now = Instant::now();
    let mut state = ctx.shared.state.lock();
    expire(ctx, &mut state, now);
    let result = ctx.injected.map(Err).unwrap_or_else(|| {
        check_coordinator(ctx, &state, &req.transactional_id)?;
        if req.group_id.is_empty() {
            return Err(RD_KAFKA_RESP_ERR_INVALID_GROUP_ID);
        }
        let t = txn::current(
            &mut state,
            &req.transactional_id,
            req.producer_id,
            req.producer_epoch,
            txn::fenced(ctx.version, ADD_OFFSETS_FENCED_FROM),
        )?;
        t.open_or_begin(now).groups.insert(req.group_id.clone());
        Ok(())
    });
    Some(AddOffsetsToTxnResponse {
        throttle_time_ms: 0,
        error_code: wire(result.err().unwrap_or(RD_KAFKA_RESP_ERR_NO_ERROR)),
    })
}

pub fn end(ctx: &Ctx, req: EndTxnRequest) -> Option<EndTxnResponse> {
    let now = Instant::now();
    let mut state = ctx.shared.state.lock();
    expire(ctx, &mut state, now);
    let result = ctx.injected.map(Err).unwrap_or_else(|| {
        check_coordinator(ctx, &state, &req.transactional_id)?;
        txn::end(
            &mut state,
            &req.transactional_id,
            req.producer_id,
            req.producer_epoch,
            req.committed,
            txn::fenced(ctx.version, END_TXN_FENCED_FROM),
        )
    });
    if result.is_ok() {
        // Markers moved last stable offsets; committed offsets changed.
        ctx.shared.data_arrived.notify_all();
        ctx.shared.group_changed.notify_all();
    }
    Some(EndTxnResponse {
        throttle_time_ms: 0,
        error_code: wire(result.err().unwrap_or(RD_KAFKA_RESP_ERR_NO_ERROR)),
    })
}

/// Sent to the group coordinator: the offsets wait in the open transaction
/// and reach the group only when it commits.
pub fn offset_commit(ctx: &Ctx, req: TxnOffsetCommitRequest) -> Option<TxnOffsetCommitResponse> {
    let now = Instant::now();
    let mut state = ctx.shared.state.lock();
    expire(ctx, &mut state, now);
    let request_err = check_group_coordinator(ctx, &state, &req.group_id).and_then(|()| {
        // KIP-447: from v3 a consumer's generation is checked as for
        // OffsetCommit (-1: not a group member, nothing to check).
        if req.generation_id >= 0 {
            state
                .groups
                .entry(req.group_id.clone())
                .or_insert_with(|| Group::new(now))
                .check_commit(
                    &req.member_id,
                    req.group_instance_id.as_deref(),
                    req.generation_id,
                    now,
                )?;
        }
        let t = txn::current(
            &mut state,
            &req.transactional_id,
            req.producer_id,
            req.producer_epoch,
            txn::fenced(ctx.version, TXN_OFFSET_COMMIT_FENCED_FROM),
        )?;
        match &t.open {
            Some(open) if open.groups.contains(&req.group_id) => Ok(()),
            // AddOffsetsToTxn must come first.
            _ => Err(RD_KAFKA_RESP_ERR_INVALID_TXN_STATE),
        }
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
            let err = match request_err {
                Err(e) => e,
                Ok(()) if !exists => RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
                Ok(()) => {
                    let open = state
                        .transactions
                        .get_mut(&req.transactional_id)
                        .and_then(|t| t.open.as_mut());
                    if let Some(open) = open {
                        open.offsets.insert(
                            (req.group_id.clone(), t.name.clone(), p.partition_index),
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
    Some(TxnOffsetCommitResponse {
        throttle_time_ms: 0,
        topics,
    })
}
