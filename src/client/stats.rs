//! Statistics (`statistics.interval.ms`): a JSON document with every
//! field of librdkafka 2.0.2's STATISTICS.md, same names, types and
//! meaning, built with serde_json on the main thread and emitted as an
//! `Op::Stats` for `stats_cb` or the STATS event.
//!
//! The values come from where they are counted: `counters.rs` (client and
//! broker counters, bumped by the threads that do the work), the windows
//! of `window.rs` (rolled over here, once per document, as librdkafka's),
//! the partition queues, the consumer's partition state, the group (passed
//! in by the main thread, which owns it) and the idempotent producer.
//! Where a field has no counterpart in our design, it carries what
//! librdkafka 2.0.2 reports in the equivalent situation; each such place
//! says so.

use crate::abi::RD_KAFKA_OFFSET_INVALID;
use crate::client::broker::handle::{BrokerHandle, BrokerState};
use crate::client::consumer::ConsumerPartition;
use crate::client::counters::{monotonic_us, MAX_COUNTED_API_KEY};
use crate::client::group::GroupStats;
use crate::client::topic::{Partition, Topic};
use crate::client::txn::TxnState;
use crate::client::ClientInner;
use serde_json::{json, Map, Value};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

fn broker_state(state: BrokerState) -> &'static str {
    state.librdkafka_name()
}

/// Which request types a broker's `req` object lists: librdkafka 2.0.2
/// leaves out those a client of the type never sends, and the admin
/// requests until one was sent.
#[derive(Clone, Copy, PartialEq)]
enum Listed {
    Always,
    /// Broker-to-broker requests: never listed.
    Never,
    ProducerOnly,
    ConsumerOnly,
    WhenSent,
}

/// librdkafka's name for each API key up to `MAX_COUNTED_API_KEY`
/// (`rd_kafka_ApiKey2str`), and when it is listed.
const REQUEST_TYPES: [(&str, Listed); MAX_COUNTED_API_KEY + 1] = {
    use Listed::*;
    [
        ("Produce", ProducerOnly),
        ("Fetch", ConsumerOnly),
        ("ListOffsets", Always),
        ("Metadata", Always),
        ("LeaderAndIsr", Never),
        ("StopReplica", Never),
        ("UpdateMetadata", Never),
        ("ControlledShutdown", Never),
        ("OffsetCommit", ConsumerOnly),
        ("OffsetFetch", ConsumerOnly),
        ("FindCoordinator", Always),
        ("JoinGroup", ConsumerOnly),
        ("Heartbeat", ConsumerOnly),
        ("LeaveGroup", ConsumerOnly),
        ("SyncGroup", ConsumerOnly),
        ("DescribeGroups", WhenSent),
        ("ListGroups", WhenSent),
        ("SaslHandshake", Always),
        ("ApiVersion", Always),
        ("CreateTopics", WhenSent),
        ("DeleteTopics", WhenSent),
        ("DeleteRecords", WhenSent),
        ("InitProducerId", ProducerOnly),
        ("OffsetForLeaderEpoch", Never),
        ("AddPartitionsToTxn", ProducerOnly),
        ("AddOffsetsToTxn", ProducerOnly),
        ("EndTxn", ProducerOnly),
        ("WriteTxnMarkers", Never),
        ("TxnOffsetCommit", ProducerOnly),
        ("DescribeAcls", WhenSent),
        ("CreateAcls", WhenSent),
        ("DeleteAcls", WhenSent),
        ("DescribeConfigs", WhenSent),
        ("AlterConfigs", WhenSent),
        ("AlterReplicaLogDirs", Never),
        ("DescribeLogDirs", Never),
        ("SaslAuthenticate", Always),
        ("CreatePartitions", WhenSent),
        ("CreateDelegationToken", Never),
        ("RenewDelegationToken", Never),
        ("ExpireDelegationToken", Never),
        ("DescribeDelegationToken", Never),
        ("DeleteGroups", WhenSent),
        ("ElectLeadersRequest", Never),
        ("IncrementalAlterConfigsRequest", Never),
        ("AlterPartitionReassignmentsRequest", Never),
        ("ListPartitionReassignmentsRequest", Never),
        ("OffsetDeleteRequest", Always),
        ("DescribeClientQuotasRequest", Always),
        ("AlterClientQuotasRequest", Always),
        ("DescribeUserScramCredentialsRequest", Always),
    ]
};

