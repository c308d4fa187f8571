//! CreateTopics, DeleteTopics, CreatePartitions: what the application
//! asks for (validated as librdkafka validates it), the requests sent to
//! the controller and the per-topic results in the order asked.

use crate::client::admin::options::{AdminOp, AdminOptions};
use crate::client::admin::request::{call, controller_moved, wire_error, Target, Verdict};
use crate::client::admin::result::{AdminResult, AdminResultBody, TopicResult};
use crate::client::admin::worker::Control;
use crate::error::ErrorCode;
use crate::protocol::messages::{
    CreatableTopic, CreatableTopicConfig, CreatePartitionsAssignment, CreatePartitionsRequest,
    CreatePartitionsTopic, CreateTopicsRequest, DeleteTopicsRequest, ReplicaAssignment,
};
use std::collections::HashSet;

use ErrorCode::*;

/// librdkafka's bounds for partition counts and replica lists.
pub const MAX_PARTITIONS: i32 = 100_000;
pub const MAX_BROKERS: i32 = 10_000;

/// A topic to create (`rd_kafka_NewTopic_t`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTopicSpec {
    pub name: String,
    /// -1: the broker's default.
    pub num_partitions: i32,
    /// -1: the broker's default (or given by `assignment`).
    pub replication_factor: i32,
    /// Replica broker ids of partitions 0, 1, ...
    pub assignment: Vec<Vec<i32>>,
    pub configs: Vec<(String, Option<String>)>,
}

impl NewTopicSpec {
    /// `rd_kafka_NewTopic_new`'s checks.
    pub fn new(
        name: &str,
        num_partitions: i32,
        replication_factor: i32,
    ) -> Result<NewTopicSpec, String> {
        if name.is_empty() {
            return Err("Invalid topic name".to_string());
        }
        // As librdkafka: -1 is the broker's default, and 0 is left to the
        // broker to refuse.
        if !(-1..=MAX_PARTITIONS).contains(&num_partitions) {
            return Err(format!(
                "num_partitions out of expected range -1..{MAX_PARTITIONS}"
            ));
        }
        if !(-1..=MAX_BROKERS).contains(&replication_factor) {
            return Err(format!(
                "replication_factor out of expected range -1..{MAX_BROKERS}"
            ));
        }
        Ok(NewTopicSpec {
            name: name.to_string(),
            num_partitions,
            replication_factor,
            assignment: Vec::new(),
            configs: Vec::new(),
        })
    }

    /// `rd_kafka_NewTopic_set_replica_assignment`: partitions in order from
    /// 0, for a topic with a partition count and no replication factor.
    pub fn set_replica_assignment(
        &mut self,
        partition: i32,
        brokers: &[i32],
    ) -> Result<(), String> {
        if self.replication_factor != -1 {
            return Err(
                "Specifying a replication factor and a replica assignment are mutually exclusive"
                    .to_string(),
            );
        }
        if self.num_partitions == -1 {
            return Err(
                "Specifying a default partition count and a replica assignment are mutually exclusive"
                    .to_string(),
            );
        }
        add_assignment(&mut self.assignment, 0, partition, brokers)
    }
}

/// Appends `brokers` as the replicas of `partition`, which must be the next
/// one (counting from `first`).
fn add_assignment(
    assignment: &mut Vec<Vec<i32>>,
    first: i32,
    partition: i32,
    brokers: &[i32],
) -> Result<(), String> {
    let expected = first + assignment.len() as i32;
    if partition != expected {
        return Err(format!(
            "Partitions must be added in order, starting at {first}: expecting partition {expected}, not {partition}"
        ));
    }
    if brokers.len() > MAX_BROKERS as usize {
        return Err(format!(
            "Too many brokers specified (RD_KAFKAP_BROKERS_MAX={MAX_BROKERS})"
        ));
    }
    assignment.push(brokers.to_vec());
    Ok(())
}

/// Partitions to add to a topic (`rd_kafka_NewPartitions_t`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPartitionsSpec {
    pub topic: String,
    /// The topic's partition count afterwards.
    pub total_count: i32,
    /// Replica broker ids of each new partition, in order.
    pub assignment: Vec<Vec<i32>>,
}

