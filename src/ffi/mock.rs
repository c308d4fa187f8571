//! The mock cluster C API (`rdkafka_mock.h`, generated from this file by
//! `cbindgen-mock.toml`).
//!
//! Ownership: an `rd_kafka_mock_cluster_t*` is one strong count of an
//! `Arc<MockCluster>` (see `handle.rs`). `rd_kafka_mock_cluster_new` hands
//! its count to the caller, who releases it with
//! `rd_kafka_mock_cluster_destroy`. `rd_kafka_handle_mock_cluster` lends
//! the pointer of the cluster a client started for `test.mock.num.brokers`;
//! the client keeps that count and the caller must not destroy it.
//!
//! The two variadic functions live in `mock_variadic.c` and forward here.

#![allow(non_camel_case_types, non_snake_case)]

use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::boundary::c_str;
use crate::ffi::handle::{arc_into_ptr, arc_release, borrow};
use crate::ffi::kafka::handle;
use crate::ffi::types::{rd_kafka_resp_err_raw, rd_kafka_t};
use crate::mock::MockCluster;
use libc::{c_char, c_int, size_t};
use std::sync::Arc;
use std::time::Duration;

use ErrorCode::*;

/// A mock cluster: brokers speaking the Kafka protocol on 127.0.0.1.
pub struct rd_kafka_mock_cluster_s {
    _private: [u8; 0],
}
pub type rd_kafka_mock_cluster_t = rd_kafka_mock_cluster_s;

fn result(r: Result<(), ErrorCode>) -> rd_kafka_resp_err_t {
    r.err().unwrap_or(RD_KAFKA_RESP_ERR_NO_ERROR)
}

/// Runs `f` on the cluster, or reports `_INVALID_ARG` for NULL.
unsafe fn with_cluster(
    mcluster: *const rd_kafka_mock_cluster_t,
    f: impl FnOnce(&MockCluster) -> Result<(), ErrorCode>,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(RD_KAFKA_RESP_ERR__FAIL, {
        match borrow(mcluster) {
            Some(c) => result(f(c)),
            None => RD_KAFKA_RESP_ERR__INVALID_ARG,
        }
    })
}

/// Runs `f` with the cluster and a topic name, or reports `_INVALID_ARG`.
unsafe fn with_topic(
    mcluster: *const rd_kafka_mock_cluster_t,
    topic: *const c_char,
    f: impl FnOnce(&MockCluster, &str) -> Result<(), ErrorCode>,
) -> rd_kafka_resp_err_t {
    with_cluster(mcluster, |c| match c_str(topic) {
        Some(t) => f(c, &t),
        None => Err(RD_KAFKA_RESP_ERR__INVALID_ARG),
    })
}

fn code(raw: rd_kafka_resp_err_raw) -> Result<ErrorCode, ErrorCode> {
    ErrorCode::from_code(raw).ok_or(RD_KAFKA_RESP_ERR__INVALID_ARG)
}

/// Creates a cluster of `broker_cnt` brokers (ids 1..=broker_cnt) on
/// ephemeral 127.0.0.1 ports. `rk` is the handle the cluster is reported
/// to belong to. Returns NULL on failure. Free with
/// `rd_kafka_mock_cluster_destroy()` before destroying `rk`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_cluster_new(
    rk: *mut rd_kafka_t,
    broker_cnt: c_int,
) -> *mut rd_kafka_mock_cluster_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Ok(n) = usize::try_from(broker_cnt) else {
            return std::ptr::null_mut();
        };
        // The owning client's test.mock.ssl.* properties make it a TLS cluster.
        let tls = match crate::ffi::kafka::handle(rk)
            .map(|h| crate::mock::tls_from_config(&h.conf.config))
        {
            Some(Ok(tls)) => tls,
            Some(Err(msg)) => {
                eprintln!("ferrokafka: {msg}");
                return std::ptr::null_mut();
            }
            None => None,
        };
        match MockCluster::with_tls(n, tls) {
            Ok(cluster) => {
                cluster.set_owner(rk as usize);
                arc_into_ptr(Arc::new(cluster))
            }
            Err(msg) => {
                eprintln!("ferrokafka: {msg}");
                std::ptr::null_mut()
            }
        }
    })
}

/// Stops every broker, joins their threads and frees the cluster.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_cluster_destroy(mcluster: *mut rd_kafka_mock_cluster_t) {
    ffi_boundary!((), {
        if let Some(c) = borrow(mcluster) {
            c.shutdown();
        }
        arc_release(mcluster);
    })
}

/// The client handle the cluster was created with.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_cluster_handle(
    mcluster: *const rd_kafka_mock_cluster_t,
) -> *mut rd_kafka_t {
    ffi_boundary!(std::ptr::null_mut(), {
        borrow(mcluster).map_or(std::ptr::null_mut(), |c| c.owner() as *mut rd_kafka_t)
    })
}

