//! Per-broker produce, owned by the broker thread (franz-go's `sink`):
//! choose ready partitions among those this broker leads, cut batches from
//! their queues, encode RecordBatch v2, and turn responses into delivery
//! reports or retries. The thread writes the requests [`Sink::requests`]
//! builds and hands every outcome back to [`Sink::complete`] through the
//! one in-flight table (`broker::thread`).
//!
//! Locality: runs on the broker thread that leads the partitions involved.
//! A partition queue lock is held only to move messages in or out, never
//! while encoding or doing I/O.

use super::handle::{decode_raw, BrokerHandle, RawResponse};
use crate::client::counters::Counters;
use crate::client::idempotence::ProducerId;
use crate::client::message::{MsgBox, MsgStatus, TimestampType};
use crate::client::topic::{Partition, PartitionQueue};
use crate::client::ClientInner;
use crate::error::ErrorCode;
use crate::protocol::messages::produce::{
    ProducePartition, ProduceRequest, ProduceResponse, ProduceTopic,
};
use crate::protocol::record_batch::RecordBatchWriter;
use crate::protocol::{DecodeError, EncodeError, Request};
use bytes::Bytes;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// This broker's produce path; the broker thread owns it.
pub struct Sink {
    client: Arc<ClientInner>,
    broker: Arc<BrokerHandle>,
}

/// A produce request ready to write, and what its answer completes.
pub struct ProduceSend {
    pub request: ProduceRequest,
    pub timeout: Duration,
    /// acks=0: the broker never answers; the batches are done once written.
    pub needs_ack: bool,
    pub in_flight: ProduceInFlight,
}

impl Sink {
    pub fn new(client: Arc<ClientInner>, broker: Arc<BrokerHandle>) -> Sink {
        Sink { client, broker }
    }

    /// Whether any partition this broker leads has messages waiting.
    pub fn has_messages(&self) -> bool {
        self.broker
            .led
            .lock()
            .iter()
            .any(|p| !p.queue.lock().msgs.is_empty())
    }

    /// Cuts ready batches into at most `room` produce requests. Batches
    /// that cannot be encoded fail here.
    pub fn requests(&mut self, now: Instant, room: usize) -> Vec<ProduceSend> {
        let led = self.broker.led.lock().clone();
        let mut out = Vec::new();
        for mut job in collect(&self.client, &self.broker, &led, now, room) {
            match job.build_request(
                self.client
                    .txn
                    .as_ref()
                    .map(|t| t.transactional_id.as_str()),
            ) {
                Ok(request) => out.push(ProduceSend {
                    request,
                    timeout: job.request_timeout,
                    needs_ack: job.acks != 0,
                    in_flight: job.into_in_flight(self.broker.id),
                }),
                Err(e) => fail_job(&self.client, job, e),
            }
        }
        out
    }

    /// acks=0: the request was written; the messages are done.
    pub fn written_without_ack(&mut self, in_flight: ProduceInFlight) {
        complete_without_ack(&self.client, in_flight);
    }

    /// A produce request's answer or failure: delivery reports, or retries.
    /// Returns why a response could not be decoded (its batches then
    /// failed with `_BAD_MSG`), for the broker thread to log.
    pub fn complete(
        &mut self,
        in_flight: ProduceInFlight,
        result: Result<RawResponse, ErrorCode>,
    ) -> Option<DecodeError> {
        let (result, undecodable) = decode_raw::<ProduceRequest>(result);
        match result {
            Ok(response) => {
                self.client
                    .throttled(&self.broker, response.throttle_time_ms);
                on_response(&self.client, in_flight, response)
            }
            Err(err) => on_failure(&self.client, in_flight, err),
        }
        undecodable
    }

    /// `rd_kafka_purge(RD_KAFKA_PURGE_F_INFLIGHT)`: the messages of a
    /// request in flight fail now; its late response finds no batches.
    pub fn purge(&mut self, in_flight: &mut ProduceInFlight) {
        let purged = ProduceInFlight {
            batches: std::mem::take(&mut in_flight.batches),
            broker_id: in_flight.broker_id,
            producer_id: in_flight.producer_id,
        };
        on_purged(&self.client, purged);
    }

