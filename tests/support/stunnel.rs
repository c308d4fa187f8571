//! stunnel4 (Debian, OpenSSL) as a TLS front for a plaintext broker:
//! accepts TLS on 127.0.0.1:`port` and forwards to the broker's own port.
//! It logs at level 6 (info), which names each negotiated cipher suite.
//! With a CA file it also demands a client certificate signed by it
//! (mutual TLS).

use super::process::ChildGuard;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const START_TIMEOUT: Duration = Duration::from_secs(30);

pub struct StunnelOpts<'a> {
    /// The TLS port to listen on.
    pub port: u16,
    /// The plaintext `host:port` to forward to.
    pub connect: &'a str,
    pub cert: &'a Path,
    pub key: &'a Path,
    /// Require a client certificate signed by this CA.
    pub client_ca: Option<&'a Path>,
}

pub struct Stunnel {
    /// `127.0.0.1:PORT`, for `bootstrap.servers`.
    pub bootstrap: String,
    log: PathBuf,
    _child: ChildGuard,
}

impl Stunnel {
    /// Starts stunnel in the foreground (so the guard owns it) and waits,
    /// bounded, until it accepts connections.
    pub fn start(opts: &StunnelOpts) -> Stunnel {
        let dir = super::paths::scratch_dir("stunnel");
        let log = dir.join("stunnel.log");
        let mut config = format!(
            "foreground = yes\npid = {pid}\noutput = {log}\ndebug = 6\n[kafka]\naccept = 127.0.0.1:{port}\nconnect = {connect}\ncert = {cert}\nkey = {key}\n",
            pid = dir.join("stunnel.pid").display(),
            log = log.display(),
            port = opts.port,
            connect = opts.connect,
            cert = opts.cert.display(),
            key = opts.key.display(),
        );
        if let Some(ca) = opts.client_ca {
            config.push_str(&format!(
                "CAfile = {}\nverifyChain = yes\nrequireCert = yes\n",
                ca.display()
            ));
        }
        let config_file = dir.join("stunnel.conf");
        std::fs::write(&config_file, config).expect("cannot write stunnel.conf");
        let mut cmd = Command::new("stunnel4");
        cmd.arg(&config_file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = ChildGuard::spawn("stunnel4", &mut cmd, Some(log.clone()));
        let addr = SocketAddr::from(([127, 0, 0, 1], opts.port));
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            assert!(
                child.try_status().is_none(),
                "stunnel4 exited; log: {}",
                log.display()
            );
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "stunnel4 did not listen on {addr}; log: {}",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Stunnel {
            bootstrap: format!("127.0.0.1:{}", opts.port),
            log,
            _child: child,
        }
    }

    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// Connections accepted so far (from stunnel's log), to bound how
    /// often a failing client reconnects.
    pub fn accepted_connections(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .matches("accepted connection from")
            .count()
    }
}
