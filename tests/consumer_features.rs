//! Consumer features against librdkafka's mock cluster, driven through the
//! C API: seek, pause/resume, watermarks, offsets_for_times, commits and
//! their callback; regex subscriptions picking up new topics; a group shared
//! with confluent-kafka; max.poll.interval.ms; close with every broker gone.

mod support;

use std::collections::{HashMap, HashSet};
use std::time::Duration;
use support::*;

#[test]
fn seek_pause_watermarks_times_and_commits() {
    // Our embedded mock: librdkafka 2.0.2's mock cannot look offsets up by time.
    let cluster = MockCluster::start_ours(3);
    cluster.create_topic("features", 1, 3);
    produce_verify(&cluster.bootstrap, "features", 200, 20);
    let out = must_c(
        "consumer_features",
        &[&cluster.bootstrap, "features", "200", "fg"],
        Duration::from_secs(120),
    );
    assert!(out.contains("ok"), "{out}");
}

#[test]
fn regex_subscription_picks_up_a_topic_created_later() {
    let cluster = MockCluster::start(3);
    cluster.create_topic("rx-first", 2, 3);
    produce_verify(&cluster.bootstrap, "rx-first", 100, 20);
    let bootstrap = cluster.bootstrap.clone();
    let consumer = std::thread::spawn(move || {
        must_c(
            "consume_verify",
            &[
                &bootstrap,
                "^rx-.*",
                "200",
                "20",
                "rxg",
                "@max=200",
                "topic.metadata.refresh.interval.ms=1000",
            ],
            Duration::from_secs(150),
        )
    });
    std::thread::sleep(Duration::from_secs(6));
    cluster.create_topic("rx-second", 2, 3);
    produce_verify(&cluster.bootstrap, "rx-second", 100, 20);
    let out = consumer.join().expect("consumer thread");
    // Both topics carry keys key-0..99: the second topic's messages show up
    // as repeats of the first's indexes.
    assert_eq!(summary_field(&out, "consumed"), 200, "{out}");
    assert_eq!(summary_field(&out, "unique"), 100, "{out}");
}

#[test]
fn group_shared_with_confluent_kafka_reads_each_message_once() {
    let cluster = MockCluster::start(3);
    cluster.create_topic("mixed", 4, 3);
    produce_verify(&cluster.bootstrap, "mixed", 2000, 20);
    let dump = scratch_dir("mixed").join("ours.txt");
    let (bootstrap, dump_arg) = (
        cluster.bootstrap.clone(),
        format!("@dump={}", dump.display()),
    );
    let ours = std::thread::spawn(move || {
        must_c(
            "consume_verify",
            &[
                &bootstrap,
                "mixed",
                "2000",
                "20",
                "mixed-group",
                "@idle=12",
                &dump_arg,
                "session.timeout.ms=6000",
            ],
            Duration::from_secs(150),
        )
    });
    let opts = ConsumeOpts {
        group: Some("mixed-group"),
        conf: &[],
    };
    let (theirs, _) = run_python_consume(
        &cluster.bootstrap,
        "mixed",
        2000,
        Duration::from_secs(30),
        &opts,
    );
    let summary = ours.join().expect("our consumer");
    let ours: Vec<usize> = std::fs::read_to_string(&dump)
        .expect("dump file")
        .lines()
        .filter_map(|l| l.split('\t').next()?.parse().ok())
        .collect();
    let theirs: Vec<usize> = theirs
        .iter()
        .filter_map(|m| {
            String::from_utf8_lossy(m.key.as_deref()?)
                .strip_prefix("key-")?
                .parse()
                .ok()
        })
        .collect();
    assert!(
        !ours.is_empty() && !theirs.is_empty(),
        "both members must get partitions: {summary}, theirs {}",
        theirs.len()
    );
    let a: HashSet<usize> = ours.iter().copied().collect();
    let b: HashSet<usize> = theirs.iter().copied().collect();
    assert_eq!(a.len(), ours.len(), "our consumer read duplicates");
    assert!(a.is_disjoint(&b), "a message was read by both members");
    assert_eq!(
        a.len() + b.len(),
        2000,
        "ours {} + theirs {} ({summary})",
        a.len(),
        b.len()
    );
}

