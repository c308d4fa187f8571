//! The CMake build and the installed package: configure and build the
//! project (cargo-built library, examples, C/C++ tests with -Werror), run
//! its CTest suite, install into a temporary prefix, then build the outside
//! project in `tests/cmake/` against that prefix, once with
//! `find_package(ferrokafka)` (shared and static) and once with pkg-config
//! (librdkafka's drop-in name `rdkafka++`), and run what it built.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::*;

const STEP_TIMEOUT: Duration = Duration::from_secs(900);

fn run(cmd: &mut Command, what: &str) -> Finished {
    let done = run_with_timeout(cmd, None, STEP_TIMEOUT);
    assert!(done.success(), "{what} failed:\n{}", done.describe());
    done
}

fn cmake(args: &[&str], what: &str) -> Finished {
    run(Command::new("cmake").args(args), what)
}

/// The profile-independent target directory of this checkout, so the cargo
/// step of the CMake build reuses what `cargo test` already compiled.
fn cargo_target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"))
}

/// Configures and builds the project in `build` with extra cache settings,
/// then runs its tests with CTest.
fn build_project(build: &Path, settings: &[&str]) {
    let target = format!(
        "-DFERROKAFKA_CARGO_TARGET_DIR={}",
        cargo_target_dir().display()
    );
    let src = repo_root();
    let mut args = vec![
        "-S",
        src.to_str().expect("utf-8 path"),
        "-B",
        build.to_str().expect("utf-8 path"),
        "-DCMAKE_BUILD_TYPE=Release",
        &target,
    ];
    args.extend_from_slice(settings);
    cmake(&args, "cmake configure");
    cmake(
        &["--build", build.to_str().expect("utf-8 path"), "-j2"],
        "cmake --build",
    );
    run(
        Command::new("ctest")
            .arg("--output-on-failure")
            .current_dir(build),
        "ctest",
    );
}

/// Proves with `ldd`, without `LD_LIBRARY_PATH` (so only the program's own
/// run path counts, as for a user who just runs it), that `binary` loads
/// `librdkafka.so.1` from `dir`: ours, not the system's librdkafka, which
/// answers to the same soname and is installed where these tests run.
fn assert_loads_from(binary: &Path, dir: &Path) {
    let (resolved, text) = ldd_librdkafka(
        Command::new("ldd")
            .arg(binary)
            .env_remove("LD_LIBRARY_PATH"),
    );
    let resolved = resolved.unwrap_or_else(|| {
        panic!(
            "{} does not need librdkafka.so.1:\n{text}",
            binary.display()
        )
    });
    let canonical = |path: &Path| {
        std::fs::canonicalize(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    assert_eq!(
        canonical(Path::new(&resolved)),
        canonical(&dir.join("librdkafka.so.1")),
        "{} would load {resolved} as librdkafka.so.1, not ours from {}:\n{text}",
        binary.display(),
        dir.display()
    );
}

/// A statically linked program carries the C library: it must not ask the
/// loader for any librdkafka.so.1.
fn assert_needs_no_librdkafka(binary: &Path) {
    let (resolved, text) = ldd_librdkafka(Command::new("ldd").arg(binary));
    assert_eq!(resolved, None, "{}:\n{text}", binary.display());
}

/// Runs a program built outside the tree with no `LD_LIBRARY_PATH`, and
/// checks what it printed: success, the shared object that provided the C
/// API (from `dladdr`), and `rd_kafka_version_str()`, which names ours.
fn run_outside(program: &Path, expected_library: &Path, what: &str) {
    let done = run(Command::new(program).env_remove("LD_LIBRARY_PATH"), what);
    let stdout = done.stdout_str();
    let version = stdout
        .lines()
        .find_map(|l| l.strip_prefix("outside ok "))
        .unwrap_or_else(|| panic!("{what}: no \"outside ok\" line:\n{stdout}"));
    assert!(
        version.contains("ferrokafka"),
        "{what}: rd_kafka_version_str() is {version:?}, not ours"
    );
    let library = c_library(&stdout);
    assert!(
        library.starts_with(expected_library),
        "{what}: the C API came from {}, not {}",
        library.display(),
        expected_library.display()
    );
}

fn c_library(stdout: &str) -> PathBuf {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("c-library: "))
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("no c-library line:\n{stdout}"))
}

