//! The group coordinator's state machine for one consumer group, as Kafka
//! runs it: Empty -> PreparingRebalance (members (re)join until all known
//! members did or the rebalance timeout passes) -> CompletingRebalance (the
//! leader computes assignments and sends them in SyncGroup) -> Stable.
//!
//! Pure state: callers pass the current time and do any waiting themselves
//! (see `handlers/group.rs`), polling [`Group::poll_join`] and
//! [`Group::poll_sync`] until they return something other than `Wait`.

use crate::error::ErrorCode;
use bytes::Bytes;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use ErrorCode::*;

/// Kafka's `group.initial.rebalance.delay.ms` default: the first round of
/// an empty group waits this long so that members starting together land
/// in one generation.
pub(crate) const INITIAL_REBALANCE_DELAY: Duration = Duration::from_millis(3000);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupState {
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
}

/// What a JoinGroup request brings.
#[derive(Debug, Clone)]
pub struct JoinParams {
    pub member_id: String,
    pub instance_id: Option<String>,
    pub client_id: String,
    /// The member's address as Kafka reports it ("/127.0.0.1").
    pub client_host: String,
    pub session_timeout: Duration,
    pub rebalance_timeout: Duration,
    pub protocol_type: String,
    /// (protocol name, member metadata), most preferred first.
    pub protocols: Vec<(String, Bytes)>,
}

/// A completed join round as one member sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinResult {
    pub generation: i32,
    pub protocol_type: String,
    pub protocol_name: String,
    pub leader: String,
    pub member_id: String,
    /// Filled for the leader only: (member id, instance id, metadata).
    pub members: Vec<(String, Option<String>, Bytes)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll<T> {
    Ready(T),
    Failed(ErrorCode),
    /// Nothing yet; poll again when the group changes or at this instant.
    Wait(Instant),
}

#[derive(Debug)]
struct Member {
    instance_id: Option<String>,
    client_id: String,
    client_host: String,
    session_timeout: Duration,
    rebalance_timeout: Duration,
    protocols: Vec<(String, Bytes)>,
    last_seen: Instant,
    /// Joined during the current PreparingRebalance round.
    joined: bool,
    /// Blocked in JoinGroup or SyncGroup: its session cannot expire.
    awaiting: bool,
    join_result: Option<JoinResult>,
    assignment: Option<Bytes>,
    /// Join order, so the first joiner leads.
    seq: u64,
}

/// One member as DescribeGroups reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDescription {
    pub member_id: String,
    pub instance_id: Option<String>,
    pub client_id: String,
    pub client_host: String,
    pub metadata: Bytes,
    pub assignment: Bytes,
}

/// A committed offset with its metadata string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub offset: i64,
    pub metadata: Option<String>,
}

#[derive(Debug)]
pub struct Group {
    state: GroupState,
    generation: i32,
    protocol_type: Option<String>,
    protocol_name: Option<String>,
    leader: Option<String>,
    members: BTreeMap<String, Member>,
    /// The round completes at `deadline`, or earlier once every member
    /// joined, but not before `not_before` (the initial delay).
    deadline: Instant,
    not_before: Instant,
    next_seq: u64,
    pub committed: HashMap<(String, i32), Committed>,
}

impl Group {
    pub fn new(now: Instant) -> Group {
        Group {
            state: GroupState::Empty,
            generation: 0,
            protocol_type: None,
            protocol_name: None,
            leader: None,
            members: BTreeMap::new(),
            deadline: now,
            not_before: now,
            next_seq: 0,
            committed: HashMap::new(),
        }
    }

    pub fn state(&self) -> GroupState {
        self.state
    }

    pub fn generation(&self) -> i32 {
        self.generation
    }

    pub fn protocol_type(&self) -> Option<&str> {
        self.protocol_type.as_deref()
    }

    pub fn protocol_name(&self) -> Option<&str> {
        self.protocol_name.as_deref()
    }

    pub fn member_count(&self) -> usize {
        self.members.len()
    }