#[test]
fn max_poll_interval_exceeded_is_reported() {
    let cluster = MockCluster::start(1);
    cluster.create_topic("slow", 1, 1);
    produce_verify(&cluster.bootstrap, "slow", 50, 20);
    let out = must_c(
        "consume_verify",
        // More messages expected than exist: keep polling (until idle) so the
        // error queued behind the prefetched messages is seen.
        &[
            &cluster.bootstrap,
            "slow",
            "100",
            "20",
            "slow-group",
            "@stall=7000",
            "@commit=none",
            "@idle=15",
            "max.poll.interval.ms=4000",
            "session.timeout.ms=3000",
            "heartbeat.interval.ms=500",
        ],
        Duration::from_secs(150),
    );
    assert!(summary_field(&out, "max_poll_exceeded") >= 1, "{out}");
    assert_eq!(summary_field(&out, "unique"), 50, "{out}");
}

#[test]
fn close_returns_in_bounded_time_with_every_broker_gone() {
    let cluster = MockCluster::start(3);
    cluster.create_topic("gone", 3, 3);
    produce_verify(&cluster.bootstrap, "gone", 300, 20);
    let bootstrap = cluster.bootstrap.clone();
    let consumer = std::thread::spawn(move || {
        run_c(
            "consume_verify",
            &[
                &bootstrap,
                "gone",
                "300",
                "20",
                "gone-group",
                "@max=300",
                "@linger=6000",
                "@commit=sync",
            ],
            None,
            Duration::from_secs(120),
        )
    });
    std::thread::sleep(Duration::from_secs(8));
    for broker in 1..=3 {
        cluster.must(&format!("down {broker}"));
    }
    let done = consumer.join().expect("consumer thread");
    assert!(!done.timed_out, "consumer hung:\n{}", done.describe());
    let out = done.stdout_str();
    assert!(summary_field(&out, "close_secs") <= 20, "{out}");
}

/// Three members join one by one and leave one by one while a slow
/// application consumes; with commits on revoke and on close, nothing is
/// lost (every message is read by some member).
fn members_join_and_leave(strategy: &str) {
    let cluster = MockCluster::start(3);
    let topic = format!("churn-{strategy}");
    cluster.create_topic(&topic, 6, 3);
    let count = 20000usize;
    produce_verify(&cluster.bootstrap, &topic, count, 20);
    let dir = scratch_dir(&format!("churn-{strategy}"));
    let group = format!("churn-group-{strategy}");
    let strategy_prop = format!("partition.assignment.strategy={strategy}");
    // (start delay, run seconds): join at 0/3/6 s, leave at 24/30 s, the
    // last stays until nothing came for 20 s. The 18 s with three members
    // leave room for a rebalance to be redone: librdkafka's mock refuses a
    // follower's SyncGroup that arrives after the leader's (it then rejoins
    // and the group rebalances again, session.timeout.ms - 1 s later). A
    // member that closes while its JoinGroup is parked only leaves after the
    // coordinator answered it (requests on a connection are served in
    // order), so back-to-back leaves can keep the last member waiting well
    // over 10 s.
    let plan = [(0u64, "@secs=24"), (3, "@secs=27"), (6, "@idle=20")];
    let mut members = Vec::new();
    for (i, (delay, stop)) in plan.iter().enumerate() {
        let (b, t, g, s) = (
            cluster.bootstrap.clone(),
            topic.clone(),
            group.clone(),
            strategy_prop.clone(),
        );
        let dump = format!("@dump={}", dir.join(format!("m{i}.txt")).display());
        let owners = format!("@owners={}", dir.join(format!("m{i}.owners")).display());
        let (delay, stop) = (*delay, stop.to_string());
        members.push(std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(delay));
            must_c(
                "consume_verify",
                &[
                    &b,
                    &t,
                    &count.to_string(),
                    "20",
                    &g,
                    &stop,
                    "@pace=3000",
                    &dump,
                    &owners,
                    &s,
                    "session.timeout.ms=6000",
                    "auto.commit.interval.ms=500",
                ],
                Duration::from_secs(150),
            )
        }));
    }
    let summaries: Vec<String> = members
        .into_iter()
        .map(|m| m.join().expect("member"))
        .collect();
    let mut seen = HashSet::new();
    let mut total = 0;
    for i in 0..plan.len() {
        for line in std::fs::read_to_string(dir.join(format!("m{i}.txt")))
            .expect("dump")
            .lines()
        {
            total += 1;
            let index = line.split('\t').next().expect("index field");
            seen.insert(index.parse::<usize>().expect("index"));
        }
    }
    assert_eq!(
        seen.len(),
        count,
        "lost messages with {strategy}: {summaries:?}"
    );
    eprintln!("{strategy}: {} duplicates across members", total - count);
    check_single_ownership(&dir, plan.len(), 6, strategy);
}

