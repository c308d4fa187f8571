//! InitProducerId, CreateTopics, DeleteTopics and CreatePartitions.

use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::mock::state::{ClusterState, Partition};
use crate::mock::topic_configs::check_topic_config;
use crate::protocol::messages::{
    CreatableTopicConfig, CreatableTopicResult, CreatePartitionsRequest, CreatePartitionsResponse,
    CreatePartitionsTopic, CreatePartitionsTopicResult, CreateTopicsRequest, CreateTopicsResponse,
    DeletableTopicResult, DeleteTopicsRequest, DeleteTopicsResponse, InitProducerIdRequest,
    InitProducerIdResponse,
};

use ErrorCode::*;

/// A new producer id with epoch 0, or for a known transactional id (or a
/// KIP-360 epoch bump) the same id with the next epoch.
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
            let next = match state.transactional.get(tid) {
                Some(&(id, epoch)) if epoch < i16::MAX => (id, epoch + 1),
                _ => (state.next_producer_id(), 0),
            };
            state.transactional.insert(tid.clone(), next);
            next
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

/// Kafka answers a name given twice once, with INVALID_REQUEST, and
/// creates nothing for it.
pub fn create_topics(ctx: &Ctx, req: CreateTopicsRequest) -> Option<CreateTopicsResponse> {
    let mut state = ctx.shared.state.lock();
    let mut seen = std::collections::HashSet::new();
    let duplicated: std::collections::HashSet<&str> = req
        .topics
        .iter()
        .filter(|t| !seen.insert(t.name.as_str()))
        .map(|t| t.name.as_str())
        .collect();
    let mut answered = std::collections::HashSet::new();
    let topics = req
        .topics
        .iter()
        .filter(|t| answered.insert(t.name.as_str()))
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
            } else if duplicated.contains(t.name.as_str()) {
                Err(RD_KAFKA_RESP_ERR_INVALID_REQUEST)
            } else if let Err(e) = check_configs(&t.configs) {
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
                    .map(|()| store_configs(&mut state, &t.name, &t.configs))
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

/// A CreateTopics config the mock does not know, or a bad value, fails the
/// topic with INVALID_CONFIG, as Kafka does.
fn check_configs(configs: &[CreatableTopicConfig]) -> Result<(), ErrorCode> {
    configs
        .iter()
        .try_for_each(|c| check_topic_config(&c.name, c.value.as_deref()))
        .map_err(|_| RD_KAFKA_RESP_ERR_INVALID_CONFIG)
}

fn store_configs(state: &mut ClusterState, name: &str, configs: &[CreatableTopicConfig]) {
    if let Some(topic) = state.topics.get_mut(name) {
        for c in configs {
            if let Some(v) = &c.value {
                topic.configs.insert(c.name.clone(), v.clone());
            }
        }
    }
}

/// Kafka's checks of one CreatePartitions topic; on success (and unless
/// only validating) the new partitions are added, leaders round-robin with
/// the topic's replication factor or as assigned.
fn create_partitions_for(
    state: &mut ClusterState,
    t: &CreatePartitionsTopic,
    validate_only: bool,
) -> Result<(), (ErrorCode, String)> {
    let brokers = state.broker_ids.clone();
    let topic = state.topics.get_mut(&t.name).ok_or((
        RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
        format!("Topic {} does not exist", t.name),
    ))?;
    let current = topic.partitions.len() as i32;
    if t.count <= current {
        return Err((
            RD_KAFKA_RESP_ERR_INVALID_PARTITIONS,
            format!(
                "Topic currently has {current} partitions, which is higher than the requested {}.",
                t.count
            ),
        ));
    }
    if t.count > 100_000 {
        return Err((
            RD_KAFKA_RESP_ERR_INVALID_PARTITIONS,
            format!("Too many partitions requested: {}", t.count),
        ));
    }
    let adding = (t.count - current) as usize;
    let replication = topic.partitions.first().map_or(1, |p| p.replicas.len());
    let replicas: Vec<Vec<i32>> = match &t.assignments {
        Some(a) => {
            let valid = a.len() == adding
                && a.iter().all(|x| {
                    x.broker_ids.len() == replication
                        && x.broker_ids.iter().all(|b| brokers.contains(b))
                });
            if !valid {
                return Err((
                    RD_KAFKA_RESP_ERR_INVALID_REPLICA_ASSIGNMENT,
                    "Invalid replica assignment for the new partitions".to_string(),
                ));
            }
            a.iter().map(|x| x.broker_ids.clone()).collect()
        }
        None => (0..adding)
            .map(|i| {
                let p = current as usize + i;
                (0..replication)
                    .map(|r| brokers[(p + r) % brokers.len()])
                    .collect()
            })
            .collect(),
    };
    if !validate_only {
        for r in replicas {
            topic.partitions.push(Partition {
                leader: r[0],
                leader_epoch: 0,
                replicas: r,
                follower: -1,
                follower_wmarks: None,
                log: Default::default(),
            });
        }
    }
    Ok(())
}

pub fn create_partitions(
    ctx: &Ctx,
    req: CreatePartitionsRequest,
) -> Option<CreatePartitionsResponse> {
    let mut state = ctx.shared.state.lock();
    let results = req
        .topics
        .iter()
        .map(|t| {
            let outcome = match ctx.injected {
                Some(e) => Err((e, e.description().to_string())),
                None => create_partitions_for(&mut state, t, req.validate_only),
            };
            let (error_code, error_message) = match outcome {
                Ok(()) => (0, None),
                Err((err, message)) => (wire(err), Some(message)),
            };
            CreatePartitionsTopicResult {
                name: t.name.clone(),
                error_code,
                error_message,
            }
        })
        .collect();
    Some(CreatePartitionsResponse {
        throttle_time_ms: 0,
        results,
    })
}
