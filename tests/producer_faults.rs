//! Producer under faults and local limits.
//!
//! Every scenario is a script for `tests/c/producer_steps.c` (steps language
//! at the top of that file) run against librdkafka's 3-broker mock cluster,
//! whose brokers the test stops, slows down or makes fail at the script's
//! sync points. Each script runs twice: against our library and against
//! Debian's librdkafka, so every expectation written here is one librdkafka
//! itself meets. What is read back is read by confluent-kafka.

mod support;

use std::collections::{HashMap, HashSet};
use std::time::Duration;
use support::*;

const RUN_TIMEOUT: Duration = Duration::from_secs(120);
const SYNC_TIMEOUT: Duration = Duration::from_secs(60);
const BOTH: [Against; 2] = [Against::Ours, Against::Librdkafka];

/// Starts `producer_steps` with `steps`; the caller drives its sync points.
fn start(against: Against, bootstrap: &str, topic: &str, steps: &[&str]) -> Driven {
    let exe = producer_steps(against);
    let mut cmd = std::process::Command::new(exe);
    cmd.arg(bootstrap).arg(topic).args(steps);
    Driven::spawn(&format!("producer_steps-{}", against.tag()), &mut cmd)
}

/// Runs a script without sync points to its end; panics unless it exited 0.
fn run(against: Against, bootstrap: &str, topic: &str, steps: &[&str]) -> DrivenEnd {
    let end = start(against, bootstrap, topic, steps).finish(RUN_TIMEOUT);
    check_end(against, end)
}

fn check_end(against: Against, end: DrivenEnd) -> DrivenEnd {
    assert!(
        end.success() && end.lines("destroyed").len() == 1,
        "producer_steps against {against:?} failed\n{}",
        end.describe()
    );
    end
}

/// A summary field as a number.
fn count(end: &DrivenEnd, key: &str) -> usize {
    let line = end.line("summary ");
    field(line, key)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no numeric {key} in {line:?}"))
}

/// A summary field as text (the `NAME:n,...` lists).
fn text<'a>(end: &'a DrivenEnd, key: &str) -> &'a str {
    field(end.line("summary "), key).unwrap_or("")
}

/// The value of `key` on the `n`th line starting with `prefix`.
fn step_field<'a>(end: &'a DrivenEnd, prefix: &str, n: usize, key: &str) -> &'a str {
    let lines = end.lines(prefix);
    let line = lines
        .get(n)
        .unwrap_or_else(|| panic!("no line #{n} starting with {prefix:?}\n{}", end.describe()));
    field(line, key).unwrap_or_else(|| panic!("no {key} in {line:?}"))
}

/// Every produced message got exactly one report, and it was a success.
fn assert_all_delivered(end: &DrivenEnd, n: usize) {
    let ok = count(end, "produced") == n
        && count(end, "delivered") == n
        && count(end, "reports") == n
        && count(end, "duplicates") == 0
        && count(end, "bad") == 0;
    assert!(ok, "expected {n} clean deliveries\n{}", end.describe());
}

/// One `DR idx partition offset err reports` line of a `dump`.
struct Report {
    index: usize,
    partition: i32,
    offset: i64,
    err: String,
    reports: usize,
}

fn reports(end: &DrivenEnd) -> Vec<Report> {
    end.lines("DR ")
        .iter()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let parsed = (|| {
                Some(Report {
                    index: f.get(1)?.parse().ok()?,
                    partition: f.get(2)?.parse().ok()?,
                    offset: f.get(3)?.parse().ok()?,
                    err: f.get(4)?.to_string(),
                    reports: f.get(5)?.parse().ok()?,
                })
            })();
            parsed.unwrap_or_else(|| panic!("bad DR line {l:?}"))
        })
        .collect()
}

