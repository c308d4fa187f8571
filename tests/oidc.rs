//! SASL/OAUTHBEARER with `sasl.oauthbearer.method=oidc` (issue 12): the
//! library fetches its tokens from an OAuth 2.0 token endpoint with the
//! client-credentials grant.
//!
//! Peers: the token endpoint is `tests/peers/oidc_endpoint.py` (python3's
//! http.server wrapped in ssl, with a test CA and server certificate made
//! by openssl here), which checks the Basic credentials, the grant type and
//! the scope, answers with a signed-looking JWT and logs every request. The
//! broker is our embedded mock cluster with SASL OAUTHBEARER enabled. Our
//! client runs as C programs built against our library (`sasl_client.c`,
//! `consume_verify.c`); confluent-kafka 2.16 (librdkafka with its own OIDC)
//! runs against the same endpoint and mock, and what it sends to the
//! endpoint is compared with what we send.
//!
//! The endpoint's CA reaches our client as librdkafka 2.0.2's does: through
//! the system trust store (2.0.2 has no property for it), here OpenSSL's
//! `SSL_CERT_FILE` override; confluent-kafka's newer librdkafka takes
//! `https.ca.location`.

mod support;

use ferrokafka::mock::sasl::SaslSettings;
use ferrokafka::mock::MockCluster as OurMock;
use ferrokafka::sasl::Mechanism;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

const CLIENT_ID: &str = "ferrokafka-app";
/// Distinctive enough that finding it anywhere in output is a leak.
const SECRET: &str = "Oidc-S3cr3t-7Hq2-not-in-logs";
const SCOPE: &str = "kafka.produce kafka.consume";
const SUB: &str = "svc-oidc-42";
const TIMEOUT: Duration = Duration::from_secs(120);

/// The token endpoint and its request log.
struct Endpoint {
    url: String,
    log: PathBuf,
    _child: ChildGuard,
}

impl Endpoint {
    fn start(pki: &TestPki, lifetime_s: u64) -> Endpoint {
        let dir = scratch_dir("oidc-endpoint");
        let port_file = dir.join("port");
        let log = dir.join("requests.jsonl");
        let out = std::fs::File::create(dir.join("endpoint.out")).expect("endpoint log");
        let mut cmd = Command::new(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()));
        cmd.arg(peers_dir().join("oidc_endpoint.py"))
            .arg("--cert")
            .arg(&pki.server_cert)
            .arg("--key")
            .arg(&pki.server_key)
            .args([
                "--client-id",
                CLIENT_ID,
                "--secret",
                SECRET,
                "--scope",
                SCOPE,
            ])
            .args(["--sub", SUB, "--lifetime", &lifetime_s.to_string()])
            .arg("--port-file")
            .arg(&port_file)
            .arg("--log")
            .arg(&log)
            .stdout(out.try_clone().expect("endpoint log"))
            .stderr(out);
        let child = ChildGuard::spawn("oidc_endpoint.py", &mut cmd, Some(dir.join("endpoint.out")));
        let deadline = Instant::now() + Duration::from_secs(30);
        let port = loop {
            if let Ok(p) = std::fs::read_to_string(&port_file) {
                break p;
            }
            assert!(
                Instant::now() < deadline,
                "the token endpoint did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        Endpoint {
            url: format!("https://localhost:{}/oauth2/token", port.trim()),
            log,
            _child: child,
        }
    }

    /// Every request the endpoint answered, oldest first.
    fn requests(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("endpoint log line"))
            .collect()
    }

    fn hits(&self, status: u64) -> usize {
        self.requests()
            .iter()
            .filter(|r| r["status"] == status)
            .count()
    }
}

fn oauthbearer_mock() -> OurMock {
    our_sasl_mock(SaslSettings {
        mechanisms: vec![Mechanism::OAuthBearer],
        users: Vec::new(),
        session_lifetime: Duration::ZERO,
    })
}

fn oidc_conf(endpoint: &Endpoint, secret: &str) -> Vec<String> {
    vec![
        "security.protocol=sasl_plaintext".to_string(),
        "sasl.mechanisms=OAUTHBEARER".to_string(),
        "sasl.oauthbearer.method=oidc".to_string(),
        format!("sasl.oauthbearer.client.id={CLIENT_ID}"),
        format!("sasl.oauthbearer.client.secret={secret}"),
        format!("sasl.oauthbearer.scope={SCOPE}"),
        format!("sasl.oauthbearer.token.endpoint.url={}", endpoint.url),
        "sasl.oauthbearer.extensions=traceId=t-1,logicalCluster=lkc-1".to_string(),
    ]
}

