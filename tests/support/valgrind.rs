//! Running a test program under valgrind's memcheck with the suite's one
//! set of rules: any invalid access or leak (definite, indirect or
//! possible) fails the run, except the documented one-time blocks of
//! `tests/valgrind.supp`.

use super::repo_root;
use std::process::Command;

/// Exit status valgrind uses for an invalid access or a counted leak.
pub const VALGRIND_ERROR_EXIT: i32 = 99;

/// Whether the test programs can run under valgrind: it must be installed
/// (`.ci/run` installs it), and the programs must not be built with ASan
/// (`tests/sanitized-c-programs.sh`), which valgrind cannot run. Says why
/// when not, for the test that skips its memory check.
pub fn valgrind_available() -> bool {
    if super::sanitize_requested() {
        eprintln!("programs built with ASan cannot run under valgrind: memory check skipped");
        return false;
    }
    let installed = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        eprintln!("valgrind not installed: memory check skipped");
    }
    installed
}

/// A `valgrind` command ready for the program and its arguments.
pub fn valgrind_command() -> Command {
    let mut cmd = Command::new("valgrind");
    cmd.arg(format!("--error-exitcode={VALGRIND_ERROR_EXIT}"))
        .arg("--leak-check=full")
        .arg("--show-leak-kinds=definite,indirect,possible")
        .arg("--errors-for-leak-kinds=definite,indirect,possible")
        .arg(format!(
            "--suppressions={}",
            repo_root().join("tests/valgrind.supp").display()
        ));
    cmd
}

/// Fails unless `done` (a valgrind run of `what`) ended in time without an
/// invalid access or leak.
pub fn assert_valgrind_clean(done: &super::Finished, what: &str) {
    assert!(
        !done.timed_out && done.output.status.code() != Some(VALGRIND_ERROR_EXIT),
        "{what} under valgrind (exit {VALGRIND_ERROR_EXIT}: invalid access or leak):\n{}",
        done.describe()
    );
}

/// The block count of valgrind's "suppressed: N bytes in B blocks" line.
pub fn suppressed_blocks(valgrind_stderr: &str) -> usize {
    valgrind_stderr
        .lines()
        .find_map(|line| {
            let rest = line.split("suppressed:").nth(1)?;
            let blocks = rest.split(" in ").nth(1)?;
            blocks
                .split_whitespace()
                .next()?
                .replace(',', "")
                .parse()
                .ok()
        })
        .unwrap_or(0)
}
