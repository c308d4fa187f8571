//! Our mock cluster (`src/mock/`) serving clients nobody here wrote
//! (confluent-kafka, kcat: librdkafka 2.0.2) and our own producer, with
//! faults injected through the C API, plus raw-protocol abuse.
//!
//! Clusters run in `tests/peers/mock_cluster.c` built against ferrokafka
//! (`MockCluster::start_ours`), the same line-command harness the tests
//! against librdkafka's mock cluster use, or embedded in a client with
//! `test.mock.num.brokers`.

mod support;

use bytes::{Bytes, BytesMut};
use ferrokafka::protocol::messages::*;
use ferrokafka::protocol::record_batch::RecordBatchWriter;
use ferrokafka::protocol::Compression;
use std::collections::HashSet;
use std::io::Write;
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;
use support::*;

const T: Duration = Duration::from_secs(60);
const CODECS: [&str; 5] = ["none", "gzip", "snappy", "lz4", "zstd"];

fn produce_verify_exe() -> std::path::PathBuf {
    let src = repo_root().join("tests/c/produce_verify.c");
    build_c("produce_verify", &[&src], Against::Ours, &[])
}

/// Runs produce_verify; returns (exit success, summary line + diagnostics).
fn produce_verify(bootstrap: &str, topic: &str, count: usize, props: &[&str]) -> (bool, String) {
    let mut cmd = Command::new(produce_verify_exe());
    cmd.args([bootstrap, topic, &count.to_string(), "100"])
        .args(props);
    let done = run_with_timeout(&mut cmd, None, Duration::from_secs(120));
    assert!(!done.timed_out, "produce_verify hung:\n{}", done.describe());
    (done.success(), done.describe())
}

/// Checks messages produced by produce_verify (or produce.py --keys):
/// each index exactly once, value intact.
fn assert_all_once(msgs: &[ConsumedMsg], count: usize, size: usize) {
    let mut seen = vec![false; count];
    for m in msgs {
        let key = m.key.as_deref().expect("message without key");
        let index: usize = std::str::from_utf8(key)
            .ok()
            .and_then(|k| k.strip_prefix("key-"))
            .and_then(|k| k.parse().ok())
            .unwrap_or_else(|| panic!("bad key {key:?}"));
        assert!(index < count, "unknown message {index}");
        assert!(!seen[index], "message {index} read twice");
        seen[index] = true;
        assert_eq!(
            m.value.as_deref(),
            Some(&expected_value(index, size)[..]),
            "value {index}"
        );
    }
    let missing = seen.iter().filter(|s| !**s).count();
    assert_eq!(missing, 0, "{missing} messages missing");
}

#[test]
fn confluent_kafka_and_kcat_every_codec() {
    let cluster = MockCluster::start_ours(3);
    for codec in CODECS {
        let topic = format!("codec-{codec}");
        cluster.create_topic(&topic, 3, 3);
        let opts = ProduceOpts {
            compression: Some(codec),
            keys: true,
            headers: true,
            ..Default::default()
        };
        python_produce(&cluster.bootstrap, &topic, 500, 300, &opts, T);
        let msgs = python_consume(&cluster.bootstrap, &topic, 500, T);
        assert_all_once(&msgs, 500, 300);
        for m in &msgs {
            let index = String::from_utf8_lossy(&m.key.clone().unwrap_or_default())
                .trim_start_matches("key-")
                .to_string();
            assert_eq!(
                m.headers,
                vec![
                    ("index".to_string(), Some(index.into_bytes())),
                    ("null".to_string(), None)
                ]
            );
        }

        // kcat writes with the same codec into a fresh topic and reads
        // back both its own and confluent-kafka's messages.
        let ktopic = format!("kcat-{codec}");
        let lines: String = (0..300).map(|i| format!("k{i}:v{i}\n")).collect();
        let out = kcat_with_input(
            &[
                "-b",
                &cluster.bootstrap,
                "-P",
                "-t",
                &ktopic,
                "-K:",
                "-z",
                codec,
            ],
            lines.as_bytes(),
            T,
        );
        assert!(out.status.success(), "kcat -P: {out:?}");
        let out = kcat(
            &[
                "-b",
                &cluster.bootstrap,
                "-C",
                "-t",
                &ktopic,
                "-o",
                "beginning",
                "-e",
                "-q",
                "-f",
                "%k=%s\n",
            ],
            T,
        );
        let got: HashSet<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        let want: HashSet<String> = (0..300).map(|i| format!("k{i}=v{i}")).collect();
        assert_eq!(got, want);
        let out = kcat(
            &[
                "-b",
                &cluster.bootstrap,
                "-C",
                "-t",
                &topic,
                "-o",
                "beginning",
                "-e",
                "-q",
                "-f",
                "%k\n",
            ],
            T,
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 500);
    }
}

