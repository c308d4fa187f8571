//! Consumer under faults, on librdkafka's mock cluster: a partition leader
//! going away mid-fetch, a group coordinator that is unknown or down at
//! first; and the two consumer examples that are not covered elsewhere
//! (`offset_range.c`, `partition_queues.c`).

mod support;

use std::process::Command;
use std::time::Duration;
use support::*;

/// Starts consume_verify on its own thread so the test can break things
/// while it reads.
fn consume_in_background(
    bootstrap: &str,
    topic: &str,
    count: usize,
    group: &str,
    extra: &[&str],
) -> std::thread::JoinHandle<String> {
    let mut args: Vec<String> = vec![
        bootstrap.into(),
        topic.into(),
        count.to_string(),
        "20".into(),
        group.into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    std::thread::spawn(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        must_c("consume_verify", &args, Duration::from_secs(150))
    })
}

#[test]
fn a_partition_leader_going_down_mid_fetch_loses_nothing() {
    let cluster = MockCluster::start(3);
    // The coordinator stays up: this is about fetching.
    cluster.must("coordinator group down-group 1");
    cluster.create_topic("leader-down", 6, 3);
    for partition in 0..6 {
        cluster.must(&format!(
            "leader leader-down {partition} {}",
            partition % 3 + 1
        ));
    }
    produce_verify(&cluster.bootstrap, "leader-down", 6000, 20);
    let dump = scratch_dir("leader-down").join("read.txt");
    let dump_arg = format!("@dump={}", dump.display());
    let consumer = consume_in_background(
        &cluster.bootstrap,
        "leader-down",
        6000,
        "down-group",
        // A slow application, so the outage hits while partitions of
        // broker 2 still have data to fetch.
        &["@pace=800", dump_arg.as_str(), "session.timeout.ms=6000"],
    );
    wait_until(
        "the consumer reads a sixth of the messages",
        Duration::from_secs(60),
        || complete_lines(&dump).len() >= 1000,
    );
    cluster.must("down 2");
    let read_before_outage = complete_lines(&dump).len();
    assert!(
        read_before_outage < 5000,
        "{read_before_outage} read before broker 2 went down: too late to test the outage"
    );
    std::thread::sleep(Duration::from_secs(5));
    cluster.must("up 2");
    let out = consumer.join().expect("consumer thread");
    assert_eq!(summary_field(&out, "unique"), 6000, "{out}");
    assert_eq!(summary_field(&out, "bad"), 0, "{out}");
}

#[test]
fn coordinator_unavailable_then_down_at_start_still_joins() {
    let cluster = MockCluster::start(3);
    cluster.create_topic("no-coord", 3, 3);
    produce_verify(&cluster.bootstrap, "no-coord", 600, 20);
    // First the cluster has no coordinator to name, then the coordinator it
    // names is down for a while.
    cluster.must(
        "errors 10 COORDINATOR_NOT_AVAILABLE COORDINATOR_NOT_AVAILABLE COORDINATOR_NOT_AVAILABLE",
    );
    cluster.must("coordinator group coord-group 3");
    cluster.must("down 3");
    for partition in 0..3 {
        cluster.must(&format!("leader no-coord {partition} 1"));
    }
    let consumer = consume_in_background(
        &cluster.bootstrap,
        "no-coord",
        600,
        "coord-group",
        &["session.timeout.ms=6000"],
    );
    std::thread::sleep(Duration::from_secs(6));
    cluster.must("up 3");
    let out = consumer.join().expect("consumer thread");
    // The refused connections to broker 3 reach the application as
    // _TRANSPORT errors, as librdkafka reports them; they are not fatal.
    assert_eq!(summary_field(&out, "unique"), 600, "{out}");
    assert_eq!(summary_field(&out, "bad"), 0, "{out}");
}

