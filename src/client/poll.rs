//! Where the application's threads wait: the one loop behind
//! `rd_kafka_consumer_poll`, `rd_kafka_consume_queue`, `rd_kafka_queue_poll`
//! and their batch forms, and `rd_kafka_consumer_close`'s wait.
//!
//! Serving an op means running the application's callbacks, which the C
//! layer does; it passes that in as `serve`, so the waiting, deadlines and
//! consumer bookkeeping live here once.

use crate::client::message::MsgBox;
use crate::client::queue::{Op, Queue};
use crate::client::Client;
use crate::error::rd_kafka_resp_err_t::*;
use crate::error::ErrorCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long `rd_kafka_consumer_close` waits for the group to let go
/// (commit, revoke, leave) before it gives up on a coordinator that is gone.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(15);

impl Client {
    /// Pops the next op from `queue` for the application. On a consumer
    /// this is a poll (for `max.poll.interval.ms`), and messages pass the
    /// position bookkeeping, which drops stale ones (after a seek or an
    /// unassign).
    pub fn pop_for_application(&self, queue: &Queue, timeout: Option<Duration>) -> Option<Op> {
        match self.inner.consumer.as_ref() {
            Some(consumer) => {
                consumer.mark_polled();
                queue.pop_kept(timeout, |op| self.accept(op))
            }
            None => queue.pop_kept(timeout, Some),
        }
    }

    /// Takes ops off `queue` until `serve` (which runs the callbacks of
    /// everything else) turns one into a message for the application, or
    /// `timeout` passes. Ops already waiting are served without reading the
    /// clock.
    pub fn next_message(
        &self,
        queue: &Queue,
        timeout: Option<Duration>,
        mut serve: impl FnMut(Op) -> Option<MsgBox>,
    ) -> Option<MsgBox> {
        while let Some(op) = self.pop_for_application(queue, Some(Duration::ZERO)) {
            if let Some(msg) = serve(op) {
                return Some(msg);
            }
        }
        if timeout == Some(Duration::ZERO) {
            return None;
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            let op = self.pop_for_application(queue, remaining)?;
            if let Some(msg) = serve(op) {
                return Some(msg);
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return None;
            }
        }
    }

    /// `rd_kafka_consumer_close`: commits (with auto-commit), revokes the
    /// assignment through `serve` (the rebalance callback), leaves the
    /// group, and returns once that is done or after [`CLOSE_TIMEOUT`] when
    /// the coordinator is gone. Messages arriving meanwhile are dropped, as
    /// in librdkafka, without becoming the position or a stored offset.
    /// Closing twice is `_DESTROY`, as in librdkafka.
    pub fn close_consumer(&self, mut serve: impl FnMut(Op)) -> Result<(), ErrorCode> {
        let consumer = self.consumer_inner()?;
        if self.consumer_closed() {
            return Err(RD_KAFKA_RESP_ERR__DESTROY);
        }
        if consumer.settings.group_id.is_some() {
            let revoke_to = consumer.queue.clone();
            self.inner
                .call_main(move |m| m.group_mut().map(|g| g.close(Some(revoke_to))));
        } else {
            self.assign(None)?;
            consumer.closed.store(true, Ordering::Release);
        }
        let deadline = Instant::now() + CLOSE_TIMEOUT;
        while !self.consumer_closed() && Instant::now() < deadline {
            let op = consumer
                .queue
                .pop_kept(Some(Duration::from_millis(100)), |op| {
                    consumer.discard_message(op)
                });
            if let Some(op) = op {
                serve(op);
            }
        }
        // Whatever is left is never returned now. One op at a time: a
        // drain would turn every record of a queued fetch into a message
        // at once (a 100 MB fetch of small records held twice over).
        while let Some(op) = consumer.queue.try_pop() {
            let _ = consumer.discard_message(op);
        }
        consumer.closed.store(true, Ordering::Release);
        Ok(())
    }

    /// `rd_kafka_consumer_close_queue`: starts the close and returns; the
    /// revoke is pushed to `revoke_to` when the application handles
    /// rebalances (`app_revokes`), else done by the group. The application
    /// serves its queue until [`Client::consumer_closed`]. Messages still
    /// queued are freed with the handle. `__UNKNOWN_GROUP` without a
    /// `group.id`, `_DESTROY` once closed.
    pub fn close_consumer_async(
        &self,
        revoke_to: Arc<Queue>,
        app_revokes: bool,
    ) -> Result<(), ErrorCode> {
        let consumer = self
            .consumer_inner()
            .map_err(|_| RD_KAFKA_RESP_ERR__UNKNOWN_GROUP)?;
        if consumer.settings.group_id.is_none() {
            return Err(RD_KAFKA_RESP_ERR__UNKNOWN_GROUP);
        }
        if self.consumer_closed() {
            return Err(RD_KAFKA_RESP_ERR__DESTROY);
        }
        let revoke_to = app_revokes.then_some(revoke_to);
        self.inner
            .call_main(move |m| m.group_mut().map(|g| g.close(revoke_to)));
        Ok(())
    }

    /// The consumer queue's next message for `rd_kafka_consumer_poll`.
    pub fn consumer_poll(
        &self,
        timeout: Option<Duration>,
        serve: impl FnMut(Op) -> Option<MsgBox>,
    ) -> Option<MsgBox> {
        let consumer = self.inner.consumer.as_ref()?;
        self.next_message(&consumer.queue, timeout, serve)
    }
}
