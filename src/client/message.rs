//! The producer's message object: one heap allocation per message that lives
//! from `produce()` until its delivery report has been served.
//!
//! `rd_kafka_message_t` is the first field of the `#[repr(C)]` [`Msg`], so
//! the pointer handed to the application's delivery-report callback is the
//! message itself: no second object is built per report.
//!
//! A [`MsgBox`] owns the message. Like librdkafka's `rd_kafka_msg_new0`, the
//! key and an `F_COPY` payload live in the same heap block, right after the
//! `Msg`: one `malloc` and one `free` per message.

use crate::abi::{rd_kafka_message_t, rd_kafka_topic_t, RD_KAFKA_OFFSET_INVALID};
use crate::client::headers::Headers;
use crate::client::message_pool;
use crate::client::topic::Topic;
use crate::error::ErrorCode;
use std::alloc::Layout;
use std::ptr::{self, NonNull};
use std::sync::Arc;
use std::time::Instant;

/// `rd_kafka_msg_status_t`: how sure we are that the broker stored the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum MsgStatus {
    NotPersisted = 0,
    PossiblyPersisted = 1,
    Persisted = 2,
}

/// `rd_kafka_timestamp_type_t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum TimestampType {
    NotAvailable = 0,
    CreateTime = 1,
    LogAppendTime = 2,
}

/// Who frees the payload bytes the C message points at.
pub enum PayloadOwner {
    /// The application keeps ownership (neither `F_COPY` nor `F_FREE`).
    Application,
    /// `RD_KAFKA_MSG_F_FREE`: we `free()` it when the message is destroyed.
    LibcFree,
    /// Copied into the message's own heap block (`F_COPY`, and always for keys).
    Storage,
}

/// Field order matters: what a produced message's life touches after the
/// application thread built it (batch encoding and acknowledgement on the
/// broker thread, the delivery report back on the application thread)
/// fits the first two cache lines with `rkmessage`; what only enqueueing,
/// freeing, fetched messages or errors use comes after.
#[repr(C)]
pub struct Msg {
    /// Must stay the first field: `*mut Msg` is handed out as `*mut rd_kafka_message_t`.
    pub rkmessage: rd_kafka_message_t,
    pub status: MsgStatus,
    /// Broker that acknowledged the message, -1 until then.
    pub broker_id: i32,
    /// Microseconds from enqueue to acknowledgement, for `rd_kafka_message_latency`.
    pub latency_us: i64,
    /// Enqueue time; `message.timeout.ms` counts from here.
    pub enqueued_at: Instant,
    pub timestamp: i64,
    pub timestamp_type: TimestampType,
    /// Built by `Msg::new` (a produce call): the fetched-message fields
    /// below stay `None`, so freeing it need not read them.
    produced: bool,
    // Three one-byte fields in the padding after `produced` (keeps `Msg`
    // within its 256-byte block class).
    payload_owner: PayloadOwner,
    /// A partition the application asked for explicitly (not `RD_KAFKA_PARTITION_UA`).
    pub explicit_partition: bool,
    /// A fetched transaction marker's stand-in: never shown to the
    /// application; taking it moves the position past the marker (as
    /// librdkafka's control-message ops do), so a partition ending in a
    /// marker does not look one message behind.
    pub control_marker: bool,
    pub headers: Option<Box<Headers>>,
    pub deadline: Option<Instant>,
    /// NULL `rkt` for errors not tied to a topic.
    pub topic: Option<Arc<Topic>>,
    /// Bytes owned by the message right after it in its [`MsgBox`] block:
    /// the key, then (with `F_COPY`) the payload (message.max.bytes keeps
    /// it far below 4 GiB).
    extra: u32,
    pub retries: u32,
    /// Idempotent producer: the base sequence number of the batch this
    /// message was sent in under its partition's current producer id, -1
    /// if not sent under it. A retry resends exactly that batch.
    pub batch_sequence: i32,
    /// Leader epoch of a consumed message, -1 if unknown.
    pub leader_epoch: i32,
    /// For fetched messages: the partition and assignment version they
    /// came from, so position updates and stale-message checks work.
    pub origin: Option<crate::client::consumer::Origin>,
    /// Fetched key and value share the fetch response buffer (no copy).
    shared_key: Option<bytes::Bytes>,
    shared_value: Option<bytes::Bytes>,
    /// A specific error description (`rd_kafka_message_errstr`), if any.
    pub errstr: Option<Box<std::ffi::CString>>,
}

// SAFETY: the raw pointers inside `rkmessage` point either into the bytes
// after the message in its own block (owned), at application memory the application promised to keep valid
// until the delivery report (librdkafka's contract without F_COPY), or at
// malloc'ed memory we own (F_FREE). The message moves between threads but is
// only ever accessed by one thread at a time (it is owned by exactly one
// queue or in-flight request).
unsafe impl Send for Msg {}

