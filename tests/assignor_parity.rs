//! Our `range` and `roundrobin` assignors against librdkafka's: a group of
//! Debian librdkafka consumers (`tests/peers/group_assign.c`) settles on the
//! librdkafka mock cluster; we then assign the same members (with the member
//! ids the coordinator gave them) ourselves and must get the same result.
//!
//! Static members cannot be compared here: the mock coordinator drops
//! group.instance.id from its JoinGroup response, so librdkafka's leader
//! sees every member as dynamic. Their order is covered by unit tests.

mod support;

use ferrokafka::client::assignor::{by_name, Assignment, GroupMember};
use std::collections::{BTreeMap, HashMap};
use std::process::Command;
use std::time::Duration;
use support::*;

/// (instance id or "-", subscribed topics) per member.
type Spec<'a> = &'a [(&'a str, &'a [&'a str])];

/// Runs the group with librdkafka and returns its members and assignment.
fn librdkafka_assignment(
    cluster: &MockCluster,
    strategy: &str,
    group: &str,
    spec: Spec,
) -> (Vec<GroupMember>, Assignment) {
    let src = peers_dir().join("group_assign.c");
    let exe = build_c("group_assign", &[&src], Against::Librdkafka, &[]);
    let mut cmd = Command::new(exe);
    cmd.args([cluster.bootstrap.as_str(), strategy, group]);
    for (instance, topics) in spec {
        cmd.arg(format!("{instance}/{}", topics.join(",")));
    }
    let done = run_with_timeout(&mut cmd, None, Duration::from_secs(120));
    assert!(done.success(), "group_assign failed:\n{}", done.describe());

    let mut members = Vec::new();
    let mut assignment = Assignment::new();
    let stdout = done.stdout_str();
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("MEMBER "))
        .collect();
    assert_eq!(lines.len(), spec.len(), "{}", done.describe());
    for (line, (instance, topics)) in lines.iter().zip(spec) {
        let mut fields = line.splitn(4, ' ').skip(1);
        let member_id = fields.next().unwrap_or_default().to_string();
        assert_eq!(fields.next(), Some(*instance));
        let mut parts: BTreeMap<String, Vec<i32>> = BTreeMap::new();
        for tp in fields
            .next()
            .unwrap_or_default()
            .split(',')
            .filter(|s| !s.is_empty())
        {
            let (topic, p) = tp.rsplit_once(':').expect("topic:partition");
            parts
                .entry(topic.to_string())
                .or_default()
                .push(p.parse().expect("partition number"));
        }
        parts.values_mut().for_each(|p| p.sort_unstable());
        assignment.insert(member_id.clone(), parts);
        members.push(GroupMember {
            member_id,
            group_instance_id: (*instance != "-").then(|| instance.to_string()),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            owned: Vec::new(),
            generation: -1,
            rack_id: None,
            user_data: None,
        });
    }
    (members, assignment)
}

fn check(strategy: &str, group: &str, topics: &[(&str, i32)], spec: Spec) {
    let cluster = MockCluster::start(1);
    for (topic, count) in topics {
        cluster.create_topic(topic, *count, 1);
    }
    let (members, theirs) = librdkafka_assignment(&cluster, strategy, group, spec);
    let partitions: HashMap<String, i32> =
        topics.iter().map(|(t, n)| (t.to_string(), *n)).collect();
    let ours = by_name(strategy)
        .expect("built-in assignor")
        .assign(&members, &partitions);
    assert_eq!(
        ours, theirs,
        "{strategy}: ours vs librdkafka's for {members:?}"
    );
}

const TOPICS: &[(&str, i32)] = &[("pa", 5), ("pb", 3), ("pc", 2)];
const MIXED: Spec = &[
    ("-", &["pa", "pb", "pc"]),
    ("-", &["pa"]),
    ("-", &["pb", "pa", "pc"]),
    ("-", &["pc"]),
];

#[test]
fn range_matches_librdkafka() {
    check("range", "parity-range", TOPICS, MIXED);
}

#[test]
fn roundrobin_matches_librdkafka() {
    check("roundrobin", "parity-rr", TOPICS, MIXED);
}
