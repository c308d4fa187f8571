//! Memory and threads stay bounded by configuration when a broker
//! misbehaves (issue 10, "resource bounds as tests"): measured from
//! /proc of the C test program while a hostile broker
//! (tests/support/hostile.rs) stops reading or floods it. Each scenario
//! also runs against Debian's librdkafka, so each bound is one librdkafka
//! itself meets.

mod support;

use bytes::{Bytes, BytesMut};
use ferrokafka::protocol::messages::fetch::{
    FetchPartitionResponse, FetchRequest, FetchResponse, FetchTopicResponse,
};
use ferrokafka::protocol::record_batch::{decode_batches, RecordBatchWriter};
use ferrokafka::protocol::{encode_response, Compression};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

const SYNC_TIMEOUT: Duration = Duration::from_secs(60);
const RUN_TIMEOUT: Duration = Duration::from_secs(60);
const MB: u64 = 1 << 20;

/// Room for what no property bounds: allocator slack, per-message
/// bookkeeping, library code pages touched late.
const SLACK: u64 = 8 * MB;

/// What /proc/PID/status says about a process.
#[derive(Debug, Clone, Copy)]
struct ProcStatus {
    rss: u64,
    peak_rss: u64,
    threads: u64,
}

/// The process's status now; `None` once it has exited (a zombie has no
/// memory lines).
fn try_proc_status(pid: u32) -> Option<ProcStatus> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let value = |key: &str| -> Option<u64> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
    };
    Some(ProcStatus {
        rss: value("VmRSS:")? * 1024,
        peak_rss: value("VmHWM:")? * 1024,
        threads: value("Threads:")?,
    })
}

fn proc_status(pid: u32) -> ProcStatus {
    try_proc_status(pid).unwrap_or_else(|| panic!("process {pid} is gone"))
}

const TOPIC: &str = "bounded";

