//! Op queues between the library's threads and the application (librdkafka's
//! `rd_kafka_q_t`/`rd_kafka_op_t`).
//!
//! Internal threads push [`Op`]s; the application's `rd_kafka_poll()`,
//! `rd_kafka_consumer_poll()`, `rd_kafka_queue_poll()` and friends pop them
//! and run callbacks on the application's own thread. A queue can be
//! *forwarded* to another: pushes then land in the destination, which is how
//! per-partition fetch queues feed the consumer queue and how
//! `rd_kafka_poll_set_consumer()` routes the main queue into it.
//!
//! Delivery reports travel one op per produce *batch*, so a busy producer
//! takes a queue lock once per batch, not per message. Fetched records
//! travel as one [`FetchedRun`] per partition and response and become
//! `Op::Message`s one at a time as they are popped (see `client::fetched`);
//! the queue counts them as the messages they will be.

use crate::client::fetched::FetchedRun;
use crate::client::message::MsgBox;
use crate::client::topic_partition::TopicPartition;
use crate::error::ErrorCode;
use parking_lot::{Condvar, Mutex};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub enum Op {
    /// Delivery reports for produced messages that are done.
    Delivery(Vec<MsgBox>),
    /// A fetched message, or a consumer error carried as a message
    /// (`_PARTITION_EOF`, `_AUTO_OFFSET_RESET`, `_MAX_POLL_EXCEEDED`, ...).
    Message(MsgBox),
    /// A client-level error for `error_cb`.
    Error { code: ErrorCode, reason: String },
    /// A log line, queued only when `log.queue=true`; `contexts` are the
    /// debug contexts it was logged for (`log::ctx` bits, 0 for a line
    /// that is not a debug line).
    Log {
        level: i32,
        facility: String,
        message: String,
        contexts: u32,
    },
    /// A broker throttled us (`throttle_cb`).
    Throttle {
        broker_name: String,
        broker_id: i32,
        throttle_ms: i32,
    },
    /// A statistics JSON document (`stats_cb`).
    Stats(String),
    /// Partitions to assign (`_ASSIGN_PARTITIONS`) or revoke
    /// (`_REVOKE_PARTITIONS`) in the application's rebalance callback.
    Rebalance {
        kind: ErrorCode,
        partitions: Vec<TopicPartition>,
    },
    /// The result of an offset commit (`offset_commit_cb`).
    OffsetCommit {
        err: ErrorCode,
        offsets: Vec<TopicPartition>,
    },
    /// The SASL/OAUTHBEARER token needs a refresh
    /// (`oauthbearer_token_refresh_cb`, `RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH`),
    /// with `sasl.oauthbearer.config`.
    OAuthBearerTokenRefresh { config: Option<String> },
    /// The builtin OIDC refresh is due (`sasl.oauthbearer.method=oidc`):
    /// whoever serves the queue runs the token fetch
    /// (`Client::refresh_oidc_token`); never an application event, as
    /// librdkafka forces its callback.
    OidcTokenRefresh,
    /// The result of an Admin API call (`RD_KAFKA_EVENT_*_RESULT`).
    Admin(Box<crate::client::admin::result::AdminResult>),
}

/// Where a queue signals "became non-empty" (`rd_kafka_queue_io_event_enable`).
struct IoEvent {
    fd: i32,
    payload: Vec<u8>,
}

/// What `rd_kafka_queue_cb_event_enable` registers: called (outside the
/// queue's lock) when the queue goes from empty to non-empty.
pub type EventCallback = Arc<dyn Fn() + Send + Sync>;

/// Tells the application's `io_event_enable` descriptor that the queue
/// went from empty to non-empty.
fn signal_io_event(io_event: &Option<IoEvent>) {
    if let Some(io) = io_event {
        // SAFETY: writing a small buffer to a descriptor the application
        // registered; errors (a full pipe) are harmless.
        unsafe {
            libc::write(
                io.fd,
                io.payload.as_ptr() as *const libc::c_void,
                io.payload.len(),
            )
        };
    }
}

