//! librdkafka's stock loggers (`rd_kafka_log_print`, `rd_kafka_log_syslog`)
//! and a live handle's logger and level (`rd_kafka_set_logger`,
//! `rd_kafka_set_log_level`), through `tests/c/logging.c`, on our library
//! and, as the reference, on Debian's librdkafka.

mod support;

use std::time::Duration;
use support::*;

/// Runs the program and checks its log_print lines on stderr have
/// librdkafka's format `%LEVEL|SECONDS.MILLIS|FACILITY|NAME| MESSAGE`.
fn check(exe: &std::path::Path) -> String {
    let done = run_with_timeout(
        &mut std::process::Command::new(exe),
        None,
        Duration::from_secs(60),
    );
    assert!(done.success(), "logging failed:\n{}", done.describe());
    let out = done.stdout_str();
    assert!(out.lines().any(|l| l == "ok"), "{}", done.describe());
    let name = out
        .lines()
        .find_map(|l| l.strip_prefix("name="))
        .expect("a name line");
    let stderr = String::from_utf8_lossy(&done.output.stderr).into_owned();
    for (level, facility, client, message) in [
        ("6", "TEST", name, "hello from log_print"),
        ("7", "NOHANDLE", "", "no handle"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.ends_with(&format!("|{facility}|{client}| {message}")))
            .unwrap_or_else(|| panic!("no {facility} line in:\n{stderr}"));
        let fields: Vec<&str> = line.splitn(5, '|').collect();
        assert_eq!(fields[0], format!("%{level}"), "{line}");
        let (secs, millis) = fields[1].split_once('.').expect("SECONDS.MILLIS");
        assert!(
            secs.parse::<u64>().is_ok_and(|s| s > 1_600_000_000),
            "{line}"
        );
        assert!(millis.len() == 3 && millis.parse::<u16>().is_ok(), "{line}");
    }
    out
}

#[test]
fn stock_loggers_and_live_logger_changes_on_ours() {
    let out = check(&c_program("tests/c/logging.c"));
    assert!(out.contains("ferrokafka"), "not our library: {out}");
}

#[test]
fn stock_loggers_and_live_logger_changes_over_librdkafka() {
    let source = repo_root().join("tests/c/logging.c");
    let out = check(&build_c("logging", &[&source], Against::Librdkafka, &[]));
    assert!(
        !out.contains("ferrokafka"),
        "not Debian's librdkafka: {out}"
    );
}
