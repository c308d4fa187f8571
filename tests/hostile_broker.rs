//! The client against misbehaving brokers (tests/support/hostile.rs): a
//! broker that answers every connection with a garbage frame must not
//! cause a reconnect or error storm, and a response that does not decode
//! must fail its request at once with `_BAD_MSG`.
//!
//! Scenarios that also run against Debian's librdkafka check that the
//! expectation is one librdkafka itself meets.

mod support;

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};
use support::*;

const RUN_TIMEOUT: Duration = Duration::from_secs(90);

/// `producer_steps` against `bootstrap` with `steps`, run to its end.
fn run_producer_steps(against: Against, name: &str, bootstrap: &str, steps: &[&str]) -> DrivenEnd {
    let mut cmd = Command::new(producer_steps(against));
    cmd.arg(bootstrap).arg("hostile").args(steps);
    let end = Driven::spawn(&format!("{name}-{}", against.tag()), &mut cmd).finish(RUN_TIMEOUT);
    assert!(
        end.success() && end.lines("destroyed").len() == 1,
        "producer_steps against {against:?} failed\n{}",
        end.describe()
    );
    end
}

/// error_cb calls per error name, from the summary's `cb_errors=NAME:n,...`.
fn error_cb_calls(end: &DrivenEnd) -> Vec<(String, usize)> {
    field(end.line("summary "), "cb_errors")
        .unwrap_or("")
        .split(',')
        .filter_map(|kv| {
            let (name, n) = kv.rsplit_once(':')?;
            Some((name.to_string(), n.parse().ok()?))
        })
        .collect()
}

/// The most connection attempts a client may make in `window` when each
/// reconnect waits at least 75% (librdkafka's -25% jitter) of a backoff
/// that starts at `base` and doubles up to `max`.
fn most_connections_allowed(window: Duration, base: Duration, max: Duration) -> usize {
    let (mut attempts, mut elapsed, mut backoff) = (1, Duration::ZERO, base);
    loop {
        elapsed += backoff.mul_f64(0.75);
        if elapsed > window {
            return attempts;
        }
        attempts += 1;
        backoff = (backoff * 2).min(max);
    }
}

/// How long the retry-storm scenario lets the client run: past the 30 s in
/// which identical errors stay suppressed, so the one report after it
/// carries the count.
const STORM_RUN_MS: u64 = 33_000;

/// Item 3 of issue 10: the broker completes the ApiVersions handshake (so
/// the client sees it up) and answers the next request with a 2 GB size
/// prefix, on every connection. The client must back off exponentially
/// between reconnects although each connection came up, and report the
/// identical failure once, then again only after librdkafka's 30 s
/// suppression window, with the count of those it left out.
fn garbage_frame_storm(against: Against) {
    let server = HostileBroker::start(|mut conn: HostileConn| {
        while let Some(request) = conn.read_request() {
            if request.api_key == api::API_VERSIONS {
                let apis = [(api::API_VERSIONS, 0, 0), (api::METADATA, 0, 0)];
                conn.answer_api_versions(&request, &apis);
            } else {
                // 2 GB - 1: larger than any receive.message.max.bytes allows.
                let _ = conn.stream.write_all(&[0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1]);
            }
        }
    });
    let (base, max) = (Duration::from_millis(100), Duration::from_millis(1000));
    let started = Instant::now();
    let end = run_producer_steps(
        against,
        "garbage-frame-storm",
        &server.bootstrap(),
        &[
            &format!("conf:reconnect.backoff.ms={}", base.as_millis()),
            &format!("conf:reconnect.backoff.max.ms={}", max.as_millis()),
            // A message gives the broker work, so it keeps reconnecting.
            "produce:1",
            &format!("poll:{STORM_RUN_MS}"),
            "purge:q",
        ],
    );
    let window = started.elapsed();
    let connections = server.connections();
    drop(server);
    let log = std::fs::read_to_string(&end.log).unwrap_or_default();
    let context = || {
        format!(
            "{against:?}: {connections} connections in {window:?}\n{}",
            end.describe()
        )
    };

    let allowed = most_connections_allowed(window, base, max);
    eprintln!(
        "{against:?}: {connections} connections (at most {allowed}) in {window:?}, error_cb {:?}",
        error_cb_calls(&end)
    );
    assert!(
        connections <= allowed,
        "more than the {allowed} connections the backoff allows: {}",
        context()
    );
    assert!(
        connections >= 2,
        "the client stopped reconnecting: {}",
        context()
    );

    // The failure is reported when first seen and then once per 30 s
    // window (librdkafka also reports the first repeat): not once per
    // connection. Losing the only broker is reported at most once per
    // connection that came up.
    let calls = error_cb_calls(&end);
    let failure_reports_allowed = 2 + (window.as_secs() / 30) as usize;
    assert!(
        calls.iter().any(|(name, _)| name != "_ALL_BROKERS_DOWN"),
        "the failure was never reported: {}",
        context()
    );
    for (name, n) in &calls {
        let allowed = if name == "_ALL_BROKERS_DOWN" {
            connections
        } else {
            failure_reports_allowed
        };
        assert!(
            *n <= allowed,
            "{name} reported {n} times (at most {allowed}): {}",
            context()
        );
    }
    assert!(
        log.contains("identical error(s) suppressed"),
        "no report says how many identical errors were suppressed: {}",
        context()
    );
}

