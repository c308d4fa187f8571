//! The application-side produce path: a produce call's validation
//! (`message.max.bytes`, partition), partitioning, the producer queue's
//! accounting (`queue.buffering.max.*`, what `rd_kafka_outq_len` counts),
//! appending to a partition queue (waking its leader when it must), and
//! handing finished messages back as delivery reports. Runs on the
//! application's thread, except `deliver`, which broker threads call.

use crate::client::message::{Msg, MsgBox, MsgStatus, NewMsg};
use crate::client::queue::Op;
use crate::client::topic::{self, Topic};
use crate::client::{headers, ClientInner, DeliveryReports};
use crate::error::ErrorCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A produce call's arguments, C pointers already validated by the caller.
pub struct ProduceArgs<'a> {
    pub topic: &'a Arc<Topic>,
    pub partition: i32,
    pub payload: *mut u8,
    pub len: usize,
    pub key: Option<&'a [u8]>,
    pub copy_payload: bool,
    pub free_payload: bool,
    pub block: bool,
    pub opaque: *mut libc::c_void,
    pub timestamp: i64,
    pub headers: Option<Box<headers::Headers>>,
}

/// A refused produce call: the error, and the headers handed back.
pub struct ProduceError {
    pub code: ErrorCode,
    pub headers: Option<Box<headers::Headers>>,
}

impl ClientInner {
    /// Hands finished messages to the application (or frees them when no
    /// delivery report is wanted).
    pub fn deliver(&self, mut msgs: Vec<MsgBox>) {
        if let Some(ic) = &self.interceptors {
            for msg in &mut msgs {
                ic.on_acknowledgement(msg);
            }
        }
        match self.delivery_reports {
            DeliveryReports::All => {}
            DeliveryReports::Off => {
                self.release_space(msgs.len(), msgs.iter().map(|m| m.size()).sum());
                return;
            }
            DeliveryReports::OnlyErrors => {
                let before = msgs.len();
                let mut freed_bytes = 0;
                msgs.retain(|m| {
                    let keep = m.err() != ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR;
                    if !keep {
                        freed_bytes += m.size();
                    }
                    keep
                });
                self.release_space(before - msgs.len(), freed_bytes);
            }
        }
        if !msgs.is_empty() {
            self.events.push(Op::Delivery(msgs));
        }
    }

    /// Reports `msgs` as failed with `err`.
    pub fn fail_msgs(&self, mut msgs: Vec<MsgBox>, err: ErrorCode, status: MsgStatus) {
        if msgs.is_empty() {
            return;
        }
        for msg in &mut msgs {
            msg.set_result(err, status);
        }
        if let Some(txn) = &self.txn {
            txn.count_failed_deliveries(msgs.len());
            // A message of the transaction failed for good: it cannot
            // commit (a purge is the abort's own doing, or the app's).
            if !matches!(
                err,
                ErrorCode::RD_KAFKA_RESP_ERR__PURGE_QUEUE
                    | ErrorCode::RD_KAFKA_RESP_ERR__PURGE_INFLIGHT
            ) {
                let first = &msgs[0];
                let topic = first.topic.as_ref().map_or("", |t| &t.name);
                txn.set_abortable_error(
                    self,
                    err,
                    &format!(
                        "Failed to produce {} message(s) to {topic} [{}]: {}",
                        msgs.len(),
                        first.rkmessage.partition,
                        err.description()
                    ),
                    false,
                );
            }
        }
        self.deliver(msgs);
    }

    /// Messages (and their bytes) produced and not yet reported.
    pub fn queued_messages(&self) -> (usize, usize) {
        (
            self.msg_cnt.load(Ordering::Acquire),
            self.msg_bytes.load(Ordering::Acquire),
        )
    }

    /// Delivery reports served (or dropped): their queue space is free.
    pub fn delivery_served(&self, msgs: &[MsgBox]) {
        self.release_space(msgs.len(), msgs.iter().map(|m| m.size()).sum());
    }

