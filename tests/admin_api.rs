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