/// Replays every member's rebalance callbacks in time order: no partition
/// may ever have two owners; while all members are in the group (before the
/// first one leaves) there is a moment when every partition has exactly one
/// owner and every member owns some; and just before the last member's
/// final revoke it owns every partition.
fn check_single_ownership(dir: &std::path::Path, members: usize, partitions: i32, strategy: &str) {
    // (unix ms, member, assign?, partitions)
    let mut events: Vec<(i64, usize, bool, Vec<i32>)> = Vec::new();
    for m in 0..members {
        let text = std::fs::read_to_string(dir.join(format!("m{m}.owners"))).expect("owners log");
        for line in text.lines() {
            let mut fields = line.split('\t');
            let at: i64 = fields.next().unwrap().parse().unwrap();
            let assign = fields.next().unwrap() == "assign";
            let parts = fields
                .next()
                .unwrap_or("")
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|p| p.parse().unwrap())
                .collect();
            events.push((at, m, assign, parts));
        }
    }
    // A stable sort keeps each member's own events in the order it logged
    // them (a close can assign and revoke within one millisecond); across
    // members a revoke precedes the assignment it enables by a rebalance.
    events.sort_by_key(|&(at, ..)| at);
    let last_event_of = |m: usize| events.iter().filter(|e| e.1 == m).map(|e| e.0).max();
    // Member 0 leaves first; the last member's final revoke is its close.
    let (first_leave, last_close) = (last_event_of(0), last_event_of(members - 1));
    let one_owner_each = |owners: &HashMap<i32, HashSet<usize>>| {
        (0..partitions).all(|p| owners.get(&p).is_some_and(|o| o.len() == 1))
    };
    let mut owners: HashMap<i32, HashSet<usize>> = HashMap::new();
    let mut history = Vec::new();
    let (mut shared_by_all, mut last_owns_all) = (false, false);
    for (at, member, assign, parts) in &events {
        if *member == members - 1 && Some(*at) == last_close && !assign {
            last_owns_all = one_owner_each(&owners);
        }
        for p in parts {
            let o = owners.entry(*p).or_default();
            if *assign {
                o.insert(*member);
            } else {
                o.remove(member);
            }
            history.push(format!(
                "{at} m{member} {} {p}",
                if *assign { "+" } else { "-" }
            ));
            assert!(
                o.len() <= 1,
                "{strategy}: partition {p} owned by {o:?} at {at}:\n{}",
                history.join("\n")
            );
        }
        let owning: HashSet<usize> = owners.values().flatten().copied().collect();
        if Some(*at) < first_leave && one_owner_each(&owners) && owning.len() == members {
            shared_by_all = true;
        }
    }
    assert!(
        shared_by_all && last_owns_all,
        "{strategy}: partitions shared by all members before the first left: \
         {shared_by_all}; the last member owned all at the end: {last_owns_all}\n{}",
        history.join("\n")
    );
}

#[test]
fn members_join_and_leave_range() {
    members_join_and_leave("range");
}

#[test]
fn members_join_and_leave_roundrobin() {
    members_join_and_leave("roundrobin");
}

#[test]
fn members_join_and_leave_cooperative_sticky() {
    members_join_and_leave("cooperative-sticky");
}

