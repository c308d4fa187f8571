//! The idempotent producer (`enable.idempotence=true`) under faults.
//!
//! Scripts for `tests/c/producer_steps.c` run against librdkafka's own mock
//! cluster (Debian 2.0.2, through `tests/peers/mock_cluster.c`), each one
//! against our library and against Debian's librdkafka, so every
//! expectation is one librdkafka itself meets. Faults are injected with
//! `rd_kafka_mock_push_request_errors`, RTT above `request.timeout.ms`
//! (responses lost after the broker appended), brokers down/up and leader
//! moves. confluent-kafka reads every partition back: each message whose
//! report said success is there exactly once, at the reported offset, in
//! produce order within its partition. Our own mock (its Produce handler's
//! sequence checks) is judged by Debian's librdkafka and confluent-kafka
//! 2.16 as idempotent producers; Tansu serves the plain path.

mod support;

use std::collections::HashMap;
use std::time::Duration;
use support::*;

const RUN_TIMEOUT: Duration = Duration::from_secs(120);
const SYNC_TIMEOUT: Duration = Duration::from_secs(60);
const BOTH: [Against; 2] = [Against::Ours, Against::Librdkafka];
const IDEMPOTENT: &str = "conf:enable.idempotence=true";

fn start(against: Against, bootstrap: &str, topic: &str, steps: &[&str]) -> Driven {
    let mut cmd = std::process::Command::new(producer_steps(against));
    cmd.arg(bootstrap).arg(topic).args(steps);
    Driven::spawn(&format!("idempotence-{}", against.tag()), &mut cmd)
}

fn finish(against: Against, driven: Driven) -> DrivenEnd {
    let end = driven.finish(RUN_TIMEOUT);
    assert!(
        end.success() && end.lines("destroyed").len() == 1,
        "producer_steps against {against:?} failed\n{}",
        end.describe()
    );
    end
}

fn run(against: Against, bootstrap: &str, topic: &str, steps: &[&str]) -> DrivenEnd {
    finish(against, start(against, bootstrap, topic, steps))
}

fn summary(end: &DrivenEnd, key: &str) -> String {
    field(end.line("summary "), key).unwrap_or("").to_string()
}

fn count(end: &DrivenEnd, key: &str) -> usize {
    summary(end, key)
        .parse()
        .unwrap_or_else(|_| panic!("no numeric {key}\n{}", end.describe()))
}

/// `DR index partition offset err reports` lines: (index, partition, offset).
fn successful_reports(end: &DrivenEnd) -> Vec<(usize, i32, i64)> {
    end.lines("DR ")
        .iter()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.get(5), Some(&"1"), "not exactly one report: {l}");
            (f.get(4) == Some(&"NO_ERROR")).then(|| {
                (
                    f[1].parse().expect("index"),
                    f[2].parse().expect("partition"),
                    f[3].parse().expect("offset"),
                )
            })
        })
        .collect()
}

/// Every message produced was delivered, with one report each.
fn assert_all_delivered(end: &DrivenEnd, n: usize) {
    let clean = count(end, "produced") == n
        && count(end, "delivered") == n
        && count(end, "reports") == n
        && count(end, "duplicates") == 0
        && count(end, "bad") == 0;
    assert!(clean, "expected {n} clean deliveries\n{}", end.describe());
}

/// Reads `topic` back with confluent-kafka: nothing lost (every success
/// report names the offset holding its message), nothing duplicated, and
/// within each partition messages in produce order. Returns the count read.
fn verify_exactly_once_in_order(bootstrap: &str, topic: &str, end: &DrivenEnd) -> usize {
    let delivered = successful_reports(end);
    assert!(
        !delivered.is_empty(),
        "nothing delivered\n{}",
        end.describe()
    );
    let (msgs, _) = run_python_consume(
        bootstrap,
        topic,
        delivered.len() * 2 + 100,
        Duration::from_secs(15),
        &ConsumeOpts::default(),
    );
    let index_of = |key: &Option<Vec<u8>>| -> usize {
        let key = String::from_utf8(key.clone().unwrap_or_default()).unwrap_or_default();
        key.strip_prefix("key-")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("unexpected key {key:?}"))
    };
    let mut seen: HashMap<usize, (i32, i64)> = HashMap::new();
    let mut by_partition: HashMap<i32, Vec<(i64, usize)>> = HashMap::new();
    for m in &msgs {
        let index = index_of(&m.key);
        let earlier = seen.insert(index, (m.partition, m.offset));
        assert!(
            earlier.is_none(),
            "message {index} stored twice: {earlier:?} and {}:{}",
            m.partition,
            m.offset
        );
        by_partition
            .entry(m.partition)
            .or_default()
            .push((m.offset, index));
    }
    for (index, partition, offset) in &delivered {
        assert_eq!(
            seen.get(index),
            Some(&(*partition, *offset)),
            "message {index} reported at {partition}:{offset}"
        );
    }
    for (partition, mut stored) in by_partition {
        stored.sort();
        for pair in stored.windows(2) {
            assert!(
                pair[0].1 < pair[1].1,
                "partition {partition} out of produce order: message {} at offset {} before message {} at offset {}",
                pair[0].1,
                pair[0].0,
                pair[1].1,
                pair[1].0
            );
        }
    }
    msgs.len()
}