/// Reads the whole topic back with confluent-kafka and checks it against
/// the delivery reports: every report names the offset where its message
/// is, no message is missing. Duplicates (a retried request that had been
/// written) are allowed without idempotence; returns their count per
/// partition.
fn verify_log(bootstrap: &str, topic: &str, end: &DrivenEnd) -> HashMap<i32, usize> {
    let drs = reports(end);
    assert!(!drs.is_empty(), "script did not dump its reports");
    // Up to each partition's high watermark, duplicates included: the
    // reader knows where the log ends instead of waiting for a timeout.
    let msgs = python_read_to_end(bootstrap, topic, Duration::from_secs(60));
    let at: HashMap<(i32, i64), &ConsumedMsg> =
        msgs.iter().map(|m| ((m.partition, m.offset), m)).collect();
    assert_eq!(at.len(), msgs.len(), "consumer read an offset twice");
    for dr in &drs {
        assert!(
            dr.reports == 1 && dr.err == "NO_ERROR",
            "message {} reported {} times, last {}",
            dr.index,
            dr.reports,
            dr.err
        );
        let key = at
            .get(&(dr.partition, dr.offset))
            .and_then(|m| m.key.clone());
        assert_eq!(
            key,
            Some(expected_key(dr.index)),
            "report of message {} names {}:{}",
            dr.index,
            dr.partition,
            dr.offset
        );
    }
    let mut copies: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut duplicates: HashMap<i32, usize> = HashMap::new();
    for m in &msgs {
        let key = m.key.clone().unwrap_or_default();
        let n = copies.entry(key).or_default();
        *n += 1;
        if *n > 1 {
            *duplicates.entry(m.partition).or_default() += 1;
        }
    }
    for dr in &drs {
        assert!(
            copies.contains_key(&expected_key(dr.index)),
            "message {} lost",
            dr.index
        );
    }
    duplicates
}

// ---------------------------------------------------------------- faults

#[test]
fn brokers_down_at_start_messages_wait_then_deliver() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        let topic = format!("down-at-start-{}", against.tag());
        cluster.create_topic(&topic, 4, 3);
        cluster.must("down -1");
        let mut p = start(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                "produce:50",
                "wait_error:_ALL_BROKERS_DOWN:15000",
                "flush:1000",
                "poll:0",
                "sync:down",
                "flush:60000",
                "dump",
            ],
        );
        p.until_sync("down", SYNC_TIMEOUT);
        cluster.must("up -1");
        p.resume();
        let end = check_end(against, p.finish(RUN_TIMEOUT));
        assert_eq!(
            step_field(&end, "wait_error", 0, "seen"),
            "1",
            "{against:?}: no _ALL_BROKERS_DOWN\n{}",
            end.describe()
        );
        assert!(
            text(&end, "cb_errors").contains("_TRANSPORT"),
            "{}",
            end.describe()
        );
        // Nothing can leave while every broker is down.
        assert_eq!(step_field(&end, "flush", 0, "flush"), "_TIMED_OUT");
        assert_eq!(step_field(&end, "poll", 0, "reports"), "0");
        // outq_len counts undelivered messages plus events not yet served:
        // a broker's connection error can land just after flush returned.
        let outq: usize = step_field(&end, "flush", 0, "outq").parse().unwrap();
        assert!(
            (50..=50 + 4).contains(&outq),
            "{against:?}: outq {outq} after the timed-out flush\n{}",
            end.describe()
        );
        assert_eq!(step_field(&end, "flush", 1, "flush"), "NO_ERROR");
        assert_eq!(step_field(&end, "flush", 1, "outq"), "0");
        assert_all_delivered(&end, 50);
        verify_log(&cluster.bootstrap, &topic, &end);
    }
}

/// Runs `steps` on a new 6-partition topic whose partitions brokers 1, 2
/// and 3 lead in turn. At sync point `down_at` broker 2 goes down; at
/// `move_at` the cluster moves its partitions (1 and 4) to the survivors,
/// which the client must learn from metadata. Broker 2 is up again after.
fn broker_2_dies_and_its_partitions_move(
    cluster: &MockCluster,
    against: Against,
    topic: &str,
    steps: &[&str],
    (down_at, move_at): (&str, &str),
) -> DrivenEnd {
    cluster.create_topic(topic, 6, 3);
    for p in 0..6 {
        cluster.must(&format!("leader {topic} {p} {}", p % 3 + 1));
    }
    let mut p = start(against, &cluster.bootstrap, topic, steps);
    p.until_sync(down_at, SYNC_TIMEOUT);
    cluster.must("down 2");
    p.resume();
    p.until_sync(move_at, SYNC_TIMEOUT);
    cluster.must(&format!("leader {topic} 1 1"));
    cluster.must(&format!("leader {topic} 4 3"));
    p.resume();
    let end = p.finish(RUN_TIMEOUT);
    cluster.must("up 2");
    check_end(against, end)
}

