//! Handle-level utilities: cluster and controller ids, memory helpers,
//! `rd_kafka_wait_destroyed`.

use crate::ffi::kafka::handle;
use crate::ffi::types::*;
use libc::{c_char, c_int, c_void, size_t};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Client handles created and not yet fully destroyed.
pub static LIVE_HANDLES: AtomicUsize = AtomicUsize::new(0);

/// The cluster id (malloc'ed; free with `rd_kafka_mem_free`), or NULL.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_clusterid(rk: *mut rd_kafka_t, timeout_ms: c_int) -> *mut c_char {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(h) = handle(rk) else {
            return std::ptr::null_mut();
        };
        match h.client().metadata_request(
            Some(Vec::new()),
            Duration::from_millis(timeout_ms.max(0) as u64),
        ) {
            Ok((md, _, _)) => match md.cluster_id.and_then(|id| std::ffi::CString::new(id).ok()) {
                Some(id) => libc::strdup(id.as_ptr()),
                None => std::ptr::null_mut(),
            },
            Err(_) => std::ptr::null_mut(),
        }
    })
}

/// The controller broker id, or -1 when unknown within `timeout_ms`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_controllerid(rk: *mut rd_kafka_t, timeout_ms: c_int) -> i32 {
    ffi_boundary!(-1, {
        let Some(h) = handle(rk) else { return -1 };
        h.client()
            .controller_id(Duration::from_millis(timeout_ms.max(0) as u64))
    })
}

/// Memory the application may hand to the library to free (`free()`).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mem_malloc(_rk: *mut rd_kafka_t, size: size_t) -> *mut c_void {
    ffi_boundary!(std::ptr::null_mut(), { libc::malloc(size) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mem_calloc(
    _rk: *mut rd_kafka_t,
    num: size_t,
    size: size_t,
) -> *mut c_void {
    ffi_boundary!(std::ptr::null_mut(), { libc::calloc(num, size) })
}

/// Waits until every client handle has been destroyed: 0 when none is
/// left, -1 on timeout. `rd_kafka_destroy` joins its threads, so a
/// destroyed handle is entirely gone.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_wait_destroyed(timeout_ms: c_int) -> c_int {
    ffi_boundary!(-1, {
        let deadline = Instant::now() + Duration::from_millis(timeout_ms.max(0) as u64);
        while LIVE_HANDLES.load(Ordering::Acquire) > 0 {
            if Instant::now() >= deadline {
                return -1;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        0
    })
}

/// The debug contexts the `debug` property accepts, comma-separated.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_get_debug_contexts() -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        c"all,generic,broker,topic,metadata,feature,queue,msg,protocol,cgrp,security,fetch,interceptor,plugin,consumer,admin,eos,mock,assignor,conf".as_ptr()
    })
}

/// Library threads alive in the process, over every client (main, broker
/// and background threads), as librdkafka counts its own.
#[no_mangle]
pub extern "C" fn rd_kafka_thread_cnt() -> c_int {
    ffi_boundary!(0, { crate::client::interceptors::live_threads() })
}

/// Writes the client's internal state (brokers, topics, queues) to `fp`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_dump(fp: *mut libc::FILE, rk: *mut rd_kafka_t) {
    ffi_boundary!((), {
        let Some(h) = handle(rk) else { return };
        if fp.is_null() {
            return;
        }
        let text = h.client().dump_text();
        libc::fwrite(text.as_ptr() as *const c_void, 1, text.len(), fp);
    })
}

/// A copy of the client's default topic configuration (the application
/// destroys it).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_default_topic_conf_dup(
    rk: *mut rd_kafka_t,
) -> *mut rd_kafka_topic_conf_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(h) = handle(rk) else {
            return std::ptr::null_mut();
        };
        crate::ffi::conf::topic_conf_into_raw(h.conf.config.default_topic().clone())
    })
}

/// librdkafka runs its built-in unit tests here; ours are Rust tests run by
/// `cargo test`. This runs the library's self-checks that need no broker
/// (partitioner and checksum vectors, codec round trips) and returns how
/// many failed (0 = all passed).
#[no_mangle]
pub extern "C" fn rd_kafka_unittest() -> c_int {
    ffi_boundary!(1, { crate::self_check::run() as c_int })
}
