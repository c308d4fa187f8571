//! TLS (`security.protocol=ssl`) against a real TLS server: stunnel4
//! (OpenSSL) in front of Tansu, with certificates made by `openssl` at
//! test time. Our producer and consumer group move tens of thousands of
//! messages through it, with and without client certificates, and
//! confluent-kafka (librdkafka with OpenSSL) reads them back over TLS.
//! Every failure case must end in a clear error event and a delivery
//! report, never a crash, hang or silently lost message.

mod support;

use std::path::Path;
use std::time::Duration;
use support::*;

const COUNT: usize = 20_000;
const SIZE: usize = 100;

/// Tansu behind stunnel: clients bootstrap from `stunnel.bootstrap`.
struct TlsPeer {
    tansu: Tansu,
    stunnel: Stunnel,
}

fn tls_peer(pki: &TestPki, cert: &Path, key: &Path, mutual: bool) -> TlsPeer {
    let port = free_port();
    let tansu = Tansu::start_behind(port);
    let stunnel = Stunnel::start(&StunnelOpts {
        port,
        connect: &tansu.bootstrap,
        cert,
        key,
        client_ca: mutual.then_some(pki.ca.as_path()),
    });
    TlsPeer { tansu, stunnel }
}

fn path(p: &Path) -> String {
    p.to_str().expect("UTF-8 path").to_string()
}

/// Our properties for a TLS connection trusting the test CA.
fn ssl_props(pki: &TestPki) -> Vec<String> {
    vec![
        "security.protocol=ssl".into(),
        format!("ssl.ca.location={}", path(&pki.ca)),
    ]
}

fn client_cert_props(pki: &TestPki) -> Vec<String> {
    vec![
        format!("ssl.certificate.location={}", path(&pki.client_cert)),
        format!("ssl.key.location={}", path(&pki.client_key)),
    ]
}

