//! kcat (Debian's, linked to the system librdkafka 2.0.2), run either on
//! that library or on ours: with `Against::Ours`, `LD_LIBRARY_PATH` points
//! at [`super::lib_dir`], where `librdkafka.so.1` is our fresh build.

use super::process::run_with_timeout;
use super::Against;
use std::process::{Command, Output};
use std::time::Duration;

/// Runs `kcat ARGS` with empty stdin; panics if it does not finish within
/// `timeout`. The exit status is the caller's to judge.
pub fn kcat(args: &[&str], timeout: Duration) -> Output {
    kcat_with_input(args, &[], timeout)
}

/// Runs `kcat ARGS` with `input` on stdin (e.g. `-P` message lines).
pub fn kcat_with_input(args: &[&str], input: &[u8], timeout: Duration) -> Output {
    kcat_on(Against::Librdkafka, args, input, timeout)
}

/// Runs `kcat ARGS` on the library `on` with `input` on stdin; panics if it
/// does not finish within `timeout`.
pub fn kcat_on(on: Against, args: &[&str], input: &[u8], timeout: Duration) -> Output {
    let mut cmd = Command::new("kcat");
    cmd.args(args);
    match on {
        Against::Ours => cmd.env("LD_LIBRARY_PATH", super::lib_dir()),
        // cargo's own LD_LIBRARY_PATH must not reach the reference run.
        Against::Librdkafka => cmd.env_remove("LD_LIBRARY_PATH"),
    };
    let done = run_with_timeout(&mut cmd, Some(input), timeout);
    assert!(
        !done.timed_out,
        "kcat {args:?} on {on:?} timed out:\n{}",
        done.describe()
    );
    done.output
}
