//! SASL calls of the C API: OAUTHBEARER tokens handed over by the
//! application, new credentials, the SASL queue and the optional thread
//! serving it (the one place a callback runs outside the application's
//! poll, because the application asked for it). The work is in
//! `client::sasl`.

use crate::client::interceptors::{spawn, ThreadKind};
use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::boundary::{c_str, write_errstr};
use crate::ffi::callbacks::serve_op;
use crate::ffi::error::new_error_ptr;
use crate::ffi::kafka::{handle, KafkaHandle};
use crate::ffi::types::*;
use crate::sasl::oauthbearer::Token;
use libc::{c_char, size_t};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Stores a token the refresh callback obtained. `extensions` holds
/// `extension_size` strings: key, value, key, value, ...
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_oauthbearer_set_token(
    rk: *mut rd_kafka_t,
    token_value: *const c_char,
    md_lifetime_ms: i64,
    md_principal_name: *const c_char,
    extensions: *mut *const c_char,
    extension_size: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__FAIL, {
        let fail = |code: ErrorCode, msg: &str| {
            write_errstr(errstr, errstr_size, msg);
            code
        };
        let Some(h) = handle(rk) else {
            return fail(
                ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
                "invalid client handle",
            );
        };
        let (Some(value), Some(principal)) = (c_str(token_value), c_str(md_principal_name)) else {
            return fail(
                ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
                "token value and principal name are required",
            );
        };
        if extension_size % 2 != 0 || (extension_size > 0 && extensions.is_null()) {
            return fail(
                ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
                "extensions must be key, value pairs",
            );
        }
        let mut pairs = Vec::with_capacity(extension_size / 2);
        for i in (0..extension_size).step_by(2) {
            let (Some(k), Some(v)) = (c_str(*extensions.add(i)), c_str(*extensions.add(i + 1)))
            else {
                return fail(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG, "NULL extension");
            };
            pairs.push((k.into_owned(), v.into_owned()));
        }
        let token = Token {
            value: value.into_owned(),
            lifetime_ms: md_lifetime_ms,
            principal: principal.into_owned(),
            extensions: pairs,
        };
        match h.client().oauthbearer_set_token(token) {
            Ok(()) => ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
            Err((code, msg)) => fail(code, &msg),
        }
    })
}

/// The refresh failed: raised as an `_AUTHENTICATION` error; the refresh is
/// retried later.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_oauthbearer_set_token_failure(
    rk: *mut rd_kafka_t,
    errstr: *const c_char,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__FAIL, {
        let (Some(h), Some(reason)) = (handle(rk), c_str(errstr)) else {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if reason.is_empty() {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        match h.client().oauthbearer_set_token_failure(&reason) {
            Ok(()) => ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
            Err(code) => code,
        }
    })
}

/// The SASL queue, where token refresh requests wait when the
/// configuration enabled it (`rd_kafka_conf_enable_sasl_queue`); NULL
/// otherwise, as in librdkafka.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_queue_get_sasl(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match handle(rk).and_then(|h| h.client().sasl().and_then(|s| s.sasl_queue())) {
            Some(queue) => crate::ffi::queue::new_handle(queue.clone(), rk),
            None => std::ptr::null_mut(),
        }
    })
}

/// Serves the SASL queue (token refresh callbacks) on a library thread, for
/// applications that do not poll; needs `rd_kafka_conf_enable_sasl_queue`,
/// as in librdkafka.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_sasl_background_callbacks_enable(
    rk: *mut rd_kafka_t,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(h) = handle(rk) else {
            return new_error_ptr(
                ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
                "invalid client handle".to_string(),
            );
        };
        match start_background(rk, h) {
            Ok(()) => std::ptr::null_mut(),
            Err((code, reason)) => new_error_ptr(code, reason),
        }
    })
}

/// Starts the thread serving the SASL queue, unless it runs already.
/// Also called by `rd_kafka_new` for the builtin OIDC refresh, as
/// librdkafka does, so its token fetch runs off the application's threads
/// when the SASL queue is enabled.
pub unsafe fn start_background(
    rk: *mut rd_kafka_t,
    h: &KafkaHandle,
) -> Result<(), (ErrorCode, String)> {
    let Some(queue) = h.client().sasl().and_then(|s| s.sasl_queue()).cloned() else {
        return Err((
            ErrorCode::RD_KAFKA_RESP_ERR__STATE,
            "SASL queue is not enabled (rd_kafka_conf_enable_sasl_queue())".to_string(),
        ));
    };
    let mut slot = h.sasl_background.lock();
    if slot.is_some() {
        return Ok(());
    }
    let stop = Arc::new(AtomicBool::new(false));
    let stop_seen = stop.clone();
    // The handle outlives the thread: rd_kafka_destroy joins it first.
    let rk_addr = rk as usize;
    let interceptors = h.interceptors_for_core();
    let spawned = spawn(
        "rdk:sasl_bg".to_string(),
        interceptors,
        ThreadKind::Background,
        "background".to_string(),
        move || {
            let rk = rk_addr as *mut rd_kafka_t;
            while !stop_seen.load(Ordering::Acquire) {
                if let Some(op) = queue.pop(Some(BACKGROUND_TICK)) {
                    // SAFETY: see above; callbacks run as from a poll.
                    if let Some(h) = unsafe { handle(rk) } {
                        unsafe { serve_op(rk, h, op, false) };
                    }
                }
            }
        },
    );
    match spawned {
        Ok(join) => {
            *slot = Some(BackgroundThread { stop, join });
            Ok(())
        }
        Err(e) => Err((
            ErrorCode::RD_KAFKA_RESP_ERR__FAIL,
            format!("cannot start the SASL background thread: {e}"),
        )),
    }
}

/// How often the background thread looks at its stop flag.
const BACKGROUND_TICK: Duration = Duration::from_millis(100);

pub struct BackgroundThread {
    stop: Arc<AtomicBool>,
    join: JoinHandle<()>,
}

/// Stops and joins the SASL background thread, if any (rd_kafka_destroy).
pub fn stop_background(h: &KafkaHandle) {
    if let Some(t) = h.sasl_background.lock().take() {
        t.stop.store(true, Ordering::Release);
        let _ = t.join.join();
    }
}

/// New SASL username and password, used from the next authentication on.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_sasl_set_credentials(
    rk: *mut rd_kafka_t,
    username: *const c_char,
    password: *const c_char,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let (Some(h), Some(user), Some(password)) = (handle(rk), c_str(username), c_str(password))
        else {
            return new_error_ptr(
                ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
                "Username and password are required".to_string(),
            );
        };
        if let Some(sasl) = h.client().sasl() {
            sasl.set_credentials(&user, &password);
        }
        std::ptr::null_mut()
    })
}
