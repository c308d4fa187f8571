//! Consumer group partition assignors (`partition.assignment.strategy`).
//!
//! The group leader runs one of these over every member's JoinGroup
//! metadata and sends the result out in SyncGroup. Members of one group may
//! be librdkafka or Java clients, so each assignor must produce the very
//! assignment those clients would for the same input: `range` and
//! `roundrobin` are deterministic functions of the sorted members and
//! topics; `cooperative-sticky` guarantees the same contract (balance,
//! stickiness, incremental hand-over) as theirs.
//!
//! Pure logic: no I/O, no locks, no panics on any input.

mod range;
mod roundrobin;
mod sticky;

pub use range::RangeAssignor;
pub use roundrobin::RoundRobinAssignor;
pub use sticky::{decode_user_data, CooperativeStickyAssignor, StickyUserData};

use crate::protocol::messages::consumer_protocol::MemberMetadata;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

/// How a rebalance hands partitions over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RebalanceProtocol {
    /// Every member revokes everything before the new assignment.
    Eager,
    /// Members keep what they retain; moved partitions take two rebalances.
    Cooperative,
}

impl RebalanceProtocol {
    /// The name `rd_kafka_rebalance_protocol()` reports.
    pub fn as_str(self) -> &'static str {
        match self {
            RebalanceProtocol::Eager => "EAGER",
            RebalanceProtocol::Cooperative => "COOPERATIVE",
        }
    }
}

/// One member of the group as the leader sees it in the JoinGroup response.
#[derive(Debug, Clone)]
pub struct GroupMember {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    /// Subscription: exact topic names (patterns already expanded).
    pub topics: Vec<String>,
    /// Owned partitions (consumer protocol v1+).
    pub owned: Vec<(String, Vec<i32>)>,
    /// From user data or consumer protocol v2+; -1 when unknown.
    pub generation: i32,
    pub rack_id: Option<String>,
    pub user_data: Option<bytes::Bytes>,
}

impl GroupMember {
    /// A member from its decoded JoinGroup metadata. Metadata older than v2
    /// carries no generation; the sticky user data then supplies it.
    pub fn from_metadata(
        member_id: &str,
        group_instance_id: Option<&str>,
        metadata: &MemberMetadata,
    ) -> GroupMember {
        let mut member = GroupMember {
            member_id: member_id.to_string(),
            group_instance_id: group_instance_id.map(str::to_string),
            topics: metadata.topics.clone(),
            owned: metadata
                .owned_partitions
                .iter()
                .map(|tp| (tp.topic.clone(), tp.partitions.clone()))
                .collect(),
            generation: metadata.generation_id,
            rack_id: metadata.rack_id.clone(),
            user_data: metadata.user_data.clone(),
        };
        member.generation = member.effective_generation();
        member
    }

    pub fn subscribes(&self, topic: &str) -> bool {
        self.topics.iter().any(|t| t == topic)
    }

    /// What the member held going into this rebalance: its owned partitions,
    /// or, from clients that only report them in the sticky user data
    /// (consumer protocol v0), those.
    pub fn claimed(&self) -> Vec<(String, Vec<i32>)> {
        if self.owned.iter().any(|(_, parts)| !parts.is_empty()) {
            return self.owned.clone();
        }
        self.user_data
            .as_ref()
            .and_then(decode_user_data)
            .map(|ud| ud.previous)
            .unwrap_or_default()
    }

    /// The member's generation, completed from sticky user data if needed.
    pub fn effective_generation(&self) -> i32 {
        if self.generation >= 0 {
            return self.generation;
        }
        self.user_data
            .as_ref()
            .and_then(decode_user_data)
            .and_then(|ud| ud.generation)
            .unwrap_or(-1)
    }
}

/// Member id -> topic -> partitions. BTreeMaps so results are deterministic.
pub type Assignment = BTreeMap<String, BTreeMap<String, Vec<i32>>>;

pub trait Assignor: Send + Sync {
    /// The protocol name in JoinGroup and `partition.assignment.strategy`.
    fn name(&self) -> &'static str;
    fn protocol(&self) -> RebalanceProtocol;
    /// `partitions`: topic -> partition count, for every topic any member
    /// subscribes to that exists. Every member gets an entry, possibly empty.
    fn assign(&self, members: &[GroupMember], partitions: &HashMap<String, i32>) -> Assignment;
    /// User data this member puts in its JoinGroup metadata (sticky
    /// assignors); None otherwise.
    fn member_user_data(
        &self,
        _owned: &[(String, Vec<i32>)],
        _generation: i32,
    ) -> Option<bytes::Bytes> {
        None
    }
}