    /// Fails messages whose `message.timeout.ms` has passed while queued.
    pub fn expire_messages(&self, now: Instant) {
        expire_messages(&self.client, &self.broker.led.lock(), now);
    }

    /// When the broker thread must next look at its partitions (linger
    /// expiry, retry backoff end, or a message timeout).
    pub fn next_deadline(&self, now: Instant) -> Option<Instant> {
        next_deadline(&self.client, self.broker.id, &self.broker.led.lock(), now)
    }
}

pub const PRODUCE_MIN_VERSION: i16 = ProduceRequest::MIN_VERSION;
pub const PRODUCE_MAX_VERSION: i16 = ProduceRequest::MAX_VERSION;

/// Fixed per-request overhead allowance when packing partitions into one
/// request under `message.max.bytes`.
const BATCH_OVERHEAD: usize = 128;

/// Messages cut from one partition queue for one request.
pub struct PartitionBatch {
    pub partition: Arc<Partition>,
    pub msgs: Vec<MsgBox>,
    /// Idempotent producer: the first message's sequence number, else -1.
    pub base_sequence: i32,
    /// Payload and key bytes plus a per-record allowance: the records
    /// section's expected size, so the encoder allocates once.
    pub bytes: usize,
    /// The encoded record batch's size, framing included (statistics).
    pub encoded_bytes: usize,
}

/// One produce request's worth of batches, before encoding.
pub struct ProduceJob {
    pub acks: i16,
    /// The idempotent producer's id the batches are numbered under.
    pub producer_id: ProducerId,
    pub request_timeout: Duration,
    pub batches: Vec<PartitionBatch>,
    bytes: usize,
}

/// A sent produce request awaiting its response.
pub struct ProduceInFlight {
    pub batches: Vec<PartitionBatch>,
    pub broker_id: i32,
    pub producer_id: ProducerId,
}

impl ProduceInFlight {
    /// Messages in this request (the broker's `outbuf_msg_cnt` and
    /// `waitresp_msg_cnt`).
    pub fn message_count(&self) -> usize {
        self.batches.iter().map(|b| b.msgs.len()).sum()
    }
}

fn is_ready(
    client: &ClientInner,
    msgs: usize,
    bytes: usize,
    oldest: Instant,
    now: Instant,
) -> bool {
    let s = &client.settings;
    msgs >= s.batch_num_messages
        || bytes >= s.batch_size
        || client.is_flushing()
        || oldest + s.linger <= now
}

/// Cuts ready batches from `led` into at most `max_jobs` produce requests.
fn collect(
    client: &ClientInner,
    broker: &BrokerHandle,
    led: &[Arc<Partition>],
    now: Instant,
    max_jobs: usize,
) -> Vec<ProduceJob> {
    let s = &client.settings;
    let mut jobs: Vec<ProduceJob> = Vec::new();
    let producer_id = match &client.idempotence {
        Some(idempotence) => match idempotence.current() {
            Some(pid) => pid,
            // No producer id yet, or draining for an epoch bump.
            None => return jobs,
        },
        None => ProducerId::NONE,
    };
    for partition in led {
        let mut q = partition.queue.lock();
        if producer_id.is_valid() && !prepare_numbering(&mut q, producer_id, broker.id) {
            continue;
        }
        let Some(front) = q.msgs.front() else {
            continue;
        };
        if let Some(txn) = &client.txn {
            if !txn.is_added(partition) {
                drop(q);
                txn.may_send(client, partition);
                continue;
            }
        }
        let retried = front.batch_sequence >= 0;
        let resent = retried || front.retries > 0;
        if q.backoff_until.is_some_and(|t| t > now)
            || !(retried || is_ready(client, q.msgs.len(), q.bytes, front.enqueued_at, now))
        {
            continue;
        }
        let (mut msgs, bytes) = if retried {
            q.take_retried_batch(32)
        } else {
            q.take_batch(s.batch_num_messages, s.batch_size, 32)
        };
        let base_sequence = if !producer_id.is_valid() {
            -1
        } else if retried {
            msgs[0].batch_sequence
        } else {
            let base = q.next_sequence;
            for msg in &mut msgs {
                msg.batch_sequence = base;
            }
            q.next_sequence = add_sequence(base, msgs.len());
            base
        };
        q.backoff_until = None;
        if q.in_flight == 0 {
            q.in_flight_broker = broker.id;
        }
        q.in_flight += 1;
        q.msgs_in_flight += msgs.len();
        drop(q);
        if resent {
            Counters::add(&broker.stats.txretries, 1);
        } else {
            // A message's wait in the producer queue, once: a retry's
            // second wait is backoff, not queueing.
            let latencies = msgs
                .iter()
                .map(|m| now.saturating_duration_since(m.enqueued_at).as_micros() as i64);
            broker.stats.int_latency.record_all(latencies);
        }
        if let Some(idempotence) = &client.idempotence {
            idempotence.batch_sent();
        }

        let settings = &partition.settings;
        let fits = |j: &ProduceJob| {
            j.acks == settings.acks
                && j.request_timeout == settings.request_timeout
                && j.bytes + bytes + BATCH_OVERHEAD <= s.message_max_bytes
        };
        let batch = PartitionBatch {
            partition: partition.clone(),
            msgs,
            base_sequence,
            bytes,
            encoded_bytes: 0,
        };
        match jobs.iter_mut().find(|j| fits(j)) {
            Some(job) => {
                job.bytes += bytes + BATCH_OVERHEAD;
                job.batches.push(batch);
            }
            None => jobs.push(ProduceJob {
                acks: settings.acks,
                producer_id,
                request_timeout: settings.request_timeout,
                batches: vec![batch],
                bytes: bytes + BATCH_OVERHEAD,
            }),
        }
        if jobs.len() >= max_jobs
            && jobs
                .last()
                .is_some_and(|j| j.bytes >= s.message_max_bytes / 2)
        {
            break;
        }
    }
    jobs
}

