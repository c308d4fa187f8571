//! Where things are: the repository, our build outputs, scratch space.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

/// The repository root (the crate's manifest directory).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Our public C headers (`include/`, holding `librdkafka/rdkafka.h`).
pub fn include_dir() -> PathBuf {
    repo_root().join("include")
}

/// C harnesses and Python scripts used as test peers.
pub fn peers_dir() -> PathBuf {
    repo_root().join("tests").join("peers")
}

/// Directory holding the freshest `libferrokafka.so` / `.a` for the profile
/// this test binary was built with.
///
/// `cargo test` compiles the library with all its crate types (cdylib,
/// staticlib, rlib) into `target/<profile>/deps/` before running integration
/// tests, but only `cargo build` copies ("uplifts") them to
/// `target/<profile>/`, so the copy there can be stale. `deps/` is always
/// current, so it is preferred. If no shared library exists at all (a test
/// binary run by hand after deleting it), this runs `cargo build --lib` for
/// the same profile once per process; cargo's own lock on the target
/// directory serialises that with any concurrent build (`cargo test` releases
/// it before running tests, so this cannot deadlock with its parent).
///
/// Our library's soname is `librdkafka.so.1` (it is a drop-in replacement), so
/// a program linked against it asks the loader for `librdkafka.so.1`. The
/// directory returned therefore holds `libferrokafka.so` *and*
/// `librdkafka.so.1` links to the freshly built library; with the rpath set by
/// `build_c`, the system's librdkafka can never be picked up by mistake.
pub fn lib_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let built = built_lib_dir().join("libferrokafka.so");
        let dir = profile_dir().join("ferrokafka-lib");
        std::fs::create_dir_all(&dir).expect("cannot create the library link directory");
        for name in ["libferrokafka.so", "librdkafka.so.1", "librdkafka.so"] {
            // Create-then-rename keeps concurrent test processes from seeing a
            // missing or half-made link.
            let tmp = dir.join(format!(".{name}.{}", std::process::id()));
            let _ = std::fs::remove_file(&tmp);
            std::os::unix::fs::symlink(&built, &tmp).expect("cannot create library link");
            std::fs::rename(&tmp, dir.join(name)).expect("cannot place library link");
        }
        dir
    })
    .clone()
}

/// Where cargo left the current `libferrokafka.so` (see [`lib_dir`]).
fn built_lib_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let profile = profile_dir();
        let deps = profile.join("deps");
        for dir in [&deps, &profile] {
            if dir.join("libferrokafka.so").exists() {
                return dir.clone();
            }
        }
        build_library(&profile);
        assert!(
            deps.join("libferrokafka.so").exists(),
            "{} does not exist even after `cargo build`",
            deps.join("libferrokafka.so").display()
        );
        deps
    })
    .clone()
}

/// `target/<profile>` derived from `target/<profile>/deps/<test-binary>`.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("cannot locate the running test binary");
    let deps = exe.parent().expect("test binary has no parent directory");
    let dir = if deps.file_name().is_some_and(|n| n == "deps") {
        deps.parent().unwrap_or(deps)
    } else {
        deps
    };
    dir.to_path_buf()
}

fn build_library(profile_dir: &Path) {
    let release = profile_dir.file_name().is_some_and(|n| n == "release");
    let target_dir = profile_dir
        .parent()
        .expect("profile directory has no parent (target dir)");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut cmd = std::process::Command::new(cargo);
    cmd.arg("build")
        .arg("--lib")
        .arg("--manifest-path")
        .arg(repo_root().join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir);
    if release {
        cmd.arg("--release");
    }
    let done = super::process::run_with_timeout(&mut cmd, None, Duration::from_secs(1800));
    assert!(
        !done.timed_out && done.output.status.success(),
        "building libferrokafka failed:\n{}",
        String::from_utf8_lossy(&done.output.stderr)
    );
}

/// A fresh, empty directory for one test's artifacts:
/// `target/tmp/<test-binary>/<name>-<pid>-<n>`. It is kept after the run so
/// logs can be inspected; paths are printed when a test fails.
pub fn scratch_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let exe_stem = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "tests".to_string());
    // Strip cargo's "-<hash>" suffix so directories group by test file.
    let test_name = exe_stem
        .rsplit_once('-')
        .map_or(exe_stem.as_str(), |(stem, _)| stem)
        .to_string();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(test_name)
        .join(format!("{name}-{}-{n}", std::process::id()));
    // A previous run with the same pid may have left files behind.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}
