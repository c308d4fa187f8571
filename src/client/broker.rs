//! Broker I/O threads: one per broker connection.
//!
//! Each thread owns its [`Connection`] and everything in flight on it. Its
//! loop: take ops (requests from other threads), connect when there is work,
//! negotiate ApiVersions, send queued requests and produce batches built
//! from the partitions this broker leads, then sleep in `poll(2)` on the
//! socket and its wake-up pipe until the next deadline (linger, request or
//! message timeout, reconnect backoff). Responses arrive in request order
//! (Kafka guarantees it per connection) and are matched to the oldest
//! in-flight request.
//!
//! Locality: everything in [`BrokerThread`] is touched only by its thread.
//! Other threads reach it through [`BrokerHandle`] (ops channel + waker +
//! the `led` partition list, which only the main thread writes).

use crate::client::connection::{resolve, Connection};
use crate::client::consumer::ConsumerPartition;
use crate::client::fetcher;
use crate::client::log::{ctx, LOG_DEBUG, LOG_ERR, LOG_INFO, LOG_WARNING};
use crate::client::producer::{self, ProduceInFlight};
use crate::client::repeated_errors::{with_suppressed_note, RepeatedErrors, Verdict};
use crate::client::stats::Counters;
use crate::client::topic::Partition;
use crate::client::waker::{poll_fds, Waker};
use crate::client::ClientInner;
use crate::error::ErrorCode;
use crate::protocol::messages::api_versions::{ApiVersionsRequest, ApiVersionsResponse};
use crate::protocol::{
    decode_response, encode_request_chunked, ApiKey, DecodeError, EncodeError, Request,
};
use bytes::{Bytes, BytesMut};
use crossbeam_channel::{unbounded, Receiver, Sender};
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The longest a broker thread sleeps without re-checking its state.
const MAX_IDLE_WAIT: Duration = Duration::from_millis(1000);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum BrokerState {
    Down = 0,
    Connecting = 1,
    ApiVersionQuery = 2,
    Up = 3,
}

/// A request whose concrete type is erased so any thread can queue it.
pub trait ErasedRequest: Send {
    fn api_key(&self) -> ApiKey;
    fn versions(&self) -> (i16, i16);
    /// Encodes the frame into `out`, large shared byte fields into `chunks`
    /// (see [`crate::protocol::Message::encode_chunked`]).
    fn encode_frame(
        &self,
        version: i16,
        correlation_id: i32,
        client_id: &str,
        out: &mut BytesMut,
        chunks: &mut Vec<(usize, Bytes)>,
    ) -> Result<(), EncodeError>;
}

impl<R: Request + Send> ErasedRequest for R {
    fn api_key(&self) -> ApiKey {
        R::API_KEY
    }
    fn versions(&self) -> (i16, i16) {
        (R::MIN_VERSION, R::MAX_VERSION)
    }
    fn encode_frame(
        &self,
        version: i16,
        correlation_id: i32,
        client_id: &str,
        out: &mut BytesMut,
        chunks: &mut Vec<(usize, Bytes)>,
    ) -> Result<(), EncodeError> {
        encode_request_chunked(self, version, correlation_id, Some(client_id), out, chunks)
    }
}

/// A raw response: the negotiated version and the whole frame.
pub struct RawResponse {
    pub version: i16,
    pub frame: Bytes,
    pub broker_id: i32,
}

/// Runs on the broker thread when the response (or a failure) arrives.
/// Returns why a response could not be decoded (the request has then
/// failed with `_BAD_MSG`), for the broker thread to log.
pub type ResponseHandler =
    Box<dyn FnOnce(Result<RawResponse, ErrorCode>) -> Option<DecodeError> + Send>;

pub struct QueuedRequest {
    request: Box<dyn ErasedRequest>,
    handler: ResponseHandler,
    timeout: Duration,
    /// Fails with `_TIMED_OUT` if still not sent (e.g. broker down) by then.
    give_up_at: Instant,
}

impl QueuedRequest {
    /// A typed request whose decoded response (or failure) goes to `on_done`,
    /// which runs on the broker thread.
    pub fn typed<R, F>(request: R, timeout: Duration, on_done: F) -> QueuedRequest
    where
        R: Request + Send + 'static,
        R::Response: Send,
        F: FnOnce(Result<R::Response, ErrorCode>) + Send + 'static,
    {
        let handler: ResponseHandler = Box::new(move |result| match result {
            Ok(raw) => match decode_response::<R>(raw.version, &raw.frame) {
                Ok((_, body)) => {
                    on_done(Ok(body));
                    None
                }
                Err(e) => {
                    on_done(Err(ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG));
                    Some(e)
                }
            },
            Err(err) => {
                on_done(Err(err));
                None
            }
        });
        QueuedRequest {
            request: Box::new(request),
            handler,
            timeout,
            give_up_at: Instant::now() + timeout,
        }
    }
}