    /// Registers a JoinGroup; returns the member id to poll with.
    pub fn join(&mut self, p: JoinParams, now: Instant) -> Result<String, ErrorCode> {
        self.expire(now);
        if p.protocols.is_empty() || p.protocol_type.is_empty() {
            return Err(RD_KAFKA_RESP_ERR_INCONSISTENT_GROUP_PROTOCOL);
        }
        let existing_static = p.instance_id.as_ref().and_then(|iid| {
            self.members
                .iter()
                .find(|(_, m)| m.instance_id.as_ref() == Some(iid))
                .map(|(id, _)| id.clone())
        });
        let member_id = if p.member_id.is_empty() {
            existing_static.unwrap_or_else(|| {
                self.next_seq += 1;
                format!("{}-{}-{}", p.client_id, self.generation, self.next_seq)
            })
        } else {
            match existing_static {
                Some(id) if id != p.member_id => return Err(RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID),
                _ if !self.members.contains_key(&p.member_id) => {
                    return Err(RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID)
                }
                _ => p.member_id.clone(),
            }
        };
        if !self.protocols_compatible(&member_id, &p) {
            return Err(RD_KAFKA_RESP_ERR_INCONSISTENT_GROUP_PROTOCOL);
        }
        if self.members.is_empty() {
            self.protocol_type = Some(p.protocol_type.clone());
        }
        let was_empty = self.members.is_empty();
        self.next_seq += 1;
        let seq = self.next_seq;
        let member = self.members.entry(member_id.clone()).or_insert(Member {
            instance_id: None,
            client_id: String::new(),
            client_host: String::new(),
            session_timeout: p.session_timeout,
            rebalance_timeout: p.rebalance_timeout,
            protocols: Vec::new(),
            last_seen: now,
            joined: false,
            awaiting: false,
            join_result: None,
            assignment: None,
            seq,
        });
        member.instance_id = p.instance_id;
        member.client_id = p.client_id;
        member.client_host = p.client_host;
        member.session_timeout = p.session_timeout;
        member.rebalance_timeout = p.rebalance_timeout;
        member.protocols = p.protocols;
        member.last_seen = now;
        member.join_result = None;
        member.awaiting = true;
        if self.state != GroupState::PreparingRebalance {
            self.start_rebalance(now, was_empty);
        }
        if let Some(m) = self.members.get_mut(&member_id) {
            m.joined = true;
        }
        Ok(member_id)
    }

    /// Whether `p`'s protocols share one with every other member's.
    fn protocols_compatible(&self, member_id: &str, p: &JoinParams) -> bool {
        let others: Vec<&Member> = self
            .members
            .iter()
            .filter(|(id, _)| id.as_str() != member_id)
            .map(|(_, m)| m)
            .collect();
        if others.is_empty() {
            return true;
        }
        if self.protocol_type.as_deref() != Some(p.protocol_type.as_str()) {
            return false;
        }
        p.protocols.iter().any(|(name, _)| {
            others
                .iter()
                .all(|m| m.protocols.iter().any(|(n, _)| n == name))
        })
    }

    fn start_rebalance(&mut self, now: Instant, initial: bool) {
        self.state = GroupState::PreparingRebalance;
        let timeout = self
            .members
            .values()
            .map(|m| m.rebalance_timeout)
            .max()
            .unwrap_or_default();
        self.deadline = now + timeout;
        self.not_before = if initial {
            now + INITIAL_REBALANCE_DELAY.min(timeout)
        } else {
            now
        };
        for m in self.members.values_mut() {
            m.joined = false;
            m.join_result = None;
            m.assignment = None;
        }
    }

