//! The client's main thread: metadata, broker registry, routing and timers.
//!
//! It owns the decision of which broker leads which partition: after every
//! metadata response it rewrites each broker's `led` list, places messages
//! that were waiting for metadata into their partition queues, and starts
//! threads for brokers it has not seen. It never does socket I/O itself;
//! metadata requests go through a broker thread and come back as
//! [`MainOp::Metadata`].

use crate::abi::{RD_KAFKA_OFFSET_INVALID, RD_KAFKA_OFFSET_STORED};
use crate::client::broker;
use crate::client::broker::handle::BrokerHandle;
use crate::client::consumer::ConsumerPartition;
use crate::client::counters::Counters;
use crate::client::group::Group;
use crate::client::interceptors::{self, ThreadKind};
use crate::client::log::{ctx, LOG_WARNING};
use crate::client::message::{MsgBox, MsgStatus};
use crate::client::topic::{Partition, Topic, TopicExistence};
use crate::client::ClientInner;
use crate::error::ErrorCode;
use crate::protocol::messages::metadata::{MetadataRequest, MetadataResponse};
use crossbeam_channel::{Receiver, RecvTimeoutError};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often queued messages without a leader are checked for timeouts.
const HOUSEKEEPING_INTERVAL: Duration = Duration::from_millis(100);

pub enum MainOp {
    RefreshMetadata,
    NewTopic,
    BrokerUp(i32),
    /// A metadata response; `all_topics` when the request asked for every topic.
    Metadata(Result<MetadataResponse, ErrorCode>, bool),
    /// Run this on the main thread (group responses, application requests).
    Call(Box<dyn FnOnce(&mut MainThread) + Send>),
    Terminate,
}

impl MainOp {
    pub fn call<R, F: FnOnce(&mut MainThread) -> R + Send + 'static>(f: F) -> MainOp {
        MainOp::Call(Box::new(move |m| {
            let _ = f(m);
        }))
    }
}

pub fn spawn(client: Arc<ClientInner>, rx: Receiver<MainOp>) -> std::io::Result<JoinHandle<()>> {
    let interceptors = client.interceptors.clone();
    interceptors::spawn(
        "rdk:main".to_string(),
        interceptors,
        ThreadKind::Main,
        "main".to_string(),
        move || MainThread::new(client, rx).run(),
    )
}

pub struct MainThread {
    client: Arc<ClientInner>,
    rx: Receiver<MainOp>,
    metadata_in_flight: bool,
    refresh_at: Instant,
    have_metadata: bool,
    next_bootstrap: usize,
    /// Every topic the cluster reported, with its partition count (for
    /// regex subscriptions and the group leader's assignment).
    pub cluster_topics: HashMap<String, i32>,
    group: Option<Group>,
}

/// Parses one `metadata.broker.list` entry: `[proto://]host[:port]`.
pub fn parse_broker_address(entry: &str) -> Option<(String, u16)> {
    let entry = entry.trim();
    let entry = entry.split_once("://").map_or(entry, |(_, rest)| rest);
    if entry.is_empty() {
        return None;
    }
    if let Some(rest) = entry.strip_prefix('[') {
        let (host, port) = rest.split_once(']')?;
        let port = port
            .strip_prefix(':')
            .map_or(Some(9092), |p| p.parse().ok())?;
        return Some((host.to_string(), port));
    }
    match entry.rsplit_once(':') {
        Some((host, port)) => Some((host.to_string(), port.parse().ok()?)),
        None => Some((entry.to_string(), 9092)),
    }
}

impl MainThread {
    fn new(client: Arc<ClientInner>, rx: Receiver<MainOp>) -> MainThread {
        MainThread {
            rx,
            metadata_in_flight: false,
            refresh_at: Instant::now(),
            have_metadata: false,
            next_bootstrap: 0,
            cluster_topics: HashMap::new(),
            group: client
                .consumer
                .as_ref()
                .and_then(|c| c.settings.group_id.clone())
                .map(|id| Group::new(client.clone(), id)),
            client,
        }
    }

    pub fn group_mut(&mut self) -> Option<&mut Group> {
        self.group.as_mut()
    }

