//! Per-broker fetch, owned by the broker thread (franz-go's `source`):
//! one Fetch request in flight for the assigned partitions this broker
//! leads, ListOffsets to resolve logical offsets (beginning, end, tail),
//! and turning fetched record batches into runs of records on each
//! partition's fetch queue (they become messages as the application pops
//! them: `client::fetched`). The thread writes the requests
//! [`Source::requests`] builds and hands every outcome back to
//! [`Source::complete`] through the one in-flight table (`broker::thread`).
//!
//! Locality: runs on the broker thread of the partitions' leader.
//! Partition state is shared with the application (seek, pause, positions)
//! under `ConsumerPartition::state`.

use super::handle::{decode_raw, BrokerHandle, ErasedRequest, RawResponse, VersionCapped};
use crate::abi::{RD_KAFKA_OFFSET_BEGINNING, RD_KAFKA_OFFSET_END, RD_KAFKA_OFFSET_TAIL_BASE};
use crate::client::consumer::{ConsumerPartition, Origin};
use crate::client::counters::Counters;
use crate::client::fetched::{FetchedRecord, FetchedRun};
use crate::client::headers::Headers;
use crate::client::message::{Msg, TimestampType};
use crate::client::queue::Op;
use crate::client::ClientInner;
use crate::error::ErrorCode;
use crate::protocol::error::{INCONSISTENT_TOPIC_ID, UNKNOWN_TOPIC_ID};
use crate::protocol::messages::fetch::{
    FetchPartition, FetchPartitionResponse, FetchRequest, FetchResponse, FetchTopic,
    FIRST_TOPIC_ID_VERSION,
};
use crate::protocol::messages::list_offsets::{
    ListOffsetsPartition, ListOffsetsRequest, ListOffsetsResponse, ListOffsetsTopic,
};
use crate::protocol::primitives::Uuid;
use crate::protocol::record_batch::{decode_batches, RecordBatch, DEFAULT_MAX_DECOMPRESSED};
use crate::protocol::DecodeError;
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Partitions a request covers: (partition, offset, partition version).
type Wanted = Vec<(Arc<ConsumerPartition>, i64, u64)>;

/// This broker's fetch path; the broker thread owns it.
pub struct Source {
    client: Arc<ClientInner>,
    broker: Arc<BrokerHandle>,
    /// One Fetch request at a time per broker, as librdkafka does.
    fetch_in_flight: bool,
    /// Where the next Fetch starts in the list of this broker's partitions:
    /// each request starts one partition further (see [`rotate_fetch_order`]).
    fetch_rotation: usize,
}

/// A Fetch or ListOffsets request ready to write, and what its answer
/// completes.
pub struct SourceSend {
    pub request: Box<dyn ErasedRequest>,
    pub timeout: Duration,
    pub in_flight: SourceInFlight,
}

/// A request of this source awaiting its answer.
pub enum SourceInFlight {
    /// The partitions fetched, each at its fetch offset.
    Fetch(Wanted),
    /// The partitions whose logical offset is being resolved.
    ListOffsets(Wanted),
}

impl Source {
    pub fn new(client: Arc<ClientInner>, broker: Arc<BrokerHandle>) -> Source {
        Source {
            client,
            broker,
            fetch_in_flight: false,
            fetch_rotation: 0,
        }
    }

    /// Whether this broker leads any assigned partition.
    pub fn has_partitions(&self) -> bool {
        !self.broker.fetch.lock().is_empty()
    }

