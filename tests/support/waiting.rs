//! Waiting for a condition instead of sleeping for a fixed time: a test
//! moves on as soon as what it waits for has happened, and fails with a
//! clear message when it does not happen within a bound. Also reading the
//! files that running programs append to (dumps, logs), which such
//! conditions look at.

use std::path::Path;
use std::time::{Duration, Instant};

/// How often a condition is checked again: often enough to add no
/// noticeable delay, rarely enough not to compete with the peers for CPU.
const RECHECK: Duration = Duration::from_millis(100);

/// Returns once `ready()` is true; panics naming `what` if it is still
/// false after `timeout`.
pub fn wait_until(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ready() {
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting until {what}"
        );
        std::thread::sleep(RECHECK);
    }
}

/// The complete lines of a file another program is still writing (a last
/// line without its newline yet is left out); none if it does not exist.
pub fn complete_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let complete = text.rfind('\n').map_or("", |end| &text[..=end]);
    complete.lines().map(str::to_string).collect()
}

/// Creates an empty file (a "stop" or "go" signal for a program that
/// checks whether it exists).
pub fn touch(path: &Path) {
    std::fs::write(path, b"").unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
}

/// Touches its files when dropped, also while a test panics: programs
/// told to stop by them then end at once instead of running on after the
/// test failed.
pub struct TouchOnDrop(pub Vec<std::path::PathBuf>);

impl Drop for TouchOnDrop {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::write(path, b"");
        }
    }
}
