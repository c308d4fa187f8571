//! examples-c/quickstart.c, the README's first command, builds against our
//! headers and against librdkafka's and runs every step on the embedded mock
//! cluster with both. Each figure it prints covers one thing: the group join
//! is reported apart from consuming, and latency comes from a steady stream
//! consumed as it arrives (not from a backlog read after producing
//! everything). Numbers are printed, never asserted.

mod support;

use std::process::Command;
use std::time::Duration;
use support::*;

const COUNT: usize = 20_000;
/// quickstart.c's LATENCY_RATE x LATENCY_SECONDS.
const LATENCY_COUNT: usize = 20_000;

fn quickstart(against: Against) -> String {
    let src = repo_root().join("examples-c/quickstart.c");
    let exe = build_c("quickstart", &[&src], against, &[]);
    let done = run_with_timeout(
        Command::new(exe).args(["mock", &COUNT.to_string(), "100"]),
        None,
        Duration::from_secs(180),
    );
    assert!(
        done.success(),
        "quickstart against {against:?} failed:\n{}",
        done.describe()
    );
    let out = done.stdout_str();
    eprintln!("{against:?}:\n{out}");
    out
}

/// The line starting with `prefix`, in output order.
fn line<'a>(out: &'a str, prefix: &str) -> (usize, &'a str) {
    out.lines()
        .enumerate()
        .find(|(_, l)| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{out}"))
}

#[test]
fn every_step_is_reported_on_its_own_against_both_libraries() {
    for against in [Against::Ours, Against::Librdkafka] {
        let out = quickstart(against);
        let (produced, produced_line) = line(&out, "produced ");
        assert!(
            produced_line.starts_with(&format!("produced {COUNT} messages of 100 bytes")),
            "{out}"
        );
        assert!(produced_line.contains("(0 failed)"), "{out}");
        let (joined, _) = line(&out, "joined consumer group in ");
        let (consumed, consumed_line) = line(&out, "consumed ");
        assert!(
            consumed_line.starts_with(&format!("consumed {COUNT} messages in ")),
            "{out}"
        );
        assert!(consumed_line.contains("(0 duplicates)"), "{out}");
        let (latency, latency_line) = line(&out, "end-to-end latency, ");
        assert!(
            latency_line.contains(&format!("{LATENCY_COUNT} messages"))
                && latency_line.contains("with the consumer running"),
            "{out}"
        );
        let (commit, _) = line(&out, "commit: Success");
        assert!(
            produced < joined && joined < consumed && consumed < latency && latency < commit,
            "steps out of order:\n{out}"
        );
    }
}