/// Runs one of our C programs with the test CA as the system trust store
/// (`SSL_CERT_FILE`); returns (success, stdout + stderr).
fn run_ours(program: &str, args: &[&str], ca: &Path) -> (bool, String) {
    let mut cmd = Command::new(c_program(&format!("tests/c/{program}.c")));
    cmd.args(args).env("SSL_CERT_FILE", ca).stdin(Stdio::null());
    let done = run_with_timeout(&mut cmd, None, TIMEOUT);
    (
        done.success(),
        format!("{}{}", done.stdout_str(), done.stderr_str()),
    )
}

/// `sasl_client` trusting `ca` as the system store.
fn sasl_client(
    bootstrap: &str,
    topic: &str,
    count: usize,
    conf: &[String],
    ca: &Path,
) -> (bool, String) {
    run_sasl_client(bootstrap, topic, count, &str_refs(conf), Some(ca))
}

/// The request as a client sent it, without what differs per run.
fn request_shape(r: &serde_json::Value) -> String {
    format!(
        "{} {} accept={} content-type={} authorization={} body={}",
        r["method"], r["path"], r["accept"], r["content_type"], r["authorization"], r["body"]
    )
}

/// Our producer gets its token from the endpoint and moves messages; our
/// consumer reads them back the same way; confluent-kafka (its own OIDC)
/// reads them again, and its requests to the endpoint equal ours.
#[test]
fn oidc_tokens_from_a_tls_endpoint_carry_our_producer_and_consumer_and_match_confluent_kafka() {
    let pki = TestPki::make();
    let endpoint = Endpoint::start(&pki, 3600);
    let mock = oauthbearer_mock();
    let bootstrap = mock.bootstraps().to_string();
    let conf = oidc_conf(&endpoint, SECRET);

    let (ok, out) = sasl_client(&bootstrap, "oidc", 500, &conf, &pki.ca);
    assert!(ok, "{out}");
    assert_eq!(summary_field(sasl_summary(&out), "auth_errors"), 0, "{out}");
    let ours = endpoint.requests();
    assert!(
        !ours.is_empty() && ours.iter().all(|r| r["status"] == 200),
        "{ours:?}"
    );
    assert!(mock.sasl_counts().authentications >= 1);

    // Our consumer, a group member, over the same kind of token (its
    // messages from produce_verify, which it checks one by one).
    let mut produce_args: Vec<String> = vec![
        bootstrap.clone(),
        "oidc-verify".into(),
        "300".into(),
        "100".into(),
    ];
    produce_args.extend(conf.iter().cloned());
    let (ok, out) = run_ours("produce_verify", &str_refs(&produce_args), &pki.ca);
    assert!(ok && out.contains("delivered=300 "), "{out}");
    let mut args: Vec<String> = vec![
        bootstrap.clone(),
        "oidc-verify".into(),
        "300".into(),
        "100".into(),
        "oidc-group".into(),
    ];
    args.extend(conf.iter().cloned());
    let before = endpoint.requests().len();
    let (ok, out) = run_ours("consume_verify", &str_refs(&args), &pki.ca);
    assert!(ok, "{out}");
    assert_eq!(summary_field(&out, "unique"), 300, "{out}");
    assert_eq!(summary_field(&out, "bad"), 0, "{out}");
    assert!(
        endpoint.requests().len() > before,
        "the consumer fetched no token"
    );

    // confluent-kafka with librdkafka's OIDC against the same endpoint.
    let before = endpoint.requests().len();
    let mut theirs = conf.clone();
    theirs.push(format!("https.ca.location={}", pki.ca.display()));
    let theirs_refs = str_refs(&theirs);
    let opts = ConsumeOpts {
        group: None,
        conf: &theirs_refs,
    };
    let (msgs, done) = run_python_consume(&bootstrap, "oidc", 500, TIMEOUT, &opts);
    assert_eq!(msgs.len(), 500, "{}", done.describe());
    let all = endpoint.requests();
    let confluent = &all[before..];
    assert!(
        !confluent.is_empty(),
        "confluent-kafka did not use the endpoint"
    );
    let our_shape = request_shape(&ours[0]);
    for r in confluent {
        assert_eq!(
            request_shape(r),
            our_shape,
            "confluent-kafka's request differs from ours"
        );
    }
}

