//! Logging calls of the C API: librdkafka's two stock loggers
//! (`rd_kafka_log_print` to stderr, `rd_kafka_log_syslog`), which an
//! application may also install as its `log_cb`, and changing a live
//! handle's logger and level (`rd_kafka_set_logger`, `set_log_level`), and
//! where queued log lines go (`rd_kafka_set_log_queue`).

use crate::client::log::{print_to_stderr, LogSink};
use crate::error::rd_kafka_resp_err_t;
use crate::ffi::boundary::c_str;
use crate::ffi::conf::LogCb;
use crate::ffi::handle::borrow;
use crate::ffi::kafka::handle;
use crate::ffi::types::*;
use libc::{c_char, c_int};
use std::ffi::CString;
use std::sync::Once;

/// The core's log sink that calls the application's `log_cb` for the
/// handle at `rk_addr` (an address: the sink is shared with the threads).
pub fn log_sink_calling(cb: LogCb, rk_addr: usize) -> LogSink {
    std::sync::Arc::new(move |level: i32, fac: &str, msg: &str| {
        let fac = CString::new(fac).unwrap_or_default();
        let msg = CString::new(msg.replace('\0', " ")).unwrap_or_default();
        // SAFETY: the callback has librdkafka's log_cb signature; rk_addr
        // is the handle, alive while its threads log.
        unsafe {
            cb(
                rk_addr as *const rd_kafka_t,
                level,
                fac.as_ptr(),
                msg.as_ptr(),
            )
        };
    })
}

/// The handle's name (`rd_kafka_name`), "" for NULL as librdkafka prints.
unsafe fn client_name(rk: *const rd_kafka_t) -> String {
    handle(rk).map_or_else(String::new, |h| h.name_c.to_string_lossy().into_owned())
}

/// librdkafka's default logger: one line on stderr,
/// `%LEVEL|SECONDS.MILLIS|FACILITY|NAME| MESSAGE`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_log_print(
    rk: *const rd_kafka_t,
    level: c_int,
    fac: *const c_char,
    buf: *const c_char,
) {
    ffi_boundary!((), {
        print_to_stderr(
            level,
            &c_str(fac).unwrap_or_default(),
            &client_name(rk),
            &c_str(buf).unwrap_or_default(),
        );
    })
}

/// Logs to syslog (identity "rdkafka", facility LOG_USER) as
/// `FACILITY: NAME: MESSAGE` at the line's level, as librdkafka's does.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_log_syslog(
    rk: *const rd_kafka_t,
    level: c_int,
    fac: *const c_char,
    buf: *const c_char,
) {
    ffi_boundary!((), {
        static OPEN: Once = Once::new();
        OPEN.call_once(|| {
            libc::openlog(
                c"rdkafka".as_ptr(),
                libc::LOG_PID | libc::LOG_CONS,
                libc::LOG_USER,
            )
        });
        let line = format!(
            "{}: {}: {}",
            c_str(fac).unwrap_or_default(),
            client_name(rk),
            c_str(buf).unwrap_or_default()
        );
        let line = CString::new(line.replace('\0', " ")).unwrap_or_default();
        // The line goes through "%s": a '%' in it is never a format directive.
        libc::syslog(level, c"%s".as_ptr(), line.as_ptr());
    })
}

/// Lines above `level` (syslog levels, 0-7) are dropped from now on.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_set_log_level(rk: *mut rd_kafka_t, level: c_int) {
    ffi_boundary!((), {
        if let Some(h) = handle(rk) {
            h.client().logger().set_level(level);
        }
    })
}

/// Deprecated form of `rd_kafka_conf_set_log_cb` for a live handle; NULL
/// goes back to printing on stderr.
#[deprecated(note = "use rd_kafka_conf_set_log_cb()")]
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_set_logger(
    rk: *mut rd_kafka_t,
    func: Option<
        unsafe extern "C" fn(
            rk: *const rd_kafka_t,
            level: c_int,
            fac: *const c_char,
            buf: *const c_char,
        ),
    >,
) {
    ffi_boundary!((), {
        if let Some(h) = handle(rk) {
            let sink = func.map(|cb| log_sink_calling(cb, rk as usize));
            h.client().logger().set_sink(sink);
        }
    })
}

/// With `log.queue=true`, log lines (those waiting and those to come) go
/// to `rkqu` as LOG events, or to the main queue for NULL;
/// `__NOT_CONFIGURED` without `log.queue=true`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_set_log_queue(
    rk: *mut rd_kafka_t,
    rkqu: *mut rd_kafka_queue_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__FAIL, {
        let Some(h) = handle(rk) else {
            return rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        let dest = borrow(rkqu).map(|q| q.queue.clone());
        match h.client().set_log_queue(dest) {
            Ok(()) => rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR,
            Err(e) => e,
        }
    })
}