/// Idempotent producer: a partition sends another batch only while fewer
/// of its messages than this are in flight. librdkafka 2.0.2 compares its
/// window of 5 (`RD_KAFKA_IDEMP_MAX_INFLIGHT`) with the partition's
/// messages in flight, not its requests, so a batch of 5 or more messages
/// is alone in flight for its partition. That is what keeps a partition in
/// produce order on a broker that does not check sequence numbers: when a
/// batch fails, no later batch of its partition can be stored before its
/// retry (`tests/idempotence.rs`,
/// `a_failed_batch_is_never_overtaken_on_a_broker_without_sequence_checks`).
/// Requests for different partitions still share the connection's
/// `max.in.flight`.
const IDEMPOTENT_IN_FLIGHT_WINDOW: usize = 5;

/// Idempotent producer: whether `q` must hold its batches until those in
/// flight have come back: those were numbered under an older id; or they
/// went to another broker (the old leader: they may still fail and be
/// resent, and a batch sent to the new leader meanwhile would overtake
/// them, librdkafka's drain before producing to a new leader); or the
/// front is a retried batch (batches are resent in sequence order, after
/// every batch sent after them has come back); or the window is full.
fn waits_for_in_flight(q: &PartitionQueue, producer_id: ProducerId, broker_id: i32) -> bool {
    q.in_flight > 0
        && (q.producer_id != producer_id
            || q.in_flight_broker != broker_id
            || q.msgs_in_flight >= IDEMPOTENT_IN_FLIGHT_WINDOW
            || q.msgs.front().is_some_and(|m| m.batch_sequence >= 0))
}

/// Idempotent producer: whether `q` may send to `broker_id` now under
/// `producer_id`, renumbering it first when the id or epoch changed.
fn prepare_numbering(q: &mut PartitionQueue, producer_id: ProducerId, broker_id: i32) -> bool {
    if waits_for_in_flight(q, producer_id, broker_id) {
        return false;
    }
    if q.producer_id != producer_id {
        q.renumber(producer_id);
    }
    true
}

/// Sequence numbers wrap from `i32::MAX` to 0, as Kafka's do.
fn add_sequence(sequence: i32, n: usize) -> i32 {
    ((sequence as i64 + n as i64) % (i32::MAX as i64 + 1)) as i32
}

