//! The core's side of librdkafka's interceptors: the points where the
//! threads tell an observer what they do. The C layer (`ffi/interceptor.rs`)
//! implements [`Interceptors`] by calling the application's chains; the
//! core only knows when and on which thread each call happens, which is
//! librdkafka's contract (rdkafka.h, "Interceptors"):
//!
//! - `on_send`: inside the produce call, once the message is built
//!   (application thread);
//! - `on_acknowledgement`: where a finished message becomes a delivery
//!   report (`ClientInner::deliver`: broker or main thread, or the produce
//!   call itself), for every message whether or not reports are wanted;
//! - `on_consume`: just before a consumed message reaches the application
//!   (`ClientInner::accept`, on its thread);
//! - `on_commit`: when a commit completes or fails (main thread);
//! - `on_request_sent` / `on_response_received`: on the broker thread;
//! - `on_thread_start` / `on_thread_exit`: first and last thing every
//!   library thread does;
//! - `on_broker_state_change`: a broker handle created, or its state changed.

use crate::client::message::Msg;
use crate::client::topic_partition::TopicPartition;
use crate::error::ErrorCode;

/// librdkafka's `rd_kafka_thread_type_t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadKind {
    Main = 0,
    Background = 1,
    Broker = 2,
}

/// One request or response seen on a broker connection.
pub struct WireEvent<'a> {
    pub broker_name: &'a str,
    pub broker_id: i32,
    pub api_key: i16,
    pub api_version: i16,
    pub correlation_id: i32,
    pub size: usize,
}

/// What the core reports to interceptors. Errors an interceptor returns are
/// the C layer's business (librdkafka logs and ignores them).
pub trait Interceptors: Send + Sync {
    fn on_send(&self, msg: &mut Msg);
    fn on_acknowledgement(&self, msg: &mut Msg);
    fn on_consume(&self, msg: &mut Msg);
    fn on_commit(&self, offsets: &[TopicPartition], err: ErrorCode);
    fn on_request_sent(&self, sockfd: i32, request: &WireEvent<'_>);
    /// `rtt_us` is -1 and `err` set when the request failed unanswered.
    fn on_response_received(&self, response: &WireEvent<'_>, rtt_us: i64, err: ErrorCode);
    fn on_thread_start(&self, kind: ThreadKind, name: &str);
    fn on_thread_exit(&self, kind: ThreadKind, name: &str);
    fn on_broker_state_change(
        &self,
        broker_id: i32,
        secproto: &str,
        host: &str,
        port: u16,
        state: &str,
    );
}

/// Live library threads of every client in the process
/// (`rd_kafka_thread_cnt`).
static LIVE_THREADS: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

pub fn live_threads() -> i32 {
    LIVE_THREADS.load(std::sync::atomic::Ordering::Acquire)
}

/// Starts a library thread called `os_name` that runs `body`: counted in
/// [`live_threads`] from before it starts (so `rd_kafka_new` returns with
/// its threads counted) until it ends, and announced to the interceptors
/// (as `kind`, `name`) first and last thing on the thread.
pub fn spawn<R: Send + 'static>(
    os_name: String,
    interceptors: Option<std::sync::Arc<dyn Interceptors>>,
    kind: ThreadKind,
    name: String,
    body: impl FnOnce() -> R + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<R>> {
    LIVE_THREADS.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    let spawned = std::thread::Builder::new().name(os_name).spawn(move || {
        if let Some(ic) = &interceptors {
            ic.on_thread_start(kind, &name);
        }
        let result = body();
        if let Some(ic) = &interceptors {
            ic.on_thread_exit(kind, &name);
        }
        LIVE_THREADS.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
        result
    });
    if spawned.is_err() {
        LIVE_THREADS.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
    spawned
}