/// Builds the statistics document for `client`, created at `started`;
/// `group` is the consumer group's state when the client has one.
pub fn document(client: &ClientInner, started: Instant, group: Option<GroupStats>) -> String {
    let c = &client.counters;
    let now_us = monotonic_us();
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let is_consumer = client.consumer.is_some();
    let (msg_cnt, msg_size) = client.queued_messages();
    let brokers: Map<String, Value> = client
        .brokers
        .read()
        .iter()
        .map(|b| (b.name.clone(), broker(b, is_consumer, now_us)))
        .collect();
    let topics: Map<String, Value> = client
        .topics
        .all()
        .iter()
        .map(|t| (t.name.to_string(), topic(client, t, now_us)))
        .collect();
    // A consumer's limits are librdkafka's for a consumer: no producer queue.
    let (msg_max, msg_size_max) = match is_consumer {
        true => (0, 0),
        false => (
            client.settings.queue_max_messages,
            client.settings.queue_max_bytes,
        ),
    };
    // The legacy consumer's started partitions (librdkafka's `simple_cnt`).
    let simple_cnt = client
        .consumer
        .as_ref()
        .map_or(0, |c| c.legacy_started.lock().len());
    let mut doc = json!({
        "name": client.name,
        "client_id": client.settings.client_id,
        "type": if is_consumer { "consumer" } else { "producer" },
        "ts": now_us,
        "time": wall,
        "age": started.elapsed().as_micros() as u64,
        "replyq": client.events.len(),
        "msg_cnt": msg_cnt,
        "msg_size": msg_size,
        "msg_max": msg_max,
        "msg_size_max": msg_size_max,
        "tx": c.tx.load(Ordering::Relaxed),
        "tx_bytes": c.tx_bytes.load(Ordering::Relaxed),
        "rx": c.rx.load(Ordering::Relaxed),
        "rx_bytes": c.rx_bytes.load(Ordering::Relaxed),
        "txmsgs": c.txmsgs.load(Ordering::Relaxed),
        "txmsg_bytes": c.txmsg_bytes.load(Ordering::Relaxed),
        "rxmsgs": c.rxmsgs.load(Ordering::Relaxed),
        "rxmsg_bytes": c.rxmsg_bytes.load(Ordering::Relaxed),
        "simple_cnt": simple_cnt,
        "metadata_cache_cnt": client.topics.len(),
        // Ours, not librdkafka's: how often the main thread woke up.
        "main_wakeups": c.wakeups.load(Ordering::Relaxed),
        "brokers": brokers,
        "topics": topics,
    });
    if let Some(idempotence) = &client.idempotence {
        let (state, age, pid) = idempotence.state_for_stats();
        // Without `transactional.id`, librdkafka's values for an idempotent
        // producer: Init since the client started, no enqueueing "in a
        // transaction".
        let (txn_state, txn_age) = client
            .txn
            .as_ref()
            .map_or((TxnState::Init, started.elapsed()), |t| t.state_for_stats());
        doc["eos"] = json!({
            "idemp_state": state,
            "idemp_stateage": age.as_millis() as u64,
            "txn_state": txn_state.name(),
            "txn_stateage": txn_age.as_millis() as u64,
            "txn_may_enq": txn_state == TxnState::InTransaction,
            "producer_id": pid.id,
            "producer_epoch": pid.epoch,
            "epoch_cnt": idempotence.epoch_changes.load(Ordering::Relaxed),
        });
    }
    if let (Some(consumer), Some(g)) = (&client.consumer, group) {
        doc["cgrp"] = json!({
            "state": g.state,
            "stateage": g.stateage.as_millis() as u64,
            "join_state": g.join_state,
            // 0 before the first rebalance, as librdkafka.
            "rebalance_age": g.rebalance_age.map_or(0, |a| a.as_millis() as u64),
            "rebalance_cnt": g.rebalance_cnt,
            "rebalance_reason": g.rebalance_reason,
            "assignment_size": consumer.assignment.lock().len(),
        });
    }
    doc.to_string()
}