fn produce(bootstrap: &str, topic: &str, props: &[String]) -> String {
    let mut args: Vec<String> = vec![
        bootstrap.into(),
        topic.into(),
        COUNT.to_string(),
        SIZE.to_string(),
        "linger.ms=5".into(),
    ];
    args.extend(props.iter().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = must_c("produce_verify", &args, Duration::from_secs(180));
    assert!(out.contains(&format!("delivered={COUNT} ")), "{out}");
    out
}

fn consume_group(bootstrap: &str, topic: &str, group: &str, props: &[String]) -> String {
    let mut args: Vec<String> = vec![
        bootstrap.into(),
        topic.into(),
        COUNT.to_string(),
        SIZE.to_string(),
        group.into(),
        "session.timeout.ms=6000".into(),
        "heartbeat.interval.ms=1000".into(),
    ];
    args.extend(props.iter().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = must_c("consume_verify", &args, Duration::from_secs(180));
    assert_eq!(summary_field(&out, "unique"), COUNT as i64, "{out}");
    assert_eq!(summary_field(&out, "bad"), 0, "{out}");
    out
}

/// confluent-kafka reads everything back over TLS; every message once,
/// with the value produce_verify gave it.
fn read_back_with_confluent(bootstrap: &str, topic: &str, conf: &[String]) {
    let (msgs, done) = run_python_consume_with(
        bootstrap,
        topic,
        COUNT,
        Duration::from_secs(120),
        &ConsumeOpts::default(),
        conf,
    );
    assert!(
        done.success() && msgs.len() == COUNT,
        "confluent-kafka read {} of {COUNT}:\n{}",
        msgs.len(),
        done.describe()
    );
    let mut seen = vec![false; COUNT];
    for m in &msgs {
        let key = String::from_utf8_lossy(m.key.as_deref().expect("a key"));
        let index: usize = key
            .strip_prefix("key-")
            .and_then(|k| k.parse().ok())
            .expect("produce_verify's key");
        assert!(!seen[index], "message {index} read twice");
        seen[index] = true;
        assert_eq!(m.value.as_deref(), Some(&expected_value(index, SIZE)[..]));
    }
}

fn confluent_ssl_conf(pki: &TestPki, client_cert: bool) -> Vec<String> {
    let mut conf = vec![
        "security.protocol=SSL".to_string(),
        format!("ssl.ca.location={}", path(&pki.ca)),
    ];
    if client_cert {
        conf.extend(client_cert_props(pki));
    }
    conf
}

#[test]
fn ssl_producer_and_consumer_group_through_stunnel() {
    let pki = TestPki::make();
    let peer = tls_peer(&pki, &pki.server_cert, &pki.server_key, false);
    peer.tansu.create_topic("tls-data", 3);
    let props = ssl_props(&pki);
    produce(&peer.stunnel.bootstrap, "tls-data", &props);
    read_back_with_confluent(
        &peer.stunnel.bootstrap,
        "tls-data",
        &confluent_ssl_conf(&pki, false),
    );
    consume_group(&peer.stunnel.bootstrap, "tls-data", "tls-group", &props);
}

#[test]
fn mutual_tls_with_key_files_encrypted_keys_and_pkcs12() {
    let pki = TestPki::make();
    let peer = tls_peer(&pki, &pki.server_cert, &pki.server_key, true);
    peer.tansu.create_topic("mtls-data", 3);
    let mut props = ssl_props(&pki);
    props.extend(client_cert_props(&pki));
    produce(&peer.stunnel.bootstrap, "mtls-data", &props);
    read_back_with_confluent(
        &peer.stunnel.bootstrap,
        "mtls-data",
        &confluent_ssl_conf(&pki, true),
    );

    // The consumer group authenticates with the PKCS#8-encrypted key.
    let mut encrypted = ssl_props(&pki);
    encrypted.extend([
        format!("ssl.certificate.location={}", path(&pki.client_cert)),
        format!("ssl.key.location={}", path(&pki.client_key_encrypted)),
        format!("ssl.key.password={KEY_PASSWORD}"),
    ]);
    consume_group(
        &peer.stunnel.bootstrap,
        "mtls-data",
        "mtls-group",
        &encrypted,
    );

    // A PKCS#12 keystore file, and the same archive plus the CA handed
    // over in memory (rd_kafka_conf_set_ssl_cert).
    let keystore = [
        "security.protocol=ssl".to_string(),
        format!("ssl.ca.location={}", path(&pki.ca)),
        format!("ssl.keystore.location={}", path(&pki.client_p12)),
        format!("ssl.keystore.password={KEY_PASSWORD}"),
    ];
    probe_delivers(&peer.stunnel.bootstrap, "mtls-data", &keystore);
    let in_memory = [
        "security.protocol=ssl".to_string(),
        format!("ssl.key.password={KEY_PASSWORD}"),
        format!("@ca_mem={}", path(&pki.ca)),
        format!("@p12_mem={}", path(&pki.client_p12)),
    ];
    probe_delivers(&peer.stunnel.bootstrap, "mtls-data", &in_memory);
}

#[test]
fn secrets_stay_out_of_debug_logs_and_errors() {
    let pki = TestPki::make();
    let peer = tls_peer(&pki, &pki.server_cert, &pki.server_key, true);
    peer.tansu.create_topic("secrets", 1);
    let mut props = ssl_props(&pki);
    props.extend([
        format!("ssl.certificate.location={}", path(&pki.client_cert)),
        format!("ssl.key.location={}", path(&pki.client_key_encrypted)),
        format!("ssl.key.password={KEY_PASSWORD}"),
        "debug=all".into(),
        "message.timeout.ms=20000".into(),
    ]);
    let mut args = vec![
        peer.stunnel.bootstrap.clone(),
        "secrets".into(),
        "30000".into(),
    ];
    args.extend(props);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let done = run_c("tls_probe", &args, None, Duration::from_secs(90));
    let everything = format!(
        "{}{}",
        done.stdout_str(),
        String::from_utf8_lossy(&done.output.stderr)
    );
    assert!(everything.contains("delivered=1"), "{}", done.describe());
    assert!(
        everything.contains("|BROKER|"),
        "no debug log:\n{}",
        done.describe()
    );
    assert!(
        !everything.contains(KEY_PASSWORD),
        "the key password reached the output:\n{}",
        done.describe()
    );
}

/// Runs tls_probe; returns its output (which proves it ran on our library:
/// builtin.features lists ssl but none of librdkafka's SASL features).
fn probe(bootstrap: &str, topic: &str, wait_ms: u64, props: &[String]) -> String {
    let mut args: Vec<String> = vec![bootstrap.into(), topic.into(), wait_ms.to_string()];
    args.extend(props.iter().cloned());
    args.push("message.timeout.ms=".to_string() + &wait_ms.saturating_sub(2000).to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let done = run_c(
        "tls_probe",
        &args,
        None,
        Duration::from_secs(wait_ms / 1000 + 60),
    );
    let out = done.stdout_str();
    assert!(
        out.contains("features=") && out.contains("ssl") && !out.contains("sasl_gssapi"),
        "not our library, or it did not run:\n{}",
        done.describe()
    );
    out
}

/// A `name=value` of the summary line, or the `new_failed` reason.
fn summary(out: &str, name: &str) -> String {
    out.lines()
        .find(|l| l.starts_with("summary "))
        .and_then(|l| {
            l.split_whitespace()
                .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        })
        .unwrap_or_else(|| panic!("no {name} in:\n{out}"))
        .to_string()
}

fn first_error_reason(out: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix("ERROR\t"))
        .unwrap_or_else(|| panic!("no error event:\n{out}"))
        .to_string()
}

/// The failure shape every negative case shares: the connection fails
/// with `code` and a reason containing `why`, and the message is not lost
/// silently: its delivery report says it timed out.
fn assert_fails(out: &str, code: &str, why: &str) {
    assert_eq!(summary(out, "first_error"), code, "{out}");
    let reason = first_error_reason(out);
    assert!(
        reason.contains(why),
        "reason {reason:?} lacks {why:?}:\n{out}"
    );
    assert_eq!(summary(out, "delivered"), "0", "{out}");
    assert_eq!(summary(out, "dr_err"), "_MSG_TIMED_OUT", "{out}");
}

const FAIL_WAIT_MS: u64 = 6000;

/// A probe that must fail: within [`FAIL_WAIT_MS`] the connection fails as
/// [`assert_fails`] describes. Returns the output.
fn probe_refused(bootstrap: &str, topic: &str, props: &[String], code: &str, why: &str) -> String {
    let out = probe(bootstrap, topic, FAIL_WAIT_MS, props);
    assert_fails(&out, code, why);
    out
}

/// A probe that must deliver its message. Returns the output.
fn probe_delivers(bootstrap: &str, topic: &str, props: &[String]) -> String {
    let out = probe(bootstrap, topic, 30_000, props);
    assert_eq!(summary(&out, "delivered"), "1", "{out}");
    out
}

#[test]
fn broker_certificate_problems_are_ssl_errors_with_the_reason() {
    let pki = TestPki::make();
    let good = tls_peer(&pki, &pki.server_cert, &pki.server_key, false);
    good.tansu.create_topic("probe", 1);

    // Signed by a CA we do not trust.
    let wrong_ca = [
        "security.protocol=ssl".to_string(),
        format!("ssl.ca.location={}", path(&pki.other_ca)),
    ];
    let before = good.stunnel.accepted_connections();
    let out = probe_refused(
        &good.stunnel.bootstrap,
        "probe",
        &wrong_ca,
        "_SSL",
        "certificate verify failed",
    );
    assert!(
        first_error_reason(&out).contains("ssl.ca.location"),
        "{out}"
    );
    // Reconnect backoff applies (100 ms doubling): a handful of attempts in
    // the wait, not a storm; identical failures are reported once.
    let attempts = good.stunnel.accepted_connections() - before;
    assert!(
        (1..=20).contains(&attempts),
        "{attempts} connection attempts:\n{out}"
    );
    assert_eq!(out.matches("certificate verify failed").count(), 1, "{out}");

    // Verification off accepts it; a directory holding the right CA (and
    // other certificates) is a trust store like a file.
    let mut unverified = wrong_ca.to_vec();
    unverified.push("enable.ssl.certificate.verification=false".into());
    probe_delivers(&good.stunnel.bootstrap, "probe", &unverified);
    let directory = [
        "security.protocol=ssl".to_string(),
        format!("ssl.ca.location={}", path(&pki.dir)),
    ];
    probe_delivers(&good.stunnel.bootstrap, "probe", &directory);

    // The verify callback sees the chain and may vouch for it anyway...
    let mut vouched = wrong_ca.to_vec();
    vouched.push("@verify_cb=clear".into());
    let out = probe_delivers(&good.stunnel.bootstrap, "probe", &vouched);
    assert!(
        out.contains("VERIFY\t0\t20\t"),
        "leaf reported with X509 error 20:\n{out}"
    );
    // ...or reject a chain that is otherwise fine.
    let mut rejected = ssl_props(&pki);
    rejected.push("@verify_cb=reject".into());
    probe_refused(
        &good.stunnel.bootstrap,
        "probe",
        &rejected,
        "_SSL",
        "rejected by tls_probe",
    );

    // Revoked by the CA's CRL; a CRL revoking nothing lets it through.
    let mut revoked = ssl_props(&pki);
    revoked.push(format!(
        "ssl.crl.location={}",
        path(&pki.crl_revoking_server)
    ));
    probe_refused(
        &good.stunnel.bootstrap,
        "probe",
        &revoked,
        "_SSL",
        "Revoked",
    );
    let mut not_revoked = ssl_props(&pki);
    not_revoked.push(format!("ssl.crl.location={}", path(&pki.crl_empty)));
    probe_delivers(&good.stunnel.bootstrap, "probe", &not_revoked);

    // A certificate for another host name: refused, unless host name
    // checks are off.
    let wrong_name = tls_peer(&pki, &pki.wrong_name_cert, &pki.wrong_name_key, false);
    wrong_name.tansu.create_topic("probe", 1);
    probe_refused(
        &wrong_name.stunnel.bootstrap,
        "probe",
        &ssl_props(&pki),
        "_SSL",
        "not valid for name",
    );
    let mut no_check = ssl_props(&pki);
    no_check.push("ssl.endpoint.identification.algorithm=none".into());
    probe_delivers(&wrong_name.stunnel.bootstrap, "probe", &no_check);

    // Expired.
    let expired = tls_peer(&pki, &pki.expired_cert, &pki.expired_key, false);
    probe_refused(
        &expired.stunnel.bootstrap,
        "probe",
        &ssl_props(&pki),
        "_SSL",
        "expired",
    );
}

#[test]
fn mutual_tls_without_a_client_certificate_fails_clearly() {
    let pki = TestPki::make();
    let peer = tls_peer(&pki, &pki.server_cert, &pki.server_key, true);
    peer.tansu.create_topic("probe", 1);
    probe_refused(
        &peer.stunnel.bootstrap,
        "probe",
        &ssl_props(&pki),
        "_SSL",
        "client authentication might be required",
    );
}

#[test]
fn tls_and_plaintext_on_the_wrong_port_fail_clearly() {
    let pki = TestPki::make();
    let peer = tls_peer(&pki, &pki.server_cert, &pki.server_key, false);
    peer.tansu.create_topic("probe", 1);
    // TLS to Tansu's own plaintext port: Tansu waits for the rest of the
    // "request" the ClientHello's first bytes announce, so the handshake
    // runs into the connection setup timeout.
    let mut tls_props = ssl_props(&pki);
    tls_props.push("socket.connection.setup.timeout.ms=2000".into());
    let out = probe(&peer.tansu.bootstrap, "probe", FAIL_WAIT_MS, &tls_props);
    let code = summary(&out, "first_error");
    assert!(code == "_TRANSPORT" || code == "_SSL", "{out}");
    assert!(first_error_reason(&out).contains("PLAINTEXT"), "{out}");
    assert_eq!(summary(&out, "dr_err"), "_MSG_TIMED_OUT", "{out}");
    // Plaintext to the TLS port.
    probe_refused(
        &peer.stunnel.bootstrap,
        "probe",
        &[],
        "_TRANSPORT",
        "SSL broker listener",
    );
}

#[test]
fn unusable_files_and_wrong_passwords_fail_at_rd_kafka_new() {
    let pki = TestPki::make();
    let garbage = pki.dir.join("garbage.pem");
    std::fs::write(&garbage, "not a certificate\n").unwrap();
    let missing = pki.dir.join("missing.pem");
    let g = path(&garbage);
    let m = path(&missing);
    let cert = format!("ssl.certificate.location={}", path(&pki.client_cert));
    let key = format!("ssl.key.location={}", path(&pki.client_key));
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![format!("ssl.ca.location={g}")], "ssl.ca.location"),
        (vec![format!("ssl.ca.location={m}")], "ssl.ca.location"),
        (
            vec![format!("ssl.certificate.location={g}"), key.clone()],
            "ssl.certificate.location",
        ),
        (
            vec![format!("ssl.certificate.location={m}"), key.clone()],
            "ssl.certificate.location",
        ),
        (
            vec![cert.clone(), format!("ssl.key.location={g}")],
            "ssl.key.location",
        ),
        (
            vec![cert.clone(), format!("ssl.key.location={m}")],
            "ssl.key.location",
        ),
        (
            vec![
                cert.clone(),
                format!("ssl.key.location={}", path(&pki.client_key_encrypted)),
                "ssl.key.password=not-the-password".into(),
            ],
            "wrong ssl.key.password",
        ),
        (
            vec![
                cert.clone(),
                format!("ssl.key.location={}", path(&pki.client_key_encrypted)),
            ],
            "set ssl.key.password",
        ),
        (
            vec![
                format!("ssl.keystore.location={}", path(&pki.client_p12)),
                "ssl.keystore.password=not-the-password".into(),
            ],
            "ssl.keystore.location",
        ),
        (vec!["ssl.cipher.suites=RC4-MD5".into()], "\"RC4-MD5\""),
        (vec!["ssl.providers=legacy".into()], "ssl.providers"),
    ];
    for (extra, why) in cases {
        let mut props = ssl_props(&pki);
        props.retain(|p| {
            !(p.starts_with("ssl.ca.location")
                && extra.iter().any(|e| e.starts_with("ssl.ca.location")))
        });
        props.extend(extra.iter().cloned());
        let out = probe("127.0.0.1:1", "probe", 1000, &props);
        let reason = out
            .lines()
            .find_map(|l| l.strip_prefix("new_failed\t"))
            .unwrap_or_else(|| panic!("{extra:?} was accepted:\n{out}"));
        assert!(reason.contains(why), "{extra:?}: {reason:?} lacks {why:?}");
        assert!(
            !reason.contains("not-the-password"),
            "secret in error: {reason}"
        );
    }
}

