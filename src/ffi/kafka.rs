//! `rd_kafka_t`: create, destroy, poll, flush, purge and handle queries.
//!
//! Ownership: `rd_kafka_t*` is a `Box<KafkaHandle>` (see `handle.rs`),
//! created by `rd_kafka_new` and freed only by `rd_kafka_destroy`.
//! Callbacks run only inside `rd_kafka_poll`/`rd_kafka_flush` on the
//! calling thread, except `log_cb`, which follows librdkafka's rule (any
//! thread unless `log.queue=true`).

use crate::client::log::LogSink;
use crate::client::{Client, ClientHooks, ClientKind};
use crate::error::rd_kafka_resp_err_t;
use crate::error::ErrorCode;
use crate::ffi::boundary::{c_str, write_errstr};
use crate::ffi::callbacks::poll_events;
use crate::ffi::conf::{Callbacks, ConfHandle};
use crate::ffi::handle::{borrow, borrow_mut, into_ptr, lend, take};
use crate::ffi::interceptor::ClientInterceptors;
use crate::ffi::last_error::set_last_error;
use crate::ffi::types::*;
use libc::{c_char, c_int, c_void, size_t};
use std::ffi::CString;
use std::time::{Duration, Instant};

pub struct KafkaHandle {
    /// `None` only while `rd_kafka_new` is still building the client.
    pub client: Option<Client>,
    pub kind: ClientKind,
    pub callbacks: Callbacks,
    /// The configuration the handle was created with (`rd_kafka_conf()`).
    pub conf: Box<ConfHandle>,
    pub name_c: CString,
    /// The thread serving the SASL queue after
    /// `rd_kafka_sasl_background_callbacks_enable`; stopped before the
    /// handle goes.
    pub sasl_background: parking_lot::Mutex<Option<crate::ffi::sasl::BackgroundThread>>,
    /// The background queue and its thread, made by the first
    /// `rd_kafka_queue_get_background`; stopped before the handle goes.
    pub background: parking_lot::Mutex<Option<crate::ffi::background::BackgroundQueue>>,
    /// The client's interceptors (added by `on_new`, then sealed).
    pub interceptors: std::sync::Arc<ClientInterceptors>,
}

impl KafkaHandle {
    /// The interceptors as the core holds them (`None` when none was added).
    pub fn interceptors_for_core(
        &self,
    ) -> Option<std::sync::Arc<dyn crate::client::interceptors::Interceptors>> {
        self.interceptors.any().then(|| {
            self.interceptors.clone()
                as std::sync::Arc<dyn crate::client::interceptors::Interceptors>
        })
    }

    pub fn client(&self) -> &Client {
        // Set before the pointer is ever handed to C.
        self.client
            .as_ref()
            .expect("client initialised in rd_kafka_new")
    }
}

/// Borrows the handle behind `rk`.
///
/// # Safety
/// `rk` must be NULL or a live pointer from `rd_kafka_new`.
pub unsafe fn handle<'a>(rk: *const rd_kafka_t) -> Option<&'a KafkaHandle> {
    borrow(rk).filter(|h: &&KafkaHandle| h.client.is_some())
}