/// One broker's object.
fn broker(b: &BrokerHandle, is_consumer: bool, now_us: i64) -> Value {
    let s = &b.stats;
    let load = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
    let gauge = |a: &std::sync::atomic::AtomicI64| a.load(Ordering::Relaxed);
    let up = b.state() == BrokerState::Up;
    // Microseconds since the last send/receive on the current connection;
    // -1 when not up or nothing yet, as librdkafka.
    let idle = |last: i64| match up && last > 0 {
        true => (now_us - last).max(0),
        false => -1,
    };
    let nodename = b.name.rsplit_once('/').map_or(b.name.as_str(), |(n, _)| n);
    let requests: Map<String, Value> = REQUEST_TYPES
        .iter()
        .zip(s.requests.iter())
        .filter_map(|(&(name, listed), count)| {
            let count = load(count);
            let shown = match listed {
                Listed::Always => true,
                Listed::Never => false,
                Listed::ProducerOnly => !is_consumer,
                Listed::ConsumerOnly => is_consumer,
                Listed::WhenSent => count > 0,
            };
            shown.then(|| (name.to_string(), json!(count)))
        })
        .collect();
    // The partitions this broker leads, and those it fetches.
    let mut toppars = Map::new();
    for p in b.led.lock().iter() {
        let key = format!("{}-{}", p.topic, p.id);
        toppars.insert(key, json!({ "topic": *p.topic, "partition": p.id }));
    }
    for cp in b.fetch.lock().iter() {
        let key = format!("{}-{}", cp.topic.name, cp.partition);
        toppars.insert(
            key,
            json!({ "topic": *cp.topic.name, "partition": cp.partition }),
        );
    }
    json!({
        "name": b.name,
        "nodeid": b.id,
        "nodename": nodename,
        "source": if b.id < 0 { "configured" } else { "learned" },
        "state": broker_state(b.state()),
        "stateage": (now_us - gauge(&s.state_since_us)).max(0),
        "outbuf_cnt": gauge(&s.outbuf_cnt),
        "outbuf_msg_cnt": gauge(&s.outbuf_msg_cnt),
        "waitresp_cnt": gauge(&s.waitresp_cnt),
        "waitresp_msg_cnt": gauge(&s.waitresp_msg_cnt),
        "tx": load(&b.counters.tx),
        "txbytes": load(&b.counters.tx_bytes),
        "txerrs": load(&s.txerrs),
        "txretries": load(&s.txretries),
        "txidle": idle(gauge(&s.last_send_us)),
        "req_timeouts": load(&s.req_timeouts),
        "rx": load(&b.counters.rx),
        "rxbytes": load(&b.counters.rx_bytes),
        "rxerrs": load(&s.rxerrs),
        "rxcorriderrs": load(&s.rxcorriderrs),
        "rxpartial": load(&s.rxpartial),
        "rxidle": idle(gauge(&s.last_recv_us)),
        // Our decompressors size their output from the input once and grow
        // inside the codec, unseen: no buffer growth to count (0).
        "zbuf_grow": 0,
        // Deprecated and unused in librdkafka 2.0.2, which reports 0.
        "buf_grow": 0,
        "wakeups": load(&b.counters.wakeups),
        "connects": load(&s.connects),
        "disconnects": load(&s.disconnects),
        "int_latency": s.int_latency.roll(),
        "outbuf_latency": s.outbuf_latency.roll(),
        "rtt": s.rtt.roll(),
        "throttle": s.throttle.roll(),
        "req": requests,
        "toppars": toppars,
    })
}

/// One topic's object, its partitions with librdkafka's unassigned
/// partition (-1) last.
fn topic(client: &ClientInner, t: &Arc<Topic>, now_us: i64) -> Value {
    let mut partitions: Map<String, Value> = t
        .state
        .read()
        .partitions
        .iter()
        .map(|p| (p.id.to_string(), partition(client, t, p)))
        .collect();
    partitions.insert("-1".to_string(), unassigned_partition(t));
    let metadata_us = t.stats.metadata_us.load(Ordering::Relaxed);
    json!({
        "topic": *t.name,
        "age": (now_us - t.stats.created_us).max(0) / 1000,
        "metadata_age": if metadata_us > 0 { (now_us - metadata_us).max(0) / 1000 } else { 0 },
        "batchsize": t.stats.batchsize.roll(),
        "batchcnt": t.stats.batchcnt.roll(),
        "partitions": partitions,
    })
}

/// The fields of a partition object; the producer's and the consumer's
/// parts are filled in by the callers.
struct PartitionFields {
    partition: i32,
    leader: i32,
    desired: bool,
    msgq_cnt: usize,
    msgq_bytes: usize,
    msgs: u64,
    consumer: Option<Value>,
    producer: Value,
}

