//! Metadata: brokers, controller and topics (with their ids from v10);
//! unknown topics are created with the cluster's defaults when the request
//! allows it. A topic asked for by id only (null name, v10+) is looked up
//! by id and never created.

use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::mock::state::{ClusterState, Topic};
use crate::protocol::error::UNKNOWN_TOPIC_ID;
use crate::protocol::messages::{
    MetadataBroker, MetadataPartition, MetadataRequest, MetadataResponse, MetadataTopic,
};
use crate::protocol::primitives::Uuid;

/// The cluster id every mock cluster reports.
const CLUSTER_ID: &str = "ferrokafka-mock";

fn describe(name: &str, topic: &Topic, injected: Option<ErrorCode>) -> MetadataTopic {
    let error = injected
        .or(topic.error)
        .unwrap_or(ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR);
    MetadataTopic {
        error_code: wire(error),
        name: name.to_string(),
        topic_id: topic.id,
        is_internal: false,
        partitions: topic
            .partitions
            .iter()
            .enumerate()
            .map(|(i, p)| MetadataPartition {
                error_code: 0,
                partition_index: i as i32,
                leader_id: p.leader,
                leader_epoch: p.leader_epoch,
                replica_nodes: p.replicas.clone(),
                isr_nodes: p.replicas.clone(),
                offline_replicas: Vec::new(),
            })
            .collect(),
        topic_authorized_operations: i32::MIN,
    }
}

/// A topic asked for by id: described under its name, or UNKNOWN_TOPIC_ID
/// with a null name.
fn by_id(state: &ClusterState, ctx: &Ctx, id: &Uuid) -> MetadataTopic {
    match state.topic_name_by_id(id) {
        Some(name) => describe(name, &state.topics[name], ctx.injected),
        None => MetadataTopic {
            error_code: ctx.injected.map_or(UNKNOWN_TOPIC_ID, wire),
            topic_id: *id,
            ..Default::default()
        },
    }
}

pub fn handle(ctx: &Ctx, req: MetadataRequest) -> Option<MetadataResponse> {
    // Before v4 there is no flag and brokers auto-create as configured.
    let auto_create = ctx.version < 4 || req.allow_auto_topic_creation;
    let brokers = ctx
        .shared
        .brokers
        .iter()
        .map(|b| MetadataBroker {
            node_id: b.id,
            host: "127.0.0.1".to_string(),
            port: i32::from(b.port),
            rack: b.rack.lock().clone(),
        })
        .collect();
    let mut state = ctx.shared.state.lock();
    let topics = match req.topics {
        None => state
            .topics
            .iter()
            .map(|(name, t)| describe(name, t, ctx.injected))
            .collect(),
        Some(requested) => requested
            .iter()
            .map(|wanted| {
                if wanted.name.is_empty() {
                    return by_id(&state, ctx, &wanted.topic_id);
                }
                let name = &wanted.name;
                let found = if auto_create {
                    state.topic_or_create(name).map(|t| &*t)
                } else {
                    state
                        .topics
                        .get(name)
                        .ok_or(ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
                };
                match found {
                    Ok(t) => describe(name, t, ctx.injected),
                    Err(e) => MetadataTopic {
                        error_code: ctx.err_or(e),
                        name: name.clone(),
                        ..Default::default()
                    },
                }
            })
            .collect(),
    };
    let controller_id = state.broker_ids.first().copied().unwrap_or(-1);
    Some(MetadataResponse {
        throttle_time_ms: 0,
        brokers,
        cluster_id: Some(CLUSTER_ID.to_string()),
        controller_id,
        topics,
        cluster_authorized_operations: i32::MIN,
    })
}
