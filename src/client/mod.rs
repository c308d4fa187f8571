//! The client core: an idiomatic Rust client with librdkafka's semantics.
//!
//! [`Client`] owns the main thread; [`ClientInner`] is the state shared by
//! the application's threads, the main thread and the broker threads (see
//! DESIGN.md for the thread map and lock order).

pub mod assignor;
pub mod broker;
pub mod connection;
pub mod consumer;
pub mod consumer_api;
pub mod fetched;
pub mod fetcher;
pub mod group;
pub mod headers;
pub mod log;
pub mod main_thread;
pub mod message;
pub mod producer;
pub mod queue;
pub mod repeated_errors;
pub mod settings;
pub mod stats;
pub mod topic;
pub mod waker;

use crate::client::broker::BrokerHandle;
use crate::client::log::{LogSink, Logger, LOG_ERR};
use crate::client::main_thread::MainOp;
use crate::client::message::{Msg, MsgBox, MsgStatus, NewMsg};
use crate::client::queue::{Op, Queue};
use crate::client::settings::{ClientSettings, TopicSettings};
use crate::client::topic::{CustomPartitioner, Topic, TopicExistence};
use crate::config::{Config, TopicConfig};
use crate::error::ErrorCode;
use crate::mock::MockCluster;
use crossbeam_channel::Sender;
use parking_lot::{Condvar, Mutex, RwLock};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use crate::config::ClientKind;

/// FxHash (rustc's hasher): topic names are looked up per produce call
/// (`RD_KAFKA_V_TOPIC`), and SipHash costs more than the rest of the lookup.
/// Topic names come from the application, not from an adversary.
#[derive(Default, Clone, Copy)]
pub struct FxBuildHasher;

#[derive(Default)]
pub struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The topic registry's key: hashes and compares as bytes, so a name from
/// C (`RD_KAFKA_V_TOPIC`) is looked up without UTF-8 validation.
#[derive(Clone, PartialEq, Eq)]
pub struct TopicName(pub Arc<str>);

impl std::hash::Hash for TopicName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.as_bytes().hash(state)
    }
}

impl std::borrow::Borrow<[u8]> for TopicName {
    fn borrow(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::hash::BuildHasher for FxBuildHasher {
    type Hasher = FxHasher;
    #[inline]
    fn build_hasher(&self) -> FxHasher {
        FxHasher::default()
    }
}

/// Which delivery reports reach the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryReports {
    /// No delivery report callback or event: finished messages are freed at once.
    Off,
    All,
    OnlyErrors,
}

/// How the FFI layer plugs into the core.
pub struct ClientHooks {
    pub log_sink: Option<LogSink>,
    pub delivery_reports: bool,
}

/// A custom partitioner and topic opaque from an `rd_kafka_topic_conf_t`.
#[derive(Clone, Default)]
pub struct TopicExtras {
    pub partitioner: Option<CustomPartitioner>,
    pub opaque: usize,
}

pub struct ClientInner {
    pub kind: ClientKind,
    pub name: String,
    pub settings: ClientSettings,
    pub config: Config,
    pub logger: Logger,
    /// The application-facing event queue drained by `poll()`.
    pub events: Arc<Queue>,
    pub topics: RwLock<HashMap<TopicName, Arc<Topic>, FxBuildHasher>>,
    /// Bootstrap entries first, then brokers learned from metadata.
    pub brokers: RwLock<Vec<Arc<BrokerHandle>>>,
    delivery_reports: DeliveryReports,
    /// Messages produced whose delivery report has not been served yet.
    msg_cnt: AtomicUsize,
    msg_bytes: AtomicUsize,
    /// Signalled when queue space frees up (`RD_KAFKA_MSG_F_BLOCK`).
    space_lock: Mutex<()>,
    space_freed: Condvar,
    flushing: AtomicUsize,
    terminating: AtomicBool,
    main_tx: Sender<MainOp>,
    /// Consumer state; `None` for producers.
    pub consumer: Option<consumer::Consumer>,
    pub counters: stats::Counters,
    pub started: Instant,
}

/// A produce call's arguments, C pointers already validated by the caller.
pub struct ProduceArgs<'a> {
    pub topic: &'a Arc<Topic>,
    pub partition: i32,
    pub payload: *mut u8,
    pub len: usize,
    pub key: Option<&'a [u8]>,
    pub copy_payload: bool,
    pub free_payload: bool,
    pub block: bool,
    pub opaque: *mut libc::c_void,
    pub timestamp: i64,
    pub headers: Option<Box<headers::Headers>>,
}

