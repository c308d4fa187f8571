//! Client logging: level filtering, `debug` contexts, and where a line goes
//! (the application's `log_cb`, the event queue with `log.queue=true`, or
//! stderr in librdkafka's default format).

use crate::client::queue::{Op, Queue};
use parking_lot::RwLock;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

pub(crate) const LOG_ERR: i32 = 3;
pub(crate) const LOG_WARNING: i32 = 4;
pub(crate) const LOG_INFO: i32 = 6;
pub(crate) const LOG_DEBUG: i32 = 7;

/// Debug contexts (`debug` property), one bit each, librdkafka's values.
pub mod ctx {
    pub(crate) const GENERIC: u32 = 1 << 0;
    pub(crate) const BROKER: u32 = 1 << 1;
    pub(crate) const TOPIC: u32 = 1 << 2;
    pub(crate) const METADATA: u32 = 1 << 3;
    pub(crate) const FEATURE: u32 = 1 << 4;
    pub(crate) const QUEUE: u32 = 1 << 5;
    pub(crate) const MSG: u32 = 1 << 6;
    pub(crate) const PROTOCOL: u32 = 1 << 7;
    pub(crate) const CGRP: u32 = 1 << 8;
    pub(crate) const SECURITY: u32 = 1 << 9;
    pub(crate) const FETCH: u32 = 1 << 10;
    pub(crate) const INTERCEPTOR: u32 = 1 << 11;
    pub(crate) const PLUGIN: u32 = 1 << 12;
    pub(crate) const CONSUMER: u32 = 1 << 13;
    pub(crate) const ADMIN: u32 = 1 << 14;
    pub(crate) const EOS: u32 = 1 << 15;
    pub(crate) const MOCK: u32 = 1 << 16;
    pub(crate) const ASSIGNOR: u32 = 1 << 17;
    pub(crate) const CONF: u32 = 1 << 18;
    pub(crate) const ALL: u32 = u32::MAX;
}

/// The contexts by name, in librdkafka's order (the order
/// `rd_kafka_event_debug_contexts` lists them in).
const CONTEXT_NAMES: [(&str, u32); 19] = [
    ("generic", ctx::GENERIC),
    ("broker", ctx::BROKER),
    ("topic", ctx::TOPIC),
    ("metadata", ctx::METADATA),
    ("feature", ctx::FEATURE),
    ("queue", ctx::QUEUE),
    ("msg", ctx::MSG),
    ("protocol", ctx::PROTOCOL),
    ("cgrp", ctx::CGRP),
    ("security", ctx::SECURITY),
    ("fetch", ctx::FETCH),
    ("interceptor", ctx::INTERCEPTOR),
    ("plugin", ctx::PLUGIN),
    ("consumer", ctx::CONSUMER),
    ("admin", ctx::ADMIN),
    ("eos", ctx::EOS),
    ("mock", ctx::MOCK),
    ("assignor", ctx::ASSIGNOR),
    ("conf", ctx::CONF),
];

fn context_bit(name: &str) -> u32 {
    let name = name.trim();
    if name == "all" {
        return ctx::ALL;
    }
    CONTEXT_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(0, |(_, bit)| *bit)
}

/// The comma-separated names of the contexts in `contexts` ("" for none),
/// as `rd_kafka_event_debug_contexts` writes them.
pub fn context_names(contexts: u32) -> String {
    CONTEXT_NAMES
        .iter()
        .filter(|(_, bit)| contexts & bit != 0)
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(",")
}

/// Receives log lines: `(level, facility, message)`.
pub type LogSink = Arc<dyn Fn(i32, &str, &str) + Send + Sync>;

pub struct Logger {
    /// `None`: print to stderr as librdkafka's default logger does.
    /// Replaced by `rd_kafka_set_logger` on a live handle.
    sink: RwLock<Option<LogSink>>,
    /// `log_level`; changed by `rd_kafka_set_log_level`.
    level: AtomicI32,
    debug: u32,
    /// With `log.queue=true`: the client's log queue, where lines wait
    /// until `rd_kafka_set_log_queue` forwards it to a queue the
    /// application serves (librdkafka's `rk_logq`).
    queue: Option<Arc<Queue>>,
    client_name: String,
}

impl Logger {
    pub fn new(
        sink: Option<LogSink>,
        level: i32,
        debug_contexts: &[String],
        queue: bool,
        client_name: String,
    ) -> Logger {
        let debug = debug_contexts.iter().fold(0, |m, c| m | context_bit(c));
        // librdkafka raises the level to debug when debug contexts are set.
        let level = if debug != 0 { LOG_DEBUG } else { level };
        Logger {
            sink: RwLock::new(sink),
            level: AtomicI32::new(level),
            debug,
            queue: queue.then(Queue::new),
            client_name,
        }
    }

    pub fn debug_enabled(&self, context: u32) -> bool {
        self.debug & context != 0
    }

    /// `rd_kafka_set_log_level`: lines above `level` are dropped from now on.
    pub fn set_level(&self, level: i32) {
        self.level.store(level, Ordering::Relaxed);
    }

    /// `rd_kafka_set_logger`: where lines go from now on (`None`: stderr).
    pub fn set_sink(&self, sink: Option<LogSink>) {
        *self.sink.write() = sink;
    }

    /// Logs a line that belongs to no debug context (warnings, errors,
    /// notices).
    pub fn log(&self, level: i32, facility: &str, message: &str) {
        self.log_in(0, level, facility, message);
    }

    /// Logs a debug line of `context` if that context is enabled.
    pub fn debug(&self, context: u32, facility: &str, message: &str) {
        if self.debug_enabled(context) {
            self.log_in(context, LOG_DEBUG, facility, message);
        }
    }

    fn log_in(&self, contexts: u32, level: i32, facility: &str, message: &str) {
        if level > self.level.load(Ordering::Relaxed) {
            return;
        }
        if let Some(queue) = &self.queue {
            queue.push(Op::Log {
                level,
                facility: facility.to_string(),
                message: message.to_string(),
                contexts,
            });
            return;
        }
        self.emit(level, facility, message);
    }

    /// `rd_kafka_set_log_queue`: the queued lines (those waiting and those
    /// to come) go to `dest`. `None` without `log.queue=true`.
    pub fn forward_queue(&self, dest: Arc<Queue>) -> Option<()> {
        self.queue.as_ref()?.forward_to(Some(dest));
        Some(())
    }

    /// Delivers a log line to the sink (or stderr) right now.
    pub fn emit(&self, level: i32, facility: &str, message: &str) {
        // Cloned so the lock is not held while the application's callback runs.
        let sink = self.sink.read().clone();
        match sink {
            Some(sink) => sink(level, facility, message),
            None => print_to_stderr(level, facility, &self.client_name, message),
        }
    }
}

/// librdkafka's default log line on stderr (`rd_kafka_log_print`):
/// `%LEVEL|SECONDS.MILLIS|FACILITY|CLIENT-NAME| MESSAGE`.
pub fn print_to_stderr(level: i32, facility: &str, client_name: &str, message: &str) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    eprintln!(
        "%{}|{}.{:03}|{}|{}| {}",
        level,
        now.as_secs(),
        now.subsec_millis(),
        facility,
        client_name,
        message
    );
}