    /// Builds this broker's next ListOffsets and Fetch requests, at most
    /// `room` of them.
    pub fn requests(&mut self, now: Instant, room: usize) -> Vec<SourceSend> {
        let (client, broker) = (&self.client, &self.broker);
        let Some(consumer) = client.consumer.as_ref() else {
            return Vec::new();
        };
        let partitions = broker.fetch.lock().clone();
        if partitions.is_empty() || room == 0 {
            return Vec::new();
        }
        // One ListOffsets request per partition whose logical offset must
        // be resolved now, all sent at once. Per partition, as librdkafka
        // asks: librdkafka 2.0.2's mock cluster answers only the first
        // partition of a request for several (observed), and each one left
        // out then waited a retry backoff, half a second, before it could
        // start fetching.
        let mut out = Vec::new();
        for cp in &partitions {
            if out.len() >= room {
                break;
            }
            if let Some((logical, version)) = cp.needs_list_offsets(now) {
                let mut state = cp.state.lock();
                state.resolving = true;
                state.query_offset = logical;
                drop(state);
                out.push(list_offsets_request(
                    client,
                    vec![(cp.clone(), logical, version)],
                ));
            }
        }
        if !self.fetch_in_flight && out.len() < room {
            let prefetched = consumer.prefetched();
            let mut fetchable: Wanted = partitions
                .iter()
                .filter_map(|cp| {
                    cp.fetchable(&consumer.settings, now, prefetched)
                        .map(|(o, v)| (cp.clone(), o, v))
                })
                .collect();
            rotate_fetch_order(&mut fetchable, self.fetch_rotation);
            self.fetch_rotation = self.fetch_rotation.wrapping_add(1);
            if client.logger.debug_enabled(crate::client::log::ctx::FETCH) {
                log_fetch_plan(client, broker, &partitions, &fetchable);
            }
            if !fetchable.is_empty() {
                self.fetch_in_flight = true;
                out.push(fetch_request(client, fetchable));
            }
        }
        out
    }

    /// A Fetch or ListOffsets request's answer or failure. Returns why a
    /// response could not be decoded (the request then failed with
    /// `_BAD_MSG`), for the broker thread to log.
    pub fn complete(
        &mut self,
        in_flight: SourceInFlight,
        result: Result<RawResponse, ErrorCode>,
    ) -> Option<DecodeError> {
        match in_flight {
            SourceInFlight::Fetch(parts) => {
                self.fetch_in_flight = false;
                let (result, undecodable) = decode_raw::<FetchRequest>(result);
                on_fetch_result(&self.client, &self.broker, parts, result);
                undecodable
            }
            SourceInFlight::ListOffsets(wanted) => {
                let (result, undecodable) = decode_raw::<ListOffsetsRequest>(result);
                on_list_offsets(&self.client, wanted, result);
                undecodable
            }
        }
    }

    /// When the broker thread should look again (a fetch or ListOffsets
    /// backoff ending), or `None` when only an event that wakes it (a
    /// response, a poll making prefetch room, a seek) can help.
    ///
    /// Only a backoff still running is a deadline. One that is over left
    /// its partition waiting for something else (its offset being
    /// resolved, a pause, prefetch room, the Fetch in flight): returning
    /// it made the thread poll with a zero timeout until that happened, a
    /// busy loop that lasted as long as a ListOffsets stayed unanswered
    /// (issue 10, item 5).
    pub fn next_deadline(&self, now: Instant) -> Option<Instant> {
        let consumer = self.client.consumer.as_ref()?;
        let fetching = self.fetch_in_flight;
        let mut next: Option<Instant> = None;
        let prefetched = consumer.prefetched();
        for cp in self.broker.fetch.lock().iter() {
            if cp.needs_list_offsets(now).is_some()
                || (!fetching && cp.fetchable(&consumer.settings, now, prefetched).is_some())
            {
                return Some(now);
            }
            if let Some(b) = cp.state.lock().backoff_until.filter(|&b| b > now) {
                next = Some(next.map_or(b, |n| n.min(b)));
            }
        }
        next
    }
}

/// Starts the Fetch at a different partition each time, as librdkafka
/// does (it rotates its list of active partitions by one per Fetch). A
/// broker fills a response in request order and stops at `max_bytes`
/// (KIP-74, which asks clients to rotate), so a fixed order starves the
/// partitions listed last. Tansu favours the first ones too: at 1,000
/// msgs/s over 3 partitions, with a fixed order the last partition's
/// records arrived 90-160 ms late several times a run while the first
/// partition's never waited more than 33 ms (issue 16).
fn rotate_fetch_order(wanted: &mut Wanted, rotation: usize) {
    if !wanted.is_empty() {
        let by = rotation % wanted.len();
        wanted.rotate_left(by);
    }
}

