//! The header-only C++ wrapper (`include/librdkafka/rdkafkacpp.h`): its unit
//! tests (`tests/cpp/`) and the C++ examples, built against our library and
//! against Debian's librdkafka (the same header over another implementation
//! of the C API), run offline, under valgrind, against librdkafka's mock
//! cluster and against Tansu. What the C++ producer example writes is read
//! back by confluent-kafka.

mod support;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::*;

const RUN_TIMEOUT: Duration = Duration::from_secs(180);

/// An include directory holding only `librdkafka/rdkafkacpp.h`, so that its
/// `#include <librdkafka/rdkafka.h>` finds Debian's header. Keyed by the
/// header's content, which makes `build_c`'s cache key follow edits.
fn wrapper_only_include() -> PathBuf {
    let header = include_dir().join("librdkafka/rdkafkacpp.h");
    let bytes = std::fs::read(&header).expect("cannot read rdkafkacpp.h");
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cpp-wrapper-include-{:016x}", h.finish()));
    let dest = dir.join("librdkafka");
    std::fs::create_dir_all(&dest).expect("cannot create include dir");
    let tmp = dest.join(format!(".rdkafkacpp.h.{}", std::process::id()));
    std::fs::write(&tmp, &bytes).expect("cannot write header copy");
    std::fs::rename(&tmp, dest.join("rdkafkacpp.h")).expect("cannot place header copy");
    dir
}

/// Builds a C++ program; against librdkafka only its C library is linked
/// (`--as-needed` drops the `-lrdkafka++` that `build_c` adds), so the
/// wrapper, not librdkafka's own C++ library, is what runs.
fn build_cpp(name: &str, source: &Path, against: Against) -> PathBuf {
    match against {
        Against::Ours => build_c(name, &[source], against, &[]),
        Against::Librdkafka => {
            let inc = format!("-I{}", wrapper_only_include().display());
            build_c(name, &[source], against, &[&inc, "-Wl,--as-needed"])
        }
    }
}

fn unit_test_exe(against: Against) -> PathBuf {
    build_cpp(
        "wrapper_unit",
        &repo_root().join("tests/cpp/wrapper_unit.cpp"),
        against,
    )
}

/// Both libraries emit statistics, so the unit test checks them everywhere.
fn unit_args(_against: Against) -> Vec<String> {
    Vec::new()
}

/// Checks the program loaded the C library it was built for.
fn assert_c_library(stdout: &str, against: Against) {
    let lib = stdout
        .lines()
        .find_map(|l| l.strip_prefix("c-library: "))
        .unwrap_or_else(|| panic!("no c-library line in output:\n{stdout}"));
    let ours = Path::new(lib).starts_with(lib_dir());
    assert_eq!(
        ours,
        against == Against::Ours,
        "built against {against:?} but loaded {lib}"
    );
}

fn run_unit(against: Against, extra: &[&str]) {
    let exe = unit_test_exe(against);
    let mut cmd = Command::new(&exe);
    cmd.args(unit_args(against)).args(extra);
    let done = run_with_timeout(&mut cmd, None, RUN_TIMEOUT);
    assert!(done.success(), "wrapper_unit failed:\n{}", done.describe());
    let out = done.stdout_str();
    assert_c_library(&out, against);
    assert!(out.lines().any(|l| l == "ok"), "{}", done.describe());
}

#[test]
fn unit_offline_against_ours() {
    run_unit(Against::Ours, &[]);
}

#[test]
fn unit_offline_against_librdkafka() {
    run_unit(Against::Librdkafka, &[]);
}

/// Object lifetimes: every object the tests create is freed exactly once,
/// Headers handed to produce() included, and nothing is left behind after
/// the handles are destroyed (see tests/support/valgrind.rs for the rules).
#[test]
fn unit_offline_under_valgrind() {
    if !valgrind_available() {
        return;
    }
    let exe = unit_test_exe(Against::Ours);
    let mut cmd = valgrind_command();
    cmd.arg("-q").arg(&exe).args(unit_args(Against::Ours));
    let done = run_with_timeout(&mut cmd, None, Duration::from_secs(600));
    assert!(done.success(), "valgrind run failed:\n{}", done.describe());
    assert!(done.stdout_str().lines().any(|l| l == "ok"));
}

#[test]
fn unit_online_against_mock_cluster() {
    let cluster = MockCluster::start(3);
    cluster.create_topic("cpp-wrapper", 4, 3);
    for against in [Against::Ours, Against::Librdkafka] {
        run_unit(against, &[&cluster.bootstrap, "cpp-wrapper", "4"]);
    }
}

#[test]
fn unit_online_against_tansu() {
    let tansu = Tansu::start();
    tansu.create_topic("cpp-wrapper", 3);
    run_unit(Against::Ours, &[&tansu.bootstrap, "cpp-wrapper", "3"]);
}

