//! The consumer group member, run by the main thread: find the coordinator,
//! join and sync (the leader runs the assignor), heartbeat, handle
//! rebalances, leave. Commits and committed-offset lookups: `offsets.rs`.
//!
//! Requests go out through broker threads; their responses come back to the
//! main thread as closures (`MainOp::Call`), so all group state is touched by
//! the main thread only. The application learns about rebalances through
//! `Op::Rebalance` on the consumer queue and answers with assign/unassign,
//! which reach the group again through [`Group::on_assignment_changed`].

use crate::abi::RD_KAFKA_OFFSET_INVALID;
use crate::client::assignor::{self, GroupMember, RebalanceProtocol};
use crate::client::broker::handle::BrokerHandle;
use crate::client::consumer::Consumer;
use crate::client::log::{ctx, LOG_INFO, LOG_WARNING};
use crate::client::main_thread::MainOp;
use crate::client::queue::{Op, Queue};
use crate::client::topic_partition::TopicPartition;
use crate::client::ClientInner;
use crate::error::ErrorCode;
use crate::protocol::messages::consumer_protocol::{
    MemberAssignment, MemberMetadata, TopicPartitions,
};
use crate::protocol::messages::find_coordinator::{
    FindCoordinatorRequest, FindCoordinatorResponse,
};
use crate::protocol::messages::heartbeat::{HeartbeatRequest, HeartbeatResponse};
use crate::protocol::messages::join_group::{
    JoinGroupProtocol, JoinGroupRequest, JoinGroupResponse,
};
use crate::protocol::messages::leave_group::{
    LeaveGroupRequest, LeaveGroupResponse, MemberIdentity,
};
use crate::protocol::messages::sync_group::{
    SyncGroupAssignment, SyncGroupRequest, SyncGroupResponse,
};
use crate::protocol::Request;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::rd_kafka_resp_err_t::*;

mod offsets;

pub use offsets::{apply_committed, CommitReply};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupState {
    /// No subscription (or only manual assignment).
    Idle,
    /// Need to (re)join: find the coordinator and send JoinGroup.
    Join,
    /// JoinGroup or SyncGroup in flight.
    Joining,
    /// Eager rebalance: revoke handed to the application, waiting for unassign.
    WaitRevoke,
    Stable,
    /// Left because max.poll.interval.ms passed; rejoins on the next poll.
    PollExceeded,
    /// consumer_close: waiting for revoke, then leaving.
    Closing,
    Closed,
}

pub struct Group {
    client: Arc<ClientInner>,
    pub group_id: String,
    pub state: GroupState,
    coordinator: Option<Arc<BrokerHandle>>,
    coordinator_in_flight: bool,
    coordinator_retry_at: Instant,
    member_id: String,
    generation: i32,
    protocol: RebalanceProtocol,
    /// Subscription resolved to existing topic names, sorted.
    joined_topics: Vec<String>,
    heartbeat_at: Instant,
    heartbeat_in_flight: bool,
    commit_at: Instant,
    /// Commits waiting for a coordinator: offsets, reply, attempts so far.
    pending_commits: Vec<(Vec<TopicPartition>, Option<CommitReply>, u32)>,
    /// The leader's JoinGroup response (with members decoded) waiting for
    /// fresh metadata of every member's topics, and how many metadata
    /// responses it has already seen without all of them.
    pending_leader: Option<(JoinGroupResponse, Vec<GroupMember>, u8)>,
    /// Cooperative: revocations are out, rejoin once the app handled them.
    rejoin_after_revoke: bool,
    close_deadline: Option<Instant>,
    /// A metadata response arrived since the subscription changed: the
    /// subscribed topics' existence is known, so joining can list them.
    metadata_current: bool,
    /// Statistics (`cgrp`): rebalances and state ages.
    stats: GroupCounters,
}

/// What the statistics' `cgrp` object counts, kept by the main thread.
struct GroupCounters {
    /// librdkafka's name for the coordinator state last seen, and since when.
    state: &'static str,
    state_since: Instant,
    rebalance_cnt: u64,
    rebalance_at: Option<Instant>,
    rebalance_reason: String,
    /// Why the rebalance now starting started (becomes `rebalance_reason`
    /// when partitions are assigned or revoked).
    pending_reason: String,
}

/// The consumer group's `cgrp` statistics at one moment.
pub struct GroupStats {
    pub state: &'static str,
    pub stateage: Duration,
    pub join_state: &'static str,
    pub rebalance_age: Option<Duration>,
    pub rebalance_cnt: u64,
    pub rebalance_reason: String,
}