#[test]
fn garbage_frame_storm_is_bounded_by_backoff_and_suppression() {
    garbage_frame_storm(Against::Ours);
}

#[test]
fn garbage_frame_storm_librdkafka_parity() {
    garbage_frame_storm(Against::Librdkafka);
}

/// A broker that speaks ApiVersions properly, offers Metadata v0 only and
/// answers every Metadata request with `body`.
fn garbling_metadata_broker(body: Vec<u8>) -> HostileBroker {
    HostileBroker::start(move |mut conn: HostileConn| {
        while let Some(request) = conn.read_request() {
            match request.api_key {
                api::API_VERSIONS => conn.answer_api_versions(
                    &request,
                    &[(api::API_VERSIONS, 0, 0), (api::METADATA, 0, 0)],
                ),
                api::METADATA => conn.respond(request.correlation_id, &body),
                _ => {}
            }
        }
    })
}

/// Item 4 of issue 10: a Metadata response whose broker array length is
/// `length` must make rd_kafka_metadata() fail at once with `_BAD_MSG`,
/// logged at error level under PROTOERR with the API name, instead of
/// waiting out its timeout. Zeros follow the length, so the response is
/// not merely short.
fn garbled_metadata_fails_with_bad_msg(against: Against, length: i32) {
    let mut body = length.to_be_bytes().to_vec();
    body.resize(64, 0);
    let server = garbling_metadata_broker(body);
    let end = run_producer_steps(
        against,
        &format!("garbled-metadata{length}"),
        &server.bootstrap(),
        // Far longer than any answer takes: a request that is not failed
        // at once ends as _TIMED_OUT.
        &["metadata:20000"],
    );
    drop(server);
    let context = || format!("{against:?}, array length {length}\n{}", end.describe());
    let result = end.line("metadata=");
    assert_eq!(
        field(result, "metadata"),
        Some("_BAD_MSG"),
        "rd_kafka_metadata() did not fail with _BAD_MSG: {}",
        context()
    );
    let log = std::fs::read_to_string(&end.log).unwrap_or_default();
    assert!(
        log.lines()
            .any(|l| l.starts_with("log 3 PROTOERR:") && l.contains("Metadata")),
        "no error-level PROTOERR line naming Metadata: {}",
        context()
    );
}

#[test]
fn metadata_with_negative_array_length_fails_with_bad_msg() {
    garbled_metadata_fails_with_bad_msg(Against::Ours, -2);
}

#[test]
fn metadata_with_absurd_array_length_fails_with_bad_msg() {
    garbled_metadata_fails_with_bad_msg(Against::Ours, i32::MAX);
}

/// librdkafka rejects an absurd broker count the same way (a negative one
/// it reads as an empty array).
#[test]
fn garbled_metadata_librdkafka_parity() {
    garbled_metadata_fails_with_bad_msg(Against::Librdkafka, i32::MAX);
}