pub enum BrokerOp {
    Request(QueuedRequest),
    /// Metadata moved this node to a new address.
    SetAddress(String, u16),
    /// Fail produce requests awaiting a response with `_PURGE_INFLIGHT`;
    /// the sender is signalled when done.
    PurgeInFlight(Sender<()>),
}

/// The part of a broker other threads see.
pub struct BrokerHandle {
    /// Kafka node id; bootstrap entries (not yet known by id) are negative.
    pub id: i32,
    pub name: String,
    ops: Sender<BrokerOp>,
    pub waker: Waker,
    /// Partitions this broker leads; written by the main thread only.
    pub led: Mutex<Vec<Arc<Partition>>>,
    /// Assigned partitions this broker leads (consumer); main thread writes.
    pub fetch: Mutex<Vec<Arc<ConsumerPartition>>>,
    /// One Fetch request at a time per broker, as librdkafka does.
    pub fetch_in_flight: AtomicBool,
    state: AtomicU8,
    thread: Mutex<Option<JoinHandle<()>>>,
    /// Requests/responses and bytes for statistics.
    pub counters: crate::client::stats::Counters,
}

impl BrokerHandle {
    pub fn spawn(
        client: &Arc<ClientInner>,
        id: i32,
        host: &str,
        port: u16,
    ) -> std::io::Result<Arc<BrokerHandle>> {
        let (tx, rx) = unbounded();
        let name = if id < 0 {
            format!("{host}:{port}/bootstrap")
        } else {
            format!("{host}:{port}/{id}")
        };
        let handle = Arc::new(BrokerHandle {
            id,
            name: name.clone(),
            ops: tx,
            waker: Waker::new()?,
            led: Mutex::new(Vec::new()),
            fetch: Mutex::new(Vec::new()),
            fetch_in_flight: AtomicBool::new(false),
            state: AtomicU8::new(BrokerState::Down as u8),
            thread: Mutex::new(None),
            counters: Default::default(),
        });
        let thread = BrokerThread::new(client.clone(), handle.clone(), rx, host, port);
        let join = std::thread::Builder::new()
            .name(format!("rdk:broker{id}"))
            .spawn(move || thread.run())?;
        *handle.thread.lock() = Some(join);
        Ok(handle)
    }

    pub fn state(&self) -> BrokerState {
        match self.state.load(Ordering::Acquire) {
            1 => BrokerState::Connecting,
            2 => BrokerState::ApiVersionQuery,
            3 => BrokerState::Up,
            _ => BrokerState::Down,
        }
    }

    pub fn is_up(&self) -> bool {
        self.state() == BrokerState::Up
    }

    pub fn wake(&self) {
        self.waker.wake();
    }

    /// Queues a typed request; `on_done` runs on this broker's thread.
    pub fn send<R, F>(&self, request: R, timeout: Duration, on_done: F)
    where
        R: Request + Send + 'static,
        R::Response: Send,
        F: FnOnce(Result<R::Response, ErrorCode>) + Send + 'static,
    {
        self.queue_request(QueuedRequest::typed(request, timeout, on_done));
    }

    pub fn queue_request(&self, q: QueuedRequest) {
        if let Err(err) = self.ops.send(BrokerOp::Request(q)) {
            // The thread is gone (client shutting down): fail right here.
            if let BrokerOp::Request(q) = err.into_inner() {
                (q.handler)(Err(ErrorCode::RD_KAFKA_RESP_ERR__DESTROY));
            }
            return;
        }
        self.wake();
    }

    /// Asks the thread to purge its in-flight produce requests; the
    /// receiver gets a message once it has.
    pub fn purge_in_flight(&self) -> Receiver<()> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        let _ = self.ops.send(BrokerOp::PurgeInFlight(tx));
        self.wake();
        rx
    }

    pub fn set_address(&self, host: String, port: u16) {
        let _ = self.ops.send(BrokerOp::SetAddress(host, port));
        self.wake();
    }

    /// Joins the thread; the caller has set the client's terminating flag.
    pub fn join(&self) {
        self.wake();
        if let Some(join) = self.thread.lock().take() {
            let _ = join.join();
        }
    }
}

