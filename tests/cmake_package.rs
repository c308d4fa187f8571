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
    let done = run(&mut Command::new(out.join("outside")), "outside (shared)");
    assert!(done.stdout_str().contains("outside ok"));
    assert!(
        c_library(&done.stdout_str()).starts_with(&lib),
        "shared build did not load the installed library:\n{}",
        done.stdout_str()
    );
    let done = run(
        &mut Command::new(out.join("outside_static")),
        "outside (static)",
    );
    assert!(done.stdout_str().contains("outside ok"));
    assert_eq!(
        c_library(&done.stdout_str()),
        out.join("outside_static"),
        "static build must carry the C library in the executable"
    );

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
    let done = run(
        Command::new(out.join("outside")).env("LD_LIBRARY_PATH", &lib),
        "outside (pkg-config)",
    );
    assert!(done.stdout_str().contains("outside ok"));
    assert!(
        c_library(&done.stdout_str()).starts_with(&lib),
        "pkg-config build did not load the installed library:\n{}",
        done.stdout_str()
    );
}

/// FERROKAFKA_SANITIZE=ON: the C/C++ tests and examples built with ASan
/// and UBSan pass under CTest.
#[test]
fn sanitizer_build_passes_ctest() {
    let dir = scratch_dir("cmake-sanitize");
    build_project(&dir.join("build"), &["-DFERROKAFKA_SANITIZE=ON"]);
}