fn encode_batch(
    batch: &PartitionBatch,
    producer_id: ProducerId,
    transactional: bool,
) -> Result<Bytes, EncodeError> {
    let first_ts = batch.msgs.first().map_or(0, |m| m.timestamp);
    let mut writer = RecordBatchWriter::with_capacity(first_ts, batch.bytes);
    let mut header_refs: Vec<(&[u8], Option<&[u8]>)> = Vec::new();
    for msg in &batch.msgs {
        header_refs.clear();
        if let Some(headers) = &msg.headers {
            header_refs.extend(headers.iter().map(|h| (h.name(), h.value())));
        }
        writer.append(msg.timestamp, msg.key(), msg.payload(), &header_refs);
    }
    let settings = &batch.partition.settings;
    writer.finish(
        settings.compression,
        settings.compression_level,
        producer_id.id,
        producer_id.epoch,
        batch.base_sequence,
        transactional,
    )
}

impl ProduceJob {
    pub fn build_request(
        &mut self,
        transactional_id: Option<&str>,
    ) -> Result<ProduceRequest, EncodeError> {
        let mut topics: Vec<ProduceTopic> = Vec::new();
        for batch in &mut self.batches {
            let records = encode_batch(batch, self.producer_id, transactional_id.is_some())?;
            batch.encoded_bytes = records.len();
            if let Some(topic) = batch.msgs.first().and_then(|m| m.topic.as_ref()) {
                topic.stats.batchsize.record(records.len() as i64);
                topic.stats.batchcnt.record(batch.msgs.len() as i64);
            }
            let data = ProducePartition {
                index: batch.partition.id,
                records: Some(records),
            };
            match topics
                .iter_mut()
                .find(|t| *t.name == *batch.partition.topic)
            {
                Some(topic) => topic.partitions.push(data),
                None => topics.push(ProduceTopic {
                    name: batch.partition.topic.to_string(),
                    partitions: vec![data],
                }),
            }
        }
        Ok(ProduceRequest {
            transactional_id: transactional_id.map(str::to_string),
            acks: self.acks,
            timeout_ms: self.request_timeout.as_millis().min(i32::MAX as u128) as i32,
            topics,
        })
    }

    pub fn into_in_flight(self, broker_id: i32) -> ProduceInFlight {
        ProduceInFlight {
            batches: self.batches,
            broker_id,
            producer_id: self.producer_id,
        }
    }
}

/// A job that could not be encoded: its messages fail (this is a bug or an
/// impossible message, retrying would not help).
fn fail_job(client: &ClientInner, job: ProduceJob, err: EncodeError) {
    client.log(
        crate::client::log::LOG_ERR,
        "PRODUCE",
        &format!("failed to encode produce request: {err}"),
    );
    for batch in job.batches {
        batch_finished(client, &batch.partition, batch.msgs.len());
        client.fail_msgs(
            batch.msgs,
            ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG,
            MsgStatus::NotPersisted,
        );
    }
}

/// acks=0: the broker never answers; the messages are done once written.
fn complete_without_ack(client: &ClientInner, in_flight: ProduceInFlight) {
    for batch in in_flight.batches {
        batch_finished(client, &batch.partition, batch.msgs.len());
        let mut msgs = batch.msgs;
        for msg in &mut msgs {
            msg.set_result(
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
                MsgStatus::PossiblyPersisted,
            );
            msg.broker_id = in_flight.broker_id;
        }
        count_transmitted(client, &batch.partition, msgs.len(), batch.encoded_bytes);
        client.deliver(msgs);
    }
}

/// Statistics of a batch the broker stored (or, acks=0, that was written):
/// the client's and the partition's `txmsgs` and bytes.
fn count_transmitted(client: &ClientInner, partition: &Partition, msgs: usize, bytes: usize) {
    Counters::add(&client.counters.txmsgs, msgs as u64);
    Counters::add(&client.counters.txmsg_bytes, bytes as u64);
    Counters::add(&partition.txmsgs, msgs as u64);
    Counters::add(&partition.txbytes, bytes as u64);
}

/// A batch of `sent` messages to `partition` is over (answered, failed or
/// purged). Called once its messages are delivered or back in the queue:
/// another broker thread (the partition's new leader) may be waiting for
/// the count to reach 0, and must then find a retry at the front of the
/// queue. The last batch back from a former leader wakes the new one.
fn batch_finished(client: &ClientInner, partition: &Partition, sent: usize) {
    let mut q = partition.queue.lock();
    q.in_flight -= 1;
    q.msgs_in_flight -= sent;
    let leader = partition.leader();
    let leader_waited = q.in_flight == 0 && q.in_flight_broker != leader;
    drop(q);
    if leader_waited {
        client.wake_broker(leader);
    }
    if let Some(idempotence) = &client.idempotence {
        idempotence.batch_done(client);
    }
}

