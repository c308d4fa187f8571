//! The group APIs of the Admin API: ListGroups (the groups this broker
//! coordinates), DescribeGroups, DeleteGroups (empty groups only) and
//! OffsetDelete (not for topics an active group subscribes to).

use super::group::check_coordinator;
use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::mock::state::KEY_TYPE_GROUP;
use crate::protocol::messages::consumer_protocol::MemberMetadata;
use crate::protocol::messages::{
    DeletableGroupResult, DeleteGroupsRequest, DeleteGroupsResponse, DescribeGroupsRequest,
    DescribeGroupsResponse, DescribedGroup, DescribedGroupMember, ListGroupsRequest,
    ListGroupsResponse, ListedGroup, OffsetDeleteRequest, OffsetDeleteResponse,
    OffsetDeleteTopicResponse,
};
use std::collections::BTreeSet;
use std::time::Instant;

use ErrorCode::*;

/// The protocol type of groups whose members' metadata is the consumer
/// protocol's subscription.
const CONSUMER_PROTOCOL_TYPE: &str = "consumer";

pub fn list(ctx: &Ctx, req: ListGroupsRequest) -> Option<ListGroupsResponse> {
    if let Some(e) = ctx.injected {
        return Some(ListGroupsResponse {
            error_code: wire(e),
            ..Default::default()
        });
    }
    let mut state = ctx.shared.state.lock();
    let now = Instant::now();
    let mine: Vec<String> = state
        .groups
        .keys()
        .filter(|id| state.coordinator(KEY_TYPE_GROUP, id) == ctx.broker.id)
        .cloned()
        .collect();
    let mut groups = Vec::new();
    for id in mine {
        let Some(g) = state.groups.get_mut(&id) else {
            continue;
        };
        g.expire(now);
        let group_state = g.state_name();
        let wanted = req.states_filter.is_empty()
            || req
                .states_filter
                .iter()
                .any(|s| s.eq_ignore_ascii_case(group_state));
        if wanted {
            groups.push(ListedGroup {
                group_id: id,
                protocol_type: g.protocol_type().unwrap_or_default().to_string(),
                group_state: group_state.to_string(),
            });
        }
    }
    groups.sort_by(|a, b| a.group_id.cmp(&b.group_id));
    Some(ListGroupsResponse {
        throttle_time_ms: 0,
        error_code: 0,
        groups,
    })
}

pub fn describe(ctx: &Ctx, req: DescribeGroupsRequest) -> Option<DescribeGroupsResponse> {
    let mut state = ctx.shared.state.lock();
    let now = Instant::now();
    let groups = req
        .groups
        .iter()
        .map(|id| {
            let mut out = DescribedGroup {
                group_id: id.clone(),
                ..Default::default()
            };
            if let Err(e) = check_coordinator(ctx, &state, id) {
                out.error_code = wire(e);
                return out;
            }
            let Some(g) = state.groups.get_mut(id) else {
                // Kafka describes a group it does not know as Dead, no error.
                out.group_state = "Dead".into();
                return out;
            };
            g.expire(now);
            out.group_state = g.state_name().to_string();
            out.protocol_type = g.protocol_type().unwrap_or_default().to_string();
            if g.state_name() == "Stable" {
                out.protocol_data = g.protocol_name().unwrap_or_default().to_string();
            }
            out.members = g
                .describe_members()
                .into_iter()
                .map(|m| DescribedGroupMember {
                    member_id: m.member_id,
                    group_instance_id: m.instance_id,
                    client_id: m.client_id,
                    client_host: m.client_host,
                    member_metadata: m.metadata,
                    member_assignment: m.assignment,
                })
                .collect();
            if req.include_authorized_operations {
                // Without an authorizer every operation on a group is allowed:
                // READ, DELETE, DESCRIBE.
                out.authorized_operations = (1 << 3) | (1 << 6) | (1 << 8);
            }
            out
        })
        .collect();
    Some(DescribeGroupsResponse {
        throttle_time_ms: 0,
        groups,
    })
}

pub fn delete(ctx: &Ctx, req: DeleteGroupsRequest) -> Option<DeleteGroupsResponse> {
    let mut state = ctx.shared.state.lock();
    let now = Instant::now();
    let results = req
        .groups_names
        .iter()
        .map(|id| {
            let err = match check_coordinator(ctx, &state, id) {
                Err(e) => e,
                Ok(()) => match state.groups.get_mut(id) {
                    None => RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND,
                    Some(g) => {
                        g.expire(now);
                        if g.member_count() > 0 {
                            RD_KAFKA_RESP_ERR_NON_EMPTY_GROUP
                        } else {
                            state.groups.remove(id);
                            RD_KAFKA_RESP_ERR_NO_ERROR
                        }
                    }
                },
            };
            DeletableGroupResult {
                group_id: id.clone(),
                error_code: wire(err),
            }
        })
        .collect();
    ctx.shared.group_changed.notify_all();
    Some(DeleteGroupsResponse {
        throttle_time_ms: 0,
        results,
    })
}

pub fn delete_offsets(ctx: &Ctx, req: OffsetDeleteRequest) -> Option<OffsetDeleteResponse> {
    let mut state = ctx.shared.state.lock();
    let fail = |e: ErrorCode| {
        Some(OffsetDeleteResponse {
            error_code: wire(e),
            ..Default::default()
        })
    };
    if let Err(e) = check_coordinator(ctx, &state, &req.group_id) {
        return fail(e);
    }
    let known_topics: BTreeSet<String> = req
        .topics
        .iter()
        .filter(|t| state.topics.contains_key(&t.name))
        .map(|t| t.name.clone())
        .collect();
    let Some(g) = state.groups.get_mut(&req.group_id) else {
        return fail(RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND);
    };
    g.expire(Instant::now());
    let is_consumer_group = g.protocol_type() == Some(CONSUMER_PROTOCOL_TYPE);
    if g.member_count() > 0 && !is_consumer_group {
        return fail(RD_KAFKA_RESP_ERR_NON_EMPTY_GROUP);
    }
    // The topics the members subscribe to; an empty group subscribes to none.
    let subscribed: BTreeSet<String> = g
        .member_metadata()
        .iter()
        .filter_map(|m| MemberMetadata::decode(m).ok())
        .flat_map(|m| m.topics)
        .collect();
    let topics = req
        .topics
        .iter()
        .map(|t| OffsetDeleteTopicResponse {
            name: t.name.clone(),
            partitions: t
                .partition_indexes
                .iter()
                .map(|&p| {
                    let err = if !known_topics.contains(&t.name) {
                        RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART
                    } else if subscribed.contains(&t.name) {
                        RD_KAFKA_RESP_ERR_GROUP_SUBSCRIBED_TO_TOPIC
                    } else {
                        g.committed.remove(&(t.name.clone(), p));
                        RD_KAFKA_RESP_ERR_NO_ERROR
                    };
                    (p, wire(err))
                })
                .collect(),
        })
        .collect();
    Some(OffsetDeleteResponse {
        error_code: 0,
        throttle_time_ms: 0,
        topics,
    })
}