enum InFlightKind {
    ApiVersions,
    Generic(ResponseHandler),
    Produce(ProduceInFlight),
}

struct InFlight {
    correlation_id: i32,
    api_key: ApiKey,
    version: i16,
    deadline: Instant,
    kind: InFlightKind,
}

struct BrokerThread {
    client: Arc<ClientInner>,
    handle: Arc<BrokerHandle>,
    ops: Receiver<BrokerOp>,
    host: String,
    port: u16,
    conn: Option<Connection>,
    connect_deadline: Instant,
    /// Highest version the broker supports per API key (index = key).
    api_max: Vec<i16>,
    api_min: Vec<i16>,
    queued: VecDeque<QueuedRequest>,
    in_flight: VecDeque<InFlight>,
    next_correlation_id: i32,
    reconnect_at: Instant,
    /// The next reconnect's backoff before jitter: `reconnect.backoff.ms`
    /// doubling up to `reconnect.backoff.max.ms`.
    reconnect_backoff: Duration,
    /// When the last connection attempt started: the backoff starts over
    /// only after a connection outlived `reconnect.backoff.max.ms`.
    connect_started: Instant,
    /// Set by a connection failure, cleared once up again: the first
    /// failure tells the main thread the broker is down.
    down_since_up: bool,
    /// Connection failures, for suppressing identical ones (see
    /// `repeated_errors`); kept across reconnects, as librdkafka does, so
    /// a broker that fails every connection the same way is reported once.
    connection_errors: RepeatedErrors,
    /// Responses that failed to decode, likewise.
    protocol_errors: RepeatedErrors,
}

impl BrokerThread {
    fn new(
        client: Arc<ClientInner>,
        handle: Arc<BrokerHandle>,
        ops: Receiver<BrokerOp>,
        host: &str,
        port: u16,
    ) -> BrokerThread {
        let backoff = client.settings.reconnect_backoff;
        BrokerThread {
            client,
            handle,
            ops,
            host: host.to_string(),
            port,
            conn: None,
            connect_deadline: Instant::now(),
            api_max: Vec::new(),
            api_min: Vec::new(),
            queued: VecDeque::new(),
            in_flight: VecDeque::new(),
            next_correlation_id: 1,
            reconnect_at: Instant::now(),
            reconnect_backoff: backoff,
            connect_started: Instant::now(),
            down_since_up: false,
            connection_errors: RepeatedErrors::default(),
            protocol_errors: RepeatedErrors::default(),
        }
    }

    fn set_state(&self, state: BrokerState) {
        self.handle.state.store(state as u8, Ordering::Release);
    }

    fn state(&self) -> BrokerState {
        self.handle.state()
    }

    fn debug(&self, msg: &str) {
        if self.client.logger.debug_enabled(ctx::BROKER) {
            self.client
                .log(LOG_DEBUG, "BROKER", &format!("{}: {msg}", self.handle.name));
        }
    }

    fn run(mut self) {
        while !self.client.is_terminating() {
            self.take_ops();
            let now = Instant::now();
            self.expire_queued(now);
            if self.state() == BrokerState::Down && now >= self.reconnect_at && self.has_work() {
                self.connect(now);
            }
            if self.state() == BrokerState::Up {
                // Written first: room in the socket lets more produce
                // requests be built below (backpressure threshold).
                self.flush_connection();
                let fetches = fetcher::requests(&self.client, &self.handle, now);
                self.queued.extend(fetches);
                self.send_queued();
                self.send_produce_batches(now);
            }
            self.flush_connection();
            self.expire_in_flight(Instant::now());
            producer::expire_messages(&self.client, &self.handle.led.lock(), Instant::now());
            let timeout = self.next_wakeup(Instant::now());
            self.wait(timeout);
        }
        self.shutdown();
    }

    fn flush_connection(&mut self) {
        if let Some(conn) = self.conn.as_mut() {
            if let Err(e) = conn.flush() {
                self.disconnect(failure_code(&e), &format!("send failed: {e}"));
            }
        }
    }

    fn has_work(&self) -> bool {
        !self.queued.is_empty()
            || !self.handle.fetch.lock().is_empty()
            || self
                .handle
                .led
                .lock()
                .iter()
                .any(|p| !p.queue.lock().msgs.is_empty())
    }