/// Control ops (rebalance, commit results, errors, delivery reports, ...)
/// are served before fetched messages already waiting, as librdkafka gives
/// them priority: an application learns about a rebalance or a commit
/// result promptly even behind a deep prefetch queue. Order within each
/// class is kept (a partition's EOF still follows its messages).
#[derive(Default)]
struct Ops {
    control: VecDeque<Op>,
    messages: VecDeque<Waiting>,
    /// Messages in `messages`, counting each run's records.
    message_count: usize,
}

/// An entry of the message class: a message, or fetched records that
/// become messages when popped.
enum Waiting {
    Message(Op),
    Fetched(FetchedRun),
}

impl Ops {
    fn push_back(&mut self, op: Op) {
        match op {
            Op::Message(_) => {
                self.messages.push_back(Waiting::Message(op));
                self.message_count += 1;
            }
            _ => self.control.push_back(op),
        }
    }

    fn push_fetched(&mut self, run: FetchedRun) {
        if !run.is_empty() {
            self.message_count += run.len();
            self.messages.push_back(Waiting::Fetched(run));
        }
    }

    /// Moves all of `other` behind what is queued, keeping each class's order.
    fn append(&mut self, mut other: Ops) {
        self.control.append(&mut other.control);
        self.messages.append(&mut other.messages);
        self.message_count += other.message_count;
    }

    fn pop_front(&mut self) -> Option<Op> {
        if let Some(op) = self.control.pop_front() {
            return Some(op);
        }
        loop {
            let op = match self.messages.pop_front()? {
                Waiting::Message(op) => op,
                Waiting::Fetched(mut run) => {
                    // Empty runs are never queued; one would just be dropped.
                    let Some(msg) = run.next_message() else {
                        continue;
                    };
                    if !run.is_empty() {
                        self.messages.push_front(Waiting::Fetched(run));
                    }
                    Op::Message(msg)
                }
            };
            self.message_count -= 1;
            return Some(op);
        }
    }

    fn is_empty(&self) -> bool {
        self.control.is_empty() && self.message_count == 0
    }

    fn len(&self) -> usize {
        self.control.len() + self.message_count
    }

    /// Every op, fetched records made messages, in the order popping
    /// would return them.
    fn take_all(&mut self) -> VecDeque<Op> {
        let mut all = VecDeque::with_capacity(self.len());
        while let Some(op) = self.pop_front() {
            all.push_back(op);
        }
        all
    }
}

#[derive(Default)]
struct QueueState {
    ops: Ops,
    forward: Option<Arc<Queue>>,
    io_event: Option<IoEvent>,
    event_cb: Option<EventCallback>,
}

#[derive(Default)]
pub struct Queue {
    state: Mutex<QueueState>,
    available: Condvar,
}

/// Forwarding chains longer than this are treated as cycles and stop.
const MAX_FORWARD_DEPTH: usize = 8;

/// How long a pop may wait for an op.
#[derive(Clone, Copy)]
enum Wait {
    No,
    Until(Instant),
    Forever,
}

impl Wait {
    /// Up to `timeout` from now; `None` is for ever.
    fn after(timeout: Option<Duration>) -> Wait {
        timeout.map_or(Wait::Forever, |t| Wait::Until(Instant::now() + t))
    }
}

impl Queue {
    pub fn new() -> Arc<Queue> {
        Arc::new(Queue::default())
    }

    pub fn push(&self, op: Op) {
        self.push_with(1, |ops| ops.push_back(op), 0)
    }

    /// Pushes several ops in order under one lock acquisition.
    pub fn push_all(&self, all: Vec<Op>) {
        self.push_with(
            all.len(),
            |ops| {
                for op in all {
                    ops.push_back(op);
                }
            },
            0,
        )
    }

    /// Queues a partition's fetched records (see [`FetchedRun`]).
    pub fn push_fetched(&self, run: FetchedRun) {
        self.push_with(run.len(), |ops| ops.push_fetched(run), 0)
    }

