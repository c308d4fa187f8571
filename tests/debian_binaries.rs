//! Binaries built for Debian's librdkafka, run on ours: librdkafka's own
//! `rdkafka_example.c` (shipped in librdkafka-dev) compiled against our
//! header, in metadata, produce and consume modes; and a C++ program linked
//! against Debian's `librdkafka++.so.1`, loaded on our `librdkafka.so.1`
//! through `LD_LIBRARY_PATH`. Both against our embedded mock cluster.
//! (`rdkafka_performance.c` includes librdkafka's private `../src/rd.h`, so
//! it builds against neither installed header.)

mod support;

use std::process::Command;
use std::time::Duration;
use support::*;

const T: Duration = Duration::from_secs(60);
const EXAMPLE: &str = "/usr/share/doc/librdkafka-dev/examples/rdkafka_example.c";

fn example() -> std::path::PathBuf {
    let exe = scratch_dir("rdkafka_example").join("rdkafka_example");
    // librdkafka's example is not warning-clean C11: built as its Makefile
    // builds it, not with build_c's strict flags.
    let include = include_dir();
    let status = Command::new("cc")
        .args(["-w", "-D_GNU_SOURCE", "-o"])
        .arg(&exe)
        .arg(EXAMPLE)
        .arg(format!("-I{}", include.join("librdkafka").display()))
        .arg(format!("-I{}", include.display()))
        .arg(format!("-L{}", lib_dir().display()))
        .args(["-lferrokafka", "-Wl,--disable-new-dtags"])
        .arg(format!("-Wl,-rpath,{}", lib_dir().display()))
        .arg("-lpthread")
        .status()
        .expect("run cc");
    assert!(
        status.success(),
        "rdkafka_example.c does not compile against our header"
    );
    assert_loads_intended(&exe, Against::Ours);
    exe
}

#[test]
fn librdkafkas_rdkafka_example_runs_on_ours() {
    let exe = example();
    let mock = MockCluster::start_ours(1);
    mock.create_topic("example", 1, 1);
    let b = mock.bootstrap.as_str();
    let meta = run_with_timeout(Command::new(&exe).args(["-L", "-b", b]), None, T);
    assert!(meta.success(), "{}", meta.describe());
    assert!(
        meta.stdout_str()
            .contains("topic \"example\" with 1 partitions"),
        "{}",
        meta.stdout_str()
    );
    let produce = run_with_timeout(
        Command::new(&exe).args(["-P", "-t", "example", "-p", "0", "-b", b]),
        Some(b"hello\nworld\n"),
        T,
    );
    assert!(produce.success(), "{}", produce.describe());
    let consume = run_with_timeout(
        Command::new(&exe).args([
            "-C",
            "-t",
            "example",
            "-p",
            "0",
            "-o",
            "beginning",
            "-e",
            "-b",
            b,
        ]),
        None,
        T,
    );
    let out = consume.stdout_str();
    assert!(
        out.contains("hello") && out.contains("world"),
        "{}",
        consume.describe()
    );
}

#[test]
fn a_program_linked_to_debians_librdkafka_cpp_runs_on_ours() {
    let source = repo_root().join("tests/cpp/debian_wrapper_dropin.cpp");
    let exe = build_c(
        "debian_wrapper_dropin",
        &[&source],
        Against::Librdkafka,
        &[],
    );
    let mock = MockCluster::start_ours(1);
    mock.create_topic("cpp", 1, 1);
    let done = run_with_timeout(
        Command::new(&exe)
            .args([mock.bootstrap.as_str(), "dropin"])
            .env("LD_LIBRARY_PATH", lib_dir()),
        None,
        T,
    );
    let out = done.stdout_str();
    assert!(done.success(), "{}", done.describe());
    assert!(
        out.contains("ferrokafka") && out.contains("consumed 5"),
        "{out}"
    );
}

/// Debian's `python3-confluent-kafka` (1.7, built for Debian's librdkafka)
/// imports on ours — it needs every function it links — and produces,
/// consumes in a group, commits and creates a topic with its AdminClient.
#[test]
fn debians_python_confluent_kafka_runs_on_ours() {
    let mock = MockCluster::start_ours(3);
    let done = run_with_timeout(
        Command::new("/usr/bin/python3")
            .arg(repo_root().join("tests/peers/debian_python_dropin.py"))
            .args([mock.bootstrap.as_str(), "debian-python"])
            .env("LD_LIBRARY_PATH", lib_dir()),
        None,
        Duration::from_secs(120),
    );
    let out = done.stdout_str();
    assert!(done.success(), "{}", done.describe());
    assert!(
        out.contains("ferrokafka") && out.contains("consumed 200") && out.ends_with("ok\n"),
        "{out}"
    );
}
