//! InitProducerId, CreateTopics and DeleteTopics.

use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::protocol::messages::{
    CreatableTopicResult, CreateTopicsRequest, CreateTopicsResponse, DeletableTopicResult,
    DeleteTopicsRequest, DeleteTopicsResponse, InitProducerIdRequest, InitProducerIdResponse,
};

use ErrorCode::*;

/// A new producer id with epoch 0, or for a KIP-360 epoch bump the same id
/// with the next epoch; with a transactional id, the transaction
/// coordinator's answer (`mock::txn`, which fences the previous instance).
pub fn init_producer_id(ctx: &Ctx, req: InitProducerIdRequest) -> Option<InitProducerIdResponse> {
    let mut resp = InitProducerIdResponse {
        producer_id: -1,
        producer_epoch: -1,
        ..Default::default()
    };
    if let Some(e) = ctx.injected {
        resp.error_code = wire(e);
        return Some(resp);
    }
    let mut state = ctx.shared.state.lock();
    let (id, epoch) = match &req.transactional_id {
        Some(tid) => {
            if let Err(e) = super::txn::check_coordinator(ctx, &state, tid) {
                resp.error_code = wire(e);
                return Some(resp);
            }
            // Fencing an open transaction writes its abort markers.
            ctx.shared.data_arrived.notify_all();
            match crate::mock::txn::init_producer_id(&mut state, tid, req.transaction_timeout_ms) {
                Ok(assigned) => assigned,
                Err(e) => {
                    resp.error_code = wire(e);
                    return Some(resp);
                }
            }
        }
        None if req.producer_id >= 0
            && req.producer_epoch >= 0
            && req.producer_epoch < i16::MAX =>
        {
            (req.producer_id, req.producer_epoch + 1)
        }
        None => (state.next_producer_id(), 0),
    };
    resp.producer_id = id;
    resp.producer_epoch = epoch;
    Some(resp)
}

pub fn create_topics(ctx: &Ctx, req: CreateTopicsRequest) -> Option<CreateTopicsResponse> {
    let mut state = ctx.shared.state.lock();
    let topics = req
        .topics
        .iter()
        .map(|t| {
            let partitions = if !t.assignments.is_empty() {
                t.assignments.len() as i32
            } else if t.num_partitions < 0 {
                state.default_partitions
            } else {
                t.num_partitions
            };
            let replication = match (t.assignments.first(), t.replication_factor) {
                (Some(a), _) => a.broker_ids.len() as i32,
                (None, r) if r < 0 => state.replication_default(),
                (None, r) => i32::from(r),
            };
            let result = if let Some(e) = ctx.injected {
                Err(e)
            } else if req.validate_only {
                if state.topics.contains_key(&t.name) {
                    Err(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
                } else {
                    Ok(())
                }
            } else {
                state
                    .create_topic(&t.name, partitions, replication)
                    .and_then(|()| apply_assignments(&mut state, &t.name, &t.assignments))
            };
            let err = result.err().unwrap_or(RD_KAFKA_RESP_ERR_NO_ERROR);
            CreatableTopicResult {
                name: t.name.clone(),
                error_code: wire(err),
                error_message: (err != RD_KAFKA_RESP_ERR_NO_ERROR)
                    .then(|| err.description().to_string()),
                num_partitions: if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    partitions
                } else {
                    -1
                },
                replication_factor: if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    i16::try_from(replication).unwrap_or(-1)
                } else {
                    -1
                },
                configs: None,
            }
        })
        .collect();
    Some(CreateTopicsResponse {
        throttle_time_ms: 0,
        topics,
    })
}

/// Applies explicit replica assignments to a just-created topic; on a bad
/// assignment the topic is removed again.
fn apply_assignments(
    state: &mut crate::mock::state::ClusterState,
    name: &str,
    assignments: &[crate::protocol::messages::ReplicaAssignment],
) -> Result<(), ErrorCode> {
    let valid = assignments.iter().enumerate().all(|(i, a)| {
        a.partition_index == i as i32
            && !a.broker_ids.is_empty()
            && a.broker_ids.iter().all(|b| state.has_broker(*b))
    });
    if !valid {
        state.topics.remove(name);
        return Err(RD_KAFKA_RESP_ERR_INVALID_REPLICA_ASSIGNMENT);
    }
    for a in assignments {
        if let Some(p) = state.partition_mut(name, a.partition_index) {
            p.replicas = a.broker_ids.clone();
            p.leader = a.broker_ids[0];
        }
    }
    Ok(())
}

pub fn delete_topics(ctx: &Ctx, req: DeleteTopicsRequest) -> Option<DeleteTopicsResponse> {
    let mut state = ctx.shared.state.lock();
    let responses = req
        .topic_names
        .iter()
        .map(|name| {
            let err = match ctx.injected {
                Some(e) => e,
                None if state.topics.remove(name).is_some() => RD_KAFKA_RESP_ERR_NO_ERROR,
                None => RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
            };
            DeletableTopicResult {
                name: name.clone(),
                error_code: wire(err),
            }
        })
        .collect();
    Some(DeleteTopicsResponse {
        throttle_time_ms: 0,
        responses,
    })
}
