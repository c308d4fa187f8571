//! Chaos (issue 13): an idempotent producer sends 200,000 keyed messages
//! to 6 partitions while a scripted sequence of well over 100 faults hits
//! the cluster, against librdkafka 2.0.2's mock cluster (through
//! `tests/peers/mock_cluster.c`) and against our own mock (the same
//! harness built against our library). confluent-kafka 2.16 reads every
//! partition back as the independent judge: each message whose delivery
//! report said success is there, where the report said; every message has
//! exactly one report; each partition is in produce order (first copies);
//! on our mock, which checks sequence numbers as Kafka does, nothing is
//! stored twice. librdkafka 2.0.2's mock checks sequence numbers only for
//! transactional producers, so there duplicates are printed, not judged
//! (see `chaos`); order holds there because, as librdkafka's, our
//! idempotent producer never has a later batch of a partition in flight
//! with one that may fail.
//!
//! The faults (`FaultScript`, from a fixed seed printed with the results):
//! brokers down and up, leader moves, connections closed while a Produce
//! is answered (`_TRANSPORT` pushed for one broker: librdkafka's mock
//! closes the connection on the request, ours appends and cuts the
//! response in half), `NOT_LEADER_FOR_PARTITION`, `REQUEST_TIMED_OUT`,
//! `NOT_ENOUGH_REPLICAS`, responses held past `request.timeout.ms` after
//! the append (the retry must not be stored twice), broker RTT, and on
//! our mock broker throttling (`throttle`: responses carry
//! `throttle_time_ms` and the connection is muted that long, as Kafka's
//! quotas do; librdkafka 2.0.2's mock cannot throttle, so there these
//! faults are skipped and counted as such). Last, once
//! everything was delivered, `OUT_OF_ORDER_SEQUENCE_NUMBER` once: on the
//! oldest batch it is fatal for an idempotent producer in librdkafka
//! 2.0.2 (as `tests/idempotence.rs` shows on both libraries), so the
//! messages produced after it fail, each with a report.
//!
//! The same script runs with idempotence off; its duplicates and
//! reorderings are printed, not asserted: they are what idempotence
//! prevents. `tests/c/chaos_producer.c` is the producer, built against our
//! library (checked by its `rd_kafka_version_str`).

mod support;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;
use support::*;

const SEED: u64 = 0x5eed_0013;
/// Throttling is drawn from its own generator, so the rest of the script
/// is the same as without it.
const THROTTLE_SEED: u64 = 0x7407_71e0;
const MESSAGES: usize = 200_000;
/// Messages between two fault steps: 133 steps.
const EVERY: usize = 1_500;
/// Messages produced after the final `OUT_OF_ORDER_SEQUENCE_NUMBER`.
const TAIL: usize = 1_000;
/// How long each fault step holds the producer before it goes on: the
/// faults play out while its messages are in flight.
const STEP_PAUSE: Duration = Duration::from_millis(100);
const PARTITIONS: i32 = 6;
const BROKERS: i32 = 3;
const VALUE_SIZE: usize = 32;
const REQUEST_TIMEOUT_MS: u64 = 1_000;
const RUN_TIMEOUT: Duration = Duration::from_secs(400);
const READ_TIMEOUT: Duration = Duration::from_secs(120);

/// The runs share two cores: one at a time.
static ONE_RUN_AT_A_TIME: Mutex<()> = Mutex::new(());

/// One fault step: its kind (for the tally) and the harness commands.
struct Step {
    kinds: Vec<&'static str>,
    commands: Vec<String>,
}

/// The scripted faults: `steps[n]` is injected at the producer's sync
/// point `fault-n`; `last` heals the cluster and pushes the one
/// `OUT_OF_ORDER_SEQUENCE_NUMBER`.
struct FaultScript {
    steps: Vec<Step>,
    last: Vec<String>,
}

