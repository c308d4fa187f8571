//! Smoke tests of the test infrastructure itself: every peer other tests
//! rely on starts, serves and stops on this machine.

mod support;

use std::time::Duration;
use support::*;

const T: Duration = Duration::from_secs(60);

#[test]
fn tansu_round_trip_with_confluent_kafka() {
    let tansu = Tansu::start();
    tansu.create_topic("smoke", 3);
    let opts = ProduceOpts {
        keys: true,
        headers: true,
        ..Default::default()
    };
    python_produce(&tansu.bootstrap, "smoke", 1000, 64, &opts, T);
    let msgs = python_consume(&tansu.bootstrap, "smoke", 1000, T);

    let mut seen = vec![false; 1000];
    for m in &msgs {
        let key = m.key.as_deref().expect("produced with keys");
        let index: usize = std::str::from_utf8(key)
            .ok()
            .and_then(|k| k.strip_prefix("key-"))
            .and_then(|i| i.parse().ok())
            .unwrap_or_else(|| panic!("unexpected key {key:?}"));
        assert_eq!(m.value.as_deref(), Some(&expected_value(index, 64)[..]));
        assert_eq!(
            m.headers,
            vec![
                ("index".to_string(), Some(index.to_string().into_bytes())),
                ("null".to_string(), None),
            ]
        );
        assert!((0..3).contains(&m.partition));
        assert!(!seen[index], "message {index} read twice");
        seen[index] = true;
    }
    assert!(seen.iter().all(|&s| s));
}

#[test]
fn mock_cluster_kcat_to_confluent_kafka() {
    let cluster = MockCluster::start(3);
    cluster.create_topic("smoke", 2, 3);
    let lines: String = (0..100).map(|i| format!("line-{i}\n")).collect();
    let out = kcat_with_input(
        &["-b", &cluster.bootstrap, "-P", "-t", "smoke", "-p", "1"],
        lines.as_bytes(),
        T,
    );
    assert!(
        out.status.success(),
        "kcat failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let msgs = python_consume(&cluster.bootstrap, "smoke", 100, T);
    let values: Vec<String> = msgs
        .iter()
        .map(|m| String::from_utf8_lossy(m.value.as_deref().unwrap_or_default()).into_owned())
        .collect();
    let expected: Vec<String> = (0..100).map(|i| format!("line-{i}")).collect();
    assert_eq!(values, expected, "one partition keeps kcat's order");
    assert!(msgs.iter().all(|m| m.partition == 1 && m.key.is_none()));
    let offsets: Vec<i64> = msgs.iter().map(|m| m.offset).collect();
    assert_eq!(offsets, (0..100).collect::<Vec<i64>>());
}

#[test]
fn mock_cluster_commands() {
    let cluster = MockCluster::start(3);
    assert_eq!(cluster.bootstrap.split(',').count(), 3);
    cluster.must("down 1");
    cluster.must("up 1");
    cluster.must("rtt 2 10");
    cluster.must("errors 0 NOT_LEADER_FOR_PARTITION RD_KAFKA_RESP_ERR__TRANSPORT 7");
    cluster.must("clear-errors 0");
    cluster.must("leader t 0 2");
    cluster.must("coordinator group g 3");
    let bad = cluster.command("errors 0 NO_SUCH_ERROR").unwrap_err();
    assert!(bad.contains("NO_SUCH_ERROR"), "{bad}");
    assert!(cluster.command("frobnicate").is_err());
    // The harness is still answering after rejected commands.
    cluster.must("topic t2 1 1");
}

#[test]
fn mock_cluster_auto_creates_topics() {
    let cluster = MockCluster::start(1);
    let out = kcat_with_input(&["-b", &cluster.bootstrap, "-P", "-t", "auto"], b"x\n", T);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kcat(&["-b", &cluster.bootstrap, "-L", "-t", "auto"], T);
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(listing.contains("with 4 partitions"), "{listing}");
}

#[test]
fn bounded_run_kills_hung_process() {
    let done = run_with_timeout(
        std::process::Command::new("sleep").arg("600"),
        None,
        Duration::from_millis(200),
    );
    assert!(done.timed_out);
    assert!(!done.output.status.success());
}

#[test]
fn c_programs_build_against_librdkafka() {
    let dir = scratch_dir("cbuild-smoke");
    let src = dir.join("version.c");
    std::fs::write(
        &src,
        "#include <stdio.h>\n#include <librdkafka/rdkafka.h>\n\
         int main(void) { printf(\"%s\\n\", rd_kafka_version_str()); return 0; }\n",
    )
    .expect("write source");
    let exe = build_c("version", &[&src], Against::Librdkafka, &[]);
    assert_eq!(
        exe,
        build_c("version", &[&src], Against::Librdkafka, &[]),
        "cached"
    );
    let done = run_with_timeout(&mut std::process::Command::new(&exe), None, T);
    assert!(done.success(), "{}", done.describe());
    assert!(done.stdout_str().starts_with("2."), "{}", done.stdout_str());
}

#[test]
fn tansu_consumer_group_and_compression() {
    let tansu = Tansu::start();
    tansu.create_topic("grouped", 2);
    for codec in ["gzip", "snappy", "lz4", "zstd"] {
        let opts = ProduceOpts {
            compression: Some(codec),
            ..Default::default()
        };
        python_produce(&tansu.bootstrap, "grouped", 50, 200, &opts, T);
    }
    let msgs = python_consume_group(&tansu.bootstrap, "grouped", 200, "smoke-group", T);
    assert_eq!(msgs.len(), 200);
    assert!(msgs.iter().all(|m| m.key.is_none() && m.timestamp.0 == 1));
}

#[test]
fn mock_cluster_consumer_group() {
    let cluster = MockCluster::start(3);
    cluster.create_topic("grouped", 4, 2);
    let opts = ProduceOpts {
        keys: true,
        compression: Some("zstd"),
        ..Default::default()
    };
    python_produce(&cluster.bootstrap, "grouped", 200, 32, &opts, T);
    let msgs = python_consume_group(&cluster.bootstrap, "grouped", 200, "smoke-group", T);
    let mut indexes: Vec<Vec<u8>> = msgs.into_iter().filter_map(|m| m.key).collect();
    indexes.sort();
    let mut expected: Vec<Vec<u8>> = (0..200).map(expected_key).collect();
    expected.sort();
    assert_eq!(indexes, expected);
}

#[test]
fn dropping_a_guard_kills_the_whole_process_group() {
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "sleep 600 & sleep 600"]);
    let guard = ChildGuard::spawn("sleepers", &mut cmd, None);
    let pgid = guard.id() as libc::pid_t;
    // SAFETY: signal 0 only probes for existence.
    assert_eq!(unsafe { libc::kill(-pgid, 0) }, 0, "group should exist");
    drop(guard);
    // The shell was reaped by the guard; its orphaned background sleep is
    // reparented and reaped by init, so poll briefly for the group to empty.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while unsafe { libc::kill(-pgid, 0) } == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "process group {pgid} survived its guard"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
