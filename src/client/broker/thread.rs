//! A broker's I/O thread: its loop takes ops (requests from other
//! threads), connects when there is work (`broker::lifecycle`), sends
//! queued requests, then the Fetch/ListOffsets requests of its [`Source`]
//! and the produce requests of its [`Sink`], then sleeps in `poll(2)` on
//! the socket and its wake-up pipe until the next deadline (linger,
//! request or message timeout, reconnect backoff).
//!
//! Every request written goes into one in-flight table, whoever made it
//! (the lifecycle's ApiVersions and SASL, another thread's queued request,
//! the sink, the source). Responses arrive in request order (Kafka guarantees it per
//! connection) and are matched to the oldest entry; answered or failed,
//! every entry ends in [`BrokerThread::complete`], which hands the outcome
//! to whoever made the request.
//!
//! Locality: everything in [`BrokerThread`] (its sink and source included)
//! is touched only by its thread. Other threads reach it through
//! [`BrokerHandle`] (ops channel + waker + the `led` and `fetch` partition
//! lists, which only the main thread writes).

use super::handle::{
    BrokerHandle, BrokerOp, BrokerState, ErasedRequest, QueuedRequest, RawResponse, ResponseHandler,
};
use super::sink::{ProduceInFlight, Sink, PRODUCE_MAX_VERSION, PRODUCE_MIN_VERSION};
use super::source::{Source, SourceInFlight};
use crate::client::connection::Connection;
use crate::client::counters::{monotonic_us, Counters};
use crate::client::interceptors::{ThreadKind, WireEvent};
use crate::client::log::{ctx, LOG_ERR, LOG_WARNING};
use crate::client::repeated_errors::{with_suppressed_note, RepeatedErrors, Verdict};
use crate::client::sasl::Authentication;
use crate::client::waker::poll_fds;
use crate::client::ClientInner;
use crate::error::ErrorCode;
use crate::protocol::{ApiKey, DecodeError};
use bytes::Bytes;
use crossbeam_channel::{unbounded, Receiver};
use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The longest a broker thread sleeps without re-checking its state.
const MAX_IDLE_WAIT: Duration = Duration::from_millis(1000);

/// Starts the I/O thread of broker `id` at `host:port`; the handle is how
/// every other thread reaches it.
pub fn spawn(
    client: &Arc<ClientInner>,
    id: i32,
    host: &str,
    port: u16,
) -> std::io::Result<Arc<BrokerHandle>> {
    let (tx, rx) = unbounded();
    let handle = Arc::new(BrokerHandle::new(id, host, port, tx)?);
    if let Some(ic) = &client.interceptors {
        announce_broker_state(client, ic.as_ref(), &handle, host, port, "INIT");
    }
    let thread = BrokerThread::new(client.clone(), handle.clone(), rx, host, port);
    let join = crate::client::interceptors::spawn(
        format!("rdk:broker{id}"),
        client.interceptors.clone(),
        ThreadKind::Broker,
        handle.name.clone(),
        move || thread.run(),
    )?;
    *handle.thread.lock() = Some(join);
    Ok(handle)
}

/// `on_broker_state_change` for `handle`, with librdkafka's arguments.
fn announce_broker_state(
    client: &ClientInner,
    ic: &dyn crate::client::interceptors::Interceptors,
    handle: &BrokerHandle,
    host: &str,
    port: u16,
    state: &str,
) {
    let secproto = client
        .config
        .string("security.protocol")
        .unwrap_or("plaintext")
        .to_ascii_lowercase();
    ic.on_broker_state_change(handle.id, &secproto, host, port, state);
}

/// Who completes a request in flight.
pub(super) enum InFlightKind {
    /// The lifecycle's version negotiation.
    ApiVersions,
    /// SaslHandshake/SaslAuthenticate: the answer goes to `auth`.
    Sasl,
    /// A request queued by another thread (`BrokerHandle::queue_request`).
    Generic(ResponseHandler),
    Produce(ProduceInFlight),
    Fetch(SourceInFlight),
}

pub(super) struct InFlight {
    correlation_id: i32,
    api_key: ApiKey,
    version: i16,
    deadline: Instant,
    /// When it was written (the round-trip time `on_response_received` gets).
    sent_at: Instant,
    kind: InFlightKind,
}

impl InFlight {
    fn produce_msgs(&self) -> usize {
        match &self.kind {
            InFlightKind::Produce(p) => p.message_count(),
            _ => 0,
        }
    }
}