#[test]
fn two_member_consumer_group_with_commits() {
    let cluster = MockCluster::start_ours(3);
    cluster.create_topic("grouped", 4, 2);
    let opts = ProduceOpts {
        keys: true,
        compression: Some("lz4"),
        ..Default::default()
    };
    python_produce(&cluster.bootstrap, "grouped", 400, 64, &opts, T);

    // Both members ask for everything; each only gets its share and runs
    // into its timeout, so their output together must be the whole topic.
    let window = Duration::from_secs(20);
    let members: Vec<_> = (0..2)
        .map(|_| {
            let bootstrap = cluster.bootstrap.clone();
            std::thread::spawn(move || {
                let opts = ConsumeOpts {
                    group: Some("pair"),
                    conf: &[],
                };
                run_python_consume(&bootstrap, "grouped", 400, window, &opts).0
            })
        })
        .collect();
    let results: Vec<Vec<ConsumedMsg>> = members
        .into_iter()
        .map(|m| m.join().expect("consumer thread"))
        .collect();
    for (i, r) in results.iter().enumerate() {
        assert!(
            !r.is_empty() && r.len() < 400,
            "member {i} read {} messages: the group did not split the partitions",
            r.len()
        );
    }
    let partitions: Vec<HashSet<i32>> = results
        .iter()
        .map(|r| r.iter().map(|m| m.partition).collect())
        .collect();
    assert!(
        partitions[0].is_disjoint(&partitions[1]),
        "both members read the same partition: {partitions:?}"
    );
    let all: Vec<ConsumedMsg> = results.into_iter().flatten().collect();
    assert_all_once(&all, 400, 64);

    // The members committed on close: the group resumes after them.
    python_produce(&cluster.bootstrap, "grouped", 100, 64, &opts, T);
    let more = python_consume_group(&cluster.bootstrap, "grouped", 100, "pair", T);
    let mut keys: Vec<Vec<u8>> = more.into_iter().filter_map(|m| m.key).collect();
    keys.sort();
    let mut expected: Vec<Vec<u8>> = (0..100).map(expected_key).collect();
    expected.sort();
    assert_eq!(keys, expected, "the group re-read committed messages");
}

#[test]
fn our_producer_on_embedded_cluster() {
    // The bootstrap argument is ignored: the embedded cluster replaces it.
    for codec in CODECS {
        let (ok, out) = produce_verify(
            "placeholder:9092",
            "embedded",
            5000,
            &[
                "test.mock.num.brokers=3",
                &format!("compression.codec={codec}"),
            ],
        );
        assert!(ok && out.contains("delivered=5000 "), "{out}");
    }
}

#[test]
fn embedded_cluster_through_the_c_api() {
    let src = repo_root().join("tests/mock/handle.c");
    let exe = build_c("mock_handle", &[&src], Against::Ours, &[]);
    let done = run_with_timeout(&mut Command::new(exe), None, T);
    assert!(done.success(), "{}", done.describe());
    assert!(done.stdout_str().contains("all ok"), "{}", done.describe());
}

