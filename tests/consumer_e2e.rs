//! Consumer end to end against real brokers: messages produced by our
//! producer (and by confluent-kafka) are consumed by our consumer through the
//! C API, in a group and by manual assignment, with commits; a restarted
//! member continues from the committed offsets.

mod support;

use std::time::Duration;
use support::*;

fn consume(
    bootstrap: &str,
    topic: &str,
    count: usize,
    size: usize,
    group: &str,
    props: &[&str],
) -> String {
    let mut args = vec![bootstrap, topic];
    let (c, s) = (count.to_string(), size.to_string());
    args.extend([c.as_str(), s.as_str(), group]);
    args.extend(props);
    must_c("consume_verify", &args, Duration::from_secs(180))
}

#[test]
fn group_consume_and_resume_from_commit_on_mock_cluster() {
    let cluster = MockCluster::start(3);
    cluster.create_topic("cons", 4, 3);
    produce_verify(&cluster.bootstrap, "cons", 2000, 50);
    // First member reads 500 and commits; a restarted member reads the rest.
    let first = consume(
        &cluster.bootstrap,
        "cons",
        2000,
        50,
        "g1",
        &["@max=500", "enable.auto.commit=false"],
    );
    assert!(summary_field(&first, "consumed") >= 500, "{first}");
    let second = consume(
        &cluster.bootstrap,
        "cons",
        2000,
        50,
        "g1",
        &["enable.auto.commit=false", "@max=1500"],
    );
    let total = summary_field(&first, "consumed") + summary_field(&second, "consumed");
    assert_eq!(total, 2000, "first: {first}\nsecond: {second}");
    assert_eq!(summary_field(&second, "duplicates"), 0, "{second}");
}

/// Close with auto-commit commits what the application consumed, not the
/// messages still prefetched in the consumer queue that close drops: a
/// second member resumes right after the first one's last message.
#[test]
fn close_commits_only_what_the_application_consumed() {
    let cluster = MockCluster::start(1);
    cluster.create_topic("closing", 1, 1);
    produce_verify(&cluster.bootstrap, "closing", 3000, 50);
    // Slow enough (2 ms a message) that the whole topic is prefetched
    // while the application has read only 100.
    let first = consume(
        &cluster.bootstrap,
        "closing",
        3000,
        50,
        "close-group",
        // librdkafka's mock waits session.timeout.ms - 1 s after a member
        // leaves before it lets the next one in.
        &[
            "@max=100",
            "@pace=2000",
            "@commit=none",
            "session.timeout.ms=6000",
        ],
    );
    assert_eq!(summary_field(&first, "unique"), 100, "{first}");
    let second = consume(
        &cluster.bootstrap,
        "closing",
        3000,
        50,
        "close-group",
        &["@idle=5", "@commit=none", "session.timeout.ms=6000"],
    );
    assert_eq!(
        summary_field(&second, "unique"),
        2900,
        "the first member's close committed messages it never returned:\nfirst: {first}\nsecond: {second}"
    );
}

#[test]
fn manual_assignment_reads_everything_on_mock_cluster() {
    let cluster = MockCluster::start(3);
    cluster.create_topic("assigned", 3, 3);
    produce_verify(&cluster.bootstrap, "assigned", 3000, 100);
    let out = consume(
        &cluster.bootstrap,
        "assigned",
        3000,
        100,
        "-",
        &["@commit=none"],
    );
    assert_eq!(summary_field(&out, "unique"), 3000, "{out}");
}

#[test]
fn group_consumes_100k_lz4_messages_from_librdkafka_on_tansu() {
    let tansu = Tansu::start();
    tansu.create_topic("tansu-cons", 3);
    let opts = ProduceOpts {
        compression: Some("lz4"),
        keys: true,
        headers: false,
        partition: None,
        conf: &[],
    };
    python_produce(
        &tansu.bootstrap,
        "tansu-cons",
        5000,
        64,
        &opts,
        Duration::from_secs(120),
    );
    let out = consume(
        &tansu.bootstrap,
        "tansu-cons",
        5000,
        64,
        "tg",
        &["session.timeout.ms=6000"],
    );
    assert_eq!(summary_field(&out, "unique"), 5000, "{out}");
    assert_eq!(summary_field(&out, "bad"), 0, "{out}");
}