/// The built-in assignor called `name` (exact, case-sensitive as in librdkafka).
pub fn by_name(name: &str) -> Option<Box<dyn Assignor>> {
    match name {
        "range" => Some(Box::new(RangeAssignor)),
        "roundrobin" => Some(Box::new(RoundRobinAssignor)),
        "cooperative-sticky" => Some(Box::new(CooperativeStickyAssignor)),
        _ => None,
    }
}

/// Splits a `partition.assignment.strategy` value the way librdkafka does:
/// comma-separated, surrounding whitespace ignored, empty items and repeats
/// dropped (a repeat keeps its first position, which is its priority).
pub fn strategy_names(value: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for item in value.split(',') {
        let item = item.trim();
        if !item.is_empty() && !names.iter().any(|n| n == item) {
            names.push(item.to_string());
        }
    }
    names
}

/// librdkafka's rule: which rebalance protocol a list of configured assignors
/// implies (all cooperative -> Cooperative; all eager -> Eager; mixing is
/// rejected at config time, as are unknown names and an empty list).
pub fn protocol_of(names: &[String]) -> Result<RebalanceProtocol, String> {
    let mut protocol = None;
    for name in names {
        let assignor = by_name(name)
            .ok_or_else(|| format!("Unsupported partition.assignment.strategy: {name}"))?;
        match protocol {
            None => protocol = Some(assignor.protocol()),
            Some(p) if p != assignor.protocol() => {
                return Err(format!(
                    "All partition.assignment.strategy ({}) assignors must have the same \
                     protocol type, online migration between assignors with different \
                     protocol types is not supported",
                    names.join(",")
                ))
            }
            Some(_) => {}
        }
    }
    protocol.ok_or_else(|| "partition.assignment.strategy lists no assignor".to_string())
}

/// The order Java's assignors sort members in: static members first, by
/// group.instance.id, then dynamic ones by member id. librdkafka compares
/// instance ids only when both members have one, which agrees with this
/// whenever the group is all-static or all-dynamic and is not a consistent
/// order otherwise; a total order also keeps `sort_by` panic-free.
pub(crate) fn member_order(a: &GroupMember, b: &GroupMember) -> Ordering {
    match (&a.group_instance_id, &b.group_instance_id) {
        (Some(x), Some(y)) => x.cmp(y).then_with(|| a.member_id.cmp(&b.member_id)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.member_id.cmp(&b.member_id),
    }
}

pub(crate) fn sorted_members(members: &[GroupMember]) -> Vec<&GroupMember> {
    let mut sorted: Vec<&GroupMember> = members.iter().collect();
    sorted.sort_by(|a, b| member_order(a, b));
    sorted
}

/// Topics that exist and that some member subscribes to, sorted by name,
/// with their partition counts (a negative count counts as none).
pub(crate) fn eligible_topics<'a>(
    members: &[GroupMember],
    partitions: &'a HashMap<String, i32>,
) -> BTreeMap<&'a str, i32> {
    partitions
        .iter()
        .filter(|(topic, _)| members.iter().any(|m| m.subscribes(topic)))
        .map(|(topic, &count)| (topic.as_str(), count.max(0)))
        .collect()
}

/// An assignment with an empty entry per member: the leader answers every
/// member, also those that get nothing.
pub(crate) fn empty_assignment(members: &[GroupMember]) -> Assignment {
    members
        .iter()
        .map(|m| (m.member_id.clone(), BTreeMap::new()))
        .collect()
}

pub(crate) fn add_partition(
    assignment: &mut Assignment,
    member_id: &str,
    topic: &str,
    partition: i32,
) {
    if let Some(topics) = assignment.get_mut(member_id) {
        topics.entry(topic.to_string()).or_default().push(partition);
    }
}