/// A refused produce call: the error, and the headers handed back.
pub struct ProduceError {
    pub code: ErrorCode,
    pub headers: Option<Box<headers::Headers>>,
}

pub struct Client {
    pub inner: Arc<ClientInner>,
    main: Option<JoinHandle<()>>,
    /// The embedded cluster of `test.mock.num.brokers`; outlives the
    /// client's threads (see `Drop`).
    mock: Option<Arc<MockCluster>>,
}

impl Client {
    pub fn new(kind: ClientKind, mut config: Config, hooks: ClientHooks) -> Result<Client, String> {
        config.finalize(kind)?;
        let mut settings = ClientSettings::from_config(&config, kind == ClientKind::Producer)?;
        // As in librdkafka, the embedded cluster replaces bootstrap.servers.
        let mock = match usize::try_from(settings.mock_num_brokers) {
            Ok(n) if n > 0 => {
                let cluster = MockCluster::new(n)?;
                let rtt = u64::try_from(config.int("test.mock.broker.rtt")).unwrap_or(0);
                let _ = cluster.broker_set_rtt(-1, Duration::from_millis(rtt));
                settings.bootstrap_servers = cluster
                    .bootstraps()
                    .split(',')
                    .map(str::to_string)
                    .collect();
                Some(Arc::new(cluster))
            }
            _ => None,
        };
        static INSTANCE: AtomicUsize = AtomicUsize::new(0);
        let n = INSTANCE.fetch_add(1, Ordering::Relaxed) + 1;
        let kind_name = if kind == ClientKind::Producer {
            "producer"
        } else {
            "consumer"
        };
        let name = format!("{}#{}-{}", settings.client_id, kind_name, n);
        let logger = Logger::new(
            hooks.log_sink,
            settings.log_level,
            &settings.debug,
            settings.log_queue,
            name.clone(),
        );
        let delivery_reports = match (hooks.delivery_reports, settings.delivery_report_only_error) {
            (false, _) => DeliveryReports::Off,
            (true, false) => DeliveryReports::All,
            (true, true) => DeliveryReports::OnlyErrors,
        };
        let consumer = match kind {
            ClientKind::Consumer => Some(consumer::Consumer::new(
                consumer::ConsumerSettings::from_config(&config)?,
            )),
            ClientKind::Producer => None,
        };
        let (main_tx, main_rx) = crossbeam_channel::unbounded();
        let inner = Arc::new(ClientInner {
            kind,
            name,
            settings,
            config,
            logger,
            events: Queue::new(),
            topics: RwLock::new(HashMap::default()),
            brokers: RwLock::new(Vec::new()),
            delivery_reports,
            msg_cnt: AtomicUsize::new(0),
            msg_bytes: AtomicUsize::new(0),
            space_lock: Mutex::new(()),
            space_freed: Condvar::new(),
            flushing: AtomicUsize::new(0),
            terminating: AtomicBool::new(false),
            main_tx,
            consumer,
            counters: stats::Counters::default(),
            started: Instant::now(),
        });
        // Bootstrap brokers exist before rd_kafka_new returns, so an
        // immediate rd_kafka_metadata() has somewhere to go.
        let bootstrap = inner.settings.bootstrap_servers.join(",");
        if main_thread::add_bootstrap_brokers(&inner, &bootstrap) == 0 {
            inner.log(
                log::LOG_WARNING,
                "BROKER",
                "No bootstrap brokers configured",
            );
        }
        let main = main_thread::spawn(inner.clone(), main_rx)
            .map_err(|e| format!("cannot start main thread: {e}"))?;
        Ok(Client {
            inner,
            main: Some(main),
            mock,
        })
    }

    /// Looks up or creates the topic `name`. An existing topic keeps its
    /// configuration (as in librdkafka, a later conf is ignored).
    pub fn topic(
        &self,
        name: &str,
        conf: Option<&TopicConfig>,
        extras: TopicExtras,
    ) -> Result<Arc<Topic>, String> {
        if name.is_empty() || name.len() > 249 {
            return Err(format!("invalid topic name \"{name}\""));
        }
        if let Some(topic) = self.inner.topics.read().get(name.as_bytes()) {
            return Ok(topic.clone());
        }
        let settings = match conf {
            Some(conf) => {
                let mut conf = conf.clone();
                conf.finalize_for(self.inner.kind, &self.inner.config)?;
                TopicSettings::from_config(&conf, &self.inner.settings)?
            }
            None => {
                TopicSettings::from_config(self.inner.config.default_topic(), &self.inner.settings)?
            }
        };
        let mut topics = self.inner.topics.write();
        if let Some(topic) = topics.get(name.as_bytes()) {
            return Ok(topic.clone());
        }
        let topic = Arc::new(Topic::new(
            Arc::downgrade(&self.inner),
            name,
            settings,
            extras.partitioner,
            extras.opaque,
        )?);
        topics.insert(TopicName(topic.name.clone()), topic.clone());
        drop(topics);
        let _ = self.inner.main_tx.send(MainOp::NewTopic);
        Ok(topic)
    }

