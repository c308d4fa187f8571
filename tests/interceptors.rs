//! Interceptors and plugins, judged by librdkafka: `tests/c/interceptors.c`
//! registers every interceptor, produces and consumes, and prints what the
//! interceptors saw (counts, threads, orderings). Built against our library
//! and against Debian's librdkafka 2.0.2 and run on the same peer
//! (librdkafka's mock cluster), the two outputs must be the same, except
//! for the lines listed in `KNOWN_DIFFERENCES` (each with its reason). On
//! our embedded mock cluster our output must equal librdkafka's too.
//! `plugin.library.paths` loads `tests/c/interceptor_plugin.c` built as a
//! shared library, on both libraries.

mod support;

use std::process::Command;
use std::time::Duration;
use support::*;

const T: Duration = Duration::from_secs(120);

/// Lines whose value differs from librdkafka's on purpose or by a known
/// gap, keyed by their first two words.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    ("library", "names the library"),
    (
        "producer states",
        "librdkafka reuses the bootstrap connection for the broker id metadata \
         names (state UPDATE); ours starts a connection per broker id",
    ),
];

fn known(line: &str) -> bool {
    let key: Vec<&str> = line.split_whitespace().take(2).collect();
    let key = key.join(" ");
    KNOWN_DIFFERENCES
        .iter()
        .any(|(k, _)| key == *k || (k.split(' ').count() == 1 && key.starts_with(k)))
}

fn run(against: Against, bootstrap: &str, topic: &str) -> String {
    let source = repo_root().join("tests/c/interceptors.c");
    let exe = build_c(
        &format!("interceptors_{}", against.tag()),
        &[&source],
        against,
        &["-D_POSIX_C_SOURCE=200809L", "-lpthread"],
    );
    let done = run_with_timeout(&mut Command::new(exe).args([bootstrap, topic]), None, T);
    assert!(
        done.success(),
        "interceptors ({against:?}) failed:\n{}",
        done.describe()
    );
    done.stdout_str()
}

fn compared(output: &str) -> Vec<String> {
    output
        .lines()
        .filter(|l| !known(l))
        .map(str::to_string)
        .collect()
}

fn assert_same(ours: &str, theirs: &str) {
    assert!(
        ours.lines().next().unwrap_or("").contains("ferrokafka"),
        "not our library: {ours}"
    );
    assert!(!theirs.lines().next().unwrap_or("").contains("ferrokafka"));
    let (o, t) = (compared(ours), compared(theirs));
    assert!(
        t.len() > 50,
        "librdkafka's run printed too little:\n{theirs}"
    );
    let diff: Vec<String> = t
        .iter()
        .zip(o.iter())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("  librdkafka: {a}\n  ferrokafka: {b}"))
        .collect();
    assert!(
        diff.is_empty() && o.len() == t.len(),
        "interceptors saw different things:\n{}\n--- ours:\n{ours}\n--- librdkafka:\n{theirs}",
        diff.join("\n")
    );
}

#[test]
fn every_interceptor_is_called_as_librdkafka_calls_it() {
    let mock = MockCluster::start(1);
    mock.create_topic("interceptors", 1, 1);
    let theirs = run(Against::Librdkafka, &mock.bootstrap, "interceptors");
    let mock = MockCluster::start(1);
    mock.create_topic("interceptors", 1, 1);
    let ours = run(Against::Ours, &mock.bootstrap, "interceptors");
    assert_same(&ours, &theirs);
}

#[test]
fn every_interceptor_on_our_embedded_mock() {
    let mock = MockCluster::start(1);
    mock.create_topic("interceptors", 1, 1);
    let theirs = run(Against::Librdkafka, &mock.bootstrap, "interceptors");
    let ours_mock = MockCluster::start_ours(1);
    ours_mock.create_topic("interceptors", 1, 1);
    let ours = run(Against::Ours, &ours_mock.bootstrap, "interceptors");
    assert_same(&ours, &theirs);
}

/// `plugin.library.paths` loads a plugin whose `conf_init` registers
/// interceptors, and refuses a missing library or one without `conf_init`,
/// the same on both libraries.
#[test]
fn plugins_load_as_in_librdkafka() {
    let plugin_src = repo_root().join("tests/c/interceptor_plugin.c");
    let user_src = repo_root().join("tests/c/plugin_user.c");
    let mut outputs = Vec::new();
    for against in [Against::Librdkafka, Against::Ours] {
        let plugin = build_c(
            &format!("interceptor_plugin_{}.so", against.tag()),
            &[&plugin_src],
            against,
            &["-shared", "-fPIC"],
        );
        let user = build_c(
            &format!("plugin_user_{}", against.tag()),
            &[&user_src],
            against,
            &[],
        );
        // Any shared library without conf_init will do.
        let not_a_plugin = "libz.so.1";
        let done = run_with_timeout(
            Command::new(user).args([plugin.to_str().unwrap(), not_a_plugin]),
            None,
            T,
        );
        assert!(
            done.success(),
            "plugin_user ({against:?}):\n{}",
            done.describe()
        );
        outputs.push(done.stdout_str());
    }
    let (theirs, ours) = (&outputs[0], &outputs[1]);
    assert!(ours.contains("counted 5"), "{ours}");
    let strip = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(
        strip(ours),
        strip(theirs),
        "ours:\n{ours}\nlibrdkafka:\n{theirs}"
    );
}
