//! The part of a broker other threads use: [`BrokerHandle`] (its ops
//! channel, waker, state, the partitions it leads and fetches, its
//! counters) and the requests any thread may queue on it.
//!
//! Locality: shared by every thread (`Arc` in `ClientInner.brokers`); the
//! connection and everything in flight on it belong to the broker thread
//! (`broker::thread`), which only this handle's ops channel reaches.

use crate::client::consumer::ConsumerPartition;
use crate::client::counters::{BrokerStats, Counters};
use crate::client::topic::Partition;
use crate::client::waker::Waker;
use crate::error::ErrorCode;
use crate::protocol::{
    decode_response, encode_request_chunked, ApiKey, DecodeError, EncodeError, Request, Throttled,
};
use bytes::{Bytes, BytesMut};
use crossbeam_channel::{Receiver, Sender};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum BrokerState {
    Down = 0,
    Connecting = 1,
    ApiVersionQuery = 2,
    Up = 3,
    /// SASL handshake and authentication, before the broker is up.
    Authenticating = 4,
}

impl BrokerState {
    /// librdkafka's name for the state (`on_broker_state_change`, stats).
    pub fn librdkafka_name(self) -> &'static str {
        match self {
            BrokerState::Down => "DOWN",
            BrokerState::Connecting => "CONNECT",
            BrokerState::ApiVersionQuery => "APIVERSION_QUERY",
            BrokerState::Up => "UP",
            BrokerState::Authenticating => "AUTH_REQ",
        }
    }
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

/// A request that must not be sent above `max_version` although we
/// implement more: its content cannot be expressed in the newer versions
/// (a Fetch for a topic whose id we do not know cannot use the versions
/// that name topics by id).
pub struct VersionCapped<R> {
    pub request: R,
    pub max_version: i16,
}

impl<R: Request + Send> ErasedRequest for VersionCapped<R> {
    fn api_key(&self) -> ApiKey {
        R::API_KEY
    }
    fn versions(&self) -> (i16, i16) {
        (R::MIN_VERSION, R::MAX_VERSION.min(self.max_version))
    }
    fn encode_frame(
        &self,
        version: i16,
        correlation_id: i32,
        client_id: &str,
        out: &mut BytesMut,
        chunks: &mut Vec<(usize, Bytes)>,
    ) -> Result<(), EncodeError> {
        self.request
            .encode_frame(version, correlation_id, client_id, out, chunks)
    }
}

/// A raw response: the negotiated version and the whole frame.
pub struct RawResponse {
    pub version: i16,
    pub frame: Bytes,
    pub broker_id: i32,
}

/// Runs on the broker thread when the response (or a failure) arrives.
pub type ResponseHandler = Box<dyn FnOnce(Result<RawResponse, ErrorCode>) -> Handled + Send>;

/// What a [`ResponseHandler`] tells the broker thread.
pub struct Handled {
    /// Why the response could not be decoded (the request has then failed
    /// with `_BAD_MSG`), for the broker thread to log.
    pub undecodable: Option<DecodeError>,
    /// The decoded response's `throttle_time_ms`, for the broker's
    /// throttle reports (`ClientInner::throttled`).
    pub throttle_ms: Option<i32>,
}

pub struct QueuedRequest {
    pub(super) request: Box<dyn ErasedRequest>,
    pub(super) handler: ResponseHandler,
    pub(super) timeout: Duration,
    /// Fails with `_TIMED_OUT` if still not sent (e.g. broker down) by then.
    pub(super) give_up_at: Instant,
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
        let handler: ResponseHandler = Box::new(move |result| {
            let (result, undecodable) = decode_raw::<R>(result);
            let throttle_ms = result.as_ref().ok().map(Throttled::throttle_time_ms);
            on_done(result);
            Handled {
                undecodable,
                throttle_ms,
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

/// Decodes a response to an `R`. A frame that does not decode fails the
/// request with `_BAD_MSG`; the second value then says why, for the broker
/// thread to log.
pub fn decode_raw<R: Request>(
    result: Result<RawResponse, ErrorCode>,
) -> (Result<R::Response, ErrorCode>, Option<DecodeError>) {
    match result {
        Ok(raw) => match decode_response::<R>(raw.version, &raw.frame) {
            Ok((_, body)) => (Ok(body), None),
            Err(e) => (Err(ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG), Some(e)),
        },
        Err(err) => (Err(err), None),
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
    pub(super) ops: Sender<BrokerOp>,
    pub waker: Waker,
    /// Partitions this broker leads; written by the main thread only.
    pub led: Mutex<Vec<Arc<Partition>>>,
    /// Assigned partitions this broker leads (consumer); main thread writes.
    pub fetch: Mutex<Vec<Arc<ConsumerPartition>>>,
    pub(super) state: AtomicU8,
    pub(super) thread: Mutex<Option<JoinHandle<()>>>,
    /// Requests/responses and bytes for statistics.
    pub counters: Counters,
    /// The rest of its statistics (errors, gauges, request types, windows).
    pub stats: BrokerStats,
}

impl BrokerHandle {
    /// A handle for a broker thread not yet started; `ops` reaches it.
    pub(super) fn new(
        id: i32,
        host: &str,
        port: u16,
        ops: Sender<BrokerOp>,
    ) -> std::io::Result<BrokerHandle> {
        let name = if id < 0 {
            format!("{host}:{port}/bootstrap")
        } else {
            format!("{host}:{port}/{id}")
        };
        Ok(BrokerHandle {
            id,
            name,
            ops,
            waker: Waker::new()?,
            led: Mutex::new(Vec::new()),
            fetch: Mutex::new(Vec::new()),
            state: AtomicU8::new(BrokerState::Down as u8),
            thread: Mutex::new(None),
            counters: Default::default(),
            stats: Default::default(),
        })
    }

    /// `host:port`, the part of the name before the id.
    pub fn address(&self) -> &str {
        self.name
            .rsplit_once('/')
            .map_or(&self.name, |(address, _)| address)
    }

    pub fn state(&self) -> BrokerState {
        match self.state.load(Ordering::Acquire) {
            1 => BrokerState::Connecting,
            2 => BrokerState::ApiVersionQuery,
            3 => BrokerState::Up,
            4 => BrokerState::Authenticating,
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
