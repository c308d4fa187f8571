//! `statistics.interval.ms`: documents arrive through `stats_cb` on the
//! application's poll, are valid JSON, and carry librdkafka's field names
//! with live values.

mod support;

use std::process::Command;
use std::time::Duration;
use support::*;

#[test]
fn stats_cb_receives_valid_json_documents() {
    let src = repo_root().join("tests/c/stats.c");
    let exe = build_c("stats", &[&src], Against::Ours, &[]);
    let done = run_with_timeout(&mut Command::new(exe), None, Duration::from_secs(60));
    assert!(done.success(), "{}", done.describe());
    let out = done.stdout_str();
    let mut lines = out.lines();
    let docs: u32 = lines
        .next()
        .and_then(|l| l.strip_prefix("docs="))
        .and_then(|n| n.parse().ok())
        .expect("docs line");
    assert!(docs >= 5, "expected a document every 100 ms, got {docs}");
    let doc = lines.next().expect("last document");
    // Validate with Python's JSON parser and check field types and values.
    let check = "import json,sys; d=json.loads(sys.stdin.read()); \
        assert d['type']=='producer', d['type']; assert isinstance(d['ts'], int); \
        assert d['txmsgs']==100, d['txmsgs']; assert d['msg_cnt']==0, d['msg_cnt']; \
        assert 'stats' in d['topics'], d['topics'].keys(); \
        assert any(b['state']=='UP' for b in d['brokers'].values()); print('valid')";
    let py = run_with_timeout(
        Command::new("python3").args(["-c", check]),
        Some(doc.as_bytes()),
        Duration::from_secs(30),
    );
    assert!(
        py.success() && py.stdout_str().contains("valid"),
        "{}\n{doc}",
        py.describe()
    );
}

const STATISTICS_MD: &str = "/usr/share/doc/librdkafka-dev/STATISTICS.md.gz";
const RUN_LIMIT: Duration = Duration::from_secs(150);

/// Runs `tests/peers/stats_keys.py` (Debian's python3-confluent-kafka, a
/// producer and a group consumer with a `stats_cb`) against `bootstrap` on
/// `topic`: on our library when `ours`, else on Debian's librdkafka. Checks
/// which library it ran on and returns its output (version line, JSON line).
fn stats_run(bootstrap: &str, topic: &str, ours: bool) -> String {
    let mut cmd = Command::new("/usr/bin/python3");
    cmd.arg(repo_root().join("tests/peers/stats_keys.py"))
        .args([bootstrap, topic])
        .env_remove("LD_LIBRARY_PATH");
    if ours {
        cmd.env("LD_LIBRARY_PATH", lib_dir());
    }
    let done = run_with_timeout(&mut cmd, None, RUN_LIMIT);
    assert!(done.success(), "{}", done.describe());
    let out = done.stdout_str();
    let version = out.lines().next().unwrap_or_default();
    assert_eq!(
        version.contains("ferrokafka"),
        ours,
        "ran on the wrong library: {version}"
    );
    out
}

/// Every field STATISTICS.md documents (the checker reads the list from
/// the file itself) is in our documents with its documented type, and the
/// values fit the run: messages produced and consumed, requests sent,
/// latency samples, offsets and consumer lag (stats_check.py).
#[test]
fn stats_carry_every_documented_field_with_plausible_values() {
    let mock = MockCluster::start_ours(3);
    mock.create_topic("stats-fields", 4, 1);
    let out = stats_run(&mock.bootstrap, "stats-fields", true);
    let check = run_with_timeout(
        Command::new("python3")
            .arg(repo_root().join("tests/peers/stats_check.py"))
            .arg(STATISTICS_MD),
        Some(out.as_bytes()),
        Duration::from_secs(60),
    );
    assert!(
        check.success() && check.stdout_str().ends_with("ok\n"),
        "{}",
        check.describe()
    );
}

/// The key paths (recursive, with broker, topic, partition and
/// topic-partition names as placeholders) of a document's JSON line.
fn key_paths(out: &str, client: &str) -> std::collections::BTreeSet<String> {
    let line = out.lines().last().expect("JSON line");
    let run: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
    run[client]
        .as_array()
        .expect("key list")
        .iter()
        .map(|k| k.as_str().expect("key").to_string())
        .collect()
}

/// Parity: Debian's confluent-kafka `stats_cb` gets documents with the
/// same keys over our library as over Debian's librdkafka 2.0.2, both
/// against librdkafka's mock cluster. Ours adds one key of its own,
/// `main_wakeups` (the main thread's wake-ups, read by tests/wakeups.rs).
#[test]
fn confluent_kafka_stats_cb_keys_match_librdkafka() {
    let mock = MockCluster::start(3);
    mock.create_topic("stats-librdkafka", 4, 1);
    mock.create_topic("stats-ours", 4, 1);
    let theirs = stats_run(&mock.bootstrap, "stats-librdkafka", false);
    let ours = stats_run(&mock.bootstrap, "stats-ours", true);
    let our_extras: std::collections::BTreeSet<String> = ["main_wakeups:int".to_string()].into();
    for client in ["producer", "consumer"] {
        let (theirs, ours) = (key_paths(&theirs, client), key_paths(&ours, client));
        let missing: Vec<_> = theirs.difference(&ours).collect();
        let extra: Vec<_> = ours
            .difference(&theirs)
            .filter(|k| !our_extras.contains(*k))
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{client}: missing {missing:?}, not in librdkafka's {extra:?}"
        );
        assert!(theirs.len() > 150, "{client}: only {} keys", theirs.len());
    }
}