/// librdkafka's consumer fields for a partition the consumer does not
/// fetch (a producer's, or one not assigned).
fn idle_consumer_fields() -> Value {
    json!({
        "fetchq_cnt": 0,
        "fetchq_size": 0,
        "fetch_state": "none",
        "query_offset": RD_KAFKA_OFFSET_INVALID,
        "next_offset": 0,
        "app_offset": RD_KAFKA_OFFSET_INVALID,
        "stored_offset": RD_KAFKA_OFFSET_INVALID,
        "commited_offset": RD_KAFKA_OFFSET_INVALID,
        "committed_offset": RD_KAFKA_OFFSET_INVALID,
        "eof_offset": RD_KAFKA_OFFSET_INVALID,
        "lo_offset": RD_KAFKA_OFFSET_INVALID,
        "hi_offset": RD_KAFKA_OFFSET_INVALID,
        "ls_offset": RD_KAFKA_OFFSET_INVALID,
        "consumer_lag": -1,
        "consumer_lag_stored": -1,
        "rxmsgs": 0,
        "rxbytes": 0,
        "rx_ver_drops": 0,
    })
}

fn partition_object(f: PartitionFields) -> Value {
    let mut obj = json!({
        "partition": f.partition,
        // We fetch from the leader only: the fetch broker is the leader.
        "broker": f.leader,
        "leader": f.leader,
        "desired": f.desired,
        // Only partitions the metadata lists have objects here.
        "unknown": false,
        "msgq_cnt": f.msgq_cnt,
        "msgq_bytes": f.msgq_bytes,
        // Our broker thread cuts batches straight from the partition queue:
        // there is no second (transmit) queue, every waiting message is in
        // msgq, and this one is always empty.
        "xmit_msgq_cnt": 0,
        "xmit_msgq_bytes": 0,
        "msgs": f.msgs,
    });
    let fields = obj.as_object_mut().expect("object");
    for part in [f.consumer.unwrap_or_else(idle_consumer_fields), f.producer] {
        if let Value::Object(m) = part {
            fields.extend(m);
        }
    }
    obj
}

/// librdkafka's "offset unknown" for our -1 watermarks and EOF offset.
fn known_or_invalid(offset: i64) -> i64 {
    if offset < 0 {
        RD_KAFKA_OFFSET_INVALID
    } else {
        offset
    }
}

/// Distance from the partition's end to `offset`, -1 when either is unknown.
fn lag(end: i64, offset: i64) -> i64 {
    if end < 0 || offset < 0 {
        -1
    } else {
        (end - offset).max(0)
    }
}

/// The consumer's fields of a partition it fetches.
fn consumer_fields(client: &ClientInner, cp: &ConsumerPartition) -> Value {
    let s = cp.state.lock();
    let fetch_state = if s.stopped {
        "stopped"
    } else if s.resolving || s.fetch_offset < 0 {
        "offset-query"
    } else {
        "active"
    };
    let read_committed = client
        .consumer
        .as_ref()
        .is_some_and(|c| c.settings.read_committed);
    let end = if read_committed {
        s.last_stable_offset
    } else {
        s.high_watermark
    };
    json!({
        "fetchq_cnt": cp.queued_msgs.load(Ordering::Relaxed),
        "fetchq_size": cp.queued_bytes.load(Ordering::Relaxed),
        "fetch_state": fetch_state,
        "query_offset": s.query_offset,
        "next_offset": s.fetch_offset,
        "app_offset": s.position,
        "stored_offset": s.stored,
        // librdkafka 2.0.2 still emits its old misspelt name beside the
        // right one; monitoring tools may read either.
        "commited_offset": s.committed,
        "committed_offset": s.committed,
        "eof_offset": known_or_invalid(s.eof_reported_at),
        "lo_offset": known_or_invalid(s.low_watermark),
        "hi_offset": known_or_invalid(s.high_watermark),
        "ls_offset": known_or_invalid(s.last_stable_offset),
        "consumer_lag": lag(end, s.committed),
        "consumer_lag_stored": lag(end, s.stored),
        "rxmsgs": cp.rxmsgs.load(Ordering::Relaxed),
        "rxbytes": cp.rxbytes.load(Ordering::Relaxed),
        "rx_ver_drops": cp.rx_ver_drops.load(Ordering::Relaxed),
    })
}