/// What an idempotent producer does with a partition's error.
enum IdempotentOutcome {
    /// The broker had stored the batch already: a success.
    Duplicate,
    /// Resend the batch with its sequence numbers.
    Retry,
    /// Fail the messages (the error's usual handling).
    Usual,
    /// Fail the messages now, whether the error is retriable or not.
    Fail,
}

/// librdkafka's handling of the errors that concern the producer id and
/// sequence numbers; everything else is handled as without idempotence.
fn idempotent_error(
    client: &ClientInner,
    batch: &PartitionBatch,
    producer_id: ProducerId,
    broker_id: i32,
    err: ErrorCode,
) -> IdempotentOutcome {
    use crate::error::rd_kafka_resp_err_t::*;
    let Some(idempotence) = &client.idempotence else {
        return IdempotentOutcome::Usual;
    };
    let first_unacked = batch.partition.queue.lock().next_ack_sequence == batch.base_sequence;
    let what = || {
        format!(
            "{} [{}] with {} message(s)",
            batch.partition.topic,
            batch.partition.id,
            batch.msgs.len(),
        )
    };
    let ids = || {
        format!(
            "PID{{Id:{},Epoch:{}}}, base seq {}",
            producer_id.id, producer_id.epoch, batch.base_sequence
        )
    };
    match err {
        RD_KAFKA_RESP_ERR_DUPLICATE_SEQUENCE_NUMBER => IdempotentOutcome::Duplicate,
        // Behind an earlier batch that failed: the broker saw the gap the
        // earlier batch's retry fills. For the oldest batch not yet
        // acknowledged, the broker lost (or never had) what came before:
        // librdkafka 2.0 makes that a fatal error for an idempotent
        // producer, and fails the batch.
        RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER => {
            if !first_unacked {
                return IdempotentOutcome::Retry;
            }
            client.set_fatal_error(
                err,
                format!(
                    "ProduceRequest for {} failed due to sequence desynchronization with broker {broker_id} ({})",
                    what(),
                    ids()
                ),
            );
            IdempotentOutcome::Fail
        }
        // The broker no longer knows the producer (its state expired with
        // the log): start over under a new epoch, nothing was lost.
        RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID => {
            if first_unacked {
                idempotence.drain_bump(
                    client,
                    &format!(
                        "ProduceRequest for {} failed: unknown producer id ({})",
                        what(),
                        ids()
                    ),
                );
            }
            IdempotentOutcome::Retry
        }
        RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH | RD_KAFKA_RESP_ERR_PRODUCER_FENCED => {
            // A transactional producer was fenced by a newer instance with
            // its transactional.id: librdkafka's fatal error is `_FENCED`.
            client.set_fatal_error(
                if client.txn.is_some() {
                    RD_KAFKA_RESP_ERR__FENCED
                } else {
                    err
                },
                format!(
                    "ProduceRequest for {} failed: producer fenced ({})",
                    what(),
                    ids()
                ),
            );
            IdempotentOutcome::Fail
        }
        _ => IdempotentOutcome::Usual,
    }
}

fn on_response(client: &ClientInner, in_flight: ProduceInFlight, response: ProduceResponse) {
    // One clock reading for every message's latency in this response.
    let now = Instant::now();
    for batch in in_flight.batches {
        let (partition, sent) = (batch.partition.clone(), batch.msgs.len());
        on_batch_response(
            client,
            batch,
            in_flight.producer_id,
            in_flight.broker_id,
            &response,
            now,
        );
        // After a retry went back in the queue: see `batch_finished`.
        batch_finished(client, &partition, sent);
    }
}

