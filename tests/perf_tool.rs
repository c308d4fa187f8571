//! examples-c/perf.c builds against our headers and against librdkafka's,
//! and each of its modes runs to completion against the mock cluster with
//! both libraries. Numbers are printed, never asserted (BENCHMARKS.md has
//! them, from benches/side_by_side/compare.sh).

mod support;

use std::process::Command;
use std::time::Duration;
use support::*;

fn perf(against: Against, args: &[&str]) -> String {
    let src = repo_root().join("examples-c/perf.c");
    let exe = build_c("perf", &[&src], against, &[]);
    let done = run_with_timeout(Command::new(exe).args(args), None, Duration::from_secs(120));
    assert!(
        done.success(),
        "perf {args:?} against {against:?} failed:\n{}",
        done.describe()
    );
    let out = done.stdout_str();
    eprintln!("{against:?}: {out}");
    out
}

#[test]
fn every_mode_runs_against_both_libraries() {
    let cluster = MockCluster::start(3);
    for against in [Against::Ours, Against::Librdkafka] {
        let topic = format!("perf-{against:?}");
        cluster.create_topic(&topic, 4, 3);
        let b = cluster.bootstrap.as_str();
        let out = perf(
            against,
            &["-P", "-t", &topic, "-b", b, "-c", "5000", "-s", "50"],
        );
        assert!(out.contains("delivered=5000 failed=0"), "{out}");
        let out = perf(against, &["-C", "-t", &topic, "-b", b, "-c", "5000"]);
        assert!(out.contains("mode=consume msgs=5000 bytes=250000"), "{out}");
        // Latency: sleeping on the queues' wake-up pipe, and spinning (-B).
        for wait in ["-L", "-LB"] {
            let args = [wait, "-t", &topic, "-b", b, "-c", "50", "-r", "100"];
            let out = perf(against, &args);
            assert!(out.contains("sent=50 received=50"), "{wait}: {out}");
        }
    }
}