    /// Recomputes which broker fetches which assigned partition.
    pub fn assignment_changed(&mut self) {
        let topics = self.client.topics.all();
        self.assign_leaders(&topics);
        if let Some(g) = self.group.as_mut() {
            g.on_assignment_changed();
        }
        self.client.wake_all_brokers();
    }

    /// Starts the committed-offset lookup (or `auto.offset.reset`) for
    /// assigned partitions waiting at `RD_KAFKA_OFFSET_STORED`; returns
    /// when a failed lookup's backoff ends, to retry it then.
    fn resolve_stored_offsets(&mut self, now: Instant) -> Option<Instant> {
        let consumer = self.client.consumer.as_ref()?;
        let mut wanted = Vec::new();
        let mut retry_at: Option<Instant> = None;
        for cp in consumer.fetched_partitions() {
            let mut s = cp.state.lock();
            if s.fetch_offset != RD_KAFKA_OFFSET_STORED || s.resolving || s.stopped {
                continue;
            }
            match s.backoff_until.filter(|&b| b > now) {
                Some(b) => retry_at = Some(retry_at.map_or(b, |r| r.min(b))),
                None => {
                    s.resolving = true;
                    s.backoff_until = None;
                    wanted.push(cp.topic_partition(RD_KAFKA_OFFSET_STORED));
                }
            }
        }
        if wanted.is_empty() {
            return retry_at;
        }
        match self.group.as_mut() {
            Some(g) => g.resolve_committed(wanted),
            None => crate::client::group::apply_committed(
                &self.client,
                wanted.clone(),
                Ok(wanted
                    .into_iter()
                    .map(|mut tp| {
                        tp.offset = RD_KAFKA_OFFSET_INVALID;
                        tp
                    })
                    .collect()),
            ),
        }
        retry_at
    }

    fn run(mut self) {
        let mut housekeeping_at = Instant::now() + HOUSEKEEPING_INTERVAL;
        let stats_interval = self.client.settings.statistics_interval;
        let mut stats_at = stats_interval.map(|i| Instant::now() + i);
        loop {
            let now = Instant::now();
            if now >= self.refresh_at && !self.metadata_in_flight {
                self.request_metadata();
            }
            if now >= housekeeping_at {
                self.expire_waiting_messages(now);
                self.query_leaders_if_messages_wait();
                housekeeping_at = now + HOUSEKEEPING_INTERVAL;
            }
            if let (Some(at), Some(interval)) = (stats_at, stats_interval) {
                if now >= at {
                    let group = self.group.as_mut().map(|g| g.stats(now));
                    let doc =
                        crate::client::stats::document(&self.client, self.client.started, group);
                    self.client
                        .events
                        .push(crate::client::queue::Op::Stats(doc));
                    stats_at = Some(now + interval);
                }
            }
            let mut wake_at = housekeeping_at;
            if let Some(at) = stats_at {
                wake_at = wake_at.min(at);
            }
            if let Some(at) = self.resolve_stored_offsets(now) {
                wake_at = wake_at.min(at);
            }
            if let Some(g) = self.group.as_mut() {
                wake_at = wake_at.min(g.tick(now, &self.cluster_topics));
            }
            if let Some(at) = self.refresh_sasl_token(now) {
                wake_at = wake_at.min(at);
            }
            if let Some(idempotence) = &self.client.idempotence {
                if let Some(at) = idempotence.tick(&self.client, now) {
                    wake_at = wake_at.min(at);
                }
            }
            if let Some(txn) = &self.client.txn {
                if let Some(at) = txn.tick(&self.client, now) {
                    wake_at = wake_at.min(at);
                }
            }
            if !self.metadata_in_flight {
                wake_at = wake_at.min(self.refresh_at);
            }
            let received = self
                .rx
                .recv_timeout(wake_at.saturating_duration_since(Instant::now()));
            Counters::add(&self.client.counters.wakeups, 1);
            match received {
                Ok(MainOp::Terminate) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(op) => self.handle(op),
                Err(RecvTimeoutError::Timeout) => {}
            }
            if self.client.is_terminating() {
                break;
            }
        }
    }