pub struct NewMsg<'a> {
    pub topic: Arc<Topic>,
    pub partition: i32,
    pub key: Option<&'a [u8]>,
    pub payload: *mut u8,
    pub len: usize,
    pub copy_payload: bool,
    pub free_payload: bool,
    pub opaque: *mut libc::c_void,
    pub timestamp: i64,
    pub headers: Option<Box<Headers>>,
    pub message_timeout_ms: i64,
    /// The produce call's clock reading (enqueue time).
    pub now: Instant,
}

impl Msg {
    #[allow(clippy::new_ret_no_self)] // MsgBox owns the one block holding the Msg
    pub fn new(m: NewMsg<'_>) -> MsgBox {
        let key_len = m.key.map_or(0, |k| k.len());
        let copy_len = if m.copy_payload && !m.payload.is_null() {
            m.len
        } else {
            0
        };
        let extra = key_len + copy_len;
        let payload_owner = if copy_len > 0 {
            PayloadOwner::Storage
        } else if m.free_payload && !m.payload.is_null() {
            PayloadOwner::LibcFree
        } else {
            PayloadOwner::Application
        };
        let now = m.now;
        let deadline = (m.message_timeout_ms > 0)
            .then(|| now + std::time::Duration::from_millis(m.message_timeout_ms as u64));
        let timestamp = if m.timestamp == 0 {
            crate::client::clock::wall_ms_at(now)
        } else {
            m.timestamp
        };
        let rkt = Arc::as_ptr(&m.topic) as *mut rd_kafka_topic_t;
        let mut msg = MsgBox::new(extra, || Msg {
            rkmessage: rd_kafka_message_t {
                err: ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR.code(),
                rkt,
                partition: m.partition,
                payload: ptr::null_mut(),
                len: 0,
                key: ptr::null_mut(),
                key_len,
                offset: RD_KAFKA_OFFSET_INVALID,
                _private: m.opaque,
            },
            topic: Some(m.topic),
            shared_key: None,
            shared_value: None,
            origin: None,
            extra: extra as u32,
            payload_owner,
            headers: m.headers,
            timestamp,
            timestamp_type: TimestampType::CreateTime,
            status: MsgStatus::NotPersisted,
            enqueued_at: now,
            deadline,
            retries: 0,
            batch_sequence: -1,
            produced: true,
            broker_id: -1,
            latency_us: -1,
            explicit_partition: m.partition != crate::abi::RD_KAFKA_PARTITION_UA,
            control_marker: false,
            leader_epoch: -1,
            errstr: None,
        });
        let base = msg.extra_ptr();
        // SAFETY: the block has `extra` = key_len + copy_len bytes after the
        // Msg; the caller promises `key` and `payload` (copy_len bytes) are
        // readable and they cannot overlap our fresh allocation.
        unsafe {
            if let Some(key) = m.key {
                ptr::copy_nonoverlapping(key.as_ptr(), base, key_len);
                msg.rkmessage.key = base as *mut libc::c_void;
            }
            let payload = if copy_len > 0 {
                ptr::copy_nonoverlapping(m.payload, base.add(key_len), copy_len);
                base.add(key_len)
            } else {
                m.payload
            };
            msg.rkmessage.payload = payload as *mut libc::c_void;
            msg.rkmessage.len = if payload.is_null() { 0 } else { m.len };
        }
        msg
    }

    /// A fetched message: key and value stay in the fetch buffer.
    #[allow(clippy::too_many_arguments)]
    pub fn consumed(
        topic: Arc<Topic>,
        partition: i32,
        offset: i64,
        key: Option<bytes::Bytes>,
        value: Option<bytes::Bytes>,
        timestamp: i64,
        timestamp_type: TimestampType,
        headers: Option<Box<Headers>>,
        leader_epoch: i32,
        origin: crate::client::consumer::Origin,
        now: Instant,
    ) -> MsgBox {
        let (key_ptr, key_len) = key.as_ref().map_or((ptr::null_mut(), 0), |k| {
            (k.as_ptr() as *mut libc::c_void, k.len())
        });
        let (value_ptr, value_len) = value.as_ref().map_or((ptr::null_mut(), 0), |v| {
            (v.as_ptr() as *mut libc::c_void, v.len())
        });
        let rkt = Arc::as_ptr(&topic) as *mut rd_kafka_topic_t;
        MsgBox::new(0, || Msg {
            rkmessage: rd_kafka_message_t {
                err: 0,
                rkt,
                partition,
                payload: value_ptr,
                len: value_len,
                key: key_ptr,
                key_len,
                offset,
                _private: ptr::null_mut(),
            },
            topic: Some(topic),
            shared_key: key,
            shared_value: value,
            origin: Some(origin),
            extra: 0,
            payload_owner: PayloadOwner::Application,
            headers,
            timestamp,
            timestamp_type,
            status: MsgStatus::Persisted,
            enqueued_at: now,
            deadline: None,
            retries: 0,
            batch_sequence: -1,
            produced: false,
            broker_id: -1,
            latency_us: -1,
            explicit_partition: true,
            control_marker: false,
            leader_epoch,
            errstr: None,
        })
    }