/// The requests written (or being written) to the connection, in send
/// order, and how many produce messages they hold. The count is kept as
/// requests come and go because the statistics gauges need it on every
/// turn of the broker thread's loop: summing it there cost time in
/// proportion to the requests in flight, which against a slow broker at
/// `linger.ms=0` are thousands of one-message requests, so the thread
/// spent most of its CPU re-counting them. Reading goes through `Deref`;
/// every change goes through the methods below, which keep the count.
#[derive(Default)]
pub(super) struct InFlightQueue {
    requests: VecDeque<InFlight>,
    produce_msgs: usize,
}

impl std::ops::Deref for InFlightQueue {
    type Target = VecDeque<InFlight>;
    fn deref(&self) -> &Self::Target {
        &self.requests
    }
}

impl InFlightQueue {
    /// Produce messages in all requests in flight.
    pub(super) fn produce_msgs(&self) -> usize {
        self.produce_msgs
    }

    fn push_back(&mut self, f: InFlight) {
        self.produce_msgs += f.produce_msgs();
        self.requests.push_back(f);
    }

    fn pop_front(&mut self) -> Option<InFlight> {
        let f = self.requests.pop_front()?;
        self.produce_msgs -= f.produce_msgs();
        Some(f)
    }

    fn pop_back(&mut self) -> Option<InFlight> {
        let f = self.requests.pop_back()?;
        self.produce_msgs -= f.produce_msgs();
        Some(f)
    }

    fn take_all(&mut self) -> VecDeque<InFlight> {
        self.produce_msgs = 0;
        std::mem::take(&mut self.requests)
    }

    /// Lets `change` alter each produce request in flight (a purge takes
    /// its messages), recounting afterwards.
    fn for_each_produce(&mut self, mut change: impl FnMut(&mut ProduceInFlight)) {
        for f in self.requests.iter_mut() {
            if let InFlightKind::Produce(batch) = &mut f.kind {
                self.produce_msgs -= batch.message_count();
                change(batch);
                self.produce_msgs += batch.message_count();
            }
        }
    }
}

