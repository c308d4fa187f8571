//! What the SASL and OIDC tests share: our embedded mock cluster with SASL
//! enabled, and `tests/c/sasl_client.c` (a producer over SASL built against
//! our library) run normally or under valgrind, with its summary line
//! ("delivered=N failed=N auth_errors=N ... last_error=NAME").

use super::cprog::c_program;
use super::process::run_with_timeout;
use super::valgrind::{assert_valgrind_clean, valgrind_command};
use ferrokafka::mock::sasl::SaslSettings;
use ferrokafka::mock::MockCluster as OurMock;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const RUN_TIMEOUT: Duration = Duration::from_secs(120);
const VALGRIND_TIMEOUT: Duration = Duration::from_secs(300);

/// A one-broker mock cluster of ours that authenticates with `settings`.
pub fn our_sasl_mock(settings: SaslSettings) -> OurMock {
    let mock = OurMock::new(1).expect("mock cluster");
    mock.set_sasl(settings).expect("mock SASL settings");
    mock
}

/// Borrowed views of owned strings, for argument lists.
pub fn str_refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// `sasl_client.c` producing `count` messages to `topic`; `conf` are its
/// `key=value` arguments. `trust`, if given, is a CA file that stands in
/// for the system trust store (OpenSSL's `SSL_CERT_FILE`). Returns (exit
/// success, stdout + stderr); panics unless it ran our library.
pub fn run_sasl_client(
    bootstrap: &str,
    topic: &str,
    count: usize,
    conf: &[&str],
    trust: Option<&Path>,
) -> (bool, String) {
    let mut cmd = Command::new(c_program("tests/c/sasl_client.c"));
    cmd.args([bootstrap, topic, &count.to_string()]).args(conf);
    if let Some(ca) = trust {
        cmd.env("SSL_CERT_FILE", ca);
    }
    let done = run_with_timeout(&mut cmd, None, RUN_TIMEOUT);
    let out = format!("{}{}", done.stdout_str(), done.stderr_str());
    assert!(
        out.contains("library 2.0.2-ferrokafka-"),
        "not our library:\n{out}"
    );
    (done.success(), out)
}

/// The summary line of a `sasl_client` run's output.
pub fn sasl_summary(output: &str) -> &str {
    output
        .lines()
        .find(|l| l.starts_with("delivered="))
        .unwrap_or_else(|| panic!("no summary line in:\n{output}"))
}

/// A run in which authentication never succeeded: it failed, and each of
/// its `count` messages timed out (none lost silently). `context` heads the
/// failure message.
pub fn assert_every_message_timed_out(ok: bool, out: &str, count: i64, context: &str) {
    assert!(!ok, "{context}\n{out}");
    let line = sasl_summary(out);
    assert_eq!(
        super::cprog::summary_field(line, "failed"),
        count,
        "{context}\n{out}"
    );
    assert!(
        line.contains("last_error=_MSG_TIMED_OUT"),
        "{context}\n{out}"
    );
}

/// `sasl_client` producing 20 messages under valgrind with `conf` (see
/// [`run_sasl_client`] for `trust`): no invalid access, no leak, and it got
/// as far as its summary.
pub fn assert_sasl_client_valgrind_clean(bootstrap: &str, conf: &[String], trust: Option<&Path>) {
    let mut cmd = valgrind_command();
    cmd.arg(c_program("tests/c/sasl_client.c"))
        .args([bootstrap, "valgrind", "20"])
        .args(conf);
    if let Some(ca) = trust {
        cmd.env("SSL_CERT_FILE", ca);
    }
    let done = run_with_timeout(&mut cmd, None, VALGRIND_TIMEOUT);
    assert_valgrind_clean(&done, &format!("{conf:?}"));
    assert!(
        done.stdout_str().contains("delivered="),
        "{}",
        done.describe()
    );
}
