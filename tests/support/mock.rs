//! librdkafka's mock cluster, run by `tests/peers/mock_cluster.c` (built
//! against Debian's librdkafka) and driven over its stdin.
//!
//! Mock cluster defaults worth knowing (librdkafka 2.0.2): broker ids are
//! 1..=N; topics are auto-created on first Metadata request for them, with 4
//! partitions and replication factor min(3, N); the CreateTopics admin API is
//! not implemented, use [`MockCluster::create_topic`].

use super::cbuild::{build_c, Against};
use super::process::ChildGuard;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::Duration;

const START_TIMEOUT: Duration = Duration::from_secs(30);
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct MockCluster {
    /// Comma-separated `127.0.0.1:PORT` list of all brokers.
    pub bootstrap: String,
    pub broker_count: usize,
    /// One command/reply exchange at a time, so replies pair with commands.
    io: Mutex<(ChildStdin, Receiver<String>)>,
    log: PathBuf,
    child: ChildGuard,
}

impl MockCluster {
    /// Starts a cluster of `num_brokers` brokers (ids 1..=num_brokers).
    pub fn start(num_brokers: usize) -> MockCluster {
        Self::start_with(num_brokers, Against::Librdkafka, &[])
    }

    /// Like [`start`](Self::start), with the same harness built against
    /// ferrokafka: our own mock cluster (`src/mock/`), same commands.
    pub fn start_ours(num_brokers: usize) -> MockCluster {
        Self::start_with(num_brokers, Against::Ours, &[])
    }

    /// Our mock cluster, its owning client configured with `props`
    /// (`NAME=VALUE`, e.g. `test.mock.ssl.*` for TLS listeners).
    pub fn start_ours_with(num_brokers: usize, props: &[String]) -> MockCluster {
        Self::start_with(num_brokers, Against::Ours, props)
    }

    fn start_with(num_brokers: usize, against: Against, props: &[String]) -> MockCluster {
        let source = super::paths::peers_dir().join("mock_cluster.c");
        let exe = build_c("mock_cluster", &[&source], against, &[]);
        let dir = super::paths::scratch_dir("mock-cluster");
        let log = dir.join("mock_cluster.stderr.log");
        let log_file = File::create(&log).expect("cannot create mock cluster log");

        let mut cmd = Command::new(&exe);
        cmd.arg(num_brokers.to_string())
            .args(props)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file));
        let mut child = ChildGuard::spawn("mock_cluster", &mut cmd, Some(log.clone()));
        let stdin = child
            .child_mut()
            .stdin
            .take()
            .expect("mock cluster stdin was piped");
        let stdout = child
            .child_mut()
            .stdout
            .take()
            .expect("mock cluster stdout was piped");

        // A thread turns the harness's output into a channel so every read
        // can have a deadline; it ends when the harness's stdout closes.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });

        let first = match rx.recv_timeout(START_TIMEOUT) {
            Ok(line) => line,
            Err(e) => panic!(
                "mock cluster did not report its bootstrap list ({e:?}); log: {}",
                log.display()
            ),
        };
        let bootstrap = first
            .strip_prefix("bootstrap ")
            .unwrap_or_else(|| panic!("unexpected first line from mock cluster: {first:?}"))
            .to_string();
        MockCluster {
            bootstrap,
            broker_count: num_brokers,
            io: Mutex::new((stdin, rx)),
            log,
            child,
        }
    }

    /// Sends one command line (see `tests/peers/mock_cluster.c` for the
    /// list) and returns the harness's verdict: `Ok(())` for "ok",
    /// `Err(reason)` for "err reason". Panics if the harness dies or does
    /// not answer in time.
    pub fn command(&self, line: &str) -> Result<(), String> {
        assert!(
            !line.contains('\n'),
            "one command per call, without newlines: {line:?}"
        );
        let mut io = self
            .io
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (stdin, replies) = &mut *io;
        if let Err(e) = writeln!(stdin, "{line}").and_then(|_| stdin.flush()) {
            panic!(
                "mock cluster is gone (writing {line:?}: {e}); log: {}",
                self.log.display()
            );
        }
        match replies.recv_timeout(REPLY_TIMEOUT) {
            Ok(reply) if reply == "ok" => Ok(()),
            Ok(reply) => Err(reply.strip_prefix("err ").unwrap_or(&reply).to_string()),
            Err(RecvTimeoutError::Timeout) => panic!(
                "mock cluster did not answer {line:?} in {REPLY_TIMEOUT:?}; log: {}",
                self.log.display()
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "mock cluster exited while handling {line:?}; log: {}",
                self.log.display()
            ),
        }
    }

    /// Like [`command`](Self::command) but panics on an "err" answer.
    pub fn must(&self, line: &str) {
        if let Err(reason) = self.command(line) {
            panic!("mock cluster rejected {line:?}: {reason}");
        }
    }

    /// Creates a topic explicitly (rather than relying on auto-creation).
    pub fn create_topic(&self, name: &str, partitions: i32, replication: i32) {
        self.must(&format!("topic {name} {partitions} {replication}"));
    }

    pub fn log_path(&self) -> &Path {
        &self.log
    }
}

impl Drop for MockCluster {
    fn drop(&mut self) {
        // Ask politely so the harness tears the cluster down cleanly; the
        // guard kills it regardless once we stop waiting.
        if let Ok(mut io) = self.io.lock() {
            let _ = writeln!(io.0, "quit").and_then(|_| io.0.flush());
        }
        self.child.wait_timeout(Duration::from_secs(5));
    }
}