/// The cluster `rk` started because of `test.mock.num.brokers`, or NULL.
/// Owned by `rk`: do not destroy it.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_handle_mock_cluster(
    rk: *const rd_kafka_t,
) -> *mut rd_kafka_mock_cluster_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(h) = handle(rk) else {
            return std::ptr::null_mut();
        };
        match h.client().mock_cluster() {
            Some(c) => {
                c.set_owner(rk as usize);
                Arc::as_ptr(c) as *mut rd_kafka_mock_cluster_t
            }
            None => std::ptr::null_mut(),
        }
    })
}

/// Comma-separated `127.0.0.1:port` of every broker; valid as long as the
/// cluster.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_cluster_bootstraps(
    mcluster: *const rd_kafka_mock_cluster_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(mcluster).map_or(std::ptr::null(), |c| c.bootstraps_c().as_ptr())
    })
}

/// Forgets the errors pushed cluster-wide for `ApiKey`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_clear_request_errors(
    mcluster: *mut rd_kafka_mock_cluster_t,
    ApiKey: i16,
) {
    with_cluster(mcluster, |c| {
        c.clear_request_errors(ApiKey);
        Ok(())
    });
}

/// Makes the next `cnt` requests of `ApiKey` (to any broker) fail with
/// `errors[0]`, `errors[1]`, ... in order.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_push_request_errors_array(
    mcluster: *mut rd_kafka_mock_cluster_t,
    ApiKey: i16,
    cnt: size_t,
    errors: *const rd_kafka_resp_err_raw,
) {
    with_cluster(mcluster, |c| {
        if cnt == 0 {
            return Ok(());
        }
        if errors.is_null() {
            return Err(RD_KAFKA_RESP_ERR__INVALID_ARG);
        }
        let raw = std::slice::from_raw_parts(errors, cnt);
        let errs = raw
            .iter()
            .map(|&e| code(e))
            .collect::<Result<Vec<_>, _>>()?;
        c.push_request_errors(ApiKey, &errs);
        Ok(())
    });
}

/// Backs the variadic `rd_kafka_mock_broker_push_request_error_rtts()`
/// (`mock_variadic.c`): `cnt` (error, RTT in ms) pairs. Not public API.
#[no_mangle]
pub unsafe extern "C" fn ferrokafka_mock_broker_push_request_errors(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
    ApiKey: i16,
    cnt: size_t,
    errors: *const rd_kafka_resp_err_raw,
    rtts: *const c_int,
) -> rd_kafka_resp_err_t {
    with_cluster(mcluster, |c| {
        if cnt == 0 {
            return c.broker_push_request_errors(broker_id, ApiKey, &[]);
        }
        if errors.is_null() || rtts.is_null() {
            return Err(RD_KAFKA_RESP_ERR__INVALID_ARG);
        }
        let errs = std::slice::from_raw_parts(errors, cnt);
        let rtts = std::slice::from_raw_parts(rtts, cnt);
        let pairs = errs
            .iter()
            .zip(rtts)
            .map(|(&e, &rtt)| {
                let rtt = u64::try_from(rtt).map_err(|_| RD_KAFKA_RESP_ERR__INVALID_ARG)?;
                Ok((code(e)?, Duration::from_millis(rtt)))
            })
            .collect::<Result<Vec<_>, ErrorCode>>()?;
        c.broker_push_request_errors(broker_id, ApiKey, &pairs)
    })
}

/// How many pushed errors for `ApiKey` are left on `broker_id`'s stack.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_broker_error_stack_cnt(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
    ApiKey: i16,
    cntp: *mut size_t,
) -> rd_kafka_resp_err_t {
    with_cluster(mcluster, |c| {
        if cntp.is_null() {
            return Err(RD_KAFKA_RESP_ERR__INVALID_ARG);
        }
        *cntp = c.broker_error_stack_cnt(broker_id, ApiKey)?;
        Ok(())
    })
}

/// Makes Metadata report `err` for `topic` and Produce to it fail with it.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_topic_set_error(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    err: rd_kafka_resp_err_raw,
) {
    with_topic(mcluster, topic, |c, t| c.topic_set_error(t, code(err)?));
}

/// Creates a topic; replication may not exceed the broker count.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_topic_create(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    partition_cnt: c_int,
    replication_factor: c_int,
) -> rd_kafka_resp_err_t {
    with_topic(mcluster, topic, |c, t| {
        c.topic_create(t, partition_cnt, replication_factor)
    })
}

