//! The group's offsets: committing (with retries through coordinator
//! trouble, and the `offset_commit_cb` op) and looking up committed
//! offsets to start partitions assigned at `RD_KAFKA_OFFSET_STORED`.
//! Run by the main thread like the rest of the group.

use super::{err_of, Group, GroupState};
use crate::abi::{RD_KAFKA_OFFSET_BEGINNING, RD_KAFKA_OFFSET_END, RD_KAFKA_OFFSET_INVALID};
use crate::client::log::ctx;
use crate::client::queue::Op;
use crate::client::topic_partition::TopicPartition;
use crate::client::ClientInner;
use crate::error::rd_kafka_resp_err_t::*;
use crate::error::ErrorCode;
use crate::protocol::messages::offset_commit::{
    OffsetCommitPartition, OffsetCommitRequest, OffsetCommitResponse, OffsetCommitTopic,
};
use crate::protocol::messages::offset_fetch::{
    OffsetFetchRequest, OffsetFetchResponse, OffsetFetchTopic,
};
use crossbeam_channel::Sender;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How many times a commit is sent before a coordinator error is reported.
const MAX_COMMIT_ATTEMPTS: u32 = 3;

/// How long a partition whose committed-offset lookup failed (retriably)
/// waits before the main thread asks again.
const COMMITTED_RETRY_BACKOFF: Duration = Duration::from_millis(500);

/// A commit's outcome: the overall error and the per-partition results.
pub type CommitReply = Sender<(ErrorCode, Vec<TopicPartition>)>;

impl Group {
    /// Commits `offsets` (empty: nothing to commit, `_NO_OFFSET`). The result
    /// goes to `reply` and, as an `OffsetCommit` op, to `offset_commit_cb`.
    pub fn commit(&mut self, offsets: Vec<TopicPartition>, reply: Option<CommitReply>) {
        self.commit_attempt(offsets, reply, 0);
    }

    pub(super) fn commit_attempt(
        &mut self,
        offsets: Vec<TopicPartition>,
        reply: Option<CommitReply>,
        attempt: u32,
    ) {
        if offsets.is_empty() {
            self.commit_done(RD_KAFKA_RESP_ERR__NO_OFFSET, offsets, reply);
            return;
        }
        let Some(coordinator) = self.coordinator.clone() else {
            self.pending_commits.push((offsets, reply, attempt));
            self.find_coordinator(Instant::now());
            return;
        };
        let mut topics: Vec<OffsetCommitTopic> = Vec::new();
        for tp in &offsets {
            let p = OffsetCommitPartition {
                partition_index: tp.partition,
                committed_offset: tp.offset,
                committed_leader_epoch: tp.leader_epoch,
                committed_metadata: tp
                    .metadata
                    .as_ref()
                    .map(|m| String::from_utf8_lossy(m).into_owned()),
            };
            match topics.iter_mut().find(|t| t.name == tp.topic) {
                Some(t) => t.partitions.push(p),
                None => topics.push(OffsetCommitTopic {
                    name: tp.topic.clone(),
                    partitions: vec![p],
                }),
            }
        }
        let joined = matches!(
            self.state,
            GroupState::Stable | GroupState::WaitRevoke | GroupState::Closing
        ) && self.generation >= 0;
        let request = OffsetCommitRequest {
            group_id: self.group_id.clone(),
            generation_id: if joined { self.generation } else { -1 },
            member_id: if joined {
                self.member_id.clone()
            } else {
                String::new()
            },
            group_instance_id: if joined {
                self.consumer().settings.group_instance_id.clone()
            } else {
                None
            },
            retention_time_ms: -1,
            topics,
        };
        self.debug(&format!(
            "committing {} (generation {})",
            describe_offsets(&offsets),
            request.generation_id
        ));
        self.send_for_group(
            &coordinator,
            request,
            self.client.settings.socket_timeout,
            move |g: &mut Group, result: Result<OffsetCommitResponse, ErrorCode>| {
                g.on_commit(offsets, result, reply, attempt)
            },
        );
    }

