//! Statistics (`statistics.interval.ms`): a JSON document in the shape of
//! librdkafka's STATISTICS.md (a subset of its fields, same names and
//! types), emitted by the main thread as an `Op::Stats` for `stats_cb` or
//! the STATS event.

use crate::client::broker::BrokerState;
use crate::client::ClientInner;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Client-wide counters, bumped on the broker threads.
#[derive(Default)]
pub struct Counters {
    pub tx: AtomicU64,
    pub tx_bytes: AtomicU64,
    pub rx: AtomicU64,
    pub rx_bytes: AtomicU64,
    pub txmsgs: AtomicU64,
    pub rxmsgs: AtomicU64,
    /// Per broker: times its thread came back from `poll(2)` (librdkafka's
    /// `wakeups`). Client-wide: times the main thread came back from
    /// waiting for its ops (`main_wakeups`, ours). Both show a thread that
    /// spins.
    pub wakeups: AtomicU64,
}

impl Counters {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

/// A JSON string literal.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn broker_state(state: BrokerState) -> &'static str {
    match state {
        BrokerState::Down => "DOWN",
        BrokerState::Connecting => "CONNECT",
        BrokerState::ApiVersionQuery => "APIVERSION_QUERY",
        BrokerState::Up => "UP",
    }
}

/// Builds the statistics document for `client`, created at `started`.
pub fn document(client: &ClientInner, started: Instant) -> String {
    let c = &client.counters;
    let now_us = started.elapsed().as_micros() as u64;
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (msg_cnt, msg_size) = client.queued_messages();
    let mut j = String::with_capacity(1024);
    let _ = write!(
        j,
        "{{\"name\":{},\"client_id\":{},\"type\":{},\"ts\":{now_us},\"time\":{wall},\"age\":{now_us},\"replyq\":{},\
         \"msg_cnt\":{msg_cnt},\"msg_size\":{msg_size},\"msg_max\":{},\"msg_size_max\":{},\
         \"tx\":{},\"tx_bytes\":{},\"rx\":{},\"rx_bytes\":{},\"txmsgs\":{},\"rxmsgs\":{},\
         \"simple_cnt\":0,\"metadata_cache_cnt\":{},\"main_wakeups\":{}",
        quote(&client.name),
        quote(&client.settings.client_id),
        quote(if client.consumer.is_some() { "consumer" } else { "producer" }),
        client.events.len(),
        client.settings.queue_max_messages,
        client.settings.queue_max_bytes,
        c.tx.load(Ordering::Relaxed),
        c.tx_bytes.load(Ordering::Relaxed),
        c.rx.load(Ordering::Relaxed),
        c.rx_bytes.load(Ordering::Relaxed),
        c.txmsgs.load(Ordering::Relaxed),
        c.rxmsgs.load(Ordering::Relaxed),
        client.topics.read().len(),
        c.wakeups.load(Ordering::Relaxed),
    );
    j.push_str(",\"brokers\":{");
    for (i, b) in client.brokers.read().iter().enumerate() {
        let nodename = b.name.rsplit_once('/').map_or(b.name.as_str(), |(n, _)| n);
        let _ = write!(
            j,
            "{}{}:{{\"name\":{},\"nodeid\":{},\"nodename\":{},\"source\":{},\"state\":{},\"tx\":{},\"txbytes\":{},\"rx\":{},\"rxbytes\":{},\"wakeups\":{}}}",
            if i > 0 { "," } else { "" },
            quote(&b.name),
            quote(&b.name),
            b.id,
            quote(nodename),
            quote(if b.id < 0 { "configured" } else { "learned" }),
            quote(broker_state(b.state())),
            b.counters.tx.load(Ordering::Relaxed),
            b.counters.tx_bytes.load(Ordering::Relaxed),
            b.counters.rx.load(Ordering::Relaxed),
            b.counters.rx_bytes.load(Ordering::Relaxed),
            b.counters.wakeups.load(Ordering::Relaxed),
        );
    }
    j.push_str("},\"topics\":{");
    let topics: Vec<_> = client.topics.read().values().cloned().collect();
    for (i, t) in topics.iter().enumerate() {
        let _ = write!(
            j,
            "{}{}:{{\"topic\":{},\"partitions\":{{",
            if i > 0 { "," } else { "" },
            quote(&t.name),
            quote(&t.name)
        );
        for (k, p) in t.state.read().partitions.iter().enumerate() {
            let (cnt, bytes) = {
                let q = p.queue.lock();
                (q.msgs.len(), q.bytes)
            };
            let consumed = client
                .consumer
                .as_ref()
                .and_then(|c| c.partition(&t.name, p.id));
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
            let _ = write!(
                j,
                "{}\"{}\":{{\"partition\":{},\"broker\":{},\"leader\":{},\"msgq_cnt\":{cnt},\"msgq_bytes\":{bytes},\
                 \"fetchq_cnt\":{fetchq},\"app_offset\":{position},\"committed_offset\":{committed},\"hi_offset\":{hwm}}}",
                if k > 0 { "," } else { "" },
                p.id,
                p.id,
                p.leader(),
                p.leader(),
            );
        }
        j.push_str("}}");
    }
    j.push('}');
    if let Some(consumer) = &client.consumer {
        let view = consumer.group.lock().clone();
        let _ = write!(
            j,
            ",\"cgrp\":{{\"state\":{},\"assignment_size\":{},\"generation\":{}}}",
            quote(if view.generation >= 0 { "up" } else { "init" }),
            consumer.assignment.lock().len(),
            view.generation
        );
    }
    j.push('}');
    j
}