    /// Completes the join round if it is due, then reports `member_id`'s part.
    pub fn poll_join(&mut self, member_id: &str, now: Instant) -> Poll<JoinResult> {
        // As in Kafka, a member that does not rejoin still has a session:
        // when it ends (a crashed client), the round stops waiting for it
        // instead of running into the rebalance timeout.
        self.expire(now);
        if self.state == GroupState::PreparingRebalance {
            let all_joined = self.members.values().all(|m| m.joined);
            if (all_joined && now >= self.not_before) || now >= self.deadline {
                self.complete_join();
            }
        }
        let Some(m) = self.members.get_mut(member_id) else {
            return Poll::Failed(RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID);
        };
        match m.join_result.take() {
            Some(result) => {
                m.awaiting = false;
                m.last_seen = now;
                Poll::Ready(result)
            }
            None if self.state == GroupState::PreparingRebalance && m.joined => {
                let round_end = self.deadline.max(self.not_before);
                let next_expiry = self
                    .members
                    .values()
                    .filter(|m| !m.joined && !m.awaiting)
                    .map(|m| m.last_seen + m.session_timeout)
                    .min();
                Poll::Wait(next_expiry.map_or(round_end, |e| e.min(round_end)))
            }
            // The round this member joined ended without it (it was
            // removed and re-added, or the group moved on).
            None => {
                m.awaiting = false;
                Poll::Failed(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS)
            }
        }
    }

    /// Ends the join round: drops members that did not rejoin, picks the
    /// protocol and leader, bumps the generation and hands each member its
    /// JoinGroup response.
    fn complete_join(&mut self) {
        self.members.retain(|_, m| m.joined);
        self.generation += 1;
        if self.members.is_empty() {
            self.state = GroupState::Empty;
            self.leader = None;
            self.protocol_name = None;
            return;
        }
        let protocol = self.select_protocol();
        let leader = match &self.leader {
            Some(l) if self.members.contains_key(l) => l.clone(),
            _ => self
                .members
                .iter()
                .min_by_key(|(_, m)| m.seq)
                .map(|(id, _)| id.clone())
                .unwrap_or_default(),
        };
        let mut ordered: Vec<(&String, &Member)> = self.members.iter().collect();
        ordered.sort_by_key(|(_, m)| m.seq);
        let all: Vec<(String, Option<String>, Bytes)> = ordered
            .iter()
            .map(|(id, m)| {
                let meta = m
                    .protocols
                    .iter()
                    .find(|(n, _)| *n == protocol)
                    .map(|(_, b)| b.clone())
                    .unwrap_or_default();
                ((*id).clone(), m.instance_id.clone(), meta)
            })
            .collect();
        let protocol_type = self.protocol_type.clone().unwrap_or_default();
        for (id, m) in self.members.iter_mut() {
            m.join_result = Some(JoinResult {
                generation: self.generation,
                protocol_type: protocol_type.clone(),
                protocol_name: protocol.clone(),
                leader: leader.clone(),
                member_id: id.clone(),
                members: if *id == leader {
                    all.clone()
                } else {
                    Vec::new()
                },
            });
            m.joined = false;
        }
        self.leader = Some(leader);
        self.protocol_name = Some(protocol);
        self.state = GroupState::CompletingRebalance;
    }

