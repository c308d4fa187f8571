//! Consumer state shared by the application, the main thread (group
//! coordination) and broker threads (fetching).
//!
//! Each assigned partition is a [`ConsumerPartition`]: its fetch position,
//! the application's position and stored offset, pause state, watermarks,
//! and its own fetch queue (forwarded to the consumer queue unless the
//! application reads it separately with `rd_kafka_queue_get_partition`).
//!
//! Versions: every assign, seek or unassign bumps the partition's version.
//! Fetched messages carry the version they were fetched under; a message
//! whose version is stale is dropped when popped, and a fetch response for
//! an older version is discarded. That is what makes seek exact without
//! locking the fetch path against the application.

use crate::abi::{
    RD_KAFKA_OFFSET_BEGINNING, RD_KAFKA_OFFSET_END, RD_KAFKA_OFFSET_INVALID, RD_KAFKA_OFFSET_STORED,
};
use crate::client::fetched::FetchedRun;
use crate::client::message::Msg;
use crate::client::queue::{Op, Queue};
use crate::client::topic::Topic;
use crate::client::topic_partition::TopicPartition;
use crate::config::Config;
use crate::error::ErrorCode;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn sorted(mut partitions: Vec<Arc<ConsumerPartition>>) -> Vec<Arc<ConsumerPartition>> {
    partitions.sort_by(|a, b| (&*a.topic.name, a.partition).cmp(&(&*b.topic.name, b.partition)));
    partitions
}

/// Consumer settings, read once at `rd_kafka_new()`.
#[derive(Clone, Debug)]
pub struct ConsumerSettings {
    pub group_id: Option<String>,
    pub group_instance_id: Option<String>,
    pub session_timeout: Duration,
    pub heartbeat_interval: Duration,
    pub max_poll_interval: Duration,
    pub enable_auto_commit: bool,
    pub auto_commit_interval: Duration,
    pub enable_auto_offset_store: bool,
    /// `auto.offset.reset` as a logical offset; `RD_KAFKA_OFFSET_INVALID` = error.
    pub auto_offset_reset: i64,
    pub fetch_wait_max: Duration,
    pub fetch_min_bytes: i32,
    pub fetch_max_bytes: i32,
    pub partition_fetch_max_bytes: i32,
    pub fetch_error_backoff: Duration,
    pub queued_min_messages: usize,
    pub queued_max_bytes: usize,
    pub enable_partition_eof: bool,
    /// `consume.callback.max.messages`: most messages one
    /// `rd_kafka_consume_callback*` call serves (0: no limit).
    pub consume_callback_max: usize,
    pub check_crcs: bool,
    pub read_committed: bool,
    pub assignors: Vec<String>,
    pub topic_blacklist: Vec<regex::Regex>,
}

fn ms(v: i64) -> Duration {
    Duration::from_millis(v.max(0) as u64)
}

