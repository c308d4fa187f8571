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