    /// Refreshes the OAUTHBEARER token when due; a new token wakes the
    /// brokers that wait for one to connect.
    fn refresh_sasl_token(&self, now: Instant) -> Option<Instant> {
        let sasl = self.client.sasl.as_ref()?;
        let was_ready = sasl.ready();
        let next = sasl.tick(&self.client.events, now);
        if !was_ready && sasl.ready() {
            self.client.wake_all_brokers();
        }
        next
    }

    fn handle(&mut self, op: MainOp) {
        match op {
            MainOp::RefreshMetadata | MainOp::NewTopic => self.refresh_soon(Duration::ZERO),
            MainOp::BrokerUp(_) => {
                if !self.have_metadata {
                    self.refresh_soon(Duration::ZERO);
                }
            }
            MainOp::Call(f) => f(self),
            MainOp::Metadata(result, all_topics) => {
                self.metadata_in_flight = false;
                match result {
                    Ok(response) => {
                        self.apply(&response);
                        self.remember_cluster_topics(&response, all_topics);
                        let topics = self.cluster_topics.clone();
                        if let Some(g) = self.group.as_mut() {
                            g.on_metadata(&topics);
                        }
                    }
                    Err(err) => {
                        self.debug(&format!("metadata request failed: {}", err.name()));
                        self.refresh_soon(self.client.settings.metadata_refresh_fast_interval);
                    }
                }
            }
            MainOp::Terminate => {}
        }
    }

    fn debug(&self, msg: &str) {
        if self.client.logger.debug_enabled(ctx::METADATA) {
            self.client.log_debug(ctx::METADATA, "METADATA", msg);
        }
    }

    fn refresh_soon(&mut self, delay: Duration) {
        self.refresh_at = self.refresh_at.min(Instant::now() + delay);
    }

    /// Picks the broker for a metadata request: an up broker if any, else
    /// the next one in turn (which connects on demand).
    fn pick_broker(&mut self) -> Option<Arc<BrokerHandle>> {
        pick_broker(&self.client, &mut self.next_bootstrap)
    }

    fn request_metadata(&mut self) {
        let Some(broker) = self.pick_broker() else {
            self.refresh_at = Instant::now() + Duration::from_secs(1);
            return;
        };
        // A regex subscription needs to see every topic in the cluster.
        let all_topics = self
            .client
            .consumer
            .as_ref()
            .is_some_and(|c| c.subscription.lock().iter().any(|s| s.starts_with('^')));
        let topics: Option<Vec<String>> = if all_topics {
            None
        } else {
            Some(self.client.topics.names())
        };
        let request = build_request(&self.client, topics);
        let tx = self.client.main_tx_clone();
        self.debug(&format!("requesting metadata from {}", broker.name));
        self.metadata_in_flight = true;
        // A periodic refresh is the fallback; fast refreshes are scheduled by apply().
        self.refresh_at = Instant::now()
            + self
                .client
                .settings
                .metadata_refresh_interval
                .unwrap_or(Duration::from_secs(3600 * 24 * 365));
        broker.send(
            request,
            self.client.settings.socket_timeout,
            move |result| {
                let _ = tx.send(MainOp::Metadata(result, all_topics));
            },
        );
    }

    fn remember_cluster_topics(&mut self, response: &MetadataResponse, all_topics: bool) {
        if all_topics {
            self.cluster_topics.clear();
        }
        for t in &response.topics {
            if t.error_code == 0 {
                self.cluster_topics
                    .insert(t.name.clone(), t.partitions.len() as i32);
            } else {
                self.cluster_topics.remove(&t.name);
            }
        }
    }