    /// An already known topic by name: the cheap lookup `rd_kafka_producev`
    /// does per message with `RD_KAFKA_V_TOPIC`.
    pub fn existing_topic(&self, name: &[u8]) -> Option<Arc<Topic>> {
        self.inner.topics.read().get(name).cloned()
    }

    pub fn produce(&self, args: ProduceArgs<'_>) -> Result<(), ProduceError> {
        self.inner.produce(args)
    }

    /// Messages not yet delivered and reports not yet served (`rd_kafka_outq_len`).
    pub fn outq_len(&self) -> usize {
        self.inner.msg_cnt.load(Ordering::Acquire) + self.inner.events.len()
    }

    /// Must be called for every delivery-report message the FFI layer served.
    pub fn delivery_served(&self, msgs: &[MsgBox]) {
        self.inner
            .release_space(msgs.len(), msgs.iter().map(|m| m.size()).sum());
    }

    pub fn poll_event(&self, timeout: Option<Duration>) -> Option<Op> {
        self.inner.events.pop(timeout)
    }

    /// Marks a flush in progress: linger is ignored until [`Client::end_flush`].
    pub fn begin_flush(&self) {
        self.inner.flushing.fetch_add(1, Ordering::AcqRel);
        self.inner.wake_all_brokers();
    }

    pub fn end_flush(&self) {
        self.inner.flushing.fetch_sub(1, Ordering::AcqRel);
    }

    /// `rd_kafka_purge(RD_KAFKA_PURGE_F_QUEUE)`: fails every message not yet
    /// sent with `_PURGE_QUEUE`.
    pub fn purge_queued(&self) {
        let topics: Vec<Arc<Topic>> = self.inner.topics.read().values().cloned().collect();
        for topic in topics {
            let mut msgs: Vec<MsgBox> = topic.unassigned.lock().drain(..).collect();
            for partition in topic.state.read().partitions.iter() {
                let mut q = partition.queue.lock();
                while let Some(msg) = q.pop_front() {
                    msgs.push(msg);
                }
            }
            producer::fail_msgs(
                &self.inner,
                msgs,
                ErrorCode::RD_KAFKA_RESP_ERR__PURGE_QUEUE,
                MsgStatus::NotPersisted,
            );
        }
    }

    pub fn metadata_request(
        &self,
        topics: Option<Vec<String>>,
        timeout: Duration,
    ) -> Result<
        (
            crate::protocol::messages::metadata::MetadataResponse,
            i32,
            String,
        ),
        ErrorCode,
    > {
        main_thread::metadata_now(&self.inner, topics, timeout)
    }

    /// `rd_kafka_purge(RD_KAFKA_PURGE_F_INFLIGHT)`: fails every message in
    /// a produce request still awaiting its response with `_PURGE_INFLIGHT`
    /// (a late response is ignored). `wait`: until every broker thread did it.
    pub fn purge_in_flight(&self, wait: bool) {
        let brokers: Vec<Arc<BrokerHandle>> = self.inner.brokers.read().clone();
        let acks: Vec<_> = brokers.iter().map(|b| b.purge_in_flight()).collect();
        if wait {
            for ack in acks {
                let _ = ack.recv_timeout(Duration::from_secs(5));
            }
        }
    }

    /// `rd_kafka_brokers_add`: starts threads for new bootstrap addresses.
    pub fn add_brokers(&self, list: &str) -> usize {
        main_thread::add_bootstrap_brokers(&self.inner, list)
    }

    pub fn wake_pollers(&self) {
        self.inner.events.wake();
    }

    /// The cluster started by `test.mock.num.brokers`, if any.
    pub fn mock_cluster(&self) -> Option<&Arc<MockCluster>> {
        self.mock.as_ref()
    }
}

