//! The `cooperative-sticky` assignor (KIP-54 stickiness, KIP-429 incremental
//! hand-over), as librdkafka and Java's CooperativeStickyAssignor define it:
//!
//! 1. Each partition's current owner is the member claiming it with the
//!    highest generation; a tie between two members in the same generation
//!    leaves it ownerless, as does a claim on a partition that no longer
//!    exists or whose topic the member dropped.
//! 2. Owners keep their partitions; the others go, fewest candidate members
//!    first, to the least loaded member subscribed to their topic.
//! 3. Partitions move from the most to the least loaded members (along a
//!    chain of members when subscriptions differ) until no move narrows the
//!    spread; partitions placed in step 2 move before owned ones.
//! 4. A partition still owned by another member is withheld from its new
//!    owner until the next rebalance ([`super::withhold_transferring`]).
//!
//! The exact partition chosen in a tie is our own (librdkafka's depends on
//! its hash maps, Java's differs from it), which the protocol allows: the
//! leader alone decides, and members only ever see the result.

use super::{
    add_partition, eligible_topics, empty_assignment, sorted_members, withhold_transferring,
    Assignment, Assignor, GroupMember, RebalanceProtocol,
};
use crate::protocol::messages::consumer_protocol::{
    put_topic_partitions, read_topic_partitions, TopicPartitions,
};
use crate::protocol::Reader;
use bytes::{BufMut, Bytes, BytesMut};
use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

pub struct CooperativeStickyAssignor;

impl Assignor for CooperativeStickyAssignor {
    fn name(&self) -> &'static str {
        "cooperative-sticky"
    }

    fn protocol(&self) -> RebalanceProtocol {
        RebalanceProtocol::Cooperative
    }

    fn assign(&self, members: &[GroupMember], partitions: &HashMap<String, i32>) -> Assignment {
        let mut assignment = target(members, partitions);
        withhold_transferring(members, &mut assignment);
        assignment
    }

    /// librdkafka's layout (that of Java's eager StickyAssignor v1): the
    /// previous assignment and its generation; none before the first one.
    fn member_user_data(&self, owned: &[(String, Vec<i32>)], generation: i32) -> Option<Bytes> {
        if generation < 0 && owned.iter().all(|(_, parts)| parts.is_empty()) {
            return None;
        }
        StickyUserData {
            previous: owned.to_vec(),
            generation: Some(generation),
        }
        .encode()
    }
}

/// The user data sticky assignors put in JoinGroup metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StickyUserData {
    /// The member's assignment from the previous rebalance.
    pub previous: Vec<(String, Vec<i32>)>,
    /// Absent in the v0 layout.
    pub generation: Option<i32>,
}

impl StickyUserData {
    /// None only for a topic name too long for the wire.
    pub fn encode(&self) -> Option<Bytes> {
        let tps: Vec<TopicPartitions> = self
            .previous
            .iter()
            .map(|(topic, partitions)| TopicPartitions {
                topic: topic.clone(),
                partitions: partitions.clone(),
            })
            .collect();
        let mut out = BytesMut::new();
        put_topic_partitions(&mut out, &tps).ok()?;
        if let Some(generation) = self.generation {
            out.put_i32(generation);
        }
        Some(out.freeze())
    }
}

/// Reads any sticky user data a peer may send: Java's CooperativeStickyAssignor
/// sends only the generation (4 bytes); librdkafka and Java's StickyAssignor
/// send the previous assignment, then (v1) the generation. None when the
/// bytes are neither (e.g. another assignor's user data).
pub fn decode_user_data(data: &Bytes) -> Option<StickyUserData> {
    let mut r = Reader::from_bytes(data);
    if data.len() == 4 {
        return Some(StickyUserData {
            previous: Vec::new(),
            generation: Some(r.read_i32().ok()?),
        });
    }
    let previous = read_topic_partitions(&mut r)
        .ok()?
        .into_iter()
        .map(|tp| (tp.topic, tp.partitions))
        .collect();
    let generation = match r.remaining() {
        0 => None,
        4 => Some(r.read_i32().ok()?),
        _ => return None,
    };
    Some(StickyUserData {
        previous,
        generation,
    })
}

#[derive(Clone, Copy)]
struct Claim {
    generation: i32,
    member: usize,
    /// Claimed by two members in the same generation: nobody owns it.
    contested: bool,
}

/// The partitions of the eligible topics, numbered topic by topic (topics by
/// name) so that a number's order is (topic, partition) order.
struct PartitionSpace<'a> {
    topics: Vec<(&'a str, i32)>,
    /// First number of each topic.
    base: Vec<usize>,
    topic_of: Vec<usize>,
    index: HashMap<&'a str, usize>,
}

impl<'a> PartitionSpace<'a> {
    fn new(members: &[GroupMember], partitions: &'a HashMap<String, i32>) -> Self {
        let topics: Vec<(&str, i32)> = eligible_topics(members, partitions).into_iter().collect();
        let mut base = Vec::with_capacity(topics.len());
        let mut topic_of = Vec::new();
        for (t, &(_, count)) in topics.iter().enumerate() {
            base.push(topic_of.len());
            topic_of.extend(std::iter::repeat(t).take(count as usize));
        }
        let index = topics
            .iter()
            .enumerate()
            .map(|(t, (name, _))| (*name, t))
            .collect();
        PartitionSpace {
            topics,
            base,
            topic_of,
            index,
        }
    }

