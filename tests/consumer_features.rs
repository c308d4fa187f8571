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
    let dump = scratch_dir("regex").join("read.txt");
    let (bootstrap, dump_arg) = (
        cluster.bootstrap.clone(),
        format!("@dump={}", dump.display()),
    );
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
                &dump_arg,
                "topic.metadata.refresh.interval.ms=1000",
                // The new topic means a rejoin, which librdkafka's mock
                // completes only after the session timeout (45 s by
                // default) less a second.
                "session.timeout.ms=6000",
            ],
            Duration::from_secs(150),
        )
    });
    // The second topic appears while the subscription is in use.
    wait_until(
        "the consumer reads the first topic",
        Duration::from_secs(60),
        || !complete_lines(&dump).is_empty(),
    );
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
    let dir = scratch_dir("mixed");
    let (dump, progress, stop) = (
        dir.join("ours.txt"),
        dir.join("theirs.progress"),
        dir.join("stop"),
    );
    let _stop_on_failure = TouchOnDrop(vec![stop.clone()]);
    let args: Vec<String> = vec![
        cluster.bootstrap.clone(),
        "mixed".into(),
        "2000".into(),
        "20".into(),
        "mixed-group".into(),
        format!("@stop={}", stop.display()),
        format!("@dump={}", dump.display()),
        "session.timeout.ms=6000".into(),
    ];
    let ours = std::thread::spawn(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        must_c("consume_verify", &args, Duration::from_secs(150))
    });
    let (bootstrap, theirs_progress, theirs_stop) =
        (cluster.bootstrap.clone(), progress.clone(), stop.clone());
    let theirs = std::thread::spawn(move || {
        let opts = ConsumeOpts {
            group: Some("mixed-group"),
            conf: &[],
        };
        run_python_consume_until(
            &bootstrap,
            "mixed",
            2000,
            Duration::from_secs(60),
            &opts,
            &theirs_progress,
            &theirs_stop,
        )
    });
    // Both stay in the group until every message was read by one of them.
    wait_until(
        "the two members read 2000 messages between them",
        Duration::from_secs(60),
        || {
            let ours: HashSet<String> = complete_lines(&dump).into_iter().collect();
            let theirs: HashSet<String> = complete_lines(&progress).into_iter().collect();
            ours.len() + theirs.len() >= 2000
        },
    );
    touch(&stop);
    let summary = ours.join().expect("our consumer");
    let (theirs, theirs_run) = theirs.join().expect("confluent-kafka consumer");
    assert!(theirs_run.success(), "{}", theirs_run.describe());
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
        // error queued behind the prefetched messages is seen. The idle time
        // counts from the message before the stall and must cover the
        // stall and the rejoin after it.
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
    let dump = scratch_dir("gone").join("read.txt");
    let (bootstrap, dump_arg) = (
        cluster.bootstrap.clone(),
        format!("@dump={}", dump.display()),
    );
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
                &dump_arg,
                "@linger=3000",
                "@commit=sync",
                // Bounds the final commit to brokers that are gone (it
                // times out; 60 s by default). A close that waited for a
                // request to time out would take as long.
                "socket.timeout.ms=10000",
            ],
            None,
            Duration::from_secs(120),
        )
    });
    // Every message read: the consumer lingers before its commit and close.
    wait_until(
        "the consumer read every message",
        Duration::from_secs(60),
        || complete_lines(&dump).len() >= 300,
    );
    for broker in 1..=3 {
        cluster.must(&format!("down {broker}"));
    }
    let done = consumer.join().expect("consumer thread");
    assert!(!done.timed_out, "consumer hung:\n{}", done.describe());
    let out = done.stdout_str();
    assert!(summary_field(&out, "close_secs") < 10, "{out}");
}

