//! Tansu 0.6.0 built with SQLite storage (`tests/setup-peers.sh` installs it
//! into `$HOME/.cache/ferrokafka/tansu-0.6.0`, or `$TANSU_SCRAM_ROOT`),
//! requiring SASL/SCRAM: the users and topics are created through an
//! unauthenticated broker on the same database file, which is then stopped
//! and replaced by one started with `--authentication`.

use super::process::{run_with_timeout, ChildGuard};
use super::tansu::{free_port, wait_listening};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const ADMIN_TIMEOUT: Duration = Duration::from_secs(60);
const START_ATTEMPTS: usize = 3;

/// A user the broker knows, and its SCRAM mechanism.
pub struct ScramUser {
    pub name: &'static str,
    pub password: &'static str,
    /// `SCRAM-SHA-256` or `SCRAM-SHA-512`.
    pub mechanism: &'static str,
}

pub struct TansuScram {
    /// `127.0.0.1:PORT`, for `bootstrap.servers`.
    pub bootstrap: String,
    log: PathBuf,
    child: ChildGuard,
}

/// The SQLite-enabled tansu binary; panics with what to run if missing.
pub fn tansu_scram_binary() -> PathBuf {
    let root = std::env::var_os("TANSU_SCRAM_ROOT").map_or_else(
        || {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is not set"))
                .join(".cache/ferrokafka/tansu-0.6.0")
        },
        PathBuf::from,
    );
    let bin = root.join("bin/tansu");
    assert!(
        bin.exists(),
        "{} is missing: run tests/setup-peers.sh (it builds Tansu 0.6.0 with SQLite)",
        bin.display()
    );
    bin
}

/// Starts a broker on `port` that advertises `advertised_port` (its own
/// port, or that of a TLS front such as stunnel).
fn start_broker(
    dir: &Path,
    port: u16,
    advertised_port: u16,
    authentication: bool,
    log: &Path,
) -> Option<ChildGuard> {
    let url = format!("tcp://127.0.0.1:{port}");
    let advertised = format!("tcp://127.0.0.1:{advertised_port}");
    let log_file = File::create(log).expect("cannot create tansu log");
    let log_err = log_file.try_clone().expect("cannot clone log handle");
    let mut cmd = Command::new(tansu_scram_binary());
    // Relative to the working directory: Tansu reads `sqlite://PATH` so.
    cmd.current_dir(dir)
        .arg("broker")
        .args(["--listener-url", &url])
        .args(["--advertised-listener-url", &advertised])
        .args(["--storage-engine", "sqlite://sasl.db"])
        .args(["--cluster-id", &format!("ferrokafka-scram-{port}")])
        .stdin(Stdio::null())
        .stdout(Stdio::from(log_file))
        .stderr(Stdio::from(log_err));
    if authentication {
        cmd.arg("--authentication");
    }
    let mut child = ChildGuard::spawn("tansu-scram", &mut cmd, Some(log.to_path_buf()));
    if wait_listening(&mut child, port) {
        Some(child)
    } else {
        child.kill();
        None
    }
}

fn admin(dir: &Path, port: u16, args: &[&str], log: &Path) {
    let done = run_with_timeout(
        Command::new(tansu_scram_binary())
            .current_dir(dir)
            .args(args)
            .args(["--broker", &format!("tcp://127.0.0.1:{port}")]),
        None,
        ADMIN_TIMEOUT,
    );
    assert!(
        done.success(),
        "tansu {args:?} failed (broker log: {}):\n{}",
        log.display(),
        done.describe()
    );
}

impl TansuScram {
    /// Seeds `users` and `topics` (name, partitions), then starts the
    /// broker requiring authentication.
    pub fn start(users: &[ScramUser], topics: &[(&str, i32)]) -> TansuScram {
        Self::start_advertising(users, topics, None)
    }

    /// As [`TansuScram::start`], but the broker requiring authentication
    /// advertises `advertised_port` instead of its own (SASL_SSL: stunnel
    /// listens there and forwards to [`TansuScram::bootstrap`]).
    pub fn start_behind(
        users: &[ScramUser],
        topics: &[(&str, i32)],
        advertised_port: u16,
    ) -> TansuScram {
        Self::start_advertising(users, topics, Some(advertised_port))
    }

    fn start_advertising(
        users: &[ScramUser],
        topics: &[(&str, i32)],
        advertised_port: Option<u16>,
    ) -> TansuScram {
        let dir = super::paths::scratch_dir("tansu-scram");
        for attempt in 0..START_ATTEMPTS {
            let _ = std::fs::remove_file(dir.join("sasl.db"));
            let port = free_port();
            let seed_log = dir.join(format!("seed-{attempt}.log"));
            let Some(mut seeding) = start_broker(&dir, port, port, false, &seed_log) else {
                continue;
            };
            for u in users {
                let mechanism = match u.mechanism {
                    "SCRAM-SHA-256" => "scram256",
                    "SCRAM-SHA-512" => "scram512",
                    other => panic!("Tansu serves SCRAM only, not {other}"),
                };
                let args = [
                    "user",
                    "create",
                    "--mechanism",
                    mechanism,
                    u.name,
                    u.password,
                ];
                admin(&dir, port, &args, &seed_log);
            }
            for (topic, partitions) in topics {
                let partitions = partitions.to_string();
                let args = ["topic", "create", topic, "--partitions", &partitions];
                admin(&dir, port, &args, &seed_log);
            }
            seeding.kill();
            let log = dir.join(format!("broker-{attempt}.log"));
            if let Some(child) =
                start_broker(&dir, port, advertised_port.unwrap_or(port), true, &log)
            {
                return TansuScram {
                    bootstrap: format!("127.0.0.1:{port}"),
                    log,
                    child,
                };
            }
        }
        panic!(
            "tansu (SQLite, SCRAM) did not start after {START_ATTEMPTS} attempts; logs in {}",
            dir.display()
        );
    }

    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// Whether the broker process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child.try_status().is_none()
    }
}
