//! The group and ACL half of the Admin API (issue 14).
//!
//! Our mock cluster (`src/mock/`) is judged by clients nobody here wrote:
//! confluent-kafka 2.16's AdminClient (its own librdkafka) runs
//! `tests/peers/admin_groups_acls.py`, and `tests/c/admin_groups_acls.c`
//! built against Debian's librdkafka 2.0.2; both check every answer against
//! what Apache Kafka gives. The same C program built against ferrokafka
//! then judges our client: on our mock (everything, also under valgrind)
//! and on librdkafka 2.0.2's mock cluster (only the group offsets calls:
//! it serves no ListGroups, DescribeGroups, DeleteGroups, OffsetDelete or
//! ACL requests).

mod support;

use ferrokafka::error::ErrorCode;
use ferrokafka::mock::MockCluster;
use std::process::Command;
use std::time::Duration;
use support::*;

const T: Duration = Duration::from_secs(60);

/// Every check the script printed, and the failures among them.
fn verdicts(done: &Finished) -> (Vec<String>, Vec<String>) {
    let out = done.stdout_str();
    let ok = out
        .lines()
        .filter_map(|l| l.strip_prefix("OK "))
        .map(str::to_string)
        .collect();
    let failed = out
        .lines()
        .filter(|l| l.starts_with("FAIL "))
        .map(str::to_string)
        .collect();
    (ok, failed)
}

fn expect_all(done: &Finished, expected: &[&str]) {
    let (ok, failed) = verdicts(done);
    assert!(
        done.success() && failed.is_empty(),
        "checks failed: {failed:?}\n{}",
        done.describe()
    );
    for name in expected {
        assert!(
            ok.iter().any(|o| o == name),
            "check {name} did not run:\n{}",
            done.describe()
        );
    }
}

#[test]
fn confluent_kafka_admin_sees_kafka_answers_from_our_mock() {
    // Three brokers: groups are spread over coordinators, so ListGroups must
    // be asked of every broker and the rest sent to the right one.
    let cluster = MockCluster::new(3).expect("mock cluster");
    cluster.topic_create("admin-t", 4, 3).expect("topic");
    let done = run_python_peer(
        "admin_groups_acls.py",
        &[
            "--bootstrap",
            cluster.bootstraps(),
            "--topic",
            "admin-t",
            "--timeout",
            "30",
        ],
        Duration::from_secs(120),
    );
    expect_all(
        &done,
        &[
            "member_joined",
            "alter_offsets_empty_group",
            "alter_offsets_active_group_refused",
            "list_offsets_given_partitions",
            "list_offsets_all_partitions",
            "list_groups",
            "list_groups_states_filter",
            "describe_active_group",
            "describe_unknown_group_is_dead",
            "delete_active_group_refused",
            "delete_empty_group",
            "delete_unknown_group",
            "deleted_group_has_no_offsets",
            "create_acls",
            "describe_acls_all",
            "describe_acls_match_prefix",
            "delete_acls_returns_matches",
            "describe_acls_after_delete",
        ],
    );
}

#[test]
fn pushed_errors_reach_confluent_kafka_admin_calls() {
    use ErrorCode::*;
    let cluster = MockCluster::new(1).expect("mock cluster");
    for (api, err) in [
        (42, RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED),
        (30, RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED),
        (29, RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED),
        (16, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE),
        (15, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS),
    ] {
        cluster.push_request_errors(api, &[err]);
    }
    let done = run_python_peer(
        "admin_groups_acls.py",
        &[
            "--bootstrap",
            cluster.bootstraps(),
            "--faults",
            "--timeout",
            "15",
        ],
        T,
    );
    expect_all(
        &done,
        &[
            "fault_delete_groups",
            "fault_create_acls",
            "fault_create_acls_then_works",
            "fault_describe_acls",
            "fault_describe_acls_then_works",
            "fault_list_groups_reports_broker_error",
            "fault_describe_groups",
            "fault_describe_groups_then_works",
        ],
    );
}