// ------------------------------------------- librdkafka's mock cluster

/// A gap reported for the oldest unacknowledged batch means the broker
/// lost messages: librdkafka 2.0.2 fails that batch and raises a fatal
/// error (purging the queue); so do we. What was acknowledged before is
/// in the log once.
#[test]
fn out_of_order_sequence_on_the_oldest_batch_is_fatal() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        let topic = format!("gap-{}", against.tag());
        cluster.create_topic(&topic, 4, 3);
        cluster.must("errors 0 OUT_OF_ORDER_SEQUENCE_NUMBER");
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                IDEMPOTENT,
                "conf:linger.ms=2",
                "produce:1000",
                "flush:30000",
                "fatal_error",
                "try:1",
                "dump",
            ],
        );
        let fatal = end.line("fatal_error=");
        assert!(
            fatal
                .starts_with("fatal_error=OUT_OF_ORDER_SEQUENCE_NUMBER reason=ProduceRequest for ")
                && fatal.contains("failed due to sequence desynchronization with broker"),
            "{against:?}\n{}",
            end.describe()
        );
        assert!(
            // "Fatal error: <err2str of the error>: <reason>"; our err2str
            // texts are our own wording.
            end.line("fatal_cb reason=")
                .starts_with("fatal_cb reason=Fatal error: Broker: ")
                && end
                    .line("fatal_cb reason=")
                    .contains(": ProduceRequest for "),
            "{against:?}\n{}",
            end.describe()
        );
        assert_eq!(end.line("try "), "try accepted=0 error=_FATAL");
        assert_eq!(summary(&end, "cb_errors"), "_FATAL:1");
        for dr in end.lines("DR ") {
            let err = dr.split_whitespace().nth(4).unwrap_or("");
            assert!(
                ["NO_ERROR", "OUT_OF_ORDER_SEQUENCE_NUMBER", "_PURGE_QUEUE"].contains(&err),
                "{against:?}: {dr}"
            );
        }
        assert!(summary(&end, "dr_errors").contains("OUT_OF_ORDER_SEQUENCE_NUMBER:"));
        if count(&end, "delivered") > 0 {
            verify_exactly_once_in_order(&cluster.bootstrap, &topic, &end);
        }
    }
}

#[test]
fn pushed_produce_errors_lose_nothing_and_keep_order() {
    for against in BOTH {
        // A cluster each: pushed errors the first run left unused must not
        // land on the second.
        let cluster = MockCluster::start(3);
        let topic = format!("pushed-{}", against.tag());
        cluster.create_topic(&topic, 4, 3);
        // The next Produce requests fail, whoever sends them: the
        // unknown-producer errors make the producer bump its epoch.
        cluster.must(
            "errors 0 NOT_LEADER_FOR_PARTITION REQUEST_TIMED_OUT UNKNOWN_PRODUCER_ID \
             NOT_ENOUGH_REPLICAS UNKNOWN_PRODUCER_ID NOT_LEADER_FOR_PARTITION REQUEST_TIMED_OUT",
        );
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                IDEMPOTENT,
                "conf:linger.ms=2",
                "produce:3000",
                "flush:60000",
                "dump",
            ],
        );
        if against == Against::Librdkafka && summary(&end, "cb_errors").contains("_FATAL") {
            // librdkafka 2.0.2 sometimes gives up here: an
            // UNKNOWN_PRODUCER_ID on a partition with nothing acknowledged
            // yet is fatal for it ("unable to retry without risking
            // duplication/reordering"), depending on whether an earlier
            // batch's answer came first. Ours bumps the epoch (KIP-360)
            // and delivers all. The judge's fatal run must still report
            // every message once.
            eprintln!("librdkafka went fatal: {}", summary(&end, "dr_errors"));
            assert_eq!(count(&end, "reports"), 3000, "{}", end.describe());
            assert_eq!(count(&end, "duplicates"), 0, "{}", end.describe());
            continue;
        }
        assert_all_delivered(&end, 3000);
        assert_eq!(summary(&end, "dr_errors"), "", "{}", end.describe());
        assert_eq!(
            verify_exactly_once_in_order(&cluster.bootstrap, &topic, &end),
            3000
        );
    }
}

