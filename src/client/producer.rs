//! The produce path inside broker threads: choose ready partitions, cut
//! batches from their queues, encode RecordBatch v2, and turn responses into
//! delivery reports or retries.
//!
//! Locality: every function here runs on the broker thread that leads the
//! partitions involved, except [`purge_queues`] (application thread). A
//! partition queue lock is held only to move messages in or out, never while
//! encoding or doing I/O.

use crate::client::broker::handle::BrokerHandle;
use crate::client::message::{MsgBox, MsgStatus, TimestampType};
use crate::client::topic::Partition;
use crate::client::ClientInner;
use crate::error::ErrorCode;
use crate::protocol::messages::produce::{
    ProducePartition, ProduceRequest, ProduceResponse, ProduceTopic,
};
use crate::protocol::record_batch::RecordBatchWriter;
use crate::protocol::{decode_response, DecodeError, EncodeError, Request};
use bytes::Bytes;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const PRODUCE_MIN_VERSION: i16 = ProduceRequest::MIN_VERSION;
pub const PRODUCE_MAX_VERSION: i16 = ProduceRequest::MAX_VERSION;

/// Fixed per-request overhead allowance when packing partitions into one
/// request under `message.max.bytes`.
const BATCH_OVERHEAD: usize = 128;

/// Messages cut from one partition queue for one request.
pub struct PartitionBatch {
    pub partition: Arc<Partition>,
    pub msgs: Vec<MsgBox>,
    /// Payload and key bytes plus a per-record allowance: the records
    /// section's expected size, so the encoder allocates once.
    pub bytes: usize,
}

/// One produce request's worth of batches, before encoding.
pub struct ProduceJob {
    pub acks: i16,
    pub request_timeout: Duration,
    pub batches: Vec<PartitionBatch>,
    bytes: usize,
}