impl FaultScript {
    fn new(seed: u64, step_count: usize, topic: &str) -> FaultScript {
        let mut rng = SeededRng::new(seed);
        let mut throttle_rng = SeededRng::new(seed ^ THROTTLE_SEED);
        let mut down: Option<(i32, usize)> = None;
        let mut slow: HashMap<i32, usize> = HashMap::new();
        let mut throttled: Option<(i32, usize)> = None;
        let mut steps = Vec::with_capacity(step_count);
        for n in 0..step_count {
            let mut step = Step {
                kinds: Vec::new(),
                commands: Vec::new(),
            };
            // Undo what is due first.
            if down.is_some_and(|(_, until)| until == n) {
                let (b, _) = down.take().expect("checked");
                step.commands.push(format!("up {b}"));
            }
            slow.retain(|b, until| {
                let due = *until == n;
                if due {
                    step.commands.push(format!("rtt {b} 0"));
                }
                !due
            });
            if throttled.is_some_and(|(_, until)| until == n) {
                let (b, _) = throttled.take().expect("checked");
                step.commands.push(format!("throttle {b} 0"));
            }
            let up_brokers: Vec<i32> = (1..=BROKERS)
                .filter(|b| down.map(|(d, _)| d) != Some(*b))
                .collect();
            let any_up =
                |rng: &mut SeededRng| up_brokers[rng.below(up_brokers.len() as u64) as usize];
            let partition = rng.below(PARTITIONS as u64);
            match rng.below(9) {
                0 if down.is_none() => {
                    let b = rng.between(1, BROKERS as u64) as i32;
                    step.kinds.push("broker_down");
                    step.commands.push(format!("down {b}"));
                    down = Some((b, n + rng.between(2, 4) as usize));
                }
                0 | 1 => {
                    step.kinds.push("leader_move");
                    let b = any_up(&mut rng);
                    step.commands
                        .push(format!("leader {topic} {partition} {b}"));
                }
                2 => {
                    step.kinds.push("connection_closed_mid_response");
                    let b = any_up(&mut rng);
                    step.commands
                        .push(format!("broker-errors {b} 0 _TRANSPORT 0"));
                }
                3 => {
                    step.kinds.push("NOT_LEADER_FOR_PARTITION");
                    step.commands
                        .push("errors 0 NOT_LEADER_FOR_PARTITION".to_string());
                }
                4 => {
                    step.kinds.push("REQUEST_TIMED_OUT");
                    step.commands.push("errors 0 REQUEST_TIMED_OUT".to_string());
                }
                5 => {
                    step.kinds.push("NOT_ENOUGH_REPLICAS");
                    step.commands
                        .push("errors 0 NOT_ENOUGH_REPLICAS NOT_ENOUGH_REPLICAS".to_string());
                }
                6 => {
                    step.kinds.push("response_after_request_timeout");
                    let b = any_up(&mut rng);
                    let late = REQUEST_TIMEOUT_MS + rng.between(200, 600);
                    step.commands
                        .push(format!("broker-errors {b} 0 NO_ERROR {late}"));
                }
                7 => {
                    step.kinds.push("rtt");
                    let b = any_up(&mut rng);
                    step.commands
                        .push(format!("rtt {b} {}", rng.between(50, 400)));
                    slow.insert(b, n + rng.between(1, 3) as usize);
                }
                _ => {
                    // Two at once: a leader moves while requests fail.
                    step.kinds.push("leader_move");
                    step.kinds.push("NOT_LEADER_FOR_PARTITION");
                    let b = any_up(&mut rng);
                    step.commands
                        .push(format!("leader {topic} {partition} {b}"));
                    step.commands
                        .push("errors 0 NOT_LEADER_FOR_PARTITION".to_string());
                }
            }
            // About one step in twelve also throttles a broker for 1-2
            // steps, short enough for the requests queued behind each mute
            // to stay within request.timeout.ms.
            if throttled.is_none() && throttle_rng.below(12) == 0 {
                let b = any_up(&mut throttle_rng);
                step.kinds.push("throttle");
                step.commands
                    .push(format!("throttle {b} {}", throttle_rng.between(20, 100)));
                throttled = Some((b, n + throttle_rng.between(1, 2) as usize));
            }
            steps.push(step);
        }
        // The producer flushes after the last step: nothing may stay down.
        if let Some(step) = steps.last_mut() {
            if let Some((b, _)) = down {
                step.commands.push(format!("up {b}"));
            }
            if let Some((b, _)) = throttled {
                step.commands.push(format!("throttle {b} 0"));
            }
            step.commands
                .extend(slow.keys().map(|b| format!("rtt {b} 0")));
        }
        // Errors pushed for requests that never came are dropped first, so
        // the next request gets this one.
        let last = vec![
            "clear-errors 0".to_string(),
            "errors 0 OUT_OF_ORDER_SEQUENCE_NUMBER".to_string(),
        ];
        FaultScript { steps, last }
    }

    /// Injected faults (not counting the commands that undo them).
    fn fault_count(&self) -> usize {
        self.steps.iter().map(|s| s.kinds.len()).sum::<usize>() + 1
    }

    fn kinds(&self) -> BTreeMap<&'static str, usize> {
        let mut kinds = BTreeMap::new();
        for k in self.steps.iter().flat_map(|s| &s.kinds) {
            *kinds.entry(*k).or_default() += 1;
        }
        *kinds.entry("OUT_OF_ORDER_SEQUENCE_NUMBER").or_default() += 1;
        kinds
    }
}

/// The producer's library: ours; `FERROKAFKA_CHAOS_PRODUCER=librdkafka`
/// runs the same script with Debian's librdkafka as the producer, the
/// baseline for what a mock does to a producer that behaves as
/// librdkafka's.
fn producer_library() -> Against {
    match std::env::var("FERROKAFKA_CHAOS_PRODUCER").as_deref() {
        Ok("librdkafka") => Against::Librdkafka,
        _ => Against::Ours,
    }
}