/// Three members join one by one and leave one by one while a slow
/// application consumes; with commits on revoke and on close, nothing is
/// lost (every message is read by some member).
///
/// Each phase ends when what it waits for has happened (bounded): a member
/// joins once the one before it got partitions; the first two leave, back to
/// back, once every member owns some partitions; the last one, alone with
/// every partition, stops pacing itself and stops once every message was
/// read. The members are slow until then and the topic holds more than they
/// can read meanwhile, which the test checks: messages flow through every
/// change of the group.
fn members_join_and_leave(strategy: &str) {
    const MEMBERS: usize = 3;
    const PARTITIONS: i32 = 6;
    // librdkafka's mock refuses a follower's SyncGroup that arrives after
    // the leader's (it then rejoins and the group rebalances again,
    // session.timeout.ms - 1 s later), and a member that closes while its
    // JoinGroup is parked only leaves after the coordinator answered it
    // (requests on a connection are served in order): a phase can take
    // well over 10 s.
    const PHASE_TIMEOUT: Duration = Duration::from_secs(60);
    let cluster = MockCluster::start(3);
    let topic = format!("churn-{strategy}");
    cluster.create_topic(&topic, PARTITIONS, 3);
    let count = 40000usize;
    produce_verify(&cluster.bootstrap, &topic, count, 20);
    let dir = scratch_dir(&format!("churn-{strategy}"));
    let group = format!("churn-group-{strategy}");
    let strategy_prop = format!("partition.assignment.strategy={strategy}");
    let stop = |m: usize| dir.join(format!("m{m}.stop"));
    let unpace = dir.join("last.unpace");
    let _stop_all_on_failure = TouchOnDrop((0..MEMBERS).map(stop).collect());
    let start_member = |m: usize| {
        let args: Vec<String> = vec![
            cluster.bootstrap.clone(),
            topic.clone(),
            count.to_string(),
            "20".into(),
            group.clone(),
            format!("@stop={}", stop(m).display()),
            format!("@unpace={}", unpace.display()),
            "@pace=3000".into(),
            format!("@dump={}", dir.join(format!("m{m}.txt")).display()),
            format!("@owners={}", dir.join(format!("m{m}.owners")).display()),
            strategy_prop.clone(),
            "session.timeout.ms=6000".into(),
            "heartbeat.interval.ms=1000".into(),
            "auto.commit.interval.ms=500".into(),
        ];
        std::thread::spawn(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            must_c("consume_verify", &args, Duration::from_secs(150))
        })
    };
    let owners = || current_owners(&dir, MEMBERS);
    let distinct_read = || {
        read_indexes(&dir, MEMBERS)
            .iter()
            .collect::<HashSet<_>>()
            .len()
    };

    let mut members = Vec::new();
    for m in 0..MEMBERS {
        members.push(start_member(m));
        wait_until(
            &format!("{strategy}: member {m} owns partitions"),
            PHASE_TIMEOUT,
            || owners().values().any(|o| o.contains(&m)),
        );
    }
    wait_until(
        &format!("{strategy}: every partition has one owner and every member owns some"),
        PHASE_TIMEOUT,
        || shared_by_all(&owners(), MEMBERS, PARTITIONS),
    );
    let mut summaries = Vec::new();
    let last = members.pop().expect("last member");
    for (m, member) in members.into_iter().enumerate() {
        touch(&stop(m));
        summaries.push(member.join().expect("member"));
    }
    let lonely = MEMBERS - 1;
    wait_until(
        &format!("{strategy}: the last member owns every partition"),
        PHASE_TIMEOUT,
        || {
            let owners = owners();
            (0..PARTITIONS).all(|p| {
                owners
                    .get(&p)
                    .is_some_and(|o| o.len() == 1 && o.contains(&lonely))
            })
        },
    );
    let read_before_alone = distinct_read();
    assert!(
        read_before_alone < count,
        "{strategy}: every message was read before the group changes ended; \
         they were not tested under load: {summaries:?}"
    );
    touch(&unpace);
    wait_until(
        &format!("{strategy}: every message was read"),
        PHASE_TIMEOUT,
        || distinct_read() >= count,
    );
    touch(&stop(lonely));
    summaries.push(last.join().expect("last member"));

    let indexes = read_indexes(&dir, MEMBERS);
    let seen: HashSet<usize> = indexes.iter().copied().collect();
    assert_eq!(
        seen.len(),
        count,
        "lost messages with {strategy}: {summaries:?}"
    );
    eprintln!(
        "{strategy}: {} duplicates across members; {read_before_alone} read before the last member was alone",
        indexes.len() - count
    );
    check_single_ownership(&dir, MEMBERS, PARTITIONS, strategy);
}

/// Every message index the members dumped so far.
fn read_indexes(dir: &std::path::Path, members: usize) -> Vec<usize> {
    (0..members)
        .flat_map(|m| complete_lines(&dir.join(format!("m{m}.txt"))))
        .map(|line| {
            let index = line.split('\t').next().expect("index field");
            index.parse::<usize>().expect("index")
        })
        .collect()
}

/// One rebalance callback of a member: (unix ms, member, assign?,
/// partitions).
type OwnershipEvent = (i64, usize, bool, Vec<i32>);