/// Runs the C++ producer example with `count` lines on stdin and checks
/// what confluent-kafka reads back.
fn producer_example_round_trip(bootstrap: &str, topic: &str, count: usize) {
    let exe = build_cpp(
        "producer_cpp",
        &repo_root().join("examples-cpp/producer.cpp"),
        Against::Ours,
    );
    let input: String = (0..count).map(|i| format!("line-{i}\n")).collect();
    let mut cmd = Command::new(exe);
    cmd.args([bootstrap, topic]);
    let done = run_with_timeout(&mut cmd, Some(input.as_bytes()), RUN_TIMEOUT);
    assert!(
        done.success(),
        "producer example failed:\n{}",
        done.describe()
    );
    assert!(
        done.stdout_str()
            .contains(&format!("delivered {count} failed 0")),
        "{}",
        done.describe()
    );
    let msgs = python_consume(bootstrap, topic, count, Duration::from_secs(120));
    let mut values: Vec<String> = msgs
        .iter()
        .map(|m| String::from_utf8_lossy(m.value.as_deref().unwrap_or_default()).into_owned())
        .collect();
    values.sort();
    let mut expected: Vec<String> = (0..count).map(|i| format!("line-{i}")).collect();
    expected.sort();
    assert_eq!(values, expected);
}

#[test]
fn producer_example_against_mock_cluster() {
    let cluster = MockCluster::start(3);
    cluster.create_topic("cpp-example", 4, 3);
    producer_example_round_trip(&cluster.bootstrap, "cpp-example", 500);
}

#[test]
fn producer_example_against_tansu() {
    let tansu = Tansu::start();
    tansu.create_topic("cpp-example", 3);
    producer_example_round_trip(&tansu.bootstrap, "cpp-example", 500);
}

/// The consumer example through the wrapper: produced by our C++ producer,
/// consumed by a group member over the given C library.
fn consumer_example_round_trip(against: Against) {
    let cluster = MockCluster::start(3);
    cluster.create_topic("cpp-consume", 4, 3);
    consumer_example_on(&cluster.bootstrap, against);
}

fn consumer_example_on(bootstrap: &str, against: Against) {
    let count = 200;
    let producer = build_cpp(
        "producer_cpp",
        &repo_root().join("examples-cpp/producer.cpp"),
        Against::Ours,
    );
    let input: String = (0..count).map(|i| format!("msg-{i}\n")).collect();
    let done = run_with_timeout(
        Command::new(producer).args([bootstrap, "cpp-consume"]),
        Some(input.as_bytes()),
        RUN_TIMEOUT,
    );
    assert!(
        done.success(),
        "producer example failed:\n{}",
        done.describe()
    );

    let consumer = build_cpp(
        "kafka_consumer_cpp",
        &repo_root().join("examples-cpp/kafka_consumer.cpp"),
        against,
    );
    let done = run_with_timeout(
        Command::new(consumer).args([bootstrap, "cpp-group", "cpp-consume", &count.to_string()]),
        None,
        RUN_TIMEOUT,
    );
    assert!(
        done.success(),
        "consumer example failed:\n{}",
        done.describe()
    );
    let mut got: Vec<String> = done.stdout_str().lines().map(String::from).collect();
    got.sort();
    let mut expected: Vec<String> = (0..count).map(|i| format!("msg-{i}")).collect();
    expected.sort();
    assert_eq!(got, expected, "{}", done.describe());
    let log = done.stderr_str();
    assert!(log.contains("% Assigned:"), "no rebalance callback:\n{log}");
    assert!(
        log.contains("% Committed"),
        "no offset commit callback:\n{log}"
    );
}

#[test]
fn consumer_example_over_librdkafka() {
    consumer_example_round_trip(Against::Librdkafka);
}

#[test]
fn consumer_example_against_ours() {
    consumer_example_round_trip(Against::Ours);
}

/// The same flow against Tansu: delivered, consumed in a group, committed.
#[test]
fn consumer_example_against_ours_on_tansu() {
    let tansu = Tansu::start();
    tansu.create_topic("cpp-consume", 3);
    consumer_example_on(&tansu.bootstrap, Against::Ours);
}

/// Runs the C++ program `tests/cpp/{source}.cpp` (built as `name`) over
/// the given C library against a fresh `topic` of `partitions` on
/// librdkafka's mock cluster; it must load that library and print "ok".
fn run_on_mock_cluster(name: &str, source: &str, topic: &str, partitions: i32, against: Against) {
    let cluster = MockCluster::start(3);
    cluster.create_topic(topic, partitions, 3);
    let exe = build_cpp(
        name,
        &repo_root().join(format!("tests/cpp/{source}.cpp")),
        against,
    );
    let done = run_with_timeout(
        Command::new(exe).args([&cluster.bootstrap, topic]),
        None,
        RUN_TIMEOUT,
    );
    assert!(done.success(), "{source} failed:\n{}", done.describe());
    let out = done.stdout_str();
    assert_c_library(&out, against);
    assert!(out.lines().any(|l| l == "ok"), "{}", done.describe());
}