#[test]
fn the_mock_cluster_serves_tls_to_confluent_kafka_and_to_us() {
    let pki = TestPki::make();
    let mock = MockCluster::start_ours_with(
        1,
        &[
            format!(
                "test.mock.ssl.certificate.location={}",
                path(&pki.server_cert)
            ),
            format!("test.mock.ssl.key.location={}", path(&pki.server_key)),
        ],
    );
    mock.create_topic("mock-tls", 3, 1);
    produce(&mock.bootstrap, "mock-tls", &ssl_props(&pki));
    read_back_with_confluent(
        &mock.bootstrap,
        "mock-tls",
        &confluent_ssl_conf(&pki, false),
    );
    // A plaintext client on the mock's TLS listener fails like on stunnel's.
    probe_refused(
        &mock.bootstrap,
        "mock-tls",
        &[],
        "_TRANSPORT",
        "SSL broker listener",
    );
}

/// The TLS paths under valgrind: a mutual-TLS handshake with an encrypted
/// key, the verify callback, and a failed handshake, each producing a
/// message; no invalid access and no leak (ring's assembly is suppressed
/// as Memcheck cannot follow it, see tests/valgrind.supp).
#[test]
fn tls_paths_are_valgrind_clean() {
    if !valgrind_available() {
        return;
    }
    let pki = TestPki::make();
    let mock = MockCluster::start_ours_with(
        1,
        &[
            format!(
                "test.mock.ssl.certificate.location={}",
                path(&pki.server_cert)
            ),
            format!("test.mock.ssl.key.location={}", path(&pki.server_key)),
        ],
    );
    mock.create_topic("vg", 1, 1);
    let exe = c_program("tests/c/tls_probe.c");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "security.protocol=ssl".into(),
                format!("ssl.ca.location={}", path(&pki.ca)),
                format!("ssl.certificate.location={}", path(&pki.client_cert)),
                format!("ssl.key.location={}", path(&pki.client_key_encrypted)),
                format!("ssl.key.password={KEY_PASSWORD}"),
                "@verify_cb=accept".into(),
            ],
            "delivered=1",
        ),
        (
            vec![
                "security.protocol=ssl".into(),
                format!("ssl.ca.location={}", path(&pki.other_ca)),
                "message.timeout.ms=3000".into(),
            ],
            "first_error=_SSL",
        ),
    ];
    for (props, expect) in cases {
        let mut cmd = valgrind_command();
        cmd.arg(&exe)
            .args([&mock.bootstrap, "vg", "60000"])
            .args(&props);
        let done = run_with_timeout(&mut cmd, None, Duration::from_secs(300));
        assert!(
            done.success() && done.stdout_str().contains(expect),
            "tls_probe {props:?} under valgrind (exit {VALGRIND_ERROR_EXIT}: invalid access or leak), expected {expect}:\n{}",
            done.describe()
        );
    }
}

