//! The legacy (simple) consumer (`rd_kafka_consume_start` and friends)
//! through `tests/c/legacy_consumer.c`, on librdkafka's mock cluster and
//! our embedded one, and the same program over Debian's librdkafka as the
//! reference for what each call returns.

mod support;

use std::path::Path;
use std::time::Duration;
use support::*;

const T: Duration = Duration::from_secs(180);

fn run(exe: &Path, cluster: &MockCluster, topic: &str) -> String {
    run_in(std::process::Command::new(exe), cluster, topic)
}

/// Runs the program `cmd` starts (the program itself, or valgrind with it)
/// on a fresh two-partition `topic`.
fn run_in(mut cmd: std::process::Command, cluster: &MockCluster, topic: &str) -> String {
    cluster.create_topic(topic, 2, 1);
    let done = run_with_timeout(
        cmd.args([&cluster.bootstrap, topic, &format!("{topic}-group")]),
        None,
        T * 3,
    );
    assert!(
        done.success(),
        "legacy_consumer failed:\n{}",
        done.describe()
    );
    let out = done.stdout_str();
    assert!(out.trim_end().ends_with("ok"), "{out}");
    out
}

fn ours() -> std::path::PathBuf {
    c_program("tests/c/legacy_consumer.c")
}

#[test]
fn every_legacy_call_on_librdkafkas_mock_cluster() {
    let cluster = MockCluster::start(3);
    let out = run(&ours(), &cluster, "legacy-rdk-mock");
    assert!(out.contains("ferrokafka"), "not our library: {out}");
}

#[test]
fn every_legacy_call_on_our_mock_cluster() {
    let cluster = MockCluster::start_ours(3);
    let out = run(&ours(), &cluster, "legacy-our-mock");
    assert!(out.contains("ferrokafka"), "not our library: {out}");
}

/// The reference: the same checks hold for Debian's librdkafka.
#[test]
fn every_legacy_call_over_librdkafka() {
    let source = repo_root().join("tests/c/legacy_consumer.c");
    let exe = build_c("legacy_consumer", &[&source], Against::Librdkafka, &[]);
    let cluster = MockCluster::start(3);
    let out = run(&exe, &cluster, "legacy-reference");
    assert!(
        !out.contains("ferrokafka"),
        "not Debian's librdkafka: {out}"
    );
}

/// Every started partition, its queue and the messages left in it are
/// freed (by stop or by destroy), under the suite's valgrind rules.
#[test]
fn legacy_calls_under_valgrind() {
    if !valgrind_available() {
        return;
    }
    let cluster = MockCluster::start_ours(1);
    let mut cmd = valgrind_command();
    cmd.arg("-q").arg(ours());
    run_in(cmd, &cluster, "legacy-valgrind");
}