/// One line of the producer's reports file.
struct Report {
    partition: i32,
    offset: i64,
    err: String,
    count: u32,
}

#[derive(Default, Debug)]
struct Tally {
    produced: usize,
    delivered_ok: usize,
    failed: BTreeMap<String, usize>,
    found: usize,
    /// Copies beyond the first of a message in the log.
    duplicates: usize,
    /// Messages first stored after a later-produced message of their
    /// partition.
    reorders: usize,
    /// Reported delivered but not in the log where the report said.
    lost: usize,
    /// Reported failed, yet in the log (a failure is not a promise that
    /// nothing was written: a purged in-flight request may have been).
    failed_but_found: usize,
    /// Messages without exactly one report.
    unreported: usize,
    bad_values: usize,
}

struct Run {
    summary: String,
    tally: Tally,
}

fn reports(path: &Path) -> Vec<Report> {
    let text = std::fs::read_to_string(path).expect("reports file");
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let f: Vec<&str> = line.split(' ').collect();
            assert_eq!(f.len(), 5, "bad report line {line:?}");
            assert_eq!(f[0].parse::<usize>().ok(), Some(i), "{line:?}");
            Report {
                partition: f[1].parse().expect("partition"),
                offset: f[2].parse().expect("offset"),
                err: f[3].to_string(),
                count: f[4].parse().expect("count"),
            }
        })
        .collect()
}

fn tally(reports: &[Report], stored: &[(i32, i64, i64, bool)]) -> Tally {
    let mut t = Tally {
        produced: reports.len(),
        ..Default::default()
    };
    for r in reports {
        if r.count != 1 {
            t.unreported += 1;
        } else if r.err == "NO_ERROR" {
            t.delivered_ok += 1;
        } else {
            *t.failed.entry(r.err.clone()).or_default() += 1;
        }
    }
    let mut copies: HashMap<usize, Vec<(i32, i64)>> = HashMap::new();
    let mut newest: HashMap<i32, i64> = HashMap::new();
    for &(partition, offset, index, value_ok) in stored {
        t.found += 1;
        if !value_ok || index < 0 || index as usize >= reports.len() {
            t.bad_values += 1;
            continue;
        }
        let first_copy = !copies.contains_key(&(index as usize));
        copies
            .entry(index as usize)
            .or_default()
            .push((partition, offset));
        // Order is judged on first copies, so a duplicate (counted above)
        // does not count again as a reordering.
        let newest = newest.entry(partition).or_insert(-1);
        if first_copy && index < *newest {
            t.reorders += 1;
        }
        *newest = (*newest).max(index);
    }
    t.duplicates = copies.values().map(|c| c.len() - 1).sum();
    for (i, r) in reports.iter().enumerate() {
        let here = copies.get(&i);
        if r.count == 1 && r.err == "NO_ERROR" {
            if !here.is_some_and(|c| c.contains(&(r.partition, r.offset))) {
                t.lost += 1;
            }
        } else if here.is_some() {
            t.failed_but_found += 1;
        }
    }
    t
}