/// `test.mock.ssl.ca.location` makes the mock's TLS listener require a
/// client certificate signed by that CA: our client and confluent-kafka
/// with the test CA's client certificate get through; without one, or with
/// a self-signed one, they are refused.
#[test]
fn the_mock_cluster_can_require_client_certificates() {
    let pki = TestPki::make();
    let mock = MockCluster::start_ours_with(
        1,
        &[
            format!(
                "test.mock.ssl.certificate.location={}",
                path(&pki.server_cert)
            ),
            format!("test.mock.ssl.key.location={}", path(&pki.server_key)),
            format!("test.mock.ssl.ca.location={}", path(&pki.ca)),
        ],
    );
    mock.create_topic("mock-mtls", 3, 1);
    let mut with_cert = ssl_props(&pki);
    with_cert.extend(client_cert_props(&pki));
    produce(&mock.bootstrap, "mock-mtls", &with_cert);
    read_back_with_confluent(
        &mock.bootstrap,
        "mock-mtls",
        &confluent_ssl_conf(&pki, true),
    );

    // No client certificate.
    let out = probe(&mock.bootstrap, "mock-mtls", FAIL_WAIT_MS, &ssl_props(&pki));
    assert_eq!(summary(&out, "first_error"), "_SSL", "{out}");
    assert_eq!(summary(&out, "delivered"), "0", "{out}");
    assert_eq!(summary(&out, "dr_err"), "_MSG_TIMED_OUT", "{out}");
    let reason = first_error_reason(&out);
    assert!(
        reason.contains("client authentication might be required"),
        "{reason}"
    );

    // A self-signed client certificate the mock's CA did not sign.
    let openssl = |args: &[&str]| {
        let done = run_with_timeout(
            std::process::Command::new("openssl")
                .current_dir(&pki.dir)
                .args(args),
            None,
            Duration::from_secs(60),
        );
        assert!(done.success(), "openssl {args:?}:\n{}", done.describe());
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=intruder",
        "-keyout",
        "intruder.key",
        "-out",
        "intruder.crt",
    ]);
    let mut wrong_cert = ssl_props(&pki);
    wrong_cert.push(format!(
        "ssl.certificate.location={}",
        path(&pki.dir.join("intruder.crt"))
    ));
    wrong_cert.push(format!(
        "ssl.key.location={}",
        path(&pki.dir.join("intruder.key"))
    ));
    let out = probe(&mock.bootstrap, "mock-mtls", FAIL_WAIT_MS, &wrong_cert);
    assert_eq!(summary(&out, "first_error"), "_SSL", "{out}");
    assert_eq!(summary(&out, "delivered"), "0", "{out}");
    eprintln!(
        "with a self-signed certificate: {}",
        first_error_reason(&out)
    );

    // confluent-kafka without a client certificate reads nothing.
    let (msgs, _) = run_python_consume_with(
        &mock.bootstrap,
        "mock-mtls",
        COUNT,
        Duration::from_secs(8),
        &ConsumeOpts::default(),
        &confluent_ssl_conf(&pki, false),
    );
    assert!(
        msgs.is_empty(),
        "confluent-kafka read {} messages without a certificate",
        msgs.len()
    );
}

