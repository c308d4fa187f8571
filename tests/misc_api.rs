//! The small functions of rdkafka.h (`tests/c/misc_api.c`), judged by
//! Debian's librdkafka 2.0.2: consumer group metadata serialized by either
//! library is read by the other and written back byte for byte; thread
//! count, default topic conf copy, queue event callback, dump and the event
//! accessors give the same answers on both; `rd_kafka_unittest` passes.

mod support;

use std::process::Command;
use std::time::Duration;
use support::*;

const T: Duration = Duration::from_secs(60);

fn program(against: Against) -> std::path::PathBuf {
    let source = repo_root().join("tests/c/misc_api.c");
    build_c(
        &format!("misc_api_{}", against.tag()),
        &[&source],
        against,
        &["-D_POSIX_C_SOURCE=200809L"],
    )
}

fn run(against: Against, args: &[&str]) -> String {
    let done = run_with_timeout(Command::new(program(against)).args(args), None, T);
    assert!(
        done.success(),
        "misc_api {args:?} ({against:?}):\n{}",
        done.describe()
    );
    done.stdout_str()
}

fn serialized(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(str::to_string)
        .collect()
}

#[test]
fn consumer_group_metadata_round_trips_between_the_libraries() {
    let ours = run(Against::Ours, &["write"]);
    let theirs = run(Against::Librdkafka, &["write"]);
    assert_eq!(ours, theirs, "serialized forms differ");
    assert_eq!(serialized(&ours).len(), 3, "{ours}");
    for (reader, writer_output) in [(Against::Ours, &theirs), (Against::Librdkafka, &ours)] {
        let blobs = serialized(writer_output);
        let mut args = vec!["read"];
        args.extend(blobs.iter().map(String::as_str));
        let reread = run(reader, &args);
        let rewritten: Vec<&str> = reread
            .lines()
            .filter(|l| l.starts_with("rewritten "))
            .filter_map(|l| l.split_whitespace().nth(1))
            .collect();
        assert_eq!(
            rewritten, blobs,
            "{reader:?} reading the other's:\n{reread}"
        );
        assert!(reread.contains("garbage_refused 1"), "{reread}");
    }
}

#[test]
fn misc_functions_answer_as_librdkafka() {
    let ours = run(Against::Ours, &["misc"]);
    let theirs = run(Against::Librdkafka, &["misc"]);
    assert!(theirs.lines().count() >= 12, "{theirs}");
    assert_eq!(ours, theirs);
}

/// `rd_kafka_unittest` runs the library's self-checks (librdkafka's runs its
/// own unit tests, which Debian's build does not include in a usable form).
#[test]
fn unittest_passes() {
    let src = scratch_dir("unittest").join("unittest.c");
    std::fs::write(
        &src,
        "#include <stdio.h>\n#include <librdkafka/rdkafka.h>\n\
         int main(void) { printf(\"%s %d\\n\", rd_kafka_version_str(), rd_kafka_unittest()); return 0; }\n",
    )
    .unwrap();
    let exe = build_c("unittest", &[&src], Against::Ours, &[]);
    let done = run_with_timeout(&mut Command::new(exe), None, T);
    assert!(done.success(), "{}", done.describe());
    let out = done.stdout_str();
    assert!(
        out.contains("ferrokafka") && out.trim_end().ends_with(" 0"),
        "{out}"
    );
}
