//! C programs driving the `rd_kafka_conf_*` API of our cdylib, and a
//! side-by-side comparison with the installed librdkafka when present.
//!
//! The programs are compiled with the system C compiler against
//! `/usr/include/librdkafka/rdkafka.h` (the function prototypes are the same
//! as ours) and linked against `libferrokafka.so` from the same target
//! directory as this test binary (built on demand, see [`build_cdylib`]).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;

const RDKAFKA_HEADER: &str = "/usr/include/librdkafka/rdkafka.h";

/// `target/<profile>`, where cargo puts `libferrokafka.so`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/conf_api-<hash>
    exe.parent()
        .and_then(Path::parent)
        .expect("target dir")
        .to_path_buf()
}

fn out_dir() -> PathBuf {
    let dir = target_dir().join("conf-api-tests");
    std::fs::create_dir_all(&dir).expect("create test output dir");
    dir
}

/// Compiles `tests/conf/<source>` and links it with `lib` (a `-l` name)
/// found in `lib_dir`; returns the executable, or `None` when the
/// prerequisites (header, compiler) are missing.
fn compile(
    source: &str,
    exe_name: &str,
    lib_dir: &Path,
    lib: &str,
    defines: &[&str],
) -> Option<PathBuf> {
    if !Path::new(RDKAFKA_HEADER).exists() {
        eprintln!("note: {RDKAFKA_HEADER} not installed; skipping");
        return None;
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conf")
        .join(source);
    let exe = out_dir().join(exe_name);
    let status = Command::new("cc")
        .arg("-std=c99")
        .arg("-Wall")
        .arg("-Werror")
        .args(defines.iter().map(|d| format!("-D{d}")))
        .arg("-o")
        .arg(&exe)
        .arg(&src)
        .arg(format!("-L{}", lib_dir.display()))
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .arg(format!("-l{lib}"))
        .status();
    match status {
        Ok(s) if s.success() => Some(exe),
        Ok(s) => panic!("compiling {source} failed: {s}"),
        Err(e) => {
            eprintln!("note: no C compiler ({e}); skipping");
            None
        }
    }
}

/// `cargo test` rebuilds the rlib it links the tests with, but not the
/// cdylib the C programs need, so build it here (a no-op when up to date).
fn build_cdylib() {
    static BUILD: Once = Once::new();
    BUILD.call_once(|| {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(["build", "--lib", "--manifest-path"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"));
        if target_dir().file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("run cargo build");
        assert!(status.success(), "cargo build --lib failed: {status}");
    });
}

fn ours(source: &str, exe_name: &str) -> Option<PathBuf> {
    build_cdylib();
    // Holds librdkafka.so.1 -> our library (our soname), see support::lib_dir.
    let dir = support::lib_dir();
    assert!(
        dir.join("libferrokafka.so").exists(),
        "libferrokafka.so not found in {}",
        dir.display()
    );
    compile(source, exe_name, &dir, "ferrokafka", &[])
}

/// Where the installed librdkafka is, if it is.
fn librdkafka_dir() -> Option<&'static Path> {
    let found = [
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
        "/usr/lib",
    ]
    .into_iter()
    .map(Path::new)
    .find(|dir| dir.join("librdkafka.so").exists());
    if found.is_none() {
        eprintln!("note: librdkafka.so not installed; skipping the reference run");
    }
    found
}

fn run(exe: &Path, args: &[&str]) -> String {
    let output = Command::new(exe)
        .args(args)
        .output()
        .expect("run test program");
    assert!(
        output.status.success(),
        "{} failed: {}\nstdout:\n{}\nstderr:\n{}",
        exe.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

#[test]
fn c_program_exercises_conf_api() {
    let Some(exe) = ours("conf_api.c", "conf_api") else {
        return;
    };
    assert_eq!(run(&exe, &[]), "ok\n");
}

/// The same program passes against librdkafka, so its expectations are
/// librdkafka's behaviour and not just ours.
#[test]
fn conf_api_expectations_hold_for_librdkafka() {
    let Some(lib_dir) = librdkafka_dir() else {
        return;
    };
    let define = ["REFERENCE_LIBRDKAFKA"];
    let Some(exe) = compile(
        "conf_api.c",
        "conf_api_librdkafka",
        lib_dir,
        "rdkafka",
        &define,
    ) else {
        return;
    };
    assert_eq!(run(&exe, &[]), "ok\n");
}

/// Lines whose values differ on purpose between librdkafka and us.
fn comparable(line: &str) -> bool {
    const DIFFERENT: [&str; 7] = [
        // We report only what we implement.
        "global builtin.features =",
        // We identify ourselves to brokers as what we are.
        "global client.software.name =",
        "global client.software.version =",
        // librdkafka installs internal default callbacks for these.
        "global log_cb =",
        "global socket_cb =",
        "global open_cb =",
        // An address; we do not list it in dumps.
        "global default_topic_conf =",
    ];
    !DIFFERENT.iter().any(|prefix| line.starts_with(prefix))
}

/// The same operations applied through librdkafka and through us must give
/// the same result codes, values and dumps.
#[test]
fn behaves_like_installed_librdkafka() {
    let Some(lib_dir) = librdkafka_dir() else {
        return;
    };
    let Some(reference) = compile(
        "conf_oracle.c",
        "conf_oracle_librdkafka",
        lib_dir,
        "rdkafka",
        &[],
    ) else {
        return;
    };
    let Some(ours) = ours("conf_oracle.c", "conf_oracle_ours") else {
        return;
    };
    let scenarios: &[&[&str]] = &[
        &[],
        &[
            "g:bootstrap.servers=a:1,b:2",
            "G:metadata.broker.list",
            "g:linger.ms=0.5",
            "G:linger.ms",
            "g:linger.ms=1000000",
            "g:linger.ms=abc",
            "g:linger.ms=",
            "g:linger.ms=123456.7",
            "G:queue.buffering.max.ms",
            "g:message.max.bytes=0x1000",
            "G:message.max.bytes",
            "g:message.max.bytes= 2000",
            "g:message.max.bytes=999",
            "g:socket.keepalive.enable=T",
            "g:socket.nagle.disable=yes",
            "g:socket.nagle.disable=0",
            "g:no.such.property=1",
            "G:no.such.property",
        ],
        &[
            "g:debug=broker,TOPIC",
            "G:debug",
            "g:debug=+msg",
            "g:debug=-broker",
            "G:debug",
            "g:debug=",
            "g:debug=nonsense",
            "g:compression.codec=GZIP",
            "G:compression.type",
            "g:compression.codec=inherit",
            "g:security.protocol=SASL_SSL",
            "g:isolation.level=READ_UNCOMMITTED",
            "g:offset.store.method=none",
            "g:group.id=  grp ",
            "G:group.id",
            "g:client.rack= r",
            "g:client.id=",
            "G:client.id",
            "g:builtin.features=gzip,zstd",
            "g:dr_msg_cb=1",
            "g:interceptors=x",
            "g:sasl.jaas.config=x",
            "g:test.mock.num.brokers=3",
            "g:test.mock.num.brokers=-1",
            "g:partition.assignment.strategy=cooperative-sticky",
        ],
        &[
            "G:acks",
            "g:acks=all",
            "G:acks",
            "g:partitioner=murmur2",
            "G:partitioner",
            "g:topic.partitioner=fnv1a",
            "g:enable.auto.commit=false",
            "g:auto.commit.interval.ms=100",
        ],
        &[
            "t:acks=0",
            "t:acks=-2",
            "t:request.required.acks=x",
            "t:auto.offset.reset=EARLIEST",
            "T:auto.offset.reset",
            "t:auto.offset.reset=end",
            "T:auto.offset.reset",
            "t:auto.offset.reset=nowhere",
            "t:compression.type=lz4",
            "T:compression.codec",
            "t:compression.codec=inherit",
            "t:offset.store.method=none",
            "t:topic.partitioner=murmur2_random",
            "T:partitioner",
            "T:topic.partitioner",
            "t:partitioner=bogus",
            "t:client.id=x",
            "t:opaque=1",
            "t:enable.auto.commit=false",
            "T:auto.commit.enable",
            "t:delivery.timeout.ms=1000",
            "T:message.timeout.ms",
        ],
    ];
    for args in scenarios {
        let expected: Vec<String> = run(&reference, args)
            .lines()
            .filter(|l| comparable(l))
            .map(str::to_string)
            .collect();
        let actual: Vec<String> = run(&ours, args)
            .lines()
            .filter(|l| comparable(l))
            .map(str::to_string)
            .collect();
        assert_eq!(actual, expected, "scenario {args:?}");
    }
}