    /// Kafka's rule: among protocols every member supports, each member
    /// votes for the one it prefers most; the most votes win.
    fn select_protocol(&self) -> String {
        let mut ordered: Vec<&Member> = self.members.values().collect();
        ordered.sort_by_key(|m| m.seq);
        let candidates: Vec<&String> = ordered
            .first()
            .map(|first| {
                first
                    .protocols
                    .iter()
                    .map(|(n, _)| n)
                    .filter(|n| {
                        ordered
                            .iter()
                            .all(|m| m.protocols.iter().any(|(x, _)| x == *n))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut votes: Vec<usize> = vec![0; candidates.len()];
        for m in &ordered {
            if let Some(i) = m
                .protocols
                .iter()
                .find_map(|(n, _)| candidates.iter().position(|c| *c == n))
            {
                votes[i] += 1;
            }
        }
        let best = (0..candidates.len())
            .max_by_key(|&i| (votes[i], std::cmp::Reverse(i)))
            .and_then(|i| candidates.get(i));
        best.map(|s| (*s).clone()).unwrap_or_default()
    }

    fn check_member(
        &self,
        member_id: &str,
        instance_id: Option<&str>,
        generation: i32,
    ) -> Result<(), ErrorCode> {
        let Some(m) = self.members.get(member_id) else {
            let fenced = instance_id.is_some_and(|iid| {
                self.members
                    .values()
                    .any(|m| m.instance_id.as_deref() == Some(iid))
            });
            return Err(if fenced {
                RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID
            } else {
                RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID
            });
        };
        if instance_id.is_some() && m.instance_id.as_deref() != instance_id {
            return Err(RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID);
        }
        if generation != self.generation {
            return Err(RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION);
        }
        Ok(())
    }

    /// Registers a SyncGroup. The leader's `assignments` complete the
    /// rebalance; everyone then polls [`Group::poll_sync`].
    pub fn sync(
        &mut self,
        member_id: &str,
        instance_id: Option<&str>,
        generation: i32,
        assignments: Vec<(String, Bytes)>,
        now: Instant,
    ) -> Result<(), ErrorCode> {
        self.expire(now);
        if self.state == GroupState::PreparingRebalance && self.members.contains_key(member_id) {
            return Err(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS);
        }
        self.check_member(member_id, instance_id, generation)?;
        if self.state == GroupState::CompletingRebalance
            && self.leader.as_deref() == Some(member_id)
        {
            let mut given: HashMap<String, Bytes> = assignments.into_iter().collect();
            for (id, m) in self.members.iter_mut() {
                m.assignment = Some(given.remove(id).unwrap_or_default());
            }
            self.state = GroupState::Stable;
        }
        if let Some(m) = self.members.get_mut(member_id) {
            m.last_seen = now;
            m.awaiting = true;
        }
        Ok(())
    }

    /// `member_id`'s assignment once the leader has synced. A member whose
    /// leader does not sync within the member's session timeout gets
    /// REBALANCE_IN_PROGRESS and the group rebalances.
    pub fn poll_sync(
        &mut self,
        member_id: &str,
        generation: i32,
        since: Instant,
        now: Instant,
    ) -> Poll<Bytes> {
        let state = self.state;
        let current = self.generation;
        let Some(m) = self.members.get_mut(member_id) else {
            return Poll::Failed(RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID);
        };
        if generation != current || state == GroupState::PreparingRebalance {
            m.awaiting = false;
            return Poll::Failed(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS);
        }
        if state == GroupState::Stable {
            m.awaiting = false;
            m.last_seen = now;
            return Poll::Ready(m.assignment.clone().unwrap_or_default());
        }
        let deadline = since + m.session_timeout;
        if now < deadline {
            return Poll::Wait(deadline);
        }
        m.awaiting = false;
        // The leader is gone: a new round gives the others a new leader.
        if let Some(leader) = self.leader.take() {
            self.members.remove(&leader);
        }
        self.start_rebalance(now, false);
        Poll::Failed(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS)
    }

    pub fn heartbeat(
        &mut self,
        member_id: &str,
        instance_id: Option<&str>,
        generation: i32,
        now: Instant,
    ) -> ErrorCode {
        self.expire(now);
        if let Some(m) = self.members.get_mut(member_id) {
            m.last_seen = now;
        }
        if self.state == GroupState::PreparingRebalance && self.members.contains_key(member_id) {
            return RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS;
        }
        match self.check_member(member_id, instance_id, generation) {
            Ok(()) => RD_KAFKA_RESP_ERR_NO_ERROR,
            Err(e) => e,
        }
    }

    /// Removes a member (by id, or by instance id when `member_id` is empty).
    pub fn leave(&mut self, member_id: &str, instance_id: Option<&str>, now: Instant) -> ErrorCode {
        let id = if member_id.is_empty() {
            instance_id.and_then(|iid| {
                self.members
                    .iter()
                    .find(|(_, m)| m.instance_id.as_deref() == Some(iid))
                    .map(|(id, _)| id.clone())
            })
        } else {
            Some(member_id.to_string())
        };
        let Some(m) = id.and_then(|id| self.members.remove(&id)) else {
            return RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID;
        };
        if instance_id.is_some() && m.instance_id.as_deref() != instance_id {
            return RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID;
        }
        self.after_removal(now);
        RD_KAFKA_RESP_ERR_NO_ERROR
    }

    fn after_removal(&mut self, now: Instant) {
        if self.members.is_empty() {
            self.state = GroupState::Empty;
            self.leader = None;
        } else if self.state != GroupState::PreparingRebalance {
            self.start_rebalance(now, false);
        }
    }

    /// Removes members whose session expired (not those blocked in a
    /// Join/SyncGroup request), rebalancing the rest.
    pub fn expire(&mut self, now: Instant) {
        let before = self.members.len();
        self.members
            .retain(|_, m| m.awaiting || now < m.last_seen + m.session_timeout);
        if self.members.len() != before {
            self.after_removal(now);
        }
    }

    /// The state's name as Kafka reports it (ListGroups, DescribeGroups).
    pub fn state_name(&self) -> &'static str {
        match self.state {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
        }
    }

    /// The members as DescribeGroups shows them. As in Kafka, metadata (for
    /// the chosen protocol) and assignments are filled only while Stable.
    pub fn describe_members(&self) -> Vec<MemberDescription> {
        let stable = self.state == GroupState::Stable;
        let protocol = self.protocol_name.as_deref().unwrap_or_default();
        let mut ordered: Vec<(&String, &Member)> = self.members.iter().collect();
        ordered.sort_by_key(|(_, m)| m.seq);
        ordered
            .into_iter()
            .map(|(id, m)| MemberDescription {
                member_id: id.clone(),
                instance_id: m.instance_id.clone(),
                client_id: m.client_id.clone(),
                client_host: m.client_host.clone(),
                metadata: if stable {
                    m.protocols
                        .iter()
                        .find(|(n, _)| n == protocol)
                        .map(|(_, b)| b.clone())
                        .unwrap_or_default()
                } else {
                    Bytes::new()
                },
                assignment: if stable {
                    m.assignment.clone().unwrap_or_default()
                } else {
                    Bytes::new()
                },
            })
            .collect()
    }

    /// Every member's metadata for the protocol the group uses (or, before
    /// one is chosen, the member's first): a consumer group's subscriptions.
    pub fn member_metadata(&self) -> Vec<Bytes> {
        let chosen = self.protocol_name.as_deref();
        self.members
            .values()
            .filter_map(|m| match chosen {
                Some(p) => m.protocols.iter().find(|(n, _)| n == p),
                None => m.protocols.first(),
            })
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// OffsetCommit's membership check. Generation -1 is a commit from
    /// outside the group (`assign()` users, the Admin API), accepted as Kafka
    /// does while the group has no members; with members it must come from
    /// one of them (UNKNOWN_MEMBER_ID otherwise).
    pub fn check_commit(
        &mut self,
        member_id: &str,
        instance_id: Option<&str>,
        generation: i32,
        now: Instant,
    ) -> Result<(), ErrorCode> {
        self.expire(now);
        if generation < 0 && self.members.is_empty() {
            return Ok(());
        }
        if let Some(m) = self.members.get_mut(member_id) {
            m.last_seen = now;
        }
        if self.state == GroupState::PreparingRebalance && self.members.contains_key(member_id) {
            return Err(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS);
        }
        self.check_member(member_id, instance_id, generation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(member_id: &str, protocols: &[&str]) -> JoinParams {
        JoinParams {
            member_id: member_id.into(),
            instance_id: None,
            client_id: "c".into(),
            client_host: "/127.0.0.1".into(),
            session_timeout: Duration::from_secs(10),
            rebalance_timeout: Duration::from_secs(20),
            protocol_type: "consumer".into(),
            protocols: protocols
                .iter()
                .map(|p| (p.to_string(), Bytes::from(p.to_string())))
                .collect(),
        }
    }

    fn ready<T: std::fmt::Debug>(p: Poll<T>) -> T {
        match p {
            Poll::Ready(t) => t,
            other => panic!("expected Ready, got {other:?}"),
        }
    }

    #[test]
    fn two_members_one_generation() {
        let t0 = Instant::now();
        let mut g = Group::new(t0);
        let a = g.join(params("", &["range", "roundrobin"]), t0).unwrap();
        // The initial delay holds the round open for a second member.
        assert!(matches!(g.poll_join(&a, t0), Poll::Wait(_)));
        let b = g.join(params("", &["roundrobin"]), t0).unwrap();
        let later = t0 + INITIAL_REBALANCE_DELAY;
        let ra = ready(g.poll_join(&a, later));
        let rb = ready(g.poll_join(&b, later));
        assert_eq!(ra.generation, 1);
        assert_eq!(ra.protocol_name, "roundrobin");
        assert_eq!(ra.leader, a);
        assert_eq!(ra.members.len(), 2);
        assert_eq!(ra.members[1].2, Bytes::from("roundrobin"));
        assert!(rb.members.is_empty());
        assert_eq!(g.state(), GroupState::CompletingRebalance);

        // The follower waits for the leader's assignments.
        g.sync(&b, None, 1, vec![], later).unwrap();
        assert!(matches!(g.poll_sync(&b, 1, later, later), Poll::Wait(_)));
        g.sync(&a, None, 1, vec![(b.clone(), Bytes::from("B"))], later)
            .unwrap();
        assert_eq!(ready(g.poll_sync(&b, 1, later, later)), Bytes::from("B"));
        assert_eq!(ready(g.poll_sync(&a, 1, later, later)), Bytes::new());
        assert_eq!(g.state(), GroupState::Stable);
        assert_eq!(g.heartbeat(&a, None, 1, later), RD_KAFKA_RESP_ERR_NO_ERROR);
        assert_eq!(
            g.heartbeat(&a, None, 0, later),
            RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION
        );
        assert_eq!(
            g.heartbeat("nobody", None, 1, later),
            RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID
        );

        // A leaving member triggers a rebalance the other learns about.
        assert_eq!(g.leave(&b, None, later), RD_KAFKA_RESP_ERR_NO_ERROR);
        assert_eq!(
            g.heartbeat(&a, None, 1, later),
            RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS
        );
        g.join(params(&a, &["range"]), later).unwrap();
        let ra = ready(g.poll_join(&a, later));
        assert_eq!((ra.generation, ra.protocol_name.as_str()), (2, "range"));
    }

    #[test]
    fn inconsistent_protocols_and_unknown_members() {
        let t0 = Instant::now();
        let mut g = Group::new(t0);
        let a = g.join(params("", &["range"]), t0).unwrap();
        assert_eq!(
            g.join(params("", &["roundrobin"]), t0),
            Err(RD_KAFKA_RESP_ERR_INCONSISTENT_GROUP_PROTOCOL)
        );
        assert_eq!(
            g.join(params("ghost", &["range"]), t0),
            Err(RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID)
        );
        assert!(g.join(params(&a, &["range"]), t0).is_ok());
    }

    #[test]
    fn rebalance_timeout_drops_members_that_do_not_rejoin() {
        let t0 = Instant::now();
        let mut g = Group::new(t0);
        let a = g.join(params("", &["range"]), t0).unwrap();
        let b = g.join(params("", &["range"]), t0).unwrap();
        let t1 = t0 + INITIAL_REBALANCE_DELAY;
        ready(g.poll_join(&a, t1));
        ready(g.poll_join(&b, t1));
        g.sync(&a, None, 1, vec![], t1).unwrap();
        // a rejoins; b never does.
        g.join(params(&a, &["range"]), t1).unwrap();
        assert!(matches!(g.poll_join(&a, t1), Poll::Wait(_)));
        let r = ready(g.poll_join(&a, t1 + Duration::from_secs(21)));
        assert_eq!((r.generation, r.members.len()), (2, 1));
        assert_eq!(g.member_count(), 1);
    }

    #[test]
    fn a_crashed_member_ends_the_join_round_when_its_session_ends() {
        let t0 = Instant::now();
        let mut g = Group::new(t0);
        let a = g.join(params("", &["range"]), t0).unwrap();
        let b = g.join(params("", &["range"]), t0).unwrap();
        let t1 = t0 + INITIAL_REBALANCE_DELAY;
        ready(g.poll_join(&a, t1));
        ready(g.poll_join(&b, t1));
        // b crashes; a new member c joins and waits for b, whose 10 s
        // session ends long before the 20 s rebalance timeout.
        let c = g.join(params("", &["range"]), t1).unwrap();
        let b_session_end = t1 + Duration::from_secs(10);
        assert!(matches!(g.poll_join(&c, t1), Poll::Wait(until) if until == b_session_end));
        g.join(params(&a, &["range"]), t1).unwrap();
        let r = ready(g.poll_join(&c, b_session_end));
        assert_eq!((r.generation, g.member_count()), (2, 2));
    }

    #[test]
    fn sessions_expire_and_static_members_are_fenced() {
        let t0 = Instant::now();
        let mut g = Group::new(t0);
        let mut p = params("", &["range"]);
        p.instance_id = Some("i1".into());
        let a = g.join(p.clone(), t0).unwrap();
        let t1 = t0 + INITIAL_REBALANCE_DELAY;
        ready(g.poll_join(&a, t1));
        // Rejoining with the instance id and no member id finds the member.
        assert_eq!(g.join(p.clone(), t1), Ok(a.clone()));
        p.member_id = "other".into();
        assert_eq!(g.join(p, t1), Err(RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID));
        ready(g.poll_join(&a, t1));
        g.sync(&a, Some("i1"), 2, vec![], t1).unwrap();
        ready(g.poll_sync(&a, 2, t1, t1));
        assert_eq!(
            g.heartbeat(&a, Some("i2"), 2, t1),
            RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID
        );
        g.expire(t1 + Duration::from_secs(11));
        assert_eq!(g.member_count(), 0);
        assert_eq!(g.state(), GroupState::Empty);
    }

    #[test]
    fn commits_check_generation() {
        let t0 = Instant::now();
        let mut g = Group::new(t0);
        assert_eq!(g.check_commit("", None, -1, t0), Ok(()));
        let a = g.join(params("", &["range"]), t0).unwrap();
        let t1 = t0 + INITIAL_REBALANCE_DELAY;
        ready(g.poll_join(&a, t1));
        assert_eq!(g.check_commit(&a, None, 1, t1), Ok(()));
        assert_eq!(
            g.check_commit(&a, None, 7, t1),
            Err(RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION)
        );
        // From outside a group that has members: refused, as Kafka does.
        assert_eq!(
            g.check_commit("", None, -1, t1),
            Err(RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID)
        );
    }

    #[test]
    fn members_are_described_with_assignments_once_stable() {
        let t0 = Instant::now();
        let mut g = Group::new(t0);
        let a = g.join(params("", &["range", "roundrobin"]), t0).unwrap();
        assert_eq!(g.state_name(), "PreparingRebalance");
        let d = g.describe_members();
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].client_id.as_str(), d[0].client_host.as_str()),
            ("c", "/127.0.0.1")
        );
        assert!(d[0].metadata.is_empty() && d[0].assignment.is_empty());
        assert_eq!(g.member_metadata(), vec![Bytes::from("range")]);
        let t1 = t0 + INITIAL_REBALANCE_DELAY;
        ready(g.poll_join(&a, t1));
        g.sync(&a, None, 1, vec![(a.clone(), Bytes::from("A"))], t1)
            .unwrap();
        assert_eq!(g.state_name(), "Stable");
        let d = g.describe_members();
        assert_eq!(d[0].metadata, Bytes::from("range"));
        assert_eq!(d[0].assignment, Bytes::from("A"));
    }
}
