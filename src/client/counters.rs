//! Request, byte, message and wake-up counters for the statistics: bumped
//! by the threads that do the work, read by `stats` when it builds the
//! document.

use std::sync::atomic::{AtomicU64, Ordering};

/// Client-wide counters, bumped on the broker threads.
#[derive(Default)]
pub struct Counters {
    pub tx: AtomicU64,
    pub tx_bytes: AtomicU64,
    pub rx: AtomicU64,
    pub rx_bytes: AtomicU64,
    pub txmsgs: AtomicU64,
    pub rxmsgs: AtomicU64,
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