    fn number(&self, topic: &str, partition: i32) -> Option<usize> {
        let &t = self.index.get(topic)?;
        (partition >= 0 && partition < self.topics[t].1).then(|| self.base[t] + partition as usize)
    }

    fn name(&self, number: usize) -> (&'a str, i32) {
        let t = self.topic_of[number];
        (self.topics[t].0, (number - self.base[t]) as i32)
    }
}

/// The balanced, sticky assignment before the cooperative hand-over rule.
fn target(members: &[GroupMember], partitions: &HashMap<String, i32>) -> Assignment {
    let sorted = sorted_members(members);
    let space = PartitionSpace::new(members, partitions);
    let total = space.topic_of.len();
    let subscribers: Vec<Vec<usize>> = space
        .topics
        .iter()
        .map(|(topic, _)| {
            (0..sorted.len())
                .filter(|&m| sorted[m].subscribes(topic))
                .collect()
        })
        .collect();

    let mut claims: Vec<Option<Claim>> = vec![None; total];
    for (m, member) in sorted.iter().enumerate() {
        let generation = member.effective_generation();
        let mut seen = HashSet::new();
        for (topic, parts) in member.claimed() {
            if !member.subscribes(&topic) {
                continue;
            }
            for p in parts {
                let Some(number) = space.number(&topic, p) else {
                    continue;
                };
                if !seen.insert(number) {
                    continue;
                }
                let claim = &mut claims[number];
                match claim {
                    Some(c) if c.generation > generation => {}
                    Some(c) if c.generation == generation => c.contested = true,
                    _ => {
                        *claim = Some(Claim {
                            generation,
                            member: m,
                            contested: false,
                        })
                    }
                }
            }
        }
    }

    let mut held: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); sorted.len()];
    let mut kept = vec![false; total];
    let mut free = Vec::new();
    for (number, claim) in claims.iter().enumerate() {
        match claim {
            Some(c) if !c.contested => {
                held[c.member].insert(number);
                kept[number] = true;
            }
            _ => free.push(number),
        }
    }
    free.sort_by_key(|&n| (subscribers[space.topic_of[n]].len(), n));
    for number in free {
        let candidates = &subscribers[space.topic_of[number]];
        if let Some(&m) = candidates.iter().min_by_key(|&&m| (held[m].len(), m)) {
            held[m].insert(number);
        }
    }

    balance(&mut held, &subscribers, &space.topic_of, &mut kept);

    let mut assignment = empty_assignment(members);
    for (m, numbers) in held.iter().enumerate() {
        for &number in numbers {
            let (topic, p) = space.name(number);
            add_partition(&mut assignment, &sorted[m].member_id, topic, p);
        }
    }
    assignment
}

/// Moves partitions from loaded to underloaded members until no chain of
/// moves can make a member with `n` partitions give one to a member with at
/// most `n - 2`. Each round lowers the sum of squared loads, so this ends.
fn balance(
    held: &mut [BTreeSet<usize>],
    subscribers: &[Vec<usize>],
    topic_of: &[usize],
    kept: &mut [bool],
) {
    loop {
        let mut sources: Vec<usize> = (0..held.len()).collect();
        sources.sort_by_key(|&m| (Reverse(held[m].len()), m));
        let chain = sources
            .into_iter()
            .take_while(|&s| held[s].len() >= 2)
            .find_map(|s| find_chain(s, held, subscribers, topic_of, kept));
        let Some(chain) = chain else {
            return;
        };
        for (from, to, number) in chain {
            held[from].remove(&number);
            held[to].insert(number);
            kept[number] = false;
        }
    }
}

/// A shortest chain of single-partition moves from `source` to the least
/// loaded member reachable that has at least two partitions fewer; every
/// member in between gives one and gets one. Each move is (from, to, partition).
fn find_chain(
    source: usize,
    held: &[BTreeSet<usize>],
    subscribers: &[Vec<usize>],
    topic_of: &[usize],
    kept: &[bool],
) -> Option<Vec<(usize, usize, usize)>> {
    let limit = held[source].len().checked_sub(2)?;
    let mut reached_by: Vec<Option<(usize, usize)>> = vec![None; held.len()];
    let mut visited = vec![false; held.len()];
    visited[source] = true;
    let mut queue = VecDeque::from([source]);
    let mut best: Option<usize> = None;
    while let Some(x) = queue.pop_front() {
        // Partitions placed this round go first: moving them revokes nothing.
        let mut givable: Vec<usize> = held[x].iter().copied().collect();
        givable.sort_by_key(|&n| (kept[n], n));
        for number in givable {
            for &y in &subscribers[topic_of[number]] {
                if visited[y] {
                    continue;
                }
                visited[y] = true;
                reached_by[y] = Some((x, number));
                queue.push_back(y);
                let load = held[y].len();
                if load <= limit && best.map_or(true, |b| load < held[b].len()) {
                    best = Some(y);
                }
            }
        }
    }
    let mut chain = Vec::new();
    let mut at = best?;
    while let Some((from, number)) = reached_by[at] {
        chain.push((from, at, number));
        at = from;
    }
    Some(chain)
}
