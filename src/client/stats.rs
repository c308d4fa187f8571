//! Statistics (`statistics.interval.ms`): a JSON document in the shape of
//! librdkafka's STATISTICS.md (a subset of its fields, same names and
//! types), built with serde_json and emitted by the main thread as an
//! `Op::Stats` for `stats_cb` or the STATS event.

use crate::client::broker::handle::BrokerState;
use crate::client::topic::Partition;
use crate::client::ClientInner;
use serde_json::{json, Map, Value};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

fn broker_state(state: BrokerState) -> &'static str {
    state.librdkafka_name()
}

/// Builds the statistics document for `client`, created at `started`.
pub fn document(client: &ClientInner, started: Instant) -> String {
    let c = &client.counters;
    let now_us = started.elapsed().as_micros() as u64;
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (msg_cnt, msg_size) = client.queued_messages();
    let brokers: Map<String, Value> = client
        .brokers
        .read()
        .iter()
        .map(|b| {
            let nodename = b.name.rsplit_once('/').map_or(b.name.as_str(), |(n, _)| n);
            let broker = json!({
                "name": b.name,
                "nodeid": b.id,
                "nodename": nodename,
                "source": if b.id < 0 { "configured" } else { "learned" },
                "state": broker_state(b.state()),
                "tx": b.counters.tx.load(Ordering::Relaxed),
                "txbytes": b.counters.tx_bytes.load(Ordering::Relaxed),
                "rx": b.counters.rx.load(Ordering::Relaxed),
                "rxbytes": b.counters.rx_bytes.load(Ordering::Relaxed),
                "wakeups": b.counters.wakeups.load(Ordering::Relaxed),
            });
            (b.name.clone(), broker)
        })
        .collect();
    let topics: Map<String, Value> = client
        .topics
        .all()
        .iter()
        .map(|t| {
            let partitions: Map<String, Value> = t
                .state
                .read()
                .partitions
                .iter()
                .map(|p| (p.id.to_string(), partition(client, &t.name, p)))
                .collect();
            let topic = json!({ "topic": *t.name, "partitions": partitions });
            (t.name.to_string(), topic)
        })
        .collect();
    let mut doc = json!({
        "name": client.name,
        "client_id": client.settings.client_id,
        "type": if client.consumer.is_some() { "consumer" } else { "producer" },
        "ts": now_us,
        "time": wall,
        "age": now_us,
        "replyq": client.events.len(),
        "msg_cnt": msg_cnt,
        "msg_size": msg_size,
        "msg_max": client.settings.queue_max_messages,
        "msg_size_max": client.settings.queue_max_bytes,
        "tx": c.tx.load(Ordering::Relaxed),
        "tx_bytes": c.tx_bytes.load(Ordering::Relaxed),
        "rx": c.rx.load(Ordering::Relaxed),
        "rx_bytes": c.rx_bytes.load(Ordering::Relaxed),
        "txmsgs": c.txmsgs.load(Ordering::Relaxed),
        "rxmsgs": c.rxmsgs.load(Ordering::Relaxed),
        "simple_cnt": 0,
        "metadata_cache_cnt": client.topics.len(),
        // Ours, not librdkafka's: how often the main thread woke up.
        "main_wakeups": c.wakeups.load(Ordering::Relaxed),
        "brokers": brokers,
        "topics": topics,
    });
    if let Some(idempotence) = &client.idempotence {
        let (state, pid) = idempotence.state_for_stats();
        doc["eos"] = json!({
            "idemp_state": state,
            "producer_id": pid.id,
            "producer_epoch": pid.epoch,
            "epoch_cnt": idempotence.epoch_changes.load(Ordering::Relaxed),
        });
    }
    if let Some(consumer) = &client.consumer {
        let view = consumer.group.lock().clone();
        doc["cgrp"] = json!({
            "state": if view.generation >= 0 { "up" } else { "init" },
            "assignment_size": consumer.assignment.lock().len(),
            "generation": view.generation,
        });
    }
    doc.to_string()
}

/// One partition's object: its producer queue, and for a consumer its
/// fetch queue and offsets.
fn partition(client: &ClientInner, topic: &str, p: &Partition) -> Value {
    let (cnt, bytes) = {
        let q = p.queue.lock();
        (q.msgs.len(), q.bytes)
    };
    let consumed = client
        .consumer
        .as_ref()
        .and_then(|c| c.partition(topic, p.id));
    let (fetchq, position, committed, hwm) = match &consumed {
        Some(cp) => {
            let s = cp.state.lock();
            (
                cp.queued_msgs.load(Ordering::Relaxed),
                s.position,
                s.committed,
                s.high_watermark,
            )
        }
        None => (0, -1001, -1001, -1),
    };
    json!({
        "partition": p.id,
        "broker": p.leader(),
        "leader": p.leader(),
        "msgq_cnt": cnt,
        "msgq_bytes": bytes,
        "fetchq_cnt": fetchq,
        "app_offset": position,
        "committed_offset": committed,
        "hi_offset": hwm,
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