/// A wrong secret: the endpoint answers 401, the application gets an
/// `_AUTHENTICATION` error event naming it, messages time out (none lost
/// silently), the library tries again 10 s later, and nothing crashes.
#[test]
fn a_wrong_secret_is_an_authentication_error_retried_with_backoff() {
    let pki = TestPki::make();
    let endpoint = Endpoint::start(&pki, 3600);
    let mock = oauthbearer_mock();
    let mut conf = oidc_conf(&endpoint, "Wrong-Oidc-S3cr3t-not-in-logs");
    conf.push("message.timeout.ms=13000".into());
    let (ok, out) = sasl_client(mock.bootstraps(), "refused", 5, &conf, &pki.ca);
    assert_every_message_timed_out(ok, &out, 5, "a wrong secret");
    assert!(
        out.contains("ERROR _AUTHENTICATION Failed to acquire SASL OAUTHBEARER token: HTTP 401"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "Failed to retrieve OIDC token from \"{}\": HTTP 401",
            endpoint.url
        )),
        "{out}"
    );
    // One try, one more after librdkafka's 10 s: not a storm.
    let refused = endpoint.hits(401);
    assert!((2..=3).contains(&refused), "{refused} requests:\n{out}");
    assert_eq!(mock.sasl_counts().authentications, 0);
    assert!(!out.contains("Wrong-Oidc-S3cr3t"), "secret leaked:\n{out}");
}

/// A short-lived token is fetched again at 80% of its lifetime, and the
/// broker connection re-authenticates with the new one before the old one
/// expires: a producer spanning several lifetimes loses nothing.
#[test]
fn short_lived_tokens_are_refreshed_and_the_connection_reauthenticates() {
    let pki = TestPki::make();
    let endpoint = Endpoint::start(&pki, 3);
    let mock = oauthbearer_mock();
    let mut conf = oidc_conf(&endpoint, SECRET);
    // 200 messages 40 ms apart: about 8 s, several 3 s tokens.
    conf.push("@pace=40".into());
    let (ok, out) = sasl_client(mock.bootstraps(), "refreshed", 200, &conf, &pki.ca);
    assert!(ok, "{out}");
    let line = sasl_summary(&out);
    assert_eq!(summary_field(line, "auth_errors"), 0, "{out}");
    assert_eq!(summary_field(line, "other_errors"), 0, "{out}");
    let fetched = endpoint.hits(200);
    assert!(fetched >= 3, "{fetched} tokens fetched:\n{out}");
    let counts = mock.sasl_counts();
    assert!(counts.reauthentications >= 2, "{counts:?}\n{out}");
}

/// The secret appears in no configuration dump, debug log or error.
#[test]
fn the_client_secret_never_appears_in_dumps_or_logs() {
    let pki = TestPki::make();
    let endpoint = Endpoint::start(&pki, 3600);
    let mock = oauthbearer_mock();
    let mut conf = oidc_conf(&endpoint, SECRET);
    conf.extend(["@dump", "debug=all"].map(String::from));
    let (ok, out) = sasl_client(mock.bootstraps(), "dumped", 5, &conf, &pki.ca);
    assert!(ok, "{out}");
    assert!(
        out.contains("CONF sasl.oauthbearer.client.secret=[redacted]"),
        "{out}"
    );
    assert!(
        out.contains(&format!("CONF sasl.oauthbearer.client.id={CLIENT_ID}")),
        "{out}"
    );
    assert!(!out.contains(SECRET), "secret leaked:\n{out}");
}

/// What cannot work is refused at rd_kafka_new (librdkafka's words for
/// the required properties), or reported as a token failure naming the
/// cause when the endpoint cannot be reached or trusted.
#[test]
fn missing_properties_and_unreachable_or_untrusted_endpoints_are_clear_errors() {
    let pki = TestPki::make();
    let base = [
        "security.protocol=sasl_plaintext",
        "sasl.mechanisms=OAUTHBEARER",
        "sasl.oauthbearer.method=oidc",
    ];
    for (missing, given) in [
        ("sasl.oauthbearer.client.id", vec![]),
        (
            "sasl.oauthbearer.client.secret",
            vec!["sasl.oauthbearer.client.id=a"],
        ),
        (
            "sasl.oauthbearer.token.endpoint.url",
            vec![
                "sasl.oauthbearer.client.id=a",
                "sasl.oauthbearer.client.secret=b",
            ],
        ),
    ] {
        let conf: Vec<String> = base.iter().chain(&given).map(|s| s.to_string()).collect();
        let (ok, out) = sasl_client("127.0.0.1:1", "t", 1, &conf, &pki.ca);
        assert!(!ok);
        let expected = format!(
            "NEW_FAILED `{missing}` is mandatory when `sasl.oauthbearer.method=oidc` is set"
        );
        assert!(out.contains(&expected), "{out}");
    }
    let mut conf: Vec<String> = base.iter().map(|s| s.to_string()).collect();
    conf.extend([
        "sasl.oauthbearer.client.id=a".to_string(),
        "sasl.oauthbearer.client.secret=b".to_string(),
        "sasl.oauthbearer.token.endpoint.url=https://localhost:1/t".to_string(),
        "sasl.oauthbearer.extensions=auth=x".to_string(),
    ]);
    let (ok, out) = sasl_client("127.0.0.1:1", "t", 1, &conf, &pki.ca);
    assert!(
        !ok && out.contains("NEW_FAILED sasl.oauthbearer.extensions"),
        "{out}"
    );

    // Nothing listens on the endpoint's port.
    let mock = oauthbearer_mock();
    conf.pop();
    conf.push("message.timeout.ms=2000".into());
    let (ok, out) = sasl_client(mock.bootstraps(), "t", 1, &conf, &pki.ca);
    assert!(!ok);
    assert!(
        out.lines().any(|l| l
            .starts_with("ERROR _AUTHENTICATION Failed to acquire SASL OAUTHBEARER token")
            && l.to_lowercase().contains("connect")),
        "{out}"
    );

    // The endpoint's certificate is not signed by a trusted CA.
    let endpoint = Endpoint::start(&pki, 3600);
    let mut conf = oidc_conf(&endpoint, SECRET);
    conf.push("message.timeout.ms=2000".into());
    let (ok, out) = sasl_client(mock.bootstraps(), "t", 1, &conf, &pki.other_ca);
    assert!(!ok);
    assert!(
        out.lines().any(|l| l
            .starts_with("ERROR _AUTHENTICATION Failed to acquire SASL OAUTHBEARER token")
            && l.contains("certificate")),
        "{out}"
    );
    assert_eq!(endpoint.requests().len(), 0);
}

