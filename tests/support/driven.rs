//! A child program the test converses with line by line: it prints
//! `SYNC <name>` and waits for a line on stdin, so the test can change the
//! world (stop a broker, push errors) at exactly that point of its run.
//! Used with `tests/c/producer_steps.c`, whose steps language is described
//! at the top of that file.

use super::cbuild::{build_c, Against};
use super::process::ChildGuard;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// `tests/c/producer_steps.c` built against `against`.
pub fn producer_steps(against: Against) -> PathBuf {
    let src = super::paths::repo_root().join("tests/c/producer_steps.c");
    build_c("producer_steps", &[&src], against, &[])
}

/// `tests/c/consume_verify.c` built against `against`.
pub fn consume_verify(against: Against) -> PathBuf {
    let src = super::paths::repo_root().join("tests/c/consume_verify.c");
    build_c("consume_verify", &[&src], against, &["-lpthread"])
}

pub struct Driven {
    name: String,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    /// Every stdout line read so far, for failure messages and results.
    pub seen: Vec<String>,
    log: PathBuf,
    child: ChildGuard,
}

/// How a [`Driven`] program ended.
pub struct DrivenEnd {
    pub status: Option<ExitStatus>,
    pub stdout: Vec<String>,
    pub log: PathBuf,
}

impl DrivenEnd {
    pub fn success(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    /// The first stdout line starting with `prefix`; panics if none.
    pub fn line(&self, prefix: &str) -> &str {
        self.stdout
            .iter()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting with {prefix:?}\n{}", self.describe()))
    }

    /// Every stdout line starting with `prefix`.
    pub fn lines(&self, prefix: &str) -> Vec<&str> {
        self.stdout
            .iter()
            .filter(|l| l.starts_with(prefix))
            .map(String::as_str)
            .collect()
    }

    pub fn describe(&self) -> String {
        let stderr = std::fs::read_to_string(&self.log).unwrap_or_default();
        let tail = |s: &str| s[s.len().saturating_sub(6000)..].to_string();
        // Per-message dumps would bury the step results: keep a few.
        let mut shown: Vec<&str> = Vec::new();
        let mut hidden = 0;
        for line in &self.stdout {
            if line.starts_with("DR ") && hidden >= 20 {
                hidden += 1;
                continue;
            }
            hidden += usize::from(line.starts_with("DR "));
            shown.push(line);
        }
        format!(
            "status: {:?}\n--- stdout ({hidden} DR lines, 20 shown) ---\n{}\n--- stderr (tail, {}) ---\n{}",
            self.status,
            tail(&shown.join("\n")),
            self.log.display(),
            tail(&stderr)
        )
    }
}

/// The value of `key=` in a line of space-separated `key=value` fields.
pub fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split_whitespace()
        .find_map(|f| f.strip_prefix(key)?.strip_prefix('='))
}

impl Driven {
    pub fn spawn(name: &str, cmd: &mut Command) -> Driven {
        let log = super::paths::scratch_dir(&format!("driven-{name}")).join("stderr.log");
        let log_file = std::fs::File::create(&log).expect("cannot create stderr log");
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file));
        let mut child = ChildGuard::spawn(name, cmd, Some(log.clone()));
        let stdin = child.child_mut().stdin.take();
        let stdout = child.child_mut().stdout.take().expect("stdout was piped");
        // A reader thread gives every read a deadline; it ends with stdout.
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Driven {
            name: name.to_string(),
            stdin,
            lines,
            seen: Vec::new(),
            log,
            child,
        }
    }

    /// The program's process id (for reading its /proc entries).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Reads lines until `SYNC <point>` (returned lines included in `seen`).
    /// Panics if the program ends or takes longer than `timeout`.
    pub fn until_sync(&mut self, point: &str, timeout: Duration) {
        let want = format!("SYNC {point}");
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let found = line == want;
                    self.seen.push(line);
                    if found {
                        return;
                    }
                }
                Err(e) => panic!(
                    "{} did not reach {want:?} ({e:?}); stdout so far:\n{}\nstderr: {}",
                    self.name,
                    self.seen.join("\n"),
                    self.log.display()
                ),
            }
        }
    }

    /// Reads lines until `count` of them (counted over the whole run)
    /// start with `prefix`. Returns false if the program ended first;
    /// panics if it takes longer than `timeout`.
    pub fn until_count(&mut self, prefix: &str, count: usize, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.seen.iter().filter(|l| l.starts_with(prefix)).count() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(RecvTimeoutError::Disconnected) => return false,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "{} printed fewer than {count} {prefix:?} lines in {timeout:?}; stdout:\n{}\nstderr: {}",
                    self.name,
                    self.seen.join("\n"),
                    self.log.display()
                ),
            }
        }
        true
    }

    /// SIGKILLs the program (no chance to clean up) and returns what it
    /// printed up to then.
    pub fn kill(mut self) -> DrivenEnd {
        let status = self.child.kill();
        while let Ok(line) = self.lines.try_recv() {
            self.seen.push(line);
        }
        DrivenEnd {
            status,
            stdout: std::mem::take(&mut self.seen),
            log: self.log.clone(),
        }
    }

    /// Lets the program continue past its current sync point.
    pub fn resume(&mut self) {
        if let Some(stdin) = self.stdin.as_mut() {
            let _ = writeln!(stdin, "go").and_then(|_| stdin.flush());
        }
    }

    /// Waits for the program to end (killing it after `timeout`) and
    /// returns everything it printed.
    pub fn finish(mut self, timeout: Duration) -> DrivenEnd {
        // No more syncs can be answered: a stray one then fails at once.
        self.stdin = None;
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => break,
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let status = self
            .child
            .wait_timeout(left.max(Duration::from_millis(100)));
        DrivenEnd {
            status,
            stdout: std::mem::take(&mut self.seen),
            log: self.log.clone(),
        }
    }
}

/// Runs `exe` with `args` without any sync point and returns how it ended.
pub fn run_driven(name: &str, exe: &PathBuf, args: &[String], timeout: Duration) -> DrivenEnd {
    let mut cmd = Command::new(exe);
    cmd.args(args);
    Driven::spawn(name, &mut cmd).finish(timeout)
}