/// An ApiVersions response that does not decode is logged like any other
/// (error level, PROTOERR, naming the API) before the connection goes.
#[test]
fn garbled_api_versions_is_logged_as_protoerr() {
    let server = HostileBroker::start(|mut conn: HostileConn| {
        while let Some(request) = conn.read_request() {
            if request.version > 0 {
                // Makes the client fall back to v0.
                conn.answer_api_versions(&request, &[]);
            } else {
                let mut body = 0i16.to_be_bytes().to_vec();
                body.extend_from_slice(&i32::MAX.to_be_bytes());
                body.resize(64, 0);
                conn.respond(request.correlation_id, &body);
            }
        }
    });
    let end = run_producer_steps(
        Against::Ours,
        "garbled-api-versions",
        &server.bootstrap(),
        &["metadata:1000"],
    );
    drop(server);
    let log = std::fs::read_to_string(&end.log).unwrap_or_default();
    assert!(
        log.lines()
            .any(|l| l.starts_with("log 3 PROTOERR:") && l.contains("ApiVersions")),
        "no error-level PROTOERR line naming ApiVersions\n{}",
        end.describe()
    );
}

/// The failure (`failure`, a text of its log line) was reported at error
/// level, the attempts logged (every one is: at error level, or at debug
/// level while identical ones are suppressed) are no more than the backoff
/// allows in `window`, and, the only broker never having come up, error_cb
/// heard librdkafka's "1/1 brokers are down".
fn assert_attempts_reported_and_bounded(
    end: &DrivenEnd,
    failure: &str,
    window: Duration,
    (base, max): (Duration, Duration),
) {
    let log = std::fs::read_to_string(&end.log).unwrap_or_default();
    let attempts = log
        .lines()
        .filter(|l| l.starts_with("log ") && l.contains(failure))
        .count();
    let allowed = most_connections_allowed(window, base, max);
    eprintln!("{attempts} attempts (at most {allowed}) in {window:?}");
    let context = || format!("{attempts} attempts in {window:?}\n{}", end.describe());
    assert!(
        log.lines()
            .any(|l| l.starts_with("log 3 FAIL:") && l.contains(failure)),
        "the failure was never reported: {}",
        context()
    );
    assert!(
        attempts <= allowed,
        "more than the {allowed} attempts the backoff allows: {}",
        context()
    );
    assert!(
        log.lines()
            .any(|l| l.starts_with("error_cb: _ALL_BROKERS_DOWN:")
                && l.contains("1/1 brokers are down")),
        "error_cb never heard \"1/1 brokers are down\": {}",
        context()
    );
}

/// A connection attempt that fails inside connect() itself backs off like
/// any other failure and is reported (it was retried in a busy loop,
/// silently). Linux refuses a TCP connect to the broadcast address at once
/// with ENETUNREACH, before any packet is sent.
#[test]
fn connect_refused_at_once_backs_off_and_is_reported() {
    let (end, window) = produce_to_unreachable(
        Against::Ours,
        "connect-refused-at-once",
        "255.255.255.255:9092",
        &[],
    );
    assert_attempts_reported_and_bounded(
        &end,
        "connect to 255.255.255.255:9092 failed",
        window,
        UNREACHABLE_BACKOFF,
    );
}

/// reconnect.backoff.ms and reconnect.backoff.max.ms of
/// [`produce_to_unreachable`].
const UNREACHABLE_BACKOFF: (Duration, Duration) =
    (Duration::from_millis(100), Duration::from_millis(1000));

/// One message produced to a broker that can never be reached, with
/// [`UNREACHABLE_BACKOFF`] and broker debug logs (each attempt's failure
/// is a log line), purged after 3 s; then `more_steps`. Returns how the
/// run ended and how long it took.
fn produce_to_unreachable(
    against: Against,
    name: &str,
    bootstrap: &str,
    more_steps: &[&str],
) -> (DrivenEnd, Duration) {
    let (base, max) = UNREACHABLE_BACKOFF;
    let backoff = [
        format!("conf:reconnect.backoff.ms={}", base.as_millis()),
        format!("conf:reconnect.backoff.max.ms={}", max.as_millis()),
    ];
    let mut steps = vec![
        "conf:debug=broker",
        backoff[0].as_str(),
        backoff[1].as_str(),
    ];
    steps.extend(["produce:1", "poll:3000", "purge:q"]);
    steps.extend_from_slice(more_steps);
    let started = Instant::now();
    let end = run_producer_steps(against, name, bootstrap, &steps);
    (end, started.elapsed())
}