/// `debug=fetch`: what this broker fetches now, and why the rest waits.
fn log_fetch_plan(
    client: &ClientInner,
    broker: &BrokerHandle,
    partitions: &[Arc<ConsumerPartition>],
    fetchable: &[(Arc<ConsumerPartition>, i64, u64)],
) {
    let fetching: Vec<String> = fetchable
        .iter()
        .map(|(cp, o, _)| format!("{}[{}]@{o}", cp.topic.name, cp.partition))
        .collect();
    let waiting: Vec<String> = partitions
        .iter()
        .filter(|cp| !fetchable.iter().any(|(f, _, _)| Arc::ptr_eq(f, cp)))
        .map(|cp| {
            let s = cp.state.lock();
            format!(
                "{}[{}] offset {} paused {} resolving {} stopped {} queued {} backoff {:?}",
                cp.topic.name,
                cp.partition,
                s.fetch_offset,
                s.paused,
                s.resolving,
                s.stopped,
                cp.queued_msgs.load(Ordering::Relaxed),
                s.backoff_until
                    .map(|b| b.saturating_duration_since(Instant::now()))
            )
        })
        .collect();
    client.log_debug(
        crate::client::log::ctx::FETCH,
        "FETCH",
        &format!("{}: fetch {fetching:?}, waiting {waiting:?}", broker.name),
    );
}

fn fetch_request(client: &ClientInner, parts: Wanted) -> SourceSend {
    let settings = &client.consumer.as_ref().expect("consumer").settings;
    let mut topics: Vec<FetchTopic> = Vec::new();
    for (cp, offset, _) in &parts {
        let p = FetchPartition {
            partition: cp.partition,
            current_leader_epoch: -1,
            fetch_offset: *offset,
            last_fetched_epoch: -1,
            log_start_offset: -1,
            partition_max_bytes: settings.partition_fetch_max_bytes,
        };
        match topics.iter_mut().find(|t| *t.topic == *cp.topic.name) {
            Some(t) => t.partitions.push(p),
            None => topics.push(FetchTopic {
                topic: cp.topic.name.to_string(),
                topic_id: topic_id(cp),
                partitions: vec![p],
            }),
        }
    }
    // The versions that name topics by id only when every topic's id is
    // known (the leader's Metadata was v10+); otherwise the request stays
    // at the last version that names them.
    let ids_known = topics.iter().all(|t| t.topic_id != Uuid::default());
    let request = FetchRequest {
        replica_id: -1,
        replica_epoch: -1,
        max_wait_ms: settings.fetch_wait_max.as_millis().min(i32::MAX as u128) as i32,
        min_bytes: settings.fetch_min_bytes,
        max_bytes: settings.fetch_max_bytes,
        isolation_level: settings.read_committed as i8,
        session_id: 0,
        session_epoch: -1,
        topics,
        forgotten_topics: Vec::new(),
        rack_id: String::new(),
    };
    let timeout = client.settings.socket_timeout + settings.fetch_wait_max;
    let request: Box<dyn ErasedRequest> = if ids_known {
        Box::new(request)
    } else {
        Box::new(VersionCapped {
            request,
            max_version: FIRST_TOPIC_ID_VERSION - 1,
        })
    };
    SourceSend {
        request,
        timeout,
        in_flight: SourceInFlight::Fetch(parts),
    }
}

/// The partition's topic id as the last metadata gave it (zeros if none).
fn topic_id(cp: &ConsumerPartition) -> Uuid {
    cp.topic.state.read().topic_id
}

/// A topic id the broker does not know, or knows for another topic: our
/// metadata is stale. Refresh it and retry, as librdkafka 2.16 does.
fn is_stale_topic_id(error_code: i16) -> bool {
    error_code == UNKNOWN_TOPIC_ID || error_code == INCONSISTENT_TOPIC_ID
}

/// A Fetch request's answer or failure; a failed fetch backs off.
fn on_fetch_result(
    client: &ClientInner,
    broker: &BrokerHandle,
    parts: Wanted,
    result: Result<FetchResponse, ErrorCode>,
) {
    match result {
        Ok(response) => on_fetch_response(client, broker, parts, response),
        Err(err) => {
            let until = Instant::now()
                + client
                    .consumer
                    .as_ref()
                    .map_or(Default::default(), |c| c.settings.fetch_error_backoff);
            for (cp, _, version) in parts {
                let mut s = cp.state.lock();
                if s.version == version && err != ErrorCode::RD_KAFKA_RESP_ERR__DESTROY {
                    s.backoff_until = Some(until);
                }
            }
        }
    }
}