/// `ssl.cipher.suites` with OpenSSL's names picks the suite stunnel
/// (OpenSSL) then reports as negotiated. TLS 1.3 suites, as OpenSSL
/// (whose own first choice is TLS_AES_256_GCM_SHA384) would pick neither:
/// a TLS 1.2 name alone leaves TLS 1.3 and its suites enabled, as in
/// OpenSSL, so stunnel negotiates TLS 1.3 then (the mapping of TLS 1.2
/// names is unit-tested in client/tls.rs).
#[test]
fn openssl_cipher_names_choose_the_suite_openssl_negotiates() {
    let pki = TestPki::make();
    for suite in ["TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"] {
        let peer = tls_peer(&pki, &pki.server_cert, &pki.server_key, false);
        let topic = format!("suite-{}", suite.to_lowercase());
        peer.tansu.create_topic(&topic, 1);
        let mut props = ssl_props(&pki);
        props.push(format!("ssl.cipher.suites={suite}"));
        produce(&peer.stunnel.bootstrap, &topic, &props);
        let log = std::fs::read_to_string(peer.stunnel.log_path()).unwrap_or_default();
        let negotiated: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("TLSv1") && l.contains("ciphersuite:"))
            .collect();
        assert!(
            !negotiated.is_empty() && negotiated.iter().all(|l| l.contains(suite)),
            "{suite}: stunnel negotiated otherwise: {negotiated:?}"
        );
    }
}