#[test]
fn broker_down_and_up_while_producing() {
    let cluster = MockCluster::start_ours(3);
    cluster.create_topic("flaky", 6, 3);
    let bootstrap = cluster.bootstrap.clone();
    let producer =
        std::thread::spawn(move || produce_verify(&bootstrap, "flaky", 20_000, &["linger.ms=20"]));
    cluster.must("down 2");
    std::thread::sleep(Duration::from_secs(3));
    cluster.must("up 2");
    let (ok, out) = producer.join().expect("producer thread");
    assert!(ok && out.contains("delivered=20000 "), "{out}");
    let msgs = python_consume(&cluster.bootstrap, "flaky", 20_000, T);
    assert_all_once(&msgs, 20_000, 100);
}

#[test]
fn pushed_produce_errors_reach_delivery_reports() {
    let cluster = MockCluster::start_ours(3);
    cluster.create_topic("retried", 3, 3);
    // Retriable errors: the producer retries and delivers everything once.
    cluster.must("errors 0 NOT_LEADER_FOR_PARTITION REQUEST_TIMED_OUT NOT_LEADER_FOR_PARTITION");
    cluster.must("broker-errors 1 0 REQUEST_TIMED_OUT 50 NOT_LEADER_FOR_PARTITION 0");
    let (ok, out) = produce_verify(&cluster.bootstrap, "retried", 2000, &[]);
    assert!(ok && out.contains("delivered=2000 "), "{out}");
    let msgs = python_consume(&cluster.bootstrap, "retried", 2000, T);
    assert_all_once(&msgs, 2000, 100);

    // A permanent error fails the messages of the request it hits.
    cluster.create_topic("denied", 1, 1);
    cluster.must("errors 0 TOPIC_AUTHORIZATION_FAILED");
    let (ok, out) = produce_verify(&cluster.bootstrap, "denied", 10, &["linger.ms=200"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("last_error=TOPIC_AUTHORIZATION_FAILED"),
        "{out}"
    );

    // A topic error set on the cluster is permanent until cleared.
    cluster.create_topic("broken", 1, 1);
    cluster.must("topic-error broken TOPIC_AUTHORIZATION_FAILED");
    let (ok, out) = produce_verify(
        &cluster.bootstrap,
        "broken",
        5,
        &["message.timeout.ms=5000"],
    );
    assert!(!ok && !out.contains("delivered=5 "), "{out}");
}

#[test]
fn rtt_above_request_timeout_times_requests_out() {
    let cluster = MockCluster::start_ours(1);
    cluster.create_topic("slow", 1, 1);
    // Metadata first, at full speed, so only produce requests are slow.
    let (ok, out) = produce_verify(&cluster.bootstrap, "slow", 10, &[]);
    assert!(ok, "{out}");
    cluster.must("rtt 1 3000");
    let (ok, out) = produce_verify(
        &cluster.bootstrap,
        "slow",
        10,
        &["request.timeout.ms=500", "message.timeout.ms=2000"],
    );
    assert!(!ok && out.contains("delivered=0 failed=10"), "{out}");
    assert!(out.contains("TIMED_OUT"), "{out}");
    cluster.must("rtt 1 0");
    let (ok, out) = produce_verify(&cluster.bootstrap, "slow", 10, &[]);
    assert!(ok, "{out}");
}

// ---- raw protocol ----------------------------------------------------

fn metadata_works(cluster: &ferrokafka::mock::MockCluster) {
    let mut s = connect(cluster);
    let req = MetadataRequest {
        topics: Some(vec!["raw".into()]),
        allow_auto_topic_creation: true,
        ..Default::default()
    };
    send(&mut s, &req, 9, 5);
    let (cid, resp) = recv::<MetadataRequest>(&mut s, 9);
    assert_eq!(cid, 5);
    assert_eq!(resp.topics[0].partitions.len(), 4);
}

#[test]
fn bad_requests_close_the_connection_or_get_an_error() {
    let cluster = ferrokafka::mock::MockCluster::new(1).expect("cluster");

    // Unknown API key: no way to answer, so the connection is closed.
    let mut s = connect(&cluster);
    s.write_all(&[0, 0, 0, 10, 0x03, 0xe7, 0, 0, 0, 0, 0, 1, 0xff, 0xff])
        .expect("send");
    assert!(closed(&mut s));

    // ApiVersions at an unknown version: a v0 answer naming what we speak.
    let mut s = connect(&cluster);
    s.write_all(&[0, 0, 0, 11, 0, 18, 0, 99, 0, 0, 0, 7, 0xff, 0xff, 0])
        .expect("send");
    let (cid, resp) = recv::<ApiVersionsRequest>(&mut s, 0);
    assert_eq!((cid, resp.error_code), (7, 35));
    assert!(resp.range_for(0).is_some());

    // Metadata at an unsupported version: closed.
    let mut s = connect(&cluster);
    s.write_all(&[0, 0, 0, 10, 0, 3, 0, 99, 0, 0, 0, 1, 0xff, 0xff])
        .expect("send");
    assert!(closed(&mut s));

    // A truncated frame followed by end of stream.
    let mut s = connect(&cluster);
    s.write_all(&[0, 0, 0, 100, 0, 18, 0, 0]).expect("send");
    s.shutdown(std::net::Shutdown::Write).expect("shutdown");
    assert!(closed(&mut s));

    // A garbage header, a negative size, and a body that does not decode.
    for frame in [
        &[0, 0, 0, 2, 0xde, 0xad][..],
        &[0xff, 0xff, 0xff, 0xf0, 1, 2, 3][..],
        &[0, 0, 0, 13, 0, 3, 0, 1, 0, 0, 0, 1, 0xff, 0xff, 0, 0, 0x7f][..],
    ] {
        let mut s = connect(&cluster);
        s.write_all(frame).expect("send");
        assert!(closed(&mut s), "{frame:?}");
    }

    // Versions withdrawn with set_apiversion are refused like unknown ones.
    cluster.set_apiversion(3, 0, 4).expect("set_apiversion");
    let mut s = connect(&cluster);
    send(&mut s, &ApiVersionsRequest::default(), 0, 1);
    let (_, resp) = recv::<ApiVersionsRequest>(&mut s, 0);
    assert_eq!(resp.range_for(3), Some((0, 4)));
    send(&mut s, &MetadataRequest::default(), 9, 2);
    assert!(closed(&mut s));
    cluster.set_apiversion(3, 0, 9).expect("set_apiversion");

    // Through all this the broker kept serving.
    metadata_works(&cluster);
}

fn produce_req(acks: i16, records: Bytes) -> ProduceRequest {
    ProduceRequest {
        transactional_id: None,
        acks,
        timeout_ms: 1000,
        topics: vec![ProduceTopic {
            name: "raw".into(),
            partitions: vec![ProducePartition {
                index: 0,
                records: Some(records),
            }],
        }],
    }
}

fn batch(pid: i64, seq: i32, n: usize) -> Bytes {
    let mut w = RecordBatchWriter::new(1_000);
    for i in 0..n {
        w.append(1_000 + i as i64, Some(b"k"), Some(b"v"), &[]);
    }
    w.finish(Compression::Gzip, None, pid, 0, seq, false)
        .expect("batch")
}

fn produce_result(s: &mut TcpStream, records: Bytes, cid: i32) -> (i16, i64) {
    send(s, &produce_req(-1, records), 8, cid);
    let (got, resp) = recv::<ProduceRequest>(s, 8);
    assert_eq!(got, cid);
    let p = &resp.topics[0].partitions[0];
    (p.error_code, p.base_offset)
}

#[test]
fn produce_validation_idempotence_and_acks_zero() {
    let cluster = ferrokafka::mock::MockCluster::new(1).expect("cluster");
    cluster.topic_create("raw", 1, 1).expect("topic");
    let mut s = connect(&cluster);

    // A flipped byte breaks the CRC: INVALID_MSG (Kafka's CORRUPT_MESSAGE).
    let mut bad = BytesMut::from(&batch(-1, -1, 2)[..]);
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert_eq!(produce_result(&mut s, bad.freeze(), 1).0, 2);

    // Idempotent sequences: in order, duplicate, gap. A duplicate of one of
    // the last five batches is acknowledged with its original offset and not
    // appended (as Kafka does): the log still ends at offset 5.
    assert_eq!(produce_result(&mut s, batch(9, 0, 3), 2), (0, 0));
    assert_eq!(produce_result(&mut s, batch(9, 3, 2), 3), (0, 3));
    assert_eq!(produce_result(&mut s, batch(9, 3, 2), 4), (0, 3));
    assert_eq!(produce_result(&mut s, batch(9, 9, 1), 5).0, 45);

    // acks=0: no response; the next response is the next request's.
    send(&mut s, &produce_req(0, batch(-1, -1, 1)), 8, 6);
    assert_eq!(produce_result(&mut s, batch(-1, -1, 1), 7), (0, 6));

    // Pushed errors hit whole requests, oldest first, then stop.
    cluster.push_request_errors(
        0,
        &[ferrokafka::error::ErrorCode::RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION],
    );
    assert_eq!(produce_result(&mut s, batch(-1, -1, 1), 8).0, 6);
    assert_eq!(produce_result(&mut s, batch(-1, -1, 1), 9), (0, 7));

    // Moving leadership away makes this broker refuse.
    let cluster3 = ferrokafka::mock::MockCluster::new(2).expect("cluster");
    cluster3.topic_create("raw", 1, 2).expect("topic");
    cluster3.partition_set_leader("raw", 0, 2).expect("leader");
    let mut s = connect(&cluster3);
    assert_eq!(produce_result(&mut s, batch(-1, -1, 1), 1).0, 6);

    // Fetch returns what was produced, ListOffsets the watermarks.
    let mut s = connect(&cluster);
    let fetch = FetchRequest {
        replica_id: -1,
        replica_epoch: -1,
        max_wait_ms: 100,
        min_bytes: 1,
        max_bytes: 1 << 20,
        isolation_level: 0,
        session_id: 0,
        session_epoch: -1,
        topics: vec![FetchTopic {
            topic: "raw".into(),
            partitions: vec![FetchPartition {
                partition: 0,
                fetch_offset: 4,
                ..Default::default()
            }],
            ..Default::default()
        }],
        forgotten_topics: vec![],
        rack_id: String::new(),
    };
    send(&mut s, &fetch, 11, 1);
    let (_, resp) = recv::<FetchRequest>(&mut s, 11);
    let p = &resp.topics[0].partitions[0];
    assert_eq!((p.error_code, p.high_watermark), (0, 8));
    let batches =
        ferrokafka::protocol::record_batch::decode_batches(p.records.as_ref().expect("records"))
            .expect("batches");
    assert_eq!(batches.first().map(|b| b.base_offset), Some(3));
    assert!(batches.iter().all(|b| b.verify_crc().is_ok()));
}

/// Topic ids (KIP-516) on the raw protocol: Metadata v10+ reports each
/// topic's id, the same on every answer; Fetch v16 names the topic by it
/// and reads what was produced; an id no topic has gets UNKNOWN_TOPIC_ID
/// (100) from Fetch v13 and, asked for by id, from Metadata v12 with a null
/// name.
#[test]
fn fetch_and_metadata_by_topic_id() {
    const UNKNOWN_TOPIC_ID: i16 = 100;
    let cluster = ferrokafka::mock::MockCluster::new(1).expect("cluster");
    cluster.topic_create("raw", 1, 1).expect("topic");
    let mut s = connect(&cluster);
    assert_eq!(produce_result(&mut s, batch(-1, -1, 3), 1), (0, 0));

    let by_name = MetadataRequest {
        topics: Some(vec!["raw".into()]),
        ..Default::default()
    };
    send(&mut s, &by_name, 12, 2);
    let (_, meta) = recv::<MetadataRequest>(&mut s, 12);
    let id = meta.topics[0].topic_id;
    assert_ne!(id, [0; 16]);
    send(&mut s, &by_name, 10, 3);
    assert_eq!(recv::<MetadataRequest>(&mut s, 10).1.topics[0].topic_id, id);

    let fetch = |topic_id| FetchRequest {
        max_wait_ms: 0,
        topics: vec![FetchTopic {
            topic_id,
            partitions: vec![FetchPartition {
                partition: 0,
                fetch_offset: 0,
                ..Default::default()
            }],
            ..Default::default()
        }],
        ..Default::default()
    };
    send(&mut s, &fetch(id), 16, 4);
    let (_, resp) = recv::<FetchRequest>(&mut s, 16);
    assert_eq!(resp.topics[0].topic_id, id);
    let p = &resp.topics[0].partitions[0];
    assert_eq!((p.error_code, p.high_watermark), (0, 3));
    let batches =
        ferrokafka::protocol::record_batch::decode_batches(p.records.as_ref().expect("records"))
            .expect("batches");
    assert_eq!(batches.first().map(|b| b.base_offset), Some(0));

    send(&mut s, &fetch([7; 16]), 13, 5);
    let (_, resp) = recv::<FetchRequest>(&mut s, 13);
    assert_eq!(resp.topics[0].topic_id, [7; 16]);
    assert_eq!(resp.topics[0].partitions[0].error_code, UNKNOWN_TOPIC_ID);

    let by_id = |topic_id| MetadataRequest {
        topics: Some(vec![MetadataRequestTopic {
            topic_id,
            name: String::new(),
        }]),
        ..Default::default()
    };
    send(&mut s, &by_id([7; 16]), 12, 6);
    let (_, meta) = recv::<MetadataRequest>(&mut s, 12);
    let t = &meta.topics[0];
    assert_eq!((t.error_code, t.name.as_str()), (UNKNOWN_TOPIC_ID, ""));
    send(&mut s, &by_id(id), 12, 7);
    let (_, meta) = recv::<MetadataRequest>(&mut s, 12);
    let t = &meta.topics[0];
    assert_eq!((t.error_code, t.name.as_str()), (0, "raw"));
}

/// confluent-kafka 2.16 speaks Fetch up to v16 and Metadata with topic
/// ids: its librdkafka negotiates those versions with our mock and must
/// read everything, which judges our mock's encoding of them. Its protocol
/// debug log shows the versions it sent.
#[test]
fn confluent_kafka_fetches_by_topic_id_from_our_mock() {
    let cluster = MockCluster::start_ours(1);
    cluster.create_topic("by-id", 2, 1);
    python_produce(
        &cluster.bootstrap,
        "by-id",
        300,
        100,
        &ProduceOpts {
            keys: true,
            ..Default::default()
        },
        T,
    );
    let opts = ConsumeOpts {
        conf: &["debug=protocol"],
        ..Default::default()
    };
    let (msgs, done) = run_python_consume(&cluster.bootstrap, "by-id", 300, T, &opts);
    assert_all_once(&msgs, 300, 100);
    let log = done.stderr_str();
    let sent_versions = |api: &str| -> Vec<i16> {
        let marker = format!("Sent {api}Request (v");
        log.match_indices(&marker)
            .filter_map(|(at, _)| {
                let rest = &log[at + marker.len()..];
                rest[..rest.find(',')?].parse().ok()
            })
            .collect()
    };
    let fetch = sent_versions("Fetch");
    assert!(
        !fetch.is_empty() && fetch.iter().all(|&v| v == 16),
        "Fetch versions sent: {fetch:?}"
    );
    let metadata = sent_versions("Metadata");
    assert!(
        metadata.iter().any(|&v| v >= 10),
        "Metadata versions sent: {metadata:?}"
    );
}