/// Moves a partition's leadership (-1: no leader).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_partition_set_leader(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    partition: i32,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    with_topic(mcluster, topic, |c, t| {
        c.partition_set_leader(t, partition, broker_id)
    })
}

/// Sets the replica the leader tells fetchers to read from (-1: none).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_partition_set_follower(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    partition: i32,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    with_topic(mcluster, topic, |c, t| {
        c.partition_set_follower(t, partition, broker_id)
    })
}

/// Sets the follower's low and high watermarks (-1: follow the leader).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_partition_set_follower_wmarks(
    mcluster: *mut rd_kafka_mock_cluster_t,
    topic: *const c_char,
    partition: i32,
    lo: i64,
    hi: i64,
) -> rd_kafka_resp_err_t {
    with_topic(mcluster, topic, |c, t| {
        c.partition_set_follower_wmarks(t, partition, lo, hi)
    })
}

/// Closes the broker's listener and connections until set up again.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_broker_set_down(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    with_cluster(mcluster, |c| c.broker_set_down(broker_id))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_broker_set_up(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    with_cluster(mcluster, |c| c.broker_set_up(broker_id))
}

/// Delays each of the broker's responses by `rtt_ms`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_broker_set_rtt(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
    rtt_ms: c_int,
) -> rd_kafka_resp_err_t {
    with_cluster(mcluster, |c| {
        let ms = u64::try_from(rtt_ms).map_err(|_| RD_KAFKA_RESP_ERR__INVALID_ARG)?;
        c.broker_set_rtt(broker_id, Duration::from_millis(ms))
    })
}

/// ferrokafka extension (not in librdkafka 2.0.2's mock; the name and
/// signature are those of librdkafka's KIP-219 proposal, PR #4623):
/// throttles broker `broker_id` (-1: every broker) as a Kafka broker over
/// its quota does. Every response carries `throttle_ms` as
/// `throttle_time_ms` and is sent at once, then the connection reads no
/// further request until `throttle_ms` has passed. 0 ends the throttling.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_broker_set_throttle_ms(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
    throttle_ms: c_int,
) -> rd_kafka_resp_err_t {
    with_cluster(mcluster, |c| {
        let ms = u64::try_from(throttle_ms).map_err(|_| RD_KAFKA_RESP_ERR__INVALID_ARG)?;
        c.broker_set_throttle(broker_id, Duration::from_millis(ms))
    })
}

/// Sets the rack Metadata reports for the broker (NULL: none).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_broker_set_rack(
    mcluster: *mut rd_kafka_mock_cluster_t,
    broker_id: i32,
    rack: *const c_char,
) -> rd_kafka_resp_err_t {
    with_cluster(mcluster, |c| {
        c.broker_set_rack(broker_id, c_str(rack).as_deref())
    })
}

/// Makes `broker_id` the coordinator for `key`; `key_type` is "group" or
/// "transaction".
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_coordinator_set(
    mcluster: *mut rd_kafka_mock_cluster_t,
    key_type: *const c_char,
    key: *const c_char,
    broker_id: i32,
) -> rd_kafka_resp_err_t {
    with_cluster(mcluster, |c| match (c_str(key_type), c_str(key)) {
        (Some(kt), Some(k)) => c.coordinator_set(&kt, &k, broker_id),
        _ => Err(RD_KAFKA_RESP_ERR__INVALID_ARG),
    })
}

/// Overrides the versions advertised for `ApiKey` (-1, -1: not at all).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mock_set_apiversion(
    mcluster: *mut rd_kafka_mock_cluster_t,
    ApiKey: i16,
    MinVersion: i16,
    MaxVersion: i16,
) -> rd_kafka_resp_err_t {
    with_cluster(mcluster, |c| {
        c.set_apiversion(ApiKey, MinVersion, MaxVersion)
    })
}

// Implemented in C (`mock_variadic.c`) because stable Rust cannot define
// variadic functions; declared here for the generated header.
#[allow(improper_ctypes)]
extern "C" {
    /// Makes the next `cnt` requests of `ApiKey` fail with the `cnt`
    /// `rd_kafka_resp_err_t` arguments that follow, in order.
    pub fn rd_kafka_mock_push_request_errors(
        mcluster: *mut rd_kafka_mock_cluster_t,
        ApiKey: i16,
        cnt: size_t,
        ...
    );

    /// Pushes `cnt` (rd_kafka_resp_err_t error, int RTT in ms) argument
    /// pairs onto one broker's error stack for `ApiKey`.
    pub fn rd_kafka_mock_broker_push_request_error_rtts(
        mcluster: *mut rd_kafka_mock_cluster_t,
        broker_id: i32,
        ApiKey: i16,
        cnt: size_t,
        ...
    ) -> rd_kafka_resp_err_t;
}
