//! The legacy (simple) consumer: `rd_kafka_consume_start` and friends,
//! which name a partition by topic handle and number, outside any
//! consumer group.
//!
//! A started partition is an ordinary [`ConsumerPartition`] kept in
//! `Consumer::legacy_started` next to the group's assignment: the main thread
//! hands it to its leader's fetcher like an assigned one, offsets resolve
//! the same way (logical offsets by ListOffsets, `RD_KAFKA_OFFSET_STORED`
//! by the group's OffsetFetch), and the fetched messages pass the same
//! position bookkeeping when the application takes them. Only where they
//! go differs: the partition's own queue, read with `rd_kafka_consume`,
//! or the queue given to `rd_kafka_consume_start_queue`.

use crate::abi::{
    RD_KAFKA_OFFSET_BEGINNING, RD_KAFKA_OFFSET_END, RD_KAFKA_OFFSET_STORED,
    RD_KAFKA_OFFSET_TAIL_BASE,
};
use crate::client::consumer::{Consumer, ConsumerPartition};
use crate::client::message::MsgBox;
use crate::client::queue::{Op, Queue};
use crate::client::topic::Topic;
use crate::client::ClientInner;
use crate::error::rd_kafka_resp_err_t::*;
use crate::error::ErrorCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The consumer client behind a topic handle.
fn consumer_of(topic: &Topic) -> Result<Arc<ClientInner>, ErrorCode> {
    let client = topic.client.upgrade().ok_or(RD_KAFKA_RESP_ERR__DESTROY)?;
    // A producer has no fetchers: librdkafka refuses the call as invalid.
    if client.consumer.is_none() {
        return Err(RD_KAFKA_RESP_ERR__INVALID_ARG);
    }
    Ok(client)
}

/// Checks a start offset as librdkafka 2.0.2 answers it: logical offsets
/// and absolute ones are fine; `RD_KAFKA_OFFSET_STORED` needs a `group.id`
/// (the offsets live with the group's coordinator); any other negative
/// offset is `_INVALID_ARG`.
fn check_start_offset(consumer: &Consumer, offset: i64) -> Result<(), ErrorCode> {
    let logical = offset == RD_KAFKA_OFFSET_BEGINNING
        || offset == RD_KAFKA_OFFSET_END
        || offset <= RD_KAFKA_OFFSET_TAIL_BASE
        || (offset == RD_KAFKA_OFFSET_STORED && consumer.settings.group_id.is_some());
    if offset >= 0 || logical {
        Ok(())
    } else {
        Err(RD_KAFKA_RESP_ERR__INVALID_ARG)
    }
}

/// `rd_kafka_consume_start[_queue]`: starts fetching `partition` at
/// `offset`, its messages going to `queue` (`None`: the partition's own
/// queue, for `rd_kafka_consume`). Starting a started partition restarts
/// it there.
pub fn consume_start(
    topic: &Arc<Topic>,
    partition: i32,
    offset: i64,
    queue: Option<Arc<Queue>>,
) -> Result<(), ErrorCode> {
    if partition < 0 {
        return Err(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION);
    }
    let client = consumer_of(topic)?;
    let consumer = client.consumer();
    check_start_offset(consumer, offset)?;
    let cp = ConsumerPartition::new(topic.clone(), partition, &consumer.queue);
    cp.queue.forward_to(queue);
    cp.seek(offset);
    let replaced = consumer.legacy_started.lock().insert(cp.key(), cp);
    if let Some(old) = replaced {
        consumer.retire(&old);
    }
    client.request_metadata_refresh();
    client.call_main(|m| m.assignment_changed());
    Ok(())
}

/// `rd_kafka_consume_stop`: stops fetching the partition and drops what
/// was prefetched. With a `group.id` and the topic's `auto.commit.enable`,
/// the stored offset is committed first and the call waits for that, as
/// librdkafka's stop does.
pub fn consume_stop(topic: &Topic, partition: i32) -> Result<(), ErrorCode> {
    let client = consumer_of(topic)?;
    let consumer = client.consumer();
    let stopped = consumer
        .legacy_started
        .lock()
        .remove(&(topic.name.clone(), partition));
    let Some(cp) = stopped else {
        // librdkafka stops a partition the metadata knows even if it was
        // never started.
        return if topic.partition(partition).is_some() {
            Ok(())
        } else {
            Err(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
        };
    };
    consumer.retire(&cp);
    client.call_main(|m| m.assignment_changed());
    if consumer.settings.group_id.is_some() && topic.settings.auto_commit {
        if let Some(tp) = cp.offset_to_commit(true) {
            // A failed commit does not fail the stop (librdkafka logs it).
            let _ = client.commit_and_wait(vec![tp]);
        }
    }
    Ok(())
}

/// A started partition read by the calls that name it by topic handle
/// (`rd_kafka_consume`, `consume_batch`, `consume_callback`).
pub struct StartedPartition {
    client: Arc<ClientInner>,
    partition: Arc<ConsumerPartition>,
}

/// The started `partition` of `topic`. A partition the metadata knows but
/// that is not started reads as an empty one (the call times out), as
/// librdkafka reads its idle fetch queue; any other is
/// `_UNKNOWN_PARTITION`.
pub fn started_partition(
    topic: &Arc<Topic>,
    partition: i32,
) -> Result<StartedPartition, ErrorCode> {
    let client = consumer_of(topic)?;
    let consumer = client.consumer();
    let started = consumer
        .legacy_started
        .lock()
        .get(&(topic.name.clone(), partition))
        .cloned();
    let cp = match started {
        Some(cp) => cp,
        None if topic.partition(partition).is_some() => {
            let idle = ConsumerPartition::new(topic.clone(), partition, &consumer.queue);
            idle.queue.forward_to(None);
            idle
        }
        None => return Err(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION),
    };
    Ok(StartedPartition {
        client,
        partition: cp,
    })
}

impl StartedPartition {
    /// `consume.callback.max.messages` (0: no limit).
    pub fn callback_max_messages(&self) -> usize {
        self.client.consumer().settings.consume_callback_max
    }

    /// The next message (or partition error, such as `_PARTITION_EOF`) from
    /// the partition's queue, waiting up to `timeout` (`None`: for ever).
    /// A partition's queue holds only messages; anything else that reached
    /// it goes to the main queue, where `rd_kafka_poll` serves it.
    pub fn next_message(&self, timeout: Option<Duration>) -> Option<MsgBox> {
        let consumer = self.client.consumer();
        consumer.mark_polled();
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            let op = self
                .partition
                .queue
                .pop_kept(remaining, |op| self.client.accept(op))?;
            match op {
                Op::Message(msg) => return Some(msg),
                other => self.client.events.push(other),
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return None;
            }
        }
    }
}

/// Lets go of every started partition (the client is being destroyed):
/// messages left in their queues hold the partition, whose queue holds
/// them, a cycle only emptying the queues breaks.
pub fn release_all(consumer: &Consumer) {
    let started: Vec<_> = consumer
        .legacy_started
        .lock()
        .drain()
        .map(|(_, cp)| cp)
        .collect();
    for cp in started {
        consumer.retire(&cp);
    }
}

impl crate::client::Client {
    /// `consume.callback.max.messages` (0: no limit; a producer has none).
    pub fn consume_callback_max_messages(&self) -> usize {
        self.inner
            .consumer
            .as_ref()
            .map_or(0, |c| c.settings.consume_callback_max)
    }
}