    fn take_ops(&mut self) {
        while let Ok(op) = self.ops.try_recv() {
            match op {
                BrokerOp::Request(q) => self.queued.push_back(q),
                BrokerOp::PurgeInFlight(done) => {
                    for f in self.in_flight.iter_mut() {
                        if let InFlightKind::Produce(batch) = &mut f.kind {
                            // The request slot stays: its late response is matched and ignored.
                            let purged = ProduceInFlight {
                                batches: std::mem::take(&mut batch.batches),
                                broker_id: batch.broker_id,
                                sent_at: batch.sent_at,
                            };
                            producer::on_purged(&self.client, purged);
                        }
                    }
                    let _ = done.send(());
                }
                BrokerOp::SetAddress(host, port) => {
                    if host != self.host || port != self.port {
                        self.host = host;
                        self.port = port;
                        self.disconnect(
                            ErrorCode::RD_KAFKA_RESP_ERR__TRANSPORT,
                            "broker address changed",
                        );
                    }
                }
            }
        }
    }

    fn connect(&mut self, now: Instant) {
        self.connect_started = now;
        let addr = match resolve(&self.host, self.port) {
            Ok(addr) => addr,
            Err(e) => {
                let reason = format!("failed to resolve '{}:{}': {e}", self.host, self.port);
                return self.went_down(ErrorCode::RD_KAFKA_RESP_ERR__RESOLVE, &reason);
            }
        };
        let tls = match &self.client.tls {
            Some(tls) => match tls.session(&self.host, &self.handle.name, self.handle.id) {
                Ok(session) => Some(session),
                Err(e) => return self.went_down(ErrorCode::RD_KAFKA_RESP_ERR__SSL, &e),
            },
            None => None,
        };
        match Connection::start(addr, self.client.settings.receive_message_max_bytes, tls) {
            Ok(conn) => {
                self.debug(&format!("connecting to {addr}"));
                self.conn = Some(conn);
                self.connect_deadline = now + self.client.settings.connection_setup_timeout;
                self.set_state(BrokerState::Connecting);
            }
            Err(e) => {
                let reason = format!("connect to {addr} failed: {e}");
                self.went_down(ErrorCode::RD_KAFKA_RESP_ERR__TRANSPORT, &reason)
            }
        }
    }

    /// Called once the TCP connection is established.
    fn on_connected(&mut self) {
        self.debug("connected");
        if !self.client.settings.api_version_request {
            self.set_fallback_versions();
            self.mark_up();
            return;
        }
        self.set_state(BrokerState::ApiVersionQuery);
        self.send_api_versions(3);
    }

    fn send_api_versions(&mut self, version: i16) {
        let request = ApiVersionsRequest {
            client_software_name: "ferrokafka".to_string(),
            client_software_version: env!("CARGO_PKG_VERSION").to_string(),
        };
        let timeout = self.client.settings.api_version_request_timeout;
        self.write_request(&request, version, timeout, InFlightKind::ApiVersions);
    }

    fn on_api_versions(&mut self, version: i16, frame: Bytes) {
        // The error code is the first body field in every version (the
        // response header is always v0). A broker that does not know our
        // version answers UNSUPPORTED_VERSION in whatever shape it likes
        // (Kafka: v0; librdkafka's mock: a malformed flexible body), so look
        // at the code before decoding the rest.
        let unsupported = ErrorCode::RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION.code() as i16;
        if version > 0 && frame.get(4..6) == Some(&unsupported.to_be_bytes()[..]) {
            self.debug(&format!(
                "ApiVersions v{version} not supported, falling back to v0"
            ));
            return self.send_api_versions(0);
        }
        let response = match decode_response::<ApiVersionsRequest>(version, &frame) {
            Ok((_, r)) => r,
            Err(e) => {
                // Logged like any undecodable response; without the
                // versions nothing else can be sent, so the connection goes.
                self.response_undecodable(ApiKey::ApiVersions, version, &e);
                return self.protocol_error(&format!("bad ApiVersions response: {e}"));
            }
        };
        if response.error_code != 0 {
            return self.protocol_error(&format!(
                "ApiVersions failed with error {}",
                response.error_code
            ));
        }
        self.store_versions(&response);
        self.mark_up();
    }

    fn store_versions(&mut self, response: &ApiVersionsResponse) {
        self.api_max.clear();
        self.api_min.clear();
        for key in &response.api_keys {
            let idx = key.api_key.max(0) as usize;
            if idx >= self.api_max.len() {
                self.api_max.resize(idx + 1, -1);
                self.api_min.resize(idx + 1, -1);
            }
            self.api_max[idx] = key.max_version;
            self.api_min[idx] = key.min_version;
        }
    }

