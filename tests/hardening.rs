//! What a confused or hostile application does to the C API, answered as
//! librdkafka answers it (the same C program, `tests/c/hardening.c`, runs
//! against both libraries), and without touching freed memory or leaking
//! (valgrind). None of these needs a broker.

mod support;

use std::process::Command;
use std::time::Duration;
use support::*;

const TIMEOUT: Duration = Duration::from_secs(120);

fn hardening_exe(against: Against) -> std::path::PathBuf {
    let src = repo_root().join("tests/c/hardening.c");
    build_c("hardening", &[&src], against, &[])
}

fn hardening(against: Against, mode: &str) -> String {
    let done = run_with_timeout(
        Command::new(hardening_exe(against)).arg(mode),
        None,
        TIMEOUT,
    );
    assert!(
        done.success(),
        "hardening {mode} against {against:?} failed:\n{}",
        done.describe()
    );
    done.stdout_str()
}

/// Runs a mode under valgrind (see `tests/support/valgrind.rs` for what
/// fails the run) and returns its output; `None` when valgrind is missing.
fn hardening_under_valgrind(mode: &str) -> Option<Finished> {
    if !valgrind_available() {
        return None;
    }
    let mut cmd = valgrind_command();
    cmd.arg(hardening_exe(Against::Ours)).arg(mode);
    let done = run_with_timeout(&mut cmd, None, Duration::from_secs(300));
    assert!(
        done.success(),
        "hardening {mode} under valgrind failed (exit {VALGRIND_ERROR_EXIT} is an invalid access or a leak):\n{}",
        done.describe()
    );
    Some(done)
}

/// Issue 10, item 6: group calls on a producer answer `_UNKNOWN_GROUP`
/// (`consumer_poll` with a message carrying it), an empty subscription is
/// `_INVALID_ARG`, a second close `_DESTROY` — exactly librdkafka's answers.
#[test]
fn misuse_of_the_consumer_api_is_answered_as_librdkafka_does() {
    for mode in ["producer-as-consumer", "consumer-args"] {
        let ours = hardening(Against::Ours, mode);
        let theirs = hardening(Against::Librdkafka, mode);
        assert_eq!(
            ours, theirs,
            "{mode}: ours (left) vs librdkafka 2.0.2 (right)"
        );
    }
    let ours = hardening(Against::Ours, "producer-as-consumer");
    assert!(ours.contains("subscribe _UNKNOWN_GROUP\n"), "{ours}");
    assert!(
        ours.contains("consumer_poll message _UNKNOWN_GROUP\n"),
        "{ours}"
    );
    let ours = hardening(Against::Ours, "consumer-args");
    assert!(ours.contains("subscribe-empty _INVALID_ARG\n"), "{ours}");
}

/// Issue 10, item 1: the text for an unknown error code stays valid after
/// later lookups (it was freed by the next one), and reads the same as
/// librdkafka's.
#[test]
fn unknown_error_code_texts_stay_valid() {
    let ours = hardening(Against::Ours, "errtext");
    let theirs = hardening(Against::Librdkafka, "errtext");
    let pair = |out: &str| out.lines().next().unwrap_or_default().to_string();
    assert_eq!(pair(&ours), pair(&theirs));
    // librdkafka reuses one buffer per thread, so its first texts change;
    // ours are kept for the life of the process.
    assert!(ours.contains("kept Err--12345? ERR_99999?\n"), "{ours}");
    assert!(ours.contains("later Err--777? ERR_-777?\n"), "{ours}");
    // Reading a freed text is what valgrind catches.
    hardening_under_valgrind("errtext");
}

/// Issue 10, items 2 and 7: headers count against `message.max.bytes`
/// (a million headers on a 1-byte value were accepted and sent), and
/// destroying a producer with undelivered messages warns as librdkafka does.
#[test]
fn headers_count_against_message_max_bytes_and_destroy_warns() {
    let ours = hardening(Against::Ours, "oversize-headers");
    let theirs = hardening(Against::Librdkafka, "oversize-headers");
    assert_eq!(ours, theirs, "ours (left) vs librdkafka 2.0.2 (right)");
    assert!(
        ours.contains("million-headers MSG_SIZE_TOO_LARGE\n"),
        "{ours}"
    );
    assert!(
        ours.contains("value-plus-headers MSG_SIZE_TOO_LARGE\n"),
        "{ours}"
    );
    assert!(ours.contains("small-headers NO_ERROR\n"), "{ours}");
    assert!(ours.contains("log TERMINATE level=4 queued=1\n"), "{ours}");
}

/// Issue 10, item 8: nothing is lost after destroy — not even "possibly":
/// the configuration index is a plain sorted slice, and the only block
/// left is the standard library's handle for the application's main
/// thread (documented in tests/valgrind.supp): one block however many
/// clients the thread created.
#[test]
fn clients_created_and_destroyed_leave_nothing_behind() {
    let ours = hardening(Against::Ours, "lifecycles");
    assert!(ours.contains("lifecycles done"), "{ours}");
    let Some(done) = hardening_under_valgrind("lifecycles") else {
        return;
    };
    let suppressed = suppressed_blocks(&done.stderr_str());
    assert!(
        suppressed <= 1,
        "{suppressed} suppressed blocks: the one-time thread handle should be one\n{}",
        done.describe()
    );
}