    fn apply(&mut self, response: &MetadataResponse) {
        self.have_metadata = true;
        apply_brokers(&self.client, response);
        let mut needs_fast_refresh = false;
        // Logged once the topic locks are released (a log_cb is application code).
        let mut leader_changes = Vec::new();
        let topics = self.client.topics.all();
        for topic in &topics {
            let Some(meta) = response.topics.iter().find(|t| *t.name == *topic.name) else {
                continue;
            };
            let err = ErrorCode::from_code(meta.error_code as i32)
                .unwrap_or(ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN);
            topic
                .stats
                .metadata_us
                .store(crate::client::counters::monotonic_us(), Ordering::Relaxed);
            let mut state = topic.state.write();
            match err {
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR => {
                    state.existence = TopicExistence::Exists;
                    state.topic_id = meta.topic_id;
                    let count = meta
                        .partitions
                        .iter()
                        .map(|p| p.partition_index + 1)
                        .max()
                        .unwrap_or(0)
                        .max(0);
                    // Partition counts only grow; a shorter answer is stale.
                    while (state.partitions.len() as i32) < count {
                        let id = state.partitions.len() as i32;
                        state
                            .partitions
                            .push(Arc::new(Partition::new(topic, id, -1)));
                    }
                    // Messages produced before the partitions were known
                    // go first: new ones queue behind them until
                    // `route_unassigned` has placed them all.
                    if state.partitions_known() && !topic.unassigned.lock().is_empty() {
                        state.routing_waiting = true;
                    }
                    for p in &meta.partitions {
                        if let Some(partition) =
                            state.partitions.get(p.partition_index.max(0) as usize)
                        {
                            if partition.leader() != p.leader_id {
                                leader_changes.push(format!(
                                    "{} [{}]: leader {} -> {}",
                                    topic.name,
                                    partition.id,
                                    partition.leader(),
                                    p.leader_id
                                ));
                            }
                            partition.set_leader(p.leader_id);
                            needs_fast_refresh |= p.leader_id < 0;
                        }
                    }
                }
                ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART => {
                    if state.existence != TopicExistence::Exists {
                        state.existence = TopicExistence::Missing;
                    }
                    needs_fast_refresh = true;
                }
                _ => needs_fast_refresh = true,
            }
        }
        self.assign_leaders(&topics);
        for topic in &topics {
            self.route_unassigned(topic);
        }
        for change in &leader_changes {
            self.debug(change);
        }
        if needs_fast_refresh {
            self.refresh_soon(self.client.settings.metadata_refresh_fast_interval);
        }
        self.query_leaders_if_messages_wait();
        self.client.wake_all_brokers();
    }

    /// The cluster may move a down leader's partitions elsewhere: while
    /// messages wait for such a leader, metadata is asked for at the fast
    /// interval, as librdkafka's leader query does (its topic scan looks
    /// every second). Checked after each metadata answer and at each
    /// housekeeping pass: messages produced after the last answer, to a
    /// leader that went down while its queues were empty, would otherwise
    /// wait for the periodic refresh or their timeout
    /// (`producer_faults::messages_for_a_leader_already_down_find_its_successor`).
    fn query_leaders_if_messages_wait(&mut self) {
        if self.messages_wait_for_down_leader() {
            self.refresh_soon(self.client.settings.metadata_refresh_fast_interval);
        }
    }

    fn messages_wait_for_down_leader(&self) -> bool {
        self.client
            .brokers
            .read()
            .iter()
            .filter(|b| !b.is_up())
            .any(|b| b.led.lock().iter().any(|p| !p.queue.lock().msgs.is_empty()))
    }

    /// Rewrites every broker's led-partition list from the partitions' leaders.
    fn assign_leaders(&self, topics: &[Arc<Topic>]) {
        let mut led: HashMap<i32, Vec<Arc<Partition>>> = HashMap::new();
        for topic in topics {
            for p in topic.state.read().partitions.iter() {
                if p.leader() >= 0 {
                    led.entry(p.leader()).or_default().push(p.clone());
                }
            }
        }
        for broker in self.client.brokers.read().iter() {
            *broker.led.lock() = led.remove(&broker.id).unwrap_or_default();
        }
        let Some(consumer) = self.client.consumer.as_ref() else {
            return;
        };
        let mut fetch: HashMap<i32, Vec<Arc<ConsumerPartition>>> = HashMap::new();
        for cp in consumer.fetched_partitions() {
            if let Some(p) = cp.topic.partition(cp.partition) {
                if p.leader() >= 0 {
                    fetch.entry(p.leader()).or_default().push(cp.clone());
                }
            }
        }
        for broker in self.client.brokers.read().iter() {
            *broker.fetch.lock() = fetch.remove(&broker.id).unwrap_or_default();
        }
    }