/// Text lines through the producer example, so the readers can print them.
fn produce_lines(bootstrap: &str, topic: &str, lines: &[String]) {
    let input = lines.join("\n") + "\n";
    let done = run_c(
        "examples-c/producer.c",
        &[bootstrap, topic],
        Some(input.as_bytes()),
        Duration::from_secs(60),
    );
    assert!(
        done.success(),
        "producer example failed:\n{}",
        done.describe()
    );
}

#[test]
fn offset_range_example_reads_exactly_its_range() {
    let cluster = MockCluster::start(1);
    cluster.create_topic("range", 1, 1);
    let lines: Vec<String> = (0..100).map(|i| format!("line-{i}")).collect();
    produce_lines(&cluster.bootstrap, "range", &lines);
    let done = run_c(
        "examples-c/offset_range.c",
        &[&cluster.bootstrap, "range", "0", "40", "25"],
        None,
        Duration::from_secs(60),
    );
    assert!(done.success(), "offset_range failed:\n{}", done.describe());
    let got: Vec<String> = done.stdout_str().lines().map(str::to_string).collect();
    let want: Vec<String> = (40..65).map(|i| format!("{i}\tline-{i}")).collect();
    assert_eq!(got, want);

    // A range past the end of the partition stops at the end, and says so.
    let done = run_c(
        "examples-c/offset_range.c",
        &[&cluster.bootstrap, "range", "0", "90", "20"],
        None,
        Duration::from_secs(60),
    );
    assert!(
        !done.success(),
        "a short range must fail:\n{}",
        done.describe()
    );
    assert_eq!(done.stdout_str().lines().count(), 10, "{}", done.describe());
}

#[test]
fn partition_queues_example_reads_each_partition_on_its_own_thread() {
    let cluster = MockCluster::start(3);
    cluster.create_topic("per-partition", 4, 3);
    produce_verify(&cluster.bootstrap, "per-partition", 4000, 20);
    let done = run_c(
        "examples-c/partition_queues.c",
        &[&cluster.bootstrap, "pq-group", "per-partition", "12"],
        None,
        Duration::from_secs(60),
    );
    assert!(
        done.success(),
        "partition_queues failed:\n{}",
        done.describe()
    );
    let out = done.stdout_str();
    let per_partition: Vec<i64> = out
        .lines()
        .filter(|l| l.starts_with("partition "))
        .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(per_partition.len(), 4, "{out}");
    assert!(per_partition.iter().all(|&n| n > 0), "{out}");
    assert!(out.contains("total: 4000"), "{out}");
}

#[test]
fn consumer_example_prints_every_message_until_interrupted() {
    let cluster = MockCluster::start(1);
    cluster.create_topic("printed", 2, 1);
    let lines: Vec<String> = (0..50).map(|i| format!("hello-{i}")).collect();
    produce_lines(&cluster.bootstrap, "printed", &lines);

    let dir = scratch_dir("consumer-example");
    let (out_path, err_path) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = Command::new(c_program("examples-c/consumer.c"))
        .args([&cluster.bootstrap, "example-group", "printed"])
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("start consumer example");
    let printed = || {
        std::fs::read_to_string(&out_path)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with("Message on printed"))
            .count()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    while printed() < 50 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    // Ctrl-C: the example commits, closes and exits 0.
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if std::time::Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (out, err) = (
        std::fs::read_to_string(&out_path).unwrap_or_default(),
        std::fs::read_to_string(&err_path).unwrap_or_default(),
    );
    assert!(
        status.is_some_and(|s| s.success()),
        "consumer example did not exit cleanly on SIGINT ({status:?}):\n{out}\n{err}"
    );
    assert_eq!(printed(), 50, "{out}\n{err}");
    for line in &lines {
        assert!(out.contains(line.as_str()), "{line} not printed:\n{out}");
    }
    assert!(err.contains("Closing consumer"), "{err}");
}

