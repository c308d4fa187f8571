//! Topics and their partitions as the producer sees them.
//!
//! A [`Topic`] is shared (`Arc`) by the client's registry, every
//! `rd_kafka_topic_t*` the application holds and every message produced to
//! it. Its partition list changes only on the main thread (metadata
//! updates); each [`Partition`] owns the queue of messages waiting to be
//! batched by the broker thread that leads it.

use crate::client::idempotence::ProducerId;
use crate::client::message::{Msg, MsgBox};
use crate::client::settings::TopicSettings;
use crate::client::window::Window;
use crate::partitioner::Partitioner;
use crate::protocol::primitives::Uuid;
use parking_lot::{Mutex, RwLock};
use std::collections::VecDeque;
use std::ffi::CString;
use std::sync::atomic::{AtomicI32, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// An application-provided partitioner (`rd_kafka_topic_conf_set_partitioner_cb`):
/// `(topic, key, partition_cnt, msg_opaque) -> partition`.
pub type CustomPartitioner =
    Arc<dyn Fn(&Topic, Option<&[u8]>, i32, *mut libc::c_void) -> i32 + Send + Sync>;

/// What the last metadata response said about the topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicExistence {
    /// No metadata yet: messages wait in the topic's unassigned queue.
    Unknown,
    Exists,
    /// The cluster says it does not exist (and did not auto-create it).
    Missing,
}

pub struct Topic {
    /// The client this topic belongs to (`rd_kafka_produce` gets only the topic).
    pub client: std::sync::Weak<crate::client::ClientInner>,
    pub name: Arc<str>,
    pub name_c: CString,
    pub settings: Arc<TopicSettings>,
    pub custom_partitioner: Option<CustomPartitioner>,
    /// The topic conf's opaque (`rd_kafka_topic_opaque()`), stored as an address.
    pub opaque: usize,
    pub state: RwLock<TopicState>,
    /// Messages whose partition cannot be chosen or placed yet (no metadata).
    pub unassigned: Mutex<VecDeque<MsgBox>>,
    sticky: StickyPartition,
    /// Statistics: creation, last metadata and batch windows.
    pub stats: TopicStats,
}

/// A topic's statistics (librdkafka's per-topic `age`, `metadata_age`,
/// `batchsize`, `batchcnt`, and the unassigned partition's `msgs`).
#[derive(Default)]
pub struct TopicStats {
    /// `counters::monotonic_us()` when the topic object was made.
    pub created_us: i64,
    /// `counters::monotonic_us()` of the last metadata naming the topic; 0 before.
    pub metadata_us: AtomicI64,
    /// Bytes of each record batch sent (the broker thread records them).
    pub batchsize: Window,
    /// Messages in each record batch sent.
    pub batchcnt: Window,
    /// Messages that waited in `unassigned` (its `msgs`).
    pub unassigned_msgs: AtomicU64,
}

pub struct TopicState {
    pub existence: TopicExistence,
    pub partitions: Vec<Arc<Partition>>,
    /// Set by the main thread, in the same write-locked update that makes
    /// the partitions known, while messages produced before still wait in
    /// `unassigned`; cleared once it has moved them all to their
    /// partitions. Until then new messages queue behind them in
    /// `unassigned`, so each partition stores messages in produce order.
    pub routing_waiting: bool,
    /// The topic's id (KIP-516) from the last Metadata response that
    /// named it without error; all zeros until one did at v10+ (older
    /// brokers have none). Fetch names the topic by it at v13+.
    pub topic_id: Uuid,
}

impl TopicState {
    /// The topic exists and has partitions: a message's partition can be
    /// chosen and checked.
    pub fn partitions_known(&self) -> bool {
        self.existence == TopicExistence::Exists && !self.partitions.is_empty()
    }

    /// A message produced now may go straight to its partition's queue:
    /// the partitions are known and no earlier message still waits to be
    /// routed ahead of it.
    pub fn takes_messages_directly(&self) -> bool {
        self.partitions_known() && !self.routing_waiting
    }
}