impl NewPartitionsSpec {
    pub fn new(topic: &str, total_count: i32) -> Result<NewPartitionsSpec, String> {
        if !(1..=MAX_PARTITIONS).contains(&total_count) {
            return Err(format!(
                "new_total_cnt out of expected range 1..{MAX_PARTITIONS}"
            ));
        }
        Ok(NewPartitionsSpec {
            topic: topic.to_string(),
            total_count,
            assignment: Vec::new(),
        })
    }

    /// `rd_kafka_NewPartitions_set_replica_assignment`: the index counts
    /// new partitions only (0 = the first new one).
    pub fn set_replica_assignment(
        &mut self,
        new_index: i32,
        brokers: &[i32],
    ) -> Result<(), String> {
        add_assignment(&mut self.assignment, 0, new_index, brokers)
    }
}

/// The broker a topic request goes to.
fn target(options: &AdminOptions) -> Target {
    options.broker.map_or(Target::Controller, Target::Broker)
}

/// Refuses a second mention of the same topic, as librdkafka.
fn check_unique<'a>(names: impl Iterator<Item = &'a str>) -> Result<(), String> {
    let mut seen = HashSet::new();
    for name in names {
        if !seen.insert(name) {
            return Err("Duplicate topics not allowed".to_string());
        }
    }
    Ok(())
}

/// Local checks of a CreateTopics call: the request-level error, if any.
/// A name given twice goes to the broker, as librdkafka 2.0.2 sends it
/// (Kafka answers INVALID_REQUEST for it).
pub fn check_create_topics(topics: &[NewTopicSpec]) -> Result<(), String> {
    if topics.is_empty() {
        return Err("No topics to create".to_string());
    }
    Ok(())
}

pub fn check_delete_topics(topics: &[String]) -> Result<(), String> {
    if topics.is_empty() {
        return Err("No topics to delete".to_string());
    }
    check_unique(topics.iter().map(|t| t.as_str()))
}

pub fn check_create_partitions(parts: &[NewPartitionsSpec]) -> Result<(), String> {
    if parts.is_empty() {
        return Err("No partitions to create".to_string());
    }
    check_unique(parts.iter().map(|p| p.topic.as_str()))
}

/// The per-topic results in the order asked; a topic the broker left out
/// of its answer gets `_UNKNOWN_TOPIC`-free honesty: `_BAD_MSG`.
fn in_order(
    asked: &[&str],
    answered: impl Iterator<Item = (String, ErrorCode, Option<String>)>,
) -> Vec<TopicResult> {
    let answered: Vec<_> = answered.collect();
    asked
        .iter()
        .map(|name| match answered.iter().find(|(n, _, _)| n == name) {
            Some((_, err, msg)) => TopicResult::new(name, *err, msg.clone()),
            None => TopicResult::new(
                name,
                RD_KAFKA_RESP_ERR__BAD_MSG,
                Some("Topic missing from the broker's response".to_string()),
            ),
        })
        .collect()
}

/// Retry while any topic's error says the controller moved.
fn retry_if_controller_moved<'a>(mut errors: impl Iterator<Item = &'a i16>) -> Verdict {
    if errors.any(|e| controller_moved(wire_error(*e))) {
        Verdict::Retry
    } else {
        Verdict::Done
    }
}

fn finish(op: AdminOp, result: Result<Vec<TopicResult>, ErrorCode>) -> AdminResult {
    match result {
        Ok(topics) => AdminResult::ok(op, AdminResultBody::Topics(topics)),
        Err(err) => AdminResult::failed(op, err, err.description()),
    }
}

pub fn create_topics(
    ctl: &Control,
    topics: &[NewTopicSpec],
    options: &AdminOptions,
) -> AdminResult {
    let request = CreateTopicsRequest {
        topics: topics
            .iter()
            .map(|t| CreatableTopic {
                name: t.name.clone(),
                num_partitions: if t.assignment.is_empty() {
                    t.num_partitions
                } else {
                    -1
                },
                replication_factor: if t.assignment.is_empty() {
                    t.replication_factor as i16
                } else {
                    -1
                },
                assignments: t
                    .assignment
                    .iter()
                    .enumerate()
                    .map(|(i, brokers)| ReplicaAssignment {
                        partition_index: i as i32,
                        broker_ids: brokers.clone(),
                    })
                    .collect(),
                configs: t
                    .configs
                    .iter()
                    .map(|(name, value)| CreatableTopicConfig {
                        name: name.clone(),
                        value: value.clone(),
                    })
                    .collect(),
            })
            .collect(),
        timeout_ms: options.operation_timeout_ms.max(0),
        validate_only: options.validate_only,
    };
    let asked: Vec<&str> = topics.iter().map(|t| t.name.as_str()).collect();
    let result = call(ctl, &target(options), &request, |r| {
        retry_if_controller_moved(r.topics.iter().map(|t| &t.error_code))
    })
    .map(|r| {
        in_order(
            &asked,
            r.topics
                .into_iter()
                .map(|t| (t.name, wire_error(t.error_code), t.error_message)),
        )
    });
    finish(AdminOp::CreateTopics, result)
}