/// One partition's result in a produce response: a delivery report, or a
/// retry.
fn on_batch_response(
    client: &ClientInner,
    batch: PartitionBatch,
    producer_id: ProducerId,
    broker_id: i32,
    response: &ProduceResponse,
    now: Instant,
) {
    let result = response
        .topics
        .iter()
        .find(|t| *t.name == *batch.partition.topic)
        .and_then(|t| t.partitions.iter().find(|p| p.index == batch.partition.id));
    let Some(result) = result else {
        return retry_or_fail(
            client,
            batch,
            ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG,
            MsgStatus::PossiblyPersisted,
        );
    };
    let mut err = ErrorCode::from_code(result.error_code as i32)
        .unwrap_or(ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN);
    if err != ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR && batch.base_sequence >= 0 {
        match idempotent_error(client, &batch, producer_id, broker_id, err) {
            IdempotentOutcome::Duplicate => err = ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
            IdempotentOutcome::Retry => return retry(client, batch, now),
            IdempotentOutcome::Fail => {
                return client.fail_msgs(batch.msgs, err, MsgStatus::NotPersisted)
            }
            IdempotentOutcome::Usual => {}
        }
    }
    if err != ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR {
        return retry_or_fail(client, batch, err, MsgStatus::NotPersisted);
    }
    if batch.base_sequence >= 0 {
        let mut q = batch.partition.queue.lock();
        if q.producer_id == producer_id {
            q.next_ack_sequence = add_sequence(batch.base_sequence, batch.msgs.len());
        }
        q.acked += batch.msgs.len() as u64;
    }
    let mut msgs = batch.msgs;
    for (i, msg) in msgs.iter_mut().enumerate() {
        msg.set_offset(if result.base_offset >= 0 {
            result.base_offset + i as i64
        } else {
            -1
        });
        if result.log_append_time_ms >= 0 {
            msg.timestamp = result.log_append_time_ms;
            msg.timestamp_type = TimestampType::LogAppendTime;
        }
        msg.broker_id = broker_id;
        msg.latency_us = now.saturating_duration_since(msg.enqueued_at).as_micros() as i64;
        msg.set_result(ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR, MsgStatus::Persisted);
    }
    count_transmitted(client, &batch.partition, msgs.len(), batch.encoded_bytes);
    client.deliver(msgs);
}

/// `rd_kafka_purge(RD_KAFKA_PURGE_F_INFLIGHT)`: the messages fail now.
fn on_purged(client: &ClientInner, in_flight: ProduceInFlight) {
    for batch in in_flight.batches {
        batch_finished(client, &batch.partition, batch.msgs.len());
        failed_numbered(
            client,
            &batch.msgs,
            ErrorCode::RD_KAFKA_RESP_ERR__PURGE_INFLIGHT,
        );
        client.fail_msgs(
            batch.msgs,
            ErrorCode::RD_KAFKA_RESP_ERR__PURGE_INFLIGHT,
            MsgStatus::PossiblyPersisted,
        );
    }
}

/// The whole request failed (connection lost, timeout, undecodable response).
fn on_failure(client: &ClientInner, in_flight: ProduceInFlight, err: ErrorCode) {
    for batch in in_flight.batches {
        let (partition, sent) = (batch.partition.clone(), batch.msgs.len());
        // The request may have reached the broker.
        retry_or_fail(client, batch, err, MsgStatus::PossiblyPersisted);
        batch_finished(client, &partition, sent);
    }
}

fn needs_metadata_refresh(err: ErrorCode) -> bool {
    use crate::error::rd_kafka_resp_err_t::*;
    matches!(
        err,
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION
            | RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE
            | RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART
            | RD_KAFKA_RESP_ERR__TRANSPORT
            | RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR
            | RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH
    )
}

/// Idempotent producer: messages that were sent with sequence numbers
/// failed, so the broker will see a gap; recover with an epoch bump (or a
/// fatal error under `enable.gapless.guarantee`).
fn failed_numbered(client: &ClientInner, msgs: &[MsgBox], err: ErrorCode) {
    let Some(idempotence) = &client.idempotence else {
        return;
    };
    let Some(first) = msgs.iter().find(|m| m.batch_sequence >= 0) else {
        return;
    };
    let topic = first.topic.as_ref().map_or("", |t| &t.name);
    let reason = format!(
        "ProduceRequest for {topic} [{}] with {} message(s) failed: {} (base seq {})",
        first.rkmessage.partition,
        msgs.len(),
        err.description(),
        first.batch_sequence
    );
    if err == ErrorCode::RD_KAFKA_RESP_ERR__MSG_TIMED_OUT {
        idempotence.drain_bump_after(client, err, &reason);
    } else {
        idempotence.gap_after(client, err, &reason);
    }
}