fn err_of(code: i16) -> ErrorCode {
    ErrorCode::from_code(code as i32).unwrap_or(ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN)
}

impl Group {
    pub fn new(client: Arc<ClientInner>, group_id: String) -> Group {
        let protocol = assignor::protocol_of(&client.consumer().settings.assignors)
            .unwrap_or(RebalanceProtocol::Eager);
        let now = Instant::now();
        let commit_interval = client.consumer().settings.auto_commit_interval;
        Group {
            client,
            group_id,
            state: GroupState::Idle,
            coordinator: None,
            coordinator_in_flight: false,
            coordinator_retry_at: now,
            member_id: String::new(),
            generation: -1,
            protocol,
            joined_topics: Vec::new(),
            heartbeat_at: now,
            heartbeat_in_flight: false,
            commit_at: now + commit_interval,
            pending_commits: Vec::new(),
            pending_leader: None,
            rejoin_after_revoke: false,
            close_deadline: None,
            metadata_current: false,
            stats: GroupCounters {
                state: "init",
                state_since: now,
                rebalance_cnt: 0,
                rebalance_at: None,
                rebalance_reason: String::new(),
                pending_reason: String::new(),
            },
        }
    }

    /// librdkafka's coordinator state (`rd_kafka_cgrp_state_names`) for ours.
    fn librdkafka_state(&self) -> &'static str {
        match (&self.state, &self.coordinator) {
            (GroupState::Closed, _) => "term",
            (_, Some(c)) if c.is_up() => "up",
            (_, Some(_)) => "wait-broker-transport",
            (GroupState::Idle, None) => "init",
            (_, None) if self.coordinator_in_flight => "wait-coord",
            (_, None) => "query-coord",
        }
    }

    /// librdkafka's join state (`rd_kafka_cgrp_join_state_names`) for ours.
    fn librdkafka_join_state(&self) -> &'static str {
        match self.state {
            GroupState::Idle | GroupState::Join | GroupState::PollExceeded | GroupState::Closed => {
                "init"
            }
            GroupState::Joining if self.pending_leader.is_some() => "wait-metadata",
            GroupState::Joining => "wait-join",
            GroupState::WaitRevoke | GroupState::Closing => "wait-unassign-call",
            GroupState::Stable => "steady",
        }
    }

    /// Notes a change of the coordinator state (its age is in the
    /// statistics); called at every pass of the main thread's loop.
    fn observe_state(&mut self, now: Instant) {
        let state = self.librdkafka_state();
        if state != self.stats.state {
            self.stats.state = state;
            self.stats.state_since = now;
        }
    }

    /// A rebalance reached the application (an assignment or a revocation).
    fn count_rebalance(&mut self, reason: String) {
        self.stats.rebalance_cnt += 1;
        self.stats.rebalance_at = Some(Instant::now());
        self.stats.rebalance_reason = reason;
    }

    /// The `cgrp` statistics now.
    pub fn stats(&mut self, now: Instant) -> GroupStats {
        self.observe_state(now);
        GroupStats {
            state: self.stats.state,
            stateage: now.saturating_duration_since(self.stats.state_since),
            join_state: self.librdkafka_join_state(),
            rebalance_age: self
                .stats
                .rebalance_at
                .map(|at| now.saturating_duration_since(at)),
            rebalance_cnt: self.stats.rebalance_cnt,
            rebalance_reason: self.stats.rebalance_reason.clone(),
        }
    }

    /// Sends `request` through `broker` and has the group handle its
    /// response on the main thread, where all group state lives (a group
    /// closed meanwhile drops it).
    fn send_for_group<R>(
        &self,
        broker: &BrokerHandle,
        request: R,
        timeout: Duration,
        on_response: impl FnOnce(&mut Group, Result<R::Response, ErrorCode>) + Send + 'static,
    ) where
        R: Request + Send + 'static,
        R::Response: Send,
    {
        let tx = self.client.main_tx_clone();
        broker.send(request, timeout, move |result| {
            let _ = tx.send(MainOp::call(move |m| {
                m.group_mut().map(|g| on_response(g, result))
            }));
        });
    }

    fn consumer(&self) -> &Consumer {
        self.client.consumer()
    }

    fn debug(&self, msg: &str) {
        if self.client.logger.debug_enabled(ctx::CGRP) {
            self.client.log_debug(
                ctx::CGRP,
                "CGRP",
                &format!("Group \"{}\": {msg}", self.group_id),
            );
        }
    }

    fn publish_view(&self) {
        let mut view = self.consumer().group.lock();
        view.member_id = self.member_id.clone();
        view.generation = self.generation;
        view.protocol = Some(self.protocol.as_str());
    }

    /// Runs the group's timers; returns when it next needs attention.
    pub fn tick(&mut self, now: Instant, cluster_topics: &HashMap<String, i32>) -> Instant {
        let mut next = now + Duration::from_millis(200);
        self.observe_state(now);
        let settings = self.consumer().settings.clone();
        if matches!(self.state, GroupState::Stable | GroupState::WaitRevoke)
            && self.consumer().since_last_poll() > settings.max_poll_interval
        {
            self.max_poll_exceeded();
        }
        if self.state == GroupState::PollExceeded
            && self.consumer().since_last_poll() < settings.max_poll_interval
        {
            self.client.log(
                LOG_INFO,
                "CGRP",
                "Application polls again: rejoining the group",
            );
            self.state = GroupState::Join;
        }
        if self.state == GroupState::Stable {
            let topics = self.resolve_subscription(cluster_topics);
            if topics != self.joined_topics {
                self.debug("subscribed topics changed: rejoining");
                self.rejoin("Metadata for subscribed topic(s) has changed");
            }
        }
        if self.state == GroupState::Join && self.metadata_current {
            if self.coordinator_ready() {
                self.join(cluster_topics);
            } else {
                self.find_coordinator(now);
            }
        }
        if matches!(self.state, GroupState::Stable | GroupState::WaitRevoke) && self.generation >= 0
        {
            if now >= self.heartbeat_at && !self.heartbeat_in_flight {
                self.heartbeat();
            }
            // While a heartbeat is in flight its response wakes this
            // thread; a due time passed meanwhile is no deadline (it
            // would make every pass poll with a zero timeout).
            if !self.heartbeat_in_flight {
                next = next.min(self.heartbeat_at);
            }
        }
        if settings.enable_auto_commit && !settings.auto_commit_interval.is_zero() {
            if now >= self.commit_at {
                self.commit_at = now + settings.auto_commit_interval;
                let mut offsets = self.consumer().offsets_to_commit(true);
                offsets.extend(self.consumer().legacy_offsets_to_auto_commit());
                if !offsets.is_empty() {
                    self.commit(offsets, None);
                }
            }
            next = next.min(self.commit_at);
        }
        if !self.pending_commits.is_empty() {
            if self.coordinator_ready() {
                for (offsets, reply, attempt) in std::mem::take(&mut self.pending_commits) {
                    self.commit_attempt(offsets, reply, attempt);
                }
            } else {
                self.find_coordinator(now);
            }
        }
        if self.state == GroupState::Closing && self.close_deadline.is_some_and(|d| now >= d) {
            self.finish_close();
        }
        next
    }

    fn coordinator_ready(&self) -> bool {
        self.coordinator.as_ref().is_some_and(|c| c.is_up())
            || (self.coordinator.is_some() && !self.coordinator_in_flight)
    }

    fn find_coordinator(&mut self, now: Instant) {
        if self.coordinator_in_flight || now < self.coordinator_retry_at {
            return;
        }
        let Some(broker) = self.client.any_broker() else {
            return;
        };
        self.coordinator_in_flight = true;
        let request = FindCoordinatorRequest {
            key: self.group_id.clone(),
            key_type: 0,
        };
        self.send_for_group(
            &broker,
            request,
            self.client.settings.socket_timeout,
            Group::on_coordinator,
        );
    }

    fn on_coordinator(&mut self, result: Result<FindCoordinatorResponse, ErrorCode>) {
        self.coordinator_in_flight = false;
        let retry = Instant::now()
            + self
                .client
                .settings
                .retry_backoff
                .max(Duration::from_millis(100));
        let response = match result {
            Ok(r) if r.error_code == 0 => r,
            Ok(r) => {
                self.debug(&format!(
                    "FindCoordinator failed: {}",
                    err_of(r.error_code).name()
                ));
                self.coordinator_retry_at = retry;
                return;
            }
            Err(e) => {
                self.debug(&format!("FindCoordinator failed: {}", e.name()));
                self.coordinator_retry_at = retry;
                return;
            }
        };
        let port = u16::try_from(response.port).unwrap_or(9092);
        match self
            .client
            .broker_for_node(response.node_id, &response.host, port)
        {
            Some(b) => {
                self.debug(&format!("coordinator is broker {}", b.name));
                self.coordinator = Some(b);
            }
            None => self.coordinator_retry_at = retry,
        }
        self.client.wake_main();
    }

    fn coordinator_lost(&mut self, err: ErrorCode) {
        self.debug(&format!("coordinator lost: {}", err.name()));
        self.coordinator = None;
        self.coordinator_retry_at = Instant::now() + self.client.settings.retry_backoff;
    }

    /// The subscription resolved against the cluster's topics.
    fn resolve_subscription(&self, cluster_topics: &HashMap<String, i32>) -> Vec<String> {
        let patterns = self.consumer().subscription.lock().clone();
        let settings = &self.consumer().settings;
        let mut topics: Vec<String> = Vec::new();
        for pattern in &patterns {
            if let Some(re) = pattern.strip_prefix('^').map(|_| pattern) {
                if let Ok(re) = regex::Regex::new(re) {
                    topics.extend(
                        cluster_topics
                            .keys()
                            .filter(|t| re.is_match(t) && !t.starts_with("__"))
                            .cloned(),
                    );
                }
            } else if cluster_topics.contains_key(pattern) {
                topics.push(pattern.clone());
            }
        }
        topics.retain(|t| !settings.blacklisted(t));
        topics.sort();
        topics.dedup();
        topics
    }

    /// `rd_kafka_subscribe`/`unsubscribe` changed the subscription.
    pub fn on_subscription_changed(&mut self) {
        self.metadata_current = false;
        let empty = self.consumer().subscription.lock().is_empty();
        if empty {
            self.leave("unsubscribed");
            return;
        }
        self.rejoin("Subscription changed");
    }

    /// Starts a rebalance from this side, for `reason` (the statistics'
    /// `rebalance_reason`).
    fn rejoin(&mut self, reason: &str) {
        if matches!(self.state, GroupState::Closing | GroupState::Closed) {
            return;
        }
        self.stats.pending_reason = reason.to_string();
        let owned = self.consumer().assigned();
        if self.protocol == RebalanceProtocol::Eager && !owned.is_empty() {
            self.revoke_all(false);
            return;
        }
        self.state = GroupState::Join;
        self.client.wake_main();
    }

    /// Hands all owned partitions to the application for revocation.
    fn revoke_all(&mut self, lost: bool) {
        let partitions: Vec<TopicPartition> = self
            .consumer()
            .assigned()
            .iter()
            .map(|cp| cp.topic_partition(RD_KAFKA_OFFSET_INVALID))
            .collect();
        self.consumer().group.lock().assignment_lost = lost;
        if partitions.is_empty() {
            self.state = GroupState::Join;
            return;
        }
        let reason = if lost {
            "assignment lost".to_string()
        } else {
            self.stats.pending_reason.clone()
        };
        self.count_rebalance(reason);
        if !lost && self.consumer().settings.enable_auto_commit {
            let offsets = self.consumer().offsets_to_commit(true);
            if !offsets.is_empty() {
                self.commit(offsets, None);
            }
        }
        self.state = GroupState::WaitRevoke;
        self.consumer().queue.push(Op::Rebalance {
            kind: RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS,
            partitions,
        });
    }

    /// The application changed its assignment (assign/unassign/incremental).
    pub fn on_assignment_changed(&mut self) {
        let empty = self.consumer().assigned().is_empty();
        match self.state {
            GroupState::WaitRevoke if empty || self.protocol == RebalanceProtocol::Cooperative => {
                self.consumer().group.lock().assignment_lost = false;
                self.state = GroupState::Join;
                self.client.wake_main();
            }
            GroupState::Stable if self.rejoin_after_revoke => {
                self.rejoin_after_revoke = false;
                self.state = GroupState::Join;
                self.client.wake_main();
            }
            GroupState::Closing if empty => self.leave_and_close(),
            _ => {}
        }
    }

    fn member_metadata(&self) -> Vec<JoinGroupProtocol> {
        let owned: Vec<(String, Vec<i32>)> = {
            let mut by_topic: BTreeMap<String, Vec<i32>> = BTreeMap::new();
            for cp in self.consumer().assigned() {
                by_topic
                    .entry(cp.topic.name.to_string())
                    .or_default()
                    .push(cp.partition);
            }
            by_topic.into_iter().collect()
        };
        self.consumer()
            .settings
            .assignors
            .iter()
            .filter_map(|name| assignor::by_name(name))
            .filter_map(|a| {
                let metadata = MemberMetadata {
                    version: 1,
                    topics: self.joined_topics.clone(),
                    user_data: a.member_user_data(&owned, self.generation),
                    owned_partitions: owned
                        .iter()
                        .map(|(t, p)| TopicPartitions {
                            topic: t.clone(),
                            partitions: p.clone(),
                        })
                        .collect(),
                    generation_id: self.generation,
                    rack_id: None,
                };
                let metadata = metadata.to_bytes().ok()?;
                Some(JoinGroupProtocol {
                    name: a.name().to_string(),
                    metadata,
                })
            })
            .collect()
    }

    fn join(&mut self, cluster_topics: &HashMap<String, i32>) {
        let Some(coordinator) = self.coordinator.clone() else {
            return;
        };
        self.joined_topics = self.resolve_subscription(cluster_topics);
        let settings = self.consumer().settings.clone();
        let request = JoinGroupRequest {
            group_id: self.group_id.clone(),
            session_timeout_ms: settings.session_timeout.as_millis() as i32,
            rebalance_timeout_ms: settings.max_poll_interval.as_millis() as i32,
            member_id: self.member_id.clone(),
            group_instance_id: settings.group_instance_id.clone(),
            protocol_type: "consumer".to_string(),
            protocols: self.member_metadata(),
        };
        self.debug(&format!("joining with topics {:?}", self.joined_topics));
        self.state = GroupState::Joining;
        // The coordinator holds a JoinGroup until every member rejoined.
        let timeout = settings.max_poll_interval + Duration::from_secs(5);
        self.send_for_group(&coordinator, request, timeout, Group::on_join);
    }

    fn on_join(&mut self, result: Result<JoinGroupResponse, ErrorCode>) {
        if self.state != GroupState::Joining {
            return;
        }
        let response = match result {
            Ok(r) => r,
            Err(e) => {
                self.coordinator_lost(e);
                self.state = GroupState::Join;
                return;
            }
        };
        match err_of(response.error_code) {
            RD_KAFKA_RESP_ERR_NO_ERROR => {}
            RD_KAFKA_RESP_ERR_MEMBER_ID_REQUIRED => {
                self.member_id = response.member_id;
                self.state = GroupState::Join;
                self.client.wake_main();
                return;
            }
            RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID | RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION => {
                self.member_id.clear();
                self.generation = -1;
                self.state = GroupState::Join;
                return;
            }
            err @ (RD_KAFKA_RESP_ERR_NOT_COORDINATOR
            | RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE
            | RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS) => {
                self.coordinator_lost(err);
                self.state = GroupState::Join;
                return;
            }
            RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS => {
                self.state = GroupState::Join;
                return;
            }
            err => {
                self.client.log(
                    LOG_WARNING,
                    "CGRP",
                    &format!("JoinGroup failed: {}", err.description()),
                );
                self.consumer().push_error(
                    None,
                    -1,
                    -1,
                    err,
                    format!("JoinGroup failed: {}", err.description()),
                );
                self.state = GroupState::Join;
                return;
            }
        }
        self.member_id = response.member_id.clone();
        self.generation = response.generation_id;
        if let Some(name) = &response.protocol_name {
            if let Some(a) = assignor::by_name(name) {
                self.protocol = a.protocol();
            }
        }
        self.publish_view();
        self.debug(&format!(
            "joined generation {} as {} (leader {})",
            self.generation, self.member_id, response.leader
        ));
        if response.leader == self.member_id {
            self.await_leader_metadata(response);
        } else {
            self.sync(Vec::new());
        }
    }

    /// As in librdkafka, the leader assigns only after a metadata refresh
    /// that covers every member's topics: other members may subscribe to
    /// topics this member never looked up, and partition counts must be
    /// current. The round trip also lets followers' SyncGroups reach the
    /// coordinator before the leader's (librdkafka's mock cluster refuses a
    /// follower's SyncGroup that arrives after the leader completed the sync).
    fn await_leader_metadata(&mut self, response: JoinGroupResponse) {
        let members: Vec<GroupMember> = response
            .members
            .iter()
            .map(|m| {
                // Undecodable metadata (a foreign protocol) subscribes to nothing.
                let md = MemberMetadata::decode(&m.metadata).unwrap_or_default();
                GroupMember::from_metadata(&m.member_id, m.group_instance_id.as_deref(), &md)
            })
            .collect();
        for topic in members.iter().flat_map(|m| m.topics.iter()) {
            let _ = self.client.ensure_topic(topic);
        }
        self.pending_leader = Some((response, members, 0));
        self.client.request_metadata_refresh();
    }

    /// Metadata arrived: the subscription's topics are known, and a leader
    /// waiting for its members' topics may now assign.
    pub fn on_metadata(&mut self, cluster_topics: &HashMap<String, i32>) {
        self.metadata_current = true;
        let Some((response, members, seen)) = self.pending_leader.take() else {
            return;
        };
        if self.state != GroupState::Joining {
            return;
        }
        let missing = members
            .iter()
            .flat_map(|m| m.topics.iter())
            .any(|t| !cluster_topics.contains_key(t));
        // A response to a request sent before the join may lack a topic
        // the members named; one more refresh settles whether it exists.
        if missing && seen == 0 {
            self.pending_leader = Some((response, members, 1));
            self.client.request_metadata_refresh();
            return;
        }
        self.assign_as_leader(&response, &members, cluster_topics);
    }

    /// Runs the negotiated assignor over the members and syncs the result.
    /// Topics missing from the cluster get no partitions.
    fn assign_as_leader(
        &mut self,
        response: &JoinGroupResponse,
        members: &[GroupMember],
        cluster_topics: &HashMap<String, i32>,
    ) {
        let counts: HashMap<String, i32> = members
            .iter()
            .flat_map(|m| m.topics.iter())
            .filter_map(|t| Some((t.clone(), *cluster_topics.get(t)?)))
            .collect();
        self.debug(&format!(
            "leader assigning {} topic(s) to {} member(s)",
            counts.len(),
            members.len()
        ));
        let name = response
            .protocol_name
            .clone()
            .unwrap_or_else(|| "range".to_string());
        let Some(a) = assignor::by_name(&name) else {
            self.consumer().push_error(
                None,
                -1,
                -1,
                RD_KAFKA_RESP_ERR__UNKNOWN_PROTOCOL,
                format!("unknown assignor \"{name}\""),
            );
            self.state = GroupState::Join;
            return;
        };
        let assignment = a.assign(members, &counts);
        let assignments = assignment
            .into_iter()
            .filter_map(|(member_id, topics)| {
                let ma = MemberAssignment {
                    version: 1,
                    assigned_partitions: topics
                        .into_iter()
                        .map(|(topic, partitions)| TopicPartitions { topic, partitions })
                        .collect(),
                    user_data: None,
                };
                Some(SyncGroupAssignment {
                    member_id,
                    assignment: ma.to_bytes().ok()?,
                })
            })
            .collect();
        self.sync(assignments);
    }

    fn sync(&mut self, assignments: Vec<SyncGroupAssignment>) {
        let Some(coordinator) = self.coordinator.clone() else {
            self.state = GroupState::Join;
            return;
        };
        let request = SyncGroupRequest {
            group_id: self.group_id.clone(),
            generation_id: self.generation,
            member_id: self.member_id.clone(),
            group_instance_id: self.consumer().settings.group_instance_id.clone(),
            protocol_type: Some("consumer".to_string()),
            protocol_name: None,
            assignments,
        };
        let timeout = self.consumer().settings.max_poll_interval + Duration::from_secs(5);
        self.send_for_group(&coordinator, request, timeout, Group::on_sync);
    }

    fn on_sync(&mut self, result: Result<SyncGroupResponse, ErrorCode>) {
        if self.state != GroupState::Joining {
            return;
        }
        let response = match result {
            Ok(r) => r,
            Err(e) => {
                self.coordinator_lost(e);
                self.state = GroupState::Join;
                return;
            }
        };
        match err_of(response.error_code) {
            RD_KAFKA_RESP_ERR_NO_ERROR => {}
            RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID | RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION => {
                self.member_id.clear();
                self.generation = -1;
                self.state = GroupState::Join;
                return;
            }
            err @ (RD_KAFKA_RESP_ERR_NOT_COORDINATOR
            | RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE) => {
                self.coordinator_lost(err);
                self.state = GroupState::Join;
                return;
            }
            err => {
                self.debug(&format!("SyncGroup failed: {}: rejoining", err.name()));
                self.state = GroupState::Join;
                return;
            }
        }
        let assigned: Vec<TopicPartition> = match MemberAssignment::decode(&response.assignment) {
            Ok(ma) => ma
                .assigned_partitions
                .iter()
                .flat_map(|tp| {
                    tp.partitions
                        .iter()
                        .map(move |p| TopicPartition::new(&tp.topic, *p, RD_KAFKA_OFFSET_INVALID))
                })
                .collect(),
            Err(_) if response.assignment.is_empty() => Vec::new(),
            Err(e) => {
                self.consumer().push_error(
                    None,
                    -1,
                    -1,
                    RD_KAFKA_RESP_ERR__BAD_MSG,
                    format!("undecodable group assignment: {e}"),
                );
                Vec::new()
            }
        };
        self.state = GroupState::Stable;
        self.heartbeat_at = Instant::now() + self.consumer().settings.heartbeat_interval;
        self.debug(&format!(
            "generation {}: assigned {} partition(s)",
            self.generation,
            assigned.len()
        ));
        self.apply_assignment(assigned);
    }

    /// Tells the application what to assign (and, cooperatively, revoke).
    fn apply_assignment(&mut self, assigned: Vec<TopicPartition>) {
        let reason = std::mem::take(&mut self.stats.pending_reason);
        self.count_rebalance(reason);
        let queue = self.consumer().queue.clone();
        match self.protocol {
            RebalanceProtocol::Eager => {
                queue.push(Op::Rebalance {
                    kind: RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS,
                    partitions: assigned,
                });
            }
            RebalanceProtocol::Cooperative => {
                let owned = self.consumer().assigned();
                let revoked: Vec<TopicPartition> = owned
                    .iter()
                    .filter(|cp| {
                        !assigned
                            .iter()
                            .any(|tp| *tp.topic == *cp.topic.name && tp.partition == cp.partition)
                    })
                    .map(|cp| cp.topic_partition(RD_KAFKA_OFFSET_INVALID))
                    .collect();
                let added: Vec<TopicPartition> = assigned
                    .into_iter()
                    .filter(|tp| {
                        !owned
                            .iter()
                            .any(|cp| *tp.topic == *cp.topic.name && tp.partition == cp.partition)
                    })
                    .collect();
                if !revoked.is_empty() {
                    self.rejoin_after_revoke = true;
                    queue.push(Op::Rebalance {
                        kind: RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS,
                        partitions: revoked,
                    });
                }
                // An empty incremental assign still lets the application see the rebalance.
                queue.push(Op::Rebalance {
                    kind: RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS,
                    partitions: added,
                });
            }
        }
    }

    fn heartbeat(&mut self) {
        // A coordinator move does not end the membership: find the new
        // coordinator and keep heartbeating with the same generation.
        let Some(coordinator) = self.coordinator.clone() else {
            self.find_coordinator(Instant::now());
            // Look again after a backoff, not on every pass until the
            // coordinator is known.
            self.heartbeat_at = Instant::now() + self.client.settings.retry_backoff;
            return;
        };
        self.heartbeat_in_flight = true;
        self.heartbeat_at = Instant::now() + self.consumer().settings.heartbeat_interval;
        let request = HeartbeatRequest {
            group_id: self.group_id.clone(),
            generation_id: self.generation,
            member_id: self.member_id.clone(),
            group_instance_id: self.consumer().settings.group_instance_id.clone(),
        };
        // A slow answer is not worth tearing the connection down for: the
        // heartbeat uses the ordinary request timeout.
        self.send_for_group(
            &coordinator,
            request,
            self.client.settings.socket_timeout,
            Group::on_heartbeat,
        );
    }

    fn on_heartbeat(&mut self, result: Result<HeartbeatResponse, ErrorCode>) {
        self.heartbeat_in_flight = false;
        let err = match result {
            Ok(r) => err_of(r.error_code),
            Err(e) => e,
        };
        if !matches!(self.state, GroupState::Stable | GroupState::WaitRevoke) {
            return;
        }
        match err {
            RD_KAFKA_RESP_ERR_NO_ERROR => {}
            RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS if self.state == GroupState::Stable => {
                self.debug("group is rebalancing: rejoining");
                self.rejoin("group is rebalancing");
            }
            RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS => {}
            RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID
            | RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION
            | RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID => {
                self.client.log(
                    LOG_WARNING,
                    "HEARTBEAT",
                    &format!(
                        "Group \"{}\": {}: assignment lost",
                        self.group_id,
                        err.description()
                    ),
                );
                if err == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID {
                    self.member_id.clear();
                }
                self.generation = -1;
                self.publish_view();
                self.revoke_all(true);
            }
            RD_KAFKA_RESP_ERR_NOT_COORDINATOR
            | RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE
            | RD_KAFKA_RESP_ERR__TRANSPORT => {
                self.coordinator_lost(err);
            }
            _ => {}
        }
    }

    fn max_poll_exceeded(&mut self) {
        let reason = format!(
            "Application maximum poll interval ({}ms) exceeded by the application: leaving group",
            self.consumer().settings.max_poll_interval.as_millis()
        );
        self.client.log(LOG_WARNING, "MAXPOLL", &reason);
        self.consumer()
            .push_error(None, -1, -1, RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED, reason);
        self.send_leave();
        self.member_id.clear();
        self.generation = -1;
        self.publish_view();
        let partitions: Vec<TopicPartition> = self
            .consumer()
            .assigned()
            .iter()
            .map(|cp| cp.topic_partition(RD_KAFKA_OFFSET_INVALID))
            .collect();
        self.consumer().group.lock().assignment_lost = true;
        if !partitions.is_empty() {
            self.consumer().queue.push(Op::Rebalance {
                kind: RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS,
                partitions,
            });
        }
        self.state = GroupState::PollExceeded;
    }

    fn send_leave(&mut self) {
        let settings = &self.consumer().settings;
        // Static members keep their place for session.timeout.ms (KIP-345).
        if self.member_id.is_empty() || settings.group_instance_id.is_some() {
            return;
        }
        let Some(coordinator) = self.coordinator.clone() else {
            return;
        };
        let request = LeaveGroupRequest {
            group_id: self.group_id.clone(),
            member_id: self.member_id.clone(),
            members: vec![MemberIdentity {
                member_id: self.member_id.clone(),
                group_instance_id: None,
            }],
        };
        self.send_for_group(
            &coordinator,
            request,
            Duration::from_secs(5),
            |g: &mut Group, _: Result<LeaveGroupResponse, ErrorCode>| g.on_left(),
        );
    }

    fn on_left(&mut self) {
        if self.state == GroupState::Closing {
            self.finish_close();
        }
    }

    fn leave(&mut self, why: &str) {
        self.debug(&format!("leaving: {why}"));
        if self.consumer().assigned().is_empty() || self.protocol == RebalanceProtocol::Cooperative
        {
            self.send_leave();
        } else {
            self.revoke_all(false);
        }
        self.send_leave();
        self.member_id.clear();
        self.generation = -1;
        self.joined_topics.clear();
        self.publish_view();
        self.state = GroupState::Idle;
    }

    /// `rd_kafka_consumer_close` and `_close_queue`: commit, revoke, leave.
    /// The revoke is the application's when `revoke_to` is given (a
    /// REBALANCE op there, served by the close's wait or by the
    /// application); with `None` (an asynchronous close the application
    /// does not take part in: no rebalance callback or event) the group
    /// gives the assignment up itself, as librdkafka's does.
    pub fn close(&mut self, revoke_to: Option<Arc<Queue>>) {
        self.close_deadline = Some(Instant::now() + Duration::from_secs(10));
        if self.consumer().settings.enable_auto_commit {
            let offsets = self.consumer().offsets_to_commit(true);
            if !offsets.is_empty() {
                self.commit(offsets, None);
            }
        }
        let partitions: Vec<TopicPartition> = self
            .consumer()
            .assigned()
            .iter()
            .map(|cp| cp.topic_partition(RD_KAFKA_OFFSET_INVALID))
            .collect();
        self.state = GroupState::Closing;
        // Nothing to revoke: leave right away. Otherwise the application's
        // revoke (or the default one) runs first, then the member leaves.
        if partitions.is_empty() {
            self.leave_and_close();
            return;
        }
        match revoke_to {
            Some(queue) => queue.push(Op::Rebalance {
                kind: RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS,
                partitions,
            }),
            None => {
                self.consumer().retire_assignment();
                // Comes back as the assignment change that leaves.
                self.client.call_main(|m| m.assignment_changed());
            }
        }
    }

    fn leave_and_close(&mut self) {
        if self.member_id.is_empty()
            || self.coordinator.is_none()
            || self.consumer().settings.group_instance_id.is_some()
        {
            self.finish_close();
        } else {
            self.send_leave();
        }
    }

    fn finish_close(&mut self) {
        self.state = GroupState::Closed;
        self.member_id.clear();
        self.generation = -1;
        self.publish_view();
        self.consumer()
            .closed
            .store(true, std::sync::atomic::Ordering::Release);
        self.consumer().queue.wake();
    }
}