/// A sent produce request awaiting its response.
pub struct ProduceInFlight {
    pub batches: Vec<PartitionBatch>,
    pub broker_id: i32,
    pub sent_at: Instant,
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
pub fn collect(
    client: &ClientInner,
    led: &[Arc<Partition>],
    now: Instant,
    max_jobs: usize,
) -> Vec<ProduceJob> {
    let s = &client.settings;
    let mut jobs: Vec<ProduceJob> = Vec::new();
    for partition in led {
        let mut q = partition.queue.lock();
        let Some(front) = q.msgs.front() else {
            continue;
        };
        if q.backoff_until.is_some_and(|t| t > now)
            || !is_ready(client, q.msgs.len(), q.bytes, front.enqueued_at, now)
        {
            continue;
        }
        let (msgs, bytes) = q.take_batch(s.batch_num_messages, s.batch_size, 32);
        q.backoff_until = None;
        q.in_flight += 1;
        drop(q);

        let settings = &partition.settings;
        let fits = |j: &ProduceJob| {
            j.acks == settings.acks
                && j.request_timeout == settings.request_timeout
                && j.bytes + bytes + BATCH_OVERHEAD <= s.message_max_bytes
        };
        let batch = PartitionBatch {
            partition: partition.clone(),
            msgs,
            bytes,
        };
        match jobs.iter_mut().find(|j| fits(j)) {
            Some(job) => {
                job.bytes += bytes + BATCH_OVERHEAD;
                job.batches.push(batch);
            }
            None => jobs.push(ProduceJob {
                acks: settings.acks,
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

fn encode_batch(batch: &PartitionBatch) -> Result<Bytes, EncodeError> {
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
        -1,
        -1,
        -1,
        false,
    )
}

impl ProduceJob {
    pub fn build_request(&self) -> Result<ProduceRequest, EncodeError> {
        let mut topics: Vec<ProduceTopic> = Vec::new();
        for batch in &self.batches {
            let records = encode_batch(batch)?;
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
            transactional_id: None,
            acks: self.acks,
            timeout_ms: self.request_timeout.as_millis().min(i32::MAX as u128) as i32,
            topics,
        })
    }

    pub fn into_in_flight(self, broker_id: i32) -> ProduceInFlight {
        ProduceInFlight {
            batches: self.batches,
            broker_id,
            sent_at: Instant::now(),
        }
    }
}

/// A job that could not be encoded: its messages fail (this is a bug or an
/// impossible message, retrying would not help).
pub fn fail_job(client: &ClientInner, job: ProduceJob, err: EncodeError) {
    client.log(
        crate::client::log::LOG_ERR,
        "PRODUCE",
        &format!("failed to encode produce request: {err}"),
    );
    for batch in job.batches {
        batch.partition.queue.lock().in_flight -= 1;
        fail_msgs(
            client,
            batch.msgs,
            ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG,
            MsgStatus::NotPersisted,
        );
    }
}

/// acks=0: the broker never answers; the messages are done once written.
pub fn complete_without_ack(client: &ClientInner, in_flight: ProduceInFlight) {
    for batch in in_flight.batches {
        batch.partition.queue.lock().in_flight -= 1;
        let mut msgs = batch.msgs;
        for msg in &mut msgs {
            msg.set_result(
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
                MsgStatus::PossiblyPersisted,
            );
            msg.broker_id = in_flight.broker_id;
        }
        client.deliver(msgs);
    }
}

pub fn on_response(
    client: &ClientInner,
    broker: &BrokerHandle,
    in_flight: ProduceInFlight,
    version: i16,
    frame: &Bytes,
) -> Result<(), DecodeError> {
    let response: ProduceResponse = match decode_response::<ProduceRequest>(version, frame) {
        Ok((_, r)) => r,
        Err(e) => {
            // The broker thread logs why (see `BrokerThread::dispatch`).
            on_failure(client, in_flight, ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG);
            return Err(e);
        }
    };
    if response.throttle_time_ms > 0 {
        client.throttled(&broker.name, broker.id, response.throttle_time_ms);
    }
    // One clock reading for every message's latency in this response.
    let now = Instant::now();
    for batch in in_flight.batches {
        batch.partition.queue.lock().in_flight -= 1;
        let result = response
            .topics
            .iter()
            .find(|t| *t.name == *batch.partition.topic)
            .and_then(|t| t.partitions.iter().find(|p| p.index == batch.partition.id));
        let Some(result) = result else {
            retry_or_fail(
                client,
                batch,
                ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG,
                MsgStatus::PossiblyPersisted,
            );
            continue;
        };
        let err = ErrorCode::from_code(result.error_code as i32)
            .unwrap_or(ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN);
        if err != ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR {
            retry_or_fail(client, batch, err, MsgStatus::NotPersisted);
            continue;
        }
        let mut msgs = batch.msgs;
        for (i, msg) in msgs.iter_mut().enumerate() {
            msg.set_offset(result.base_offset + i as i64);
            if result.log_append_time_ms >= 0 {
                msg.timestamp = result.log_append_time_ms;
                msg.timestamp_type = TimestampType::LogAppendTime;
            }
            msg.broker_id = in_flight.broker_id;
            msg.latency_us = now.saturating_duration_since(msg.enqueued_at).as_micros() as i64;
            msg.set_result(ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR, MsgStatus::Persisted);
        }
        crate::client::counters::Counters::add(&client.counters.txmsgs, msgs.len() as u64);
        client.deliver(msgs);
    }
    Ok(())
}

/// `rd_kafka_purge(RD_KAFKA_PURGE_F_INFLIGHT)`: the messages fail now.
pub fn on_purged(client: &ClientInner, in_flight: ProduceInFlight) {
    for batch in in_flight.batches {
        batch.partition.queue.lock().in_flight -= 1;
        fail_msgs(
            client,
            batch.msgs,
            ErrorCode::RD_KAFKA_RESP_ERR__PURGE_INFLIGHT,
            MsgStatus::PossiblyPersisted,
        );
    }
}

/// The whole request failed (connection lost, timeout, undecodable response).
pub fn on_failure(client: &ClientInner, in_flight: ProduceInFlight, err: ErrorCode) {
    for batch in in_flight.batches {
        batch.partition.queue.lock().in_flight -= 1;
        // The request may have reached the broker.
        retry_or_fail(client, batch, err, MsgStatus::PossiblyPersisted);
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
        return fail_msgs(client, batch.msgs, err, fail_status);
    }
    let now = Instant::now();
    let max_retries = client.settings.retries;
    let mut retry = Vec::with_capacity(batch.msgs.len());
    let mut failed = Vec::new();
    let mut timed_out = Vec::new();
    for mut msg in batch.msgs {
        msg.retries += 1;
        if msg.deadline.is_some_and(|d| d <= now) {
            timed_out.push(msg);
        } else if msg.retries > max_retries {
            failed.push(msg);
        } else {
            retry.push(msg);
        }
    }
    if !retry.is_empty() {
        let mut q = batch.partition.queue.lock();
        q.push_front_all(retry);
        q.backoff_until = Some(now + client.settings.retry_backoff);
    }
    fail_msgs(client, failed, err, fail_status);
    fail_msgs(
        client,
        timed_out,
        ErrorCode::RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
        fail_status,
    );
}

pub fn fail_msgs(client: &ClientInner, mut msgs: Vec<MsgBox>, err: ErrorCode, status: MsgStatus) {
    if msgs.is_empty() {
        return;
    }
    for msg in &mut msgs {
        msg.set_result(err, status);
    }
    client.deliver(msgs);
}

/// Fails messages whose `message.timeout.ms` has passed while queued.
pub fn expire_messages(client: &ClientInner, led: &[Arc<Partition>], now: Instant) {
    for partition in led {
        let expired = take_expired(&mut partition.queue.lock(), now);
        fail_msgs(
            client,
            expired,
            ErrorCode::RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
            MsgStatus::NotPersisted,
        );
    }
}

pub fn take_expired(q: &mut crate::client::topic::PartitionQueue, now: Instant) -> Vec<MsgBox> {
    let mut expired = Vec::new();
    while q
        .msgs
        .front()
        .is_some_and(|m| m.deadline.is_some_and(|d| d <= now))
    {
        if let Some(msg) = q.pop_front() {
            expired.push(msg);
        }
    }
    expired
}

/// When the broker thread must next look at its partitions (linger expiry,
/// retry backoff end, or a message timeout).
pub fn next_deadline(
    client: &ClientInner,
    led: &[Arc<Partition>],
    now: Instant,
) -> Option<Instant> {
    let mut next: Option<Instant> = None;
    let mut consider = |t: Instant| next = Some(next.map_or(t, |n| n.min(t)));
    for partition in led {
        let q = partition.queue.lock();
        let Some(front) = q.msgs.front() else {
            continue;
        };
        if let Some(deadline) = front.deadline {
            consider(deadline);
        }
        let ready_at = if is_ready(client, q.msgs.len(), q.bytes, front.enqueued_at, now) {
            now
        } else {
            front.enqueued_at + client.settings.linger
        };
        consider(q.backoff_until.map_or(ready_at, |b| b.max(ready_at)));
    }
    next
}
