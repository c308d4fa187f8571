//! The `roundrobin` assignor: all partitions (topics by name, partitions in
//! order) are dealt out one by one over the sorted members. The dealer's
//! position carries over from one partition to the next and skips members
//! not subscribed to the partition's topic.

use super::{
    add_partition, eligible_topics, empty_assignment, sorted_members, Assignment, Assignor,
    GroupMember, RebalanceProtocol,
};
use std::collections::HashMap;

pub struct RoundRobinAssignor;

impl Assignor for RoundRobinAssignor {
    fn name(&self) -> &'static str {
        "roundrobin"
    }

    fn protocol(&self) -> RebalanceProtocol {
        RebalanceProtocol::Eager
    }

    fn assign(&self, members: &[GroupMember], partitions: &HashMap<String, i32>) -> Assignment {
        let mut assignment = empty_assignment(members);
        let sorted = sorted_members(members);
        let n = sorted.len();
        // Position of the member dealt to last; the first deal goes to member 0.
        let mut last = n.saturating_sub(1);
        for (topic, count) in eligible_topics(members, partitions) {
            for p in 0..count {
                let Some(next) = (1..=n)
                    .map(|step| (last + step) % n)
                    .find(|&i| sorted[i].subscribes(topic))
                else {
                    break;
                };
                add_partition(&mut assignment, &sorted[next].member_id, topic, p);
                last = next;
            }
        }
        assignment
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    fn run(members: &[GroupMember], topics: &[(&str, i32)]) -> Assignment {
        RoundRobinAssignor.assign(members, &counts(topics))
    }

    #[test]
    fn two_members_two_topics() {
        let members = [member("C1", &["t0", "t1"]), member("C0", &["t1", "t0"])];
        assert_eq!(
            run(&members, &[("t0", 3), ("t1", 3)]),
            expect(&[("C0", "t0:0 t0:2 t1:1"), ("C1", "t0:1 t1:0 t1:2")])
        );
    }

    #[test]
    fn symmetrical_four_topics() {
        let members = [
            member("consumer1", &["d", "b", "a", "c"]),
            member("consumer2", &["a", "b", "c", "d"]),
        ];
        assert_eq!(
            run(&members, &[("a", 3), ("b", 4), ("c", 2), ("d", 1)]),
            expect(&[
                ("consumer1", "a:0 a:2 b:1 b:3 c:1"),
                ("consumer2", "a:1 b:0 b:2 c:0 d:0"),
            ])
        );
    }

    #[test]
    fn different_subscriptions() {
        // Dealing skips non-subscribers and continues from the member dealt to.
        let members = [
            member("C0", &["t0"]),
            member("C1", &["t0", "t1"]),
            member("C2", &["t0", "t1", "t2"]),
        ];
        assert_eq!(
            run(&members, &[("t0", 1), ("t1", 2), ("t2", 3)]),
            expect(&[
                ("C0", "t0:0"),
                ("C1", "t1:0"),
                ("C2", "t1:1 t2:0 t2:1 t2:2")
            ])
        );
        // After skipping A for t:0, dealing continues after B, not after A.
        let members = [
            member("A", &["u"]),
            member("B", &["t", "u"]),
            member("C", &["t", "u"]),
        ];
        assert_eq!(
            run(&members, &[("t", 2), ("u", 2)]),
            expect(&[("A", "u:0"), ("B", "t:0 u:1"), ("C", "t:1")])
        );
        // librdkafka issue #2121: twelve single-partition topics, the second
        // member subscribed to five of them.
        let all = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];
        let members = [
            member("consumer1", &all),
            member("consumer2", &["b", "d", "f", "h", "l"]),
        ];
        let topics: Vec<(&str, i32)> = all.iter().map(|t| (*t, 1)).collect();
        assert_eq!(
            run(&members, &topics),
            expect(&[
                ("consumer1", "a:0 c:0 e:0 g:0 i:0 j:0 k:0"),
                ("consumer2", "b:0 d:0 f:0 h:0 l:0"),
            ])
        );
        // Nonexistent subscribed topics are ignored.
        let members = [
            member("consumer1", &["a", "b", "c"]),
            member("consumer2", &["a"]),
        ];
        assert_eq!(
            run(&members, &[("a", 3)]),
            expect(&[("consumer1", "a:0 a:2"), ("consumer2", "a:1")])
        );
    }

    #[test]
    fn static_members_first_by_instance_id() {
        let mut s = member("zzz", &["t"]);
        s.group_instance_id = Some("inst".into());
        let members = [member("aaa", &["t"]), s];
        assert_eq!(
            run(&members, &[("t", 3)]),
            expect(&[("zzz", "t:0 t:2"), ("aaa", "t:1")])
        );
    }

    #[test]
    fn unsubscribed_topics_and_empty_inputs() {
        let members = [
            member("a", &["t"]),
            member("b", &["t"]),
            member("c", &["u"]),
        ];
        assert_eq!(
            run(&members, &[("t", 3), ("x", 4)]),
            expect(&[("a", "t:0 t:2"), ("b", "t:1"), ("c", "")])
        );
        assert!(run(&[], &[("t", 3)]).is_empty());
        assert_eq!(
            run(&members, &[]),
            expect(&[("a", ""), ("b", ""), ("c", "")])
        );
        assert_eq!(
            run(&members, &[("t", -1)]),
            expect(&[("a", ""), ("b", ""), ("c", "")])
        );
    }
}
