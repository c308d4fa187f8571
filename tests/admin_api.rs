//! The Admin API (issue 14, topics/configs/records half): librdkafka-style
//! C programs (`tests/c/admin_calls.c`) on our embedded mock (with pushed
//! faults and a cluster that is down) and on Tansu; confluent-kafka's
//! AdminClient as the judge of our mock's handlers; valgrind over one run.

mod support;

use std::process::Command;
use std::time::Duration;
use support::*;

const T: Duration = Duration::from_secs(120);

fn admin_calls() -> std::path::PathBuf {
    c_program("tests/c/admin_calls.c")
}

fn must_pass(cmd: &mut Command) -> String {
    let done = run_with_timeout(cmd, None, T);
    assert!(done.success(), "admin_calls failed:\n{}", done.describe());
    let out = done.stdout_str();
    assert!(out.contains("ferrokafka"), "not our library: {out}");
    assert!(out.trim_end().ends_with("ok"), "{out}");
    out
}

#[test]
fn every_call_on_our_embedded_mock_with_faults() {
    let out = must_pass(Command::new(admin_calls()).args(["mock", "admin-mock"]));
    eprintln!("{out}");
}

/// librdkafka 2.0.2 (Debian) runs the same program against our mock
/// cluster: it judges the mock's handlers, and the same expectations hold
/// for both libraries.
#[test]
fn librdkafka_runs_the_same_calls_against_our_mock() {
    let cluster = MockCluster::start_ours(3);
    let source = repo_root().join("tests/c/admin_calls.c");
    let exe = build_c("admin_calls", &[&source], Against::Librdkafka, &[]);
    let done = run_with_timeout(
        Command::new(exe).args(["broker", &cluster.bootstrap, "admin-rdk", "vpdar"]),
        None,
        T,
    );
    assert!(done.success(), "over librdkafka:\n{}", done.describe());
    let out = done.stdout_str();
    assert!(!out.contains("ferrokafka"), "not librdkafka: {out}");
    assert!(out.trim_end().ends_with("ok"), "{out}");
}

/// confluent-kafka 2.16's AdminClient (pip, its own librdkafka 2.16)
/// against our mock cluster: every call of this half of the Admin API.
#[test]
fn confluent_kafka_admin_client_against_our_mock() {
    let cluster = MockCluster::start_ours(3);
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    let done = run_with_timeout(
        Command::new(python)
            .arg(peers_dir().join("admin.py"))
            .args(["--bootstrap", &cluster.bootstrap, "--prefix", "admin-py"]),
        None,
        T,
    );
    assert!(done.success(), "admin.py:\n{}", done.describe());
    let out = done.stdout_str();
    assert!(out.trim_end().ends_with("ok"), "{out}");
}

/// The same program on Tansu (0.6), for what Tansu serves. Measured with
/// confluent-kafka 2.16 as well: Tansu creates the topic of a
/// validate_only CreateTopics, answers DescribeConfigs without sources or
/// synonyms (and with no error for a missing topic), does not offer
/// CreatePartitions or AlterConfigs (`_UNSUPPORTED_FEATURE`, checked here)
/// and closes the connection on DeleteRecords; those checks are left out.
#[test]
fn the_calls_tansu_serves_on_tansu() {
    let tansu = Tansu::start();
    let out = must_pass(Command::new(admin_calls()).args([
        "broker",
        &tansu.bootstrap,
        "admin-tansu",
        "DU",
    ]));
    eprintln!("{out}");
}

/// One run under valgrind: no invalid access, no leak (results, options,
/// objects, the background queue and its thread all freed).
#[test]
fn admin_calls_under_valgrind() {
    if !valgrind_available() {
        return;
    }
    let mut cmd = valgrind_command();
    cmd.arg(admin_calls()).args(["mock", "admin-vg"]);
    let done = run_with_timeout(&mut cmd, None, T * 3);
    assert!(done.success(), "under valgrind:\n{}", done.describe());
    let out = done.stdout_str();
    assert!(out.trim_end().ends_with("ok"), "{out}");
    assert!(
        done.stderr_str().contains("ERROR SUMMARY: 0 errors"),
        "{}",
        done.describe()
    );
}