#[test]
fn broker_dies_mid_run_nothing_lost() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        let topic = format!("dies-{}", against.tag());
        // Broker 2 dies with requests in flight and messages queued for
        // partitions 1 and 4; production goes on.
        let end = broker_2_dies_and_its_partitions_move(
            &cluster,
            against,
            &topic,
            &[
                "conf:linger.ms=5",
                "rate:500",
                "produce:1000",
                "sync:half",
                "produce:1000",
                "sync:moved",
                "flush:60000",
                "dump",
            ],
            ("half", "moved"),
        );
        assert_all_delivered(&end, 2000);
        let duplicates = verify_log(&cluster.bootstrap, &topic, &end);
        eprintln!("{against:?}: duplicates per partition after broker 2 died: {duplicates:?}");
    }
}

/// A leader goes down while none of its partitions has a message queued
/// or in flight; only later are messages produced to them, and only then
/// does the cluster move those partitions. The client must keep asking
/// for metadata while messages wait for a down leader, not only right
/// after the down (it asked once, saw nothing waiting, and the messages
/// then waited for the 5-minute refresh: the cause of the rare flush
/// timeouts of `broker_dies_mid_run_nothing_lost`).
#[test]
fn messages_for_a_leader_already_down_find_its_successor() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        let topic = format!("down-before-{}", against.tag());
        let end = broker_2_dies_and_its_partitions_move(
            &cluster,
            against,
            &topic,
            &[
                "conf:linger.ms=5",
                "produce:300",
                "flush:30000",
                "sync:delivered",
                // The client has seen the broker go down and has looked
                // at metadata since: nothing was waiting then.
                "wait_error:_TRANSPORT:20000",
                "poll:500",
                "produce:300",
                "sync:produced",
                "flush:30000",
                "dump",
            ],
            ("delivered", "produced"),
        );
        assert_all_delivered(&end, 600);
        assert_eq!(
            step_field(&end, "flush", 1, "flush"),
            "NO_ERROR",
            "{}",
            end.describe()
        );
        verify_log(&cluster.bootstrap, &topic, &end);
    }
}

#[test]
fn broker_that_stays_down_times_messages_out() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        // Metadata known, then the leader of partition 0 goes away and
        // every broker later: queued messages expire, error_cb hears it.
        let topic = format!("stays-down-{}", against.tag());
        cluster.create_topic(&topic, 4, 3);
        cluster.must(&format!("leader {topic} 0 1"));
        cluster.must(&format!("leader {topic} 1 2"));
        let mut p = start(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                "tconf:message.timeout.ms=3000",
                "produce:5:0",
                "flush:30000",
                "sync:leader-down",
                "produce:20:0",
                "produce:20:1",
                "flush:30000",
                "sync:all-down",
                "wait_error:_ALL_BROKERS_DOWN:20000",
            ],
        );
        p.until_sync("leader-down", SYNC_TIMEOUT);
        cluster.must("down 1");
        p.resume();
        p.until_sync("all-down", SYNC_TIMEOUT);
        cluster.must("down -1");
        p.resume();
        let end = check_end(against, p.finish(RUN_TIMEOUT));
        cluster.must("up -1");
        assert_eq!(count(&end, "delivered"), 25, "{}", end.describe());
        assert_eq!(
            text(&end, "dr_errors"),
            "_MSG_TIMED_OUT:20",
            "{}",
            end.describe()
        );
        assert_eq!(step_field(&end, "flush", 1, "flush"), "NO_ERROR");
        assert_eq!(
            step_field(&end, "wait_error", 0, "seen"),
            "1",
            "{}",
            end.describe()
        );
        assert!(
            text(&end, "cb_errors").contains("_TRANSPORT"),
            "{}",
            end.describe()
        );

        // No broker ever reachable: messages never get a partition and
        // expire from the topic's waiting queue.
        let topic = format!("never-up-{}", against.tag());
        cluster.create_topic(&topic, 4, 3);
        cluster.must("down -1");
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &["tconf:message.timeout.ms=2000", "produce:20", "flush:30000"],
        );
        cluster.must("up -1");
        assert_eq!(
            text(&end, "dr_errors"),
            "_MSG_TIMED_OUT:20",
            "{}",
            end.describe()
        );
        assert_eq!(step_field(&end, "flush", 0, "outq"), "0");
    }
}