/// Backs the partitions' next fetch off (unless a seek or reassignment
/// replaced their version meanwhile) and asks for fresh metadata.
fn back_off_for_metadata(client: &ClientInner, parts: &[(Arc<ConsumerPartition>, i64, u64)]) {
    let Some(consumer) = client.consumer.as_ref() else {
        return;
    };
    let until = Instant::now() + consumer.settings.fetch_error_backoff;
    for (cp, _, version) in parts {
        let mut s = cp.state.lock();
        if s.version == *version {
            s.backoff_until = Some(until);
        }
    }
    client.request_metadata_refresh();
}

fn on_fetch_response(
    client: &ClientInner,
    broker: &BrokerHandle,
    parts: Wanted,
    response: FetchResponse,
) {
    client.throttled(broker, response.throttle_time_ms);
    // A top-level topic id error answers no partition: the whole request
    // named topics by ids the broker does not know as ours.
    if is_stale_topic_id(response.error_code) {
        back_off_for_metadata(client, &parts);
        return;
    }
    for (cp, _, version) in parts {
        // Topics come back by name up to v12 and by id from v13 (the other
        // field empty); an id that is no longer the topic's matches nothing
        // and the partition is simply fetched again.
        let id = topic_id(&cp);
        let result = response
            .topics
            .iter()
            .find(|t| {
                (!t.topic.is_empty() && *t.topic == *cp.topic.name)
                    || (t.topic_id != Uuid::default() && t.topic_id == id)
            })
            .and_then(|t| {
                t.partitions
                    .iter()
                    .find(|p| p.partition_index == cp.partition)
            });
        if let Some(result) = result {
            handle_partition(client, broker, &cp, version, result);
        }
    }
}

fn handle_partition(
    client: &ClientInner,
    broker: &BrokerHandle,
    cp: &Arc<ConsumerPartition>,
    version: u64,
    result: &FetchPartitionResponse,
) {
    let Some(consumer) = client.consumer.as_ref() else {
        return;
    };
    let settings = &consumer.settings;
    if is_stale_topic_id(result.error_code) {
        back_off_for_metadata(client, &[(cp.clone(), 0, version)]);
        return;
    }
    let err = ErrorCode::from_code(result.error_code as i32)
        .unwrap_or(ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN);
    let mut s = cp.state.lock();
    if s.version != version {
        return;
    }
    use crate::error::rd_kafka_resp_err_t::*;
    match err {
        RD_KAFKA_RESP_ERR_NO_ERROR => {}
        RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE => {
            let bad = s.fetch_offset;
            drop(s);
            reset_offset(client, cp, version, bad, "fetch offset out of range");
            return;
        }
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION
        | RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE
        | RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART
        | RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH
        | RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH
        | RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR
        | RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS => {
            drop(s);
            back_off_for_metadata(client, &[(cp.clone(), 0, version)]);
            return;
        }
        _ => {
            s.backoff_until = Some(Instant::now() + settings.fetch_error_backoff);
            let offset = s.fetch_offset;
            drop(s);
            consumer.push_partition_error(
                cp,
                offset,
                err,
                format!("fetch failed on {}: {}", broker.name, err.description()),
            );
            return;
        }
    }
    s.high_watermark = result.high_watermark;
    s.last_stable_offset = result.last_stable_offset;
    if result.log_start_offset >= 0 {
        s.low_watermark = result.log_start_offset;
    }
    let origin = Origin {
        partition: cp.clone(),
        version,
    };
    let mut next = s.fetch_offset;
    if let Some(records) = &result.records {
        match decode_batches(records) {
            Ok(batches) => {
                // A broker may cut the last batch short to fit the response.
                let whole: usize = batches.iter().map(|b| b.raw().len()).sum();
                if whole < records.len() {
                    Counters::add(&broker.stats.rxpartial, 1);
                }
                let aborted = AbortedTracker::new(settings.read_committed, result);
                next = deliver_batches(
                    client,
                    cp,
                    &origin,
                    batches,
                    next,
                    aborted,
                    settings.check_crcs,
                );
            }
            Err(e) => {
                let offset = s.fetch_offset;
                s.backoff_until = Some(Instant::now() + settings.fetch_error_backoff);
                drop(s);
                consumer.push_partition_error(
                    cp,
                    offset,
                    ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG,
                    format!("undecodable fetch response: {e}"),
                );
                return;
            }
        }
    }
    s.fetch_offset = next;
    let end = if settings.read_committed && s.last_stable_offset >= 0 {
        s.last_stable_offset
    } else {
        s.high_watermark
    };
    if settings.enable_partition_eof && next >= end && s.eof_reported_at != next {
        s.eof_reported_at = next;
        drop(s);
        let mut eof = Msg::consumer_error(
            Some(cp.topic.clone()),
            cp.partition,
            next,
            ErrorCode::RD_KAFKA_RESP_ERR__PARTITION_EOF,
            format!(
                "Fetch from broker {} reached end of partition at offset {next} (HighwaterMark {})",
                broker.id, result.high_watermark
            ),
        );
        eof.origin = Some(origin);
        // Counted like a message (its size is the error string's), as
        // handing it to the application uncounts it.
        consumer.count_prefetched(cp, 1, eof.size());
        cp.queue.push(Op::Message(eof));
    }
}

