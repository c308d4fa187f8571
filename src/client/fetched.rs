//! Fetched records waiting in a consumer queue before they are messages.
//!
//! The fetcher decodes a partition's records from a Fetch response into a
//! [`FetchedRun`]: compact records whose key and value still share the
//! fetch buffer. The run waits in the partition's queue (or the consumer
//! queue it forwards to) and each record becomes a message — a `MsgBox`,
//! what the application gets as `rd_kafka_message_t *` — only when the
//! application pops it (see `queue::Ops::pop_front`).
//!
//! Why: a consumer prefetches up to `queued.min.messages` messages. As
//! message blocks that costs 256 bytes each on top of the payload; as
//! waiting records it is about a third of that. Building the block on the
//! application's thread also lets it come from, and return to, that
//! thread's own block cache.
//!
//! Locality: built on a broker thread, consumed under the queue's lock by
//! whichever application thread pops.

use crate::client::consumer::Origin;
use crate::client::headers::Headers;
use crate::client::message::{Msg, MsgBox, TimestampType};
use crate::client::topic::Topic;
use bytes::Bytes;
use std::sync::Arc;
use std::time::Instant;

/// One decoded record, as the application will see it.
pub struct FetchedRecord {
    pub offset: i64,
    /// The record's timestamp, or the batch's for `LogAppendTime`.
    pub timestamp: i64,
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
    pub headers: Option<Box<Headers>>,
    /// The leader epoch of the batch it came in.
    pub leader_epoch: i32,
    pub timestamp_type: TimestampType,
    /// A transaction marker (control batch) at `offset`: no key or value,
    /// becomes a message the application never sees (`Msg::control_marker`).
    pub control_marker: bool,
}

impl FetchedRecord {
    /// Bytes counted against `queued.max.messages.kbytes` (as `Msg::size`).
    fn size(&self) -> usize {
        self.key.as_ref().map_or(0, |k| k.len()) + self.value.as_ref().map_or(0, |v| v.len())
    }
}

/// Records of one partition from one Fetch response, in offset order.
pub struct FetchedRun {
    topic: Arc<Topic>,
    partition: i32,
    origin: Origin,
    fetched_at: Instant,
    bytes: usize,
    records: std::vec::IntoIter<FetchedRecord>,
}

impl FetchedRun {
    pub fn new(
        topic: Arc<Topic>,
        partition: i32,
        origin: Origin,
        fetched_at: Instant,
        records: Vec<FetchedRecord>,
    ) -> FetchedRun {
        FetchedRun {
            topic,
            partition,
            origin,
            fetched_at,
            bytes: records.iter().map(FetchedRecord::size).sum(),
            records: records.into_iter(),
        }
    }