/// Responses slower than `request.timeout.ms`: the broker appended, the
/// client timed out and resends. The retries carry the same sequence
/// numbers, so the broker acknowledges them without appending twice.
fn lost_responses_are_not_duplicated(cluster: &MockCluster, against: Against, topic: &str) {
    cluster.create_topic(topic, 4, 3);
    cluster.must("rtt -1 800");
    let mut driven = start(
        against,
        &cluster.bootstrap,
        topic,
        &[
            IDEMPOTENT,
            "tconf:request.timeout.ms=300",
            "conf:linger.ms=5",
            "produce:400",
            "poll:2500",
            "sync:heal",
            "flush:60000",
            "dump",
        ],
    );
    driven.until_sync("heal", SYNC_TIMEOUT);
    cluster.must("rtt -1 0");
    driven.resume();
    let end = finish(against, driven);
    assert_all_delivered(&end, 400);
    assert_eq!(
        verify_exactly_once_in_order(&cluster.bootstrap, topic, &end),
        400
    );
}

#[test]
fn responses_lost_after_append_are_not_duplicated() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        lost_responses_are_not_duplicated(&cluster, against, &format!("lost-{}", against.tag()));
    }
}

#[test]
fn brokers_down_and_up_and_leaders_moving_lose_nothing() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        let topic = format!("moves-{}", against.tag());
        cluster.create_topic(&topic, 4, 3);
        let mut driven = start(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                IDEMPOTENT,
                "conf:linger.ms=5",
                "rate:200",
                "produce:600",
                "sync:down",
                "produce:600",
                "sync:up",
                "produce:600",
                "flush:90000",
                "dump",
            ],
        );
        driven.until_sync("down", SYNC_TIMEOUT);
        cluster.must("down 1");
        for p in 0..4 {
            cluster.must(&format!("leader {topic} {p} {}", 2 + p % 2));
        }
        driven.resume();
        driven.until_sync("up", SYNC_TIMEOUT);
        cluster.must("up 1");
        cluster.must(&format!("leader {topic} 0 1"));
        cluster.must(&format!("leader {topic} 3 1"));
        driven.resume();
        let end = finish(against, driven);
        assert_all_delivered(&end, 1800);
        assert_eq!(
            verify_exactly_once_in_order(&cluster.bootstrap, &topic, &end),
            1800
        );
    }
}

/// Issue 13: librdkafka 2.0.2's mock does not check an idempotent
/// producer's sequence numbers, so a batch sent after one that fails is
/// stored before the failed one's retry, out of produce order, unless the
/// producer never has them in flight together. RTT on the brokers and
/// batches of 50 keep several batches waiting; at the sync point the next
/// Produce request fails (one pushed error; one connection closed on the
/// request) while the rest of the burst is still to go. librdkafka, the
/// judge, stores everything once and in order; so must we (we had up to
/// five batches of a partition in flight and stored 50 messages out of
/// order in each case).
#[test]
fn a_failed_batch_is_never_overtaken_on_a_broker_without_sequence_checks() {
    let faults = [
        ("pushed", "errors 0 NOT_LEADER_FOR_PARTITION"),
        ("closed", "broker-errors 1 0 _TRANSPORT 0"),
    ];
    let cluster = MockCluster::start(3);
    cluster.must("rtt -1 100");
    for (name, fault) in faults {
        for against in BOTH {
            let topic = format!("overtaken-{name}-{}", against.tag());
            cluster.create_topic(&topic, 1, 3);
            cluster.must(&format!("leader {topic} 0 1"));
            let mut driven = start(
                against,
                &cluster.bootstrap,
                &topic,
                &[
                    IDEMPOTENT,
                    "conf:linger.ms=5",
                    "conf:batch.num.messages=50",
                    "produce:1000",
                    "sync:fault",
                    "produce:1000",
                    "flush:60000",
                    "dump",
                ],
            );
            driven.until_sync("fault", SYNC_TIMEOUT);
            cluster.must(fault);
            driven.resume();
            let end = finish(against, driven);
            assert_all_delivered(&end, 2000);
            assert_eq!(
                verify_exactly_once_in_order(&cluster.bootstrap, &topic, &end),
                2000,
                "{name} {against:?}"
            );
        }
    }
}