    fn on_commit(
        &mut self,
        mut offsets: Vec<TopicPartition>,
        result: Result<OffsetCommitResponse, ErrorCode>,
        reply: Option<CommitReply>,
        attempt: u32,
    ) {
        let mut overall = RD_KAFKA_RESP_ERR_NO_ERROR;
        match result {
            Ok(response) => {
                for tp in &mut offsets {
                    let code = response
                        .topics
                        .iter()
                        .find(|t| t.name == tp.topic)
                        .and_then(|t| {
                            t.partitions
                                .iter()
                                .find(|p| p.partition_index == tp.partition)
                        })
                        .map_or(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, |p| {
                            err_of(p.error_code)
                        });
                    tp.err = code;
                    if code != RD_KAFKA_RESP_ERR_NO_ERROR && overall == RD_KAFKA_RESP_ERR_NO_ERROR {
                        overall = code;
                    }
                }
                if matches!(
                    overall,
                    RD_KAFKA_RESP_ERR_NOT_COORDINATOR | RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE
                ) {
                    self.coordinator_lost(overall);
                }
            }
            Err(e) => {
                overall = e;
                for tp in &mut offsets {
                    tp.err = e;
                }
                self.coordinator_lost(e);
            }
        }
        // Coordinator trouble is retried (with a fresh coordinator lookup)
        // before the application hears about it, as librdkafka does.
        let coordinator_trouble = matches!(
            overall,
            RD_KAFKA_RESP_ERR_NOT_COORDINATOR
                | RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE
                | RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS
                | RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT
                | RD_KAFKA_RESP_ERR__TRANSPORT
                | RD_KAFKA_RESP_ERR__TIMED_OUT
        );
        if coordinator_trouble && attempt < MAX_COMMIT_ATTEMPTS {
            for tp in &mut offsets {
                tp.err = RD_KAFKA_RESP_ERR_NO_ERROR;
            }
            self.coordinator_retry_at = Instant::now() + self.client.settings.retry_backoff;
            self.pending_commits.push((offsets, reply, attempt + 1));
            return;
        }
        self.debug(&format!(
            "commit of {}: {}",
            describe_offsets(&offsets),
            overall.name()
        ));
        self.consumer().committed(&offsets);
        self.commit_done(overall, offsets, reply);
    }

    fn commit_done(
        &mut self,
        err: ErrorCode,
        offsets: Vec<TopicPartition>,
        reply: Option<CommitReply>,
    ) {
        if let Some(ic) = &self.client.interceptors {
            ic.on_commit(&offsets, err);
        }
        // Queue the callback op first: when a synchronous commit returns,
        // its offset_commit_cb is already waiting for the next poll.
        self.consumer().queue.push(Op::OffsetCommit {
            err,
            offsets: offsets.clone(),
        });
        if let Some(reply) = reply {
            let _ = reply.send((err, offsets));
        }
    }

    /// Looks up committed offsets; `on_done` gets them (offset
    /// `RD_KAFKA_OFFSET_INVALID` when none) on a broker thread.
    pub fn fetch_committed<F>(&mut self, partitions: Vec<TopicPartition>, on_done: F)
    where
        F: FnOnce(Result<Vec<TopicPartition>, ErrorCode>) + Send + 'static,
    {
        let Some(coordinator) = self.coordinator.clone() else {
            self.find_coordinator(Instant::now());
            on_done(Err(RD_KAFKA_RESP_ERR__WAIT_COORD));
            return;
        };
        let mut topics: Vec<OffsetFetchTopic> = Vec::new();
        for tp in &partitions {
            match topics.iter_mut().find(|t| t.name == tp.topic) {
                Some(t) => t.partition_indexes.push(tp.partition),
                None => topics.push(OffsetFetchTopic {
                    name: tp.topic.clone(),
                    partition_indexes: vec![tp.partition],
                }),
            }
        }
        let request = OffsetFetchRequest {
            group_id: self.group_id.clone(),
            topics: Some(topics),
            require_stable: true,
        };
        coordinator.send(
            request,
            self.client.settings.socket_timeout,
            move |result: Result<OffsetFetchResponse, ErrorCode>| {
                on_done(result.and_then(|r| committed_from_response(partitions, &r)))
            },
        );
    }

    /// Starts partitions waiting at `RD_KAFKA_OFFSET_STORED` from their
    /// committed offsets (or `auto.offset.reset`).
    pub fn resolve_committed(&mut self, partitions: Vec<TopicPartition>) {
        let client = self.client.clone();
        self.fetch_committed(partitions.clone(), move |result| {
            apply_committed(&client, partitions, result)
        });
    }
}