    /// A consumer error delivered as a message: `payload` holds the error
    /// string, as librdkafka does.
    pub fn consumer_error(
        topic: Option<Arc<Topic>>,
        partition: i32,
        offset: i64,
        err: ErrorCode,
        reason: String,
    ) -> MsgBox {
        let errstr = std::ffi::CString::new(reason.replace('\0', " ")).unwrap_or_default();
        let rkt = topic
            .as_ref()
            .map_or(ptr::null_mut(), |t| Arc::as_ptr(t) as *mut rd_kafka_topic_t);
        let mut msg = MsgBox::new(0, || Msg {
            rkmessage: rd_kafka_message_t {
                err: err.code(),
                rkt,
                partition,
                payload: ptr::null_mut(),
                len: 0,
                key: ptr::null_mut(),
                key_len: 0,
                offset,
                _private: ptr::null_mut(),
            },
            topic,
            shared_key: None,
            shared_value: None,
            origin: None,
            extra: 0,
            payload_owner: PayloadOwner::Application,
            headers: None,
            timestamp: -1,
            timestamp_type: TimestampType::NotAvailable,
            status: MsgStatus::NotPersisted,
            enqueued_at: Instant::now(),
            deadline: None,
            retries: 0,
            batch_sequence: -1,
            produced: false,
            broker_id: -1,
            latency_us: -1,
            explicit_partition: true,
            control_marker: false,
            leader_epoch: -1,
            errstr: Some(Box::new(errstr)),
        });
        let m = &mut *msg;
        if let Some(s) = &m.errstr {
            m.rkmessage.payload = s.as_ptr() as *mut libc::c_void;
            m.rkmessage.len = s.as_bytes().len();
        }
        msg
    }

    pub fn key(&self) -> Option<&[u8]> {
        if self.rkmessage.key.is_null() {
            None
        } else {
            // SAFETY: `key` points into our own block or `shared_key`, both owned
            // by this message, for `key_len` bytes.
            Some(unsafe {
                std::slice::from_raw_parts(self.rkmessage.key as *const u8, self.rkmessage.key_len)
            })
        }
    }

    pub fn payload(&self) -> Option<&[u8]> {
        if self.rkmessage.payload.is_null() {
            None
        } else {
            // SAFETY: see `unsafe impl Send`: the pointer is valid for `len` bytes
            // until the message is destroyed.
            Some(unsafe {
                std::slice::from_raw_parts(self.rkmessage.payload as *const u8, self.rkmessage.len)
            })
        }
    }

    /// Bytes counted against `queue.buffering.max.kbytes`.
    pub fn size(&self) -> usize {
        self.rkmessage.len + self.rkmessage.key_len
    }

    pub fn partition(&self) -> i32 {
        self.rkmessage.partition
    }

    pub fn set_partition(&mut self, partition: i32) {
        self.rkmessage.partition = partition;
    }

    pub fn offset(&self) -> i64 {
        self.rkmessage.offset
    }

    /// The offset the broker gave a produced message.
    pub fn set_offset(&mut self, offset: i64) {
        self.rkmessage.offset = offset;
    }

    /// The application's per-message opaque (`msg_opaque`), handed back in
    /// its delivery report and to a partitioner callback.
    pub fn opaque(&self) -> *mut libc::c_void {
        self.rkmessage._private
    }

    /// Cheaper than `err() != NO_ERROR` on the consumer's per-message path.
    pub fn has_error(&self) -> bool {
        self.rkmessage.err != 0
    }

    pub fn err(&self) -> ErrorCode {
        ErrorCode::from_code(self.rkmessage.err).unwrap_or(ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN)
    }

    pub fn set_result(&mut self, err: ErrorCode, status: MsgStatus) {
        self.rkmessage.err = err.code();
        self.status = status;
    }
}

/// The owner of one message: a single heap block with the [`Msg`] first and
/// the bytes it owns (`Msg::extra` of them) right after it.
pub struct MsgBox(NonNull<Msg>);

// SAFETY: as for `Msg`; the box is the unique owner of its block.
unsafe impl Send for MsgBox {}

impl MsgBox {
    fn layout(extra: usize) -> Layout {
        let size = std::mem::size_of::<Msg>() + extra;
        // Pooled blocks all have their class's size (see `pool`).
        let size = message_pool::class_of(size).map_or(size, message_pool::class_size);
        // Cannot overflow: `extra` is bounded by message.max.bytes.
        Layout::from_size_align(size, std::mem::align_of::<Msg>()).expect("message layout")
    }