#[test]
fn build_install_and_use_from_outside() {
    let dir = scratch_dir("cmake-package");
    let build = dir.join("build");
    let prefix = dir.join("prefix");
    build_project(&build, &[]);
    // The build tree's own programs (examples and C++ tests, which CTest
    // just ran) find the library cargo built through their build run path.
    for program in [
        "quickstart",
        "producer_c",
        "consumer_c",
        "offset_range_c",
        "partition_queues_c",
        "producer_cpp",
        "kafka_consumer_cpp",
        "cpp_wrapper_unit",
        "cpp_consumer_unit",
    ] {
        assert_loads_from(&build.join(program), &build.join("lib"));
    }
    assert_needs_no_librdkafka(&build.join("cpp_wrapper_unit_static"));
    cmake(
        &[
            "--install",
            build.to_str().expect("utf-8 path"),
            "--prefix",
            prefix.to_str().expect("utf-8 path"),
        ],
        "cmake --install",
    );

    // The installed library answers to librdkafka's soname, under which
    // programs look for it.
    let lib = prefix.join("lib");
    let readelf = run(
        Command::new("readelf")
            .arg("-d")
            .arg(lib.join("libferrokafka.so")),
        "readelf",
    );
    assert!(
        readelf.stdout_str().contains("[librdkafka.so.1]"),
        "{}",
        readelf.stdout_str()
    );
    for link in ["librdkafka.so.1", "librdkafka.so"] {
        let target = std::fs::read_link(lib.join(link))
            .unwrap_or_else(|e| panic!("{link} is not a symlink: {e}"));
        assert_eq!(target, Path::new("libferrokafka.so"));
    }
    for file in [
        "include/librdkafka/rdkafka.h",
        "include/librdkafka/rdkafkacpp.h",
        "lib/libferrokafka.a",
        "lib/cmake/ferrokafka/ferrokafkaConfig.cmake",
        "lib/cmake/ferrokafka/ferrokafkaConfigVersion.cmake",
        "lib/pkgconfig/ferrokafka.pc",
        "lib/pkgconfig/rdkafka.pc",
        "lib/pkgconfig/rdkafka++.pc",
    ] {
        assert!(prefix.join(file).exists(), "{file} not installed");
    }

    let outside_src = repo_root().join("tests/cmake");

    // find_package(ferrokafka): RdKafka::rdkafka++ and the static library.
    let out = dir.join("outside-find-package");
    cmake(
        &[
            "-S",
            outside_src.to_str().expect("utf-8 path"),
            "-B",
            out.to_str().expect("utf-8 path"),
            &format!("-DCMAKE_PREFIX_PATH={}", prefix.display()),
        ],
        "outside configure (find_package)",
    );
    cmake(
        &["--build", out.to_str().expect("utf-8 path")],
        "outside build (find_package)",
    );
    assert_loads_from(&out.join("outside"), &lib);
    run_outside(&out.join("outside"), &lib, "outside (shared)");
    assert_needs_no_librdkafka(&out.join("outside_static"));
    let static_program = out.join("outside_static");
    run_outside(&static_program, &static_program, "outside (static)");

    // pkg-config, through librdkafka's names.
    let out = dir.join("outside-pkg-config");
    let pc_path = lib.join("pkgconfig");
    run(
        Command::new("cmake")
            .env("PKG_CONFIG_PATH", &pc_path)
            .args(["-S", outside_src.to_str().expect("utf-8 path")])
            .args(["-B", out.to_str().expect("utf-8 path")])
            .arg("-DUSE_PKG_CONFIG=ON"),
        "outside configure (pkg-config)",
    );
    cmake(
        &["--build", out.to_str().expect("utf-8 path")],
        "outside build (pkg-config)",
    );
    // The .pc files' Libs carry the run path, so no LD_LIBRARY_PATH is
    // needed to load ours rather than the system's librdkafka.so.1.
    assert_loads_from(&out.join("outside"), &lib);
    run_outside(&out.join("outside"), &lib, "outside (pkg-config)");
}

/// FERROKAFKA_SANITIZE=ON: the C/C++ tests and examples built with ASan
/// and UBSan pass under CTest.
#[test]
fn sanitizer_build_passes_ctest() {
    let dir = scratch_dir("cmake-sanitize");
    build_project(&dir.join("build"), &["-DFERROKAFKA_SANITIZE=ON"]);
}