// ------------------------------------------------------------- our mock

/// Debian's librdkafka as the idempotent producer, our mock as the broker:
/// its retries after lost responses must be recognised as duplicates.
#[test]
fn our_mock_recognises_librdkafkas_retries_as_duplicates() {
    let cluster = MockCluster::start_ours(3);
    lost_responses_are_not_duplicated(&cluster, Against::Librdkafka, "ours-lost-rdk");
    lost_responses_are_not_duplicated(&cluster, Against::Ours, "ours-lost-ours");
}

/// confluent-kafka 2.16's idempotent producer on our mock: pushed
/// retriable and unknown-producer errors, and responses held back past its
/// `request.timeout.ms` after the append (it resends; our mock must answer
/// the duplicates without appending them). Everything arrives once.
#[test]
fn confluent_kafka_idempotent_producer_on_our_mock() {
    let cluster = MockCluster::start_ours(3);
    let topic = "confluent-idempotent";
    cluster.create_topic(topic, 3, 3);
    cluster.must("errors 0 NOT_LEADER_FOR_PARTITION UNKNOWN_PRODUCER_ID REQUEST_TIMED_OUT");
    for broker in 1..=3 {
        cluster.must(&format!(
            "broker-errors {broker} 0 NO_ERROR 1200 NO_ERROR 1200"
        ));
    }
    let opts = ProduceOpts {
        keys: true,
        conf: &[
            "enable.idempotence=true",
            "linger.ms=5",
            "request.timeout.ms=500",
        ],
        ..Default::default()
    };
    python_produce(
        &cluster.bootstrap,
        topic,
        2000,
        50,
        &opts,
        Duration::from_secs(60),
    );
    // More than were produced: a duplicate would be read too.
    let (msgs, _) = run_python_consume(
        &cluster.bootstrap,
        topic,
        2100,
        Duration::from_secs(10),
        &ConsumeOpts::default(),
    );
    let mut keys: Vec<Vec<u8>> = msgs.iter().filter_map(|m| m.key.clone()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(
        (msgs.len(), keys.len()),
        (2000, 2000),
        "duplicates or missing keys"
    );
}

// ---------------------------------------------------------------- Tansu

#[test]
fn plain_idempotent_path_on_tansu() {
    let tansu = Tansu::start();
    let topic = "idempotent-tansu";
    tansu.create_topic(topic, 3);
    let end = run(
        Against::Ours,
        &tansu.bootstrap,
        topic,
        &[
            IDEMPOTENT,
            "conf:linger.ms=5",
            "produce:2000",
            "flush:60000",
            "dump",
        ],
    );
    assert_all_delivered(&end, 2000);
    assert_eq!(
        verify_exactly_once_in_order(&tansu.bootstrap, topic, &end),
        2000
    );
}

// ------------------------------------------------ configuration, fatal

/// How `producer_steps` with `steps` failed to create its handle or topic.
fn creation_refusal(against: Against, steps: &[&str]) -> Option<String> {
    let mut args: Vec<String> = vec!["127.0.0.1:1".into(), "t".into()];
    args.extend(steps.iter().map(|s| s.to_string()));
    args.push("outq".into());
    let end = run_driven(
        &format!("conf-{}", against.tag()),
        &producer_steps(against),
        &args,
        Duration::from_secs(30),
    );
    let stderr = std::fs::read_to_string(&end.log).unwrap_or_default();
    stderr
        .lines()
        .find(|l| {
            l.starts_with("rd_kafka_new failed: ") || l.starts_with("rd_kafka_topic_new failed: ")
        })
        .map(str::to_string)
}

/// Conflicting settings: `rd_kafka_new` refuses them with librdkafka's
/// own errstr (compared with Debian's librdkafka's, not with a copy).
#[test]
fn conflicting_settings_are_refused_as_librdkafka_does() {
    let conflicts: [&[&str]; 9] = [
        &[IDEMPOTENT, "conf:max.in.flight=6"],
        &[IDEMPOTENT, "conf:retries=0"],
        &[IDEMPOTENT, "conf:acks=1"],
        &[IDEMPOTENT, "conf:queuing.strategy=lifo"],
        &[IDEMPOTENT, "conf:queue.buffering.backpressure.threshold=2"],
        &["conf:enable.gapless.guarantee=true"],
        &["conf:transactional.id=t", "conf:enable.idempotence=false"],
        &["conf:transactional.id=t", "conf:socket.timeout.ms=70000"],
        &["conf:transactional.id=t", "conf:message.timeout.ms=70000"],
    ];
    for steps in conflicts {
        let refusals: Vec<Option<String>> = BOTH
            .iter()
            .map(|&against| creation_refusal(against, steps))
            .collect();
        assert!(refusals[1].is_some(), "librdkafka accepted {steps:?}");
        assert_eq!(refusals[0], refusals[1], "{steps:?}");
    }
    // A topic handle's own conflicting `acks` fails rd_kafka_topic_new.
    for against in BOTH {
        assert_eq!(
            creation_refusal(against, &[IDEMPOTENT, "tconf:acks=0"]).as_deref(),
            Some("rd_kafka_topic_new failed: _INVALID_ARG"),
            "{against:?}"
        );
    }
    // What librdkafka adjusts instead of refusing is accepted: `run`
    // checks the handle and topic were created and destroyed cleanly. Not
    // judged by `rd_kafka_outq_len`: nothing listens at the bootstrap
    // address, and the connection-failure error events count in it (in
    // librdkafka too) whenever the connect attempt fails before the call.
    for against in BOTH {
        let end = run(
            against,
            "127.0.0.1:1",
            "t",
            &[
                IDEMPOTENT,
                "conf:max.in.flight=5",
                "conf:retries=3",
                "tconf:acks=all",
            ],
        );
        assert!(end.lines("DR ").is_empty(), "{}", end.describe());
    }
}

/// `rd_kafka_test_fatal_error`: the same results, error callback, errstr,
/// refused produce calls and purged queue as librdkafka.
#[test]
fn fatal_error_surfaces_as_librdkafka() {
    let cluster = MockCluster::start(3);
    let mut outputs = Vec::new();
    for against in BOTH {
        let topic = format!("fatal-{}", against.tag());
        cluster.create_topic(&topic, 2, 3);
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                IDEMPOTENT,
                "conf:linger.ms=60000",
                "fatal_error",
                "produce:10",
                "fatal:OUT_OF_ORDER_SEQUENCE_NUMBER:injected by the test",
                "fatal:_INVALID_ARG:second",
                "fatal_error",
                "poll:500",
                "try:1",
                "flush:5000",
            ],
        );
        // The callback's text is "Fatal error: <err2str>: <reason>", and
        // our err2str texts are our own wording: compare the rest.
        let relevant: Vec<String> = end
            .stdout
            .iter()
            .filter(|l| {
                ["fatal", "test_fatal", "try ", "flush"]
                    .iter()
                    .any(|p| l.starts_with(p))
            })
            .map(|l| match l.find(": test_fatal_error: ") {
                Some(at) if l.starts_with("fatal_cb reason=Fatal error: ") => {
                    format!("fatal_cb reason=Fatal error: <err2str>{}", &l[at..])
                }
                _ => l.clone(),
            })
            .collect();
        let dr_errors = summary(&end, "dr_errors");
        let cb_errors = summary(&end, "cb_errors");
        outputs.push((relevant, dr_errors, cb_errors, end.describe()));
    }
    let (ours, rdk) = (&outputs[0], &outputs[1]);
    assert_eq!(ours.0, rdk.0, "\nours:\n{}\nlibrdkafka:\n{}", ours.3, rdk.3);
    assert_eq!(
        ours.1, rdk.1,
        "dr_errors\nours:\n{}\nlibrdkafka:\n{}",
        ours.3, rdk.3
    );
    assert_eq!(
        ours.2, rdk.2,
        "cb_errors\nours:\n{}\nlibrdkafka:\n{}",
        ours.3, rdk.3
    );
    assert!(
        ours.0.iter().any(|l| l == "test_fatal_error=NO_ERROR"),
        "{}",
        ours.3
    );
}

