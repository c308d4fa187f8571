//! ListConsumerGroupOffsets (OffsetFetch), AlterConsumerGroupOffsets
//! (OffsetCommit from outside the group: generation -1, no member id, so
//! Kafka accepts it only while the group is empty) and
//! DeleteConsumerGroupOffsets (OffsetDelete), each on the group's
//! coordinator. librdkafka takes exactly one group per call.

use crate::client::admin::groups::{coordinator_moved, group_result};
use crate::client::admin::options::{AdminOp, AdminOptions};
use crate::client::admin::request::{call, wire_error, Target, Verdict};
use crate::client::admin::result::{AdminResult, AdminResultBody, GroupResult};
use crate::client::admin::worker::Control;
use crate::client::topic_partition::TopicPartition;
use crate::error::ErrorCode;
use crate::protocol::messages::{
    OffsetCommitPartition, OffsetCommitRequest, OffsetCommitTopic, OffsetDeleteRequest,
    OffsetDeleteTopic, OffsetFetchRequest, OffsetFetchTopic,
};
use std::collections::{BTreeMap, BTreeSet};

use ErrorCode::*;

/// One group and its partitions (`None`: all of them, List only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupPartitions {
    pub group: String,
    pub partitions: Option<Vec<TopicPartition>>,
}

/// Sends `request` to `group`'s coordinator, asking again (the coordinator
/// looked up anew) while the group-level error says it moved; a remaining
/// group-level error is the call's.
fn ask_coordinator<R>(
    ctl: &Control,
    group: &str,
    request: &R,
    group_error: fn(&R::Response) -> i16,
) -> Result<R::Response, ErrorCode>
where
    R: crate::protocol::Request + Clone + Send + 'static,
    R::Response: Send + 'static,
{
    let target = Target::GroupCoordinator(group.to_string());
    let resp = call(ctl, &target, request, |r| {
        if coordinator_moved(wire_error(group_error(r))) {
            Verdict::Retry
        } else {
            Verdict::Done
        }
    })?;
    match wire_error(group_error(&resp)) {
        RD_KAFKA_RESP_ERR_NO_ERROR => Ok(resp),
        err => Err(err),
    }
}

/// librdkafka's checks: exactly one group; its partition list, when given,
/// non-empty (unless `may_be_all`) and without duplicates.
pub fn check_one(
    requests: &[GroupPartitions],
    call_name: &str,
    may_be_all: bool,
) -> Result<(), String> {
    let [one] = requests else {
        return Err(format!("Exactly one {call_name} must be passed"));
    };
    if one.group.is_empty() {
        return Err("Empty group name is not allowed".into());
    }
    match &one.partitions {
        None if may_be_all => Ok(()),
        None => Err("Non-empty topic partition list must be present".into()),
        Some(p) if p.is_empty() => Err(if may_be_all {
            "NULL or non-empty topic partition list must be passed".into()
        } else {
            "Non-empty topic partition list must be present".into()
        }),
        Some(p) => {
            let distinct: BTreeSet<(&str, i32)> = p
                .iter()
                .map(|tp| (tp.topic.as_str(), tp.partition))
                .collect();
            if distinct.len() != p.len() {
                Err("Duplicate partitions not allowed".into())
            } else {
                Ok(())
            }
        }
    }
}

/// Partitions grouped by topic, in first-seen topic order.
fn by_topic(partitions: &[TopicPartition]) -> Vec<(String, Vec<&TopicPartition>)> {
    let mut order: Vec<String> = Vec::new();
    let mut map: BTreeMap<&str, Vec<&TopicPartition>> = BTreeMap::new();
    for tp in partitions {
        if !map.contains_key(tp.topic.as_str()) {
            order.push(tp.topic.clone());
        }
        map.entry(&tp.topic).or_default().push(tp);
    }
    order
        .into_iter()
        .map(|t| {
            let parts = map.remove(t.as_str()).unwrap_or_default();
            (t, parts)
        })
        .collect()
}

fn single(op: AdminOp, result: GroupResult) -> AdminResult {
    AdminResult::ok(op, AdminResultBody::Groups(vec![result]))
}

pub fn list_offsets(ctl: &Control, req: &GroupPartitions, options: &AdminOptions) -> AdminResult {
    let op = AdminOp::ListConsumerGroupOffsets;
    let request = OffsetFetchRequest {
        group_id: req.group.clone(),
        topics: req.partitions.as_ref().map(|p| {
            by_topic(p)
                .into_iter()
                .map(|(name, parts)| OffsetFetchTopic {
                    name,
                    partition_indexes: parts.iter().map(|tp| tp.partition).collect(),
                })
                .collect()
        }),
        require_stable: options.require_stable_offsets,
    };
    let resp = match ask_coordinator(ctl, &req.group, &request, |r| r.error_code) {
        Ok(resp) => resp,
        Err(err) => return single(op, group_result(&req.group, err, None)),
    };
    let mut partitions = Vec::new();
    for t in resp.topics {
        for p in t.partitions {
            let mut tp = TopicPartition::new(&t.name, p.partition_index, p.committed_offset);
            if tp.offset < 0 {
                tp.offset = crate::abi::RD_KAFKA_OFFSET_INVALID;
            }
            tp.metadata = p.metadata.map(String::into_bytes);
            tp.err = wire_error(p.error_code);
            tp.leader_epoch = p.committed_leader_epoch;
            partitions.push(tp);
        }
    }
    single(
        op,
        group_result(&req.group, RD_KAFKA_RESP_ERR_NO_ERROR, Some(partitions)),
    )
}