/// Finds the data of aborted transactions under `read_committed`, from the
/// Fetch response's aborted-transactions list, as Kafka's consumer does:
/// an aborted transaction of producer P that began at or before a batch
/// makes P's transactional batches from there on aborted, until P's next
/// marker.
struct AbortedTracker {
    enabled: bool,
    /// Aborted transactions not yet reached, by first offset, descending
    /// (the next one to reach is last).
    pending: Vec<(i64, i64)>,
    /// Producers inside an aborted transaction at the current batch.
    active: HashSet<i64>,
}

impl AbortedTracker {
    fn new(enabled: bool, result: &FetchPartitionResponse) -> AbortedTracker {
        let mut pending: Vec<(i64, i64)> = Vec::new();
        if enabled {
            pending.extend(
                result
                    .aborted_transactions
                    .iter()
                    .flatten()
                    .map(|a| (a.first_offset, a.producer_id)),
            );
            pending.sort_unstable_by(|a, b| b.cmp(a));
        }
        AbortedTracker {
            enabled,
            pending,
            active: HashSet::new(),
        }
    }

    /// Whether `batch` is kept from the application: control batches
    /// (transaction markers) always, and under `read_committed` the data
    /// of aborted transactions. Every batch must pass through here in log
    /// order: a marker ends its producer's aborted transaction.
    fn skip(&mut self, batch: &RecordBatch) -> bool {
        if !self.enabled {
            return batch.is_control();
        }
        while let Some(&(first, producer_id)) = self.pending.last() {
            if first > batch.last_offset() {
                break;
            }
            self.active.insert(producer_id);
            self.pending.pop();
        }
        if batch.is_control() {
            self.active.remove(&batch.producer_id);
            return true;
        }
        batch.is_transactional() && self.active.contains(&batch.producer_id)
    }
}