/// With the SASL queue enabled, the OIDC fetch runs on the SASL background
/// thread (as librdkafka's OIDC init enables it): the token is fetched and
/// the broker authenticated while the application has not polled yet.
#[test]
fn with_the_sasl_queue_the_fetch_runs_before_the_application_polls() {
    let pki = TestPki::make();
    let endpoint = Endpoint::start(&pki, 3600);
    let mock = oauthbearer_mock();
    let mut conf = oidc_conf(&endpoint, SECRET);
    // sasl_client enables the SASL queue (nothing more) and then sleeps
    // 5 s without polling.
    conf.push("@saslq".into());
    let count = "50".to_string();
    let mut args = vec![mock.bootstraps(), "background", &count];
    args.extend(str_refs(&conf));
    let dir = scratch_dir("oidc-background");
    let out_path = dir.join("sasl_client.out");
    let out = std::fs::File::create(&out_path).expect("output file");
    let mut cmd = Command::new(c_program("tests/c/sasl_client.c"));
    cmd.args(&args)
        .env("SSL_CERT_FILE", &pki.ca)
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("output file"))
        .stderr(out);
    let mut child = ChildGuard::spawn("sasl_client", &mut cmd, Some(out_path.clone()));
    let deadline = Instant::now() + Duration::from_millis(4500);
    while Instant::now() < deadline
        && (endpoint.hits(200) == 0 || mock.sasl_counts().authentications == 0)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let exited_early = child.try_status().is_some();
    let fetched = endpoint.hits(200);
    let authenticated = mock.sasl_counts().authentications;
    let output = || std::fs::read_to_string(&out_path).unwrap_or_default();
    assert!(
        !exited_early,
        "sasl_client ended during its no-poll wait:\n{}",
        output()
    );
    assert!(
        fetched >= 1 && authenticated >= 1,
        "no token or authentication before the first poll \
         ({fetched} fetched, {authenticated} authenticated):\n{}",
        output()
    );
    let status = child
        .wait_timeout(TIMEOUT)
        .expect("sasl_client did not end");
    let output = output();
    assert!(output.contains("library 2.0.2-ferrokafka-"), "{output}");
    assert!(status.success(), "{output}");
}

/// The OIDC paths under valgrind: a token fetched over TLS (the SASL
/// background thread serving it) and a refused one (401, error event):
/// no invalid access, no leak, everything freed by rd_kafka_destroy.
#[test]
fn oidc_clients_are_valgrind_clean() {
    if !valgrind_available() {
        return;
    }
    let pki = TestPki::make();
    let endpoint = Endpoint::start(&pki, 3600);
    let mock = oauthbearer_mock();
    let mut good = oidc_conf(&endpoint, SECRET);
    good.push("@saslq".into());
    let mut refused = oidc_conf(&endpoint, "Wrong-Oidc-S3cr3t-not-in-logs");
    refused.push("message.timeout.ms=2000".into());
    for conf in [good, refused] {
        assert_sasl_client_valgrind_clean(mock.bootstraps(), &conf, Some(&pki.ca));
    }
    assert!(endpoint.hits(200) >= 1 && endpoint.hits(401) >= 1);
}