    /// Without ApiVersions (api.version.request=false) assume every API at
    /// the lowest version we implement.
    fn set_fallback_versions(&mut self) {
        self.api_max = vec![-1; 0];
        self.api_min.clear();
    }

    fn mark_up(&mut self) {
        self.set_state(BrokerState::Up);
        // The backoff is not reset here: a broker that accepts the
        // connection and then fails it must not be retried at the initial
        // backoff every time (see `schedule_reconnect`).
        if self.down_since_up {
            self.client.log(
                LOG_INFO,
                "BROKER",
                &format!("{}: connection re-established", self.handle.name),
            );
        }
        self.down_since_up = false;
        self.client.on_broker_up(self.handle.id);
    }

    /// The version to use for `key`: the highest both sides support.
    pub fn pick_version(&self, key: ApiKey, ours: (i16, i16)) -> Option<i16> {
        let idx = key.as_i16() as usize;
        if self.api_max.is_empty() {
            return Some(ours.0);
        }
        let (min, max) = (*self.api_min.get(idx)?, *self.api_max.get(idx)?);
        if max < 0 {
            return None;
        }
        let version = ours.1.min(max);
        (version >= ours.0.max(min)).then_some(version)
    }

    fn write_request(
        &mut self,
        request: &dyn ErasedRequest,
        version: i16,
        timeout: Duration,
        kind: InFlightKind,
    ) {
        let correlation_id = self.next_correlation_id;
        self.next_correlation_id = self.next_correlation_id.wrapping_add(1).max(1);
        let Some(conn) = self.conn.as_mut() else {
            return fail_kind(&self.client, kind, ErrorCode::RD_KAFKA_RESP_ERR__TRANSPORT);
        };
        let client_id = &self.client.settings.client_id;
        let before = conn.write_buffer().len();
        let mut chunks = Vec::new();
        if let Err(e) = request.encode_frame(
            version,
            correlation_id,
            client_id,
            conn.write_buffer(),
            &mut chunks,
        ) {
            self.client.log(
                LOG_ERR,
                "PROTOERR",
                &format!("{}: cannot encode request: {e}", self.handle.name),
            );
            return fail_kind(&self.client, kind, ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG);
        }
        let bytes = (conn.write_buffer().len() - before
            + chunks.iter().map(|(_, b)| b.len()).sum::<usize>()) as u64;
        if !chunks.is_empty() {
            conn.insert_chunks(chunks);
        }
        conn.end_request(bytes as usize);
        for c in [&self.client.counters, &self.handle.counters] {
            Counters::add(&c.tx, 1);
            Counters::add(&c.tx_bytes, bytes);
        }
        self.in_flight.push_back(InFlight {
            correlation_id,
            api_key: request.api_key(),
            version,
            deadline: Instant::now() + timeout,
            kind,
        });
    }

    fn send_queued(&mut self) {
        while self.in_flight.len() < self.client.settings.max_in_flight {
            let Some(q) = self.queued.pop_front() else {
                break;
            };
            let Some(version) = self.pick_version(q.request.api_key(), q.request.versions()) else {
                (q.handler)(Err(ErrorCode::RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE));
                continue;
            };
            self.write_request(
                &*q.request,
                version,
                q.timeout,
                InFlightKind::Generic(q.handler),
            );
        }
    }

    /// How many produce requests may be built now: limited by the requests
    /// in flight and by those not yet written to the socket.
    fn produce_room(&self) -> usize {
        let s = &self.client.settings;
        let unsent = self.conn.as_ref().map_or(0, |c| c.unsent_requests());
        s.max_in_flight
            .saturating_sub(self.in_flight.len())
            .min(s.backpressure_threshold.saturating_sub(unsent))
    }

    fn send_produce_batches(&mut self, now: Instant) {
        let room = self.produce_room();
        if room == 0 {
            return;
        }
        let Some(version) = self.pick_version(
            ApiKey::Produce,
            (producer::PRODUCE_MIN_VERSION, producer::PRODUCE_MAX_VERSION),
        ) else {
            return;
        };
        let led = self.handle.led.lock().clone();
        for job in producer::collect(&self.client, &led, now, room) {
            let timeout = job.request_timeout;
            match job.build_request() {
                Ok(request) => {
                    if job.acks == 0 {
                        // No response will come: the batch is done once written.
                        self.write_request(
                            &request,
                            version,
                            timeout,
                            InFlightKind::Generic(Box::new(|_| None)),
                        );
                        self.in_flight.pop_back();
                        producer::complete_without_ack(
                            &self.client,
                            job.into_in_flight(self.handle.id),
                        );
                    } else {
                        let in_flight = job.into_in_flight(self.handle.id);
                        self.write_request(
                            &request,
                            version,
                            timeout,
                            InFlightKind::Produce(in_flight),
                        );
                    }
                }
                Err(e) => producer::fail_job(&self.client, job, e),
            }
        }
    }

