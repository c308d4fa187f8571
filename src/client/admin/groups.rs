//! ListConsumerGroups (ListGroups on every broker), DescribeConsumerGroups
//! and DeleteGroups (each group on its coordinator).

use crate::client::admin::options::{AdminOp, AdminOptions};
use crate::client::admin::request::{broker_by_id, call, metadata, wire_error, Target, Verdict};
use crate::client::admin::result::{AdminResult, AdminResultBody, GroupResult, Node};
use crate::client::admin::worker::Control;
use crate::client::topic_partition::TopicPartition;
use crate::error::ErrorCode;
use crate::protocol::messages::consumer_protocol::MemberAssignment;
use crate::protocol::messages::{
    DeleteGroupsRequest, DescribeGroupsRequest, FindCoordinatorRequest, ListGroupsRequest,
    COORDINATOR_TYPE_GROUP,
};
use std::collections::BTreeSet;

use ErrorCode::*;

/// `rd_kafka_consumer_group_state_t`'s names, indexed by value: Kafka's
/// state names, which is how ListGroups and DescribeGroups report them.
pub const GROUP_STATE_NAMES: [&str; 6] = [
    "Unknown",
    "PreparingRebalance",
    "CompletingRebalance",
    "Stable",
    "Dead",
    "Empty",
];

/// `rd_kafka_consumer_group_state_code`: the state named (any case), else
/// UNKNOWN (0).
pub fn group_state_code(name: &str) -> i32 {
    GROUP_STATE_NAMES
        .iter()
        .position(|n| n.eq_ignore_ascii_case(name))
        .map_or(0, |i| i as i32)
}

/// `rd_kafka_ConsumerGroupListing_t`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupListing {
    pub group_id: String,
    /// No protocol type: offsets only, no group membership.
    pub is_simple: bool,
    pub state: i32,
}

/// ListConsumerGroups' result: the groups every broker listed, and one
/// error per broker that could not list them.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct GroupListings {
    pub valid: Vec<GroupListing>,
    pub errors: Vec<(ErrorCode, String)>,
}

/// `rd_kafka_MemberDescription_t`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberInfo {
    pub member_id: String,
    pub instance_id: Option<String>,
    pub client_id: String,
    pub host: String,
    pub assignment: Vec<TopicPartition>,
}

/// `rd_kafka_ConsumerGroupDescription_t`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupDescription {
    pub group_id: String,
    pub error: Option<(ErrorCode, String)>,
    pub is_simple: bool,
    pub partition_assignor: String,
    pub state: i32,
    pub coordinator: Option<Node>,
    pub members: Vec<MemberInfo>,
}

/// Group-level errors after which the coordinator is looked up again.
pub(crate) fn coordinator_moved(err: ErrorCode) -> bool {
    matches!(
        err,
        RD_KAFKA_RESP_ERR_NOT_COORDINATOR
            | RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE
            | RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS
    )
}

/// Group names must be given, non-empty and distinct.
pub fn check_group_names(groups: &[String], what: &str) -> Result<(), String> {
    if groups.is_empty() {
        return Err(format!("No groups to {what}"));
    }
    if groups.iter().any(String::is_empty) {
        return Err("Empty group name is not allowed".into());
    }
    let distinct: BTreeSet<&String> = groups.iter().collect();
    if distinct.len() != groups.len() {
        return Err("Duplicate groups not allowed".into());
    }
    Ok(())
}

pub fn list_groups(ctl: &Control, options: &AdminOptions) -> AdminResult {
    let states: Vec<String> = options
        .match_consumer_group_states
        .iter()
        .map(|&s| crate::client::admin::acls::enum_name(&GROUP_STATE_NAMES, s).to_string())
        .collect();
    let md = match metadata(ctl, Some(Vec::new())) {
        Ok(md) => md,
        Err(err) => {
            return AdminResult::failed(AdminOp::ListConsumerGroups, err, err.description())
        }
    };
    let mut out = GroupListings::default();
    let mut seen = BTreeSet::new();
    let request = ListGroupsRequest {
        states_filter: states,
    };
    for b in &md.brokers {
        let answer = broker_by_id(ctl.client(), &md, b.node_id)
            .and_then(|_| call(ctl, &Target::Broker(b.node_id), &request, |_| Verdict::Done));
        match answer {
            Err(err) => out
                .errors
                .push((err, format!("Broker {}: {}", b.node_id, err.description()))),
            Ok(resp) if resp.error_code != 0 => {
                let err = wire_error(resp.error_code);
                out.errors
                    .push((err, format!("Broker {}: {}", b.node_id, err.description())));
            }
            Ok(resp) => {
                for g in resp.groups {
                    if seen.insert(g.group_id.clone()) {
                        out.valid.push(GroupListing {
                            is_simple: g.protocol_type.is_empty(),
                            state: group_state_code(&g.group_state),
                            group_id: g.group_id,
                        });
                    }
                }
            }
        }
    }
    AdminResult::ok(
        AdminOp::ListConsumerGroups,
        AdminResultBody::GroupListings(out),
    )
}