/// Puts a batch back for another attempt after `retry.backoff.ms`: an
/// idempotent producer's batch goes back in sequence order, unchanged.
fn retry(client: &ClientInner, batch: PartitionBatch, now: Instant) {
    let mut q = batch.partition.queue.lock();
    if batch.base_sequence >= 0 {
        q.insert_retry(batch.msgs);
    } else {
        q.push_front_all(batch.msgs);
    }
    q.backoff_until = Some(now + client.settings.retry_backoff);
    drop(q);
    client.purge_if_fatal(&batch.partition);
}

fn retry_or_fail(
    client: &ClientInner,
    batch: PartitionBatch,
    err: ErrorCode,
    fail_status: MsgStatus,
) {
    if needs_metadata_refresh(err) {
        client.request_metadata_refresh();
    }
    if !err.is_retriable() {
        failed_numbered(client, &batch.msgs, err);
        return client.fail_msgs(batch.msgs, err, fail_status);
    }
    let now = Instant::now();
    let max_retries = client.settings.retries;
    let mut retried = Vec::with_capacity(batch.msgs.len());
    let mut failed = Vec::new();
    let mut timed_out = Vec::new();
    for mut msg in batch.msgs {
        msg.retries += 1;
        if msg.deadline.is_some_and(|d| d <= now) {
            timed_out.push(msg);
        } else if msg.retries > max_retries {
            failed.push(msg);
        } else {
            retried.push(msg);
        }
    }
    if !retried.is_empty() {
        retry(
            client,
            PartitionBatch {
                msgs: retried,
                ..batch
            },
            now,
        );
    }
    failed_numbered(client, &failed, err);
    failed_numbered(
        client,
        &timed_out,
        ErrorCode::RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
    );
    client.fail_msgs(failed, err, fail_status);
    client.fail_msgs(
        timed_out,
        ErrorCode::RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
        fail_status,
    );
}

fn expire_messages(client: &ClientInner, led: &[Arc<Partition>], now: Instant) {
    for partition in led {
        let expired = partition.queue.lock().take_expired(now);
        // A message sent before and waiting for its retry may have been
        // stored: its outcome is unknown.
        let status = if expired.iter().any(|m| m.batch_sequence >= 0) {
            MsgStatus::PossiblyPersisted
        } else {
            MsgStatus::NotPersisted
        };
        failed_numbered(
            client,
            &expired,
            ErrorCode::RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
        );
        client.fail_msgs(expired, ErrorCode::RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, status);
    }
}

fn next_deadline(
    client: &ClientInner,
    broker_id: i32,
    led: &[Arc<Partition>],
    now: Instant,
) -> Option<Instant> {
    let mut next: Option<Instant> = None;
    let mut consider = |t: Instant| next = Some(next.map_or(t, |n| n.min(t)));
    // Idempotent producer without a producer id to send under: only
    // message timeouts are due; the id's arrival wakes every broker.
    let producer_id = match &client.idempotence {
        Some(idempotence) => idempotence.current(),
        None => Some(ProducerId::NONE),
    };
    for partition in led {
        let q = partition.queue.lock();
        let Some(front) = q.msgs.front() else {
            continue;
        };
        if let Some(deadline) = front.deadline {
            consider(deadline);
        }
        if client
            .txn
            .as_ref()
            .is_some_and(|txn| !txn.is_added(partition))
        {
            // Registration answers wake the broker.
            continue;
        }
        let sendable = match producer_id {
            None => false,
            // Waiting for answers: the last one wakes the leader's thread.
            Some(pid) if pid.is_valid() => !waits_for_in_flight(&q, pid, broker_id),
            Some(_) => true,
        };
        if !sendable {
            continue;
        }
        let ready_at = if front.batch_sequence >= 0
            || is_ready(client, q.msgs.len(), q.bytes, front.enqueued_at, now)
        {
            now
        } else {
            front.enqueued_at + client.settings.linger
        };
        consider(q.backoff_until.map_or(ready_at, |b| b.max(ready_at)));
    }
    next
}