impl Drop for Client {
    /// Stops and joins every thread, then frees everything still queued.
    /// Bounded: broker threads never block longer than their poll timeout.
    fn drop(&mut self) {
        self.inner.terminating.store(true, Ordering::Release);
        let _ = self.inner.main_tx.send(MainOp::Terminate);
        if let Some(main) = self.main.take() {
            let _ = main.join();
        }
        let brokers: Vec<Arc<BrokerHandle>> = std::mem::take(&mut *self.inner.brokers.write());
        for broker in &brokers {
            broker.join();
        }
        for broker in &brokers {
            broker.led.lock().clear();
        }
        // Messages hold their topic; topics hold partition queues: break the
        // cycle by emptying every queue before the topics are dropped.
        let topics: Vec<Arc<Topic>> = self.inner.topics.write().drain().map(|(_, t)| t).collect();
        for topic in &topics {
            topic.unassigned.lock().clear();
            for partition in topic.state.write().partitions.drain(..) {
                partition.queue.lock().clear();
            }
        }
        drop(self.inner.events.drain());
        if let Some(mock) = self.mock.take() {
            mock.shutdown();
        }
    }
}

impl ClientInner {
    pub fn is_terminating(&self) -> bool {
        self.terminating.load(Ordering::Acquire)
    }

    pub fn is_flushing(&self) -> bool {
        self.flushing.load(Ordering::Acquire) > 0
    }

    pub fn log(&self, level: i32, facility: &str, message: &str) {
        self.logger.log(&self.events, level, facility, message);
    }

    /// Reports a client-level error to `error_cb` (through the event queue).
    pub fn raise_error(&self, code: ErrorCode, reason: String) {
        self.events.push(Op::Error { code, reason });
    }

    pub fn throttled(&self, broker_name: &str, broker_id: i32, throttle_ms: i32) {
        self.events.push(Op::Throttle {
            broker_name: broker_name.to_string(),
            broker_id,
            throttle_ms,
        });
    }

    pub fn request_metadata_refresh(&self) {
        let _ = self.main_tx.send(MainOp::RefreshMetadata);
    }

    pub fn on_broker_up(&self, broker_id: i32) {
        let _ = self.main_tx.send(MainOp::BrokerUp(broker_id));
    }

    pub fn on_broker_down(&self, _broker_id: i32, was_up: bool) {
        if was_up {
            // Its partitions may get new leaders: start looking (see
            // MainThread::apply) rather than wait for the periodic refresh.
            self.request_metadata_refresh();
        }
        let brokers = self.brokers.read();
        if !brokers.is_empty() && brokers.iter().all(|b| !b.is_up()) {
            drop(brokers);
            self.raise_error(
                ErrorCode::RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
                format!("{} brokers are down", self.brokers.read().len()),
            );
        }
    }

    pub fn wake_all_brokers(&self) {
        for broker in self.brokers.read().iter() {
            broker.wake();
        }
    }

    pub fn wake_broker(&self, id: i32) {
        if let Some(broker) = self.brokers.read().iter().find(|b| b.id == id) {
            broker.wake();
        }
    }

    /// Hands finished messages to the application (or frees them when no
    /// delivery report is wanted).
    pub fn deliver(&self, mut msgs: Vec<MsgBox>) {
        match self.delivery_reports {
            DeliveryReports::All => {}
            DeliveryReports::Off => {
                self.release_space(msgs.len(), msgs.iter().map(|m| m.size()).sum());
                return;
            }
            DeliveryReports::OnlyErrors => {
                let before = msgs.len();
                let mut freed_bytes = 0;
                msgs.retain(|m| {
                    let keep = m.err() != ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR;
                    if !keep {
                        freed_bytes += m.size();
                    }
                    keep
                });
                self.release_space(before - msgs.len(), freed_bytes);
            }
        }
        if !msgs.is_empty() {
            self.events.push(Op::Delivery(msgs));
        }
    }

    /// Messages (and their bytes) produced and not yet reported.
    pub fn queued_messages(&self) -> (usize, usize) {
        (
            self.msg_cnt.load(Ordering::Acquire),
            self.msg_bytes.load(Ordering::Acquire),
        )
    }

    /// Delivery reports served (or dropped): their queue space is free.
    pub fn delivery_served(&self, msgs: &[MsgBox]) {
        self.release_space(msgs.len(), msgs.iter().map(|m| m.size()).sum());
    }

    fn release_space(&self, count: usize, bytes: usize) {
        if count == 0 {
            return;
        }
        self.msg_cnt.fetch_sub(count, Ordering::AcqRel);
        self.msg_bytes.fetch_sub(bytes, Ordering::AcqRel);
        let _guard = self.space_lock.lock();
        self.space_freed.notify_all();
    }