    fn expire_queued(&mut self, now: Instant) {
        while self.queued.front().is_some_and(|q| q.give_up_at <= now) {
            if let Some(q) = self.queued.pop_front() {
                (q.handler)(Err(ErrorCode::RD_KAFKA_RESP_ERR__TIMED_OUT));
            }
        }
    }

    fn expire_in_flight(&mut self, now: Instant) {
        let handshaking = self.conn.as_ref().is_some_and(|c| c.tls_handshaking());
        if handshaking
            && (now >= self.connect_deadline
                || self.in_flight.front().is_some_and(|f| f.deadline <= now))
        {
            // A TLS handshake the peer never answers: most likely not a
            // TLS listener at all, which says more than "request timed out".
            return self.connection_failed(
                "SSL handshake timed out (connecting to a PLAINTEXT broker listener?)",
            );
        }
        if self.in_flight.front().is_some_and(|f| f.deadline <= now) {
            // Responses come in order: a timed-out request means everything
            // behind it is stuck too, so the connection is torn down.
            let timed_out = self.in_flight.len();
            self.client.log(
                LOG_WARNING,
                "REQTMOUT",
                &format!(
                    "{}: timed out {timed_out} in-flight request(s)",
                    self.handle.name
                ),
            );
            self.disconnect(
                ErrorCode::RD_KAFKA_RESP_ERR__TIMED_OUT,
                &format!("{timed_out} request(s) timed out: disconnect"),
            );
        }
        if self.state() == BrokerState::Connecting && now >= self.connect_deadline {
            self.connection_failed("connection setup timed out");
        }
    }

    fn next_wakeup(&self, now: Instant) -> Duration {
        let mut next = now + MAX_IDLE_WAIT;
        if let Some(f) = self.in_flight.front() {
            next = next.min(f.deadline);
        }
        if let Some(q) = self.queued.front() {
            next = next.min(q.give_up_at);
        }
        match self.state() {
            BrokerState::Down if self.has_work() => next = next.min(self.reconnect_at),
            BrokerState::Connecting => next = next.min(self.connect_deadline),
            _ if self.conn.as_ref().is_some_and(|c| c.tls_handshaking()) => {
                next = next.min(self.connect_deadline)
            }
            BrokerState::Up => {
                // With no room for more requests, only a response (or
                // room in the socket) can help.
                if self.produce_room() > 0 {
                    let led = self.handle.led.lock();
                    if let Some(t) = producer::next_deadline(&self.client, &led, now) {
                        next = next.min(t);
                    }
                }
                if let Some(t) = fetcher::next_deadline(&self.client, &self.handle, now) {
                    next = next.min(t);
                }
            }
            _ => {}
        }
        next.saturating_duration_since(now)
    }

    fn wait(&mut self, timeout: Duration) {
        let mut fds = [
            libc::pollfd {
                fd: self.handle.waker.fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: -1,
                events: 0,
                revents: 0,
            },
        ];
        if let Some(conn) = &self.conn {
            fds[1].fd = conn.fd();
            fds[1].events = match self.state() {
                BrokerState::Connecting => libc::POLLOUT,
                _ if conn.wants_write() => libc::POLLIN | libc::POLLOUT,
                _ => libc::POLLIN,
            };
        }
        // Decrypted input waiting in the TLS session is work poll(2) cannot see.
        let buffered_input = self.conn.as_mut().is_some_and(|c| c.has_buffered_input());
        // Round up so a deadline 0.4 ms away does not turn into a busy loop.
        let ms = match buffered_input {
            true => 0,
            false => timeout.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32,
        };
        let polled = poll_fds(&mut fds, ms);
        Counters::add(&self.handle.counters.wakeups, 1);
        if polled.is_err() {
            return;
        }
        if fds[0].revents != 0 {
            self.handle.waker.reset();
        }
        let revents = fds[1].revents | if buffered_input { libc::POLLIN } else { 0 };
        if revents == 0 || self.conn.is_none() {
            return;
        }
        if self.state() == BrokerState::Connecting {
            let result = self.conn.as_ref().map(|c| c.finish_connect());
            match result {
                Some(Ok(())) => self.on_connected(),
                Some(Err(e)) => self.connection_failed(&format!("connect failed: {e}")),
                None => {}
            }
            return;
        }
        if revents & (libc::POLLIN | libc::POLLERR | libc::POLLHUP) != 0 {
            self.read_responses();
        }
    }