/// Converts a poll timeout in milliseconds (-1 = forever) to a Duration.
pub fn timeout_from_ms(ms: c_int) -> Option<Duration> {
    if ms < 0 {
        None
    } else {
        Some(Duration::from_millis(ms as u64))
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_new(
    type_: rd_kafka_type_raw,
    conf: *mut rd_kafka_conf_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let kind = match rd_kafka_type_t::from_raw(type_) {
            Some(rd_kafka_type_t::RD_KAFKA_PRODUCER) => ClientKind::Producer,
            Some(rd_kafka_type_t::RD_KAFKA_CONSUMER) => ClientKind::Consumer,
            None => {
                write_errstr(
                    errstr,
                    errstr_size,
                    "Invalid client type: must be RD_KAFKA_PRODUCER or RD_KAFKA_CONSUMER",
                );
                set_last_error(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG);
                return std::ptr::null_mut();
            }
        };
        // librdkafka sets client.software.version through the ordinary
        // setter when the application did not, so interceptors see it.
        if let Some(c) = borrow(conf) {
            if !c.config.is_modified("client.software.version") {
                let version = c
                    .config
                    .get("client.software.version")
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                let name = c"client.software.version";
                let value = CString::new(version).unwrap_or_default();
                crate::ffi::conf::rd_kafka_conf_set(
                    conf,
                    name.as_ptr(),
                    value.as_ptr(),
                    std::ptr::null_mut(),
                    0,
                );
            }
        }
        // librdkafka takes ownership of `conf` only on success.
        // The interceptors and plugins go with it: on success the
        // application's object is then freed without its on_conf_destroy
        // (ownership moved here); on failure it is left as it was.
        let conf_copy = Box::new(match borrow(conf) {
            Some(c) => ConfHandle {
                config: c.config.clone(),
                interceptors: c.interceptors.clone(),
                plugins: c.plugins.clone(),
            },
            None => ConfHandle::new(crate::config::Config::new()),
        });
        if let Err(msg) = conf_copy.config.validate_for(kind) {
            write_errstr(errstr, errstr_size, &msg);
            set_last_error(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG);
            return std::ptr::null_mut();
        }
        let callbacks = conf_copy.callbacks();
        let rk: *mut rd_kafka_t = into_ptr(KafkaHandle {
            client: None,
            kind,
            callbacks,
            conf: conf_copy,
            name_c: CString::default(),
            sasl_background: parking_lot::Mutex::new(None),
            background: parking_lot::Mutex::new(None),
            interceptors: std::sync::Arc::new(ClientInterceptors::new()),
        });
        let rk_addr = rk as usize;
        let conf_view: *const rd_kafka_conf_t = match borrow(rk) {
            Some(h) => crate::ffi::handle::lend(&*(h as &KafkaHandle).conf),
            None => std::ptr::null(),
        };
        let interceptors = crate::ffi::interceptor::on_new(rk, conf_view);
        let log_sink: Option<LogSink> = callbacks
            .log_cb
            .map(|cb| crate::ffi::log::log_sink_calling(cb, rk_addr));
        let hooks = ClientHooks {
            log_sink,
            delivery_reports: callbacks.dr_msg_cb.is_some()
                || callbacks.dr_cb.is_some()
                || callbacks.events & RD_KAFKA_EVENT_DR != 0,
            throttle_reports: callbacks.throttle_cb.is_some(),
            cert_verify: callbacks
                .ssl_cert_verify_cb
                .map(|cb| cert_verify_hook(cb, rk_addr, callbacks.opaque as usize)),
            interceptors: interceptors
                .map(|ic| ic as std::sync::Arc<dyn crate::client::interceptors::Interceptors>),
        };
        // Just made and not yet shared, so never NULL and not borrowed.
        let Some(handle) = borrow_mut(rk) else {
            return std::ptr::null_mut();
        };
        let config = handle.conf.config.clone();
        match Client::new(kind, config, hooks) {
            Ok(client) => {
                handle.name_c = CString::new(client.name()).unwrap_or_default();
                handle.client = Some(client);
                // As librdkafka's OIDC init: its refresh runs on the SASL
                // background thread when the SASL queue is enabled (on the
                // polling thread otherwise).
                if handle.client().sasl().is_some_and(|s| s.oidc().is_some()) {
                    let _ = crate::ffi::sasl::start_background(rk, handle);
                }
                crate::ffi::misc::LIVE_HANDLES.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
                if !conf.is_null() {
                    drop(take(conf));
                }
                rk
            }
            Err(msg) => {
                write_errstr(errstr, errstr_size, &msg);
                set_last_error(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG);
                handle.interceptors.on_destroy();
                drop(take(rk));
                std::ptr::null_mut()
            }
        }
    })
}

/// Stops every thread and frees the handle. NULL is ignored; must not be
/// called twice for the same handle.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_destroy(rk: *mut rd_kafka_t) {
    ffi_boundary!((), {
        if let Some(h) = handle(rk) {
            // First, as in librdkafka: the client is still whole.
            h.interceptors.on_destroy();
            // It serves callbacks with `rk`: it must end first (an OIDC
            // fetch it may be running stops retrying).
            if let Some(sasl) = h.client().sasl() {
                sasl.stop_token_refresh();
            }
            crate::ffi::sasl::stop_background(h);
            // Admin calls end (`_DESTROY`) and their results are served
            // on the background queue before its thread stops.
            h.client().admin_stop();
            crate::ffi::background::stop(h);
        }
        if let Some(mut handle) = take(rk) {
            // The client's threads end (and report so) before its
            // configuration, with its on_conf_destroy interceptors, goes.
            let conf_interceptors = std::mem::take(&mut handle.conf.interceptors);
            drop(handle);
            crate::ffi::interceptor::on_conf_destroy(&conf_interceptors);
            crate::ffi::misc::LIVE_HANDLES.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
        }
    })
}

