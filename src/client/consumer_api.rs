//! The application-facing consumer operations (`rd_kafka_subscribe`,
//! `assign`, `seek`, `commit`, `committed`, `query_watermark_offsets`, ...),
//! called on the application's thread. State changes that the group or the
//! fetchers must act on are handed to the main thread with `call_main`.

use crate::abi::{RD_KAFKA_OFFSET_INVALID, RD_KAFKA_OFFSET_STORED};
use crate::client::consumer::{ConsumerPartition, GroupView, Refill};
use crate::client::queue::{Op, Queue};
use crate::client::topic_partition::TopicPartition;
use crate::client::{Client, ClientInner};
use crate::error::rd_kafka_resp_err_t::*;
use crate::error::ErrorCode;
use crate::protocol::messages::list_offsets::{
    ListOffsetsPartition, ListOffsetsRequest, ListOffsetsResponse, ListOffsetsTopic,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

impl Client {
    /// The consumer state, or `_UNKNOWN_GROUP` for a producer: librdkafka
    /// answers every group call on a handle without a consumer group so.
    pub(crate) fn consumer_inner(&self) -> Result<&crate::client::consumer::Consumer, ErrorCode> {
        self.inner
            .consumer
            .as_ref()
            .ok_or(RD_KAFKA_RESP_ERR__UNKNOWN_GROUP)
    }

    /// Subscribes to topic names and `^regex` patterns (replacing any
    /// previous subscription).
    pub fn subscribe(&self, topics: Vec<String>) -> Result<(), ErrorCode> {
        let consumer = self.consumer_inner()?;
        if consumer.settings.group_id.is_none() {
            return Err(RD_KAFKA_RESP_ERR__UNKNOWN_GROUP);
        }
        // An empty list is a mistake, not a way to unsubscribe.
        if topics.is_empty() {
            return Err(RD_KAFKA_RESP_ERR__INVALID_ARG);
        }
        for t in &topics {
            if t.starts_with('^') {
                regex::Regex::new(t).map_err(|_| RD_KAFKA_RESP_ERR__INVALID_ARG)?;
            } else if t.is_empty() {
                return Err(RD_KAFKA_RESP_ERR__INVALID_ARG);
            }
        }
        for t in topics.iter().filter(|t| !t.starts_with('^')) {
            self.inner
                .ensure_topic(t)
                .map_err(|_| RD_KAFKA_RESP_ERR__INVALID_ARG)?;
        }
        *consumer.subscription.lock() = topics;
        self.inner.request_metadata_refresh();
        self.inner
            .call_main(|m| m.group_mut().map(|g| g.on_subscription_changed()));
        Ok(())
    }

    pub fn unsubscribe(&self) -> Result<(), ErrorCode> {
        let consumer = self.consumer_inner()?;
        consumer.subscription.lock().clear();
        self.inner
            .call_main(|m| m.group_mut().map(|g| g.on_subscription_changed()));
        Ok(())
    }

    pub fn subscription(&self) -> Result<Vec<String>, ErrorCode> {
        Ok(self.consumer_inner()?.subscription.lock().clone())
    }

    fn new_partition(&self, tp: &TopicPartition) -> Result<Arc<ConsumerPartition>, ErrorCode> {
        let consumer = self.consumer_inner()?;
        let topic = self
            .inner
            .ensure_topic(&tp.topic)
            .map_err(|_| RD_KAFKA_RESP_ERR__INVALID_ARG)?;
        let cp = ConsumerPartition::new(topic, tp.partition, &consumer.queue);
        let start = if tp.offset == RD_KAFKA_OFFSET_INVALID {
            RD_KAFKA_OFFSET_STORED
        } else {
            tp.offset
        };
        cp.seek(start);
        Ok(cp)
    }

    /// Drops partitions from the assignment; their prefetched messages go stale.
    fn remove_partitions(&self, removed: Vec<Arc<ConsumerPartition>>) {
        if let Some(consumer) = self.inner.consumer.as_ref() {
            for cp in removed {
                consumer.retire(&cp);
            }
        }
    }

    /// Replaces the whole assignment (`rd_kafka_assign`); `None` unassigns.
    pub fn assign(&self, partitions: Option<Vec<TopicPartition>>) -> Result<(), ErrorCode> {
        let consumer = self.consumer_inner()?;
        let mut added = Vec::new();
        for tp in partitions.iter().flatten() {
            if tp.partition < 0 {
                return Err(RD_KAFKA_RESP_ERR__INVALID_ARG);
            }
            added.push(self.new_partition(tp)?);
        }
        let removed: Vec<Arc<ConsumerPartition>> = {
            let mut assignment = consumer.assignment.lock();
            let removed = assignment.drain().map(|(_, cp)| cp).collect();
            for cp in added {
                assignment.insert(cp.key(), cp);
            }
            removed
        };
        self.remove_partitions(removed);
        self.inner.request_metadata_refresh();
        self.inner.call_main(|m| m.assignment_changed());
        Ok(())
    }

    /// Adds partitions to the assignment (cooperative rebalancing).
    pub fn incremental_assign(&self, partitions: Vec<TopicPartition>) -> Result<(), ErrorCode> {
        let consumer = self.consumer_inner()?;
        {
            let assignment = consumer.assignment.lock();
            if partitions.iter().any(|tp| {
                assignment
                    .keys()
                    .any(|(t, p)| **t == *tp.topic && *p == tp.partition)
            }) {
                return Err(RD_KAFKA_RESP_ERR__CONFLICT);
            }
        }
        let added = partitions
            .iter()
            .map(|tp| self.new_partition(tp))
            .collect::<Result<Vec<_>, _>>()?;
        {
            let mut assignment = consumer.assignment.lock();
            for cp in added {
                assignment.insert(cp.key(), cp);
            }
        }
        self.inner.request_metadata_refresh();
        self.inner.call_main(|m| m.assignment_changed());
        Ok(())
    }

    /// Removes partitions from the assignment (cooperative rebalancing).
    pub fn incremental_unassign(&self, partitions: Vec<TopicPartition>) -> Result<(), ErrorCode> {
        let consumer = self.consumer_inner()?;
        let removed: Vec<Arc<ConsumerPartition>> = {
            let mut assignment = consumer.assignment.lock();
            if partitions.iter().any(|tp| {
                !assignment
                    .keys()
                    .any(|(t, p)| **t == *tp.topic && *p == tp.partition)
            }) {
                return Err(RD_KAFKA_RESP_ERR__INVALID_ARG);
            }
            let keys: Vec<_> = assignment
                .keys()
                .filter(|(t, p)| {
                    partitions
                        .iter()
                        .any(|tp| *tp.topic == **t && tp.partition == *p)
                })
                .cloned()
                .collect();
            keys.iter().filter_map(|k| assignment.remove(k)).collect()
        };
        if consumer.settings.enable_auto_commit {
            let offsets: Vec<TopicPartition> = removed
                .iter()
                .filter_map(|cp| cp.offset_to_commit(true))
                .collect();
            if !offsets.is_empty() {
                self.inner
                    .call_main(move |m| m.group_mut().map(|g| g.commit(offsets, None)));
            }
        }
        self.remove_partitions(removed);
        self.inner.call_main(|m| m.assignment_changed());
        Ok(())
    }

    pub fn assignment(&self) -> Result<Vec<TopicPartition>, ErrorCode> {
        Ok(self
            .consumer_inner()?
            .assigned()
            .iter()
            .map(|cp| cp.topic_partition(RD_KAFKA_OFFSET_INVALID))
            .collect())
    }

    fn assigned_partition(
        &self,
        topic: &str,
        partition: i32,
    ) -> Result<Arc<ConsumerPartition>, ErrorCode> {
        self.consumer_inner()?
            .partition(topic, partition)
            .ok_or(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
    }

    /// `rd_kafka_seek`: the next message returned for the partition is at `offset`.
    pub fn seek(&self, topic: &str, partition: i32, offset: i64) -> Result<(), ErrorCode> {
        let cp = self.assigned_partition(topic, partition)?;
        cp.seek(offset);
        self.inner.wake_all_brokers();
        self.inner.wake_main();
        Ok(())
    }

    pub fn pause(&self, partitions: &mut [TopicPartition], paused: bool) -> Result<(), ErrorCode> {
        for tp in partitions.iter_mut() {
            match self.assigned_partition(&tp.topic, tp.partition) {
                Ok(cp) => {
                    cp.state.lock().paused = paused;
                    tp.err = RD_KAFKA_RESP_ERR_NO_ERROR;
                }
                Err(e) => tp.err = e,
            }
        }
        if !paused {
            self.inner.wake_all_brokers();
        }
        Ok(())
    }

    /// Fills in each partition's position (next offset to consume).
    pub fn position(&self, partitions: &mut [TopicPartition]) {
        for tp in partitions.iter_mut() {
            match self.assigned_partition(&tp.topic, tp.partition) {
                Ok(cp) => {
                    tp.offset = cp.state.lock().position;
                    tp.err = RD_KAFKA_RESP_ERR_NO_ERROR;
                }
                Err(e) => {
                    tp.offset = RD_KAFKA_OFFSET_INVALID;
                    tp.err = e;
                }
            }
        }
    }

    /// `rd_kafka_offsets_store`: marks offsets as processed (to be committed).
    pub fn offsets_store(&self, partitions: &mut [TopicPartition]) -> Result<(), ErrorCode> {
        let consumer = self.consumer_inner()?;
        if consumer.settings.enable_auto_offset_store {
            return Err(RD_KAFKA_RESP_ERR__INVALID_ARG);
        }
        let mut any_ok = partitions.is_empty();
        for tp in partitions.iter_mut() {
            match self.assigned_partition(&tp.topic, tp.partition) {
                Ok(cp) => {
                    let mut s = cp.state.lock();
                    s.stored = tp.offset;
                    s.stored_metadata = tp.metadata.clone();
                    tp.err = RD_KAFKA_RESP_ERR_NO_ERROR;
                    any_ok = true;
                }
                Err(_) => tp.err = RD_KAFKA_RESP_ERR__STATE,
            }
        }
        if any_ok {
            Ok(())
        } else {
            Err(RD_KAFKA_RESP_ERR__STATE)
        }
    }

    /// Commits `offsets` (or the stored offsets of the assignment). Sync
    /// waits for the result; async returns at once (`offset_commit_cb` tells).
    pub fn commit(
        &self,
        offsets: Option<Vec<TopicPartition>>,
        sync: bool,
    ) -> Result<Vec<TopicPartition>, ErrorCode> {
        let consumer = self.consumer_inner()?;
        if consumer.settings.group_id.is_none() {
            return Err(RD_KAFKA_RESP_ERR__UNKNOWN_GROUP);
        }
        let offsets = offsets.unwrap_or_else(|| consumer.offsets_to_commit(false));
        if offsets.is_empty() {
            return Err(RD_KAFKA_RESP_ERR__NO_OFFSET);
        }
        if !sync {
            self.inner
                .call_main(move |m| m.group_mut().map(|g| g.commit(offsets, None)));
            return Ok(Vec::new());
        }
        self.inner.commit_and_wait(offsets)
    }

    /// Committed offsets from the coordinator (`rd_kafka_committed`).
    pub fn committed(
        &self,
        partitions: Vec<TopicPartition>,
        timeout: Duration,
    ) -> Result<Vec<TopicPartition>, ErrorCode> {
        let consumer = self.consumer_inner()?;
        if consumer.settings.group_id.is_none() {
            return Err(RD_KAFKA_RESP_ERR__UNKNOWN_GROUP);
        }
        let deadline = Instant::now() + timeout;
        loop {
            let (tx, rx) = crossbeam_channel::bounded(1);
            let wanted = partitions.clone();
            self.inner.call_main(move |m| {
                m.group_mut().map(|g| {
                    g.fetch_committed(wanted, move |r| {
                        let _ = tx.send(r);
                    })
                })
            });
            let remaining = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(remaining) {
                Ok(Ok(result)) => return Ok(result),
                Ok(Err(e)) if e.is_retriable() || e == RD_KAFKA_RESP_ERR__WAIT_COORD => {
                    if Instant::now() >= deadline {
                        return Err(RD_KAFKA_RESP_ERR__TIMED_OUT);
                    }
                    std::thread::sleep(Duration::from_millis(50).min(remaining));
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Err(RD_KAFKA_RESP_ERR__TIMED_OUT),
            }
        }
    }

    /// The consumer's state itself, for the micro-benchmarks that drive
    /// the fetch hand-over without a broker (`benches/hot_paths.rs`); the C
    /// layer uses the methods above and below instead.
    #[doc(hidden)]
    pub fn consumer_state(&self) -> Option<&crate::client::consumer::Consumer> {
        self.inner.consumer.as_ref()
    }

    /// The group as the application sees it (member id, generation, a
    /// lost assignment, the rebalance protocol); `None` for a producer.
    pub fn group_view(&self) -> Option<GroupView> {
        self.inner.consumer.as_ref().map(|c| c.group.lock().clone())
    }

    /// `group.id` and `group.instance.id`, for the consumer group metadata
    /// a transactional producer sends; `None` without a group.
    pub fn group_identity(&self) -> Option<(String, Option<String>)> {
        let settings = &self.inner.consumer.as_ref()?.settings;
        Some((
            settings.group_id.clone()?,
            settings.group_instance_id.clone(),
        ))
    }

    /// What a commit without offsets would commit now.
    pub fn offsets_to_commit(&self) -> Vec<TopicPartition> {
        self.inner
            .consumer
            .as_ref()
            .map_or_else(Vec::new, |c| c.offsets_to_commit(false))
    }

    /// The consumer queue (`rd_kafka_queue_get_consumer`); `None` for a
    /// producer.
    pub fn consumer_queue(&self) -> Option<Arc<Queue>> {
        self.inner.consumer.as_ref().map(|c| c.queue.clone())
    }

    /// The fetch queue of an assigned partition
    /// (`rd_kafka_queue_get_partition`).
    pub fn partition_queue(&self, topic: &str, partition: i32) -> Option<Arc<Queue>> {
        let consumer = self.inner.consumer.as_ref()?;
        Some(consumer.partition(topic, partition)?.queue.clone())
    }

    /// `rd_kafka_poll_set_consumer`: the main queue (errors, logs, stats)
    /// is served by the consumer's poll calls from now on.
    pub fn forward_main_queue_to_consumer(&self) -> Result<(), ErrorCode> {
        let consumer = self.consumer_inner()?;
        self.inner.events.forward_to(Some(consumer.queue.clone()));
        Ok(())
    }

    pub fn consumer_closed(&self) -> bool {
        self.inner
            .consumer
            .as_ref()
            .is_some_and(|c| c.closed.load(std::sync::atomic::Ordering::Acquire))
    }

    /// Position bookkeeping for an op popped from any consumer-side queue.
    pub fn accept(&self, op: Op) -> Option<Op> {
        self.inner.accept(op)
    }

    /// Low and high watermarks from the leader (`query_watermark_offsets`).
    pub fn query_watermarks(
        &self,
        topic: &str,
        partition: i32,
        timeout: Duration,
    ) -> Result<(i64, i64), ErrorCode> {
        let mut tps = vec![
            TopicPartition::new(topic, partition, -2),
            TopicPartition::new(topic, partition, -1),
        ];
        list_offsets(&self.inner, &mut tps[..1], timeout)?;
        list_offsets(&self.inner, &mut tps[1..], timeout)?;
        for tp in &tps {
            if tp.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                return Err(tp.err);
            }
        }
        Ok((tps[0].offset, tps[1].offset))
    }

    /// Cached watermarks from the last fetch (`get_watermark_offsets`).
    pub fn cached_watermarks(&self, topic: &str, partition: i32) -> Result<(i64, i64), ErrorCode> {
        let cp = self.assigned_partition(topic, partition)?;
        let s = cp.state.lock();
        Ok((s.low_watermark, s.high_watermark))
    }

    /// `rd_kafka_offsets_for_times`: each partition's `offset` is a
    /// timestamp on input and the earliest offset at or after it on output.
    pub fn offsets_for_times(
        &self,
        partitions: &mut [TopicPartition],
        timeout: Duration,
    ) -> Result<(), ErrorCode> {
        list_offsets(&self.inner, partitions, timeout).map(|_| ())
    }
}

impl ClientInner {
    /// [`Client::accept`]; here for the legacy consumer, which reaches the
    /// client through a topic handle.
    pub(crate) fn accept(&self, op: Op) -> Option<Op> {
        let consumer = self.consumer.as_ref()?;
        let (mut accepted, refill) = consumer.accept(op);
        if let (Some(ic), Some(Op::Message(msg))) = (&self.interceptors, accepted.as_mut()) {
            if !msg.has_error() {
                ic.on_consume(msg);
            }
        }
        match refill {
            Refill::Nothing => {}
            Refill::AllBrokers => self.wake_all_brokers(),
            Refill::Leader(cp) => {
                if let Some(p) = cp.topic.partition(cp.partition) {
                    self.wake_broker(p.leader());
                }
            }
        }
        accepted
    }

    /// Has the group commit `offsets` and waits (bounded) for the result.
    pub(crate) fn commit_and_wait(
        &self,
        offsets: Vec<TopicPartition>,
    ) -> Result<Vec<TopicPartition>, ErrorCode> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        self.call_main(move |m| m.group_mut().map(|g| g.commit(offsets, Some(tx))));
        match rx.recv_timeout(self.settings.socket_timeout + Duration::from_secs(5)) {
            Ok((RD_KAFKA_RESP_ERR_NO_ERROR, results)) => Ok(results),
            Ok((err, _)) => Err(err),
            Err(_) => Err(RD_KAFKA_RESP_ERR__TIMED_OUT),
        }
    }
}

/// Waits (bounded) for the leader of each partition and asks it for the
/// offset at each partition's `offset` timestamp (-2 earliest, -1 latest).
fn list_offsets(
    client: &Arc<ClientInner>,
    partitions: &mut [TopicPartition],
    timeout: Duration,
) -> Result<(), ErrorCode> {
    let deadline = Instant::now() + timeout;
    for tp in partitions.iter() {
        client
            .ensure_topic(&tp.topic)
            .map_err(|_| RD_KAFKA_RESP_ERR__INVALID_ARG)?;
    }
    client.request_metadata_refresh();
    for tp in partitions.iter_mut() {
        let leader = loop {
            let topic = client
                .ensure_topic(&tp.topic)
                .map_err(|_| RD_KAFKA_RESP_ERR__INVALID_ARG)?;
            let state = topic.state.read().existence;
            if let Some(p) = topic.partition(tp.partition) {
                if p.leader() >= 0 {
                    if let Some(b) = client.brokers.read().iter().find(|b| b.id == p.leader()) {
                        break b.clone();
                    }
                }
            } else if state == crate::client::topic::TopicExistence::Exists {
                tp.err = RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION;
                break None.ok_or(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)?;
            }
            if Instant::now() >= deadline {
                return Err(RD_KAFKA_RESP_ERR__TIMED_OUT);
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let request = ListOffsetsRequest {
            replica_id: -1,
            isolation_level: client
                .consumer
                .as_ref()
                .is_some_and(|c| c.settings.read_committed) as i8,
            topics: vec![ListOffsetsTopic {
                name: tp.topic.clone(),
                partitions: vec![ListOffsetsPartition {
                    partition_index: tp.partition,
                    current_leader_epoch: -1,
                    timestamp: tp.offset,
                }],
            }],
        };
        let (tx, rx) = crossbeam_channel::bounded(1);
        leader.send(
            request,
            deadline.saturating_duration_since(Instant::now()),
            move |r: Result<ListOffsetsResponse, ErrorCode>| {
                let _ = tx.send(r);
            },
        );
        let response = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .map_err(|_| RD_KAFKA_RESP_ERR__TIMED_OUT)??;
        match response.topics.first().and_then(|t| t.partitions.first()) {
            Some(p) => {
                tp.err =
                    ErrorCode::from_code(p.error_code as i32).unwrap_or(RD_KAFKA_RESP_ERR_UNKNOWN);
                tp.offset = p.offset;
            }
            None => tp.err = RD_KAFKA_RESP_ERR__BAD_MSG,
        }
    }
    Ok(())
}
