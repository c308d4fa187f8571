//! Queue-based calls judged against Debian's librdkafka 2.0.2: the same
//! program (`tests/c/queue_apis.c`) runs over both libraries on
//! librdkafka's mock cluster, and every line it prints must be the same
//! (the first, the version, proves which library ran).
//!
//! - `rd_kafka_set_log_queue` with `log.queue=true`, LOG events and their
//!   `rd_kafka_event_debug_contexts`, the NULL (main) queue;
//! - `rd_kafka_consumer_close_queue` / `rd_kafka_consumer_closed`;
//! - `rd_kafka_event_topic_partition` on the events of a partition's EOF.

mod support;

use std::path::PathBuf;
use std::time::Duration;
use support::*;

const T: Duration = Duration::from_secs(120);

fn ours() -> PathBuf {
    c_program("tests/c/queue_apis.c")
}

fn reference() -> PathBuf {
    let source = repo_root().join("tests/c/queue_apis.c");
    build_c(
        "queue_apis",
        &[&source],
        Against::Librdkafka,
        &["-lpthread"],
    )
}

/// Runs `exe MODE BOOTSTRAP ARGS...`, which must succeed; returns stdout.
fn run(exe: &PathBuf, mode: &str, cluster: &MockCluster, args: &[&str]) -> String {
    let mut cmd = std::process::Command::new(exe);
    cmd.arg(mode).arg(&cluster.bootstrap).args(args);
    let done = run_with_timeout(&mut cmd, None, T);
    assert!(
        done.success(),
        "queue_apis {mode} failed:\n{}",
        done.describe()
    );
    done.stdout_str()
}

/// The same mode over librdkafka and over ours, each on its own fresh
/// cluster and topic; the outputs after the version line must be equal.
fn same_as_librdkafka(mode: &str, with_topic: bool, with_group: bool) {
    let mut outputs = Vec::new();
    for (tag, exe) in [("rdk", reference()), ("ours", ours())] {
        let cluster = MockCluster::start(3);
        let topic = format!("queue-apis-{mode}-{tag}");
        let group = format!("{topic}-group");
        let mut args = Vec::new();
        if with_topic {
            cluster.create_topic(&topic, 2, 1);
            args.push(topic.as_str());
        }
        if with_group {
            args.push(group.as_str());
        }
        let out = run(&exe, mode, &cluster, &args);
        let (version, rest) = out.split_once('\n').unwrap_or((&out, ""));
        let is_ours = version.contains("ferrokafka");
        assert_eq!(
            is_ours,
            tag == "ours",
            "{tag} ran the wrong library: {version}"
        );
        outputs.push(rest.to_string());
    }
    assert_eq!(
        outputs[1], outputs[0],
        "{mode}: ours (left) differs from librdkafka 2.0.2 (right)"
    );
}

#[test]
fn log_queue_as_librdkafka() {
    same_as_librdkafka("logq", false, false);
}

#[test]
fn async_close_as_librdkafka() {
    same_as_librdkafka("close", true, true);
}

#[test]
fn event_topic_partition_as_librdkafka() {
    same_as_librdkafka("eof", true, false);
}

/// Every queue, queued log line, event partition and the closed consumer
/// are freed, under the suite's valgrind rules (on our mock cluster).
#[test]
fn queue_apis_under_valgrind() {
    if !valgrind_available() {
        return;
    }
    let cluster = MockCluster::start_ours(1);
    for (mode, topic) in [
        ("logq", None),
        ("close", Some("queue-apis-vg")),
        ("eof", Some("queue-apis-vg-eof")),
    ] {
        let mut cmd = valgrind_command();
        cmd.arg("-q").arg(ours()).arg(mode).arg(&cluster.bootstrap);
        if let Some(topic) = topic {
            cluster.create_topic(topic, 2, 1);
            cmd.arg(topic);
            if mode == "close" {
                cmd.arg(format!("{topic}-group"));
            }
        }
        let done = run_with_timeout(&mut cmd, None, T * 2);
        assert!(
            done.success(),
            "queue_apis {mode} under valgrind:\n{}",
            done.describe()
        );
    }
}