/// `rd_kafka_destroy_flags`: the flags only tune consumer close behaviour,
/// which `rd_kafka_destroy` already bounds.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_destroy_flags(rk: *mut rd_kafka_t, _flags: c_int) {
    rd_kafka_destroy(rk)
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_poll(rk: *mut rd_kafka_t, timeout_ms: c_int) -> c_int {
    ffi_boundary!(0, {
        let Some(h) = handle(rk) else { return 0 };
        poll_events(rk, h, timeout_from_ms(timeout_ms))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_flush(
    rk: *mut rd_kafka_t,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        let Some(h) = handle(rk) else {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        let deadline = timeout_from_ms(timeout_ms).map(|t| Instant::now() + t);
        flush_until(rk, h, deadline)
    })
}

/// `rd_kafka_flush`'s work: serves the main queue's events (delivery
/// reports) until every message is delivered or `deadline` passes; also
/// how a transaction's commit and abort wait for their messages.
pub unsafe fn flush_until(
    rk: *mut rd_kafka_t,
    h: &KafkaHandle,
    deadline: Option<Instant>,
) -> ErrorCode {
    let client = h.client();
    client.begin_flush();
    let result = loop {
        if client.outq_len() == 0 {
            break ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR;
        }
        let wait = match deadline {
            Some(d) if Instant::now() >= d => break ErrorCode::RD_KAFKA_RESP_ERR__TIMED_OUT,
            Some(d) => d
                .saturating_duration_since(Instant::now())
                .min(Duration::from_millis(100)),
            None => Duration::from_millis(100),
        };
        poll_events(rk, h, Some(wait));
    };
    client.end_flush();
    result
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_purge(
    rk: *mut rd_kafka_t,
    purge_flags: c_int,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        let Some(h) = handle(rk) else {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if h.kind != ClientKind::Producer {
            return ErrorCode::RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED;
        }
        let known =
            RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT | RD_KAFKA_PURGE_F_NON_BLOCKING;
        if purge_flags & !known != 0 {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        let client = h.client();
        if purge_flags & RD_KAFKA_PURGE_F_INFLIGHT != 0 {
            client.purge_in_flight(purge_flags & RD_KAFKA_PURGE_F_NON_BLOCKING == 0);
        }
        if purge_flags & RD_KAFKA_PURGE_F_QUEUE != 0 {
            client.purge_queued();
        }
        ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_outq_len(rk: *mut rd_kafka_t) -> c_int {
    ffi_boundary!(0, {
        handle(rk).map_or(0, |h| {
            h.client().outq_len().min(c_int::MAX as usize) as c_int
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_name(rk: *const rd_kafka_t) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        handle(rk).map_or(c"".as_ptr(), |h| h.name_c.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_type(rk: *const rd_kafka_t) -> rd_kafka_type_t {
    ffi_boundary!(rd_kafka_type_t::RD_KAFKA_PRODUCER, {
        match handle(rk).map(|h| h.kind) {
            Some(ClientKind::Consumer) => rd_kafka_type_t::RD_KAFKA_CONSUMER,
            _ => rd_kafka_type_t::RD_KAFKA_PRODUCER,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_opaque(rk: *const rd_kafka_t) -> *mut c_void {
    ffi_boundary!(std::ptr::null_mut(), {
        handle(rk).map_or(std::ptr::null_mut(), |h| h.callbacks.opaque)
    })
}

/// The handle's configuration; owned by the handle, valid until destroy.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf(rk: *mut rd_kafka_t) -> *const rd_kafka_conf_t {
    ffi_boundary!(std::ptr::null(), {
        handle(rk).map_or(std::ptr::null(), |h| {
            lend::<rd_kafka_conf_t>(&h.conf).cast_const()
        })
    })
}

/// Wakes a thread blocked in `rd_kafka_poll`/`flush` on this handle.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_yield(rk: *mut rd_kafka_t) {
    ffi_boundary!((), {
        if let Some(h) = handle(rk) {
            h.client().wake_pollers();
        }
    })
}

/// Adds brokers from a CSV list; returns how many were added.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_brokers_add(
    rk: *mut rd_kafka_t,
    brokerlist: *const c_char,
) -> c_int {
    ffi_boundary!(0, {
        let Some(h) = handle(rk) else { return 0 };
        let Some(list) = c_str(brokerlist) else {
            return 0;
        };
        h.client().add_brokers(&list) as c_int
    })
}

/// The number of messages/events not yet served, for the legacy API.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_mem_free(_rk: *mut rd_kafka_t, ptr: *mut c_void) {
    ffi_boundary!((), {
        libc::free(ptr);
    })
}

/// `ssl.certificate.verify_cb` as the core's hook: called on the broker
/// thread during a handshake, as rdkafka.h documents.
fn cert_verify_hook(
    cb: crate::ffi::conf::SslCertVerifyCb,
    rk_addr: usize,
    opaque: usize,
) -> crate::client::tls::CertVerifyHook {
    std::sync::Arc::new(
        move |cert: &crate::client::tls::PeerCertificate<'_>, x509_error: &mut i32| {
            let name = CString::new(cert.broker_name).unwrap_or_default();
            let mut errstr = [0 as libc::c_char; 512];
            let mut code: libc::c_int = *x509_error;
            // SAFETY: every pointer is valid for the call; the application
            // promised a callback with this signature.
            let ok = unsafe {
                cb(
                    rk_addr as *mut rd_kafka_t,
                    name.as_ptr(),
                    cert.broker_id,
                    &mut code,
                    cert.depth,
                    cert.der.as_ptr() as *const libc::c_char,
                    cert.der.len(),
                    errstr.as_mut_ptr(),
                    errstr.len(),
                    opaque as *mut libc::c_void,
                )
            };
            *x509_error = code;
            if ok == 1 {
                return Ok(());
            }
            // SAFETY: zero-filled and one byte longer than what the callback may write.
            errstr[errstr.len() - 1] = 0;
            let reason = unsafe { std::ffi::CStr::from_ptr(errstr.as_ptr()) }
                .to_string_lossy()
                .into_owned();
            Err(if reason.is_empty() {
                format!("X509 error {code}")
            } else {
                reason
            })
        },
    )
}