/// consume_verify built against `against`, run on `args` (it must exit 0)
/// with a short session timeout: librdkafka's mock lets a group's next
/// member in only session.timeout.ms - 1 s after the previous one left
/// (44 s with the default), and these runs follow each other in one group.
fn consume_verify_with(against: Against, args: &[&str]) -> Finished {
    let exe = build_c(
        &format!("consume_verify-{}", against.tag()),
        &[&repo_root().join("tests/c/consume_verify.c")],
        against,
        &["-lpthread"],
    );
    let done = run_with_timeout(
        Command::new(exe).args(args).arg("session.timeout.ms=6000"),
        None,
        Duration::from_secs(120),
    );
    assert!(
        done.success(),
        "consume_verify against {against:?} failed:\n{}",
        done.describe()
    );
    done
}

/// A group member resolving its start position must not take a
/// partition-level OffsetFetch error for "no committed offset" (which
/// restarts it from auto.offset.reset=earliest, re-reading what the group
/// committed): a retriable error is asked again, any other is a consumer
/// error and the partition does not start. librdkafka's mock puts a pushed
/// OffsetFetch error on every partition and, from v2 on, on the whole
/// response too; limiting OffsetFetch to v1 leaves the partition's alone.
#[test]
fn partition_errors_of_the_committed_offset_lookup_are_not_ignored() {
    for against in [Against::Ours, Against::Librdkafka] {
        let cluster = MockCluster::start(1);
        let topic = "committed-errors";
        let group = format!("committed-errors-{}", against.tag());
        cluster.create_topic(topic, 1, 1);
        produce_verify(&cluster.bootstrap, topic, 10, 20);
        // The group reads offsets 0..4 and commits 5.
        let first = consume_verify_with(
            against,
            &[&cluster.bootstrap, topic, "10", "20", &group, "@max=5"],
        );
        assert_eq!(
            summary_field(&first.stdout_str(), "unique"),
            5,
            "{}",
            first.describe()
        );
        cluster.must("apiversion 9 1 1");

        // Retriable: the member asks again and starts at the committed 5.
        // librdkafka 2.0.2 retries only UNSTABLE_OFFSET_COMMIT in a
        // partition; a partition-level COORDINATOR_LOAD_IN_PROGRESS (how
        // OffsetFetch v0/v1 carry coordinator errors) becomes a consumer
        // error there and the partition never starts. We retry every
        // retriable error: a coordinator still loading is transient.
        cluster.must(match against {
            Against::Ours => "errors 9 UNSTABLE_OFFSET_COMMIT COORDINATOR_LOAD_IN_PROGRESS",
            Against::Librdkafka => "errors 9 UNSTABLE_OFFSET_COMMIT UNSTABLE_OFFSET_COMMIT",
        });
        let dump = scratch_dir("committed-errors").join(format!("{}.dump", against.tag()));
        let dump_arg = format!("@dump={}", dump.display());
        let second = consume_verify_with(
            against,
            &[
                &cluster.bootstrap,
                topic,
                "10",
                "20",
                &group,
                "@max=5",
                &dump_arg,
            ],
        );
        let offsets: Vec<i64> = std::fs::read_to_string(&dump)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split('\t').nth(2)?.parse().ok())
            .collect();
        assert_eq!(
            offsets,
            vec![5, 6, 7, 8, 9],
            "{against:?}\n{}",
            second.describe()
        );

        // Not retriable: a consumer error naming it, and nothing read (a
        // new group: without the error it would read from earliest).
        cluster.must("errors 9 GROUP_AUTHORIZATION_FAILED");
        let denied = format!("{group}-denied");
        let third = consume_verify_with(
            against,
            &[
                &cluster.bootstrap,
                topic,
                "10",
                "20",
                &denied,
                // Bounded; it ends 4 s after the expected error, time
                // enough for a partition that wrongly starts to be read.
                "@secs=30",
                "@after_error=4000",
                "@commit=none",
            ],
        );
        let out = third.stdout_str();
        assert_eq!(
            summary_field(&out, "consumed"),
            0,
            "{against:?}\n{}",
            third.describe()
        );
        assert!(
            third
                .stderr_str()
                .contains("consumer error: GROUP_AUTHORIZATION_FAILED"),
            "{against:?}: no consumer error for the partition\n{}",
            third.describe()
        );
    }
}
