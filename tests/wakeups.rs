//! Broker threads and the main thread sleep exactly when they have no work
//! ready: counted with the per-broker `wakeups` and the client's
//! `main_wakeups` statistics (`tests/c/wakeups.c`) while a client is idle
//! and while it waits on a backoff or a late answer, on librdkafka's mock
//! cluster.
//!
//! The ceiling is far above what a sleeping thread needs (a few wake-ups a
//! second per broker: the one-second poll cap, fetch long-polls, timers)
//! and far below a busy loop (thousands a second), so it counts loop
//! passes, not time.

mod support;

use std::time::Duration;
use support::*;

/// Ten times the bursts of a group join (tens a second), a tenth of the
/// slowest spin seen (over 10,000 a second).
const MAX_WAKEUPS_PER_SECOND: i64 = 1000;

fn wakeups(bootstrap: &str, topic: &str, mode: &str, seconds: u32, props: &[&str]) -> String {
    let seconds = seconds.to_string();
    let mut args = vec![bootstrap, topic, mode, seconds.as_str()];
    args.extend_from_slice(props);
    let out = must_c("wakeups", &args, Duration::from_secs(120));
    let summary = out
        .lines()
        .find(|l| l.starts_with("summary "))
        .unwrap_or_else(|| panic!("no summary line:\n{out}"))
        .to_string();
    eprintln!("wakeups {mode}: {summary}");
    summary
}

fn assert_no_spin(summary: &str) {
    for (field, threads) in [
        ("max_wakeups_per_s", "broker threads"),
        ("max_main_wakeups_per_s", "the main thread"),
    ] {
        assert!(
            summary_field(summary, field) <= MAX_WAKEUPS_PER_SECOND,
            "{threads} spun: {summary}"
        );
    }
}

/// The reported busy loop (issue 10, item 5): a partition whose start
/// offset lookup failed once and whose retry stays unanswered. The retry
/// used to go out at once, ignoring the backoff, and the backoff's end,
/// passed while the retry was in flight, was then the broker thread's next
/// deadline on every pass: poll(2) with a zero timeout until the answer.
#[test]
fn a_consumer_waiting_for_a_list_offsets_retry_does_not_spin() {
    let mock = MockCluster::start(1);
    mock.create_topic("wakeups-backoff", 1, 1);
    produce_verify(&mock.bootstrap, "wakeups-backoff", 10, 100);
    // ListOffsets (key 2): one error at once, then one answered after 2.5 s.
    mock.must("broker-errors 1 2 LEADER_NOT_AVAILABLE 0 LEADER_NOT_AVAILABLE 2500");
    let summary = wakeups(&mock.bootstrap, "wakeups-backoff", "assign", 6, &[]);
    assert_eq!(
        summary_field(&summary, "msgs"),
        10,
        "the partition must resolve its start offset in the end: {summary}"
    );
    assert_no_spin(&summary);
}

/// A leader of several assigned partitions resolves every start offset in
/// its first round of ListOffsets. librdkafka 2.0.2's mock cluster answers
/// only the first partition of a ListOffsets for several, and each one it
/// left out waited half a second (the retry backoff) before fetching.
#[test]
fn every_partition_of_one_leader_resolves_its_start_offset_at_once() {
    let mock = MockCluster::start(1);
    mock.create_topic("wakeups-resolve", 4, 1);
    let done = run_c(
        "wakeups",
        &[
            &mock.bootstrap,
            "wakeups-resolve",
            "assign",
            "2",
            "debug=fetch",
        ],
        None,
        Duration::from_secs(120),
    );
    assert!(done.success(), "{}", done.describe());
    let log = done.stderr_str();
    let failed: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("ListOffsets failed"))
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    // The debug log does show the fetcher at work (the check above is not
    // vacuous): every partition is fetched.
    for p in 0..4 {
        assert!(
            log.contains(&format!("wakeups-resolve[{p}]@0")),
            "partition {p} never fetched:\n{log}"
        );
    }
}

#[test]
fn an_idle_producer_sleeps_until_its_next_deadline() {
    let mock = MockCluster::start(3);
    mock.create_topic("wakeups-idle", 3, 1);
    let summary = wakeups(&mock.bootstrap, "wakeups-idle", "producer", 4, &[]);
    assert_eq!(summary_field(&summary, "msgs"), 1, "{summary}");
    assert_no_spin(&summary);
}

/// The main thread's heartbeat timer: while a heartbeat waits for its
/// answer, its due time passing used to be the main thread's next wake-up
/// on every pass, a busy loop until the answer came.
#[test]
fn a_group_consumer_waiting_for_a_slow_heartbeat_does_not_spin() {
    let mock = MockCluster::start(1);
    mock.create_topic("wakeups-group", 2, 1);
    // Heartbeats (key 12) answered 2 s late, six times their interval.
    mock.must("broker-errors 1 12 NO_ERROR 2000 NO_ERROR 2000 NO_ERROR 2000");
    let summary = wakeups(
        &mock.bootstrap,
        "wakeups-group",
        "group",
        7,
        &["heartbeat.interval.ms=300", "session.timeout.ms=10000"],
    );
    assert_no_spin(&summary);
}