impl ConsumerSettings {
    pub fn from_config(c: &Config) -> Result<ConsumerSettings, String> {
        let blacklist = c
            .list("topic.blacklist")
            .iter()
            .map(|p| {
                regex::Regex::new(p)
                    .map_err(|e| format!("invalid topic.blacklist pattern \"{p}\": {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let reset = c.default_topic().int("auto.offset.reset");
        Ok(ConsumerSettings {
            group_id: c
                .string("group.id")
                .filter(|g| !g.is_empty())
                .map(str::to_string),
            group_instance_id: c
                .string("group.instance.id")
                .filter(|g| !g.is_empty())
                .map(str::to_string),
            session_timeout: ms(c.int("session.timeout.ms")),
            heartbeat_interval: ms(c.int("heartbeat.interval.ms")),
            max_poll_interval: ms(c.int("max.poll.interval.ms")),
            enable_auto_commit: c.boolean("enable.auto.commit"),
            auto_commit_interval: ms(c.int("auto.commit.interval.ms")),
            enable_auto_offset_store: c.boolean("enable.auto.offset.store"),
            auto_offset_reset: reset,
            fetch_wait_max: ms(c.int("fetch.wait.max.ms")),
            fetch_min_bytes: c.int("fetch.min.bytes").clamp(1, i32::MAX as i64) as i32,
            fetch_max_bytes: c.int("fetch.max.bytes").clamp(1, i32::MAX as i64) as i32,
            partition_fetch_max_bytes: c.int("fetch.message.max.bytes").clamp(1, i32::MAX as i64)
                as i32,
            fetch_error_backoff: ms(c.int("fetch.error.backoff.ms")),
            queued_min_messages: c.int("queued.min.messages").max(1) as usize,
            queued_max_bytes: (c.int("queued.max.messages.kbytes").max(1) as usize) * 1024,
            enable_partition_eof: c.boolean("enable.partition.eof"),
            consume_callback_max: c.int("consume.callback.max.messages").max(0) as usize,
            check_crcs: c.boolean("check.crcs"),
            read_committed: c.string("isolation.level") == Some("read_committed"),
            assignors: c.list("partition.assignment.strategy"),
            topic_blacklist: blacklist,
        })
    }

    pub fn blacklisted(&self, topic: &str) -> bool {
        self.topic_blacklist.iter().any(|r| r.is_match(topic))
    }
}

/// Which broker threads must look at their fetch lists again because the
/// application took a message (see [`Consumer::unqueue`]).
pub enum Refill {
    Nothing,
    /// This partition's prefetch dropped below its limit: its leader.
    Leader(Arc<ConsumerPartition>),
    /// The consumer-wide prefetch did, which bounds every partition
    /// forwarded to the consumer queue: every broker.
    AllBrokers,
}

/// Where a fetched message came from (see module docs on versions).
#[derive(Clone)]
pub struct Origin {
    pub partition: Arc<ConsumerPartition>,
    pub version: u64,
}

pub struct FetchState {
    /// Next offset to fetch; a logical offset (< 0) until resolved.
    pub fetch_offset: i64,
    pub version: u64,
    /// Offset of the next message for the application (last returned + 1).
    pub position: i64,
    /// Offset to commit next (`rd_kafka_offsets_store` / auto store).
    pub stored: i64,
    pub stored_metadata: Option<Vec<u8>>,
    /// Last offset committed (or fetched from the coordinator).
    pub committed: i64,
    pub paused: bool,
    pub high_watermark: i64,
    pub low_watermark: i64,
    pub last_stable_offset: i64,
    /// Offset at which `_PARTITION_EOF` was last reported.
    pub eof_reported_at: i64,
    pub backoff_until: Option<Instant>,
    /// A resolution (ListOffsets / OffsetFetch) is in flight.
    pub resolving: bool,
    /// Set by `auto.offset.reset=error`: nothing is fetched until a seek.
    pub stopped: bool,
    pub leader_epoch: i32,
    /// The last logical offset a ListOffsets resolved (statistics'
    /// `query_offset`); `RD_KAFKA_OFFSET_INVALID` before any.
    pub query_offset: i64,
}

pub struct ConsumerPartition {
    pub topic: Arc<Topic>,
    pub partition: i32,
    /// This partition's fetch queue, forwarded to the consumer queue by default.
    pub queue: Arc<Queue>,
    pub state: Mutex<FetchState>,
    /// Prefetched messages/bytes not yet handed to the application.
    pub queued_msgs: AtomicUsize,
    pub queued_bytes: AtomicUsize,
    /// Statistics: messages fetched and their record batch bytes (by the
    /// broker thread), and fetched messages dropped as stale after a seek
    /// or unassign (by the application's thread).
    pub rxmsgs: AtomicU64,
    pub rxbytes: AtomicU64,
    pub rx_ver_drops: AtomicU64,
}

impl ConsumerPartition {
    pub fn new(
        topic: Arc<Topic>,
        partition: i32,
        consumer_queue: &Arc<Queue>,
    ) -> Arc<ConsumerPartition> {
        let queue = Queue::new();
        queue.forward_to(Some(consumer_queue.clone()));
        Arc::new(ConsumerPartition {
            topic,
            partition,
            queue,
            state: Mutex::new(FetchState {
                fetch_offset: RD_KAFKA_OFFSET_INVALID,
                version: 0,
                position: RD_KAFKA_OFFSET_INVALID,
                stored: RD_KAFKA_OFFSET_INVALID,
                stored_metadata: None,
                committed: RD_KAFKA_OFFSET_INVALID,
                paused: false,
                high_watermark: -1,
                low_watermark: -1,
                last_stable_offset: -1,
                eof_reported_at: -1,
                backoff_until: None,
                resolving: false,
                stopped: false,
                leader_epoch: -1,
                query_offset: RD_KAFKA_OFFSET_INVALID,
            }),
            queued_msgs: AtomicUsize::new(0),
            queued_bytes: AtomicUsize::new(0),
            rxmsgs: AtomicU64::new(0),
            rxbytes: AtomicU64::new(0),
            rx_ver_drops: AtomicU64::new(0),
        })
    }

    pub fn key(&self) -> (Arc<str>, i32) {
        (self.topic.name.clone(), self.partition)
    }

    /// Starts (or restarts) fetching at `offset` (absolute or logical);
    /// messages already prefetched become stale.
    pub fn seek(&self, offset: i64) {
        let mut s = self.state.lock();
        s.version += 1;
        s.fetch_offset = if offset == RD_KAFKA_OFFSET_INVALID {
            RD_KAFKA_OFFSET_STORED
        } else {
            offset
        };
        if offset >= 0 {
            s.position = offset;
        }
        s.backoff_until = None;
        s.stopped = false;
        s.resolving = false;
        s.eof_reported_at = -1;
    }

    /// Whether the fetcher may fetch this partition now.
    /// `prefetched`: the consumer-wide prefetch counts
    /// ([`Consumer::prefetched`]), which bound a partition whose queue is
    /// forwarded to the consumer queue, as librdkafka counts the length of
    /// the queue a fetch queue forwards to.
    pub fn fetchable(
        &self,
        settings: &ConsumerSettings,
        now: Instant,
        prefetched: (usize, usize),
    ) -> Option<(i64, u64)> {
        let s = self.state.lock();
        if s.paused
            || s.stopped
            || s.resolving
            || s.fetch_offset < 0
            || s.backoff_until.is_some_and(|b| b > now)
        {
            return None;
        }
        if self.queued_msgs.load(Ordering::Acquire) >= settings.queued_min_messages
            || self.queued_bytes.load(Ordering::Acquire) >= settings.queued_max_bytes
        {
            return None;
        }
        if (prefetched.0 >= settings.queued_min_messages
            || prefetched.1 >= settings.queued_max_bytes)
            && self.queue.is_forwarded()
        {
            return None;
        }
        Some((s.fetch_offset, s.version))
    }

    /// Needs a logical offset resolved by the leader (ListOffsets) now: not
    /// while a failed attempt's backoff runs, which would retry at once.
    pub fn needs_list_offsets(&self, now: Instant) -> Option<(i64, u64)> {
        let s = self.state.lock();
        let logical = s.fetch_offset == RD_KAFKA_OFFSET_BEGINNING
            || s.fetch_offset == RD_KAFKA_OFFSET_END
            || s.fetch_offset <= crate::abi::RD_KAFKA_OFFSET_TAIL_BASE;
        let backing_off = s.backoff_until.is_some_and(|b| b > now);
        (logical && !s.resolving && !s.stopped && !backing_off)
            .then_some((s.fetch_offset, s.version))
    }

    pub fn topic_partition(&self, offset: i64) -> TopicPartition {
        TopicPartition::new(&self.topic.name, self.partition, offset)
    }

    /// The stored offset (with its metadata) to commit, if one is stored
    /// and, with `only_changed`, differs from the committed one.
    pub fn offset_to_commit(&self, only_changed: bool) -> Option<TopicPartition> {
        let s = self.state.lock();
        (s.stored >= 0 && (!only_changed || s.stored != s.committed)).then(|| {
            let mut tp = self.topic_partition(s.stored);
            tp.metadata = s.stored_metadata.clone();
            tp
        })
    }
}

/// The consumer-group side visible to the application (`rd_kafka_memberid`,
/// `rd_kafka_assignment_lost`, `rd_kafka_rebalance_protocol`).
#[derive(Default, Clone)]
pub struct GroupView {
    pub member_id: String,
    pub generation: i32,
    pub assignment_lost: bool,
    pub protocol: Option<&'static str>,
}

pub struct Consumer {
    pub settings: ConsumerSettings,
    /// The consumer queue (`rd_kafka_queue_get_consumer`).
    pub queue: Arc<Queue>,
    pub assignment: Mutex<HashMap<(Arc<str>, i32), Arc<ConsumerPartition>>>,
    /// Partitions the legacy consumer started (`rd_kafka_consume_start`),
    /// outside any group's assignment: fetched like assigned ones, never
    /// revoked by a rebalance (`client::legacy_consumer`).
    pub legacy_started: Mutex<HashMap<(Arc<str>, i32), Arc<ConsumerPartition>>>,
    /// Topic names and `^regex` patterns given to `rd_kafka_subscribe`.
    pub subscription: Mutex<Vec<String>>,
    pub group: Mutex<GroupView>,
    /// `CLOCK_MONOTONIC_COARSE` milliseconds of the last consumer poll.
    pub last_poll_ms: AtomicI64,
    pub started: Instant,
    pub closed: AtomicBool,
    /// Prefetched messages/bytes of every partition, not yet handed to the
    /// application (see [`ConsumerPartition::fetchable`]).
    prefetched_msgs: AtomicUsize,
    prefetched_bytes: AtomicUsize,
}

impl Consumer {
    pub fn new(settings: ConsumerSettings) -> Consumer {
        Consumer {
            settings,
            queue: Queue::new(),
            assignment: Mutex::new(HashMap::new()),
            legacy_started: Mutex::new(HashMap::new()),
            subscription: Mutex::new(Vec::new()),
            group: Mutex::new(GroupView {
                generation: -1,
                ..Default::default()
            }),
            last_poll_ms: AtomicI64::new(crate::client::clock::coarse_monotonic_ms()),
            started: Instant::now(),
            closed: AtomicBool::new(false),
            prefetched_msgs: AtomicUsize::new(0),
            prefetched_bytes: AtomicUsize::new(0),
        }
    }

    /// Consumer-wide prefetch counts: (messages, bytes).
    pub fn prefetched(&self) -> (usize, usize) {
        (
            self.prefetched_msgs.load(Ordering::Acquire),
            self.prefetched_bytes.load(Ordering::Acquire),
        )
    }

    /// Hands fetched records to the application: counts them against the
    /// prefetch limits (undone by [`Consumer::accept`] as each becomes a
    /// message) and queues them on `cp`'s queue under one lock. Public so
    /// the micro-benchmarks (`benches/hot_paths.rs`) drive the fetcher's
    /// own code.
    pub fn enqueue_fetched(&self, cp: &ConsumerPartition, run: FetchedRun) {
        self.count_prefetched(cp, run.len(), run.bytes());
        cp.queue.push_fetched(run);
    }

    pub fn count_prefetched(&self, cp: &ConsumerPartition, msgs: usize, bytes: usize) {
        cp.queued_msgs.fetch_add(msgs, Ordering::AcqRel);
        cp.queued_bytes.fetch_add(bytes, Ordering::AcqRel);
        self.prefetched_msgs.fetch_add(msgs, Ordering::AcqRel);
        self.prefetched_bytes.fetch_add(bytes, Ordering::AcqRel);
    }

    /// Runs on every consumer poll: a coarse clock (no TSC read) is plenty
    /// for `max.poll.interval.ms`, which is minutes by default.
    pub fn mark_polled(&self) {
        self.last_poll_ms.store(
            crate::client::clock::coarse_monotonic_ms(),
            Ordering::Release,
        );
    }

    pub fn since_last_poll(&self) -> Duration {
        ms(crate::client::clock::coarse_monotonic_ms() - self.last_poll_ms.load(Ordering::Acquire))
    }

    /// An assigned partition, or else one the legacy consumer started
    /// (seek, position and offset store work on either, as in librdkafka).
    pub fn partition(&self, topic: &str, partition: i32) -> Option<Arc<ConsumerPartition>> {
        let find = |map: &HashMap<(Arc<str>, i32), Arc<ConsumerPartition>>| {
            map.iter()
                .find(|((t, p), _)| &**t == topic && *p == partition)
                .map(|(_, cp)| cp.clone())
        };
        find(&self.assignment.lock()).or_else(|| find(&self.legacy_started.lock()))
    }

    /// The group's (or `rd_kafka_assign`'s) assignment, in topic/partition order.
    pub fn assigned(&self) -> Vec<Arc<ConsumerPartition>> {
        sorted(self.assignment.lock().values().cloned().collect())
    }

    /// Everything the fetchers fetch: the assignment and the partitions the
    /// legacy consumer started.
    pub fn fetched_partitions(&self) -> Vec<Arc<ConsumerPartition>> {
        let mut all: Vec<_> = self.assignment.lock().values().cloned().collect();
        all.extend(self.legacy_started.lock().values().cloned());
        sorted(all)
    }

    /// Stops a partition taken out of the assignment or stopped by the
    /// legacy consumer: its prefetched messages go stale, its queue stops
    /// forwarding, and messages still in it leave the prefetch counts (the
    /// consumer-wide one bounds other partitions).
    /// Empties the assignment, retiring every partition (an unassign done
    /// by the library itself, for an asynchronous close).
    pub fn retire_assignment(&self) {
        let removed: Vec<Arc<ConsumerPartition>> =
            self.assignment.lock().drain().map(|(_, cp)| cp).collect();
        for cp in removed {
            self.retire(&cp);
        }
    }

    pub fn retire(&self, cp: &ConsumerPartition) {
        cp.state.lock().version += 1;
        cp.queue.forward_to(None);
        // One at a time, not `drain`: that would make every queued record
        // a message at once (no longer forwarded, so this pops its own).
        while let Some(op) = cp.queue.try_pop() {
            let _ = self.discard_message(op);
        }
    }

    /// Takes a popped op: updates positions for messages and drops stale
    /// ones. Returns `None` when the op must be skipped, and which fetcher
    /// to wake because taking the op made prefetch room.
    pub fn accept(&self, op: Op) -> (Option<Op>, Refill) {
        let Op::Message(msg) = op else {
            return (Some(op), Refill::Nothing);
        };
        let Some(origin) = &msg.origin else {
            return (Some(Op::Message(msg)), Refill::Nothing);
        };
        let cp = &origin.partition;
        let refill = self.unqueue(cp, msg.size());
        let mut s = cp.state.lock();
        // Unassigning bumps the version (see remove_partitions), so a message
        // of a partition no longer assigned is stale here too: no need to
        // take the assignment lock for every message.
        if s.version != origin.version {
            cp.rx_ver_drops.fetch_add(1, Ordering::Relaxed);
            return (None, refill);
        }
        let offset = msg.offset();
        if !msg.has_error() {
            s.position = offset + 1;
            if self.settings.enable_auto_offset_store {
                s.stored = offset + 1;
            }
        }
        drop(s);
        if msg.control_marker {
            // The position moved past a transaction marker; the marker
            // itself is not the application's.
            return (None, refill);
        }
        (Some(Op::Message(msg)), refill)
    }

    /// Takes a popped op the application will never see (the consumer is
    /// closing): a fetched message only leaves the prefetch accounting. Its
    /// offset is neither the position nor stored, so a commit during close
    /// covers only what the application consumed. Other ops pass through.
    pub fn discard_message(&self, op: Op) -> Option<Op> {
        match op {
            Op::Message(msg) => {
                // Closing: no fetcher needs waking for the room this makes.
                if let Some(origin) = &msg.origin {
                    self.unqueue(&origin.partition, msg.size());
                }
                None
            }
            op => Some(op),
        }
    }

    /// Takes one message of `size` bytes off the prefetch counts and says
    /// whose fetcher to wake: one that [`ConsumerPartition::fetchable`]
    /// held back may fetch again once a count drops below its limit, and
    /// nothing else tells its broker thread (it sleeps until then). The
    /// values before each subtraction come from the atomic itself, so
    /// exactly one of several application threads sees each crossing, and
    /// the byte limits count as well as the message limits.
    fn unqueue(&self, cp: &Arc<ConsumerPartition>, size: usize) -> Refill {
        let s = &self.settings;
        let msgs_before = cp.queued_msgs.fetch_sub(1, Ordering::AcqRel);
        let bytes_before = cp.queued_bytes.fetch_sub(size, Ordering::AcqRel);
        let all_msgs_before = self.prefetched_msgs.fetch_sub(1, Ordering::AcqRel);
        let all_bytes_before = self.prefetched_bytes.fetch_sub(size, Ordering::AcqRel);
        let drops_below =
            |before: usize, taken: usize, limit: usize| before >= limit && before - taken < limit;
        if drops_below(all_msgs_before, 1, s.queued_min_messages)
            || drops_below(all_bytes_before, size, s.queued_max_bytes)
        {
            Refill::AllBrokers
        } else if drops_below(msgs_before, 1, s.queued_min_messages)
            || drops_below(bytes_before, size, s.queued_max_bytes)
        {
            Refill::Leader(cp.clone())
        } else {
            Refill::Nothing
        }
    }

    /// Offsets to commit: the assignment's stored offsets (only those that
    /// differ from the committed ones with `only_changed`). The legacy
    /// consumer's partitions are not part of it, as in librdkafka.
    pub fn offsets_to_commit(&self, only_changed: bool) -> Vec<TopicPartition> {
        self.assigned()
            .iter()
            .filter_map(|cp| cp.offset_to_commit(only_changed))
            .collect()
    }

    /// What the periodic auto commit commits for the legacy consumer: the
    /// changed stored offsets of started partitions whose topic has
    /// `auto.commit.enable`.
    pub fn legacy_offsets_to_auto_commit(&self) -> Vec<TopicPartition> {
        sorted(self.legacy_started.lock().values().cloned().collect())
            .iter()
            .filter(|cp| cp.topic.settings.auto_commit)
            .filter_map(|cp| cp.offset_to_commit(true))
            .collect()
    }

    /// Records a successful commit so it is not repeated.
    pub fn committed(&self, offsets: &[TopicPartition]) {
        for tp in offsets
            .iter()
            .filter(|tp| tp.err == ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR)
        {
            if let Some(cp) = self.partition(&tp.topic, tp.partition) {
                cp.state.lock().committed = tp.offset;
            }
        }
    }

    /// Pushes an error of one partition (a fetch or offset failure) onto
    /// its queue, as librdkafka does: it reaches the application where the
    /// partition's messages do (the consumer queue, a queue of its own, or
    /// `rd_kafka_consume` for the legacy consumer), and is dropped with
    /// them when the partition is unassigned or stopped.
    pub fn push_partition_error(
        &self,
        cp: &ConsumerPartition,
        offset: i64,
        err: ErrorCode,
        reason: String,
    ) {
        cp.queue.push(Op::Message(Msg::consumer_error(
            Some(cp.topic.clone()),
            cp.partition,
            offset,
            err,
            reason,
        )));
    }

    /// Pushes a consumer error (returned from `consumer_poll` as a message).
    pub fn push_error(
        &self,
        topic: Option<Arc<Topic>>,
        partition: i32,
        offset: i64,
        err: ErrorCode,
        reason: String,
    ) {
        self.queue.push(Op::Message(Msg::consumer_error(
            topic, partition, offset, err, reason,
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::settings::{ClientSettings, TopicSettings};
    use crate::config::TopicConfig;

    fn consumer(min_messages: usize, max_bytes: usize) -> Consumer {
        let mut settings = ConsumerSettings::from_config(&Config::new()).unwrap();
        settings.queued_min_messages = min_messages;
        settings.queued_max_bytes = max_bytes;
        Consumer::new(settings)
    }

    fn partition(consumer: &Consumer, id: i32) -> Arc<ConsumerPartition> {
        let client = ClientSettings::from_config(&Config::new(), false).unwrap();
        let settings = TopicSettings::from_config(&TopicConfig::new(), &client).unwrap();
        let topic = Topic::new(std::sync::Weak::new(), "t", settings, None, 0).unwrap();
        ConsumerPartition::new(Arc::new(topic), id, &consumer.queue)
    }

    fn woken(refill: Refill) -> &'static str {
        match refill {
            Refill::Nothing => "nothing",
            Refill::Leader(_) => "leader",
            Refill::AllBrokers => "all brokers",
        }
    }

    #[test]
    fn dropping_below_the_byte_limit_wakes_the_fetcher() {
        let c = consumer(1_000, 1_000);
        let p = partition(&c, 0);
        // Two large messages: over the byte limit, far under the count limit.
        c.count_prefetched(&p, 2, 1_500);
        assert_eq!(woken(c.unqueue(&p, 400)), "nothing", "still over the limit");
        assert_eq!(woken(c.unqueue(&p, 1_100)), "all brokers");
    }

    #[test]
    fn one_partition_dropping_below_its_count_wakes_its_leader_only() {
        let c = consumer(2, usize::MAX);
        let (a, b) = (partition(&c, 0), partition(&c, 1));
        c.count_prefetched(&a, 2, 20);
        c.count_prefetched(&b, 3, 30);
        // The consumer-wide count (5 -> 4) stays at or over its limit.
        assert_eq!(woken(c.unqueue(&a, 10)), "leader");
        assert_eq!(woken(c.unqueue(&a, 10)), "nothing");
        assert_eq!(woken(c.unqueue(&b, 10)), "nothing");
        // 2 -> 1 consumer-wide: every broker may fetch again.
        assert_eq!(woken(c.unqueue(&b, 10)), "all brokers");
    }
}