/// The cooperative protocol's hand-over rule: a partition some member still
/// owns may not go to another member in the same rebalance. It is left out
/// (the owner revokes it, as it is not in its assignment, and rejoins), and
/// the following rebalance gives it to its new owner.
pub fn withhold_transferring(members: &[GroupMember], assignment: &mut Assignment) {
    let mut owners: HashMap<String, HashMap<i32, Vec<&str>>> = HashMap::new();
    for member in members {
        for (topic, parts) in member.claimed() {
            for p in parts {
                owners
                    .entry(topic.clone())
                    .or_default()
                    .entry(p)
                    .or_default()
                    .push(member.member_id.as_str());
            }
        }
    }
    for (member_id, topics) in assignment.iter_mut() {
        for (topic, parts) in topics.iter_mut() {
            parts.retain(|&p| match owners.get(topic).and_then(|o| o.get(&p)) {
                None => true,
                Some(claimants) => claimants.iter().any(|c| c == member_id),
            });
        }
        topics.retain(|_, parts| !parts.is_empty());
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    use super::*;

    pub fn member(id: &str, topics: &[&str]) -> GroupMember {
        GroupMember {
            member_id: id.to_string(),
            group_instance_id: None,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            owned: Vec::new(),
            generation: -1,
            rack_id: None,
            user_data: None,
        }
    }

    pub fn counts(list: &[(&str, i32)]) -> HashMap<String, i32> {
        list.iter().map(|(t, n)| (t.to_string(), *n)).collect()
    }

    /// "a:0 a:1 b:2" -> topic -> partitions.
    pub fn parts(spec: &str) -> BTreeMap<String, Vec<i32>> {
        let mut out: BTreeMap<String, Vec<i32>> = BTreeMap::new();
        for item in spec.split_whitespace() {
            let (topic, p) = item.split_once(':').expect("test spec topic:partition");
            out.entry(topic.to_string())
                .or_default()
                .push(p.parse().expect("test spec partition"));
        }
        out
    }

    pub fn expect(pairs: &[(&str, &str)]) -> Assignment {
        pairs
            .iter()
            .map(|(m, spec)| (m.to_string(), parts(spec)))
            .collect()
    }

    /// A member's assignment as an owned-partitions list.
    pub fn as_owned(topics: &BTreeMap<String, Vec<i32>>) -> Vec<(String, Vec<i32>)> {
        topics.iter().map(|(t, p)| (t.clone(), p.clone())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::test_util::*;
    use super::*;
    use crate::protocol::messages::consumer_protocol::TopicPartitions;

    #[test]
    fn names_and_protocols() {
        for (name, protocol) in [
            ("range", RebalanceProtocol::Eager),
            ("roundrobin", RebalanceProtocol::Eager),
            ("cooperative-sticky", RebalanceProtocol::Cooperative),
        ] {
            let a = by_name(name).unwrap();
            assert_eq!((a.name(), a.protocol()), (name, protocol));
        }
        assert!(by_name("sticky").is_none());
        assert!(by_name("Range").is_none());
        assert_eq!(RebalanceProtocol::Eager.as_str(), "EAGER");
        assert_eq!(RebalanceProtocol::Cooperative.as_str(), "COOPERATIVE");
    }

    #[test]
    fn strategy_list_parsing_and_protocol() {
        assert_eq!(
            strategy_names(" range , roundrobin,,range "),
            vec!["range".to_string(), "roundrobin".to_string()]
        );
        let names = strategy_names("range,roundrobin");
        assert_eq!(protocol_of(&names), Ok(RebalanceProtocol::Eager));
        let names = strategy_names("cooperative-sticky");
        assert_eq!(protocol_of(&names), Ok(RebalanceProtocol::Cooperative));
        let err = protocol_of(&strategy_names("cooperative-sticky,range")).unwrap_err();
        assert!(err.contains("must have the same protocol type"), "{err}");
        let err = protocol_of(&strategy_names("range,bogus")).unwrap_err();
        assert_eq!(err, "Unsupported partition.assignment.strategy: bogus");
        assert!(protocol_of(&strategy_names(" , ")).is_err());
    }

    #[test]
    fn member_order_static_first_then_member_id() {
        let mut a = member("m-a", &[]);
        let mut b = member("m-b", &[]);
        let c = member("m-0", &[]);
        a.group_instance_id = Some("z".into());
        b.group_instance_id = Some("y".into());
        let members = vec![a, b, c];
        let ids: Vec<&str> = sorted_members(&members)
            .iter()
            .map(|m| m.member_id.as_str())
            .collect();
        // Static members by instance id (y < z) despite their member ids.
        assert_eq!(ids, ["m-b", "m-a", "m-0"]);
    }

    #[test]
    fn withhold_keeps_own_and_free_partitions() {
        let mut a = member("a", &["t"]);
        a.owned = vec![("t".into(), vec![0, 1])];
        let mut b = member("b", &["t"]);
        b.owned = vec![("t".into(), vec![1])];
        let members = vec![a, b, member("c", &["t"])];
        let mut assignment = expect(&[("a", "t:0"), ("b", "t:1"), ("c", "t:2")]);
        withhold_transferring(&members, &mut assignment);
        // t:1 is claimed by both; b is one of its owners so keeps it; t:2 is free.
        assert_eq!(
            assignment,
            expect(&[("a", "t:0"), ("b", "t:1"), ("c", "t:2")])
        );
        let mut assignment = expect(&[("a", ""), ("b", "t:1"), ("c", "t:0 t:2")]);
        withhold_transferring(&members, &mut assignment);
        assert_eq!(assignment, expect(&[("a", ""), ("b", "t:1"), ("c", "t:2")]));
    }

    #[test]
    fn join_group_metadata_round_trips_into_group_member() {
        let sticky = CooperativeStickyAssignor;
        let owned = vec![("t".to_string(), vec![0, 2]), ("u".to_string(), vec![1])];
        let user_data = sticky.member_user_data(&owned, 7);
        // What librdkafka 2.0.2 sends: consumer protocol v1, generation in user data.
        let metadata = MemberMetadata {
            version: 1,
            topics: vec!["t".into(), "u".into()],
            user_data,
            owned_partitions: owned
                .iter()
                .map(|(topic, partitions)| TopicPartitions {
                    topic: topic.clone(),
                    partitions: partitions.clone(),
                })
                .collect(),
            generation_id: -1,
            rack_id: None,
        };
        let wire = metadata.to_bytes().unwrap();
        let decoded = MemberMetadata::decode(&wire).unwrap();
        let m = GroupMember::from_metadata("m1", Some("inst"), &decoded);
        assert_eq!(m.member_id, "m1");
        assert_eq!(m.group_instance_id.as_deref(), Some("inst"));
        assert_eq!(m.topics, ["t", "u"]);
        assert_eq!(m.owned, owned);
        assert_eq!(m.generation, 7);
        assert_eq!(m.claimed(), owned);

        // Consumer protocol v0 (no owned partitions): the user data's
        // previous assignment stands in for them.
        let v0 = MemberMetadata {
            version: 0,
            owned_partitions: Vec::new(),
            ..decoded.clone()
        };
        let decoded_v0 = MemberMetadata::decode(&v0.to_bytes().unwrap()).unwrap();
        let m0 = GroupMember::from_metadata("m0", None, &decoded_v0);
        assert!(m0.owned.is_empty());
        assert_eq!((m0.claimed(), m0.generation), (owned.clone(), 7));

        // v2+: the metadata's generation wins over the user data's.
        let v3 = MemberMetadata {
            version: 3,
            generation_id: 9,
            rack_id: Some("r1".into()),
            ..decoded
        };
        let m3 = GroupMember::from_metadata(
            "m3",
            None,
            &MemberMetadata::decode(&v3.to_bytes().unwrap()).unwrap(),
        );
        assert_eq!((m3.generation, m3.rack_id.as_deref()), (9, Some("r1")));

        // And the member assignment the leader sends decodes back to it.
        let assignment = sticky.assign(std::slice::from_ref(&m3), &counts(&[("t", 3), ("u", 2)]));
        let blob = crate::protocol::messages::consumer_protocol::MemberAssignment {
            version: 0,
            assigned_partitions: assignment["m3"]
                .iter()
                .map(|(topic, partitions)| TopicPartitions {
                    topic: topic.clone(),
                    partitions: partitions.clone(),
                })
                .collect(),
            user_data: None,
        }
        .to_bytes()
        .unwrap();
        let back =
            crate::protocol::messages::consumer_protocol::MemberAssignment::decode(&blob).unwrap();
        assert_eq!(back.assigned_partitions.len(), 2);
        assert_eq!(back.assigned_partitions[0].partitions, [0, 1, 2]);
    }
}