fn admin_program(against: Against) -> std::path::PathBuf {
    let src = repo_root().join("tests/c/admin_groups_acls.c");
    build_c("admin_groups_acls", &[&src], against, &[])
}

/// Runs the C program (optionally under `wrapper`) and checks its verdicts;
/// returns its output.
fn run_admin_program(
    mut cmd: Command,
    bootstrap: &str,
    extra: &[&str],
    expected: &[&str],
) -> Finished {
    cmd.args([bootstrap, "admin-t"]).args(extra);
    let done = run_with_timeout(&mut cmd, None, Duration::from_secs(180));
    expect_all(&done, expected);
    assert!(done.stdout_str().contains("DONE 0"), "{}", done.describe());
    done
}

const ALL_C_CHECKS: &[&str] = &[
    "member_joined",
    "alter_offsets_empty_group",
    "list_offsets_all",
    "list_offsets_two_groups_refused",
    "alter_offsets_active_group_refused",
    "list_groups",
    "list_groups_states_filter",
    "describe_active_group",
    "describe_unknown_group_is_dead",
    "delete_offsets_subscribed_refused",
    "delete_offsets_empty_group",
    "deleted_offset_is_gone",
    "list_groups_legacy",
    "list_groups_legacy_all",
    "delete_groups",
    "delete_groups_duplicates_refused",
    "acl_binding_any_type_refused",
    "create_acls",
    "describe_acls",
    "delete_acls",
    "describe_acls_after_delete",
    "enum_names",
];

#[test]
fn librdkafka_2_0_2_admin_calls_get_kafka_answers_from_our_mock() {
    let cluster = MockCluster::new(3).expect("mock cluster");
    cluster.topic_create("admin-t", 4, 3).expect("topic");
    let exe = admin_program(Against::Librdkafka);
    let done = run_admin_program(Command::new(exe), cluster.bootstraps(), &[], ALL_C_CHECKS);
    // Debian's library, not ours: the version has no suffix.
    assert!(
        done.stdout_str().contains("version 2.0.2\n"),
        "{}",
        done.describe()
    );
}

#[test]
fn our_admin_calls_on_our_mock() {
    let cluster = MockCluster::new(3).expect("mock cluster");
    cluster.topic_create("admin-t", 4, 3).expect("topic");
    let exe = admin_program(Against::Ours);
    let done = run_admin_program(Command::new(exe), cluster.bootstraps(), &[], ALL_C_CHECKS);
    assert!(
        done.stdout_str().contains("-ferrokafka"),
        "{}",
        done.describe()
    );
}

#[test]
fn our_group_offsets_calls_on_librdkafkas_mock_cluster() {
    let cluster = support::MockCluster::start(3);
    cluster.create_topic("admin-t", 4, 1);
    let exe = admin_program(Against::Ours);
    let done = run_admin_program(
        Command::new(exe),
        &cluster.bootstrap,
        &["offsets-only"],
        &[
            "alter_offsets_empty_group",
            "list_offsets_all",
            "list_offsets_two_groups_refused",
        ],
    );
    assert!(
        done.stdout_str().contains("-ferrokafka"),
        "{}",
        done.describe()
    );
}

#[test]
fn our_admin_calls_under_valgrind() {
    if !valgrind_available() {
        return;
    }
    let cluster = MockCluster::new(1).expect("mock cluster");
    cluster.topic_create("admin-t", 2, 1).expect("topic");
    let mut cmd = valgrind_command();
    cmd.arg("-q").arg(admin_program(Against::Ours));
    let done = run_admin_program(cmd, cluster.bootstraps(), &[], ALL_C_CHECKS);
    assert!(
        !done.stderr_str().contains("ERROR SUMMARY")
            || done.stderr_str().contains("ERROR SUMMARY: 0"),
        "{}",
        done.describe()
    );
}