    /// Reserves room for one message under the queue.buffering.max limits.
    fn reserve_space(&self, size: usize, block: bool) -> Result<(), ErrorCode> {
        let max_msgs = self.settings.queue_max_messages;
        let max_bytes = self.settings.queue_max_bytes;
        loop {
            let cnt = self.msg_cnt.fetch_add(1, Ordering::AcqRel);
            let bytes = self.msg_bytes.fetch_add(size, Ordering::AcqRel);
            if cnt < max_msgs && bytes + size <= max_bytes {
                return Ok(());
            }
            self.msg_cnt.fetch_sub(1, Ordering::AcqRel);
            self.msg_bytes.fetch_sub(size, Ordering::AcqRel);
            if !block {
                return Err(ErrorCode::RD_KAFKA_RESP_ERR__QUEUE_FULL);
            }
            if self.is_terminating() {
                return Err(ErrorCode::RD_KAFKA_RESP_ERR__DESTROY);
            }
            let mut guard = self.space_lock.lock();
            // Re-checked after waking; the timeout guards against a missed notify.
            self.space_freed
                .wait_for(&mut guard, Duration::from_millis(100));
        }
    }

    /// Queues one message. On refusal the headers come back with the error,
    /// so the application keeps ownership of what it passed in.
    pub fn produce(&self, mut args: ProduceArgs<'_>) -> Result<(), ProduceError> {
        let headers = args.headers.take();
        match self.produce_inner(args, headers) {
            Ok(()) => Ok(()),
            Err((code, headers)) => Err(ProduceError { code, headers }),
        }
    }

    fn produce_inner(
        &self,
        args: ProduceArgs<'_>,
        headers: Option<Box<headers::Headers>>,
    ) -> Result<(), (ErrorCode, Option<Box<headers::Headers>>)> {
        let size = args.len + args.key.map_or(0, |k| k.len());
        if size > self.settings.message_max_bytes {
            return Err((ErrorCode::RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, headers));
        }
        if args.partition < crate::ffi::types::RD_KAFKA_PARTITION_UA {
            return Err((ErrorCode::RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, headers));
        }
        let topic = args.topic;
        let now = Instant::now();
        // Choose the partition before taking ownership of the payload, so
        // that a refused message stays the application's.
        let mut state = topic.state.read();
        let known = state.existence == TopicExistence::Exists && !state.partitions.is_empty();
        let partition_cnt = state.partitions.len() as i32;
        let mut partition = args.partition;
        if known {
            if partition == crate::ffi::types::RD_KAFKA_PARTITION_UA {
                // No lock is held while application code (a partitioner
                // callback) runs. Partitions only grow, so the count stays
                // valid.
                let choose = || {
                    topic.choose_partition_at(
                        args.key,
                        partition_cnt,
                        args.opaque,
                        self.settings.sticky_partitioning_linger,
                        now,
                    )
                };
                partition = if topic.custom_partitioner.is_some() {
                    parking_lot::RwLockReadGuard::unlocked(&mut state, choose)
                } else {
                    choose()
                };
            }
            if partition < 0 || partition >= partition_cnt {
                return Err((ErrorCode::RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, headers));
            }
        }
        if args.block {
            // Never wait for queue space holding the topic lock (the main
            // thread takes it to apply metadata). Partitions only grow, so
            // the partition chosen stays valid.
            drop(state);
            if let Err(code) = self.reserve_space(size, true) {
                return Err((code, headers));
            }
            state = topic.state.read();
        } else if let Err(code) = self.reserve_space(size, false) {
            return Err((code, headers));
        }
        let message_timeout_ms = topic.settings.message_timeout_ms;
        let msg = Msg::new(NewMsg {
            topic: topic.clone(),
            partition,
            key: args.key,
            payload: args.payload,
            len: args.len,
            copy_payload: args.copy_payload,
            free_payload: args.free_payload,
            opaque: args.opaque,
            timestamp: args.timestamp,
            headers,
            message_timeout_ms,
            now,
        });
        if known {
            // The common case: one topic read lock for the whole call.
            match state.partitions.get(partition as usize) {
                Some(p) => self.enqueue_to(p, msg),
                None => {
                    drop(state);
                    self.enqueue(topic, partition, msg);
                }
            }
            return Ok(());
        }
        drop(state);
        // Metadata may have arrived since the check above. The main thread
        // marks the topic known under the state write lock and only then
        // drains `unassigned`, so deciding and pushing under the read lock
        // means the message is either routed by that drain or sees the topic
        // known here; it can never be left behind in `unassigned`.
        let state = topic.state.read();
        if state.existence == TopicExistence::Exists && !state.partitions.is_empty() {
            let count = state.partitions.len() as i32;
            drop(state);
            let mut msg = msg;
            if msg.partition() == crate::ffi::types::RD_KAFKA_PARTITION_UA {
                let chosen = topic.choose_partition(
                    msg.key(),
                    count,
                    msg.rkmessage._private,
                    self.settings.sticky_partitioning_linger,
                );
                msg.rkmessage.partition = chosen;
            }
            let p = msg.partition();
            self.enqueue(topic, p, msg);
        } else {
            topic.unassigned.lock().push_back(msg);
        }
        Ok(())
    }