/// A broker that answers ApiVersions and Metadata (itself as node 1,
/// leader of `TOPIC`'s one partition) and stops reading a connection at its
/// first Produce request, holding it open.
fn broker_that_stops_reading() -> HostileBroker {
    HostileBroker::start(|mut conn: HostileConn| {
        let apis = [
            (api::API_VERSIONS, 0, 0),
            (api::METADATA, 0, 0),
            (api::PRODUCE, 3, 3),
        ];
        while let Some(request) = conn.read_request() {
            if !conn.answer_handshake(&request, &apis, TOPIC) && request.api_key == api::PRODUCE {
                return conn.stall();
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
    let mut run = Driven::spawn(&format!("stalled-producer-{}", against.tag()), &mut cmd);
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

/// What a client may keep per fetched record besides its bytes: our
/// message block when popped is 256 bytes; librdkafka makes an op and a
/// message for every record of a response as it parses it.
const MESSAGE_BOOKKEEPING: u64 = 256;

/// Records per batch, value size, batches per Fetch response: ~100 MB.
const RECORDS_PER_BATCH: usize = 1000;
const VALUE_SIZE: usize = 1000;
const BATCHES_PER_FETCH: i64 = 100;

/// One record batch of messages `key-0`.. with the values consume_verify
/// checks; served again and again at increasing offsets.
fn template_batch() -> Bytes {
    let mut writer = RecordBatchWriter::new(0);
    for i in 0..RECORDS_PER_BATCH {
        let key = expected_key(i);
        let value = expected_value(i, VALUE_SIZE);
        writer.append(0, Some(&key), Some(&value), &[]);
    }
    writer
        .finish(Compression::None, None, -1, -1, -1, false)
        .expect("encode the template batch")
}

/// The fetch offset of the request's first partition.
fn fetch_offset(request: &KafkaRequest) -> i64 {
    decode_fetch(request).topics[0].partitions[0].fetch_offset
}

/// A Fetch response of `BATCHES_PER_FETCH` copies of `template` from
/// `offset` on, whatever the request's size limits say.
fn flood_response(request: &KafkaRequest, template: &Bytes, offset: i64) -> BytesMut {
    let batch = &decode_batches(template).expect("the template decodes")[0];
    let mut records = BytesMut::with_capacity(template.len() * BATCHES_PER_FETCH as usize);
    for i in 0..BATCHES_PER_FETCH {
        records.extend_from_slice(&batch.with_base_offset(offset + i * RECORDS_PER_BATCH as i64));
    }
    let end = offset + BATCHES_PER_FETCH * RECORDS_PER_BATCH as i64;
    let response = FetchResponse {
        topics: vec![FetchTopicResponse {
            topic: TOPIC.to_string(),
            topic_id: [0; 16],
            partitions: vec![FetchPartitionResponse {
                partition_index: 0,
                high_watermark: end,
                last_stable_offset: end,
                records: Some(records.freeze()),
                ..Default::default()
            }],
        }],
        ..Default::default()
    };
    let mut out = BytesMut::new();
    encode_response::<FetchRequest>(&response, request.version, request.correlation_id, &mut out)
        .expect("encode the Fetch response");
    out
}

/// A ListOffsets v1 body: offset 0 for partition 0 of `TOPIC`.
fn list_offsets_v1_body() -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&1i32.to_be_bytes());
    body.extend_from_slice(&(TOPIC.len() as i16).to_be_bytes());
    body.extend_from_slice(TOPIC.as_bytes());
    body.extend_from_slice(&1i32.to_be_bytes());
    body.extend_from_slice(&0i32.to_be_bytes());
    body.extend_from_slice(&0i16.to_be_bytes());
    body.extend_from_slice(&(-1i64).to_be_bytes());
    body.extend_from_slice(&0i64.to_be_bytes());
    body
}

/// A broker whose every Fetch response carries ~100 MB of records, once
/// `released` is set (so the test can measure the consumer before);
/// `fetches` counts the Fetch requests it received.
fn flooding_broker(released: Arc<AtomicBool>, fetches: Arc<AtomicUsize>) -> HostileBroker {
    let template = template_batch();
    HostileBroker::start(move |mut conn: HostileConn| {
        while let Some(request) = conn.read_request() {
            if conn.answer_handshake(&request, &CONSUMER_APIS, TOPIC) {
                continue;
            }
            match request.api_key {
                api::LIST_OFFSETS => conn.respond(request.correlation_id, &list_offsets_v1_body()),
                api::FETCH => {
                    fetches.fetch_add(1, Ordering::AcqRel);
                    while !released.load(Ordering::Acquire) && !conn.stopped() {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    let response = flood_response(&request, &template, fetch_offset(&request));
                    if std::io::Write::write_all(&mut conn.stream, &response).is_err() {
                        return;
                    }
                }
                _ => {}
            }
        }
    })
}

/// A consumer fed ~100 MB per Fetch response while the application reads
/// one message and then stops polling holds at most
/// queued.max.messages.kbytes plus one response (and bookkeeping per
/// record in it), and starts no thread.
fn consumer_fed_a_flood(against: Against) {
    let released = Arc::new(AtomicBool::new(false));
    let fetches = Arc::new(AtomicUsize::new(0));
    let server = flooding_broker(released.clone(), fetches.clone());
    let queue_kbytes = 16 * 1024u64;
    let fetch_bytes = template_batch().len() as u64 * BATCHES_PER_FETCH as u64;
    let mut cmd = Command::new(consume_verify(against));
    cmd.arg(server.bootstrap()).arg(TOPIC).args([
        "1000000",
        &VALUE_SIZE.to_string(),
        "-",
        // librdkafka's consumer API wants a group even for assign(); this
        // broker has no coordinator, so nothing may be committed.
        "group.id=bounded",
        "enable.auto.commit=false",
        &format!("queued.max.messages.kbytes={queue_kbytes}"),
        "receive.message.max.bytes=200000000",
        // One message, then 4 s without polling while the client may
        // prefetch, then close.
        "@max=1",
        "@linger=4000",
        "@commit=none",
    ]);
    let run = Driven::spawn(&format!("flooded-consumer-{}", against.tag()), &mut cmd);
    let deadline = Instant::now() + SYNC_TIMEOUT;
    while fetches.load(Ordering::Acquire) == 0 {
        assert!(Instant::now() < deadline, "the consumer never fetched");
        std::thread::sleep(Duration::from_millis(20));
    }
    let warm = proc_status(run.pid());
    released.store(true, Ordering::Release);
    // Sample until the program is gone: the peak RSS only grows, and the
    // thread count is checked at every sample.
    let mut last = warm;
    let mut most_threads = warm.threads;
    while let Some(status) = try_proc_status(run.pid()) {
        last = status;
        most_threads = most_threads.max(status.threads);
        std::thread::sleep(Duration::from_millis(50));
    }
    let end = run.finish(RUN_TIMEOUT);
    drop(server);

    let grown = last.peak_rss.saturating_sub(warm.rss);
    let records = RECORDS_PER_BATCH as u64 * BATCHES_PER_FETCH as u64;
    let allowed = queue_kbytes * 1024 + fetch_bytes + records * MESSAGE_BOOKKEEPING + SLACK;
    eprintln!(
        "{against:?}: warm {warm:?}, last {last:?}: grew {} MiB (at most {} MiB), {} fetches",
        grown / MB,
        allowed / MB,
        fetches.load(Ordering::Acquire)
    );
    let context = || {
        format!(
            "{against:?}: warm {warm:?}, last {last:?}\n{}",
            end.describe()
        )
    };
    assert!(end.success(), "consume_verify failed: {}", context());
    assert!(
        grown <= allowed,
        "peak RSS grew {grown} bytes, more than the {allowed} the limits allow: {}",
        context()
    );
    assert_eq!(
        most_threads,
        warm.threads,
        "thread count changed: {}",
        context()
    );
}

#[test]
fn consumer_memory_is_bounded_when_fetches_return_100_mb() {
    consumer_fed_a_flood(Against::Ours);
}

#[test]
fn consumer_memory_bound_librdkafka_parity() {
    consumer_fed_a_flood(Against::Librdkafka);
}