/// One producer run under the whole script against `cluster`.
fn run(cluster: &MockCluster, mock: &str, idempotent: bool) -> Run {
    let topic = format!("chaos-{}", if idempotent { "idempotent" } else { "plain" });
    cluster.create_topic(&topic, PARTITIONS, BROKERS);
    let script = FaultScript::new(SEED, MESSAGES.div_ceil(EVERY) - 1, &topic);
    let dir = scratch_dir(&format!("chaos-{mock}-{topic}"));
    let reports_file = dir.join("reports");
    let program = build_c(
        "chaos_producer",
        &[&repo_root().join("tests/c/chaos_producer.c")],
        producer_library(),
        &[],
    );
    let mut cmd = std::process::Command::new(program);
    cmd.arg(&cluster.bootstrap)
        .arg(&topic)
        .args([MESSAGES, EVERY, TAIL].map(|n| n.to_string()))
        .arg(&reports_file)
        .arg(format!("enable.idempotence={idempotent}"))
        .arg("linger.ms=5")
        .arg(format!("request.timeout.ms={REQUEST_TIMEOUT_MS}"));
    let mut driven = Driven::spawn(&format!("chaos-{mock}-{topic}"), &mut cmd);
    let mut throttles_skipped = 0;
    for (n, step) in script.steps.iter().enumerate() {
        driven.until_sync(&format!("fault-{n}"), RUN_TIMEOUT);
        for c in &step.commands {
            // librdkafka 2.0.2's mock cannot throttle (the harness says
            // "not supported"): that fault is skipped there.
            match cluster.command(c) {
                Err(reason)
                    if c.starts_with("throttle ") && reason.starts_with("not supported") =>
                {
                    throttles_skipped += 1;
                }
                Err(reason) => panic!("mock cluster rejected {c:?}: {reason}"),
                Ok(()) => {}
            }
        }
        std::thread::sleep(STEP_PAUSE);
        driven.resume();
    }
    driven.until_sync("last0", RUN_TIMEOUT);
    for c in &script.last {
        cluster.must(c);
    }
    driven.resume();
    let end = driven.finish(RUN_TIMEOUT);
    assert!(
        end.success() && end.lines("destroyed").len() == 1,
        "chaos_producer failed\n{}",
        end.describe()
    );
    assert_eq!(
        end.line("version ").contains("ferrokafka"),
        producer_library() == Against::Ours,
        "not the library intended: {}",
        end.line("version ")
    );
    let summary = end.line("summary ").to_string();
    assert_eq!(
        field(&summary, "faults"),
        Some(&*script.steps.len().to_string())
    );
    let reports = reports(&reports_file);
    let tally = tally(
        &reports,
        &read_all_records(&cluster.bootstrap, &topic, VALUE_SIZE, READ_TIMEOUT),
    );
    println!(
        "chaos against {mock}'s mock, idempotence {}: seed {SEED:#x}, {} faults {:?}\n  \
         throttle commands skipped (this mock cannot throttle): {throttles_skipped}, \
         throttle_cb calls: {}\n  \
         producer: {summary}\n  tally: {tally:?}",
        if idempotent { "on" } else { "off" },
        script.fault_count(),
        script.kinds(),
        field(&summary, "throttles").unwrap_or("?"),
    );
    if throttles_skipped == 0 && script.kinds().contains_key("throttle") {
        // Throttled brokers were in the script and applied: the producer
        // must have been told.
        assert_ne!(field(&summary, "throttles"), Some("0"), "{summary}");
    }
    Run { summary, tally }
}

/// `validates_sequences`: whether the mock checks an idempotent
/// (non-transactional) producer's sequence numbers as Kafka does. Ours
/// does: it is the judge of duplicates and order, and of the fatal gap.
/// librdkafka 2.0.2's mock checks them only for transactional producers:
/// it appends a retried batch again, appends a batch behind a gap, and
/// librdkafka's own producer leaves thousands of duplicates there under
/// this script (`FERROKAFKA_CHAOS_PRODUCER=librdkafka`). There it judges
/// what it can: nothing lost, one report per message, each delivered
/// message at its reported offset, produce order; duplicates are printed.
fn chaos(cluster: &MockCluster, mock: &str, validates_sequences: bool) {
    let _one = ONE_RUN_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let script = FaultScript::new(SEED, MESSAGES.div_ceil(EVERY) - 1, "t");
    assert!(script.fault_count() >= 100, "{}", script.fault_count());

    let Run { summary, tally: t } = run(cluster, mock, true);
    assert!(t.produced >= MESSAGES, "{summary}");
    assert_eq!(field(&summary, "extra_reports"), Some("0"), "{summary}");
    assert_eq!(field(&summary, "stray_reports"), Some("0"), "{summary}");
    assert_eq!(
        t.unreported, 0,
        "messages without exactly one report: {t:?}"
    );
    assert_eq!(t.bad_values, 0, "{t:?}");
    assert_eq!(t.lost, 0, "reported delivered, not found: {t:?}");
    // Everything before the last fault was delivered.
    assert!(t.delivered_ok >= MESSAGES, "{t:?}");
    // In produce order on both mocks: on librdkafka's, which does not
    // check sequences, because a batch of 5 or more messages is alone in
    // flight for its partition, as in librdkafka 2.0.2 (`sink.rs`).
    assert_eq!(t.reorders, 0, "{t:?}");
    if validates_sequences {
        assert_eq!(t.duplicates, 0, "{t:?}");
        // The gap reported for the oldest batch is fatal, as in librdkafka.
        assert_eq!(
            field(&summary, "fatal"),
            Some("OUT_OF_ORDER_SEQUENCE_NUMBER"),
            "{summary}"
        );
    }

    // Idempotence off: the same faults; what it stores is only counted.
    let Run { summary, tally: t } = run(cluster, mock, false);
    assert_eq!(t.unreported, 0, "{summary}\n{t:?}");
    assert_eq!(t.bad_values, 0, "{t:?}");
}

#[test]
fn chaos_against_librdkafkas_mock_cluster() {
    chaos(&MockCluster::start(BROKERS as usize), "librdkafka", false);
}

#[test]
fn chaos_against_our_mock_cluster() {
    chaos(
        &MockCluster::start_ours(BROKERS as usize),
        "ferrokafka",
        true,
    );
}
