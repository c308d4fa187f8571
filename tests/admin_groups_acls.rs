//! The group and ACL half of the Admin API (issue 14) against our mock
//! cluster (`src/mock/`), judged by a client nobody here wrote:
//! confluent-kafka 2.16's AdminClient (its own librdkafka) runs
//! `tests/peers/admin_groups_acls.py`, which checks every answer against
//! what Apache Kafka gives (see the script for each check).

mod support;

use ferrokafka::error::ErrorCode;
use ferrokafka::mock::MockCluster;
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