/// One partition's object: its producer queue and counters, and for a
/// consumer its fetch state and offsets.
fn partition(client: &ClientInner, t: &Topic, p: &Partition) -> Value {
    let idempotent = client.idempotence.is_some();
    let (msgq_cnt, msgq_bytes, enqueued, producer) = {
        let q = p.queue.lock();
        // Idempotent producer only; 0 otherwise, as librdkafka. Ours
        // recovers a failed batch by draining and bumping the epoch, so the
        // next errored sequence librdkafka tracks separately is always the
        // next acknowledged one; the acknowledged messages' count is the
        // last acknowledged id (acknowledgements come in order).
        let (next_ack, acked) = match idempotent {
            true => (q.next_ack_sequence, q.acked),
            false => (0, 0),
        };
        let producer = json!({
            "txmsgs": p.txmsgs.load(Ordering::Relaxed),
            "txbytes": p.txbytes.load(Ordering::Relaxed),
            "msgs_inflight": q.msgs_in_flight,
            "next_ack_seq": next_ack,
            "next_err_seq": next_ack,
            "acked_msgid": acked,
        });
        (q.msgs.len(), q.bytes, q.enqueued, producer)
    };
    let consumed = client
        .consumer
        .as_ref()
        .and_then(|c| c.partition(&t.name, p.id));
    let consumer = consumed.as_ref().map(|cp| consumer_fields(client, cp));
    // A consumer's `msgs` is its `rxmsgs`; a producer's, every message
    // queued to the partition.
    let msgs = match &consumed {
        Some(cp) => cp.rxmsgs.load(Ordering::Relaxed),
        None if client.consumer.is_some() => 0,
        None => enqueued,
    };
    partition_object(PartitionFields {
        partition: p.id,
        leader: p.leader(),
        desired: consumed.is_some(),
        msgq_cnt,
        msgq_bytes,
        msgs,
        consumer,
        producer,
    })
}

/// librdkafka's internal unassigned partition (-1): messages waiting for
/// the topic's metadata.
fn unassigned_partition(t: &Topic) -> Value {
    let (cnt, bytes) = {
        let waiting = t.unassigned.lock();
        (waiting.len(), waiting.iter().map(|m| m.size()).sum())
    };
    partition_object(PartitionFields {
        partition: -1,
        leader: -1,
        desired: false,
        msgq_cnt: cnt,
        msgq_bytes: bytes,
        msgs: t.stats.unassigned_msgs.load(Ordering::Relaxed),
        consumer: None,
        producer: json!({
            "txmsgs": 0,
            "txbytes": 0,
            "msgs_inflight": 0,
            "next_ack_seq": 0,
            "next_err_seq": 0,
            "acked_msgid": 0,
        }),
    })
}

/// `rd_kafka_dump`'s text: the client, its brokers and their state, each
/// topic's partitions with leader and queued messages, laid out as
/// librdkafka's dump (one object per line, indented by ownership).
pub fn dump_text(client: &ClientInner) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let (msg_cnt, msg_size) = client.queued_messages();
    let _ = writeln!(out, "rd_kafka_t {:p}: {}", client, client.name);
    let _ = writeln!(out, " producer.msg_cnt {msg_cnt} ({msg_size} bytes)");
    let _ = writeln!(out, " rk_rep reply queue: {} ops", client.events.len());
    let _ = writeln!(out, " brokers:");
    for b in client.brokers.read().iter() {
        let _ = writeln!(
            out,
            " rd_kafka_broker_t {:p}: {} NodeId {} in state {}",
            Arc::as_ptr(b),
            b.name,
            b.id,
            broker_state(b.state())
        );
        let _ = writeln!(
            out,
            "  tx {} ({} bytes), rx {} ({} bytes), leads {} partition(s)",
            b.counters.tx.load(Ordering::Relaxed),
            b.counters.tx_bytes.load(Ordering::Relaxed),
            b.counters.rx.load(Ordering::Relaxed),
            b.counters.rx_bytes.load(Ordering::Relaxed),
            b.led.lock().len()
        );
    }
    let _ = writeln!(out, " topics:");
    for t in client.topics.all() {
        let state = t.state.read();
        let _ = writeln!(
            out,
            "  {} with {} partitions, {} unassigned message(s)",
            t.name,
            state.partitions.len(),
            t.unassigned.lock().len()
        );
        for p in &state.partitions {
            let q = p.queue.lock();
            let _ = writeln!(
                out,
                "   {} [{}] leader {}, msgq {} messages ({} bytes)",
                t.name,
                p.id,
                p.leader(),
                q.msgs.len(),
                q.bytes
            );
        }
    }
    out
}
