//! The client core: an idiomatic Rust client with librdkafka's semantics.
//!
//! [`Client`] owns the main thread; [`ClientInner`] is the state shared by
//! the application's threads, the main thread and the broker threads (see
//! DESIGN.md for the thread map and lock order).

pub mod admin;
pub mod assignor;
pub mod broker;
pub mod clock;
pub mod connection;
pub mod consumer;
pub mod consumer_api;
pub mod counters;
pub mod fetched;
pub mod group;
pub mod headers;
pub mod idempotence;
pub mod interceptors;
pub mod legacy_consumer;
pub mod legacy_pem_key;
pub mod log;
pub mod main_thread;
pub mod message;
pub mod message_pool;
pub mod oidc;
pub mod poll;
pub mod produce_api;
pub mod queue;
pub mod repeated_errors;
pub mod sasl;
pub mod settings;
pub mod stats;
pub mod throttle;
pub mod tls;
pub mod topic;
pub mod topic_partition;
pub mod topic_registry;
pub mod txn;
pub mod waker;
pub mod window;

use crate::client::broker::handle::BrokerHandle;
use crate::client::log::{LogSink, Logger, LOG_ERR, LOG_WARNING};
use crate::client::main_thread::MainOp;
use crate::client::message::{MsgBox, MsgStatus};
use crate::client::queue::{Op, Queue};
use crate::client::settings::{ClientSettings, TopicSettings};
use crate::client::topic::{CustomPartitioner, Topic};
use crate::client::topic_registry::TopicRegistry;
use crate::config::{Config, TopicConfig};
use crate::error::ErrorCode;
use crate::mock::MockCluster;
use crossbeam_channel::Sender;
use parking_lot::{Condvar, Mutex, RwLock};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use crate::config::ClientKind;
pub use produce_api::{ProduceArgs, ProduceError};

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
    /// `throttle_cb` is set: throttle reports reach the main queue.
    pub throttle_reports: bool,
    /// `ssl.certificate.verify_cb`, run on broker threads during handshakes.
    pub cert_verify: Option<tls::CertVerifyHook>,
    /// The application's interceptors (`None` when it has none).
    pub interceptors: Option<Arc<dyn interceptors::Interceptors>>,
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
    /// Set when `security.protocol` uses TLS.
    pub tls: Option<tls::TlsContext>,
    pub logger: Logger,
    /// The application-facing event queue drained by `poll()`.
    pub events: Arc<Queue>,
    pub topics: TopicRegistry,
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
    pub counters: counters::Counters,
    pub started: Instant,
    /// SASL settings, credentials and token; `None` without SASL.
    pub sasl: Option<sasl::SaslClient>,
    /// The controller's broker id from the last metadata response that
    /// named one (-1 before), as `rd_kafka_controllerid` reports it.
    pub controller_id: std::sync::atomic::AtomicI32,
    /// The Admin API calls running on their worker threads.
    pub admin: admin::worker::AdminWorkers,
    /// Told what the threads do (see `interceptors.rs`).
    pub interceptors: Option<Arc<dyn interceptors::Interceptors>>,
    /// `enable.idempotence=true`: the producer id state.
    pub idempotence: Option<idempotence::Idempotence>,
    /// `transactional.id` set: the transaction manager.
    pub txn: Option<txn::Transactions>,
    /// The fatal error, once raised (`rd_kafka_fatal_error`).
    pub fatal: idempotence::FatalError,
    /// What brokers' throttle times turn into (see `throttle.rs`).
    throttle: throttle::ThrottleReports,
}

/// Releases the producer-queue space of delivery reports served outside a
/// poll call (an event the application destroys later); see
/// [`Client::delivery_ticket`].
pub struct DeliveryTicket(Arc<ClientInner>);

impl ClientInner {
    /// Remembers the controller a metadata response names.
    pub(crate) fn note_controller(
        &self,
        response: &crate::protocol::messages::metadata::MetadataResponse,
    ) {
        if response.controller_id >= 0 {
            self.controller_id
                .store(response.controller_id, Ordering::Release);
        }
    }
}