/// After a fatal error nothing more is sent, yet every message produced
/// before it still gets exactly one report: none may be left waiting for a
/// send that never comes. Two ways a message reached a partition's queue
/// after the fatal error had purged the queues, each forced here:
/// - routed there by the library's thread: produced before the partitions
///   were known, and routed after the fatal error was raised (the
///   partitioner raises it on its second call). Ours only: librdkafka
///   holds its topic write lock while it partitions, and the purge its
///   fatal error runs takes the same lock (2.0.2 aborts on the failed
///   `rwlock_wrlock` assertion);
/// - put back for a retry: its batch was in flight when the fatal error
///   was raised, and failed with a retriable error.
#[test]
fn messages_queued_after_a_fatal_error_still_get_their_reports() {
    const COUNT: usize = 20;
    let assert_all_purged = |end: &DrivenEnd, what: &str| {
        assert_eq!(
            end.line("flush="),
            "flush=NO_ERROR outq=0",
            "{what}\n{}",
            end.describe()
        );
        assert_eq!(count(end, "reports"), COUNT, "{what}\n{}", end.describe());
        // Purged as the fatal error purged the rest of the queue.
        assert_eq!(
            summary(end, "dr_errors"),
            format!("_PURGE_QUEUE:{COUNT}"),
            "{what}\n{}",
            end.describe()
        );
    };
    let cluster = MockCluster::start(1);

    cluster.create_topic("fatal-routed", 2, 1);
    // Metadata arrives well after the messages were produced.
    cluster.must("rtt -1 300");
    let end = run(
        Against::Ours,
        &cluster.bootstrap,
        "fatal-routed",
        &[IDEMPOTENT, "partitioner:fatal", "produce:20", "flush:10000"],
    );
    cluster.must("rtt -1 0");
    assert_all_purged(&end, "routed after the fatal error");

    // Ours only again: librdkafka 2.0.2 never reports that batch (flush
    // times out, `message.timeout.ms` does not fail it either): a
    // difference listed in the README.
    cluster.create_topic("fatal-retried", 1, 1);
    // The first produce request is answered after 1.5 s, with an error
    // the producer retries.
    cluster.must("broker-errors 1 0 NOT_LEADER_FOR_PARTITION 1500");
    let end = run(
        Against::Ours,
        &cluster.bootstrap,
        "fatal-retried",
        &[
            IDEMPOTENT,
            "conf:linger.ms=0",
            "produce:20:0",
            "poll:700",
            "fatal:OUT_OF_ORDER_SEQUENCE_NUMBER:raised while a batch is in flight",
            "flush:10000",
        ],
    );
    assert_all_purged(&end, "in flight at the fatal error");
}