/// Every KafkaConsumer method the unit test covers, over the given C
/// library, against a fresh topic on the mock cluster.
fn consumer_unit(against: Against) {
    run_on_mock_cluster(
        "consumer_unit",
        "consumer_unit",
        "cpp-consumer-unit",
        2,
        against,
    );
}

#[test]
fn consumer_unit_over_librdkafka() {
    consumer_unit(Against::Librdkafka);
}

#[test]
fn consumer_unit_against_ours() {
    consumer_unit(Against::Ours);
}

/// RdKafka::Consumer (the legacy consumer); the same program over
/// Debian's librdkafka is the reference.
fn legacy_consumer(against: Against) {
    run_on_mock_cluster(
        "legacy_consumer_cpp",
        "legacy_consumer",
        "cpp-legacy",
        2,
        against,
    );
}

#[test]
fn legacy_consumer_against_ours() {
    legacy_consumer(Against::Ours);
}

#[test]
fn legacy_consumer_over_librdkafka() {
    legacy_consumer(Against::Librdkafka);
}

/// Names of the C functions rdkafkacpp.h declares itself because our
/// rdkafka.h lacks them (between the pending-c-api markers).
fn pending_c_functions() -> Vec<String> {
    let text = std::fs::read_to_string(include_dir().join("librdkafka/rdkafkacpp.h"))
        .expect("cannot read rdkafkacpp.h");
    let start = text.find("BEGIN pending-c-api").expect("no BEGIN marker");
    let end = text.find("END pending-c-api").expect("no END marker");
    let block = &text[start..end];
    let mut names = Vec::new();
    for (i, _) in block.match_indices("rd_kafka_") {
        let rest = &block[i..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let after = rest[name.len()..].trim_start();
        // A declaration `name(` or an asm label `"name")`.
        let is_fn = after.starts_with('(') || after.starts_with("\")");
        if is_fn && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The weak declarations exist only while our library lacks the functions:
/// once rdkafka.h declares one, it must leave the pending list (and the
/// wrapper then calls it like any other).
#[test]
fn pending_c_api_list_is_current() {
    // Empty once every C function the wrapper needs is exported.
    let pending = pending_c_functions();
    let header = strip_comments(
        &std::fs::read_to_string(include_dir().join("librdkafka/rdkafka.h"))
            .expect("cannot read rdkafka.h"),
    );
    let declared: Vec<&String> = pending
        .iter()
        .filter(|name| {
            header.match_indices(name.as_str()).any(|(i, _)| {
                let before = header[..i].chars().last();
                let after = &header[i + name.len()..];
                !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    && after.trim_start().starts_with('(')
            })
        })
        .collect();
    assert!(
        declared.is_empty(),
        "rdkafka.h now declares {declared:?}: remove them from the pending-c-api \
         block of rdkafkacpp.h"
    );
}

/// C source without its comments (doc comments mention functions that are
/// not declared).
fn strip_comments(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    loop {
        let block = rest.find("/*");
        let line = rest.find("//");
        match (block, line) {
            (Some(b), l) if l.map_or(true, |l| b < l) => {
                out.push_str(&rest[..b]);
                rest = rest[b + 2..]
                    .find("*/")
                    .map_or("", |e| &rest[b + 2 + e + 2..]);
            }
            (_, Some(l)) => {
                out.push_str(&rest[..l]);
                rest = rest[l..].find('\n').map_or("", |e| &rest[l + e..]);
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// The transactional producer through the wrapper (`RdKafka::Producer`'s
/// transaction methods, `RdKafka::Error`), on librdkafka's mock cluster,
/// against both libraries.
#[test]
fn transactional_producer_against_mock_cluster() {
    let cluster = MockCluster::start(3);
    cluster.create_topic("cpp-txn", 2, 1);
    for against in [Against::Librdkafka, Against::Ours] {
        let exe = build_cpp(
            &format!("txn_wrapper_{}", against.tag()),
            &repo_root().join("tests/cpp/txn_wrapper.cpp"),
            against,
        );
        let mut cmd = Command::new(&exe);
        cmd.args([&cluster.bootstrap, "cpp-txn"]);
        let done = run_with_timeout(&mut cmd, None, RUN_TIMEOUT);
        assert!(done.success(), "txn_wrapper failed:\n{}", done.describe());
        let out = done.stdout_str();
        assert_c_library(&out, against);
        assert!(out.lines().any(|l| l == "ok"), "{}", done.describe());
    }
}