#[test]
fn retriable_produce_errors_are_retried_invisibly() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        let topic = format!("retriable-{}", against.tag());
        cluster.create_topic(&topic, 4, 3);
        // The next four Produce requests (API key 0) fail, whoever sends them.
        cluster.must(
            "errors 0 NOT_LEADER_FOR_PARTITION REQUEST_TIMED_OUT \
             NOT_LEADER_FOR_PARTITION REQUEST_TIMED_OUT",
        );
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &["conf:linger.ms=20", "produce:200", "flush:60000", "dump"],
        );
        assert_all_delivered(&end, 200);
        assert_eq!(text(&end, "dr_errors"), "", "{}", end.describe());
        let duplicates = verify_log(&cluster.bootstrap, &topic, &end);
        // The mock fails these requests before writing anything.
        assert!(duplicates.is_empty(), "{duplicates:?}");
    }
}

#[test]
fn non_retriable_error_reaches_delivery_report() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        let topic = format!("denied-{}", against.tag());
        cluster.create_topic(&topic, 1, 3);
        cluster.must("errors 0 TOPIC_AUTHORIZATION_FAILED");
        // One partition and a long linger: all ten go in the one request
        // that fails.
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &["conf:linger.ms=100", "produce:10", "flush:30000", "try:1"],
        );
        assert_eq!(
            text(&end, "dr_errors"),
            "TOPIC_AUTHORIZATION_FAILED:10",
            "{}",
            end.describe()
        );
        assert_eq!(count(&end, "delivered"), 0);
        // librdkafka then marks the topic failed and refuses new messages
        // at once; we keep no per-topic error yet.
        if against == Against::Librdkafka {
            assert_eq!(
                step_field(&end, "try ", 0, "error"),
                "TOPIC_AUTHORIZATION_FAILED"
            );
        }
    }
}

#[test]
fn round_trip_above_request_timeout() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        let topic = format!("slow-{}", against.tag());
        cluster.create_topic(&topic, 1, 3);
        cluster.must(&format!("leader {topic} 0 1"));

        // Slow, then fast again: requests time out, are retried, delivered.
        cluster.must("rtt 1 3000");
        let mut p = start(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                "tconf:request.timeout.ms=1000",
                "tconf:message.timeout.ms=30000",
                "produce:10",
                "poll:3000",
                "sync:slow",
                "flush:60000",
                "dump",
            ],
        );
        p.until_sync("slow", SYNC_TIMEOUT);
        cluster.must("rtt 1 0");
        p.resume();
        let end = check_end(against, p.finish(RUN_TIMEOUT));
        assert_eq!(step_field(&end, "poll ", 0, "reports"), "0");
        assert_all_delivered(&end, 10);
        let duplicates = verify_log(&cluster.bootstrap, &topic, &end);
        eprintln!("{against:?}: duplicates after request timeouts: {duplicates:?}");

        // Slow for good: the messages time out.
        cluster.must("rtt 1 3000");
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                "tconf:request.timeout.ms=1000",
                "tconf:message.timeout.ms=5000",
                "produce:10",
                "flush:60000",
            ],
        );
        cluster.must("rtt 1 0");
        assert_eq!(
            text(&end, "dr_errors"),
            "_MSG_TIMED_OUT:10",
            "{}",
            end.describe()
        );
    }
}

// ---------------------------------------------------------- local limits