    /// Adds `count` messages or ops with `add`, under the lock of the queue
    /// this one forwards to, if any (at the end of the chain).
    fn push_with(&self, count: usize, add: impl FnOnce(&mut Ops), depth: usize) {
        if count == 0 {
            return;
        }
        let mut state = self.state.lock();
        if let Some(dest) = state.forward.clone() {
            if depth < MAX_FORWARD_DEPTH {
                drop(state);
                return dest.push_with(count, add, depth + 1);
            }
        }
        let was_empty = state.ops.is_empty();
        add(&mut state.ops);
        let mut event_cb = None;
        if was_empty {
            signal_io_event(&state.io_event);
            event_cb = state.event_cb.clone();
        }
        drop(state);
        if let Some(cb) = event_cb {
            cb();
        }
        if count == 1 {
            self.available.notify_one();
        } else {
            self.available.notify_all();
        }
    }

    /// Pops one op, waiting up to `timeout` (`None` waits forever). A
    /// forwarded queue pops from its destination, as librdkafka's
    /// `rd_kafka_q_pop` does; that includes a forward set while this call
    /// waits (`forward_to` wakes the waiters), so a thread blocked on a
    /// queue the application then forwards gets the ops that now arrive at
    /// the destination instead of sleeping out its timeout.
    pub fn pop(&self, timeout: Option<Duration>) -> Option<Op> {
        self.pop_following(Wait::after(timeout), 0)
    }

    /// [`Queue::pop`] that never follows a forward: only ops pushed to this
    /// queue itself (`rd_kafka_poll` after `rd_kafka_poll_set_consumer`,
    /// which librdkafka forbids: following would take the consumer's
    /// messages where nothing returns them to the application).
    pub fn pop_unforwarded(&self, timeout: Option<Duration>) -> Option<Op> {
        // A pop at the depth limit does not follow.
        self.pop_following(Wait::after(timeout), MAX_FORWARD_DEPTH)
    }

    fn pop_following(&self, wait: Wait, depth: usize) -> Option<Op> {
        let mut state = self.state.lock();
        loop {
            // Past the depth limit a chain is a cycle: pushes stop there
            // too (`push_with`), so waiting here is waiting where they land.
            if let Some(dest) = state.forward.clone() {
                if depth < MAX_FORWARD_DEPTH {
                    drop(state);
                    return dest.pop_following(wait, depth + 1);
                }
            }
            if let Some(op) = state.ops.pop_front() {
                return Some(op);
            }
            match wait {
                Wait::No => return None,
                Wait::Forever => self.available.wait(&mut state),
                Wait::Until(deadline) => {
                    if self.available.wait_until(&mut state, deadline).timed_out() {
                        return state.ops.pop_front();
                    }
                }
            }
        }
    }

    /// Pops ops until `keep` returns one (it may swallow the ops it
    /// drops, such as stale messages) or `timeout` passes (`None` waits for
    /// ever). Ops already waiting are taken without reading the clock, and
    /// a zero timeout never reads it.
    pub fn pop_kept(
        &self,
        timeout: Option<Duration>,
        mut keep: impl FnMut(Op) -> Option<Op>,
    ) -> Option<Op> {
        while let Some(op) = self.try_pop() {
            if let Some(op) = keep(op) {
                return Some(op);
            }
        }
        if timeout == Some(Duration::ZERO) {
            return None;
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            let op = self.pop(deadline.map(|d| d.saturating_duration_since(Instant::now())))?;
            if let Some(op) = keep(op) {
                return Some(op);
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return None;
            }
        }
    }

    /// Pops one op without waiting (from the forward destination, if any,
    /// as [`Queue::pop`]).
    pub fn try_pop(&self) -> Option<Op> {
        self.pop_following(Wait::No, 0)
    }

    /// Pops every op available right now without waiting.
    pub fn drain(&self) -> VecDeque<Op> {
        self.state.lock().ops.take_all()
    }