/// The group's coordinator as FindCoordinator names it.
fn find_coordinator(ctl: &Control, group: &str) -> Result<Node, ErrorCode> {
    let request = FindCoordinatorRequest {
        key: group.to_string(),
        key_type: COORDINATOR_TYPE_GROUP,
    };
    let resp = call(ctl, &Target::AnyBroker, &request, |r| {
        if wire_error(r.error_code).is_retriable() {
            Verdict::Retry
        } else {
            Verdict::Done
        }
    })?;
    let err = wire_error(resp.error_code);
    if err != RD_KAFKA_RESP_ERR_NO_ERROR {
        return Err(err);
    }
    Ok(Node {
        id: resp.node_id,
        host: resp.host,
        port: u16::try_from(resp.port).map_err(|_| RD_KAFKA_RESP_ERR__BAD_MSG)?,
    })
}

fn describe_one(ctl: &Control, group: &str) -> GroupDescription {
    let mut desc = GroupDescription {
        group_id: group.to_string(),
        error: None,
        is_simple: false,
        partition_assignor: String::new(),
        state: 0,
        coordinator: None,
        members: Vec::new(),
    };
    let request = DescribeGroupsRequest {
        groups: vec![group.to_string()],
        include_authorized_operations: false,
    };
    loop {
        let answer = find_coordinator(ctl, group).and_then(|node| {
            desc.coordinator = Some(node.clone());
            call(ctl, &Target::Broker(node.id), &request, |_| Verdict::Done)
        });
        let described = match answer {
            Err(err) => {
                desc.error = Some((err, err.description().to_string()));
                return desc;
            }
            Ok(resp) => resp.groups.into_iter().find(|g| g.group_id == group),
        };
        let Some(g) = described else {
            desc.error = Some((
                RD_KAFKA_RESP_ERR__BAD_MSG,
                "DescribeGroups response lacks the group".into(),
            ));
            return desc;
        };
        let err = wire_error(g.error_code);
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            if matches!(
                err,
                RD_KAFKA_RESP_ERR_NOT_COORDINATOR | RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE
            ) && !ctl.remaining().is_zero()
                && !ctl.stopped()
            {
                ctl.sleep(std::time::Duration::from_millis(100));
                continue;
            }
            desc.error = Some((err, err.description().to_string()));
            return desc;
        }
        let consumer = g.protocol_type == "consumer";
        desc.is_simple = g.protocol_type.is_empty();
        desc.partition_assignor = g.protocol_data;
        desc.state = group_state_code(&g.group_state);
        desc.members = g
            .members
            .into_iter()
            .map(|m| MemberInfo {
                assignment: if consumer && !m.member_assignment.is_empty() {
                    MemberAssignment::decode(&m.member_assignment)
                        .map(|a| {
                            a.assigned_partitions
                                .into_iter()
                                .flat_map(|tp| {
                                    tp.partitions
                                        .into_iter()
                                        .map(move |p| TopicPartition::new(&tp.topic, p, -1001))
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                } else {
                    Vec::new()
                },
                member_id: m.member_id,
                instance_id: m.group_instance_id,
                client_id: m.client_id,
                host: m.client_host,
            })
            .collect();
        return desc;
    }
}

pub fn describe_groups(ctl: &Control, groups: &[String]) -> AdminResult {
    let descriptions = groups.iter().map(|g| describe_one(ctl, g)).collect();
    AdminResult::ok(
        AdminOp::DescribeConsumerGroups,
        AdminResultBody::GroupDescriptions(descriptions),
    )
}

/// A group result from a group-level wire error.
pub fn group_result(
    group: &str,
    err: ErrorCode,
    partitions: Option<Vec<TopicPartition>>,
) -> GroupResult {
    GroupResult {
        group: group.to_string(),
        err,
        errstr: (err != RD_KAFKA_RESP_ERR_NO_ERROR).then(|| err.description().to_string()),
        partitions,
    }
}

pub fn delete_groups(ctl: &Control, groups: &[String]) -> AdminResult {
    let results = groups
        .iter()
        .map(|group| {
            let request = DeleteGroupsRequest {
                groups_names: vec![group.clone()],
            };
            let target = Target::GroupCoordinator(group.clone());
            let answer = call(ctl, &target, &request, |r| {
                let moved = r
                    .results
                    .iter()
                    .any(|g| coordinator_moved(wire_error(g.error_code)));
                if moved {
                    Verdict::Retry
                } else {
                    Verdict::Done
                }
            });
            let err = match answer {
                Err(err) => err,
                Ok(resp) => resp
                    .results
                    .iter()
                    .find(|g| &g.group_id == group)
                    .map_or(RD_KAFKA_RESP_ERR__BAD_MSG, |g| wire_error(g.error_code)),
            };
            group_result(group, err, None)
        })
        .collect();
    AdminResult::ok(AdminOp::DeleteGroups, AdminResultBody::Groups(results))
}

/// One group as the legacy `rd_kafka_list_groups` reports it: the broker
/// that coordinates it and DescribeGroups' answer, raw member bytes included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyGroup {
    pub broker: Node,
    pub group: String,
    pub err: ErrorCode,
    pub state: String,
    pub protocol_type: String,
    pub protocol: String,
    pub members: Vec<LegacyMember>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyMember {
    pub member_id: String,
    pub client_id: String,
    pub client_host: String,
    pub metadata: Vec<u8>,
    pub assignment: Vec<u8>,
}

/// librdkafka's `rd_kafka_list_groups`: ListGroups on every broker, then
/// DescribeGroups on that broker for the groups it lists (only `group`, if
/// given). Any broker's failure fails the whole call, as in librdkafka.
pub fn legacy_list_groups(
    ctl: &Control,
    group: Option<&str>,
) -> Result<Vec<LegacyGroup>, ErrorCode> {
    let md = metadata(ctl, Some(Vec::new()))?;
    let mut out = Vec::new();
    for b in &md.brokers {
        let node = Node {
            id: b.node_id,
            host: b.host.clone(),
            port: u16::try_from(b.port).unwrap_or(0),
        };
        broker_by_id(ctl.client(), &md, b.node_id)?;
        let target = Target::Broker(b.node_id);
        let listed = call(ctl, &target, &ListGroupsRequest::default(), |_| {
            Verdict::Done
        })?;
        let err = wire_error(listed.error_code);
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            return Err(err);
        }
        let names: Vec<String> = listed
            .groups
            .into_iter()
            .map(|g| g.group_id)
            .filter(|g| group.is_none_or(|wanted| wanted == g))
            .collect();
        if names.is_empty() {
            continue;
        }
        let request = DescribeGroupsRequest {
            groups: names,
            include_authorized_operations: false,
        };
        let described = call(ctl, &target, &request, |_| Verdict::Done)?;
        out.extend(described.groups.into_iter().map(|g| {
            LegacyGroup {
                broker: node.clone(),
                err: wire_error(g.error_code),
                group: g.group_id,
                state: g.group_state,
                protocol_type: g.protocol_type,
                protocol: g.protocol_data,
                members: g
                    .members
                    .into_iter()
                    .map(|m| LegacyMember {
                        member_id: m.member_id,
                        client_id: m.client_id,
                        client_host: m.client_host,
                        metadata: m.member_metadata.to_vec(),
                        assignment: m.member_assignment.to_vec(),
                    })
                    .collect(),
            }
        }));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_codes_and_checks() {
        assert_eq!(group_state_code("stable"), 3);
        assert_eq!(group_state_code("Empty"), 5);
        assert_eq!(group_state_code("Nonsense"), 0);
        assert!(check_group_names(&[], "delete").is_err());
        assert!(check_group_names(&["a".into(), "a".into()], "delete").is_err());
        assert!(check_group_names(&["a".into(), "b".into()], "delete").is_ok());
    }
}