#[test]
fn queue_limits_refuse_at_once_and_block_waits() {
    let cluster = MockCluster::start(1);
    for against in BOTH {
        let topic = format!("limits-{}", against.tag());
        cluster.create_topic(&topic, 2, 1);
        // Nothing drains while the broker is down, so the limits bind.
        cluster.must("down -1");
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                "conf:queue.buffering.max.messages=10",
                "try:11",
                "legacy:1",
                "purge:q",
                "poll:200",
                "outq",
            ],
        );
        cluster.must("up -1");
        assert_eq!(step_field(&end, "try ", 0, "accepted"), "10");
        assert_eq!(step_field(&end, "try ", 0, "error"), "_QUEUE_FULL");
        assert_eq!(step_field(&end, "legacy", 0, "errno"), "ENOBUFS");
        assert_eq!(step_field(&end, "legacy", 0, "last_error"), "_QUEUE_FULL");
        assert_eq!(step_field(&end, "outq", 0, "outq"), "0");

        cluster.must("down -1");
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                "conf:queue.buffering.max.kbytes=1",
                "size:300",
                "try:10",
                "purge:q",
            ],
        );
        cluster.must("up -1");
        let accepted: usize = step_field(&end, "try ", 0, "accepted").parse().unwrap();
        assert!((1..4).contains(&accepted), "{}", end.describe());
        assert_eq!(step_field(&end, "try ", 0, "error"), "_QUEUE_FULL");

        // With RD_KAFKA_MSG_F_BLOCK the producer waits for room, which a
        // second thread's poll() makes by serving delivery reports.
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                "conf:queue.buffering.max.messages=10",
                "conf:linger.ms=1",
                "poller:on",
                "block:300",
                "poller:off",
                "flush:30000",
            ],
        );
        assert_eq!(step_field(&end, "block", 0, "refused"), "0");
        assert_all_delivered(&end, 300);
    }
}

#[test]
fn purge_queued_and_in_flight() {
    let cluster = MockCluster::start(1);
    for against in BOTH {
        let topic = format!("purge-{}", against.tag());
        cluster.create_topic(&topic, 1, 1);
        // Queued: a long linger keeps the messages in the client.
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                "conf:linger.ms=60000",
                "produce:10",
                "purge:q",
                "wait_dr:10:10000",
                "outq",
            ],
        );
        assert_eq!(
            text(&end, "dr_errors"),
            "_PURGE_QUEUE:10",
            "{}",
            end.describe()
        );
        assert_eq!(step_field(&end, "outq", 0, "outq"), "0");

        // In flight: once metadata is known the broker starts holding
        // every response for 5 s.
        let mut p = start(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                "tconf:request.timeout.ms=30000",
                "produce:1",
                "flush:30000",
                "sync:slow",
                "produce:10",
                "poll:1000",
                "purge:i",
                "wait_dr:11:10000",
                "outq",
            ],
        );
        p.until_sync("slow", SYNC_TIMEOUT);
        cluster.must("rtt 1 5000");
        p.resume();
        let end = check_end(against, p.finish(RUN_TIMEOUT));
        cluster.must("rtt 1 0");
        assert_eq!(
            text(&end, "dr_errors"),
            "_PURGE_INFLIGHT:10",
            "{}",
            end.describe()
        );
        assert_eq!(step_field(&end, "outq", 0, "outq"), "0");
    }
}

#[test]
fn delivery_report_variants() {
    let cluster = MockCluster::start(1);
    for against in BOTH {
        let topic = format!("dr-{}", against.tag());
        cluster.create_topic(&topic, 2, 1);
        // Only errors are reported: successes are freed silently, yet
        // still leave the queue.
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                "conf:delivery.report.only.error=true",
                "produce:20",
                "flush:30000",
            ],
        );
        assert_eq!(count(&end, "reports"), 0, "{}", end.describe());
        assert_eq!(step_field(&end, "flush", 0, "outq"), "0");

        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                "conf:delivery.report.only.error=true",
                "conf:linger.ms=60000",
                "produce:5",
                "purge:q",
                "wait_dr:5:10000",
            ],
        );
        assert_eq!(
            text(&end, "dr_errors"),
            "_PURGE_QUEUE:5",
            "{}",
            end.describe()
        );

        // The legacy dr_cb sees every message with its opaque.
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &["dr:legacy", "produce:20", "flush:30000"],
        );
        assert_eq!(count(&end, "delivered"), 20, "{}", end.describe());
        assert_eq!(count(&end, "stray"), 0);
    }
}