/// Turns batches into messages on the partition queue; returns the next
/// fetch offset.
fn deliver_batches(
    client: &ClientInner,
    cp: &Arc<ConsumerPartition>,
    origin: &Origin,
    batches: Vec<RecordBatch>,
    mut next: i64,
    mut aborted: AbortedTracker,
    check_crcs: bool,
) -> i64 {
    let consumer = client.consumer.as_ref().expect("consumer");
    let mut records = Vec::with_capacity(
        batches
            .iter()
            .map(|b| usize::try_from(b.records_count).unwrap_or(0))
            .sum::<usize>()
            .min(1 << 16),
    );
    let mut delivered_bytes = 0u64;
    for batch in batches {
        if batch.last_offset() < next {
            continue;
        }
        if check_crcs && batch.verify_crc().is_err() {
            consumer.push_partition_error(
                cp,
                batch.base_offset,
                ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG,
                "record batch CRC mismatch".into(),
            );
            break;
        }
        let skipped = aborted.skip(&batch);
        if batch.is_control() {
            // A stand-in the application never sees, so that its position
            // moves past the marker when it gets there.
            records.push(FetchedRecord {
                offset: batch.last_offset(),
                timestamp: batch.max_timestamp,
                key: None,
                value: None,
                headers: None,
                leader_epoch: batch.partition_leader_epoch,
                timestamp_type: TimestampType::CreateTime,
                control_marker: true,
            });
            next = batch.last_offset() + 1;
            continue;
        }
        if skipped {
            next = batch.last_offset() + 1;
            continue;
        }
        let tstype = match batch.timestamp_type() {
            crate::protocol::record_batch::TimestampType::LogAppendTime => {
                TimestampType::LogAppendTime
            }
            crate::protocol::record_batch::TimestampType::CreateTime => TimestampType::CreateTime,
        };
        // Records are collected as they decode; a batch that fails to
        // decode contributes none of them.
        let (batch_start, next_before) = (records.len(), next);
        let decoded = batch.for_each_record(DEFAULT_MAX_DECOMPRESSED, |r| {
            if r.offset < next {
                return;
            }
            let timestamp = if tstype == TimestampType::LogAppendTime {
                batch.max_timestamp
            } else {
                r.timestamp
            };
            let headers = (!r.headers.is_empty()).then(|| {
                let mut h = Headers::with_capacity(r.headers.len());
                for (name, value) in &r.headers {
                    let _ = h.add(name.as_bytes(), value.as_deref());
                }
                Box::new(h)
            });
            next = r.offset + 1;
            records.push(FetchedRecord {
                offset: r.offset,
                timestamp,
                key: r.key,
                value: r.value,
                headers,
                leader_epoch: batch.partition_leader_epoch,
                timestamp_type: tstype,
                control_marker: false,
            });
        });
        if decoded.is_ok() && records.len() > batch_start {
            delivered_bytes += batch.raw().len() as u64;
        }
        if let Err(e) = decoded {
            records.truncate(batch_start);
            next = next_before;
            consumer.push_partition_error(
                cp,
                batch.base_offset,
                ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG,
                format!("bad record batch: {e}"),
            );
            break;
        }
        next = next.max(batch.last_offset() + 1);
    }
    let markers = records.iter().filter(|r| r.control_marker).count();
    let received = (records.len() - markers) as u64;
    Counters::add(&client.counters.rxmsgs, received);
    Counters::add(&client.counters.rxmsg_bytes, delivered_bytes);
    Counters::add(&cp.rxmsgs, received);
    Counters::add(&cp.rxbytes, delivered_bytes);
    let run = FetchedRun::new(
        cp.topic.clone(),
        cp.partition,
        origin.clone(),
        Instant::now(),
        records,
    );
    consumer.enqueue_fetched(cp, run);
    next
}

/// Applies `auto.offset.reset` after an invalid or out-of-range offset.
fn reset_offset(
    client: &ClientInner,
    cp: &ConsumerPartition,
    version: u64,
    bad_offset: i64,
    why: &str,
) {
    let Some(consumer) = client.consumer.as_ref() else {
        return;
    };
    let reset = consumer.settings.auto_offset_reset;
    let mut s = cp.state.lock();
    if s.version != version {
        return;
    }
    s.resolving = false;
    if reset == RD_KAFKA_OFFSET_BEGINNING || reset == RD_KAFKA_OFFSET_END {
        s.fetch_offset = reset;
        return;
    }
    s.stopped = true;
    drop(s);
    consumer.push_partition_error(
        cp,
        bad_offset,
        ErrorCode::RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET,
        format!("{why} (offset {bad_offset}) and auto.offset.reset is \"error\""),
    );
}