/// librdkafka's sticky partitioning for key-less messages: one random
/// partition is used for `sticky.partitioning.linger.ms`, then another.
///
/// Lock-free, as it runs on every key-less produce call: two threads that
/// see the period end at once may each pick a partition and the last store
/// wins, which is as good a random choice as any.
struct StickyPartition {
    /// -1 until the first choice.
    partition: AtomicI32,
    /// End of the current period, in microseconds since `base`.
    until_us: AtomicU64,
    base: Instant,
}

impl Topic {
    pub fn new(
        client: std::sync::Weak<crate::client::ClientInner>,
        name: &str,
        settings: TopicSettings,
        custom_partitioner: Option<CustomPartitioner>,
        opaque: usize,
    ) -> Result<Topic, String> {
        let name_c =
            CString::new(name).map_err(|_| "topic name contains a NUL byte".to_string())?;
        Ok(Topic {
            client,
            name: Arc::from(name),
            name_c,
            settings: Arc::new(settings),
            custom_partitioner,
            opaque,
            state: RwLock::new(TopicState {
                existence: TopicExistence::Unknown,
                partitions: Vec::new(),
                routing_waiting: false,
                topic_id: Uuid::default(),
            }),
            unassigned: Mutex::new(VecDeque::new()),
            sticky: StickyPartition {
                partition: AtomicI32::new(-1),
                until_us: AtomicU64::new(0),
                base: Instant::now(),
            },
            stats: TopicStats {
                created_us: crate::client::counters::monotonic_us(),
                ..Default::default()
            },
        })
    }

    pub fn partition_count(&self) -> i32 {
        self.state.read().partitions.len() as i32
    }

    pub fn partition(&self, id: i32) -> Option<Arc<Partition>> {
        let state = self.state.read();
        usize::try_from(id)
            .ok()
            .and_then(|i| state.partitions.get(i).cloned())
    }

    /// `rd_kafka_topic_partition_available()`: the partition has a leader.
    pub fn partition_available(&self, id: i32) -> bool {
        self.partition(id).is_some_and(|p| p.leader() >= 0)
    }

    /// Gives a message produced with `RD_KAFKA_PARTITION_UA` (before the
    /// topic's partitions were known) the partition the configured
    /// partitioner (or the application's callback) chooses, and returns the
    /// message's partition. `partition_cnt` must be > 0.
    pub fn partition_unassigned(
        &self,
        msg: &mut Msg,
        partition_cnt: i32,
        sticky_linger: std::time::Duration,
    ) -> i32 {
        if msg.partition() == crate::abi::RD_KAFKA_PARTITION_UA {
            let chosen = self.choose_partition_at(
                msg.key(),
                partition_cnt,
                msg.opaque(),
                sticky_linger,
                Instant::now(),
            );
            msg.set_partition(chosen);
        }
        msg.partition()
    }

    /// Chooses a partition for a message with this key, as the configured
    /// partitioner (or the application's callback) does, at `now`.
    pub fn choose_partition_at(
        &self,
        key: Option<&[u8]>,
        partition_cnt: i32,
        msg_opaque: *mut libc::c_void,
        sticky_linger: std::time::Duration,
        now: Instant,
    ) -> i32 {
        let builtin = match self.custom_partitioner {
            Some(_) => None,
            None => Some(self.settings.partitioner),
        };
        if crate::partitioner::uses_sticky_partition(builtin, sticky_linger.as_millis() as i64, key)
        {
            return self.sticky_partition(partition_cnt, sticky_linger, now);
        }
        match &self.custom_partitioner {
            Some(custom) => custom(self, key, partition_cnt, msg_opaque),
            None => self.settings.partitioner.partition(key, partition_cnt),
        }
    }

