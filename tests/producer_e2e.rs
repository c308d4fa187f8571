//! Producer end to end: our library produces through the C API to real
//! brokers (Tansu, librdkafka's 3-broker mock cluster); every delivery report
//! is checked by the C program, and confluent-kafka (librdkafka 2.x, written
//! by others) reads everything back: key, value, headers and timestamp.

mod support;

use std::process::Command;
use std::time::Duration;
use support::*;

const BASE_TS: i64 = 1_700_000_000_000;

fn produce_verify() -> std::path::PathBuf {
    let src = repo_root().join("tests/c/produce_verify.c");
    build_c("produce_verify", &[&src], Against::Ours, &[])
}

/// Runs produce_verify and returns its summary line; panics unless it passed.
fn produce(bootstrap: &str, topic: &str, count: usize, size: usize, props: &[&str]) -> String {
    let exe = produce_verify();
    let mut cmd = Command::new(exe);
    cmd.args([bootstrap, topic, &count.to_string(), &size.to_string()])
        .args(props);
    let done = run_with_timeout(&mut cmd, None, Duration::from_secs(180));
    assert!(
        done.success(),
        "produce_verify failed:\n{}",
        done.describe()
    );
    done.stdout_str()
}

/// Checks what confluent-kafka read against what produce_verify produced.
fn verify_consumed(msgs: &[ConsumedMsg], count: usize, size: usize) {
    let mut seen = vec![false; count];
    for m in msgs {
        let key = m.key.as_ref().expect("message without key");
        let key = String::from_utf8_lossy(key);
        let index: usize = key
            .strip_prefix("key-")
            .and_then(|k| k.parse().ok())
            .expect("bad key");
        assert!(
            index < count && !seen[index],
            "duplicate or unknown message {key}"
        );
        seen[index] = true;
        assert_eq!(
            m.value.as_deref(),
            Some(&expected_value(index, size)[..]),
            "value of {key}"
        );
        assert_eq!(
            m.headers,
            vec![
                ("idx".to_string(), Some(index.to_string().into_bytes())),
                ("nullhdr".to_string(), None)
            ],
            "headers of {key}"
        );
        assert_eq!(
            m.timestamp,
            (1, BASE_TS + index as i64),
            "timestamp of {key}"
        );
    }
    assert!(seen.iter().all(|s| *s), "some messages were not read back");
}

fn round_trip(bootstrap: &str, topic: &str, count: usize, size: usize, codec: &str) {
    let summary = produce(
        bootstrap,
        topic,
        count,
        size,
        &[&format!("compression.codec={codec}"), "linger.ms=5"],
    );
    assert!(
        summary.contains(&format!("delivered={count} ")),
        "{summary}"
    );
    let msgs = python_consume(bootstrap, topic, count, Duration::from_secs(120));
    verify_consumed(&msgs, count, size);
}

#[test]
fn every_codec_against_mock_cluster() {
    let cluster = MockCluster::start(3);
    for codec in ["none", "gzip", "snappy", "lz4", "zstd"] {
        let topic = format!("produce-{codec}");
        cluster.create_topic(&topic, 6, 3);
        round_trip(&cluster.bootstrap, &topic, 20_000, 100, codec);
    }
}

#[test]
fn every_codec_against_tansu() {
    let tansu = Tansu::start();
    for codec in ["none", "gzip", "snappy", "lz4", "zstd"] {
        let topic = format!("produce-{codec}");
        tansu.create_topic(&topic, 3);
        round_trip(&tansu.bootstrap, &topic, 20_000, 100, codec);
    }
}

#[test]
fn auto_created_topic_on_mock_cluster() {
    // The mock cluster auto-creates unknown topics on metadata requests.
    let cluster = MockCluster::start(1);
    round_trip(&cluster.bootstrap, "auto-created", 1000, 10, "none");
}