    /// Places messages that waited for metadata into their partition
    /// queues, in produce order, then lets new messages go straight to
    /// their partitions (`TopicState::routing_waiting`). Messages produced
    /// while this runs (the partitioner callback is application code, so no
    /// lock is held while routing) join `unassigned` behind the ones being
    /// routed and are routed by the next round.
    fn route_unassigned(&self, topic: &Arc<Topic>) {
        loop {
            let count = {
                let state = topic.state.read();
                // Without the flag nothing waits: messages join
                // `unassigned` only while it is set or before the
                // partitions are known, and the update that makes them
                // known sets it if any wait.
                if !state.partitions_known() || !state.routing_waiting {
                    return;
                }
                state.partitions.len() as i32
            };
            let waiting: Vec<MsgBox> = topic.unassigned.lock().drain(..).collect();
            if waiting.is_empty() {
                // Producers push to `unassigned` holding the state read
                // lock: with the write lock held, none is halfway.
                let mut state = topic.state.write();
                if topic.unassigned.lock().is_empty() {
                    state.routing_waiting = false;
                    return;
                }
                continue;
            }
            for mut msg in waiting {
                let partition = topic.partition_unassigned(
                    &mut msg,
                    count,
                    self.client.settings.sticky_partitioning_linger,
                );
                if partition < 0 || partition >= count {
                    self.client.fail_msgs(
                        vec![msg],
                        ErrorCode::RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
                        MsgStatus::NotPersisted,
                    );
                    continue;
                }
                self.client.enqueue(topic, partition, msg);
            }
        }
    }

    /// Times out messages no broker thread looks after: those waiting for
    /// metadata and those in partitions without a leader.
    fn expire_waiting_messages(&self, now: Instant) {
        let topics = self.client.topics.all();
        for topic in topics {
            let missing = topic.state.read().existence == TopicExistence::Missing;
            let err = if missing {
                ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART
            } else {
                ErrorCode::RD_KAFKA_RESP_ERR__MSG_TIMED_OUT
            };
            let expired: Vec<MsgBox> = {
                let mut waiting = topic.unassigned.lock();
                let mut expired = Vec::new();
                while waiting
                    .front()
                    .is_some_and(|m| m.deadline.is_some_and(|d| d <= now))
                {
                    if let Some(m) = waiting.pop_front() {
                        expired.push(m);
                    }
                }
                expired
            };
            self.client.fail_msgs(expired, err, MsgStatus::NotPersisted);
            let leaderless: Vec<Arc<Partition>> = topic
                .state
                .read()
                .partitions
                .iter()
                .filter(|p| p.leader() < 0)
                .cloned()
                .collect();
            for p in leaderless {
                let expired = p.queue.lock().take_expired(now);
                self.client.fail_msgs(
                    expired,
                    ErrorCode::RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
                    MsgStatus::NotPersisted,
                );
            }
        }
    }
}

/// Starts a broker thread for every new address in the CSV `list`;
/// returns how many were added (`rd_kafka_brokers_add`).
pub fn add_bootstrap_brokers(client: &Arc<ClientInner>, list: &str) -> usize {
    let mut added = 0;
    for entry in list.split(',').filter(|e| !e.trim().is_empty()) {
        let Some((host, port)) = parse_broker_address(entry) else {
            client.log(
                LOG_WARNING,
                "BROKER",
                &format!("ignoring invalid broker address \"{entry}\""),
            );
            continue;
        };
        let prefix = format!("{host}:{port}/");
        let mut brokers = client.brokers.write();
        if brokers.iter().any(|b| b.name.starts_with(&prefix)) {
            continue;
        }
        let id = -1 - brokers.iter().filter(|b| b.id < 0).count() as i32;
        match broker::thread::spawn(client, id, &host, port) {
            Ok(b) => {
                brokers.push(b);
                added += 1;
            }
            Err(e) => client.log_error(&format!("cannot start broker thread: {e}")),
        }
    }
    if added > 0 {
        let _ = client.main_tx_clone().send(MainOp::RefreshMetadata);
    }
    added
}

fn build_request(client: &ClientInner, topics: Option<Vec<String>>) -> MetadataRequest {
    MetadataRequest {
        topics: topics.map(|names| names.into_iter().map(Into::into).collect()),
        allow_auto_topic_creation: client.settings.allow_auto_create_topics,
        include_cluster_authorized_operations: false,
        include_topic_authorized_operations: false,
    }
}