/// `enable.gapless.guarantee`: a batch sent with sequence numbers that
/// fails for good (here a permanent error) leaves a gap, which becomes the
/// fatal error `__GAPLESS_GUARANTEE`, as librdkafka raises it.
#[test]
fn gapless_guarantee_makes_a_gap_fatal() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        let topic = format!("gapless-{}", against.tag());
        cluster.create_topic(&topic, 1, 3);
        let mut driven = start(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                IDEMPOTENT,
                "conf:enable.gapless.guarantee=true",
                "produce:1",
                "flush:10000",
                "sync:deny",
                "produce:5",
                "wait_error:_FATAL:10000",
                "fatal_error",
                "try:1",
                "flush:10000",
            ],
        );
        driven.until_sync("deny", SYNC_TIMEOUT);
        cluster.must("errors 0 TOPIC_AUTHORIZATION_FAILED");
        driven.resume();
        let end = finish(against, driven);
        assert_eq!(
            end.line("wait_error"),
            "wait_error _FATAL seen=1",
            "{against:?}\n{}",
            end.describe()
        );
        let fatal = end.line("fatal_error=");
        assert!(
            fatal.starts_with("fatal_error=_GAPLESS_GUARANTEE reason=ProduceRequest for ")
                && fatal.ends_with("unable to satisfy gap-less guarantee"),
            "{against:?}\n{}",
            end.describe()
        );
        assert_eq!(end.line("try "), "try accepted=0 error=_FATAL");
        assert_eq!(summary(&end, "dr_errors"), "TOPIC_AUTHORIZATION_FAILED:5");
        assert_eq!(count(&end, "delivered"), 1);
    }
}