    fn read_responses(&mut self) {
        let Some(conn) = self.conn.as_mut() else {
            return;
        };
        let fill_result = conn.fill();
        // Serve complete frames even if the peer closed right after sending them.
        loop {
            let Some(conn) = self.conn.as_mut() else {
                return;
            };
            match conn.next_frame() {
                Ok(Some(frame)) => self.dispatch(frame),
                Ok(None) => break,
                Err(e) => return self.protocol_error(&format!("invalid response frame: {e}")),
            }
        }
        if let Err(e) = fill_result {
            self.disconnect(failure_code(&e), &format!("receive failed: {e}"));
        }
    }

    fn dispatch(&mut self, frame: Bytes) {
        for c in [&self.client.counters, &self.handle.counters] {
            Counters::add(&c.rx, 1);
            Counters::add(&c.rx_bytes, frame.len() as u64 + 4);
        }
        let Ok(correlation_id) = crate::protocol::peek_correlation_id(&frame) else {
            return self.protocol_error("truncated response header");
        };
        match self.in_flight.front() {
            Some(f) if f.correlation_id == correlation_id => {}
            _ => {
                return self.protocol_error(&format!(
                    "response with unexpected correlation id {correlation_id}"
                ))
            }
        }
        let Some(f) = self.in_flight.pop_front() else {
            return;
        };
        match f.kind {
            InFlightKind::ApiVersions => self.on_api_versions(f.version, frame),
            InFlightKind::Generic(handler) => {
                let undecodable = handler(Ok(RawResponse {
                    version: f.version,
                    frame,
                    broker_id: self.handle.id,
                }));
                if let Some(e) = undecodable {
                    // The frame was complete and answered the oldest
                    // request, so the stream is still in step: only this
                    // request fails, the connection stays.
                    self.response_undecodable(f.api_key, f.version, &e);
                }
            }
            InFlightKind::Produce(batch) => {
                let decoded =
                    producer::on_response(&self.client, &self.handle, batch, f.version, &frame);
                if let Err(e) = decoded {
                    self.response_undecodable(f.api_key, f.version, &e);
                }
            }
        }
    }

    /// A response that does not fit the stream (bad size prefix or
    /// correlation id): nothing after it can be trusted, so the connection
    /// goes, reported as a connection failure.
    fn protocol_error(&mut self, msg: &str) {
        self.disconnect(ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG, msg);
    }

    /// Logs, at error level with facility PROTOERR as librdkafka does, a
    /// response that failed to decode, and why (its request has failed with
    /// `_BAD_MSG`). Identical repeats are suppressed: a broker that garbles
    /// every Metadata response would otherwise log at each refresh.
    fn response_undecodable(&mut self, api_key: ApiKey, version: i16, e: &DecodeError) {
        let reason = format!(
            "protocol parse failure for {} v{version} response: {e}",
            api_key.name()
        );
        let name = &self.handle.name;
        match self.protocol_errors.check(
            ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG,
            &reason,
            Instant::now(),
        ) {
            Verdict::Suppress => {
                if self.client.logger.debug_enabled(ctx::PROTOCOL) {
                    let line = format!("{name}: {reason}: identical to last error, suppressed");
                    self.client.log(LOG_DEBUG, "PROTOERR", &line);
                }
            }
            Verdict::Report { suppressed } => {
                let line = with_suppressed_note(&format!("{name}: {reason}"), suppressed);
                self.client.log(LOG_ERR, "PROTOERR", &line);
            }
        }
    }

    fn connection_failed(&mut self, reason: &str) {
        self.disconnect(ErrorCode::RD_KAFKA_RESP_ERR__TRANSPORT, reason);
    }

    /// Ends the connection (or the attempt at one) with `err`; nothing to
    /// do when there is none and the broker is already down (a second
    /// failure noticed in the same pass, an address change while down).
    fn disconnect(&mut self, err: ErrorCode, reason: &str) {
        if self.conn.is_none() && self.state() == BrokerState::Down {
            return;
        }
        self.went_down(err, reason);
    }

