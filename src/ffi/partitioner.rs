//! librdkafka's built-in partitioner functions, callable by applications
//! (e.g. from their own `partitioner_cb`) and by the topic configuration.
//!
//! librdkafka's random partitioner retries once when the drawn partition has
//! no available leader; that check needs the topic's state, so the producer
//! applies it (through `rd_kafka_topic_partition_available`) and these entry
//! points only compute the partitioner's answer. `rkt` is accepted for ABI
//! compatibility and may be NULL.

use crate::ffi::types::rd_kafka_topic_t;
use crate::partitioner::Partitioner;
use libc::{c_void, size_t};

/// Returned when a panic is caught; the "unassigned partition" marker makes
/// the producer fail the message rather than enqueue it somewhere arbitrary.
const PARTITION_UA: i32 = -1;

/// Turns the C (pointer, length) pair into the key as librdkafka sees it:
/// a NULL pointer is "no key" whatever the length.
///
/// # Safety
/// `key` must be NULL or point to `keylen` readable bytes.
unsafe fn key_slice<'a>(key: *const c_void, keylen: size_t) -> Option<&'a [u8]> {
    if key.is_null() {
        None
    } else if keylen == 0 {
        Some(&[])
    } else {
        Some(std::slice::from_raw_parts(key as *const u8, keylen))
    }
}

// Written out rather than macro-generated: cbindgen does not expand macros.

/// The body shared by every exported partitioner: the `rkt` and opaque
/// arguments are part of librdkafka's signature but unused by the
/// built-in partitioners.
unsafe fn partition_with(
    partitioner: Partitioner,
    key: *const c_void,
    keylen: size_t,
    partition_cnt: i32,
) -> i32 {
    ffi_boundary!(PARTITION_UA, {
        partitioner.partition(key_slice(key, keylen), partition_cnt)
    })
}

/// # Safety
/// `key` must be NULL or point to `keylen` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_msg_partitioner_random(
    _rkt: *const rd_kafka_topic_t,
    key: *const c_void,
    keylen: size_t,
    partition_cnt: i32,
    _rkt_opaque: *mut c_void,
    _msg_opaque: *mut c_void,
) -> i32 {
    partition_with(Partitioner::Random, key, keylen, partition_cnt)
}

/// # Safety
/// `key` must be NULL or point to `keylen` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_msg_partitioner_consistent(
    _rkt: *const rd_kafka_topic_t,
    key: *const c_void,
    keylen: size_t,
    partition_cnt: i32,
    _rkt_opaque: *mut c_void,
    _msg_opaque: *mut c_void,
) -> i32 {
    partition_with(Partitioner::Consistent, key, keylen, partition_cnt)
}

/// # Safety
/// `key` must be NULL or point to `keylen` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_msg_partitioner_consistent_random(
    _rkt: *const rd_kafka_topic_t,
    key: *const c_void,
    keylen: size_t,
    partition_cnt: i32,
    _rkt_opaque: *mut c_void,
    _msg_opaque: *mut c_void,
) -> i32 {
    partition_with(Partitioner::ConsistentRandom, key, keylen, partition_cnt)
}

/// # Safety
/// `key` must be NULL or point to `keylen` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_msg_partitioner_murmur2(
    _rkt: *const rd_kafka_topic_t,
    key: *const c_void,
    keylen: size_t,
    partition_cnt: i32,
    _rkt_opaque: *mut c_void,
    _msg_opaque: *mut c_void,
) -> i32 {
    partition_with(Partitioner::Murmur2, key, keylen, partition_cnt)
}

/// # Safety
/// `key` must be NULL or point to `keylen` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_msg_partitioner_murmur2_random(
    _rkt: *const rd_kafka_topic_t,
    key: *const c_void,
    keylen: size_t,
    partition_cnt: i32,
    _rkt_opaque: *mut c_void,
    _msg_opaque: *mut c_void,
) -> i32 {
    partition_with(Partitioner::Murmur2Random, key, keylen, partition_cnt)
}

/// # Safety
/// `key` must be NULL or point to `keylen` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_msg_partitioner_fnv1a(
    _rkt: *const rd_kafka_topic_t,
    key: *const c_void,
    keylen: size_t,
    partition_cnt: i32,
    _rkt_opaque: *mut c_void,
    _msg_opaque: *mut c_void,
) -> i32 {
    partition_with(Partitioner::Fnv1a, key, keylen, partition_cnt)
}

/// # Safety
/// `key` must be NULL or point to `keylen` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_msg_partitioner_fnv1a_random(
    _rkt: *const rd_kafka_topic_t,
    key: *const c_void,
    keylen: size_t,
    partition_cnt: i32,
    _rkt_opaque: *mut c_void,
    _msg_opaque: *mut c_void,
) -> i32 {
    partition_with(Partitioner::Fnv1aRandom, key, keylen, partition_cnt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr::{null, null_mut};

    #[test]
    fn null_key_pointer_is_no_key_even_with_a_length() {
        // A NULL key makes murmur2_random random; hashing would be stable.
        let hashed = unsafe {
            rd_kafka_msg_partitioner_murmur2(null(), null(), 5, 1000, null_mut(), null_mut())
        };
        assert_eq!(hashed, Partitioner::Murmur2.partition(Some(b""), 1000));
        let distinct: std::collections::HashSet<i32> = (0..200)
            .map(|_| unsafe {
                rd_kafka_msg_partitioner_murmur2_random(
                    null(),
                    null(),
                    5,
                    1000,
                    null_mut(),
                    null_mut(),
                )
            })
            .collect();
        assert!(distinct.len() > 1);
    }

    #[test]
    fn keyed_call_matches_rust_api() {
        let key = b"some key";
        let got = unsafe {
            rd_kafka_msg_partitioner_fnv1a(
                null(),
                key.as_ptr() as *const c_void,
                key.len(),
                7,
                null_mut(),
                null_mut(),
            )
        };
        assert_eq!(got, Partitioner::Fnv1a.partition(Some(key), 7));
    }
}