impl DeliveryTicket {
    pub fn served(&self, msgs: &[MsgBox]) {
        self.0.delivery_served(msgs);
    }
}

pub struct Client {
    /// Shared with the client's threads; the C layer goes through
    /// `Client`'s methods, never through this.
    pub(in crate::client) inner: Arc<ClientInner>,
    main: Option<JoinHandle<()>>,
    /// The embedded cluster of `test.mock.num.brokers`; outlives the
    /// client's threads (see `Drop`).
    mock: Option<Arc<MockCluster>>,
}

impl Client {
    pub fn new(kind: ClientKind, mut config: Config, hooks: ClientHooks) -> Result<Client, String> {
        config.finalize(kind)?;
        let mut settings = ClientSettings::from_config(&config, kind == ClientKind::Producer)?;
        let sasl = sasl::SaslClient::from_config(&config)?;
        let tls = tls::TlsContext::from_config(&config, hooks.cert_verify)?;
        // As in librdkafka, the embedded cluster replaces bootstrap.servers.
        let mock = match usize::try_from(settings.mock_num_brokers) {
            Ok(n) if n > 0 => {
                let cluster = MockCluster::with_tls(n, crate::mock::tls_from_config(&config)?)?;
                let rtt = u64::try_from(config.int("test.mock.broker.rtt")).unwrap_or(0);
                let _ = cluster.broker_set_rtt(-1, Duration::from_millis(rtt));
                cluster.configure_sasl_from(&config)?;
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
        let transactional_id = (kind == ClientKind::Producer)
            .then(|| config.string("transactional.id"))
            .flatten();
        let idempotence = (kind == ClientKind::Producer && config.boolean("enable.idempotence"))
            .then(|| {
                idempotence::Idempotence::new(
                    config.boolean("enable.gapless.guarantee"),
                    transactional_id.is_some(),
                )
            });
        let txn = transactional_id
            .map(|id| txn::Transactions::new(id.to_string(), config.int("transaction.timeout.ms")));
        let (main_tx, main_rx) = crossbeam_channel::unbounded();
        let inner = Arc::new(ClientInner {
            kind,
            name,
            settings,
            config,
            tls,
            logger,
            events: Queue::new(),
            topics: TopicRegistry::default(),
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
            counters: counters::Counters::default(),
            started: Instant::now(),
            sasl,
            controller_id: std::sync::atomic::AtomicI32::new(-1),
            admin: Default::default(),
            interceptors: hooks.interceptors,
            idempotence,
            txn,
            fatal: idempotence::FatalError::default(),
            throttle: throttle::ThrottleReports::new(hooks.throttle_reports),
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
        let inner = &self.inner;
        let (topic, created) = inner.topics.get_or_create(name, || {
            let settings = match conf {
                Some(conf) => {
                    let mut conf = conf.clone();
                    conf.finalize_for(inner.kind, &inner.config)?;
                    TopicSettings::from_config(&conf, &inner.settings)?
                }
                None => TopicSettings::from_config(inner.config.default_topic(), &inner.settings)?,
            };
            Topic::new(
                Arc::downgrade(inner),
                name,
                settings,
                extras.partitioner,
                extras.opaque,
            )
        })?;
        if created {
            let _ = inner.main_tx.send(MainOp::NewTopic);
        }
        Ok(topic)
    }

    /// An already known topic by name: the cheap lookup `rd_kafka_producev`
    /// does per message with `RD_KAFKA_V_TOPIC`.
    pub fn existing_topic(&self, name: &[u8]) -> Option<Arc<Topic>> {
        self.inner.topics.get(name)
    }

    /// A known topic by name, with the topic registry's read lock held as
    /// long as the guard lives: `rd_kafka_producev`'s fast path produces
    /// through it without touching the topic's reference count.
    pub fn registered_topic(
        &self,
        name: &[u8],
    ) -> Option<parking_lot::MappedRwLockReadGuard<'_, Arc<Topic>>> {
        self.inner.topics.get_locked(name)
    }

    /// The names of every topic this client knows.
    pub fn topic_names(&self) -> Vec<String> {
        self.inner.topics.names()
    }

    pub fn produce(&self, args: ProduceArgs<'_>) -> Result<(), ProduceError> {
        self.inner.produce(args)
    }

    /// Whether `topic` belongs to this client (a topic handle of another
    /// client produces through its own).
    pub fn owns(&self, topic: &Topic) -> bool {
        std::ptr::eq(topic.client.as_ptr(), Arc::as_ptr(&self.inner))
    }

    /// The client's name (`rdkafka#producer-1`), as `rd_kafka_name` gives it.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    pub fn logger(&self) -> &Logger {
        &self.inner.logger
    }

    /// `rd_kafka_dump`'s text (see `stats::dump_text`).
    pub fn dump_text(&self) -> String {
        stats::dump_text(&self.inner)
    }

    /// Logs as the client's threads do (log_cb, or the log queue).
    pub fn log(&self, level: i32, facility: &str, message: &str) {
        self.inner.log(level, facility, message);
    }

    /// `rd_kafka_set_log_queue`: queued log lines go to `dest` (the main
    /// queue for `None`). `__NOT_CONFIGURED` without `log.queue=true`.
    pub fn set_log_queue(&self, dest: Option<Arc<Queue>>) -> Result<(), ErrorCode> {
        let dest = dest.unwrap_or_else(|| self.inner.events.clone());
        self.inner
            .logger
            .forward_queue(dest)
            .ok_or(ErrorCode::RD_KAFKA_RESP_ERR__NOT_CONFIGURED)
    }

    /// The main queue: delivery reports, errors, logs, statistics
    /// (`rd_kafka_queue_get_main`).
    pub fn main_queue(&self) -> &Arc<Queue> {
        &self.inner.events
    }

    /// The SASL state (`None` without SASL).
    pub fn sasl(&self) -> Option<&sasl::SaslClient> {
        self.inner.sasl.as_ref()
    }

    /// `rd_kafka_oauthbearer_set_token`: stores the token and lets the
    /// brokers waiting for one connect.
    pub fn oauthbearer_set_token(
        &self,
        token: crate::sasl::oauthbearer::Token,
    ) -> Result<(), (ErrorCode, String)> {
        let sasl = self.sasl().ok_or((
            ErrorCode::RD_KAFKA_RESP_ERR__STATE,
            "SASL/OAUTHBEARER is not the configured authentication mechanism".to_string(),
        ))?;
        sasl.set_token(token)?;
        self.inner.wake_all_brokers();
        Ok(())
    }

    /// `rd_kafka_oauthbearer_set_token_failure`: raised as an
    /// `_AUTHENTICATION` error, as librdkafka does.
    pub fn oauthbearer_set_token_failure(&self, reason: &str) -> Result<(), ErrorCode> {
        self.sasl()
            .ok_or(ErrorCode::RD_KAFKA_RESP_ERR__STATE)?
            .set_token_failure()?;
        self.inner.raise_error(
            ErrorCode::RD_KAFKA_RESP_ERR__AUTHENTICATION,
            format!("Failed to acquire SASL OAUTHBEARER token: {reason}"),
        );
        Ok(())
    }

    /// The builtin OIDC token refresh (`Op::OidcTokenRefresh`): fetches a
    /// token from the endpoint and sets it, or reports the failure as
    /// `rd_kafka_oauthbearer_set_token_failure` does (an `_AUTHENTICATION`
    /// error, another try in 10 s). Blocks the calling thread for the
    /// HTTP exchange, as librdkafka's does.
    pub fn refresh_oidc_token(&self) {
        let Some(sasl) = self.sasl() else { return };
        let Some(settings) = sasl.oidc() else { return };
        let terminating = || self.inner.is_terminating() || sasl.token_refresh_stopped();
        if terminating() {
            return;
        }
        let failure = match oidc::fetch_token(settings, &terminating) {
            Ok(token) => match self.oauthbearer_set_token(token) {
                Ok(()) => return,
                Err((_, reason)) => reason,
            },
            Err(reason) => {
                self.log(
                    3,
                    "OIDC",
                    &format!(
                        "Failed to retrieve OIDC token from \"{}\": {reason}",
                        settings.token_endpoint_url
                    ),
                );
                reason
            }
        };
        let _ = self.oauthbearer_set_token_failure(&failure);
    }

    /// What a delivery-report event handed to the application needs to
    /// release its messages' queue space when it is destroyed.
    pub fn delivery_ticket(&self) -> DeliveryTicket {
        DeliveryTicket(Arc::clone(&self.inner))
    }

    /// Messages not yet delivered and reports not yet served (`rd_kafka_outq_len`).
    pub fn outq_len(&self) -> usize {
        self.inner.msg_cnt.load(Ordering::Acquire) + self.inner.events.len()
    }

    /// Must be called for every delivery-report message the FFI layer served.
    pub fn delivery_served(&self, msgs: &[MsgBox]) {
        self.inner.delivery_served(msgs);
    }

    pub fn poll_event(&self, timeout: Option<Duration>) -> Option<Op> {
        self.inner.events.pop_unforwarded(timeout)
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
        self.inner.purge_queued_messages();
    }

    /// The fatal error raised, if any (`rd_kafka_fatal_error`).
    pub fn fatal_error(&self) -> Option<(ErrorCode, String)> {
        self.inner.fatal.get()
    }

    /// `rd_kafka_test_fatal_error`: raises a fabricated fatal error; false
    /// if one was raised before.
    pub fn test_fatal_error(&self, err: ErrorCode, reason: &str) -> bool {
        self.inner
            .set_fatal_error(err, format!("test_fatal_error: {reason}"))
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

    /// `rd_kafka_controllerid`: the controller known from the last
    /// metadata response; when none is known yet, asks for metadata and
    /// waits up to `timeout` for it (-1 if none comes), as librdkafka does.
    pub fn controller_id(&self, timeout: Duration) -> i32 {
        let known = self.inner.controller_id.load(Ordering::Acquire);
        if known >= 0 || timeout.is_zero() {
            return known;
        }
        self.metadata_request(Some(Vec::new()), timeout)
            .map_or(-1, |(md, _, _)| md.controller_id)
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
        self.warn_of_undelivered_messages();
        // Admin workers wait on broker threads: they end first.
        self.inner.admin.stop();
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
        if let Some(consumer) = self.inner.consumer.as_ref() {
            legacy_consumer::release_all(consumer);
        }
        // Messages hold their topic; topics hold partition queues: break the
        // cycle by emptying every queue before the topics are dropped.
        let topics = self.inner.topics.take_all();
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

impl Client {
    /// Tells the application, as librdkafka does, that destroying a
    /// producer now drops messages it has not had delivery reports for
    /// (they get none: it should have flushed first).
    fn warn_of_undelivered_messages(&self) {
        if self.inner.kind != crate::config::ClientKind::Producer {
            return;
        }
        let (count, bytes) = self.inner.queued_messages();
        if count > 0 {
            self.inner.log(
                LOG_WARNING,
                "TERMINATE",
                &format!(
                    "Producer terminating with {count} message{} ({bytes} byte{}) still in queue or transit: call flush() first to wait for their delivery",
                    if count == 1 { "" } else { "s" },
                    if bytes == 1 { "" } else { "s" },
                ),
            );
        }
    }
}

/// Moves every message queued on `partition` (not those in flight) to
/// `into`; true if one of them was sent before (it has a sequence number).
fn take_queued(partition: &topic::Partition, into: &mut Vec<MsgBox>) -> bool {
    let mut numbered = false;
    let mut q = partition.queue.lock();
    while let Some(msg) = q.pop_front() {
        numbered |= msg.batch_sequence >= 0;
        into.push(msg);
    }
    numbered
}

impl ClientInner {
    pub fn is_terminating(&self) -> bool {
        self.terminating.load(Ordering::Acquire)
    }

    /// Fails every message not yet sent with `_PURGE_QUEUE`. Purging a
    /// message that was sent before (a retry waiting, with its sequence
    /// number) leaves a gap the idempotent producer recovers from with an
    /// epoch bump.
    pub fn purge_queued_messages(&self) {
        let mut numbered_purged = false;
        for topic in self.topics.all() {
            let mut msgs: Vec<MsgBox> = topic.unassigned.lock().drain(..).collect();
            for partition in topic.state.read().partitions.iter() {
                numbered_purged |= take_queued(partition, &mut msgs);
            }
            self.fail_msgs(
                msgs,
                ErrorCode::RD_KAFKA_RESP_ERR__PURGE_QUEUE,
                MsgStatus::NotPersisted,
            );
        }
        if numbered_purged {
            if let Some(idempotence) = &self.idempotence {
                idempotence.gap(self, "purged messages that were sent before");
            }
        }
    }

    /// After a fatal error nothing is sent any more, so a message that
    /// reaches `partition`'s queue after the fatal purge ran (routed out of
    /// `unassigned` by the main thread, produced in a race with the fatal
    /// error, or put back for a retry) is purged here, or it would wait for
    /// its report forever. Called after every push, outside the queue lock:
    /// that lock orders it with the purge, so either the purge took the
    /// message or this sees the flag raised before the purge began.
    pub fn purge_if_fatal(&self, partition: &topic::Partition) {
        if !self.fatal.is_raised() {
            return;
        }
        let mut msgs = Vec::new();
        // No gap to recover from: the producer id is dead.
        take_queued(partition, &mut msgs);
        self.fail_msgs(
            msgs,
            ErrorCode::RD_KAFKA_RESP_ERR__PURGE_QUEUE,
            MsgStatus::NotPersisted,
        );
    }

    pub fn is_flushing(&self) -> bool {
        self.flushing.load(Ordering::Acquire) > 0
    }

    pub fn log(&self, level: i32, facility: &str, message: &str) {
        self.logger.log(level, facility, message);
    }

    /// Reports a client-level error to `error_cb` (through the event queue).
    pub fn raise_error(&self, code: ErrorCode, reason: String) {
        self.events.push(Op::Error { code, reason });
    }

    /// A response from `broker` carried `throttle_ms` (see `throttle.rs`).
    pub fn throttled(&self, broker: &BrokerHandle, throttle_ms: i32) {
        self.throttle.observed(
            &self.events,
            broker.address(),
            // librdkafka's bootstrap brokers all have id -1.
            broker.id.max(-1),
            &broker.stats.throttle,
            throttle_ms,
        );
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
        let total = brokers.len();
        if total > 0 && brokers.iter().all(|b| !b.is_up()) {
            drop(brokers);
            // librdkafka's wording: "1/1 brokers are down".
            self.raise_error(
                ErrorCode::RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
                format!("{total}/{total} brokers are down"),
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
        let handle = broker::thread::spawn(self, id, host, port).ok()?;
        self.brokers.write().push(handle.clone());
        Some(handle)
    }

    /// Registers `name` so metadata covers it; returns the topic.
    pub fn ensure_topic(self: &Arc<Self>, name: &str) -> Result<Arc<Topic>, String> {
        let (topic, created) = self.topics.get_or_create(name, || {
            let settings = TopicSettings::from_config(self.config.default_topic(), &self.settings)?;
            Topic::new(Arc::downgrade(self), name, settings, None, 0)
        })?;
        if created {
            let _ = self.main_tx.send(MainOp::NewTopic);
        }
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