/// Group coordination survives faults injected by our embedded mock: the
/// coordinator moves to another broker mid-group and FindCoordinator/
/// JoinGroup/OffsetCommit answer COORDINATOR_LOAD_IN_PROGRESS for a while;
/// the member still reads everything and its final commit succeeds.
#[test]
fn group_survives_coordinator_move_and_load_errors() {
    let cluster = MockCluster::start_ours(3);
    cluster.create_topic("coord", 4, 3);
    produce_verify(&cluster.bootstrap, "coord", 4000, 20);
    cluster.must("coordinator group coord-group 1");
    let bootstrap = cluster.bootstrap.clone();
    let member = std::thread::spawn(move || {
        must_c(
            "consume_verify",
            &[
                &bootstrap,
                "coord",
                "4000",
                "20",
                "coord-group",
                "@pace=1000",
                "auto.commit.interval.ms=200",
            ],
            Duration::from_secs(150),
        )
    });
    std::thread::sleep(Duration::from_secs(5));
    // FindCoordinator (10), JoinGroup (11), OffsetCommit (8).
    cluster.must("errors 10 COORDINATOR_LOAD_IN_PROGRESS COORDINATOR_LOAD_IN_PROGRESS");
    cluster.must("errors 8 COORDINATOR_LOAD_IN_PROGRESS NOT_COORDINATOR");
    cluster.must("coordinator group coord-group 2");
    let out = member.join().expect("member");
    assert_eq!(summary_field(&out, "unique"), 4000, "{out}");
    assert_eq!(summary_field(&out, "bad"), 0, "{out}");
}

/// Static membership (KIP-345) on Tansu, which implements it: a member with
/// `group.instance.id` that closes (without LeaveGroup) and comes back
/// within session.timeout.ms gets its partitions back, and the other member
/// never sees a rebalance.
#[test]
fn static_member_restart_does_not_rebalance_the_group() {
    let tansu = Tansu::start();
    tansu.create_topic("static", 4);
    let dir = scratch_dir("static");
    let member = |instance: &str, secs: u64, log: &str| {
        let (b, owners) = (
            tansu.bootstrap.clone(),
            format!("@owners={}", dir.join(log).display()),
        );
        let (instance, secs) = (
            format!("group.instance.id={instance}"),
            format!("@secs={secs}"),
        );
        std::thread::spawn(move || {
            must_c(
                "consume_verify",
                &[
                    &b,
                    "static",
                    "1",
                    "20",
                    "static-group",
                    &secs,
                    &owners,
                    &instance,
                    "@commit=none",
                    "session.timeout.ms=30000",
                    "heartbeat.interval.ms=1000",
                ],
                Duration::from_secs(150),
            )
        })
    };
    // Tansu completes a join after about 20 s.
    let steady = member("steady", 95, "steady.owners");
    std::thread::sleep(Duration::from_secs(1));
    member("restarting", 40, "first.owners")
        .join()
        .expect("first run");
    member("restarting", 30, "second.owners")
        .join()
        .expect("second run");
    steady.join().expect("steady member");

    let read = |log: &str| -> Vec<(String, String)> {
        std::fs::read_to_string(dir.join(log))
            .expect("owners log")
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f[1].to_string(), f.get(2).unwrap_or(&"").to_string())
            })
            .collect()
    };
    let steady = read("steady.owners");
    let (first, second) = (read("first.owners"), read("second.owners"));
    // One assignment, revoked only by its own close.
    assert_eq!(steady.len(), 2, "steady member saw a rebalance: {steady:?}");
    assert_eq!(
        first.first().map(|e| e.0.as_str()),
        Some("assign"),
        "{first:?}"
    );
    assert_eq!(
        second.first().map(|e| e.0.as_str()),
        Some("assign"),
        "{second:?}"
    );
    assert_eq!(
        first[0].1, second[0].1,
        "the restarted member got other partitions"
    );
    let mut all: Vec<&str> = [&steady[0].1, &first[0].1]
        .iter()
        .flat_map(|s| s.split(','))
        .collect();
    all.sort();
    assert_eq!(
        all,
        ["0", "1", "2", "3"],
        "steady {steady:?} first {first:?}"
    );
}