/// Every member's rebalance callbacks so far, in time order. A stable sort
/// keeps each member's own events in the order it logged them (a close can
/// assign and revoke within one millisecond); across members a revoke
/// precedes the assignment it enables by a rebalance.
fn ownership_events(dir: &std::path::Path, members: usize) -> Vec<OwnershipEvent> {
    let mut events = Vec::new();
    for m in 0..members {
        for line in complete_lines(&dir.join(format!("m{m}.owners"))) {
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
    events.sort_by_key(|&(at, ..)| at);
    events
}

/// Applies one event to the owners of each partition.
fn apply(owners: &mut HashMap<i32, HashSet<usize>>, (_, member, assign, parts): &OwnershipEvent) {
    for p in parts {
        let o = owners.entry(*p).or_default();
        if *assign {
            o.insert(*member);
        } else {
            o.remove(member);
        }
    }
}

/// Who owns each partition now, from the members' logs so far.
fn current_owners(dir: &std::path::Path, members: usize) -> HashMap<i32, HashSet<usize>> {
    let mut owners = HashMap::new();
    for event in &ownership_events(dir, members) {
        apply(&mut owners, event);
    }
    owners
}

/// Every partition has exactly one owner and every member owns some.
fn shared_by_all(owners: &HashMap<i32, HashSet<usize>>, members: usize, partitions: i32) -> bool {
    let one_owner_each = (0..partitions).all(|p| owners.get(&p).is_some_and(|o| o.len() == 1));
    let owning: HashSet<usize> = owners.values().flatten().copied().collect();
    one_owner_each && owning.len() == members
}

/// Replays every member's rebalance callbacks in time order: no partition
/// may ever have two owners; while all members are in the group (before the
/// first one leaves) there is a moment when every partition has exactly one
/// owner and every member owns some; and just before the last member's
/// final revoke it owns every partition.
fn check_single_ownership(dir: &std::path::Path, members: usize, partitions: i32, strategy: &str) {
    let events = ownership_events(dir, members);
    let last_event_of = |m: usize| events.iter().filter(|e| e.1 == m).map(|e| e.0).max();
    // Member 0 leaves first; the last member's final revoke is its close.
    let (first_leave, last_close) = (last_event_of(0), last_event_of(members - 1));
    let mut owners: HashMap<i32, HashSet<usize>> = HashMap::new();
    let mut history = Vec::new();
    let (mut all_shared, mut last_owns_all) = (false, false);
    for event in &events {
        let (at, member, assign, parts) = event;
        if *member == members - 1 && Some(*at) == last_close && !assign {
            last_owns_all = (0..partitions).all(|p| owners.get(&p).is_some_and(|o| o.len() == 1));
        }
        apply(&mut owners, event);
        for p in parts {
            history.push(format!(
                "{at} m{member} {} {p}",
                if *assign { "+" } else { "-" }
            ));
            let o = &owners[p];
            assert!(
                o.len() <= 1,
                "{strategy}: partition {p} owned by {o:?} at {at}:\n{}",
                history.join("\n")
            );
        }
        if Some(*at) < first_leave && shared_by_all(&owners, members, partitions) {
            all_shared = true;
        }
    }
    assert!(
        all_shared && last_owns_all,
        "{strategy}: partitions shared by all members before the first left: \
         {all_shared}; the last member owned all at the end: {last_owns_all}\n{}",
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
    let dump = scratch_dir("coord").join("read.txt");
    let (bootstrap, dump_arg) = (
        cluster.bootstrap.clone(),
        format!("@dump={}", dump.display()),
    );
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
                &dump_arg,
                "auto.commit.interval.ms=200",
            ],
            Duration::from_secs(150),
        )
    });
    // Mid-group: a quarter read (and committed), most still to come.
    wait_until(
        "the member read a quarter of the messages",
        Duration::from_secs(60),
        || complete_lines(&dump).len() >= 1000,
    );
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
    // Tansu answers a JoinGroup after about half of it. With 10 s Tansu
    // sometimes rebalanced the group on the rejoin (under load).
    const SESSION_TIMEOUT_MS: u64 = 30000;
    const JOIN_TIMEOUT: Duration = Duration::from_secs(60);
    let tansu = Tansu::start();
    tansu.create_topic("static", 4);
    let dir = scratch_dir("static");
    let stop = |run: &str| dir.join(format!("{run}.stop"));
    let _stop_all_on_failure = TouchOnDrop(["steady", "first", "second"].map(stop).to_vec());
    // `run` names its owners log and stop file.
    let member = |instance: &str, run: &str| {
        let args: Vec<String> = vec![
            tansu.bootstrap.clone(),
            "static".into(),
            "1".into(),
            "20".into(),
            "static-group".into(),
            format!("@stop={}", stop(run).display()),
            format!("@owners={}", dir.join(format!("{run}.owners")).display()),
            format!("group.instance.id={instance}"),
            "@commit=none".into(),
            format!("session.timeout.ms={SESSION_TIMEOUT_MS}"),
            "heartbeat.interval.ms=1000".into(),
        ];
        std::thread::spawn(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            must_c("consume_verify", &args, Duration::from_secs(150))
        })
    };
    let assigned = |run: &str| {
        complete_lines(&dir.join(format!("{run}.owners")))
            .first()
            .is_some_and(|l| l.split('\t').nth(1) == Some("assign"))
    };
    let steady = member("steady", "steady");
    let first = member("restarting", "first");
    wait_until("both members are assigned partitions", JOIN_TIMEOUT, || {
        assigned("steady") && assigned("first")
    });
    // A few heartbeats in the stable group before the restart.
    std::thread::sleep(Duration::from_secs(5));
    touch(&stop("first"));
    first.join().expect("first run");
    let closed = std::time::Instant::now();
    let second = member("restarting", "second");
    // A rebalance the rejoin caused would have revoked the steady member's
    // partitions before the group could assign the restarted one any.
    wait_until(
        "the restarted member is assigned partitions",
        JOIN_TIMEOUT,
        || assigned("second"),
    );
    // One the group starts when it gives up the first run's session would
    // come later: stay in the group until then, and a few heartbeats more.
    let settled = closed + Duration::from_millis(SESSION_TIMEOUT_MS) + Duration::from_secs(3);
    std::thread::sleep(settled.saturating_duration_since(std::time::Instant::now()));
    touch(&stop("second"));
    touch(&stop("steady"));
    second.join().expect("second run");
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