pub fn delete_topics(ctl: &Control, topics: &[String], options: &AdminOptions) -> AdminResult {
    let request = DeleteTopicsRequest {
        topic_names: topics.to_vec(),
        timeout_ms: options.operation_timeout_ms.max(0),
    };
    let asked: Vec<&str> = topics.iter().map(|t| t.as_str()).collect();
    let result = call(ctl, &target(options), &request, |r| {
        retry_if_controller_moved(r.responses.iter().map(|t| &t.error_code))
    })
    .map(|r| {
        in_order(
            &asked,
            r.responses
                .into_iter()
                .map(|t| (t.name, wire_error(t.error_code), None)),
        )
    });
    finish(AdminOp::DeleteTopics, result)
}

pub fn create_partitions(
    ctl: &Control,
    parts: &[NewPartitionsSpec],
    options: &AdminOptions,
) -> AdminResult {
    let request = CreatePartitionsRequest {
        topics: parts
            .iter()
            .map(|p| CreatePartitionsTopic {
                name: p.topic.clone(),
                count: p.total_count,
                assignments: (!p.assignment.is_empty()).then(|| {
                    p.assignment
                        .iter()
                        .map(|brokers| CreatePartitionsAssignment {
                            broker_ids: brokers.clone(),
                        })
                        .collect()
                }),
            })
            .collect(),
        timeout_ms: options.operation_timeout_ms.max(0),
        validate_only: options.validate_only,
    };
    let asked: Vec<&str> = parts.iter().map(|p| p.topic.as_str()).collect();
    let result = call(ctl, &target(options), &request, |r| {
        retry_if_controller_moved(r.results.iter().map(|t| &t.error_code))
    })
    .map(|r| {
        in_order(
            &asked,
            r.results
                .into_iter()
                .map(|t| (t.name, wire_error(t.error_code), t.error_message)),
        )
    });
    finish(AdminOp::CreatePartitions, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_topic_checks_as_librdkafka() {
        assert!(NewTopicSpec::new("t", -2, 1).is_err());
        assert!(NewTopicSpec::new("t", 0, 1).is_ok());
        assert!(NewTopicSpec::new("t", -1, -1).is_ok());
        assert!(NewTopicSpec::new("t", 3, 10_001).is_err());
        let mut t = NewTopicSpec::new("t", 3, 2).unwrap();
        assert!(t.set_replica_assignment(0, &[1]).is_err());
        let mut t = NewTopicSpec::new("t", -1, -1).unwrap();
        assert!(t.set_replica_assignment(0, &[1]).is_err());
        let mut t = NewTopicSpec::new("t", 2, -1).unwrap();
        assert!(t.set_replica_assignment(1, &[1]).is_err());
        assert!(t.set_replica_assignment(0, &[1, 2]).is_ok());
        assert!(t.set_replica_assignment(1, &[2, 1]).is_ok());
        assert_eq!(t.assignment, vec![vec![1, 2], vec![2, 1]]);
        assert!(check_create_topics(&[t]).is_ok());
        assert!(check_create_topics(&[]).is_err());
        assert!(NewPartitionsSpec::new("t", 0).is_err());
        assert!(check_delete_topics(&["a".into(), "a".into()]).is_err());
    }

    #[test]
    fn results_follow_the_order_asked() {
        let r = in_order(
            &["a", "b", "c"],
            vec![
                ("c".to_string(), RD_KAFKA_RESP_ERR_NO_ERROR, None),
                (
                    "a".to_string(),
                    RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS,
                    Some("exists".into()),
                ),
            ]
            .into_iter(),
        );
        assert_eq!(r[0].err, RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS);
        assert_eq!(r[0].errstr.as_deref(), Some("exists"));
        assert_eq!(r[1].err, RD_KAFKA_RESP_ERR__BAD_MSG);
        assert_eq!(r[2].errstr, None);
    }
}
