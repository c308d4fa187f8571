//! `examples-c/idempotent_producer.c` (issue 13: the idempotent producer
//! written from librdkafka's documented flow) runs unchanged over Debian's
//! librdkafka 2.0.2 and over ours, on librdkafka's mock cluster and on
//! ours, and both libraries end the same way:
//!
//! - with produce errors pushed into the cluster, every message is
//!   delivered, and confluent-kafka reads each key back once, in produce
//!   order within its partition;
//! - after `rd_kafka_test_fatal_error`, the example's error callback sees
//!   `_FATAL`, `rd_kafka_fatal_error` gives the same cause, production
//!   stops, and every produced message still gets exactly one report.
//!
//! The first line the example prints is `rd_kafka_version_str()`, which
//! proves which library ran.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;
use support::*;

const COUNT: usize = 4_000;
const PARTITIONS: i32 = 3;
const RUN_TIMEOUT: Duration = Duration::from_secs(120);
const READ_TIMEOUT: Duration = Duration::from_secs(60);

fn example(against: Against) -> PathBuf {
    let source = repo_root().join("examples-c/idempotent_producer.c");
    let exe = build_c("idempotent_producer", &[&source], against, &[]);
    assert_loads_intended(&exe, against);
    exe
}

struct Outcome {
    exit: Option<i32>,
    stdout: String,
}

impl Outcome {
    fn line(&self, prefix: &str) -> Option<&str> {
        self.stdout.lines().find(|l| l.starts_with(prefix))
    }

    fn tally(&self, name: &str) -> usize {
        let line = self
            .line("produced=")
            .unwrap_or_else(|| panic!("no tally line:\n{}", self.stdout));
        line.split(' ')
            .find_map(|f| f.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {line:?}"))
    }
}

fn run_example(
    against: Against,
    bootstrap: &str,
    topic: &str,
    fatal_after: Option<usize>,
) -> Outcome {
    let count = COUNT.to_string();
    let fatal = fatal_after.map(|n| n.to_string());
    let mut cmd = Command::new(example(against));
    cmd.args([bootstrap, topic, count.as_str()]);
    cmd.args(fatal.as_deref());
    let done = run_with_timeout(&mut cmd, None, RUN_TIMEOUT);
    let stdout = done.stdout_str();
    let version = stdout.lines().next().unwrap_or("");
    assert_eq!(
        version.contains("ferrokafka"),
        against == Against::Ours,
        "{against:?} ran the wrong library: {version:?}\n{}",
        done.describe()
    );
    eprintln!("{against:?} {topic}:\n{stdout}");
    Outcome {
        exit: (!done.timed_out)
            .then(|| done.output.status.code())
            .flatten(),
        stdout,
    }
}

/// Keys read back per partition, in offset order (the example's values
/// are its own, so the value check of `read_all.py` does not apply).
fn read_back(bootstrap: &str, topic: &str) -> BTreeMap<i32, Vec<usize>> {
    let mut keys: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (partition, _, index, _) in read_all_records(bootstrap, topic, 0, READ_TIMEOUT) {
        let index = usize::try_from(index).expect("a key-<index> key");
        keys.entry(partition).or_default().push(index);
    }
    keys
}

fn assert_once_in_order(keys: &BTreeMap<i32, Vec<usize>>, what: &str) {
    let mut seen = vec![0usize; COUNT];
    for (partition, indexes) in keys {
        for pair in indexes.windows(2) {
            assert!(
                pair[0] < pair[1],
                "{what}: partition {partition} has key-{} before key-{}",
                pair[0],
                pair[1]
            );
        }
        for &i in indexes {
            seen[i] += 1;
        }
    }
    let wrong: Vec<(usize, usize)> = seen
        .iter()
        .enumerate()
        .filter(|(_, &n)| n != 1)
        .map(|(i, &n)| (i, n))
        .take(10)
        .collect();
    assert!(wrong.is_empty(), "{what}: (index, times stored): {wrong:?}");
}

fn clusters() -> [(&'static str, MockCluster); 2] {
    [
        ("librdkafka's mock", MockCluster::start(3)),
        ("our mock", MockCluster::start_ours(3)),
    ]
}

#[test]
fn every_message_once_and_in_order_through_produce_errors() {
    for (name, cluster) in clusters() {
        for against in [Against::Librdkafka, Against::Ours] {
            let topic = format!("idem-example-{}", against.tag());
            cluster.create_topic(&topic, PARTITIONS, 3);
            // Errors the idempotent producer retries through, before the
            // append (so no mock needs to recognise a duplicate).
            cluster.must(
                "errors 0 NOT_LEADER_FOR_PARTITION REQUEST_TIMED_OUT \
                 NOT_ENOUGH_REPLICAS LEADER_NOT_AVAILABLE",
            );
            let outcome = run_example(against, &cluster.bootstrap, &topic, None);
            let what = format!("{against:?} on {name}");
            assert_eq!(outcome.exit, Some(0), "{what}:\n{}", outcome.stdout);
            assert_eq!(outcome.tally("delivered"), COUNT, "{what}");
            assert_eq!(outcome.tally("failed"), 0, "{what}");
            assert_once_in_order(&read_back(&cluster.bootstrap, &topic), &what);
        }
    }
}

#[test]
fn a_fatal_error_stops_the_producer_as_in_librdkafka() {
    const FATAL_AFTER: usize = 1_500;
    for (name, cluster) in clusters() {
        let mut fatal_lines = Vec::new();
        for against in [Against::Librdkafka, Against::Ours] {
            let topic = format!("idem-example-fatal-{}", against.tag());
            cluster.create_topic(&topic, PARTITIONS, 3);
            let outcome = run_example(against, &cluster.bootstrap, &topic, Some(FATAL_AFTER));
            let what = format!("{against:?} on {name}");
            assert_eq!(outcome.exit, Some(2), "{what}:\n{}", outcome.stdout);
            // Production stops at the fatal error: the example raises it
            // before its next message, which is refused.
            let produced = outcome.tally("produced");
            assert_eq!(produced, FATAL_AFTER, "{what}");
            // The messages still queued when it was raised fail, those
            // already sent may be delivered (how many depends on timing),
            // and each gets its report.
            assert_eq!(
                outcome.tally("delivered") + outcome.tally("failed"),
                produced,
                "{what}: one report per produced message"
            );
            fatal_lines.push(outcome.line("FATAL ").map(str::to_string));
        }
        assert!(
            fatal_lines[0].is_some(),
            "{name}: librdkafka raised no fatal error"
        );
        assert_eq!(
            fatal_lines[1], fatal_lines[0],
            "{name}: ours (left) vs librdkafka 2.0.2 (right)"
        );
    }
}