    fn sticky_partition(
        &self,
        partition_cnt: i32,
        linger: std::time::Duration,
        now: Instant,
    ) -> i32 {
        let sticky = &self.sticky;
        let since = now.saturating_duration_since(sticky.base);
        let now_us = since.as_secs() * 1_000_000 + u64::from(since.subsec_micros());
        let partition = sticky.partition.load(Ordering::Relaxed);
        let expired = now_us >= sticky.until_us.load(Ordering::Relaxed);
        if expired || partition < 0 || partition >= partition_cnt {
            let partition = Partitioner::Random.partition(None, partition_cnt);
            sticky.partition.store(partition, Ordering::Relaxed);
            sticky
                .until_us
                .store(now_us + linger.as_micros() as u64, Ordering::Relaxed);
            return partition;
        }
        partition
    }
}

/// One partition of a topic: its leader and its queue of unsent messages.
pub struct Partition {
    pub topic: Arc<str>,
    pub id: i32,
    pub settings: Arc<TopicSettings>,
    leader: AtomicI32,
    pub queue: Mutex<PartitionQueue>,
    /// Messages and record bytes acknowledged (librdkafka's `txmsgs`,
    /// `txbytes`), counted by the broker thread per batch.
    pub txmsgs: AtomicU64,
    pub txbytes: AtomicU64,
    /// Transactional producer: the transaction (`Transactions::generation`)
    /// the coordinator has this partition in; its sink sends nothing of
    /// another one (`client/txn/`).
    pub txn_added: AtomicU64,
    /// The transaction this partition was last asked to be added to, so a
    /// partition is queued for AddPartitionsToTxn once per transaction.
    pub txn_requested: AtomicU64,
}

pub struct PartitionQueue {
    /// Change only through the methods below: `sizes` runs parallel to it.
    pub msgs: VecDeque<MsgBox>,
    /// Each queued message's size, so cutting a batch reads this compact
    /// array instead of every message (cold in this core's cache) under
    /// the lock the producing application thread waits for.
    sizes: VecDeque<u32>,
    pub bytes: usize,
    /// Set after a retriable failure: nothing is sent before this instant.
    pub backoff_until: Option<Instant>,
    /// Produce requests for this partition currently in flight.
    pub in_flight: usize,
    /// The broker those requests went to (meaningful while `in_flight` is
    /// not 0): an idempotent producer sends nothing to a new leader while
    /// batches sent to the old one may still fail and be resent.
    pub in_flight_broker: i32,
    /// Idempotent producer: the producer id the queued messages' sequence
    /// numbers belong to (a new id or epoch renumbers from 0).
    pub producer_id: ProducerId,
    /// The sequence number of the next message sent for the first time.
    pub next_sequence: i32,
    /// The sequence number of the oldest message sent and not yet
    /// acknowledged or failed: a gap reported for a batch starting there
    /// is real; one reported for a later batch follows an earlier failure.
    pub next_ack_sequence: i32,
    /// Statistics, counted under this lock by whoever holds it anyway:
    /// messages ever queued here (`msgs`), messages in produce requests in
    /// flight (`msgs_inflight`), and, idempotent producer, messages
    /// acknowledged (`acked_msgid`).
    pub enqueued: u64,
    pub msgs_in_flight: usize,
    pub acked: u64,
}

impl Default for PartitionQueue {
    fn default() -> Self {
        PartitionQueue {
            msgs: VecDeque::new(),
            sizes: VecDeque::new(),
            bytes: 0,
            backoff_until: None,
            in_flight: 0,
            in_flight_broker: -1,
            producer_id: ProducerId::NONE,
            next_sequence: 0,
            next_ack_sequence: 0,
            enqueued: 0,
            msgs_in_flight: 0,
            acked: 0,
        }
    }
}

impl Partition {
    pub fn new(topic: &Topic, id: i32, leader: i32) -> Partition {
        Partition {
            topic: topic.name.clone(),
            id,
            settings: topic.settings.clone(),
            leader: AtomicI32::new(leader),
            queue: Mutex::new(PartitionQueue::default()),
            txmsgs: AtomicU64::new(0),
            txbytes: AtomicU64::new(0),
            txn_added: AtomicU64::new(0),
            txn_requested: AtomicU64::new(0),
        }
    }

    pub fn leader(&self) -> i32 {
        self.leader.load(Ordering::Acquire)
    }

    pub fn set_leader(&self, leader: i32) {
        self.leader.store(leader, Ordering::Release);
    }
}

