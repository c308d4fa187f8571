//! DeleteRecords: one request per partition leader, the per-partition
//! low watermarks (or errors) gathered into one list.

use crate::client::admin::options::{AdminOp, AdminOptions};
use crate::client::admin::request::{call, metadata, wire_error, Target, Verdict};
use crate::client::admin::result::{AdminResult, AdminResultBody};
use crate::client::admin::worker::Control;
use crate::client::topic_partition::TopicPartition;
use crate::error::ErrorCode;
use crate::protocol::messages::{DeleteRecordsPartition, DeleteRecordsRequest, DeleteRecordsTopic};
use std::collections::{BTreeMap, HashSet};

use ErrorCode::*;

pub fn check_delete_records(partitions: &[TopicPartition]) -> Result<(), String> {
    if partitions.is_empty() {
        return Err("No records to delete".to_string());
    }
    let mut seen = HashSet::new();
    for p in partitions {
        if !seen.insert((p.topic.as_str(), p.partition)) {
            return Err("Duplicate partitions not allowed".to_string());
        }
        if p.partition < 0 {
            return Err(format!("Invalid partition {} for {}", p.partition, p.topic));
        }
    }
    Ok(())
}

pub fn delete_records(
    ctl: &Control,
    partitions: &[TopicPartition],
    options: &AdminOptions,
) -> AdminResult {
    let op = AdminOp::DeleteRecords;
    let mut topics: Vec<String> = partitions.iter().map(|p| p.topic.clone()).collect();
    topics.sort();
    topics.dedup();
    let md = match metadata(ctl, Some(topics)) {
        Ok(md) => md,
        Err(err) => return AdminResult::failed(op, err, err.description()),
    };
    let mut outcome: Vec<TopicPartition> = partitions.to_vec();
    // Partitions by leader; those without one get their error now.
    let mut by_leader: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, p) in outcome.iter_mut().enumerate() {
        let topic = md.topics.iter().find(|t| t.name == p.topic);
        let leader = topic.and_then(|t| {
            t.partitions
                .iter()
                .find(|mp| mp.partition_index == p.partition)
                .map(|mp| mp.leader_id)
        });
        match (topic, leader) {
            (Some(t), _) if t.error_code != 0 => p.err = wire_error(t.error_code),
            (Some(_), Some(leader)) if leader >= 0 => by_leader.entry(leader).or_default().push(i),
            (Some(_), Some(_)) => p.err = RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
            _ => p.err = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
        }
        p.offset = -1;
    }
    for (leader, indexes) in by_leader {
        let mut topics: BTreeMap<&str, Vec<DeleteRecordsPartition>> = BTreeMap::new();
        for &i in &indexes {
            topics
                .entry(partitions[i].topic.as_str())
                .or_default()
                .push(DeleteRecordsPartition {
                    partition_index: partitions[i].partition,
                    offset: partitions[i].offset,
                });
        }
        let request = DeleteRecordsRequest {
            topics: topics
                .into_iter()
                .map(|(name, partitions)| DeleteRecordsTopic {
                    name: name.to_string(),
                    partitions,
                })
                .collect(),
            timeout_ms: options.operation_timeout_ms.max(0),
        };
        // A partition whose leader moved meanwhile reports the broker's
        // error (NOT_LEADER_FOR_PARTITION), as librdkafka's does.
        let answer = call(ctl, &Target::Broker(leader), &request, |_| Verdict::Done);
        for &i in &indexes {
            let p = &mut outcome[i];
            match &answer {
                Ok(r) => {
                    let found = r
                        .topics
                        .iter()
                        .filter(|t| t.name == p.topic)
                        .flat_map(|t| &t.partitions)
                        .find(|x| x.partition_index == p.partition);
                    match found {
                        Some(x) => {
                            p.err = wire_error(x.error_code);
                            p.offset = if p.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                                x.low_watermark
                            } else {
                                -1
                            };
                        }
                        None => p.err = RD_KAFKA_RESP_ERR__BAD_MSG,
                    }
                }
                Err(err) => p.err = *err,
            }
        }
    }
    AdminResult::ok(op, AdminResultBody::Partitions(outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_are_checked_as_librdkafka() {
        assert!(check_delete_records(&[]).is_err());
        let p = TopicPartition::new("t", 0, 5);
        assert!(check_delete_records(&[p.clone(), p.clone()]).is_err());
        assert!(check_delete_records(&[TopicPartition::new("t", -1, 5)]).is_err());
        assert!(check_delete_records(&[p, TopicPartition::new("t", 1, 5)]).is_ok());
    }
}
