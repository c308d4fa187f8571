//! Proves our generated header is ABI-identical to librdkafka's: the same C
//! program (`tests/abi/layout.c`), which prints every public struct's size
//! and field offsets and every public constant, must print exactly the same
//! when compiled against either header. Also checks that the header
//! compiles cleanly under strict C and C++ settings.

use std::path::{Path, PathBuf};
use std::process::Command;

const REAL_HEADER_DIR: &str = "/usr/include";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// Runs a compiler and fails the test with its diagnostics if it fails.
fn compile(compiler: &str, args: &[&str]) {
    let output = Command::new(compiler)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(
        output.status.success(),
        "{compiler} {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Builds `tests/abi/layout.c` against the headers in `include_dir` and
/// returns what it prints.
fn layout_facts(include_dir: &str, exe_name: &str) -> String {
    let exe = scratch(exe_name);
    let source = repo().join("tests/abi/layout.c");
    compile(
        "cc",
        &[
            "-std=c99",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-I",
            include_dir,
            source.to_str().unwrap(),
            "-o",
            exe.to_str().unwrap(),
        ],
    );
    let output = Command::new(&exe).output().expect("run layout program");
    assert!(output.status.success(), "{exe_name} failed");
    String::from_utf8(output.stdout).expect("layout output is text")
}

#[test]
fn layout_and_constants_match_librdkafka() {
    assert!(
        Path::new(REAL_HEADER_DIR)
            .join("librdkafka/rdkafka.h")
            .exists(),
        "librdkafka's header is required (Debian package librdkafka-dev)"
    );
    let ours_dir = repo().join("include");
    let ours = layout_facts(ours_dir.to_str().unwrap(), "layout_ours");
    let real = layout_facts(REAL_HEADER_DIR, "layout_librdkafka");

    let differences: Vec<String> = real
        .lines()
        .zip(ours.lines())
        .filter(|(r, o)| r != o)
        .map(|(r, o)| format!("  librdkafka: {r}\n  ferrokafka: {o}"))
        .collect();
    assert!(
        differences.is_empty() && real.lines().count() == ours.lines().count(),
        "ABI differs from librdkafka:\n{}",
        differences.join("\n")
    );
    // Guard against a vacuous pass (e.g. the program printing nothing).
    assert!(
        real.lines().count() > 300,
        "layout program printed too little"
    );
}

#[test]
fn header_is_clean_under_strict_c_and_cpp() {
    let include = repo().join("include");
    let source = repo().join("tests/abi/strict.c");
    let include = include.to_str().unwrap();
    let source = source.to_str().unwrap();
    let strict = [
        "-Wall",
        "-Wextra",
        "-Werror",
        "-pedantic",
        "-fsyntax-only",
        "-I",
        include,
    ];
    for (compiler, std, lang) in [("gcc", "-std=c99", "c"), ("g++", "-std=c++11", "c++")] {
        let mut args = vec![std, "-x", lang];
        args.extend_from_slice(&strict);
        args.push(source);
        compile(compiler, &args);
    }
}

/// The header is generated from the Rust structs, but this closes the loop
/// without trusting cbindgen: the Rust layouts themselves must match the
/// numbers librdkafka's header produces.
#[test]
fn rust_structs_match_librdkafka_layout() {
    use ferrokafka::ffi::types::*;
    use std::mem::{offset_of, size_of};

    let real = layout_facts(REAL_HEADER_DIR, "layout_librdkafka_for_rust");
    let mut expected = std::collections::HashMap::new();
    for line in real.lines() {
        if let Some((key, value)) = line.split_once(" = ") {
            expected.insert(key.to_string(), value.to_string());
        }
    }
    let mut checked = 0;
    let mut check = |key: String, actual: usize| {
        let want = expected
            .get(&key)
            .unwrap_or_else(|| panic!("layout.c does not print {key}"));
        assert_eq!(want, &actual.to_string(), "{key}");
        checked += 1;
    };

    macro_rules! layout {
        ($c_name:literal, $ty:ty, [$($field:ident),*]) => {
            check(format!("sizeof({})", $c_name), size_of::<$ty>());
            $(check(format!("offsetof({}, {})", $c_name, stringify!($field)), offset_of!($ty, $field));)*
        };
    }
    layout!(
        "rd_kafka_message_t",
        rd_kafka_message_t,
        [err, rkt, partition, payload, len, key, key_len, offset, _private]
    );
    layout!(
        "rd_kafka_topic_partition_t",
        rd_kafka_topic_partition_t,
        [
            topic,
            partition,
            offset,
            metadata,
            metadata_size,
            opaque,
            err,
            _private
        ]
    );
    layout!(
        "rd_kafka_topic_partition_list_t",
        rd_kafka_topic_partition_list_t,
        [cnt, size, elems]
    );
    layout!(
        "rd_kafka_metadata_broker_t",
        rd_kafka_metadata_broker_t,
        [id, host, port]
    );
    layout!(
        "rd_kafka_metadata_partition_t",
        rd_kafka_metadata_partition_t,
        [id, err, leader, replica_cnt, replicas, isr_cnt, isrs]
    );
    layout!(
        "rd_kafka_metadata_topic_t",
        rd_kafka_metadata_topic_t,
        [topic, partition_cnt, partitions, err]
    );
    layout!(
        "rd_kafka_metadata_t",
        rd_kafka_metadata_t,
        [
            broker_cnt,
            brokers,
            topic_cnt,
            topics,
            orig_broker_id,
            orig_broker_name
        ]
    );
    layout!(
        "struct rd_kafka_group_member_info",
        rd_kafka_group_member_info,
        [
            member_id,
            client_id,
            client_host,
            member_metadata,
            member_metadata_size,
            member_assignment,
            member_assignment_size
        ]
    );
    layout!(
        "struct rd_kafka_group_info",
        rd_kafka_group_info,
        [
            broker,
            group,
            err,
            state,
            protocol_type,
            protocol,
            members,
            member_cnt
        ]
    );
    layout!(
        "struct rd_kafka_group_list",
        rd_kafka_group_list,
        [groups, group_cnt]
    );
    layout!(
        "struct rd_kafka_err_desc",
        rd_kafka_err_desc,
        [code, name, desc]
    );
    layout!("rd_kafka_vu_t", rd_kafka_vu_t, [vtype, u]);
    check(
        "sizeof(rd_kafka_resp_err_t)".into(),
        size_of::<ferrokafka::error::ErrorCode>(),
    );
    check(
        "sizeof(rd_kafka_vtype_t)".into(),
        size_of::<rd_kafka_vtype_t>(),
    );
    check(
        "sizeof(rd_kafka_conf_res_t)".into(),
        size_of::<rd_kafka_conf_res_t>(),
    );
    let u = offset_of!(rd_kafka_vu_t, u);
    check(
        "offsetof(rd_kafka_vu_t, u.mem.size)".into(),
        u + offset_of!(rd_kafka_vu_mem_s, size),
    );
    check(
        "offsetof(rd_kafka_vu_t, u.header.size)".into(),
        u + offset_of!(rd_kafka_vu_header_s, size),
    );
    check(
        "offsetof(rd_kafka_vu_t, u.header.val)".into(),
        u + offset_of!(rd_kafka_vu_header_s, val),
    );
    assert!(checked > 60);
}

/// Compiles `sources` with `extra` arguments into `exe_name`, runs it and
/// returns its output.
fn build_and_run(sources: &[PathBuf], extra: &[&str], exe_name: &str) -> String {
    let exe = scratch(exe_name);
    let mut args: Vec<&str> = vec!["-std=c99", "-Wall", "-Wextra", "-Werror"];
    args.extend(sources.iter().map(|s| s.to_str().unwrap()));
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-o", exe.to_str().unwrap()]);
    compile("cc", &args);
    let output = Command::new(&exe).output().expect("run test program");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{exe_name} failed:\n{stdout}");
    stdout
}

#[test]
fn producev_shim_unpacks_every_argument_kind() {
    let include = repo().join("include/librdkafka");
    let output = build_and_run(
        &[
            repo().join("tests/abi/producev_walk.c"),
            repo().join("src/ffi/producev.c"),
        ],
        &["-I", include.to_str().unwrap()],
        "producev_walk",
    );
    let expected_first_call = "rk=0x10 cnt=10\ntopic orders\nrkt 0x20\npartition 7\n\
        value payload/7\nkey k1/2\nopaque 0x30\nmsgflags 2\ntimestamp 1234567890123\n\
        header h=v/-1\nheaders 0x40\nresult 0 destroyed 0\n";
    assert!(output.starts_with(expected_first_call), "{output}");
    let state = ferrokafka::error::ErrorCode::RD_KAFKA_RESP_ERR__STATE.code();
    let invalid = ferrokafka::error::ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG.code();
    for line in [
        format!("result {state} destroyed 1"),
        format!("unknown tag {invalid}"),
        "64 args 0".to_string(),
        format!("65 args {invalid}"),
    ] {
        assert!(
            output.lines().any(|l| l == line),
            "missing {line:?} in:\n{output}"
        );
    }
}

/// Drop-in check: a C program linked against `librdkafka.so.1` runs with
/// our library (found under that name) and finds every symbol it needs,
/// including the C-implemented variadic ones.
#[test]
fn c_program_links_against_our_library_by_soname() {
    // Integration tests run from target/<profile>/deps, where cargo also
    // leaves the freshly built cdylib (the copy one level up is refreshed
    // only by `cargo build`).
    let exe = std::env::current_exe().expect("test executable path");
    let deps_dir = exe.parent().expect("deps dir");
    let cdylib = deps_dir.join("libferrokafka.so");
    assert!(cdylib.exists(), "{} not built", cdylib.display());

    // Stand in for the system library: librdkafka.so(.1) pointing at ours.
    let lib_dir = scratch("soname_lib");
    std::fs::create_dir_all(&lib_dir).unwrap();
    for name in ["librdkafka.so", "librdkafka.so.1"] {
        let link = lib_dir.join(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&cdylib, &link).unwrap();
    }
    let include = repo().join("include");
    let lib_dir_s = lib_dir.to_str().unwrap();
    let rpath = format!("-Wl,-rpath,{lib_dir_s}");
    let output = build_and_run(
        &[repo().join("tests/abi/exports.c")],
        &[
            "-I",
            include.to_str().unwrap(),
            "-L",
            lib_dir_s,
            "-lrdkafka",
            &rpath,
        ],
        "exports",
    );
    assert!(output.ends_with("ok\n"), "{output}");
}
