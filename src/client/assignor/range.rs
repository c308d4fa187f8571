//! The `range` assignor: per topic, the sorted subscribers each get one
//! contiguous block of partitions; the first `count % subscribers` of them
//! get one partition more. Topics are independent of each other, so a
//! member first in order gets the larger block of every topic.

use super::{
    add_partition, eligible_topics, empty_assignment, sorted_members, Assignment, Assignor,
    GroupMember, RebalanceProtocol,
};
use std::collections::HashMap;

pub struct RangeAssignor;

impl Assignor for RangeAssignor {
    fn name(&self) -> &'static str {
        "range"
    }

    fn protocol(&self) -> RebalanceProtocol {
        RebalanceProtocol::Eager
    }

    fn assign(&self, members: &[GroupMember], partitions: &HashMap<String, i32>) -> Assignment {
        let mut assignment = empty_assignment(members);
        let sorted = sorted_members(members);
        for (topic, count) in eligible_topics(members, partitions) {
            let subscribers: Vec<&GroupMember> = sorted
                .iter()
                .copied()
                .filter(|m| m.subscribes(topic))
                .collect();
            let n = subscribers.len() as i32;
            if n == 0 {
                continue;
            }
            let (per_member, with_extra) = (count / n, count % n);
            let mut next = 0;
            for (i, member) in subscribers.iter().enumerate() {
                let len = per_member + i32::from((i as i32) < with_extra);
                for p in next..next + len {
                    add_partition(&mut assignment, &member.member_id, topic, p);
                }
                next += len;
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
        RangeAssignor.assign(members, &counts(topics))
    }

    #[test]
    fn two_members_two_topics_first_member_gets_extra() {
        // 3 partitions over 2 members: 2 + 1, per topic.
        let members = [member("c1", &["t0", "t1"]), member("c0", &["t0", "t1"])];
        assert_eq!(
            run(&members, &[("t0", 3), ("t1", 3)]),
            expect(&[("c0", "t0:0 t0:1 t1:0 t1:1"), ("c1", "t0:2 t1:2")])
        );
    }

    #[test]
    fn symmetrical_four_topics() {
        // The subscription order does not matter, only member and partition order.
        let members = [
            member("consumer1", &["d", "b", "a", "c"]),
            member("consumer2", &["a", "b", "c", "d"]),
        ];
        assert_eq!(
            run(&members, &[("a", 3), ("b", 4), ("c", 2), ("d", 1)]),
            expect(&[
                ("consumer1", "a:0 a:1 b:0 b:1 c:0 d:0"),
                ("consumer2", "a:2 b:2 b:3 c:1"),
            ])
        );
    }

    #[test]
    fn different_subscriptions_and_missing_topics() {
        // b and c do not exist; a is split between both subscribers only.
        let members = [
            member("consumer1", &["a", "b", "c"]),
            member("consumer2", &["a"]),
        ];
        assert_eq!(
            run(&members, &[("a", 3)]),
            expect(&[("consumer1", "a:0 a:1"), ("consumer2", "a:2")])
        );
        // Only consumer1 subscribes to most topics, so it gets all of them.
        let all = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];
        let members = [
            member("consumer1", &all),
            member("consumer2", &["b", "d", "f", "h", "l"]),
        ];
        let topics: Vec<(&str, i32)> = all.iter().map(|t| (*t, 1)).collect();
        assert_eq!(
            run(&members, &topics),
            expect(&[
                (
                    "consumer1",
                    "a:0 b:0 c:0 d:0 e:0 f:0 g:0 h:0 i:0 j:0 k:0 l:0"
                ),
                ("consumer2", ""),
            ])
        );
    }

    #[test]
    fn more_members_than_partitions_and_unsubscribed_topics() {
        let members = [
            member("a", &["t"]),
            member("b", &["t"]),
            member("c", &["t"]),
        ];
        // "x" exists but nobody subscribes: never assigned.
        assert_eq!(
            run(&members, &[("t", 2), ("x", 5)]),
            expect(&[("a", "t:0"), ("b", "t:1"), ("c", "")])
        );
    }

    #[test]
    fn uneven_counts() {
        let members = [
            member("m1", &["t"]),
            member("m2", &["t"]),
            member("m3", &["t"]),
        ];
        // 8 = 3 + 3 + 2.
        assert_eq!(
            run(&members, &[("t", 8)]),
            expect(&[
                ("m1", "t:0 t:1 t:2"),
                ("m2", "t:3 t:4 t:5"),
                ("m3", "t:6 t:7")
            ])
        );
    }

    #[test]
    fn static_members_ordered_by_instance_id() {
        let mut a = member("aaa", &["t"]);
        a.group_instance_id = Some("i2".into());
        let mut b = member("bbb", &["t"]);
        b.group_instance_id = Some("i1".into());
        assert_eq!(
            run(&[a, b], &[("t", 3)]),
            expect(&[("bbb", "t:0 t:1"), ("aaa", "t:2")])
        );
    }

    #[test]
    fn empty_inputs() {
        assert!(run(&[], &[("t", 4)]).is_empty());
        let members = [member("a", &["t"]), member("b", &[])];
        assert_eq!(run(&members, &[]), expect(&[("a", ""), ("b", "")]));
        assert_eq!(run(&members, &[("t", 0)]), expect(&[("a", ""), ("b", "")]));
        assert_eq!(run(&members, &[("t", -3)]), expect(&[("a", ""), ("b", "")]));
    }
}