/// A broker name that does not resolve (`.invalid` never does, RFC 6761):
/// each attempt is an `_RESOLVE` error, attempts follow the reconnect
/// backoff, and destroy is bounded although the broker never came up.
/// librdkafka reports the same code to error_cb.
fn resolve_failure(against: Against) -> (DrivenEnd, Duration) {
    let (end, window) = produce_to_unreachable(
        against,
        "resolve-failure",
        "nonexistent.invalid:9092",
        &["poll:500"],
    );
    let calls = error_cb_calls(&end);
    assert!(
        calls.iter().any(|(name, n)| name == "_RESOLVE" && *n >= 1),
        "error_cb never got _RESOLVE ({calls:?})\n{}",
        end.describe()
    );
    (end, window)
}

#[test]
fn unresolvable_broker_is_reported_as_resolve_and_backs_off() {
    let (end, window) = resolve_failure(Against::Ours);
    assert_attempts_reported_and_bounded(
        &end,
        "failed to resolve 'nonexistent.invalid:9092'",
        window,
        UNREACHABLE_BACKOFF,
    );
    // The message was purged, not lost silently: its report says so.
    assert!(
        field(end.line("summary "), "failed") == Some("1"),
        "the purged message got no failed delivery report:\n{}",
        end.describe()
    );
}

#[test]
fn unresolvable_broker_librdkafka_parity() {
    resolve_failure(Against::Librdkafka);
}

// ------------------------------------------- fairness across partitions

const FAIR_TOPIC: &str = "fair";
const FAIR_PARTITIONS: i32 = 3;
/// Records per partition the broker holds.
const FAIR_RECORDS: i64 = 10;

/// A ListOffsets v1 body: offset 0 for every partition of `FAIR_TOPIC`.
fn fair_list_offsets_body() -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&1i32.to_be_bytes());
    body.extend_from_slice(&(FAIR_TOPIC.len() as i16).to_be_bytes());
    body.extend_from_slice(FAIR_TOPIC.as_bytes());
    body.extend_from_slice(&FAIR_PARTITIONS.to_be_bytes());
    for p in 0..FAIR_PARTITIONS {
        body.extend_from_slice(&p.to_be_bytes());
        body.extend_from_slice(&0i16.to_be_bytes());
        body.extend_from_slice(&(-1i64).to_be_bytes());
        body.extend_from_slice(&0i64.to_be_bytes());
    }
    body
}

/// The record at `offset` of `partition`: message number
/// `offset * FAIR_PARTITIONS + partition` as consume_verify expects it.
fn fair_record(partition: i32, offset: i64, size: usize) -> bytes::Bytes {
    use ferrokafka::protocol::record_batch::RecordBatchWriter;
    let index = (offset * i64::from(FAIR_PARTITIONS) + i64::from(partition)) as usize;
    let mut writer = RecordBatchWriter::new(0);
    writer.append(
        0,
        Some(&expected_key(index)),
        Some(&expected_value(index, size)),
        &[],
    );
    let batch = writer
        .finish(
            ferrokafka::protocol::Compression::None,
            None,
            -1,
            -1,
            -1,
            false,
        )
        .expect("encode a record");
    let mut raw = bytes::BytesMut::from(&batch[..]);
    raw[..8].copy_from_slice(&offset.to_be_bytes());
    raw.freeze()
}

