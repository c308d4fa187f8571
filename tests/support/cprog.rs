//! The C test programs (`tests/c/*.c`) and C examples (`examples-c/*.c`),
//! built against ferrokafka and run with bounded time; and the
//! "key=value ..." summary lines several of them print.

use super::{build_c, repo_root, run_with_timeout, Against, Finished};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// Builds `source` (a `.c` path relative to the repository, e.g.
/// "tests/c/consume_verify.c") against our library.
pub fn c_program(source: &str) -> PathBuf {
    let path = repo_root().join(source);
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a C source file name");
    build_c(name, &[&path], Against::Ours, &["-lpthread"])
}

/// Runs a program from `tests/c/` (a bare name) or from another directory
/// (a path ending in ".c"), feeding `input` on stdin.
pub fn run_c(program: &str, args: &[&str], input: Option<&[u8]>, timeout: Duration) -> Finished {
    let source = if program.ends_with(".c") {
        program.to_string()
    } else {
        format!("tests/c/{program}.c")
    };
    let mut cmd = Command::new(c_program(&source));
    cmd.args(args);
    run_with_timeout(&mut cmd, input, timeout)
}

/// Like [`run_c`] without input; the program must succeed. Returns stdout.
pub fn must_c(program: &str, args: &[&str], timeout: Duration) -> String {
    let done = run_c(program, args, None, timeout);
    assert!(done.success(), "{program} failed:\n{}", done.describe());
    done.stdout_str()
}

/// The integer `name=...` of a summary line such as consume_verify's.
pub fn summary_field(summary: &str, name: &str) -> i64 {
    summary
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {summary}"))
}

/// Produces `count` verifiable messages of `size` bytes with produce_verify;
/// every one must be delivered.
pub fn produce_verify(bootstrap: &str, topic: &str, count: usize, size: usize) {
    let out = must_c(
        "produce_verify",
        &[bootstrap, topic, &count.to_string(), &size.to_string()],
        Duration::from_secs(120),
    );
    assert!(out.contains(&format!("delivered={count} ")), "{out}");
}
