//! Request, byte, message and wake-up counters for the statistics: bumped
//! by the threads that do the work, read by `stats` when it builds the
//! document. Every counter is a relaxed atomic (or a field under a lock the
//! counting thread already holds), so counting adds no lock and no
//! syscall to any path.

use crate::client::window::Window;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Client-wide counters, bumped on the broker threads.
#[derive(Default)]
pub struct Counters {
    pub tx: AtomicU64,
    pub tx_bytes: AtomicU64,
    pub rx: AtomicU64,
    pub rx_bytes: AtomicU64,
    pub txmsgs: AtomicU64,
    /// Record batch bytes (framing included) of the messages in `txmsgs`.
    pub txmsg_bytes: AtomicU64,
    pub rxmsgs: AtomicU64,
    /// Record batch bytes (framing included) the messages in `rxmsgs` came in.
    pub rxmsg_bytes: AtomicU64,
    /// Per broker: times its thread came back from `poll(2)` (librdkafka's
    /// `wakeups`). Client-wide: times the main thread came back from
    /// waiting for its ops (`main_wakeups`, ours). Both show a thread that
    /// spins.
    pub wakeups: AtomicU64,
}

impl Counters {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

/// The highest Kafka API key librdkafka 2.0.2 counts per request type
/// (`DescribeUserScramCredentials`); the `req` object lists no higher one.
/// Crate-private: cbindgen would emit a public const into rdkafka.h.
pub(crate) const MAX_COUNTED_API_KEY: usize = 50;

/// A broker's statistics beyond `Counters`: written by its broker thread
/// only, read by the statistics document.
pub struct BrokerStats {
    /// `monotonic_us()` of the last state change.
    pub state_since_us: AtomicI64,
    /// Gauges the broker thread publishes once per loop pass: requests
    /// (and the messages in them) waiting to be written, and written but
    /// not yet answered.
    pub outbuf_cnt: AtomicI64,
    pub outbuf_msg_cnt: AtomicI64,
    pub waitresp_cnt: AtomicI64,
    pub waitresp_msg_cnt: AtomicI64,
    pub txerrs: AtomicU64,
    pub txretries: AtomicU64,
    pub req_timeouts: AtomicU64,
    pub rxerrs: AtomicU64,
    pub rxcorriderrs: AtomicU64,
    pub rxpartial: AtomicU64,
    pub connects: AtomicU64,
    pub disconnects: AtomicU64,
    /// `monotonic_us()` of the last request written and response read on
    /// the current connection; 0 for none yet (reset on connect).
    pub last_send_us: AtomicI64,
    pub last_recv_us: AtomicI64,
    /// Requests sent, by API key.
    pub requests: [AtomicU64; MAX_COUNTED_API_KEY + 1],
    /// Microseconds from a message's produce call to its batch being cut.
    pub int_latency: Window,
    /// Microseconds a request waited in this broker's queue before it was
    /// written to the connection.
    pub outbuf_latency: Window,
    /// Microseconds from writing a request to reading its response.
    pub rtt: Window,
    /// Milliseconds of throttling a Produce or Fetch response reported, for
    /// each throttled one (librdkafka 2.0.2 samples no zeros).
    pub throttle: Window,
}

impl Default for BrokerStats {
    fn default() -> Self {
        BrokerStats {
            state_since_us: AtomicI64::new(monotonic_us()),
            outbuf_cnt: Default::default(),
            outbuf_msg_cnt: Default::default(),
            waitresp_cnt: Default::default(),
            waitresp_msg_cnt: Default::default(),
            txerrs: Default::default(),
            txretries: Default::default(),
            req_timeouts: Default::default(),
            rxerrs: Default::default(),
            rxcorriderrs: Default::default(),
            rxpartial: Default::default(),
            connects: Default::default(),
            disconnects: Default::default(),
            last_send_us: Default::default(),
            last_recv_us: Default::default(),
            requests: std::array::from_fn(|_| AtomicU64::new(0)),
            int_latency: Default::default(),
            outbuf_latency: Default::default(),
            rtt: Default::default(),
            throttle: Default::default(),
        }
    }
}

impl BrokerStats {
    pub fn count_request(&self, api_key: i16) {
        if let Some(c) = usize::try_from(api_key)
            .ok()
            .and_then(|k| self.requests.get(k))
        {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The monotonic clock in microseconds (`CLOCK_MONOTONIC`, as librdkafka's
/// `rd_clock()`, which the statistics' `ts` shows).
pub fn monotonic_us() -> i64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to write to; CLOCK_MONOTONIC always exists.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec * 1_000_000 + ts.tv_nsec / 1000
}