/// "topic[partition]@offset, ..." for debug logs.
fn describe_offsets(offsets: &[TopicPartition]) -> String {
    offsets
        .iter()
        .map(|tp| format!("{}[{}]@{}", tp.topic, tp.partition, tp.offset))
        .collect::<Vec<_>>()
        .join(", ")
}

fn committed_from_response(
    partitions: Vec<TopicPartition>,
    r: &OffsetFetchResponse,
) -> Result<Vec<TopicPartition>, ErrorCode> {
    let top = err_of(r.error_code);
    if top != RD_KAFKA_RESP_ERR_NO_ERROR {
        return Err(top);
    }
    Ok(partitions
        .into_iter()
        .map(|mut tp| {
            let found = r.topics.iter().find(|t| t.name == tp.topic).and_then(|t| {
                t.partitions
                    .iter()
                    .find(|p| p.partition_index == tp.partition)
            });
            match found {
                Some(p) => {
                    tp.err = err_of(p.error_code);
                    tp.offset = if p.committed_offset < 0 {
                        RD_KAFKA_OFFSET_INVALID
                    } else {
                        p.committed_offset
                    };
                    tp.metadata = p.metadata.as_ref().map(|m| m.clone().into_bytes());
                    tp.leader_epoch = p.committed_leader_epoch;
                }
                None => tp.offset = RD_KAFKA_OFFSET_INVALID,
            }
            tp
        })
        .collect())
}

/// Sets the fetch position of partitions waiting for their committed offset.
pub fn apply_committed(
    client: &Arc<ClientInner>,
    wanted: Vec<TopicPartition>,
    result: Result<Vec<TopicPartition>, ErrorCode>,
) {
    let consumer = client.consumer();
    let reset = consumer.settings.auto_offset_reset;
    match result {
        Ok(found) => {
            if client.logger.debug_enabled(ctx::CGRP) {
                client.log_debug(
                    ctx::CGRP,
                    "CGRP",
                    &format!("committed offsets: {}", describe_offsets(&found)),
                );
            }
            for tp in found {
                let Some(cp) = consumer.partition(&tp.topic, tp.partition) else {
                    continue;
                };
                let mut s = cp.state.lock();
                if !s.resolving {
                    continue;
                }
                s.resolving = false;
                if tp.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    // Not "no committed offset": starting from
                    // auto.offset.reset would re-read or skip what the group
                    // committed. A retriable error (UNSTABLE_OFFSET_COMMIT
                    // while a transaction is open, a coordinator still
                    // loading, ...) is asked again; any other is a consumer
                    // error and the partition stays unstarted until it is
                    // assigned again, as in librdkafka (2.0.2 retries only
                    // UNSTABLE_OFFSET_COMMIT here, see README).
                    if tp.err.is_retriable() {
                        s.backoff_until = Some(Instant::now() + COMMITTED_RETRY_BACKOFF);
                    } else {
                        s.stopped = true;
                        drop(s);
                        let group = consumer.settings.group_id.as_deref().unwrap_or("");
                        consumer.push_error(
                            Some(cp.topic.clone()),
                            cp.partition,
                            RD_KAFKA_OFFSET_INVALID,
                            tp.err,
                            format!(
                                "Failed to fetch committed offset for group \"{group}\" topic {} [{}]: {}",
                                tp.topic,
                                tp.partition,
                                tp.err.description()
                            ),
                        );
                    }
                    continue;
                }
                if tp.offset >= 0 {
                    s.fetch_offset = tp.offset;
                    s.committed = tp.offset;
                    s.position = tp.offset;
                } else if reset == RD_KAFKA_OFFSET_BEGINNING || reset == RD_KAFKA_OFFSET_END {
                    s.fetch_offset = reset;
                } else {
                    s.stopped = true;
                    drop(s);
                    consumer.push_partition_error(
                        &cp,
                        RD_KAFKA_OFFSET_INVALID,
                        RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET,
                        "no committed offset and auto.offset.reset is \"error\"".into(),
                    );
                }
            }
        }
        Err(_) => {
            // The main thread retries partitions still waiting at STORED.
            for tp in wanted {
                if let Some(cp) = consumer.partition(&tp.topic, tp.partition) {
                    let mut s = cp.state.lock();
                    s.resolving = false;
                    s.backoff_until = Some(Instant::now() + COMMITTED_RETRY_BACKOFF);
                }
            }
        }
    }
    client.wake_all_brokers();
}