    /// Records not yet taken.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.len() == 0
    }

    /// Key and value bytes of all records, as counted when the run was made.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The next record as a message, its key and value still in the fetch
    /// buffer.
    pub fn next_message(&mut self) -> Option<MsgBox> {
        let r = self.records.next()?;
        let control_marker = r.control_marker;
        let mut msg = Msg::consumed(
            self.topic.clone(),
            self.partition,
            r.offset,
            r.key,
            r.value,
            r.timestamp,
            r.timestamp_type,
            r.headers,
            r.leader_epoch,
            self.origin.clone(),
            self.fetched_at,
        );
        msg.control_marker = control_marker;
        Some(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::consumer::ConsumerPartition;
    use crate::client::queue::{Op, Queue};
    use crate::client::settings::{ClientSettings, TopicSettings};
    use crate::config::{Config, TopicConfig};
    use crate::error::ErrorCode;

    fn partition(consumer_queue: &Arc<Queue>) -> Arc<ConsumerPartition> {
        let client = ClientSettings::from_config(&Config::new(), false).unwrap();
        let settings = TopicSettings::from_config(&TopicConfig::new(), &client).unwrap();
        let topic = Topic::new(std::sync::Weak::new(), "t", settings, None, 0).unwrap();
        ConsumerPartition::new(Arc::new(topic), 3, consumer_queue)
    }

    fn run(cp: &Arc<ConsumerPartition>, offsets: std::ops::Range<i64>) -> FetchedRun {
        let origin = Origin {
            partition: cp.clone(),
            version: 5,
        };
        let records = offsets
            .map(|offset| FetchedRecord {
                offset,
                timestamp: 1_000 + offset,
                key: (offset % 2 == 0).then(|| Bytes::from(format!("k{offset}"))),
                value: Some(Bytes::from(format!("value {offset}"))),
                headers: None,
                leader_epoch: 9,
                timestamp_type: TimestampType::LogAppendTime,
                control_marker: false,
            })
            .collect();
        FetchedRun::new(
            cp.topic.clone(),
            cp.partition,
            origin,
            Instant::now(),
            records,
        )
    }

    fn offset_of(op: Op) -> i64 {
        match op {
            Op::Message(m) => m.rkmessage.offset,
            _ => panic!("expected a message"),
        }
    }

    #[test]
    fn a_run_becomes_its_messages_as_they_are_popped() {
        let queue = Queue::new();
        let cp = partition(&queue);
        let r = run(&cp, 10..13);
        assert_eq!(
            (r.len(), r.bytes()),
            (3, "k10value 10value 11k12value 12".len())
        );
        cp.queue.push_fetched(r);
        // Counted as messages, in the queue the partition queue forwards to.
        assert_eq!(queue.len(), 3);
        let Some(Op::Message(m)) = queue.try_pop() else {
            panic!("no message");
        };
        assert_eq!(m.key(), Some(&b"k10"[..]));
        assert_eq!(m.payload(), Some(&b"value 10"[..]));
        assert_eq!(
            (m.rkmessage.partition, m.timestamp, m.leader_epoch),
            (3, 1_010, 9)
        );
        assert_eq!(m.timestamp_type, TimestampType::LogAppendTime);
        assert_eq!(m.origin.as_ref().map(|o| o.version), Some(5));
        assert_eq!(queue.len(), 2);
        let Some(Op::Message(m)) = queue.try_pop() else {
            panic!("no message");
        };
        assert_eq!((m.rkmessage.offset, m.key()), (11, None));
        assert_eq!(queue.try_pop().map(offset_of), Some(12));
        assert!(queue.is_empty());
        assert!(queue.try_pop().is_none());
    }

    #[test]
    fn runs_keep_their_place_among_messages_and_behind_control_ops() {
        let queue = Queue::new();
        let cp = partition(&queue);
        queue.push_fetched(run(&cp, 0..2));
        queue.push(Op::Message(Msg::consumer_error(
            None,
            3,
            2,
            ErrorCode::RD_KAFKA_RESP_ERR__PARTITION_EOF,
            "end".into(),
        )));
        queue.push_fetched(run(&cp, 2..4));
        queue.push_fetched(run(&cp, 4..4));
        queue.push(Op::Stats("{}".into()));
        assert_eq!(queue.len(), 6, "an empty run is not queued");
        assert!(matches!(queue.try_pop(), Some(Op::Stats(_))));
        let popped: Vec<_> = std::iter::from_fn(|| queue.try_pop())
            .map(|op| match op {
                Op::Message(m) => (m.rkmessage.offset, m.err()),
                _ => panic!("expected a message"),
            })
            .collect();
        let ok = ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR;
        let eof = ErrorCode::RD_KAFKA_RESP_ERR__PARTITION_EOF;
        assert_eq!(popped, [(0, ok), (1, ok), (2, eof), (2, ok), (3, ok)]);
    }

    #[test]
    fn forwarding_moves_runs_untouched_and_draining_makes_them_messages() {
        let consumer_queue = Queue::new();
        let cp = partition(&consumer_queue);
        cp.queue.forward_to(None);
        cp.queue.push_fetched(run(&cp, 0..3));
        let _ = cp.queue.try_pop();
        assert_eq!(cp.queue.len(), 2);
        cp.queue.forward_to(Some(consumer_queue.clone()));
        assert!(cp.queue.is_empty());
        assert_eq!(consumer_queue.len(), 2);
        let drained: Vec<i64> = consumer_queue.drain().into_iter().map(offset_of).collect();
        assert_eq!(drained, [1, 2]);
        assert!(consumer_queue.is_empty());
    }
}
