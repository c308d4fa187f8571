//! Broker throttling as the client sees it: a response's
//! `throttle_time_ms` feeds the broker's `throttle` statistics window and
//! becomes a throttle report for `throttle_cb`, with librdkafka 2.0.2's
//! rules (`rd_kafka_op_throttle_time`):
//!
//! - only throttled responses (> 0) are samples of the window;
//! - a report is queued only when the application set `throttle_cb`, for
//!   every throttled response and for the first unthrottled one after a
//!   throttled one (0: "no longer throttled"); which one is last is
//!   client-wide, as librdkafka's `rk_last_throttle`;
//! - the report goes to the main queue as `Op::Throttle`, so the callback
//!   runs in the application's poll, never on a broker thread.
//!
//! Like librdkafka 2.0.2 (and 2.16: KIP-219's client side is not
//! implemented there), the client does not hold back its next requests to
//! a throttling broker; the broker mutes the connection instead.

use super::queue::{Op, Queue};
use super::window::Window;
use std::sync::atomic::{AtomicI32, Ordering};

pub struct ThrottleReports {
    /// `throttle_cb` is set.
    wanted: bool,
    /// The last throttle time reported, any broker.
    last_ms: AtomicI32,
}

impl ThrottleReports {
    pub fn new(wanted: bool) -> ThrottleReports {
        ThrottleReports {
            wanted,
            last_ms: AtomicI32::new(0),
        }
    }

    /// A response from the broker `name` (librdkafka's node name,
    /// "host:port") with id `id` said `throttle_ms`; `window` is the
    /// broker's `throttle` statistics window.
    pub fn observed(&self, events: &Queue, name: &str, id: i32, window: &Window, throttle_ms: i32) {
        if throttle_ms > 0 {
            window.record(i64::from(throttle_ms));
        }
        if !self.wanted {
            return;
        }
        // Unthrottled after unthrottled is no news; the swap makes the
        // "last" value exact under concurrent broker threads.
        let last = self.last_ms.swap(throttle_ms.max(0), Ordering::AcqRel);
        if throttle_ms <= 0 && last == 0 {
            return;
        }
        events.push(Op::Throttle {
            broker_name: name.to_string(),
            broker_id: id,
            throttle_ms: throttle_ms.max(0),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reports(q: &Queue) -> Vec<(String, i32, i32)> {
        let mut out = Vec::new();
        while let Some(op) = q.pop(Some(std::time::Duration::ZERO)) {
            if let Op::Throttle {
                broker_name,
                broker_id,
                throttle_ms,
            } = op
            {
                out.push((broker_name, broker_id, throttle_ms));
            }
        }
        out
    }

    #[test]
    fn throttled_responses_and_the_first_unthrottled_one_are_reported() {
        let q = Queue::new();
        let w = Window::default();
        let t = ThrottleReports::new(true);
        for ms in [0, 0, 200, 150, 0, 0, 30] {
            t.observed(&q, "127.0.0.1:9092", 3, &w, ms);
        }
        let name = "127.0.0.1:9092".to_string();
        assert_eq!(
            reports(&q),
            [200, 150, 0, 30].map(|ms| (name.clone(), 3, ms)).to_vec()
        );
        let window = w.roll();
        assert_eq!(window["cnt"], 3, "{window}");
        assert_eq!(window["min"], 30, "{window}");
        assert_eq!(window["max"], 200, "{window}");
    }

    #[test]
    fn without_throttle_cb_only_the_window_counts() {
        let q = Queue::new();
        let w = Window::default();
        ThrottleReports::new(false).observed(&q, "127.0.0.1:9092", 3, &w, 100);
        assert!(reports(&q).is_empty());
        assert_eq!(w.roll()["cnt"], 1);
    }
}
