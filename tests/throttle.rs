//! Broker throttling (issue 13): our mock throttles one broker
//! (`rd_kafka_mock_broker_set_throttle_ms`, through the `throttle` command
//! of `tests/peers/mock_cluster.c`) as Kafka does, every response carrying
//! `throttle_time_ms` and the connection muted that long after it, while a
//! producer and then a consumer (`tests/c/throttle_client.c`, built against
//! our library) work through it. Judged: `throttle_cb` names the throttling
//! broker ("host:port" and id, as librdkafka) and its time, then reports 0
//! once unthrottled, always on the polling thread; the statistics'
//! `brokers.*.throttle` window shows the time for that broker only;
//! nothing is lost. confluent-kafka 2.16 (librdkafka 2.16 inside) is the
//! independent judge of the mock's responses: its producer, run the same
//! way against the same broker, reports the same throttling.

mod support;

use std::collections::BTreeSet;
use std::process::Command;
use std::time::Duration;
use support::*;

const BROKERS: usize = 3;
/// The broker that throttles; it leads the test topics' partition 0.
const THROTTLED: i32 = 2;
const THROTTLE_MS: i32 = 200;
const MESSAGES: usize = 200;
/// Messages produced after the throttling ended (`AFTER_THROTTLE` in the
/// C program and the Python peer).
const AFTER_THROTTLE: usize = 10;
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// One `throttle_cb` call.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Report {
    role: String,
    broker_name: String,
    broker_id: i32,
    ms: i32,
    on_polling_thread: bool,
}

fn reports(end: &DrivenEnd) -> Vec<Report> {
    end.lines("throttle ")
        .iter()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            assert_eq!(f.len(), 6, "bad throttle line {l:?}");
            Report {
                role: f[1].to_string(),
                broker_name: f[2].to_string(),
                broker_id: f[3].parse().expect("broker id"),
                ms: f[4].parse().expect("ms"),
                on_polling_thread: f[5] == "1",
            }
        })
        .collect()
}

/// `127.0.0.1:PORT` of broker `id` (our mock lists them in id order).
fn address(cluster: &MockCluster, id: i32) -> String {
    cluster
        .bootstrap
        .split(',')
        .nth(id as usize - 1)
        .expect("broker in bootstrap list")
        .to_string()
}

fn topic_led_by_throttled(cluster: &MockCluster, topic: &str) {
    cluster.create_topic(topic, 1, BROKERS as i32);
    cluster.must(&format!("leader {topic} 0 {THROTTLED}"));
}

/// Runs `cmd` through the sync points the C program and the Python peer
/// share, throttling broker `THROTTLED` where they ask for it.
fn drive(cluster: &MockCluster, name: &str, cmd: &mut Command, with_consumer: bool) -> DrivenEnd {
    let mut driven = Driven::spawn(name, cmd);
    let mut points = vec![("throttled", THROTTLE_MS), ("unthrottled", 0)];
    if with_consumer {
        points.extend([
            ("consumer-throttled", THROTTLE_MS),
            ("consumer-unthrottled", 0),
        ]);
    }
    for (point, ms) in points {
        driven.until_sync(point, RUN_TIMEOUT);
        cluster.must(&format!("throttle {THROTTLED} {ms}"));
        driven.resume();
    }
    let end = driven.finish(RUN_TIMEOUT);
    assert!(end.success(), "{name} failed\n{}", end.describe());
    end
}

fn run_our_client(cluster: &MockCluster, topic: &str) -> DrivenEnd {
    let program = build_c(
        "throttle_client",
        &[&repo_root().join("tests/c/throttle_client.c")],
        Against::Ours,
        &[],
    );
    let mut cmd = Command::new(program);
    cmd.arg(&cluster.bootstrap)
        .arg(topic)
        .arg(MESSAGES.to_string());
    let end = drive(cluster, "throttle_client", &mut cmd, true);
    assert!(
        end.line("version ").contains("ferrokafka"),
        "{}",
        end.line("version ")
    );
    end
}

/// Checks one role's reports: every throttled one names the throttling
/// broker (its own connection, or a bootstrap connection to its address,
/// id -1 as librdkafka's) and the time set; one of its own connection is
/// there; the throttling's end is reported (0) after the last of them.
fn check_reports(all: &[Report], role: &str, throttled_address: &str) {
    let mine: Vec<&Report> = all.iter().filter(|r| r.role == role).collect();
    for r in &mine {
        assert!(r.on_polling_thread, "throttle_cb on another thread: {r:?}");
        if r.ms > 0 {
            assert_eq!(r.ms, THROTTLE_MS, "{r:?}");
            assert_eq!(r.broker_name, throttled_address, "{r:?}");
            assert!([THROTTLED, -1].contains(&r.broker_id), "{r:?}");
        }
    }
    let last_throttled = mine
        .iter()
        .rposition(|r| r.ms > 0)
        .unwrap_or_else(|| panic!("{role}: no throttle report: {all:?}"));
    assert!(
        mine.iter().any(|r| r.ms > 0 && r.broker_id == THROTTLED),
        "{role}: no report from broker {THROTTLED}'s own connection: {mine:?}"
    );
    assert!(
        mine[last_throttled..].iter().any(|r| r.ms == 0),
        "{role}: the end of throttling was not reported: {mine:?}"
    );
}

