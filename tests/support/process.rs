//! Child processes with bounded lifetimes, and failure diagnostics.

use std::fs::File;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// How often bounded waits re-check a child; short enough to add no
/// noticeable latency, long enough not to burn the shared CPUs.
const POLL: Duration = Duration::from_millis(10);

/// Makes the child the leader of its own process group (so killing the
/// group also kills anything it spawned) and has the kernel kill it if the
/// spawning thread dies without running destructors.
fn isolate(cmd: &mut Command) {
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::setpgid(0, 0);
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}

/// A running child that is killed (with its process group) and reaped when
/// dropped, including during a panic, when its log path is also printed.
pub struct ChildGuard {
    child: Option<Child>,
    name: String,
    log: Option<PathBuf>,
}

impl ChildGuard {
    /// Spawns `cmd` isolated in its own process group. `log` is the file its
    /// output goes to (if the caller redirected it), reported on failure.
    pub fn spawn(name: &str, cmd: &mut Command, log: Option<PathBuf>) -> ChildGuard {
        isolate(cmd);
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({cmd:?}): {e}"));
        ChildGuard {
            child: Some(child),
            name: name.to_string(),
            log,
        }
    }

    pub fn child_mut(&mut self) -> &mut Child {
        self.child.as_mut().expect("child already reaped")
    }

    pub fn id(&self) -> u32 {
        self.child.as_ref().map_or(0, |c| c.id())
    }

    /// `Some(status)` if the process has exited.
    pub fn try_status(&mut self) -> Option<ExitStatus> {
        self.child
            .as_mut()
            .and_then(|c| c.try_wait().ok().flatten())
    }

    /// Waits up to `timeout` for a voluntary exit.
    pub fn wait_timeout(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.try_status() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(POLL);
        }
    }

    /// Kills the process group and reaps the child.
    pub fn kill(&mut self) -> Option<ExitStatus> {
        let mut child = self.child.take()?;
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        // SAFETY: plain syscall; the pid is our unreaped child, so it cannot
        // have been recycled for another process group.
        unsafe {
            libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
        }
        let _ = child.kill();
        child.wait().ok()
    }

    pub fn log_path(&self) -> Option<&Path> {
        self.log.as_deref()
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            match &self.log {
                Some(log) => eprintln!("[support] {} log: {}", self.name, log.display()),
                None => eprintln!("[support] {} was running when the test failed", self.name),
            }
        }
    }
}

/// Result of [`run_with_timeout`].
#[derive(Debug)]
pub struct Finished {
    /// On timeout the status is the kill signal's.
    pub output: Output,
    pub timed_out: bool,
    /// Directory holding the captured stdin/stdout/stderr files.
    pub dir: PathBuf,
}

impl Finished {
    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn success(&self) -> bool {
        !self.timed_out && self.output.status.success()
    }

    /// A multi-line description for assertion messages.
    pub fn describe(&self) -> String {
        format!(
            "status: {:?}{}\nartifacts: {}\n--- stdout (tail) ---\n{}\n--- stderr (tail) ---\n{}",
            self.output.status,
            if self.timed_out {
                " (TIMED OUT, killed)"
            } else {
                ""
            },
            self.dir.display(),
            tail(&self.stdout_str(), 4000),
            tail(&self.stderr_str(), 4000),
        )
    }
}

fn tail(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut start = s.len() - max;
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// Runs `cmd` to completion, feeding it `input` on stdin (or nothing), and
/// kills it after `timeout`. Output is captured through files in a scratch
/// directory rather than pipes, so a stuck grandchild holding a pipe open can
/// never block the test.
pub fn run_with_timeout(cmd: &mut Command, input: Option<&[u8]>, timeout: Duration) -> Finished {
    let program = Path::new(cmd.get_program())
        .file_name()
        .map_or_else(|| "cmd".to_string(), |n| n.to_string_lossy().into_owned());
    let dir = super::paths::scratch_dir(&format!("run-{program}"));
    let stdin_path = dir.join("stdin");
    let stdout_path = dir.join("stdout");
    let stderr_path = dir.join("stderr");
    std::fs::write(&stdin_path, input.unwrap_or(&[])).expect("cannot write stdin file");
    let open = |p: &Path| File::open(p).unwrap_or_else(|e| panic!("open {}: {e}", p.display()));
    let create =
        |p: &Path| File::create(p).unwrap_or_else(|e| panic!("create {}: {e}", p.display()));
    cmd.stdin(Stdio::from(open(&stdin_path)))
        .stdout(Stdio::from(create(&stdout_path)))
        .stderr(Stdio::from(create(&stderr_path)));

    let mut guard = ChildGuard::spawn(&program, cmd, Some(dir.clone()));
    let (status, timed_out) = match guard.wait_timeout(timeout) {
        Some(status) => (status, false),
        None => (
            guard
                .kill()
                .unwrap_or_else(|| ExitStatus::from_raw(libc::SIGKILL)),
            true,
        ),
    };
    drop(guard);
    let read = |p: &Path| std::fs::read(p).unwrap_or_default();
    Finished {
        output: Output {
            status,
            stdout: read(&stdout_path),
            stderr: read(&stderr_path),
        },
        timed_out,
        dir,
    }
}

/// Prints its message if dropped while the thread panics; keep one alive for
/// the part of a test whose failure should point at some artifact.
pub struct OnFailure(String);

pub fn on_failure(message: impl Into<String>) -> OnFailure {
    OnFailure(message.into())
}

impl Drop for OnFailure {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("[support] {}", self.0);
        }
    }
}
