//! The application-facing event queue (librdkafka's "main" reply queue).
//!
//! Internal threads push [`AppEvent`]s; the application's `rd_kafka_poll()`,
//! `rd_kafka_flush()` (and later `consumer_poll`) pop them and run the
//! callbacks on the application's own thread. Delivery reports travel one
//! event per produce *batch*, not per message, so a busy producer takes this
//! lock once per batch.

use crate::client::message::Msg;
use crate::error::ErrorCode;
use parking_lot::{Condvar, Mutex};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

pub enum AppEvent {
    /// Delivery reports for messages that are done (success or failure).
    Delivery(Vec<Box<Msg>>),
    /// A client-level error for `error_cb`.
    Error { code: ErrorCode, reason: String },
    /// A log line, queued only when `log.queue=true`.
    Log {
        level: i32,
        facility: String,
        message: String,
    },
    /// A broker throttled us (`throttle_cb`).
    Throttle {
        broker_name: String,
        broker_id: i32,
        throttle_ms: i32,
    },
    /// A statistics JSON document (`stats_cb`).
    Stats(String),
}

#[derive(Default)]
pub struct EventQueue {
    events: Mutex<VecDeque<AppEvent>>,
    available: Condvar,
}

impl EventQueue {
    pub fn push(&self, event: AppEvent) {
        self.events.lock().push_back(event);
        self.available.notify_one();
    }

    /// Pops one event, waiting up to `timeout` (`None` waits forever).
    pub fn pop(&self, timeout: Option<Duration>) -> Option<AppEvent> {
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut events = self.events.lock();
        loop {
            if let Some(event) = events.pop_front() {
                return Some(event);
            }
            match deadline {
                None => self.available.wait(&mut events),
                Some(deadline) => {
                    if self.available.wait_until(&mut events, deadline).timed_out() {
                        return events.pop_front();
                    }
                }
            }
        }
    }

    /// Pops every event available right now without waiting.
    pub fn drain(&self) -> VecDeque<AppEvent> {
        std::mem::take(&mut *self.events.lock())
    }

    pub fn len(&self) -> usize {
        self.events.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Wakes a thread blocked in [`EventQueue::pop`] (e.g. `rd_kafka_yield`).
    pub fn wake(&self) {
        self.available.notify_all();
    }
}