/// A ListOffsets request for `wanted` (partition, logical offset, version).
fn list_offsets_request(client: &ClientInner, wanted: Wanted) -> SourceSend {
    let read_committed = client
        .consumer
        .as_ref()
        .is_some_and(|c| c.settings.read_committed);
    let mut topics: Vec<ListOffsetsTopic> = Vec::new();
    for (cp, logical, _) in &wanted {
        // Beginning asks for the earliest offset; end and tail for the latest.
        let timestamp = if *logical == RD_KAFKA_OFFSET_BEGINNING {
            -2
        } else {
            -1
        };
        let p = ListOffsetsPartition {
            partition_index: cp.partition,
            current_leader_epoch: -1,
            timestamp,
        };
        match topics.iter_mut().find(|t| *t.name == *cp.topic.name) {
            Some(t) => t.partitions.push(p),
            None => topics.push(ListOffsetsTopic {
                name: cp.topic.name.to_string(),
                partitions: vec![p],
            }),
        }
    }
    let request = ListOffsetsRequest {
        replica_id: -1,
        isolation_level: read_committed as i8,
        topics,
    };
    SourceSend {
        request: Box::new(request),
        timeout: client.settings.socket_timeout,
        in_flight: SourceInFlight::ListOffsets(wanted),
    }
}

/// A ListOffsets request's answer or failure: each partition's offset is
/// resolved, or it asks again after a backoff.
fn on_list_offsets(
    client: &ClientInner,
    wanted: Wanted,
    result: Result<ListOffsetsResponse, ErrorCode>,
) {
    for (cp, logical, version) in wanted {
        let found = result.as_ref().ok().and_then(|r| {
            r.topics
                .iter()
                .find(|t| *t.name == *cp.topic.name)
                .and_then(|t| {
                    t.partitions
                        .iter()
                        .find(|p| p.partition_index == cp.partition)
                })
        });
        let mut s = cp.state.lock();
        if s.version != version {
            continue;
        }
        s.resolving = false;
        let failed = match found {
            Some(p) if p.error_code == 0 => {
                let offset = if logical <= RD_KAFKA_OFFSET_TAIL_BASE {
                    (p.offset - (RD_KAFKA_OFFSET_TAIL_BASE - logical)).max(0)
                } else {
                    p.offset
                };
                s.fetch_offset = offset;
                // A failed earlier attempt's backoff must not hold
                // the now resolved partition back.
                s.backoff_until = None;
                if s.position < 0 {
                    s.position = offset;
                }
                None
            }
            Some(p) => {
                let code = ErrorCode::from_code(p.error_code as i32)
                    .unwrap_or(ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN);
                if code.is_retriable()
                    || code == ErrorCode::RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION
                {
                    client.request_metadata_refresh();
                }
                Some(code)
            }
            None => Some(match &result {
                Err(e) => *e,
                Ok(_) => ErrorCode::RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
            }),
        };
        if let Some(err) = failed {
            // The partition asks again after a backoff.
            s.backoff_until = Some(Instant::now() + LIST_OFFSETS_RETRY_BACKOFF);
            drop(s);
            log_list_offsets_failure(client, &cp, err);
        }
        let _ = RD_KAFKA_OFFSET_END;
    }
}

/// How long a partition whose ListOffsets failed waits before the next
/// attempt (librdkafka's offset query retry interval).
const LIST_OFFSETS_RETRY_BACKOFF: std::time::Duration = std::time::Duration::from_millis(500);