/// Per broker name, the largest `throttle.max` and the sum of
/// `throttle.cnt` over the role's statistics documents.
fn throttle_windows(end: &DrivenEnd, role: &str) -> Vec<(String, i64, i64, i64)> {
    let mut windows: std::collections::BTreeMap<String, (i64, i64, i64)> = Default::default();
    for line in end.lines(&format!("stats {role} ")) {
        let json = &line[format!("stats {role} ").len()..];
        let doc: serde_json::Value = serde_json::from_str(json).expect("statistics JSON");
        for (name, b) in doc["brokers"].as_object().expect("brokers object") {
            let w = windows.entry(name.clone()).or_default();
            w.0 = b["nodeid"].as_i64().expect("nodeid");
            w.1 =
                w.1.max(b["throttle"]["max"].as_i64().expect("throttle.max"));
            w.2 += b["throttle"]["cnt"].as_i64().expect("throttle.cnt");
        }
    }
    windows
        .into_iter()
        .map(|(n, (id, max, cnt))| (n, id, max, cnt))
        .collect()
}

fn check_statistics(end: &DrivenEnd, role: &str, throttled_address: &str) {
    let windows = throttle_windows(end, role);
    assert!(!windows.is_empty(), "{role}: no statistics");
    for (name, id, max, cnt) in &windows {
        if *id == i64::from(THROTTLED) {
            assert!(
                *cnt > 0,
                "{role}: {name} has no throttle samples: {windows:?}"
            );
            assert_eq!(*max, i64::from(THROTTLE_MS), "{role}: {windows:?}");
        } else if !name.starts_with(&format!("{throttled_address}/")) {
            assert_eq!(
                (*max, *cnt),
                (0, 0),
                "{role}: {name} never throttled: {windows:?}"
            );
        }
    }
}

#[test]
fn a_throttling_broker_is_reported_to_producer_and_consumer() {
    let cluster = MockCluster::start_ours(BROKERS);
    let topic = "throttled";
    topic_led_by_throttled(&cluster, topic);
    let throttled_address = address(&cluster, THROTTLED);

    let end = run_our_client(&cluster, topic);
    let all = reports(&end);
    println!("throttle reports: {all:?}");
    check_reports(&all, "producer", &throttled_address);
    check_reports(&all, "consumer", &throttled_address);
    check_statistics(&end, "producer", &throttled_address);
    check_statistics(&end, "consumer", &throttled_address);

    let total = MESSAGES + AFTER_THROTTLE;
    assert_eq!(
        end.line("producer "),
        format!("producer delivered={total} failed=0"),
        "{}",
        end.describe()
    );
    assert_eq!(end.line("consumer "), format!("consumer read={total}"));
}

/// The throttle reports of one producer run as a comparable set: each
/// throttled (broker name, id, ms) of a broker's own connection, and
/// whether the end was reported.
fn producer_view(all: &[Report]) -> (BTreeSet<(String, i32, i32)>, bool) {
    let producer = all.iter().filter(|r| r.role == "producer");
    let throttled = producer
        .clone()
        .filter(|r| r.ms > 0 && r.broker_id >= 0)
        .map(|r| (r.broker_name.clone(), r.broker_id, r.ms))
        .collect();
    (throttled, producer.clone().any(|r| r.ms == 0))
}

#[test]
fn confluent_kafka_sees_the_same_throttling_as_our_client() {
    let cluster = MockCluster::start_ours(BROKERS);
    let throttled_address = address(&cluster, THROTTLED);

    let topic = "throttled-by-confluent-kafka";
    topic_led_by_throttled(&cluster, topic);
    let messages = MESSAGES.to_string();
    let mut cmd = python_peer_command(
        "throttle_events.py",
        &[
            "--bootstrap",
            &cluster.bootstrap,
            "--topic",
            topic,
            "--messages",
            &messages,
        ],
    );
    let theirs = drive(&cluster, "throttle_events.py", &mut cmd, false);
    println!("confluent-kafka {}", theirs.line("version "));
    let total = MESSAGES + AFTER_THROTTLE;
    assert_eq!(
        theirs.line("producer "),
        format!("producer delivered={total} failed=0")
    );

    let topic = "throttled-by-ours";
    topic_led_by_throttled(&cluster, topic);
    let ours = run_our_client(&cluster, topic);

    let (their_reports, our_reports) = (reports(&theirs), reports(&ours));
    println!("confluent-kafka: {their_reports:?}\nours: {our_reports:?}");
    let expected: BTreeSet<_> = [(throttled_address, THROTTLED, THROTTLE_MS)].into();
    assert_eq!(producer_view(&their_reports), (expected.clone(), true));
    assert_eq!(producer_view(&our_reports), (expected, true));
}