    /// Every connection failure comes here, whether a connection ended or
    /// an attempt failed inside `connect()` before any socket was up
    /// (resolve error, connect refused at once): closes the socket, fails
    /// what was in flight and what waited to be sent (as librdkafka's
    /// `rd_kafka_broker_fail` does: a request for a broker that cannot be
    /// reached goes back to its sender, which may ask another broker,
    /// instead of waiting out `socket.timeout.ms` here), waits before the
    /// next attempt, reports the failure, and tells the main thread the
    /// first time.
    fn went_down(&mut self, err: ErrorCode, reason: &str) {
        let was_up = self.state() == BrokerState::Up;
        self.close_socket();
        self.fail_in_flight(err);
        for q in std::mem::take(&mut self.queued) {
            (q.handler)(Err(err));
        }
        self.schedule_reconnect();
        self.report_connection_failure(err, reason);
        if !self.down_since_up {
            self.down_since_up = true;
            self.client.on_broker_down(self.handle.id, was_up);
        }
    }

    /// Logs a connection failure and raises it to `error_cb`, unless it is
    /// identical to the last one and within the suppression window (as
    /// librdkafka: a broker failing the same way on every reconnect is
    /// reported once, then every 30 s with a count).
    fn report_connection_failure(&mut self, err: ErrorCode, reason: &str) {
        match self.connection_errors.check(err, reason, Instant::now()) {
            Verdict::Suppress => {
                self.debug(&format!("{reason}: identical to last error, suppressed"))
            }
            Verdict::Report { suppressed } => {
                let msg =
                    with_suppressed_note(&format!("{}: {reason}", self.handle.name), suppressed);
                self.client.log(LOG_ERR, "FAIL", &msg);
                self.client.raise_error(err, msg);
            }
        }
    }

    fn close_socket(&mut self) {
        self.conn = None;
        self.set_state(BrokerState::Down);
    }

    /// Every kind of failure (refused, reset, garbage, timeout) comes here:
    /// the wait grows exponentially whatever ended the connection, with
    /// librdkafka's jitter (-25% to +50%) so many clients that lost the
    /// same broker do not reconnect in step.
    fn schedule_reconnect(&mut self) {
        let settings = &self.client.settings;
        let max = settings.reconnect_backoff_max;
        let now = Instant::now();
        // A connection that lasted longer than the longest backoff was a
        // real recovery: start over from the initial backoff.
        if now.saturating_duration_since(self.connect_started) > max {
            self.reconnect_backoff = settings.reconnect_backoff;
        }
        let wait = jittered(self.reconnect_backoff, max);
        self.debug(&format!("reconnecting in {} ms", wait.as_millis()));
        self.reconnect_at = now + wait;
        self.reconnect_backoff = (self.reconnect_backoff * 2).min(max);
    }

    fn fail_in_flight(&mut self, err: ErrorCode) {
        for f in std::mem::take(&mut self.in_flight) {
            fail_kind(&self.client, f.kind, err);
        }
    }

    fn shutdown(&mut self) {
        self.close_socket();
        self.fail_in_flight(ErrorCode::RD_KAFKA_RESP_ERR__DESTROY);
        for q in std::mem::take(&mut self.queued) {
            (q.handler)(Err(ErrorCode::RD_KAFKA_RESP_ERR__DESTROY));
        }
    }
}

/// `_SSL` for TLS failures (certificates, handshake, alerts), as
/// librdkafka reports them; `_TRANSPORT` for everything else.
fn failure_code(e: &std::io::Error) -> ErrorCode {
    if crate::client::connection::is_tls_failure(e) {
        ErrorCode::RD_KAFKA_RESP_ERR__SSL
    } else {
        ErrorCode::RD_KAFKA_RESP_ERR__TRANSPORT
    }
}

/// `backoff` with a random -25%..+50% jitter, capped at `max`.
fn jittered(backoff: Duration, max: Duration) -> Duration {
    let percent = 75 + (crate::partitioner::next_random() >> 32) % 76;
    (backoff * percent as u32 / 100).min(max)
}

fn fail_kind(client: &Arc<ClientInner>, kind: InFlightKind, err: ErrorCode) {
    match kind {
        InFlightKind::ApiVersions => {}
        InFlightKind::Generic(handler) => {
            handler(Err(err));
        }
        InFlightKind::Produce(batch) => producer::on_failure(client, batch, err),
    }
}