/// `debug=fetch`: which partition's ListOffsets failed and why (logged
/// with no partition lock held: the log callback is application code).
fn log_list_offsets_failure(client: &ClientInner, cp: &ConsumerPartition, err: ErrorCode) {
    if client.logger.debug_enabled(crate::client::log::ctx::FETCH) {
        client.log_debug(
            crate::client::log::ctx::FETCH,
            "OFFSET",
            &format!(
                "{}[{}]: ListOffsets failed: {}; retrying in {} ms",
                cp.topic.name,
                cp.partition,
                err.name(),
                LIST_OFFSETS_RETRY_BACKOFF.as_millis()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::messages::fetch::AbortedTransaction;
    use crate::protocol::record_batch::RecordBatchWriter;
    use crate::protocol::Compression;
    use bytes::{Bytes, BytesMut};

    /// Offset of the attributes field in an encoded batch header.
    const ATTRIBUTES_AT: usize = 21;
    const CONTROL: i16 = 0x20;

    /// One transactional batch of `count` records from `producer_id` at
    /// `base_offset`; a control (marker) batch when `control`.
    fn batch(producer_id: i64, base_offset: i64, count: usize, control: bool) -> Bytes {
        let mut w = RecordBatchWriter::new(1_000);
        for _ in 0..count {
            w.append(1_000, None, Some(b"v"), &[]);
        }
        let encoded = w
            .finish(Compression::None, None, producer_id, 0, 0, true)
            .expect("encode");
        let mut raw = BytesMut::from(&encoded[..]);
        raw[..8].copy_from_slice(&base_offset.to_be_bytes());
        if control {
            let attributes =
                i16::from_be_bytes([raw[ATTRIBUTES_AT], raw[ATTRIBUTES_AT + 1]]) | CONTROL;
            raw[ATTRIBUTES_AT..ATTRIBUTES_AT + 2].copy_from_slice(&attributes.to_be_bytes());
        }
        raw.freeze()
    }

    fn skipped(read_committed: bool, aborted: Vec<AbortedTransaction>) -> Vec<(i64, bool)> {
        // Producer 7 commits [0,10) (marker at 10), aborts [11,21) (marker
        // at 21 while producer 8's [22,26) is not aborted), then commits
        // [26,31) (marker at 31).
        let log = [
            batch(7, 0, 10, false),
            batch(7, 10, 1, true),
            batch(7, 11, 10, false),
            batch(7, 21, 1, true),
            batch(8, 22, 4, false),
            batch(7, 26, 5, false),
            batch(7, 31, 1, true),
        ]
        .concat();
        let batches = decode_batches(&Bytes::from(log)).expect("decode");
        let response = FetchPartitionResponse {
            aborted_transactions: Some(aborted),
            ..Default::default()
        };
        let mut tracker = AbortedTracker::new(read_committed, &response);
        // As deliver_batches does: every batch, markers included, in order.
        batches
            .iter()
            .map(|b| (b.base_offset, b.is_control(), tracker.skip(b)))
            .filter(|&(_, control, skipped)| {
                assert!(!control || skipped, "a marker must never be delivered");
                !control
            })
            .map(|(offset, _, skipped)| (offset, skipped))
            .collect()
    }

    #[test]
    fn read_committed_skips_exactly_the_aborted_transaction() {
        let aborted = vec![AbortedTransaction {
            producer_id: 7,
            first_offset: 11,
        }];
        assert_eq!(
            skipped(true, aborted),
            vec![(0, false), (11, true), (22, false), (26, false)]
        );
    }

    /// A fetch that starts at an abort marker still gets that transaction
    /// in its aborted list (its range reaches the fetch offset): the
    /// marker must use it up, or the producer's next, committed,
    /// transaction would be dropped.
    #[test]
    fn a_fetch_starting_at_the_abort_marker_drops_nothing_after_it() {
        let log = [
            batch(7, 21, 1, true),
            batch(7, 22, 4, false),
            batch(7, 26, 1, true),
        ]
        .concat();
        let batches = decode_batches(&Bytes::from(log)).expect("decode");
        let response = FetchPartitionResponse {
            aborted_transactions: Some(vec![AbortedTransaction {
                producer_id: 7,
                first_offset: 11,
            }]),
            ..Default::default()
        };
        let mut tracker = AbortedTracker::new(true, &response);
        let skipped: Vec<bool> = batches.iter().map(|b| tracker.skip(b)).collect();
        assert_eq!(skipped, vec![true, false, true]);
    }

    #[test]
    fn read_uncommitted_delivers_aborted_data() {
        let aborted = vec![AbortedTransaction {
            producer_id: 7,
            first_offset: 11,
        }];
        assert_eq!(
            skipped(false, aborted),
            vec![(0, false), (11, false), (22, false), (26, false)]
        );
    }

    #[test]
    fn an_aborted_transaction_of_another_producer_skips_nothing_here() {
        let aborted = vec![AbortedTransaction {
            producer_id: 9,
            first_offset: 0,
        }];
        assert_eq!(
            skipped(true, aborted),
            vec![(0, false), (11, false), (22, false), (26, false)]
        );
    }
}