// --------------------------------------------------------------- memory

#[test]
fn idempotent_producer_is_clean_under_valgrind() {
    if !valgrind_available() {
        return;
    }
    let cluster = MockCluster::start(3);
    let topic = "valgrind-idempotent";
    cluster.create_topic(topic, 4, 3);
    cluster.must("errors 0 NOT_LEADER_FOR_PARTITION UNKNOWN_PRODUCER_ID REQUEST_TIMED_OUT");
    let mut cmd = valgrind_command();
    cmd.arg(producer_steps(Against::Ours))
        .args([&cluster.bootstrap, topic])
        .args([
            IDEMPOTENT,
            "conf:linger.ms=5",
            "produce:300",
            "flush:60000",
            "produce:20",
            "fatal:OUT_OF_ORDER_SEQUENCE_NUMBER:valgrind",
            "fatal_error",
            "flush:5000",
        ]);
    let end = Driven::spawn("valgrind-idempotent", &mut cmd).finish(Duration::from_secs(300));
    assert!(
        end.success() && end.lines("destroyed").len() == 1,
        "valgrind run failed\n{}",
        end.describe()
    );
    assert_eq!(count(&end, "reports"), 320, "{}", end.describe());
}

// ------------------------------- order across the arrival of metadata

fn routing_order(against: Against, bootstrap: &str, topic: &str, args: &[&str]) -> DrivenEnd {
    let src = repo_root().join("tests/c/routing_order.c");
    let program = build_c("routing_order", &[&src], against, &[]);
    let mut cmd = std::process::Command::new(program);
    cmd.arg(bootstrap).arg(topic).args(args);
    let end = finish(
        against,
        Driven::spawn(&format!("routing-order-{}", against.tag()), &mut cmd),
    );
    let version = end.line("version ").to_string();
    assert_eq!(
        version.contains("ferrokafka"),
        against == Against::Ours,
        "{version}: not the library intended"
    );
    end
}

/// Messages produced before the partitions are known wait to be routed by
/// the library's thread; one produced straight to the partition while that
/// routing runs must still be stored after them. The partitioner callback
/// holds the routing (on the library's thread) until the application has
/// produced to the partition, so the interleaving is forced, not hoped for.
/// librdkafka holds its topic lock while partitioning, so there the
/// application's produce waits for the routing instead (the 3 s hold ends).
#[test]
fn a_message_produced_while_waiting_messages_are_routed_stays_behind_them() {
    let cluster = MockCluster::start(1);
    for against in BOTH {
        let topic = format!("routing-held-{}", against.tag());
        cluster.create_topic(&topic, 2, 1);
        // Metadata arrives well after messages 0 and 1 were produced.
        cluster.must("rtt -1 300");
        let end = routing_order(against, &cluster.bootstrap, &topic, &["held"]);
        cluster.must("rtt -1 0");
        if against == Against::Ours {
            assert_eq!(
                end.line("held-by-library "),
                "held-by-library 1",
                "the routing was not held while the application produced\n{}",
                end.describe()
            );
        }
        assert_eq!(successful_reports(&end).len(), 4, "{}", end.describe());
        assert_eq!(
            verify_exactly_once_in_order(&cluster.bootstrap, &topic, &end),
            4
        );
    }
}

/// From creation on, at speed, explicit partitions and the partitioner
/// mixed: every partition stores messages in produce order.
#[test]
fn producing_at_speed_from_creation_keeps_order_per_partition() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        let topic = format!("routing-speed-{}", against.tag());
        cluster.create_topic(&topic, 3, 3);
        let end = routing_order(against, &cluster.bootstrap, &topic, &["speed", "20000"]);
        assert_eq!(successful_reports(&end).len(), 20000, "{}", end.describe());
        assert_eq!(
            verify_exactly_once_in_order(&cluster.bootstrap, &topic, &end),
            20000
        );
    }
}