    /// Appends a message to its partition's queue and wakes the leader when
    /// the queue just became non-empty (its linger timer starts) or a batch
    /// is full.
    pub fn enqueue(&self, topic: &Topic, partition: i32, msg: MsgBox) {
        let Some(p) = topic.partition(partition) else {
            producer::fail_msgs(
                self,
                vec![msg],
                ErrorCode::RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
                MsgStatus::NotPersisted,
            );
            return;
        };
        self.enqueue_to(&p, msg);
    }

    /// [`ClientInner::enqueue`] once the partition is known.
    fn enqueue_to(&self, p: &topic::Partition, msg: MsgBox) {
        let mut q = p.queue.lock();
        q.push_back(msg);
        let wake = q.msgs.len() == 1
            || q.msgs.len() == self.settings.batch_num_messages
            || (q.bytes >= self.settings.batch_size
                && q.bytes - q.msgs.back().map_or(0, |m| m.size()) < self.settings.batch_size);
        drop(q);
        if wake {
            let leader = p.leader();
            if leader >= 0 {
                self.wake_broker(leader);
            }
        }
    }

    /// The consumer state. Only called on paths that exist for consumers.
    pub fn consumer(&self) -> &consumer::Consumer {
        self.consumer
            .as_ref()
            .expect("consumer-only path used on a producer")
    }

    /// Runs `f` on the main thread.
    pub fn call_main<R, F: FnOnce(&mut main_thread::MainThread) -> R + Send + 'static>(
        &self,
        f: F,
    ) {
        let _ = self.main_tx.send(MainOp::call(f));
    }

    pub fn wake_main(&self) {
        let _ = self.main_tx.send(MainOp::call(|_| ()));
    }

    /// An up broker if any, else any broker (it connects on demand).
    pub fn any_broker(&self) -> Option<Arc<BrokerHandle>> {
        let brokers = self.brokers.read();
        brokers
            .iter()
            .find(|b| b.is_up() && b.id >= 0)
            .or_else(|| brokers.iter().find(|b| b.is_up()))
            .or_else(|| brokers.first())
            .cloned()
    }

    /// The broker thread for node `id`, started at `host:port` if unknown.
    pub fn broker_for_node(
        self: &Arc<Self>,
        id: i32,
        host: &str,
        port: u16,
    ) -> Option<Arc<BrokerHandle>> {
        if let Some(b) = self.brokers.read().iter().find(|b| b.id == id) {
            return Some(b.clone());
        }
        let handle = BrokerHandle::spawn(self, id, host, port).ok()?;
        self.brokers.write().push(handle.clone());
        Some(handle)
    }

    /// Registers `name` so metadata covers it; returns the topic.
    pub fn ensure_topic(self: &Arc<Self>, name: &str) -> Result<Arc<Topic>, String> {
        if let Some(topic) = self.topics.read().get(name.as_bytes()) {
            return Ok(topic.clone());
        }
        let settings = TopicSettings::from_config(self.config.default_topic(), &self.settings)?;
        let mut topics = self.topics.write();
        if let Some(topic) = topics.get(name.as_bytes()) {
            return Ok(topic.clone());
        }
        let topic = Arc::new(Topic::new(Arc::downgrade(self), name, settings, None, 0)?);
        topics.insert(TopicName(topic.name.clone()), topic.clone());
        drop(topics);
        let _ = self.main_tx.send(MainOp::NewTopic);
        Ok(topic)
    }

    pub fn main_tx_clone(&self) -> Sender<MainOp> {
        self.main_tx.clone()
    }

    pub fn log_error(&self, msg: &str) {
        self.log(LOG_ERR, "ERROR", msg);
    }

    pub fn now() -> Instant {
        Instant::now()
    }
}