#[test]
fn legacy_produce_batch_and_custom_partitioner() {
    let cluster = MockCluster::start(3);
    for against in BOTH {
        let topic = format!("legacy-{}", against.tag());
        cluster.create_topic(&topic, 4, 3);
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &[
                "partitioner:custom",
                "legacy:20",
                "flush:30000",
                // Metadata is known now, so a bad partition is refused at once.
                "legacy:1:1000",
                "batch:30",
                "batch:8:-2",
                "batch:5:2",
                "flush:30000",
                "dump",
            ],
        );
        assert_eq!(step_field(&end, "legacy", 0, "accepted"), "20");
        assert_eq!(step_field(&end, "legacy", 1, "errno"), "ESRCH");
        assert_eq!(
            step_field(&end, "legacy", 1, "last_error"),
            "_UNKNOWN_PARTITION"
        );
        assert_eq!(step_field(&end, "batch", 0, "queued"), "30");
        // Per-message partitions: the last one (partition 1000) is refused.
        assert_eq!(step_field(&end, "batch", 1, "queued"), "7");
        assert_eq!(step_field(&end, "batch", 1, "first_error_at"), "7");
        assert_eq!(
            step_field(&end, "batch", 1, "first_error"),
            "_UNKNOWN_PARTITION"
        );
        assert_eq!(step_field(&end, "batch", 2, "queued"), "5");
        assert_all_delivered(&end, 62);
        // The callback ran for every UA message (legacy and first batch)
        // and each landed where it said.
        assert!(count(&end, "partitioner_calls") >= 50, "{}", end.describe());
        assert_eq!(count(&end, "partitioner_bad"), 0, "{}", end.describe());
        let drs = reports(&end);
        let spread: HashSet<i32> = drs.iter().map(|r| r.partition).collect();
        assert_eq!(spread.len(), 4, "custom partitioner spreads over all 4");
        for r in drs.iter().filter(|r| r.index >= 50 && r.index < 57) {
            assert_eq!(r.partition, ((r.index - 50) % 4) as i32);
        }
        for r in drs.iter().filter(|r| r.index >= 58) {
            assert_eq!(r.partition, 2);
        }
    }
}

#[test]
fn log_cb_gets_debug_lines() {
    let cluster = MockCluster::start(1);
    for against in BOTH {
        let topic = format!("log-{}", against.tag());
        cluster.create_topic(&topic, 1, 1);
        let end = run(
            against,
            &cluster.bootstrap,
            &topic,
            &["conf:debug=broker,metadata", "produce:5", "flush:30000"],
        );
        assert_all_delivered(&end, 5);
        assert!(count(&end, "debug_lines") > 0, "{}", end.describe());
        let quiet = run(
            against,
            &cluster.bootstrap,
            &topic,
            &["produce:5", "flush:30000"],
        );
        assert_eq!(count(&quiet, "debug_lines"), 0, "{}", quiet.describe());
    }
}

// throttle_cb: neither librdkafka's mock cluster (2.0.2) nor Tansu ever
// sends a non-zero throttle_time_ms, so no peer here can exercise it.

// ---------------------------------------------------------------- memory

#[test]
fn producer_path_is_clean_under_valgrind() {
    if !valgrind_available() {
        return;
    }
    let cluster = MockCluster::start(3);
    let topic = "valgrind";
    cluster.create_topic(topic, 4, 3);
    let exe = producer_steps(Against::Ours);
    let mut cmd = valgrind_command();
    cmd.arg(exe)
        .args([&cluster.bootstrap, topic])
        // Every produce call, delivered, purged, and finally messages still
        // queued when the handle is destroyed; RD_KAFKA_MSG_F_FREE payloads
        // must be freed on each of those paths.
        .args([
            "conf:linger.ms=5",
            "produce:200",
            "free:20",
            "flush:60000",
            "legacy:20",
            "batch:20",
            "flush:60000",
            "produce:30",
            "free:10",
            "purge:q",
            "poll:100",
            "produce:30",
            "free:10",
        ]);
    let end = Driven::spawn("valgrind-producer_steps", &mut cmd).finish(Duration::from_secs(300));
    // Exit status 99 is valgrind's: an invalid access or a leak.
    assert!(
        end.success() && end.lines("destroyed").len() == 1,
        "valgrind run failed\n{}",
        end.describe()
    );
    // Linger is short: some of the 30 may have left before the purge.
    let purged = count(&end, "failed");
    assert_eq!(count(&end, "delivered") + purged, 300, "{}", end.describe());
    if purged > 0 {
        assert_eq!(text(&end, "dr_errors"), format!("_PURGE_QUEUE:{purged}"));
    }
}