/// A broker whose every Fetch response is filled by the first partition
/// the request lists, as a Kafka broker's is when that partition has more
/// than `fetch.max.bytes` waiting (KIP-74: the response then carries that
/// partition only, and clients rotate the order for fairness); Tansu
/// behaves alike. The first partition listed that still has a record gets
/// one; the others get none.
fn first_listed_partition_broker(size: usize) -> HostileBroker {
    use ferrokafka::protocol::encode_response;
    use ferrokafka::protocol::messages::fetch::{
        FetchPartitionResponse, FetchRequest, FetchResponse, FetchTopicResponse,
    };
    HostileBroker::start(move |mut conn: HostileConn| {
        while let Some(request) = conn.read_request() {
            match request.api_key {
                api::METADATA => {
                    let body = metadata_v0_body(conn.addr, 1, FAIR_TOPIC, FAIR_PARTITIONS);
                    conn.respond(request.correlation_id, &body);
                }
                api::LIST_OFFSETS => {
                    conn.respond(request.correlation_id, &fair_list_offsets_body())
                }
                api::FETCH => {
                    let fetch = decode_fetch(&request);
                    let listed: Vec<(i32, i64)> = fetch
                        .topics
                        .iter()
                        .flat_map(|t| t.partitions.iter().map(|p| (p.partition, p.fetch_offset)))
                        .collect();
                    let served = listed.iter().find(|(_, offset)| *offset < FAIR_RECORDS);
                    if served.is_none() {
                        // Nothing left: wait as a broker waits for data.
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    let partitions = listed
                        .iter()
                        .map(|&(partition, offset)| FetchPartitionResponse {
                            partition_index: partition,
                            high_watermark: FAIR_RECORDS,
                            last_stable_offset: FAIR_RECORDS,
                            records: (Some(&(partition, offset)) == served)
                                .then(|| fair_record(partition, offset, size)),
                            ..Default::default()
                        })
                        .collect();
                    let response = FetchResponse {
                        topics: vec![FetchTopicResponse {
                            topic: FAIR_TOPIC.to_string(),
                            topic_id: [0; 16],
                            partitions,
                        }],
                        ..Default::default()
                    };
                    let mut out = bytes::BytesMut::new();
                    encode_response::<FetchRequest>(
                        &response,
                        request.version,
                        request.correlation_id,
                        &mut out,
                    )
                    .expect("encode the Fetch response");
                    if conn.stream.write_all(&out).is_err() {
                        return;
                    }
                }
                _ => {
                    conn.answer_handshake(&request, &CONSUMER_APIS, FAIR_TOPIC);
                }
            }
        }
    })
}

/// A consumer assigned three partitions of a broker that serves only the
/// first partition each Fetch lists reads all three: the order rotates
/// from one Fetch to the next, as librdkafka's does. With a fixed order
/// the partitions listed after the first wait until it runs dry (issue 16:
/// on Tansu the last partition's records came 90-160 ms late).
#[test]
fn each_partition_gets_its_turn_at_the_front_of_the_fetch() {
    const SIZE: usize = 16;
    for against in [Against::Ours, Against::Librdkafka] {
        let server = first_listed_partition_broker(SIZE);
        let dump = scratch_dir("fair-fetch").join(format!("dump-{}.tsv", against.tag()));
        let mut cmd = Command::new(consume_verify(against));
        cmd.arg(server.bootstrap()).arg(FAIR_TOPIC).args([
            &(FAIR_RECORDS * i64::from(FAIR_PARTITIONS)).to_string(),
            &SIZE.to_string(),
            "-",
            "group.id=fair",
            "enable.auto.commit=false",
            "@commit=none",
            "@idle=10",
            &format!("@dump={}", dump.display()),
        ]);
        let end =
            Driven::spawn(&format!("fair-fetch-{}", against.tag()), &mut cmd).finish(RUN_TIMEOUT);
        assert!(end.success(), "{against:?}: {}", end.describe());
        // In the order read: the partitions of the first records. With a
        // fixed order, partition 0's ten records would all come first. (Six,
        // not three: the first Fetch may go out before every partition's
        // offset is known, and list fewer.)
        let order: Vec<String> = std::fs::read_to_string(&dump)
            .expect("the dump")
            .lines()
            .filter_map(|l| l.split('\t').nth(1).map(str::to_string))
            .collect();
        let first: std::collections::HashSet<&String> = order.iter().take(6).collect();
        assert_eq!(
            first.len(),
            3,
            "{against:?}: the first records read came from {:?} (all: {order:?})",
            &order[..6.min(order.len())]
        );
    }
}