    fn release_space(&self, count: usize, bytes: usize) {
        if count == 0 {
            return;
        }
        self.msg_cnt.fetch_sub(count, Ordering::AcqRel);
        self.msg_bytes.fetch_sub(bytes, Ordering::AcqRel);
        let _guard = self.space_lock.lock();
        self.space_freed.notify_all();
    }

    /// Reserves room for one message under the queue.buffering.max limits.
    fn reserve_space(&self, size: usize, block: bool) -> Result<(), ErrorCode> {
        let max_msgs = self.settings.queue_max_messages;
        let max_bytes = self.settings.queue_max_bytes;
        loop {
            let cnt = self.msg_cnt.fetch_add(1, Ordering::AcqRel);
            let bytes = self.msg_bytes.fetch_add(size, Ordering::AcqRel);
            if cnt < max_msgs && bytes + size <= max_bytes {
                return Ok(());
            }
            self.msg_cnt.fetch_sub(1, Ordering::AcqRel);
            self.msg_bytes.fetch_sub(size, Ordering::AcqRel);
            if !block {
                return Err(ErrorCode::RD_KAFKA_RESP_ERR__QUEUE_FULL);
            }
            if self.is_terminating() {
                return Err(ErrorCode::RD_KAFKA_RESP_ERR__DESTROY);
            }
            let mut guard = self.space_lock.lock();
            // Re-checked after waking; the timeout guards against a missed notify.
            self.space_freed
                .wait_for(&mut guard, Duration::from_millis(100));
        }
    }

    /// Queues one message. On refusal the headers come back with the error,
    /// so the application keeps ownership of what it passed in.
    pub fn produce(&self, mut args: ProduceArgs<'_>) -> Result<(), ProduceError> {
        let headers = args.headers.take();
        match self.produce_inner(args, headers) {
            Ok(()) => Ok(()),
            Err((code, headers)) => Err(ProduceError { code, headers }),
        }
    }

