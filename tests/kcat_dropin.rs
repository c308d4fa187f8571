//! Debian's kcat, unchanged, on our library (`LD_LIBRARY_PATH` pointing at
//! our `librdkafka.so.1`), against librdkafka's mock cluster and our
//! embedded one. The reference for every output is the same kcat on
//! Debian's librdkafka, on the same data.

mod support;

use std::collections::HashSet;
use std::process::Output;
use std::time::Duration;
use support::*;

const T: Duration = Duration::from_secs(90);
const CODECS: [&str; 5] = ["none", "gzip", "snappy", "lz4", "zstd"];
const PER_CODEC: usize = 6;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn must(on: Against, args: &[&str], input: &[u8]) -> String {
    let out = kcat_on(on, args, input, T);
    assert!(
        out.status.success(),
        "kcat {args:?} on {on:?} failed:\nstdout: {}\nstderr: {}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

/// The library kcat runs on, as `kcat -V` names it.
fn library(on: Against) -> String {
    let version = must(on, &["-V"], b"");
    version
        .lines()
        .find(|l| l.contains("librdkafka"))
        .unwrap_or_else(|| panic!("kcat -V names no librdkafka: {version}"))
        .to_string()
}

#[test]
fn kcat_runs_on_our_library() {
    assert!(
        library(Against::Ours).contains("ferrokafka"),
        "{}",
        library(Against::Ours)
    );
    assert!(!library(Against::Librdkafka).contains("ferrokafka"));
}

/// Produces PER_CODEC keyed messages with two headers per codec through
/// kcat on our library, alternating the two partitions.
fn produce_with_every_codec(bootstrap: &str, topic: &str) {
    for (i, codec) in CODECS.iter().enumerate() {
        let lines: String = (0..PER_CODEC)
            .map(|n| format!("key-{codec}-{n}:value {n} of {codec}\n"))
            .collect();
        let partition = (i % 2).to_string();
        let codec_header = format!("codec={codec}");
        must(
            Against::Ours,
            &[
                "-b",
                bootstrap,
                "-P",
                "-t",
                topic,
                "-p",
                &partition,
                "-K",
                ":",
                "-H",
                "src=kcat",
                "-H",
                &codec_header,
                "-z",
                codec,
            ],
            lines.as_bytes(),
        );
    }
}

/// `kcat -C` from `offset` to the end of every partition, one line per
/// message with everything `-f` can show, sorted (partitions interleave).
fn consume(on: Against, bootstrap: &str, topic: &str, offset: &str) -> Vec<String> {
    let out = must(
        on,
        &[
            "-b",
            bootstrap,
            "-C",
            "-t",
            topic,
            "-o",
            offset,
            "-e",
            "-f",
            "p=%p o=%o k=%k (%K) v=%s (%S) h=%h ts=%T\n",
        ],
        b"",
    );
    let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

fn produce_and_consume(cluster: &MockCluster) {
    let topic = "kcat-codecs";
    cluster.create_topic(topic, 2, 1);
    produce_with_every_codec(&cluster.bootstrap, topic);
    let all = consume(Against::Librdkafka, &cluster.bootstrap, topic, "beginning");
    assert_eq!(all.len(), CODECS.len() * PER_CODEC, "{all:#?}");
    for codec in CODECS {
        for n in 0..PER_CODEC {
            let expected = format!("k=key-{codec}-{n} ");
            let line = all
                .iter()
                .find(|l| l.contains(&expected))
                .unwrap_or_else(|| panic!("{expected} missing: {all:#?}"));
            assert!(line.contains(&format!("v=value {n} of {codec} ")), "{line}");
            assert!(
                line.contains(&format!("h=src=kcat,codec={codec} ")),
                "{line}"
            );
            assert!(
                !line.ends_with("ts=-1") && !line.ends_with("ts=0"),
                "{line}"
            );
        }
    }
    for offset in ["beginning", "end", "-2", "-7", "3"] {
        assert_eq!(
            consume(Against::Ours, &cluster.bootstrap, topic, offset),
            consume(Against::Librdkafka, &cluster.bootstrap, topic, offset),
            "kcat -C -o {offset}: ours (left) and librdkafka's (right) differ"
        );
    }
}

#[test]
fn produce_and_consume_on_librdkafkas_mock_cluster() {
    produce_and_consume(&MockCluster::start(3));
}

#[test]
fn produce_and_consume_on_our_mock_cluster() {
    produce_and_consume(&MockCluster::start_ours(3));
}

/// `kcat -G` until the end of every partition: the (partition, offset) of
/// each message read, which must not repeat.
fn group_read(on: Against, bootstrap: &str, topic: &str, group: &str) -> HashSet<String> {
    let out = must(
        on,
        &[
            "-b",
            bootstrap,
            "-G",
            group,
            "-o",
            "beginning",
            "-e",
            "-f",
            "%p:%o\n",
            topic,
        ],
        b"",
    );
    let lines: Vec<&str> = out.lines().collect();
    let unique: HashSet<String> = lines.iter().map(|l| l.to_string()).collect();
    assert_eq!(
        unique.len(),
        lines.len(),
        "kcat -G read a message twice: {out}"
    );
    unique
}

/// Group mode: every run of a new group reads everything once and exits
/// (issue 10's busy loop made this hang in 8 of 9 runs); a rerun of a
/// group reads what librdkafka's rerun reads.
fn group_mode(cluster: &MockCluster) {
    let topic = "kcat-group";
    cluster.create_topic(topic, 3, 1);
    let lines: String = (0..30).map(|n| format!("message {n}\n")).collect();
    must(
        Against::Librdkafka,
        &["-b", &cluster.bootstrap, "-P", "-t", topic],
        lines.as_bytes(),
    );
    for run in 0..5 {
        let read = group_read(Against::Ours, &cluster.bootstrap, topic, &format!("g{run}"));
        assert_eq!(read.len(), 30, "run {run}: {read:?}");
    }
    let reference = group_read(Against::Librdkafka, &cluster.bootstrap, topic, "g-ref");
    assert_eq!(reference.len(), 30);
    assert_eq!(
        group_read(Against::Ours, &cluster.bootstrap, topic, "g0"),
        group_read(Against::Librdkafka, &cluster.bootstrap, topic, "g-ref"),
        "a rerun of a group that read everything"
    );
}

#[test]
fn group_mode_on_librdkafkas_mock_cluster() {
    group_mode(&MockCluster::start(3));
}

#[test]
fn group_mode_on_our_mock_cluster() {
    group_mode(&MockCluster::start_ours(3));
}

/// `-L -J`: the same brokers, controller, topics, partitions, leaders,
/// replicas and ISRs, under the same keys; the originating broker is a
/// listed one, named as librdkafka names it.
fn metadata_listing(cluster: &MockCluster) {
    cluster.create_topic("kcat-listed", 3, 2);
    let json = |on| -> serde_json::Value {
        let out = must(
            on,
            &["-b", &cluster.bootstrap, "-L", "-J", "-t", "kcat-listed"],
            b"",
        );
        serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{on:?}: {e}: {out}"))
    };
    let (ours, reference) = (json(Against::Ours), json(Against::Librdkafka));
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object().expect("an object").keys().cloned().collect()
    };
    assert_eq!(keys(&ours), keys(&reference));
    for field in ["brokers", "topics", "query", "controllerid"] {
        assert_eq!(ours[field], reference[field], "-L -J {field}");
    }
    // Which broker answered may differ between runs, but on both it is a
    // listed broker, by id and by "host:port/id" name (the bootstrap
    // connection adopts the id it has in the response, as librdkafka's).
    for side in [&ours, &reference] {
        let origin = &side["originating_broker"];
        let id = origin["id"].as_i64().unwrap_or(-1);
        let listed = side["brokers"]
            .as_array()
            .expect("brokers")
            .iter()
            .find(|b| b["id"].as_i64() == Some(id))
            .unwrap_or_else(|| panic!("originating broker {id} is not listed: {side}"));
        let name = format!("{}/{id}", listed["name"].as_str().expect("a broker name"));
        assert_eq!(origin["name"].as_str(), Some(name.as_str()), "{side}");
    }
    // The text listing: the same lines apart from the header naming the
    // answering broker and the controller mark.
    let text = |on| -> Vec<String> {
        must(
            on,
            &["-b", &cluster.bootstrap, "-L", "-t", "kcat-listed"],
            b"",
        )
        .lines()
        .filter(|l| !l.starts_with("Metadata for"))
        .map(|l| l.replace(" (controller)", ""))
        .collect()
    };
    assert_eq!(text(Against::Ours), text(Against::Librdkafka));
}

#[test]
fn metadata_listing_on_librdkafkas_mock_cluster() {
    metadata_listing(&MockCluster::start(3));
}

#[test]
fn metadata_listing_on_our_mock_cluster() {
    metadata_listing(&MockCluster::start_ours(3));
}

/// `-C -o s@TIMESTAMP` and `-Q` look offsets up by time (on our mock
/// only: librdkafka 2.0.2's mock cluster cannot). produce_verify gives
/// message i of partition 0 the timestamp 1700000000000 + i.
#[test]
fn offsets_by_time_on_our_mock_cluster() {
    let cluster = MockCluster::start_ours(3);
    cluster.create_topic("kcat-times", 1, 1);
    produce_verify(&cluster.bootstrap, "kcat-times", 40, 10);
    let from_time = |on| {
        must(
            on,
            &[
                "-b",
                &cluster.bootstrap,
                "-C",
                "-t",
                "kcat-times",
                "-o",
                "s@1700000000025",
                "-e",
                "-f",
                "%o %T\n",
            ],
            b"",
        )
    };
    let ours = from_time(Against::Ours);
    assert_eq!(ours.lines().count(), 15, "{ours}");
    assert!(ours.starts_with("25 1700000000025\n"), "{ours}");
    assert_eq!(ours, from_time(Against::Librdkafka));
    let query = |on| {
        must(
            on,
            &[
                "-b",
                &cluster.bootstrap,
                "-Q",
                "-t",
                "kcat-times:0:1700000000030",
            ],
            b"",
        )
    };
    let ours = query(Against::Ours);
    assert!(ours.contains("kcat-times [0] offset 30"), "{ours}");
    assert_eq!(ours, query(Against::Librdkafka));
}
