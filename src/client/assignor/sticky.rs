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

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;
    use std::collections::BTreeMap;

    fn owning(id: &str, topics: &[&str], owned: &str, generation: i32) -> GroupMember {
        let mut m = member(id, topics);
        m.owned = as_owned(&parts(owned));
        m.generation = generation;
        m
    }

    fn run(members: &[GroupMember], topics: &[(&str, i32)]) -> Assignment {
        CooperativeStickyAssignor.assign(members, &counts(topics))
    }

    /// Every member takes its assignment and joins the next generation.
    fn next_round(members: &[GroupMember], result: &Assignment) -> Vec<GroupMember> {
        members
            .iter()
            .map(|m| {
                let mut next = m.clone();
                next.owned = result.get(&m.member_id).map(as_owned).unwrap_or_default();
                next.generation = m.generation.max(0) + 1;
                next.user_data = None;
                next
            })
            .collect()
    }

    #[test]
    fn fresh_group_is_dealt_evenly() {
        let members = [
            member("c", &["t", "u"]),
            member("a", &["t", "u"]),
            member("b", &["u", "t"]),
        ];
        assert_eq!(
            run(&members, &[("t", 7), ("u", 2)]),
            expect(&[
                ("a", "t:0 t:3 t:6"),
                ("b", "t:1 t:4 u:0"),
                ("c", "t:2 t:5 u:1")
            ])
        );
    }

    #[test]
    fn balanced_ownership_is_kept() {
        let members = [
            owning("a", &["t", "u"], "t:0 t:5 u:1", 5),
            owning("b", &["t", "u"], "t:1 t:3", 5),
            owning("c", &["t", "u"], "t:2 t:4 u:0", 5),
        ];
        assert_eq!(
            run(&members, &[("t", 6), ("u", 2)]),
            expect(&[("a", "t:0 t:5 u:1"), ("b", "t:1 t:3"), ("c", "t:2 t:4 u:0")])
        );
    }

    #[test]
    fn leaving_member_only_its_partitions_move() {
        let members = [
            owning("a", &["t"], "t:0 t:3", 2),
            owning("b", &["t"], "t:1 t:4", 2),
        ];
        // c (t:2 t:5) left: its partitions are free and go out at once.
        let result = run(&members, &[("t", 6)]);
        assert_eq!(result["a"]["t"].len(), 3);
        assert_eq!(result["b"]["t"].len(), 3);
        assert!(result["a"]["t"].starts_with(&[0]) && result["a"]["t"].contains(&3));
        assert!(result["b"]["t"].contains(&1) && result["b"]["t"].contains(&4));
    }

    #[test]
    fn joining_member_gets_moved_partitions_one_rebalance_later() {
        let members = vec![
            owning("a", &["t"], "t:0 t:1 t:2", 3),
            owning("b", &["t"], "t:3 t:4 t:5", 3),
            member("c", &["t"]),
        ];
        let partitions = counts(&[("t", 6)]);
        let goal = target(&members, &partitions);
        assert!(goal.values().all(|tp| tp["t"].len() == 2), "{goal:?}");
        // Exactly one partition leaves a and one leaves b...
        let first = CooperativeStickyAssignor.assign(&members, &partitions);
        assert_eq!(first["a"]["t"].len(), 2);
        assert_eq!(first["b"]["t"].len(), 2);
        assert!(first["a"]["t"].iter().all(|p| *p < 3));
        assert!(first["b"]["t"].iter().all(|p| *p >= 3));
        // ...but c does not get them while a and b still own them.
        assert!(first["c"].is_empty());
        // After a and b revoked them, c gets both, nothing else moves.
        let second = CooperativeStickyAssignor.assign(&next_round(&members, &first), &partitions);
        assert_eq!(second["a"], first["a"]);
        assert_eq!(second["b"], first["b"]);
        assert_eq!(second["c"], goal["c"]);
    }

    #[test]
    fn dropped_topic_is_handed_over_next_rebalance() {
        // a used to subscribe to u too and still owns u:0.
        let members = vec![owning("a", &["t"], "t:0 u:0", 1), member("b", &["u"])];
        let first = run(&members, &[("t", 1), ("u", 1)]);
        assert_eq!(first, expect(&[("a", "t:0"), ("b", "")]));
        let second = run(&next_round(&members, &first), &[("t", 1), ("u", 1)]);
        assert_eq!(second, expect(&[("a", "t:0"), ("b", "u:0")]));
    }

    #[test]
    fn chain_of_moves_when_subscriptions_differ() {
        // z (t only) has 3, x (t and u) has 2, y (u only) has 1: no single
        // move narrows the spread, but z -> x -> y does.
        let members = [
            owning("z", &["t"], "t:0 t:1 t:2", 2),
            owning("x", &["t", "u"], "u:0", 2),
            owning("y", &["u"], "u:2", 2),
        ];
        let partitions = &[("t", 3), ("u", 3)];
        // The free u:1 goes to x (tied with y, first in order); x passes it
        // on rather than its own u:0, so only t:0 waits for z to revoke it.
        assert_eq!(
            target(&members, &counts(partitions)),
            expect(&[("x", "t:0 u:0"), ("y", "u:1 u:2"), ("z", "t:1 t:2")])
        );
        assert_eq!(
            run(&members, partitions),
            expect(&[("x", "u:0"), ("y", "u:1 u:2"), ("z", "t:1 t:2")])
        );
    }

    #[test]
    fn claims_resolved_by_generation() {
        // b's claim on t:0 is from an older generation: a owns it.
        let members = [
            owning("a", &["t"], "t:0 t:1", 5),
            owning("b", &["t"], "t:0 t:2", 4),
        ];
        assert_eq!(
            run(&members, &[("t", 4)]),
            expect(&[("a", "t:0 t:1"), ("b", "t:2 t:3")])
        );
        // Same generation: nobody owns t:0, and it goes to one of its claimants.
        let members = [owning("a", &["t"], "t:0", 5), owning("b", &["t"], "t:0", 5)];
        assert_eq!(
            run(&members, &[("t", 2)]),
            expect(&[("a", "t:0"), ("b", "t:1")])
        );
        // Claims on partitions that no longer exist are ignored.
        let members = [owning("a", &["t"], "t:7 t:1 x:0", 5), member("b", &["t"])];
        assert_eq!(
            run(&members, &[("t", 2)]),
            expect(&[("a", "t:1"), ("b", "t:0")])
        );
    }

    #[test]
    fn ownership_from_user_data_only() {
        // A consumer protocol v0 member reports what it holds in user data.
        let mut a = member("a", &["t"]);
        a.user_data = CooperativeStickyAssignor.member_user_data(&[("t".into(), vec![1, 2])], 4);
        let members = [a, owning("b", &["t"], "t:0", 4)];
        let result = run(&members, &[("t", 4)]);
        assert_eq!(result, expect(&[("a", "t:1 t:2"), ("b", "t:0 t:3")]));
    }

    #[test]
    fn user_data_formats() {
        let assignor = CooperativeStickyAssignor;
        assert_eq!(assignor.member_user_data(&[], -1), None);
        let owned = vec![("t".to_string(), vec![0, 3]), ("u".to_string(), vec![])];
        let data = assignor.member_user_data(&owned, 12).unwrap();
        #[rustfmt::skip]
        assert_eq!(&data[..], &[
            0, 0, 0, 2,
            0, 1, b't', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3,
            0, 1, b'u', 0, 0, 0, 0,
            0, 0, 0, 12,
        ]);
        assert_eq!(
            decode_user_data(&data),
            Some(StickyUserData {
                previous: owned.clone(),
                generation: Some(12)
            })
        );
        // Empty assignment after the first rebalance still reports the generation.
        let empty = assignor.member_user_data(&[], 0).unwrap();
        assert_eq!(&empty[..], &[0, 0, 0, 0, 0, 0, 0, 0]);
        // Java's CooperativeStickyAssignor: the generation alone.
        let java = Bytes::from_static(&[0, 0, 0, 9]);
        assert_eq!(decode_user_data(&java).and_then(|d| d.generation), Some(9));
        // v0 layout: no generation.
        let v0 = data.slice(..data.len() - 4);
        assert_eq!(
            decode_user_data(&v0).map(|d| (d.previous, d.generation)),
            Some((owned, None))
        );
        // Foreign or truncated bytes are not sticky user data.
        for bad in [
            &data[..5],
            &data[..data.len() - 1],
            b"hello world".as_slice(),
        ] {
            assert_eq!(decode_user_data(&Bytes::copy_from_slice(bad)), None);
        }
    }

    #[test]
    fn empty_inputs() {
        assert!(run(&[], &[("t", 3)]).is_empty());
        let members = [owning("a", &["t"], "t:0", 1), member("b", &[])];
        assert_eq!(run(&members, &[]), expect(&[("a", ""), ("b", "")]));
        assert_eq!(run(&members, &[("t", 0)]), expect(&[("a", ""), ("b", "")]));
        assert_eq!(run(&members, &[("t", -2)]), expect(&[("a", ""), ("b", "")]));
    }

    /// SplitMix64: deterministic, so a failing seed can be replayed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }
    }

    struct Group {
        members: Vec<GroupMember>,
        partitions: HashMap<String, i32>,
        identical: bool,
    }

    fn random_group(rng: &mut Rng) -> Group {
        let topic_cnt = 1 + rng.below(4) as usize;
        let mut partitions: HashMap<String, i32> = (0..topic_cnt)
            .map(|t| (format!("t{t}"), rng.below(10) as i32))
            .collect();
        // A topic nobody subscribes to must never be assigned.
        partitions.insert("unsubscribed".into(), 3);
        let names: Vec<String> = (0..topic_cnt).map(|t| format!("t{t}")).collect();
        let identical = rng.below(2) == 0;
        let pick = |rng: &mut Rng| -> Vec<String> {
            let mut topics: Vec<String> = names
                .iter()
                .filter(|_| rng.below(2) == 0)
                .cloned()
                .collect();
            if topics.is_empty() {
                topics.push(names[rng.below(names.len() as u64) as usize].clone());
            }
            if rng.below(4) == 0 {
                topics.push("missing".into());
            }
            topics
        };
        let shared = pick(rng);
        let member_cnt = rng.below(7) as usize;
        let members = (0..member_cnt)
            .map(|i| {
                let topics = if identical { shared.clone() } else { pick(rng) };
                let mut m = member(&format!("m{}", rng.below(1000) * 10 + i as u64), &[]);
                m.topics = topics;
                if rng.below(3) == 0 {
                    m.group_instance_id = Some(format!("i{}", rng.below(5)));
                }
                // Arbitrary claims: overlapping, stale, nonexistent, unsubscribed.
                let mut claims: BTreeMap<String, Vec<i32>> = BTreeMap::new();
                for _ in 0..rng.below(6) {
                    let topic = format!("t{}", rng.below(topic_cnt as u64 + 1));
                    claims.entry(topic).or_default().push(rng.below(11) as i32);
                }
                let claims = as_owned(&claims);
                let generation = rng.below(4) as i32 - 1;
                if rng.below(4) == 0 {
                    m.user_data = CooperativeStickyAssignor.member_user_data(&claims, generation);
                } else {
                    m.owned = claims;
                    m.generation = generation;
                }
                m
            })
            .collect();
        Group {
            members,
            partitions,
            identical,
        }
    }

    type Placement = HashMap<(String, i32), String>;

    /// Checks what holds for every assignment: each partition at most once,
    /// to a member in the group subscribed to its existing topic.
    fn placement(group: &Group, assignment: &Assignment) -> Placement {
        let mut placed = Placement::new();
        assert_eq!(
            assignment.keys().collect::<BTreeSet<_>>(),
            group
                .members
                .iter()
                .map(|m| &m.member_id)
                .collect::<BTreeSet<_>>()
        );
        for (member_id, topics) in assignment {
            let m = group
                .members
                .iter()
                .find(|m| &m.member_id == member_id)
                .unwrap();
            for (topic, parts) in topics {
                assert!(m.subscribes(topic), "{member_id} got unsubscribed {topic}");
                assert!(!parts.is_empty());
                for &p in parts {
                    assert!(
                        p >= 0 && p < group.partitions[topic],
                        "{topic}:{p} does not exist"
                    );
                    let before = placed.insert((topic.clone(), p), member_id.clone());
                    assert_eq!(before, None, "{topic}:{p} assigned twice");
                }
            }
        }
        placed
    }

    fn loads(assignment: &Assignment) -> HashMap<&str, usize> {
        assignment
            .iter()
            .map(|(m, topics)| (m.as_str(), topics.values().map(Vec::len).sum()))
            .collect()
    }

    /// All subscribed partitions placed, and no partition could go to an
    /// eligible member holding two fewer (Java's balance criterion).
    fn assert_complete_and_balanced(group: &Group, assignment: &Assignment) {
        let placed = placement(group, assignment);
        let load = loads(assignment);
        for (topic, &count) in &group.partitions {
            let subscribers: Vec<&GroupMember> = group
                .members
                .iter()
                .filter(|m| m.subscribes(topic))
                .collect();
            for p in 0..count {
                let Some(owner) = placed.get(&(topic.clone(), p)) else {
                    assert!(subscribers.is_empty(), "{topic}:{p} unassigned");
                    continue;
                };
                for other in &subscribers {
                    assert!(
                        load[other.member_id.as_str()] + 1 >= load[owner.as_str()],
                        "{topic}:{p} could move from {owner} to {}: {assignment:?}",
                        other.member_id
                    );
                }
            }
        }
        if group.identical {
            let spread = load.values().max().unwrap_or(&0) - load.values().min().unwrap_or(&0);
            assert!(
                spread <= 1,
                "identical subscriptions, spread {spread}: {assignment:?}"
            );
        }
    }

    #[test]
    fn random_groups_keep_invariants_and_converge() {
        for seed in 0..500 {
            let mut rng = Rng(seed);
            let mut group = random_group(&mut rng);
            let ctx = format!("seed {seed}");
            let mut converged = false;
            for round in 0..4 {
                let goal = target(&group.members, &group.partitions);
                assert_complete_and_balanced(&group, &goal);
                let result = CooperativeStickyAssignor.assign(&group.members, &group.partitions);
                let placed = placement(&group, &result);
                // The result is the goal minus partitions in transit, which
                // are exactly those another member still claims.
                let claimants = |topic: &str, p: i32| -> Vec<&str> {
                    group
                        .members
                        .iter()
                        .filter(|m| {
                            m.claimed()
                                .iter()
                                .any(|(t, ps)| t == topic && ps.contains(&p))
                        })
                        .map(|m| m.member_id.as_str())
                        .collect()
                };
                let goal_placed = placement(&group, &goal);
                for ((topic, p), owner) in &goal_placed {
                    let claimed_by = claimants(topic, *p);
                    let in_transit =
                        !claimed_by.is_empty() && !claimed_by.contains(&owner.as_str());
                    assert_eq!(
                        placed.get(&(topic.clone(), *p)),
                        (!in_transit).then_some(owner),
                        "{ctx}"
                    );
                }
                assert!(placed.len() <= goal_placed.len(), "{ctx}");
                if placed.len() == goal_placed.len() {
                    assert_eq!(result, goal, "{ctx}");
                    // Stable: the same group again changes nothing.
                    let again = next_round(&group.members, &result);
                    let again = Group {
                        members: again,
                        ..group
                    };
                    assert_eq!(
                        CooperativeStickyAssignor.assign(&again.members, &again.partitions),
                        result,
                        "{ctx} round {round}"
                    );
                    converged = true;
                    break;
                }
                group.members = next_round(&group.members, &result);
            }
            assert!(converged, "{ctx}: still handing over after 4 rebalances");
        }
    }

    /// With identical subscriptions, a rebalance revokes no more partitions
    /// than balancing needs: the excess of each member over its fair share,
    /// the largest holders keeping the larger shares.
    #[test]
    fn random_identical_groups_move_the_minimum() {
        for seed in 0..300 {
            let mut rng = Rng(1_000 + seed);
            let topics = ["a", "b", "c"];
            let partitions = counts(&[
                ("a", rng.below(9) as i32),
                ("b", rng.below(9) as i32),
                ("c", 4),
            ]);
            let member_cnt = 1 + rng.below(6) as usize;
            // A valid prior ownership: each partition owned by at most one member.
            let mut owned: Vec<BTreeMap<String, Vec<i32>>> = vec![BTreeMap::new(); member_cnt];
            for (topic, &count) in &partitions {
                for p in 0..count {
                    let holder = rng.below(member_cnt as u64 + 1) as usize;
                    if holder < member_cnt {
                        owned[holder].entry(topic.clone()).or_default().push(p);
                    }
                }
            }
            let members: Vec<GroupMember> = owned
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let mut m = member(&format!("m{i}"), &topics);
                    m.owned = as_owned(o);
                    m.generation = 7;
                    m
                })
                .collect();
            let goal = target(&members, &partitions);
            let total: usize = partitions.values().map(|&c| c as usize).sum();
            let (q, r) = (total / member_cnt, total % member_cnt);
            let mut held: Vec<usize> = owned
                .iter()
                .map(|o| o.values().map(Vec::len).sum())
                .collect();
            held.sort_unstable_by(|a, b| b.cmp(a));
            let minimum: usize = held
                .iter()
                .enumerate()
                .map(|(i, &h)| h.saturating_sub(q + usize::from(i < r)))
                .sum();
            let moved: usize = members
                .iter()
                .map(|m| {
                    m.owned
                        .iter()
                        .flat_map(|(t, ps)| ps.iter().map(move |p| (t, p)))
                        .filter(|(t, p)| !goal[&m.member_id].get(*t).is_some_and(|g| g.contains(p)))
                        .count()
                })
                .sum();
            assert_eq!(moved, minimum, "seed {seed}: {members:?} -> {goal:?}");
        }
    }
}