    fn produce_inner(
        &self,
        args: ProduceArgs<'_>,
        headers: Option<Box<headers::Headers>>,
    ) -> Result<(), (ErrorCode, Option<Box<headers::Headers>>)> {
        if self.fatal.is_raised() {
            return Err((ErrorCode::RD_KAFKA_RESP_ERR__FATAL, headers));
        }
        if self.txn.as_ref().is_some_and(|txn| !txn.may_produce()) {
            return Err((ErrorCode::RD_KAFKA_RESP_ERR__STATE, headers));
        }
        let size = args.len + args.key.map_or(0, |k| k.len());
        // Headers travel in the record too: librdkafka counts their encoded
        // size against message.max.bytes (queue accounting is key + value).
        let headers_len = headers.as_deref().map_or(0, |h| {
            crate::protocol::record_batch::headers_encoded_len(
                h.iter().map(|h| (h.name(), h.value())),
            )
        });
        if size.saturating_add(headers_len) > self.settings.message_max_bytes {
            return Err((ErrorCode::RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, headers));
        }
        if args.partition < crate::abi::RD_KAFKA_PARTITION_UA {
            return Err((ErrorCode::RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, headers));
        }
        let topic = args.topic;
        let now = Instant::now();
        // Choose the partition before taking ownership of the payload, so
        // that a refused message stays the application's.
        let mut state = topic.state.read();
        // Once metadata is known this is one flag more in the state already
        // read: no extra lock or atomic on the hot path.
        let known = state.takes_messages_directly();
        let partition_cnt = state.partitions.len() as i32;
        let mut partition = args.partition;
        if known {
            if partition == crate::abi::RD_KAFKA_PARTITION_UA {
                // No lock is held while application code (a partitioner
                // callback) runs. Partitions only grow, so the count stays
                // valid.
                let choose = || {
                    topic.choose_partition_at(
                        args.key,
                        partition_cnt,
                        args.opaque,
                        self.settings.sticky_partitioning_linger,
                        now,
                    )
                };
                partition = if topic.custom_partitioner.is_some() {
                    parking_lot::RwLockReadGuard::unlocked(&mut state, choose)
                } else {
                    choose()
                };
            }
            if partition < 0 || partition >= partition_cnt {
                return Err((ErrorCode::RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, headers));
            }
        }
        if args.block {
            // Never wait for queue space holding the topic lock (the main
            // thread takes it to apply metadata). Partitions only grow, so
            // the partition chosen stays valid.
            drop(state);
            if let Err(code) = self.reserve_space(size, true) {
                return Err((code, headers));
            }
            state = topic.state.read();
        } else if let Err(code) = self.reserve_space(size, false) {
            return Err((code, headers));
        }
        let message_timeout_ms = topic.settings.message_timeout_ms;
        let mut msg = Msg::new(NewMsg {
            topic: topic.clone(),
            partition,
            key: args.key,
            payload: args.payload,
            len: args.len,
            copy_payload: args.copy_payload,
            free_payload: args.free_payload,
            opaque: args.opaque,
            timestamp: args.timestamp,
            headers,
            message_timeout_ms,
            now,
        });
        if let Some(ic) = &self.interceptors {
            // No lock is held while application code runs.
            // librdkafka calls on_send before partitioning: the message
            // shows the partition the application asked for.
            let chosen = msg.partition();
            msg.set_partition(args.partition);
            parking_lot::RwLockReadGuard::unlocked(&mut state, || ic.on_send(&mut msg));
            msg.set_partition(chosen);
        }
        if known {
            // The common case: one topic read lock for the whole call.
            match state.partitions.get(partition as usize) {
                Some(p) => self.enqueue_to(p, msg),
                None => {
                    drop(state);
                    self.enqueue(topic, partition, msg);
                }
            }
            return Ok(());
        }
        drop(state);
        // Metadata may have arrived since the check above. The main thread
        // marks the topic known (with `routing_waiting` set while messages
        // wait) under the state write lock and clears `routing_waiting`
        // under it only once `unassigned` is empty, so deciding and pushing
        // under the read lock means the message is either routed by the
        // main thread behind every message produced before it, or sees the
        // topic taking messages directly after all of them were routed; it
        // can never be left behind in `unassigned` nor overtake them.
        let state = topic.state.read();
        if state.takes_messages_directly() {
            let count = state.partitions.len() as i32;
            drop(state);
            let mut msg = msg;
            let p = topic.partition_unassigned(
                &mut msg,
                count,
                self.settings.sticky_partitioning_linger,
            );
            self.enqueue(topic, p, msg);
        } else {
            topic.stats.unassigned_msgs.fetch_add(1, Ordering::Relaxed);
            topic.unassigned.lock().push_back(msg);
        }
        Ok(())
    }

    /// Appends a message to its partition's queue and wakes the leader when
    /// the queue just became non-empty (its linger timer starts) or a batch
    /// is full.
    pub fn enqueue(&self, topic: &Topic, partition: i32, msg: MsgBox) {
        let Some(p) = topic.partition(partition) else {
            self.fail_msgs(
                vec![msg],
                ErrorCode::RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
                MsgStatus::NotPersisted,
            );
            return;
        };
        self.enqueue_to(&p, msg);
    }

    /// [`ClientInner::enqueue`] once the partition is known.
    fn enqueue_to(&self, p: &topic::Partition, msg: MsgBox) {
        let mut q = p.queue.lock();
        q.push_back(msg);
        let wake = q.msgs.len() == 1
            || q.msgs.len() == self.settings.batch_num_messages
            || (q.bytes >= self.settings.batch_size
                && q.bytes - q.msgs.back().map_or(0, |m| m.size()) < self.settings.batch_size);
        drop(q);
        self.purge_if_fatal(p);
        if wake {
            let leader = p.leader();
            if leader >= 0 {
                self.wake_broker(leader);
            }
        }
    }
}