    pub fn len(&self) -> usize {
        self.state.lock().ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forwards future pushes to `dest` (or stops forwarding with `None`);
    /// ops already queued move along.
    pub fn forward_to(&self, dest: Option<Arc<Queue>>) {
        let moved = {
            let mut state = self.state.lock();
            state.forward = dest.clone();
            if dest.is_some() {
                std::mem::take(&mut state.ops)
            } else {
                Ops::default()
            }
        };
        if let Some(dest) = dest {
            dest.push_with(moved.len(), |ops| ops.append(moved), 0);
            // Threads waiting here go on waiting at the destination.
            self.available.notify_all();
        }
    }

    pub fn is_forwarded(&self) -> bool {
        self.state.lock().forward.is_some()
    }

    /// `rd_kafka_queue_io_event_enable`: write `payload` to `fd` whenever the
    /// queue goes from empty to non-empty. `fd < 0` disables.
    pub fn set_io_event(&self, fd: i32, payload: &[u8]) {
        let mut state = self.state.lock();
        state.io_event = (fd >= 0).then(|| IoEvent {
            fd,
            payload: payload.to_vec(),
        });
        if fd >= 0 && !state.ops.is_empty() {
            // SAFETY: as in push().
            unsafe { libc::write(fd, payload.as_ptr() as *const libc::c_void, payload.len()) };
        }
    }

    /// `rd_kafka_queue_cb_event_enable`: call `cb` whenever the queue goes
    /// from empty to non-empty (`None` disables).
    pub fn set_event_callback(&self, cb: Option<EventCallback>) {
        self.state.lock().event_cb = cb;
    }

    /// Wakes a thread blocked in [`Queue::pop`] (`rd_kafka_yield`).
    pub fn wake(&self) {
        self.available.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn stats_text(op: Option<Op>) -> Option<String> {
        match op {
            Some(Op::Stats(s)) => Some(s),
            _ => None,
        }
    }

    /// A pop already waiting when its queue gets forwarded continues on the
    /// destination: it returns the op pushed there, long before its own
    /// (one hour) timeout. Without that it slept the hour; the receive
    /// below only bounds the test.
    #[test]
    fn a_pop_waiting_on_a_queue_that_gets_forwarded_returns_the_forwarded_op() {
        let source = Queue::new();
        let destination = Queue::new();
        let (tx, rx) = mpsc::channel();
        let waiting = source.clone();
        let popper = std::thread::spawn(move || {
            let _ = tx.send(stats_text(waiting.pop(Some(Duration::from_secs(3600)))));
        });
        // Most likely the pop waits by now; if not, it starts on a queue
        // already forwarded, which must work as well.
        std::thread::sleep(Duration::from_millis(50));
        source.forward_to(Some(destination.clone()));
        destination.push(Op::Stats("after the forward".into()));
        let popped = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the pop did not follow the forward");
        assert_eq!(popped.as_deref(), Some("after the forward"));
        popper.join().unwrap();
        assert!(destination.is_empty());
    }

    #[test]
    fn try_pop_on_a_forwarded_queue_takes_from_the_destination() {
        let source = Queue::new();
        let destination = Queue::new();
        source.push(Op::Stats("moved along".into()));
        source.forward_to(Some(destination.clone()));
        destination.push(Op::Stats("pushed there".into()));
        assert_eq!(stats_text(source.try_pop()).as_deref(), Some("moved along"));
        assert_eq!(
            stats_text(source.try_pop()).as_deref(),
            Some("pushed there")
        );
        assert!(source.try_pop().is_none());
    }

    #[test]
    fn pop_unforwarded_leaves_the_destination_alone() {
        let source = Queue::new();
        let destination = Queue::new();
        source.forward_to(Some(destination.clone()));
        destination.push(Op::Stats("the consumer's".into()));
        assert!(source.pop_unforwarded(Some(Duration::ZERO)).is_none());
        assert_eq!(destination.len(), 1);
    }

    #[test]
    fn a_forwarding_cycle_neither_hangs_nor_loses_ops() {
        let a = Queue::new();
        let b = Queue::new();
        a.forward_to(Some(b.clone()));
        b.forward_to(Some(a.clone()));
        a.push(Op::Stats("in a cycle".into()));
        assert_eq!(
            stats_text(a.pop(Some(Duration::from_secs(10)))).as_deref(),
            Some("in a cycle")
        );
    }
}
