//! kcat (Debian's, linked to the system librdkafka 2.0.2).

use super::process::run_with_timeout;
use std::process::{Command, Output};
use std::time::Duration;

/// Runs `kcat ARGS` with empty stdin; panics if it does not finish within
/// `timeout`. The exit status is the caller's to judge.
pub fn kcat(args: &[&str], timeout: Duration) -> Output {
    kcat_with_input(args, &[], timeout)
}

/// Runs `kcat ARGS` with `input` on stdin (e.g. `-P` message lines).
pub fn kcat_with_input(args: &[&str], input: &[u8], timeout: Duration) -> Output {
    let done = run_with_timeout(Command::new("kcat").args(args), Some(input), timeout);
    assert!(
        !done.timed_out,
        "kcat {args:?} timed out:\n{}",
        done.describe()
    );
    done.output
}