fn pick_broker(client: &ClientInner, rotate: &mut usize) -> Option<Arc<BrokerHandle>> {
    let brokers = client.brokers.read();
    if let Some(up) = brokers
        .iter()
        .filter(|b| b.is_up())
        .min_by_key(|b| b.id < 0)
    {
        return Some(up.clone());
    }
    if brokers.is_empty() {
        return None;
    }
    *rotate = rotate.wrapping_add(1);
    Some(brokers[*rotate % brokers.len()].clone())
}

/// Starts threads for brokers we have not seen and updates moved ones.
fn apply_brokers(client: &Arc<ClientInner>, response: &MetadataResponse) {
    client.note_controller(response);
    let mut new = Vec::new();
    {
        let brokers = client.brokers.read();
        for b in &response.brokers {
            let port = u16::try_from(b.port).unwrap_or(9092);
            match brokers.iter().find(|h| h.id == b.node_id) {
                Some(existing) => {
                    if !existing.name.starts_with(&format!("{}:{}/", b.host, port)) {
                        existing.set_address(b.host.clone(), port);
                    }
                }
                None => new.push((b.node_id, b.host.clone(), port)),
            }
        }
    }
    for (id, host, port) in new {
        match broker::thread::spawn(client, id, &host, port) {
            Ok(handle) => client.brokers.write().push(handle),
            Err(e) => client.log_error(&format!("cannot start broker thread: {e}")),
        }
    }
}

/// A synchronous metadata request for `rd_kafka_metadata()`, on the
/// caller's thread. The answer also refreshes the cache via the main thread.
/// The id and name of the broker that answered a metadata request, as
/// librdkafka reports them (`orig_broker_id`/`_name`): a bootstrap
/// connection is the broker the response lists at its address, named
/// `host:port/id` (librdkafka's bootstrap broker adopts that id).
fn answering_broker(broker: &BrokerHandle, response: &MetadataResponse) -> (i32, String) {
    if broker.id >= 0 {
        return (broker.id, broker.name.clone());
    }
    response
        .brokers
        .iter()
        .find(|b| format!("{}:{}", b.host, b.port) == broker.address())
        .map_or((broker.id, broker.name.clone()), |b| {
            (b.node_id, format!("{}/{}", broker.address(), b.node_id))
        })
}

pub fn metadata_now(
    client: &Arc<ClientInner>,
    topics: Option<Vec<String>>,
    timeout: Duration,
) -> Result<(MetadataResponse, i32, String), ErrorCode> {
    let deadline = Instant::now() + timeout;
    let mut rotate = 0;
    loop {
        let Some(broker) = pick_broker(client, &mut rotate) else {
            if Instant::now() >= deadline {
                return Err(ErrorCode::RD_KAFKA_RESP_ERR__TRANSPORT);
            }
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let (tx, rx) = crossbeam_channel::bounded(1);
        let remaining = deadline.saturating_duration_since(Instant::now());
        broker.send(build_request(client, topics.clone()), remaining, move |r| {
            let _ = tx.send(r);
        });
        match rx.recv_timeout(remaining) {
            Ok(Ok(response)) => {
                // Before returning: the application may ask for the
                // controller next, before the main thread applies this.
                client.note_controller(&response);
                let _ = client
                    .main_tx_clone()
                    .send(MainOp::Metadata(Ok(response.clone()), topics.is_none()));
                let (id, name) = answering_broker(&broker, &response);
                return Ok((response, id, name));
            }
            // A broker that went away may come back or another may answer;
            // an answer that does not decode (`_BAD_MSG`) would only come
            // again, so that, like every non-retriable error, returns now.
            Ok(Err(err)) if Instant::now() < deadline && err.is_retriable() => {
                std::thread::sleep(
                    Duration::from_millis(50)
                        .min(deadline.saturating_duration_since(Instant::now())),
                );
            }
            Ok(Err(err)) => return Err(err),
            Err(_) => return Err(ErrorCode::RD_KAFKA_RESP_ERR__TIMED_OUT),
        }
    }
}