/// Legacy OpenSSL-encrypted PEM keys (`Proc-Type: 4,ENCRYPTED`), made now
/// by `openssl rsa -traditional` with AES-128, AES-256 and 3DES from the
/// client key, authenticate to stunnel's mutual TLS with
/// `ssl.key.password`; a wrong password fails `rd_kafka_new` naming it,
/// without the password in the reason.
#[test]
fn legacy_encrypted_pem_keys_are_decrypted_with_ssl_key_password() {
    let pki = TestPki::make();
    let peer = tls_peer(&pki, &pki.server_cert, &pki.server_key, true);
    peer.tansu.create_topic("legacy-key", 1);
    for cipher in ["-aes128", "-aes256", "-des3"] {
        let key = pki.dir.join(format!("client{cipher}.legacy.key"));
        let done = run_with_timeout(
            std::process::Command::new("openssl")
                .args(["rsa", "-traditional", cipher, "-passout"])
                .arg(format!("pass:{KEY_PASSWORD}"))
                .arg("-in")
                .arg(&pki.client_key)
                .arg("-out")
                .arg(&key),
            None,
            Duration::from_secs(60),
        );
        assert!(done.success(), "openssl rsa {cipher}:\n{}", done.describe());
        let pem = std::fs::read_to_string(&key).unwrap();
        assert!(pem.contains("Proc-Type: 4,ENCRYPTED"), "{pem}");
        let mut props = ssl_props(&pki);
        props.extend([
            format!("ssl.certificate.location={}", path(&pki.client_cert)),
            format!("ssl.key.location={}", path(&key)),
        ]);
        let mut good = props.clone();
        good.push(format!("ssl.key.password={KEY_PASSWORD}"));
        let out = probe(&peer.stunnel.bootstrap, "legacy-key", 30_000, &good);
        assert_eq!(summary(&out, "delivered"), "1", "{cipher}: {out}");

        let mut wrong = props;
        wrong.push("ssl.key.password=not-the-password".into());
        let out = probe("127.0.0.1:1", "probe", 1000, &wrong);
        let reason = out
            .lines()
            .find_map(|l| l.strip_prefix("new_failed\t"))
            .unwrap_or_else(|| panic!("{cipher}: a wrong password was accepted:\n{out}"));
        assert!(
            reason.contains("wrong ssl.key.password") && !reason.contains("not-the-password"),
            "{cipher}: {reason}"
        );
    }
}
