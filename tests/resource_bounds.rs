//! Memory and threads stay bounded by configuration when a broker
//! misbehaves (issue 10, "resource bounds as tests"): measured from
//! /proc of the C test program while a hostile broker
//! (tests/support/hostile.rs) stops reading or floods it. Each scenario
//! also runs against Debian's librdkafka, so each bound is one librdkafka
//! itself meets.

mod support;

use std::process::Command;
use std::time::Duration;
use support::*;

const SYNC_TIMEOUT: Duration = Duration::from_secs(60);
const RUN_TIMEOUT: Duration = Duration::from_secs(60);
const MB: u64 = 1 << 20;

/// Room for what no property bounds: allocator slack, per-message
/// bookkeeping, library code pages touched late.
const SLACK: u64 = 8 * MB;

fn tag(against: Against) -> &'static str {
    match against {
        Against::Ours => "ours",
        Against::Librdkafka => "rdk",
    }
}

/// What /proc/PID/status says about a process.
#[derive(Debug, Clone, Copy)]
struct ProcStatus {
    rss: u64,
    peak_rss: u64,
    threads: u64,
}

fn proc_status(pid: u32) -> ProcStatus {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|e| panic!("cannot read /proc/{pid}/status: {e}"));
    let value = |key: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no {key} in /proc/{pid}/status"))
    };
    ProcStatus {
        rss: value("VmRSS:") * 1024,
        peak_rss: value("VmHWM:") * 1024,
        threads: value("Threads:"),
    }
}

const TOPIC: &str = "bounded";

/// A broker that answers ApiVersions and Metadata (itself as node 1,
/// leader of `TOPIC`'s one partition) and stops reading a connection at its
/// first Produce request, holding it open.
fn broker_that_stops_reading() -> HostileBroker {
    HostileBroker::start(|mut conn: HostileConn| {
        while let Some(request) = conn.read_request() {
            match request.api_key {
                api::API_VERSIONS => conn.answer_api_versions(
                    &request,
                    &[
                        (api::API_VERSIONS, 0, 0),
                        (api::METADATA, 0, 0),
                        (api::PRODUCE, 3, 3),
                    ],
                ),
                api::METADATA => {
                    let body = metadata_v0_body(conn.addr, 1, TOPIC, 1);
                    conn.respond(request.correlation_id, &body);
                }
                api::PRODUCE => return conn.stall(),
                _ => {}
            }
        }
    })
}

/// A producer whose broker stops reading keeps at most
/// queue.buffering.max.kbytes of messages plus what its in-flight requests
/// hold (max.in.flight requests of at most message.max.bytes), and starts
/// no thread for it, however much the application tries to produce.
fn producer_against_a_broker_that_stops_reading(against: Against) {
    let server = broker_that_stops_reading();
    let (queue_kbytes, in_flight, request_max) = (16 * 1024u64, 5u64, MB);
    let mut cmd = Command::new(producer_steps(against));
    cmd.arg(server.bootstrap()).arg(TOPIC).args([
        format!("conf:queue.buffering.max.kbytes={queue_kbytes}"),
        "conf:queue.buffering.max.messages=1000000".to_string(),
        format!("conf:max.in.flight={in_flight}"),
        format!("conf:message.max.bytes={request_max}"),
        "conf:message.timeout.ms=120000".to_string(),
        "size:10000".to_string(),
        // Metadata, the leader's connection, the first (swallowed) request.
        "produce:10".to_string(),
        "poll:1000".to_string(),
        "sync:warm".to_string(),
        // 200 MB offered in two rounds; each stops at the first refusal.
        "try:10000".to_string(),
        "poll:2000".to_string(),
        "try:10000".to_string(),
        "sync:full".to_string(),
        "purge:qi".to_string(),
    ]);
    let mut run = Driven::spawn(&format!("stalled-producer-{}", tag(against)), &mut cmd);
    run.until_sync("warm", SYNC_TIMEOUT);
    let warm = proc_status(run.pid());
    run.resume();
    run.until_sync("full", SYNC_TIMEOUT);
    let full = proc_status(run.pid());
    run.resume();
    let end = run.finish(RUN_TIMEOUT);
    drop(server);

    let grown = full.peak_rss.saturating_sub(warm.rss);
    let allowed = queue_kbytes * 1024 + in_flight * request_max + SLACK;
    eprintln!(
        "{against:?}: warm {warm:?}, full {full:?}: grew {} MiB (at most {} MiB)",
        grown / MB,
        allowed / MB
    );
    let context = || {
        format!(
            "{against:?}: warm {warm:?}, full {full:?}\n{}",
            end.describe()
        )
    };
    let refusals = end
        .lines("try ")
        .iter()
        .filter(|l| field(l, "error") == Some("_QUEUE_FULL"))
        .count();
    assert_eq!(refusals, 2, "the queue did not fill up: {}", context());
    assert!(
        grown <= allowed,
        "peak RSS grew {grown} bytes, more than the {allowed} the limits allow: {}",
        context()
    );
    assert_eq!(
        full.threads,
        warm.threads,
        "thread count changed: {}",
        context()
    );
}

#[test]
fn producer_memory_is_bounded_when_the_broker_stops_reading() {
    producer_against_a_broker_that_stops_reading(Against::Ours);
}

#[test]
fn producer_memory_bound_librdkafka_parity() {
    producer_against_a_broker_that_stops_reading(Against::Librdkafka);
}