impl PartitionQueue {
    /// Takes the messages at the front whose `message.timeout.ms` passed.
    pub fn take_expired(&mut self, now: Instant) -> Vec<MsgBox> {
        let mut expired = Vec::new();
        while self
            .msgs
            .front()
            .is_some_and(|m| m.deadline.is_some_and(|d| d <= now))
        {
            if let Some(msg) = self.pop_front() {
                expired.push(msg);
            }
        }
        expired
    }

    pub fn push_back(&mut self, msg: MsgBox) {
        self.enqueued += 1;
        let size = msg.size();
        self.bytes += size;
        self.sizes.push_back(size as u32);
        self.msgs.push_back(msg);
    }

    /// Puts messages back at the front, keeping their original order (retries).
    pub fn push_front_all(&mut self, msgs: Vec<MsgBox>) {
        for msg in msgs.into_iter().rev() {
            let size = msg.size();
            self.bytes += size;
            self.sizes.push_front(size as u32);
            self.msgs.push_front(msg);
        }
    }

    pub fn pop_front(&mut self) -> Option<MsgBox> {
        let msg = self.msgs.pop_front()?;
        self.sizes.pop_front();
        self.bytes -= msg.size();
        Some(msg)
    }

    /// Takes the longest prefix of at most `max_msgs` messages whose sizes
    /// plus `overhead` each stay within `max_bytes` (always at least one
    /// message when any is queued). Returns the messages and their counted
    /// bytes (sizes plus overhead).
    pub fn take_batch(
        &mut self,
        max_msgs: usize,
        max_bytes: usize,
        overhead: usize,
    ) -> (Vec<MsgBox>, usize) {
        let mut n = 0;
        let mut counted = 0;
        let mut raw = 0;
        for &size in &self.sizes {
            let size = size as usize;
            if n > 0 && (n >= max_msgs || counted + size + overhead > max_bytes) {
                break;
            }
            counted += size + overhead;
            raw += size;
            n += 1;
        }
        self.sizes.drain(..n);
        self.bytes -= raw;
        (self.msgs.drain(..n).collect(), counted)
    }

    /// Puts a retried batch back in front of every message sent after it
    /// (their sequence numbers are higher, or they were never sent), so
    /// batches failing one after another are resent in sequence order.
    pub fn insert_retry(&mut self, msgs: Vec<MsgBox>) {
        let Some(sequence) = msgs.first().map(|m| m.batch_sequence) else {
            return;
        };
        let at = self
            .msgs
            .iter()
            .position(|m| m.batch_sequence < 0 || m.batch_sequence > sequence)
            .unwrap_or(self.msgs.len());
        for (i, msg) in msgs.into_iter().enumerate() {
            let size = msg.size();
            self.bytes += size;
            self.sizes.insert(at + i, size as u32);
            self.msgs.insert(at + i, msg);
        }
    }

    /// The messages of the retried batch at the front: exactly those sent
    /// together before (the broker recognises a duplicate by its first
    /// and last sequence number).
    pub fn take_retried_batch(&mut self, overhead: usize) -> (Vec<MsgBox>, usize) {
        let sequence = self.msgs.front().map_or(-1, |m| m.batch_sequence);
        let n = self
            .msgs
            .iter()
            .take_while(|m| m.batch_sequence == sequence)
            .count();
        let raw: usize = self.sizes.drain(..n).map(|s| s as usize).sum();
        self.bytes -= raw;
        (self.msgs.drain(..n).collect(), raw + n * overhead)
    }

    /// Starts numbering over for `producer_id` (a new id or epoch): every
    /// queued message will be sent as new, from sequence 0.
    pub fn renumber(&mut self, producer_id: ProducerId) {
        for msg in self.msgs.iter_mut() {
            msg.batch_sequence = -1;
        }
        self.producer_id = producer_id;
        self.next_sequence = 0;
        self.next_ack_sequence = 0;
    }

    pub fn clear(&mut self) {
        self.msgs.clear();
        self.sizes.clear();
        self.bytes = 0;
    }
}