    /// A new block with room for `extra` bytes after the message (left
    /// uninitialised; see [`MsgBox::extra_ptr`]), holding the message
    /// `build` returns. Allocating first lets the message be built in place
    /// instead of on the stack and copied.
    #[inline(always)]
    fn new(extra: usize, build: impl FnOnce() -> Msg) -> MsgBox {
        let layout = Self::layout(extra);
        let p = match message_pool::take(layout.size()) {
            Some(p) => p,
            // SAFETY: the layout has a non-zero size (Msg is not a ZST).
            None => unsafe { std::alloc::alloc(layout) },
        } as *mut Msg;
        let Some(p) = NonNull::new(p) else {
            std::alloc::handle_alloc_error(layout)
        };
        // SAFETY: freshly allocated, properly aligned for Msg.
        unsafe { p.as_ptr().write(build()) };
        debug_assert_eq!(unsafe { (*p.as_ptr()).extra } as usize, extra);
        MsgBox(p)
    }

    /// The first of the `extra` bytes owned after the message.
    fn extra_ptr(&mut self) -> *mut u8 {
        // SAFETY: the block extends `extra` bytes past the Msg.
        unsafe { (self.0.as_ptr() as *mut u8).add(std::mem::size_of::<Msg>()) }
    }

    pub fn into_raw(self) -> *mut rd_kafka_message_t {
        let p = self.0.as_ptr() as *mut rd_kafka_message_t;
        std::mem::forget(self);
        p
    }

    /// # Safety
    /// `ptr` must come from [`MsgBox::into_raw`] and not have been reclaimed.
    pub unsafe fn from_raw(ptr: *mut rd_kafka_message_t) -> MsgBox {
        MsgBox(NonNull::new_unchecked(ptr as *mut Msg))
    }
}

impl std::ops::Deref for MsgBox {
    type Target = Msg;
    fn deref(&self) -> &Msg {
        // SAFETY: the block holds an initialised Msg until drop.
        unsafe { self.0.as_ref() }
    }
}

impl std::ops::DerefMut for MsgBox {
    fn deref_mut(&mut self) -> &mut Msg {
        // SAFETY: as in deref; `&mut self` guarantees uniqueness.
        unsafe { self.0.as_mut() }
    }
}

impl Drop for Msg {
    fn drop(&mut self) {
        self.free_payload();
    }
}

impl Msg {
    fn free_payload(&mut self) {
        if let PayloadOwner::LibcFree = self.payload_owner {
            // SAFETY: F_FREE transfers a malloc'ed buffer to us; freed exactly once here.
            unsafe { libc::free(self.rkmessage.payload) };
        }
    }
}

impl Drop for MsgBox {
    fn drop(&mut self) {
        let p = self.0.as_ptr();
        // SAFETY: the Msg is initialised and dropped exactly once, then its
        // block is freed with the layout it was allocated with.
        unsafe {
            let layout = Self::layout((*p).extra as usize);
            if (*p).produced {
                // A produced message's fetched-message fields are None (set
                // only by the fetched-message constructors), so only what
                // a produce call can own is released: its payload (F_FREE),
                // topic and headers. This keeps the delivery report's free
                // off the message's colder cache lines.
                let m = &mut *p;
                debug_assert!(
                    m.origin.is_none()
                        && m.shared_key.is_none()
                        && m.shared_value.is_none()
                        && m.errstr.is_none()
                );
                m.free_payload();
                ptr::drop_in_place(&mut m.topic);
                ptr::drop_in_place(&mut m.headers);
            } else {
                ptr::drop_in_place(p);
            }
            if !message_pool::give(p as *mut u8, layout.size()) {
                std::alloc::dealloc(p as *mut u8, layout);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fetched_message_fits_the_smallest_block() {
        // 256 bytes: the smallest block class; a consumer's prefetch holds
        // up to queued.min.messages of them.
        assert!(
            std::mem::size_of::<Msg>() <= 256,
            "{}",
            std::mem::size_of::<Msg>()
        );
    }

    #[test]
    fn acknowledgement_fields_share_the_first_two_cache_lines() {
        use std::mem::offset_of;
        for end in [
            offset_of!(Msg, status) + 4,
            offset_of!(Msg, broker_id) + 4,
            offset_of!(Msg, latency_us) + 8,
            offset_of!(Msg, enqueued_at) + std::mem::size_of::<Instant>(),
            offset_of!(Msg, timestamp) + 8,
            offset_of!(Msg, timestamp_type) + 4,
            offset_of!(Msg, produced) + 1,
            offset_of!(Msg, headers) + 8,
        ] {
            assert!(end <= 128, "field ends at {end}");
        }
    }
}