pub(super) struct BrokerThread {
    pub(super) client: Arc<ClientInner>,
    pub(super) handle: Arc<BrokerHandle>,
    pub(super) ops: Receiver<BrokerOp>,
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) conn: Option<Connection>,
    pub(super) connect_deadline: Instant,
    /// Highest version the broker supports per API key (index = key).
    pub(super) api_max: Vec<i16>,
    pub(super) api_min: Vec<i16>,
    pub(super) queued: VecDeque<QueuedRequest>,
    pub(super) in_flight: InFlightQueue,
    pub(super) next_correlation_id: i32,
    pub(super) reconnect_at: Instant,
    /// The next reconnect's backoff before jitter: `reconnect.backoff.ms`
    /// doubling up to `reconnect.backoff.max.ms`.
    pub(super) reconnect_backoff: Duration,
    /// When the last connection attempt started: the backoff starts over
    /// only after a connection outlived `reconnect.backoff.max.ms`.
    pub(super) connect_started: Instant,
    /// Set by a connection failure, cleared once up again: the first
    /// failure tells the main thread the broker is down.
    pub(super) down_since_up: bool,
    /// Connection failures, for suppressing identical ones (see
    /// `repeated_errors`); kept across reconnects, as librdkafka does, so
    /// a broker that fails every connection the same way is reported once.
    pub(super) connection_errors: RepeatedErrors,
    /// Responses that failed to decode, likewise.
    pub(super) protocol_errors: RepeatedErrors,
    /// The SASL exchange in progress (authentication, or re-authentication
    /// while up: no new requests go out until it is done).
    pub(super) auth: Option<Authentication>,
    /// When to re-authenticate, if the broker limited the session (KIP-368).
    pub(super) reauth_at: Option<Instant>,
    /// This broker's produce path.
    pub(super) sink: Sink,
    /// This broker's fetch path.
    pub(super) source: Source,
    /// When the request `send_queued` is writing was queued: its wait is
    /// the `outbuf_latency` sample `write_request` records (requests the
    /// thread makes itself are written as they are made, waiting 0).
    queued_since: Option<Instant>,
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
        let sink = Sink::new(client.clone(), handle.clone());
        let source = Source::new(client.clone(), handle.clone());
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
            in_flight: InFlightQueue::default(),
            next_correlation_id: 1,
            reconnect_at: Instant::now(),
            reconnect_backoff: backoff,
            connect_started: Instant::now(),
            down_since_up: false,
            connection_errors: RepeatedErrors::default(),
            protocol_errors: RepeatedErrors::default(),
            auth: None,
            reauth_at: None,
            sink,
            source,
            queued_since: None,
        }
    }

    pub(super) fn set_state(&self, state: BrokerState) {
        let old = self.handle.state.swap(state as u8, Ordering::AcqRel);
        if old != state as u8 {
            let stats = &self.handle.stats;
            stats
                .state_since_us
                .store(monotonic_us(), Ordering::Relaxed);
            if state == BrokerState::Connecting {
                // librdkafka passes through TRY_CONNECT on its way to CONNECT.
                self.announce_state("TRY_CONNECT");
            }
            self.announce_state(state.librdkafka_name());
        }
    }

    /// Tells the interceptors (`on_broker_state_change`).
    pub(super) fn announce_state(&self, state: &str) {
        if let Some(ic) = &self.client.interceptors {
            announce_broker_state(
                &self.client,
                ic.as_ref(),
                &self.handle,
                &self.host,
                self.port,
                state,
            );
        }
    }

    pub(super) fn state(&self) -> BrokerState {
        self.handle.state()
    }

    pub(super) fn debug(&self, msg: &str) {
        if self.client.logger.debug_enabled(ctx::BROKER) {
            self.client.log_debug(
                ctx::BROKER,
                "BROKER",
                &format!("{}: {msg}", self.handle.name),
            );
        }
    }

    fn run(mut self) {
        while !self.client.is_terminating() {
            self.take_ops();
            let now = Instant::now();
            self.expire_queued(now);
            let sasl_ready = self.client.sasl.as_ref().map_or(true, |s| s.ready());
            if self.state() == BrokerState::Down
                && now >= self.reconnect_at
                && self.has_work()
                && sasl_ready
            {
                self.connect(now);
            }
            if self.state() == BrokerState::Up && self.reauth_at.is_some_and(|at| now >= at) {
                self.start_authentication();
            }
            if self.state() == BrokerState::Up && self.auth.is_none() {
                // Written first: room in the socket lets more produce
                // requests be built below (backpressure threshold).
                self.flush_connection();
                self.send_queued();
                self.send_fetches(now);
                self.send_produce_batches(now);
            }
            self.flush_connection();
            self.expire_in_flight(Instant::now());
            self.sink.expire_messages(Instant::now());
            self.publish_gauges();
            let timeout = self.next_wakeup(Instant::now());
            self.wait(timeout);
        }
        self.shutdown();
    }

    fn flush_connection(&mut self) {
        if let Some(conn) = self.conn.as_mut() {
            if let Err(e) = conn.flush() {
                Counters::add(&self.handle.stats.txerrs, 1);
                self.disconnect(failure_code(&e), &format!("send failed: {e}"));
            }
        }
    }

    fn has_work(&self) -> bool {
        !self.queued.is_empty() || self.source.has_partitions() || self.sink.has_messages()
    }

    fn take_ops(&mut self) {
        while let Ok(op) = self.ops.try_recv() {
            match op {
                BrokerOp::Request(q) => self.queued.push_back(q),
                BrokerOp::PurgeInFlight(done) => {
                    // The request slots stay: their late responses are matched and ignored.
                    let sink = &mut self.sink;
                    self.in_flight.for_each_produce(|batch| sink.purge(batch));
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

    /// Writes `request` and enters it in the in-flight table; returns
    /// whether it was written (if not, it has been completed as failed).
    pub(super) fn write_request(
        &mut self,
        request: &dyn ErasedRequest,
        version: i16,
        timeout: Duration,
        kind: InFlightKind,
    ) -> bool {
        let correlation_id = self.next_correlation_id;
        self.next_correlation_id = self.next_correlation_id.wrapping_add(1).max(1);
        let api_key = request.api_key();
        let Some(conn) = self.conn.as_mut() else {
            self.fail(
                api_key,
                version,
                kind,
                ErrorCode::RD_KAFKA_RESP_ERR__TRANSPORT,
            );
            return false;
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
            self.fail(
                api_key,
                version,
                kind,
                ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG,
            );
            return false;
        }
        let bytes = (conn.write_buffer().len() - before
            + chunks.iter().map(|(_, b)| b.len()).sum::<usize>()) as u64;
        if !chunks.is_empty() {
            conn.insert_chunks(chunks);
        }
        conn.end_request(bytes as usize);
        let sockfd = conn.fd();
        for c in [&self.client.counters, &self.handle.counters] {
            Counters::add(&c.tx, 1);
            Counters::add(&c.tx_bytes, bytes);
        }
        let stats = &self.handle.stats;
        stats.count_request(api_key as i16);
        stats.last_send_us.store(monotonic_us(), Ordering::Relaxed);
        let waited = self
            .queued_since
            .take()
            .map_or(0, |at| at.elapsed().as_micros());
        stats.outbuf_latency.record(waited as i64);
        self.in_flight.push_back(InFlight {
            correlation_id,
            api_key,
            version,
            deadline: Instant::now() + timeout,
            sent_at: Instant::now(),
            kind,
        });
        if let Some(ic) = &self.client.interceptors {
            ic.on_request_sent(
                sockfd,
                &WireEvent {
                    broker_name: &self.handle.name,
                    broker_id: self.handle.id,
                    api_key: api_key as i16,
                    api_version: version,
                    correlation_id,
                    size: bytes as usize,
                },
            );
        }
        true
    }

    /// Writes `request` at the highest version both sides support; without
    /// one, it fails with `_UNSUPPORTED_FEATURE`.
    fn start_request(
        &mut self,
        request: &dyn ErasedRequest,
        timeout: Duration,
        kind: InFlightKind,
    ) {
        let api_key = request.api_key();
        match self.pick_version(api_key, request.versions()) {
            Some(version) => {
                self.write_request(request, version, timeout, kind);
            }
            None => self.fail(
                api_key,
                -1,
                kind,
                ErrorCode::RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE,
            ),
        }
    }

    fn send_queued(&mut self) {
        while self.in_flight.len() < self.client.settings.max_in_flight {
            let Some(q) = self.queued.pop_front() else {
                break;
            };
            // `give_up_at` is the queueing time plus the timeout.
            self.queued_since = q.give_up_at.checked_sub(q.timeout);
            self.start_request(&*q.request, q.timeout, InFlightKind::Generic(q.handler));
        }
    }

    /// The source's ListOffsets and Fetch requests, within the limit of
    /// requests in flight.
    fn send_fetches(&mut self, now: Instant) {
        let room = self.fetch_room();
        for send in self.source.requests(now, room) {
            self.start_request(
                &*send.request,
                send.timeout,
                InFlightKind::Fetch(send.in_flight),
            );
        }
    }

    fn fetch_room(&self) -> usize {
        self.client
            .settings
            .max_in_flight
            .saturating_sub(self.in_flight.len())
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
        let Some(version) =
            self.pick_version(ApiKey::Produce, (PRODUCE_MIN_VERSION, PRODUCE_MAX_VERSION))
        else {
            return;
        };
        for send in self.sink.requests(now, room) {
            let written = self.write_request(
                &send.request,
                version,
                send.timeout,
                InFlightKind::Produce(send.in_flight),
            );
            if written && !send.needs_ack {
                // No response will come: the batch is done once written.
                if let Some(InFlight {
                    kind: InFlightKind::Produce(in_flight),
                    ..
                }) = self.in_flight.pop_back()
                {
                    self.sink.written_without_ack(in_flight);
                }
            }
        }
    }

    fn expire_queued(&mut self, now: Instant) {
        while self.queued.front().is_some_and(|q| q.give_up_at <= now) {
            if let Some(q) = self.queued.pop_front() {
                Counters::add(&self.handle.stats.req_timeouts, 1);
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
            Counters::add(&self.handle.stats.req_timeouts, timed_out as u64);
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
        // socket.connection.setup.timeout.ms covers SASL too, as in librdkafka.
        let setting_up = matches!(
            self.state(),
            BrokerState::Connecting | BrokerState::Authenticating
        );
        if setting_up && now >= self.connect_deadline {
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
            BrokerState::Connecting | BrokerState::Authenticating => {
                next = next.min(self.connect_deadline)
            }
            _ if self.conn.as_ref().is_some_and(|c| c.tls_handshaking()) => {
                next = next.min(self.connect_deadline)
            }
            BrokerState::Up => {
                if let Some(at) = self.reauth_at {
                    next = next.min(at);
                }
                // With no room for more requests, only a response (or
                // room in the socket) can help.
                if self.produce_room() > 0 {
                    if let Some(t) = self.sink.next_deadline(now) {
                        next = next.min(t);
                    }
                }
                if self.fetch_room() > 0 {
                    if let Some(t) = self.source.next_deadline(now) {
                        next = next.min(t);
                    }
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
                Err(e) => {
                    Counters::add(&self.handle.stats.rxerrs, 1);
                    return self.protocol_error(&format!("invalid response frame: {e}"));
                }
            }
        }
        if let Err(e) = fill_result {
            Counters::add(&self.handle.stats.rxerrs, 1);
            self.disconnect(failure_code(&e), &format!("receive failed: {e}"));
        }
    }

    fn dispatch(&mut self, frame: Bytes) {
        for c in [&self.client.counters, &self.handle.counters] {
            Counters::add(&c.rx, 1);
            Counters::add(&c.rx_bytes, frame.len() as u64 + 4);
        }
        let stats = &self.handle.stats;
        stats.last_recv_us.store(monotonic_us(), Ordering::Relaxed);
        let Ok(correlation_id) = crate::protocol::peek_correlation_id(&frame) else {
            return self.protocol_error("truncated response header");
        };
        match self.in_flight.front() {
            Some(f) if f.correlation_id == correlation_id => {}
            _ => {
                Counters::add(&self.handle.stats.rxcorriderrs, 1);
                return self.protocol_error(&format!(
                    "response with unexpected correlation id {correlation_id}"
                ));
            }
        }
        let Some(f) = self.in_flight.pop_front() else {
            return;
        };
        let rtt_us = f.sent_at.elapsed().as_micros() as i64;
        self.handle.stats.rtt.record(rtt_us);
        self.response_seen(
            &f,
            frame.len() + 4,
            rtt_us,
            ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
        );
        self.complete(f.api_key, f.version, f.kind, Ok(frame));
    }

    /// Publishes the queue gauges of the statistics: requests (and the
    /// produce messages in them) not yet written to the socket, and
    /// written but unanswered. A request enters `in_flight` when encoded
    /// into the connection's buffer, so the last `unsent` entries are
    /// still waiting to be written.
    fn publish_gauges(&self) {
        let unsent = self
            .conn
            .as_ref()
            .map_or(0, |c| c.unsent_requests())
            .min(self.in_flight.len());
        let written = self.in_flight.len() - unsent;
        // Only the unsent tail is walked: it is bounded by the
        // backpressure threshold, the whole queue is not.
        let unsent_msgs: usize = self
            .in_flight
            .iter()
            .rev()
            .take(unsent)
            .map(InFlight::produce_msgs)
            .sum();
        let written_msgs = self.in_flight.produce_msgs() - unsent_msgs;
        let stats = &self.handle.stats;
        let set = |gauge: &std::sync::atomic::AtomicI64, v: usize| {
            gauge.store(v as i64, Ordering::Relaxed)
        };
        set(&stats.outbuf_cnt, self.queued.len() + unsent);
        set(&stats.outbuf_msg_cnt, unsent_msgs);
        set(&stats.waitresp_cnt, written);
        set(&stats.waitresp_msg_cnt, written_msgs);
    }

    /// `on_response_received` for a request answered, or failed (`err`)
    /// with no answer.
    fn response_seen(&self, f: &InFlight, size: usize, rtt_us: i64, err: ErrorCode) {
        if let Some(ic) = &self.client.interceptors {
            let response = WireEvent {
                broker_name: &self.handle.name,
                broker_id: self.handle.id,
                api_key: f.api_key as i16,
                api_version: f.version,
                correlation_id: f.correlation_id,
                size,
            };
            ic.on_response_received(&response, rtt_us, err);
        }
    }

    /// Where every request in flight ends, answered (`Ok`, the response
    /// frame) or failed: the outcome goes to whoever made the request. A
    /// response that does not decode fails its request alone; the frame
    /// was complete and answered the oldest request, so the stream is
    /// still in step and the connection stays.
    fn complete(
        &mut self,
        api_key: ApiKey,
        version: i16,
        kind: InFlightKind,
        result: Result<Bytes, ErrorCode>,
    ) {
        let result = result.map(|frame| RawResponse {
            version,
            frame,
            broker_id: self.handle.id,
        });
        let undecodable = match kind {
            InFlightKind::ApiVersions => {
                // Failed: the connection is going down anyway.
                if let Ok(raw) = result {
                    self.on_api_versions(raw.version, raw.frame);
                }
                None
            }
            InFlightKind::Sasl => {
                // Failed: the connection is going down anyway.
                if let Ok(raw) = result {
                    self.on_sasl_response(api_key, raw.version, raw.frame);
                }
                None
            }
            InFlightKind::Generic(handler) => {
                let handled = handler(result);
                if let Some(ms) = handled.throttle_ms {
                    self.client.throttled(&self.handle, ms);
                }
                handled.undecodable
            }
            InFlightKind::Produce(batch) => self.sink.complete(batch, result),
            InFlightKind::Fetch(request) => self.source.complete(request, result),
        };
        if let Some(e) = undecodable {
            self.response_undecodable(api_key, version, &e);
        }
    }

    fn fail(&mut self, api_key: ApiKey, version: i16, kind: InFlightKind, err: ErrorCode) {
        self.complete(api_key, version, kind, Err(err));
    }

    /// Logs, at error level with facility PROTOERR as librdkafka does, a
    /// response that failed to decode, and why (its request has failed with
    /// `_BAD_MSG`). Identical repeats are suppressed: a broker that garbles
    /// every Metadata response would otherwise log at each refresh.
    pub(super) fn response_undecodable(&mut self, api_key: ApiKey, version: i16, e: &DecodeError) {
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
                    self.client.log_debug(ctx::PROTOCOL, "PROTOERR", &line);
                }
            }
            Verdict::Report { suppressed } => {
                let line = with_suppressed_note(&format!("{name}: {reason}"), suppressed);
                self.client.log(LOG_ERR, "PROTOERR", &line);
            }
        }
    }

    pub(super) fn fail_in_flight(&mut self, err: ErrorCode) {
        for f in self.in_flight.take_all() {
            self.response_seen(&f, 0, -1, err);
            self.fail(f.api_key, f.version, f.kind, err);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::broker::sink::PartitionBatch;
    use crate::client::idempotence::ProducerId;
    use crate::client::message::{Msg, NewMsg};
    use crate::client::topic::{Partition, Topic};

    fn produce_request(topic: &Arc<Topic>, partition: &Arc<Partition>, msgs: usize) -> InFlight {
        let msgs = (0..msgs)
            .map(|_| {
                Msg::new(NewMsg {
                    topic: topic.clone(),
                    partition: partition.id,
                    key: None,
                    payload: std::ptr::null_mut(),
                    len: 0,
                    copy_payload: false,
                    free_payload: false,
                    opaque: std::ptr::null_mut(),
                    timestamp: 0,
                    headers: None,
                    message_timeout_ms: 0,
                    now: Instant::now(),
                })
            })
            .collect();
        let batch = PartitionBatch {
            partition: partition.clone(),
            msgs,
            base_sequence: -1,
            bytes: 0,
            encoded_bytes: 0,
        };
        in_flight(InFlightKind::Produce(ProduceInFlight {
            batches: vec![batch],
            broker_id: 1,
            producer_id: ProducerId::NONE,
        }))
    }

    fn in_flight(kind: InFlightKind) -> InFlight {
        InFlight {
            correlation_id: 0,
            api_key: ApiKey::Produce,
            version: 9,
            deadline: Instant::now(),
            sent_at: Instant::now(),
            kind,
        }
    }

    fn recount(q: &InFlightQueue) -> usize {
        q.iter().map(InFlight::produce_msgs).sum()
    }

    #[test]
    fn the_in_flight_message_count_follows_every_change() {
        let topic = crate::ffi::handle::tests::test_topic("t", 0);
        let partition = Arc::new(Partition::new(&topic, 0, 1));
        let mut q = InFlightQueue::default();
        let check = |q: &InFlightQueue, expected: usize| {
            assert_eq!(q.produce_msgs(), expected);
            assert_eq!(q.produce_msgs(), recount(q));
        };
        q.push_back(produce_request(&topic, &partition, 3));
        q.push_back(in_flight(InFlightKind::ApiVersions));
        q.push_back(produce_request(&topic, &partition, 5));
        q.push_back(produce_request(&topic, &partition, 7));
        check(&q, 15);
        assert_eq!(q.pop_front().map(|f| f.produce_msgs()), Some(3));
        check(&q, 12);
        assert_eq!(q.pop_back().map(|f| f.produce_msgs()), Some(7));
        check(&q, 5);
        q.push_back(produce_request(&topic, &partition, 2));
        // A purge takes the messages of every produce request in flight;
        // the requests themselves stay until their responses come.
        q.for_each_produce(|p| p.batches.clear());
        check(&q, 0);
        assert_eq!(q.len(), 3);
        q.push_back(produce_request(&topic, &partition, 4));
        check(&q, 4);
        assert_eq!(q.take_all().len(), 4);
        check(&q, 0);
        assert!(q.pop_front().is_none() && q.pop_back().is_none());
        check(&q, 0);
    }
}