pub fn alter_offsets(ctl: &Control, req: &GroupPartitions) -> AdminResult {
    let op = AdminOp::AlterConsumerGroupOffsets;
    let given = req.partitions.clone().unwrap_or_default();
    let request = OffsetCommitRequest {
        group_id: req.group.clone(),
        topics: by_topic(&given)
            .into_iter()
            .map(|(name, parts)| OffsetCommitTopic {
                name,
                partitions: parts
                    .iter()
                    .map(|tp| OffsetCommitPartition {
                        partition_index: tp.partition,
                        committed_offset: tp.offset,
                        committed_leader_epoch: tp.leader_epoch,
                        committed_metadata: tp
                            .metadata
                            .as_ref()
                            .map(|m| String::from_utf8_lossy(m).into_owned()),
                    })
                    .collect(),
            })
            .collect(),
        ..Default::default()
    };
    let target = Target::GroupCoordinator(req.group.clone());
    let answer = call(ctl, &target, &request, |r| {
        let moved = r
            .topics
            .iter()
            .flat_map(|t| &t.partitions)
            .any(|p| coordinator_moved(wire_error(p.error_code)));
        if moved {
            Verdict::Retry
        } else {
            Verdict::Done
        }
    });
    let resp = match answer {
        Ok(resp) => resp,
        Err(err) => return single(op, group_result(&req.group, err, None)),
    };
    let partitions = given
        .iter()
        .map(|tp| {
            let mut out = tp.clone();
            out.err = resp
                .topics
                .iter()
                .filter(|t| t.name == tp.topic)
                .flat_map(|t| &t.partitions)
                .find(|p| p.partition_index == tp.partition)
                .map_or(RD_KAFKA_RESP_ERR__BAD_MSG, |p| wire_error(p.error_code));
            out
        })
        .collect();
    single(
        op,
        group_result(&req.group, RD_KAFKA_RESP_ERR_NO_ERROR, Some(partitions)),
    )
}

pub fn delete_offsets(ctl: &Control, req: &GroupPartitions) -> AdminResult {
    let op = AdminOp::DeleteConsumerGroupOffsets;
    let given = req.partitions.clone().unwrap_or_default();
    let request = OffsetDeleteRequest {
        group_id: req.group.clone(),
        topics: by_topic(&given)
            .into_iter()
            .map(|(name, parts)| OffsetDeleteTopic {
                name,
                partition_indexes: parts.iter().map(|tp| tp.partition).collect(),
            })
            .collect(),
    };
    let resp = match ask_coordinator(ctl, &req.group, &request, |r| r.error_code) {
        Ok(resp) => resp,
        Err(err) => return single(op, group_result(&req.group, err, None)),
    };
    let partitions = given
        .iter()
        .map(|tp| {
            let mut out = tp.clone();
            out.err = resp
                .topics
                .iter()
                .filter(|t| t.name == tp.topic)
                .flat_map(|t| &t.partitions)
                .find(|(index, _)| *index == tp.partition)
                .map_or(RD_KAFKA_RESP_ERR__BAD_MSG, |&(_, code)| wire_error(code));
            out
        })
        .collect();
    single(
        op,
        group_result(&req.group, RD_KAFKA_RESP_ERR_NO_ERROR, Some(partitions)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gp(partitions: Option<Vec<TopicPartition>>) -> GroupPartitions {
        GroupPartitions {
            group: "g".into(),
            partitions,
        }
    }

    #[test]
    fn one_group_and_distinct_partitions() {
        let tp = |p| TopicPartition::new("t", p, 1);
        assert!(check_one(&[], "X", true).is_err());
        assert!(check_one(&[gp(None), gp(None)], "X", true).is_err());
        assert!(check_one(&[gp(None)], "X", true).is_ok());
        assert!(check_one(&[gp(None)], "X", false).is_err());
        assert!(check_one(&[gp(Some(vec![]))], "X", true).is_err());
        assert!(check_one(&[gp(Some(vec![tp(0), tp(0)]))], "X", false).is_err());
        assert!(check_one(&[gp(Some(vec![tp(0), tp(1)]))], "X", false).is_ok());
    }
}
