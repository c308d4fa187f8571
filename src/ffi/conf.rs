//! `rd_kafka_conf_*` and `rd_kafka_topic_conf_*`: the C face of
//! [`crate::config`].
//!
//! Ownership: `rd_kafka_conf_t` is a `Box<ConfHandle>` and
//! `rd_kafka_topic_conf_t` a `Box<TopicConfHandle>`, except the pointer
//! returned by `rd_kafka_conf_get_default_topic_conf()`, which points into
//! its `ConfHandle` and is never freed on its own (as in librdkafka).
//!
//! Callbacks and opaques are pointer-valued properties: their addresses live
//! in the [`Config`] / [`TopicConfig`] like any other value, so `dup`,
//! `get` and `dump` treat them uniformly; [`ConfHandle::callbacks`] turns
//! them back into typed function pointers for the client.

#![allow(non_camel_case_types)]

use std::ffi::CString;

use libc::{c_char, c_int, c_void, size_t};

use crate::config::{ConfErrorKind, Config, SslBlob, SslBlobEncoding, SslBlobKind, TopicConfig};
use crate::error::rd_kafka_resp_err_t;
use crate::ffi::boundary::{c_str, write_errstr};
use crate::ffi::handle::{borrow, borrow_mut, into_ptr, lend, lend_mut, take};
use crate::ffi::interceptor::ConfInterceptors;
use crate::ffi::types::rd_kafka_conf_res_t::{self, *};
use crate::ffi::types::{
    rd_kafka_cert_enc_t, rd_kafka_cert_type_t, rd_kafka_conf_t, rd_kafka_event_t,
    rd_kafka_message_t, rd_kafka_t, rd_kafka_topic_conf_t, rd_kafka_topic_partition_list_t,
    rd_kafka_topic_t,
};

pub type DrCb = unsafe extern "C" fn(
    rk: *mut rd_kafka_t,
    payload: *mut c_void,
    len: size_t,
    err: rd_kafka_resp_err_t,
    opaque: *mut c_void,
    msg_opaque: *mut c_void,
);
pub type DrMsgCb = unsafe extern "C" fn(
    rk: *mut rd_kafka_t,
    rkmessage: *const rd_kafka_message_t,
    opaque: *mut c_void,
);
pub type ErrorCb = unsafe extern "C" fn(
    rk: *mut rd_kafka_t,
    err: c_int,
    reason: *const c_char,
    opaque: *mut c_void,
);
pub type LogCb = unsafe extern "C" fn(
    rk: *const rd_kafka_t,
    level: c_int,
    fac: *const c_char,
    buf: *const c_char,
);
pub type ThrottleCb = unsafe extern "C" fn(
    rk: *mut rd_kafka_t,
    broker_name: *const c_char,
    broker_id: i32,
    throttle_time_ms: c_int,
    opaque: *mut c_void,
);
pub type StatsCb = unsafe extern "C" fn(
    rk: *mut rd_kafka_t,
    json: *mut c_char,
    json_len: size_t,
    opaque: *mut c_void,
) -> c_int;
pub type RebalanceCb = unsafe extern "C" fn(
    rk: *mut rd_kafka_t,
    err: rd_kafka_resp_err_t,
    partitions: *mut rd_kafka_topic_partition_list_t,
    opaque: *mut c_void,
);
pub type OffsetCommitCb = unsafe extern "C" fn(
    rk: *mut rd_kafka_t,
    err: rd_kafka_resp_err_t,
    offsets: *mut rd_kafka_topic_partition_list_t,
    opaque: *mut c_void,
);
pub type ConsumeCb = unsafe extern "C" fn(rkmessage: *mut rd_kafka_message_t, opaque: *mut c_void);
pub type BackgroundEventCb =
    unsafe extern "C" fn(rk: *mut rd_kafka_t, rkev: *mut rd_kafka_event_t, opaque: *mut c_void);
pub type OauthbearerTokenRefreshCb = unsafe extern "C" fn(
    rk: *mut rd_kafka_t,
    oauthbearer_config: *const c_char,
    opaque: *mut c_void,
);
pub type SocketCb = unsafe extern "C" fn(
    domain: c_int,
    type_: c_int,
    protocol: c_int,
    opaque: *mut c_void,
) -> c_int;
pub type ConnectCb = unsafe extern "C" fn(
    sockfd: c_int,
    addr: *const libc::sockaddr,
    addrlen: c_int,
    id: *const c_char,
    opaque: *mut c_void,
) -> c_int;
pub type CloseSocketCb = unsafe extern "C" fn(sockfd: c_int, opaque: *mut c_void) -> c_int;
pub type OpenCb = unsafe extern "C" fn(
    pathname: *const c_char,
    flags: c_int,
    mode: libc::mode_t,
    opaque: *mut c_void,
) -> c_int;
pub type ResolveCb = unsafe extern "C" fn(
    node: *const c_char,
    service: *const c_char,
    hints: *const libc::addrinfo,
    res: *mut *mut libc::addrinfo,
    opaque: *mut c_void,
) -> c_int;
pub type SslCertVerifyCb = unsafe extern "C" fn(
    rk: *mut rd_kafka_t,
    broker_name: *const c_char,
    broker_id: i32,
    x509_error: *mut c_int,
    depth: c_int,
    buf: *const c_char,
    size: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
    opaque: *mut c_void,
) -> c_int;
pub type PartitionerCb = unsafe extern "C" fn(
    rkt: *const rd_kafka_topic_t,
    keydata: *const c_void,
    keylen: size_t,
    partition_cnt: i32,
    rkt_opaque: *mut c_void,
    msg_opaque: *mut c_void,
) -> i32;
pub type MsgOrderCmp =
    unsafe extern "C" fn(a: *const rd_kafka_message_t, b: *const rd_kafka_message_t) -> c_int;

/// The application's callbacks and opaque, as typed function pointers.
#[derive(Clone, Copy)]
pub struct Callbacks {
    pub dr_msg_cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            rkmessage: *const rd_kafka_message_t,
            opaque: *mut c_void,
        ),
    >,
    pub dr_cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            payload: *mut c_void,
            len: size_t,
            err: rd_kafka_resp_err_t,
            opaque: *mut c_void,
            msg_opaque: *mut c_void,
        ),
    >,
    pub error_cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            err: c_int,
            reason: *const c_char,
            opaque: *mut c_void,
        ),
    >,
    pub log_cb: Option<
        unsafe extern "C" fn(
            rk: *const rd_kafka_t,
            level: c_int,
            fac: *const c_char,
            buf: *const c_char,
        ),
    >,
    pub throttle_cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            broker_name: *const c_char,
            broker_id: i32,
            throttle_time_ms: c_int,
            opaque: *mut c_void,
        ),
    >,
    pub stats_cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            json: *mut c_char,
            json_len: size_t,
            opaque: *mut c_void,
        ) -> c_int,
    >,
    pub rebalance_cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            err: rd_kafka_resp_err_t,
            partitions: *mut rd_kafka_topic_partition_list_t,
            opaque: *mut c_void,
        ),
    >,
    pub offset_commit_cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            err: rd_kafka_resp_err_t,
            offsets: *mut rd_kafka_topic_partition_list_t,
            opaque: *mut c_void,
        ),
    >,
    pub consume_cb:
        Option<unsafe extern "C" fn(rkmessage: *mut rd_kafka_message_t, opaque: *mut c_void)>,
    pub background_event_cb: Option<
        unsafe extern "C" fn(rk: *mut rd_kafka_t, rkev: *mut rd_kafka_event_t, opaque: *mut c_void),
    >,
    /// Asked for a new SASL/OAUTHBEARER token from the application's poll
    /// (`Op::OAuthBearerTokenRefresh`).
    pub oauthbearer_token_refresh_cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            oauthbearer_config: *const c_char,
            opaque: *mut c_void,
        ),
    >,
    /// Stored only: sockets and files are opened by the client itself.
    pub socket_cb: Option<
        unsafe extern "C" fn(
            domain: c_int,
            type_: c_int,
            protocol: c_int,
            opaque: *mut c_void,
        ) -> c_int,
    >,
    pub connect_cb: Option<
        unsafe extern "C" fn(
            sockfd: c_int,
            addr: *const libc::sockaddr,
            addrlen: c_int,
            id: *const c_char,
            opaque: *mut c_void,
        ) -> c_int,
    >,
    pub closesocket_cb: Option<unsafe extern "C" fn(sockfd: c_int, opaque: *mut c_void) -> c_int>,
    pub open_cb: Option<
        unsafe extern "C" fn(
            pathname: *const c_char,
            flags: c_int,
            mode: libc::mode_t,
            opaque: *mut c_void,
        ) -> c_int,
    >,
    pub resolve_cb: Option<
        unsafe extern "C" fn(
            node: *const c_char,
            service: *const c_char,
            hints: *const libc::addrinfo,
            res: *mut *mut libc::addrinfo,
            opaque: *mut c_void,
        ) -> c_int,
    >,
    /// `ssl.certificate.verify_cb`: called on broker threads (rdkafka.h).
    pub ssl_cert_verify_cb: Option<SslCertVerifyCb>,
    pub opaque: *mut c_void,
    /// `rd_kafka_conf_set_events()` mask (the `enabled_events` property).
    pub events: i32,
}

impl Default for Callbacks {
    fn default() -> Self {
        Callbacks {
            dr_msg_cb: None,
            dr_cb: None,
            error_cb: None,
            log_cb: None,
            throttle_cb: None,
            stats_cb: None,
            rebalance_cb: None,
            offset_commit_cb: None,
            consume_cb: None,
            background_event_cb: None,
            oauthbearer_token_refresh_cb: None,
            socket_cb: None,
            connect_cb: None,
            closesocket_cb: None,
            open_cb: None,
            resolve_cb: None,
            ssl_cert_verify_cb: None,
            opaque: std::ptr::null_mut(),
            events: 0,
        }
    }
}

// SAFETY: the pointers are the application's. librdkafka's contract, which
// we follow, is that callbacks run on the application thread that polls
// (or, for log_cb, on any thread unless log.queue is set, which the
// application accepted by registering it), and that the opaque is only
// handed back to those callbacks, never dereferenced by the library.
unsafe impl Send for Callbacks {}
unsafe impl Sync for Callbacks {}

/// Turns a stored address back into the function pointer it came from.
macro_rules! fn_from_addr {
    ($addr:expr, $ty:ty) => {{
        let addr: usize = $addr;
        if addr == 0 {
            None
        } else {
            // SAFETY: the address was stored from a function pointer of
            // exactly this type by the matching rd_kafka_*conf_set_*() call
            // (`f as usize`, which exposes its provenance). The `as` cast
            // back to a pointer picks that provenance up again; transmuting
            // the bare integer would give a pointer without any, and calling
            // it is undefined behaviour (Miri reports it).
            Some(unsafe { std::mem::transmute::<*const (), $ty>(addr as *const ()) })
        }
    }};
}

/// The object behind `*mut rd_kafka_conf_t`.
pub struct ConfHandle {
    pub config: Config,
    /// `on_conf_*`/`on_new` interceptors (never copied by `conf_dup`).
    pub interceptors: ConfInterceptors,
    /// Plugins loaded by `plugin.library.paths`, kept loaded while any
    /// configuration or client made from this one lives.
    pub plugins: Vec<std::sync::Arc<crate::ffi::plugin::Plugin>>,
}

impl ConfHandle {
    pub fn new(config: Config) -> ConfHandle {
        ConfHandle {
            config,
            interceptors: ConfInterceptors::default(),
            plugins: Vec::new(),
        }
    }
}

impl ConfHandle {
    pub fn callbacks(&self) -> Callbacks {
        let c = &self.config;
        Callbacks {
            dr_msg_cb: fn_from_addr!(c.pointer("dr_msg_cb"), DrMsgCb),
            dr_cb: fn_from_addr!(c.pointer("dr_cb"), DrCb),
            error_cb: fn_from_addr!(c.pointer("error_cb"), ErrorCb),
            log_cb: fn_from_addr!(c.pointer("log_cb"), LogCb),
            throttle_cb: fn_from_addr!(c.pointer("throttle_cb"), ThrottleCb),
            stats_cb: fn_from_addr!(c.pointer("stats_cb"), StatsCb),
            rebalance_cb: fn_from_addr!(c.pointer("rebalance_cb"), RebalanceCb),
            offset_commit_cb: fn_from_addr!(c.pointer("offset_commit_cb"), OffsetCommitCb),
            consume_cb: fn_from_addr!(c.pointer("consume_cb"), ConsumeCb),
            background_event_cb: fn_from_addr!(c.pointer("background_event_cb"), BackgroundEventCb),
            oauthbearer_token_refresh_cb: fn_from_addr!(
                c.pointer("oauthbearer_token_refresh_cb"),
                OauthbearerTokenRefreshCb
            ),
            socket_cb: fn_from_addr!(c.pointer("socket_cb"), SocketCb),
            connect_cb: fn_from_addr!(c.pointer("connect_cb"), ConnectCb),
            closesocket_cb: fn_from_addr!(c.pointer("closesocket_cb"), CloseSocketCb),
            open_cb: fn_from_addr!(c.pointer("open_cb"), OpenCb),
            resolve_cb: fn_from_addr!(c.pointer("resolve_cb"), ResolveCb),
            ssl_cert_verify_cb: fn_from_addr!(
                c.pointer("ssl.certificate.verify_cb"),
                SslCertVerifyCb
            ),
            opaque: c.pointer("opaque") as *mut c_void,
            events: c.int("enabled_events") as i32,
        }
    }
}

/// The object behind `*mut rd_kafka_topic_conf_t`. Transparent so that the
/// default topic configuration inside a [`Config`] can be handed to C.
#[repr(transparent)]
pub struct TopicConfHandle {
    pub config: TopicConfig,
}

impl TopicConfHandle {
    pub fn partitioner(&self) -> Option<PartitionerCb> {
        fn_from_addr!(self.config.pointer("partitioner_cb"), PartitionerCb)
    }

    pub fn msg_order_cmp(&self) -> Option<MsgOrderCmp> {
        fn_from_addr!(self.config.pointer("msg_order_cmp"), MsgOrderCmp)
    }

    /// The topic opaque (`rkt_opaque`) given to the partitioner.
    pub fn opaque(&self) -> *mut c_void {
        self.config.pointer("opaque") as *mut c_void
    }

    /// A configuration's default topic conf seen as the handle C borrows
    /// (`rd_kafka_conf_get_default_topic_conf`): the same object, as the
    /// wrapper is `repr(transparent)`.
    pub fn view(config: &TopicConfig) -> &TopicConfHandle {
        // SAFETY: repr(transparent): same layout and validity as TopicConfig.
        unsafe { &*(config as *const TopicConfig).cast::<TopicConfHandle>() }
    }

    /// [`TopicConfHandle::view`] for a conf C may change.
    pub fn view_mut(config: &mut TopicConfig) -> &mut TopicConfHandle {
        // SAFETY: as for view.
        unsafe { &mut *(config as *mut TopicConfig).cast::<TopicConfHandle>() }
    }
}

/// Hands a topic configuration to C (`rd_kafka_default_topic_conf_dup()`).
pub fn topic_conf_into_raw(config: TopicConfig) -> *mut rd_kafka_topic_conf_t {
    into_ptr(TopicConfHandle { config })
}

fn conf_into_raw(config: Config) -> *mut rd_kafka_conf_t {
    into_ptr(ConfHandle::new(config))
}

fn result_code(kind: ConfErrorKind) -> rd_kafka_conf_res_t {
    match kind {
        ConfErrorKind::Unknown => RD_KAFKA_CONF_UNKNOWN,
        ConfErrorKind::Invalid => RD_KAFKA_CONF_INVALID,
    }
}

/// Shared body of the two `*_set` functions.
unsafe fn set_with(
    name: *const c_char,
    value: *const c_char,
    errstr: *mut c_char,
    errstr_size: size_t,
    set: impl FnOnce(&str, &str) -> Result<(), crate::config::ConfError>,
) -> rd_kafka_conf_res_t {
    let Some(name) = c_str(name) else {
        write_errstr(errstr, errstr_size, "Configuration property name is NULL");
        return RD_KAFKA_CONF_UNKNOWN;
    };
    // NULL and "" both mean "no value", as in librdkafka.
    let value = c_str(value).unwrap_or_default();
    match set(&name, &value) {
        Ok(()) => RD_KAFKA_CONF_OK,
        Err(error) => {
            write_errstr(errstr, errstr_size, &error.message);
            result_code(error.kind)
        }
    }
}

/// Shared body of the two `*_get` functions: the value, NUL-terminated and
/// truncated to `*dest_size`; `*dest_size` receives the full size.
unsafe fn get_with(
    name: *const c_char,
    dest: *mut c_char,
    dest_size: *mut size_t,
    get: impl FnOnce(&str) -> Option<String>,
) -> rd_kafka_conf_res_t {
    let Some(dest_size) = dest_size.as_mut() else {
        return RD_KAFKA_CONF_INVALID;
    };
    let Some(name) = c_str(name) else {
        return RD_KAFKA_CONF_UNKNOWN;
    };
    let Some(value) = get(&name) else {
        return RD_KAFKA_CONF_UNKNOWN;
    };
    if !dest.is_null() && *dest_size > 0 {
        // librdkafka returns OK with a truncated copy; the caller compares
        // the returned size to detect truncation.
        write_errstr(dest, *dest_size, &value);
    }
    *dest_size = value.len() + 1;
    RD_KAFKA_CONF_OK
}

/// Builds the `const char **` array of a dump: key, value, key, value...
fn dump_to_c(pairs: Vec<(String, String)>, cntp: *mut size_t) -> *mut *const c_char {
    // SAFETY: cntp is NULL or a valid size_t from the caller.
    let Some(cnt) = (unsafe { cntp.as_mut() }) else {
        return std::ptr::null_mut();
    };
    let strings: Box<[*const c_char]> = pairs
        .into_iter()
        .flat_map(|(k, v)| [k, v])
        // Interior NULs cannot come from C input; drop them rather than fail.
        .map(|s| {
            CString::new(s.replace('\0', ""))
                .unwrap_or_default()
                .into_raw() as *const c_char
        })
        .collect();
    *cnt = strings.len();
    Box::into_raw(strings) as *mut *const c_char
}

#[no_mangle]
pub extern "C" fn rd_kafka_conf_new() -> *mut rd_kafka_conf_t {
    ffi_boundary!(std::ptr::null_mut(), { conf_into_raw(Config::new()) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_destroy(conf: *mut rd_kafka_conf_t) {
    ffi_boundary!((), {
        if let Some(handle) = take(conf) {
            crate::ffi::interceptor::on_conf_destroy(&handle.interceptors);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_dup(conf: *const rd_kafka_conf_t) -> *mut rd_kafka_conf_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(handle) = borrow(conf) else {
            return std::ptr::null_mut();
        };
        dup_into(conf, handle.config.clone(), &mut [])
    })
}

/// A new configuration holding `config`, set up as `rd_kafka_conf_dup`
/// does: `old`'s `on_conf_dup` interceptors first register themselves on
/// it, and the plugins stay loaded for it.
unsafe fn dup_into(
    old: *const rd_kafka_conf_t,
    config: Config,
    filter: &mut [*const c_char],
) -> *mut rd_kafka_conf_t {
    let new = conf_into_raw(Config::new());
    crate::ffi::interceptor::on_conf_dup(new, old, filter);
    let copied = config.modified_global();
    if let Some(new_handle) = borrow_mut(new) {
        new_handle.config = config;
    }
    crate::ffi::interceptor::after_dup(new, old, &copied, filter);
    crate::ffi::plugin::init_copy(new, old);
    new
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_dup_filter(
    conf: *const rd_kafka_conf_t,
    filter_cnt: size_t,
    filter: *mut *const c_char,
) -> *mut rd_kafka_conf_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(handle) = borrow(conf) else {
            return std::ptr::null_mut();
        };
        let prefixes: Vec<String> = if filter.is_null() {
            Vec::new()
        } else {
            std::slice::from_raw_parts(filter, filter_cnt)
                .iter()
                .filter_map(|&p| c_str(p).map(|s| s.into_owned()))
                .collect()
        };
        let prefixes_str: Vec<&str> = prefixes.iter().map(String::as_str).collect();
        let filtered = handle.config.filtered(&prefixes_str);
        let mut filter_c: Vec<*const c_char> = if filter.is_null() {
            Vec::new()
        } else {
            std::slice::from_raw_parts(filter, filter_cnt).to_vec()
        };
        dup_into(conf, filtered, &mut filter_c)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set(
    conf: *mut rd_kafka_conf_t,
    name: *const c_char,
    value: *const c_char,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_conf_res_t {
    ffi_boundary!(RD_KAFKA_CONF_INVALID, {
        if borrow(conf).is_none() {
            write_errstr(errstr, errstr_size, "Configuration object is NULL");
            return RD_KAFKA_CONF_INVALID;
        }
        // Interceptors see every property first and may claim it, as in
        // librdkafka: under the name given, then under each name its setter
        // passes the property through (alias target, the property itself).
        // An empty value reaches them as NULL ("revert to default").
        let ic_value = match c_str(value) {
            Some(v) if !v.is_empty() => value,
            _ => std::ptr::null(),
        };
        let claimed =
            crate::ffi::interceptor::on_conf_set(conf, name, ic_value, errstr, errstr_size);
        if claimed != RD_KAFKA_CONF_UNKNOWN {
            if claimed == RD_KAFKA_CONF_OK {
                crate::ffi::interceptor::remember_claimed(conf, name, ic_value);
            }
            return claimed;
        }
        let name_str = c_str(name).map(|n| n.into_owned()).unwrap_or_default();
        for via in crate::config::properties::interceptor_names(&name_str) {
            let via_c = CString::new(via).unwrap_or_default();
            let res = crate::ffi::interceptor::on_conf_set(
                conf,
                via_c.as_ptr(),
                ic_value,
                errstr,
                errstr_size,
            );
            if res != RD_KAFKA_CONF_UNKNOWN {
                return res;
            }
        }
        if name_str == crate::ffi::plugin::PATHS_PROPERTY {
            return crate::ffi::plugin::set_paths(conf, value, errstr, errstr_size);
        }
        let Some(handle) = borrow_mut(conf) else {
            return RD_KAFKA_CONF_INVALID;
        };
        set_with(name, value, errstr, errstr_size, |n, v| {
            handle.config.set(n, v)
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_get(
    conf: *const rd_kafka_conf_t,
    name: *const c_char,
    dest: *mut c_char,
    dest_size: *mut size_t,
) -> rd_kafka_conf_res_t {
    ffi_boundary!(RD_KAFKA_CONF_INVALID, {
        let Some(handle) = borrow(conf) else {
            return RD_KAFKA_CONF_INVALID;
        };
        get_with(name, dest, dest_size, |n| {
            handle.config.get(n).ok().flatten()
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_dump(
    conf: *mut rd_kafka_conf_t,
    cntp: *mut size_t,
) -> *mut *const c_char {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(handle) = borrow(conf) else {
            return std::ptr::null_mut();
        };
        dump_to_c(handle.config.dump(), cntp)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_dump_free(arr: *mut *const c_char, cnt: size_t) {
    ffi_boundary!((), {
        if arr.is_null() {
            return;
        }
        // SAFETY: arr and cnt come from dump_to_c, which boxed exactly cnt
        // CString pointers.
        let strings = Box::from_raw(std::ptr::slice_from_raw_parts_mut(arr, cnt));
        for &s in strings.iter() {
            if !s.is_null() {
                drop(CString::from_raw(s as *mut c_char));
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_properties_show(fp: *mut libc::FILE) {
    ffi_boundary!((), {
        if fp.is_null() {
            return;
        }
        let mut text = Vec::new();
        if crate::config::properties_show(&mut text).is_ok() {
            libc::fwrite(text.as_ptr() as *const c_void, 1, text.len(), fp);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_default_topic_conf(
    conf: *mut rd_kafka_conf_t,
    tconf: *mut rd_kafka_topic_conf_t,
) {
    ffi_boundary!((), {
        let Some(handle) = borrow_mut(conf) else {
            // Ownership passed to us either way: do not leak it.
            drop(take(tconf));
            return;
        };
        // Passing back the conf's own default topic conf changes nothing
        // (and it is not a separate allocation to take over).
        let own: *mut rd_kafka_topic_conf_t =
            lend(TopicConfHandle::view(handle.config.default_topic()));
        if tconf.is_null() || tconf == own {
            return;
        }
        if let Some(topic) = take(tconf) {
            handle.config.set_default_topic(topic.config);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_get_default_topic_conf(
    conf: *mut rd_kafka_conf_t,
) -> *mut rd_kafka_topic_conf_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(handle) = borrow_mut(conf) else {
            return std::ptr::null_mut();
        };
        match handle.config.default_topic_if_set() {
            Some(topic) => lend_mut(TopicConfHandle::view_mut(topic)),
            None => std::ptr::null_mut(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_opaque(conf: *mut rd_kafka_conf_t, opaque: *mut c_void) {
    ffi_boundary!((), {
        if let Some(handle) = borrow_mut(conf) {
            handle.config.set_pointer("opaque", opaque as usize);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_events(conf: *mut rd_kafka_conf_t, events: c_int) {
    ffi_boundary!((), {
        if let Some(handle) = borrow_mut(conf) {
            // A negative mask is outside the property's range; there is no
            // way to report it from this void function, so it is ignored.
            let _ = handle.config.set("enabled_events", &events.to_string());
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_enable_sasl_queue(
    conf: *mut rd_kafka_conf_t,
    enable: c_int,
) {
    ffi_boundary!((), {
        if let Some(handle) = borrow_mut(conf) {
            let _ = handle.config.set(
                "enable_sasl_queue",
                if enable != 0 { "true" } else { "false" },
            );
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_engine_callback_data(
    conf: *mut rd_kafka_conf_t,
    callback_data: *mut c_void,
) {
    ffi_boundary!((), {
        if let Some(handle) = borrow_mut(conf) {
            handle
                .config
                .set_pointer("ssl_engine_callback_data", callback_data as usize);
        }
    })
}

// Written out rather than macro-generated: cbindgen does not expand macros.

/// Stores a callback's address under the property of the same name.
unsafe fn set_callback(conf: *mut rd_kafka_conf_t, property: &str, addr: usize) {
    ffi_boundary!((), {
        if let Some(handle) = borrow_mut(conf) {
            handle.config.set_pointer(property, addr);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_dr_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            payload: *mut c_void,
            len: size_t,
            err: rd_kafka_resp_err_t,
            opaque: *mut c_void,
            msg_opaque: *mut c_void,
        ),
    >,
) {
    set_callback(conf, "dr_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_dr_msg_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            rkmessage: *const rd_kafka_message_t,
            opaque: *mut c_void,
        ),
    >,
) {
    set_callback(conf, "dr_msg_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_error_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            err: c_int,
            reason: *const c_char,
            opaque: *mut c_void,
        ),
    >,
) {
    set_callback(conf, "error_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_log_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            rk: *const rd_kafka_t,
            level: c_int,
            fac: *const c_char,
            buf: *const c_char,
        ),
    >,
) {
    set_callback(conf, "log_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_throttle_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            broker_name: *const c_char,
            broker_id: i32,
            throttle_time_ms: c_int,
            opaque: *mut c_void,
        ),
    >,
) {
    set_callback(conf, "throttle_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_stats_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            json: *mut c_char,
            json_len: size_t,
            opaque: *mut c_void,
        ) -> c_int,
    >,
) {
    set_callback(conf, "stats_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_rebalance_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            err: rd_kafka_resp_err_t,
            partitions: *mut rd_kafka_topic_partition_list_t,
            opaque: *mut c_void,
        ),
    >,
) {
    set_callback(conf, "rebalance_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_offset_commit_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            err: rd_kafka_resp_err_t,
            offsets: *mut rd_kafka_topic_partition_list_t,
            opaque: *mut c_void,
        ),
    >,
) {
    set_callback(conf, "offset_commit_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_consume_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<unsafe extern "C" fn(rkmessage: *mut rd_kafka_message_t, opaque: *mut c_void)>,
) {
    set_callback(conf, "consume_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_background_event_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(rk: *mut rd_kafka_t, rkev: *mut rd_kafka_event_t, opaque: *mut c_void),
    >,
) {
    set_callback(conf, "background_event_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_oauthbearer_token_refresh_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            oauthbearer_config: *const c_char,
            opaque: *mut c_void,
        ),
    >,
) {
    set_callback(
        conf,
        "oauthbearer_token_refresh_cb",
        cb.map_or(0, |f| f as usize),
    )
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_socket_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            domain: c_int,
            type_: c_int,
            protocol: c_int,
            opaque: *mut c_void,
        ) -> c_int,
    >,
) {
    set_callback(conf, "socket_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_connect_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            sockfd: c_int,
            addr: *const libc::sockaddr,
            addrlen: c_int,
            id: *const c_char,
            opaque: *mut c_void,
        ) -> c_int,
    >,
) {
    set_callback(conf, "connect_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_closesocket_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<unsafe extern "C" fn(sockfd: c_int, opaque: *mut c_void) -> c_int>,
) {
    set_callback(conf, "closesocket_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_open_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            pathname: *const c_char,
            flags: c_int,
            mode: libc::mode_t,
            opaque: *mut c_void,
        ) -> c_int,
    >,
) {
    set_callback(conf, "open_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_resolve_cb(
    conf: *mut rd_kafka_conf_t,
    cb: Option<
        unsafe extern "C" fn(
            node: *const c_char,
            service: *const c_char,
            hints: *const libc::addrinfo,
            res: *mut *mut libc::addrinfo,
            opaque: *mut c_void,
        ) -> c_int,
    >,
) {
    set_callback(conf, "resolve_cb", cb.map_or(0, |f| f as usize))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_ssl_cert_verify_cb(
    conf: *mut rd_kafka_conf_t,
    ssl_cert_verify_cb: Option<
        unsafe extern "C" fn(
            rk: *mut rd_kafka_t,
            broker_name: *const c_char,
            broker_id: i32,
            x509_error: *mut c_int,
            depth: c_int,
            buf: *const c_char,
            size: size_t,
            errstr: *mut c_char,
            errstr_size: size_t,
            opaque: *mut c_void,
        ) -> c_int,
    >,
) -> rd_kafka_conf_res_t {
    ffi_boundary!(RD_KAFKA_CONF_INVALID, {
        let Some(handle) = borrow_mut(conf) else {
            return RD_KAFKA_CONF_INVALID;
        };
        handle.config.set_pointer(
            "ssl.certificate.verify_cb",
            ssl_cert_verify_cb.map_or(0, |f| f as usize),
        );
        RD_KAFKA_CONF_OK
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_set_ssl_cert(
    conf: *mut rd_kafka_conf_t,
    cert_type: c_int,
    cert_enc: c_int,
    buffer: *const c_void,
    size: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_conf_res_t {
    ffi_boundary!(RD_KAFKA_CONF_INVALID, {
        let Some(handle) = borrow_mut(conf) else {
            write_errstr(errstr, errstr_size, "Configuration object is NULL");
            return RD_KAFKA_CONF_INVALID;
        };
        let kind = match rd_kafka_cert_type_t::from_raw(cert_type) {
            Some(rd_kafka_cert_type_t::RD_KAFKA_CERT_PUBLIC_KEY) => SslBlobKind::Public,
            Some(rd_kafka_cert_type_t::RD_KAFKA_CERT_PRIVATE_KEY) => SslBlobKind::Private,
            Some(rd_kafka_cert_type_t::RD_KAFKA_CERT_CA) => SslBlobKind::Ca,
            _ => {
                write_errstr(errstr, errstr_size, "Invalid certificate type");
                return RD_KAFKA_CONF_INVALID;
            }
        };
        let encoding = match rd_kafka_cert_enc_t::from_raw(cert_enc) {
            Some(rd_kafka_cert_enc_t::RD_KAFKA_CERT_ENC_PKCS12) => SslBlobEncoding::Pkcs12,
            Some(rd_kafka_cert_enc_t::RD_KAFKA_CERT_ENC_DER) => SslBlobEncoding::Der,
            Some(rd_kafka_cert_enc_t::RD_KAFKA_CERT_ENC_PEM) => SslBlobEncoding::Pem,
            _ => {
                write_errstr(errstr, errstr_size, "Invalid certificate encoding");
                return RD_KAFKA_CONF_INVALID;
            }
        };
        if buffer.is_null() || size == 0 {
            write_errstr(errstr, errstr_size, "Certificate buffer is empty");
            return RD_KAFKA_CONF_INVALID;
        }
        // SAFETY: the caller passes `size` readable bytes at `buffer`.
        let bytes = std::slice::from_raw_parts(buffer as *const u8, size).to_vec();
        let blob = SslBlob {
            kind,
            encoding,
            bytes,
        };
        // Checked now, as librdkafka parses the buffer in this call.
        let password = handle.config.string("ssl.key.password");
        if let Err(e) = crate::client::tls::check_blob(&blob, password) {
            write_errstr(errstr, errstr_size, &e);
            return RD_KAFKA_CONF_INVALID;
        }
        handle.config.add_ssl_blob(blob);
        RD_KAFKA_CONF_OK
    })
}

#[no_mangle]
pub extern "C" fn rd_kafka_topic_conf_new() -> *mut rd_kafka_topic_conf_t {
    ffi_boundary!(std::ptr::null_mut(), {
        topic_conf_into_raw(TopicConfig::new())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_conf_dup(
    tconf: *const rd_kafka_topic_conf_t,
) -> *mut rd_kafka_topic_conf_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(handle) = borrow(tconf) else {
            return std::ptr::null_mut();
        };
        topic_conf_into_raw(handle.config.clone())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_conf_destroy(tconf: *mut rd_kafka_topic_conf_t) {
    ffi_boundary!((), {
        drop(take(tconf));
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_conf_set(
    tconf: *mut rd_kafka_topic_conf_t,
    name: *const c_char,
    value: *const c_char,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_conf_res_t {
    ffi_boundary!(RD_KAFKA_CONF_INVALID, {
        let Some(handle) = borrow_mut(tconf) else {
            write_errstr(errstr, errstr_size, "Topic configuration object is NULL");
            return RD_KAFKA_CONF_INVALID;
        };
        set_with(name, value, errstr, errstr_size, |n, v| {
            handle.config.set(n, v)
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_conf_get(
    tconf: *const rd_kafka_topic_conf_t,
    name: *const c_char,
    dest: *mut c_char,
    dest_size: *mut size_t,
) -> rd_kafka_conf_res_t {
    ffi_boundary!(RD_KAFKA_CONF_INVALID, {
        let Some(handle) = borrow(tconf) else {
            return RD_KAFKA_CONF_INVALID;
        };
        get_with(name, dest, dest_size, |n| {
            handle.config.get(n).ok().flatten()
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_conf_dump(
    tconf: *mut rd_kafka_topic_conf_t,
    cntp: *mut size_t,
) -> *mut *const c_char {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(handle) = borrow(tconf) else {
            return std::ptr::null_mut();
        };
        dump_to_c(handle.config.dump(), cntp)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_conf_set_opaque(
    tconf: *mut rd_kafka_topic_conf_t,
    rkt_opaque: *mut c_void,
) {
    ffi_boundary!((), {
        if let Some(handle) = borrow_mut(tconf) {
            handle.config.set_pointer("opaque", rkt_opaque as usize);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_conf_set_partitioner_cb(
    tconf: *mut rd_kafka_topic_conf_t,
    partitioner: Option<
        unsafe extern "C" fn(
            rkt: *const rd_kafka_topic_t,
            keydata: *const c_void,
            keylen: size_t,
            partition_cnt: i32,
            rkt_opaque: *mut c_void,
            msg_opaque: *mut c_void,
        ) -> i32,
    >,
) {
    ffi_boundary!((), {
        if let Some(handle) = borrow_mut(tconf) {
            handle
                .config
                .set_pointer("partitioner_cb", partitioner.map_or(0, |f| f as usize));
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_conf_set_msg_order_cmp(
    tconf: *mut rd_kafka_topic_conf_t,
    msg_order_cmp: Option<
        unsafe extern "C" fn(a: *const rd_kafka_message_t, b: *const rd_kafka_message_t) -> c_int,
    >,
) {
    ffi_boundary!((), {
        if let Some(handle) = borrow_mut(tconf) {
            handle
                .config
                .set_pointer("msg_order_cmp", msg_order_cmp.map_or(0, |f| f as usize));
        }
    })
}

/// The configuration objects and their string-returning calls used as C
/// uses them: out-parameters, caller buffers (truncation, size queries),
/// dump arrays freed by `rd_kafka_conf_dump_free`, the borrowed default
/// topic conf. Run under Miri by `tests/miri.sh`.
#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::ptr::{null, null_mut};

    unsafe fn get(conf: *const rd_kafka_conf_t, name: &CStr) -> (rd_kafka_conf_res_t, String) {
        let mut size: size_t = 0;
        let res = rd_kafka_conf_get(conf, name.as_ptr(), null_mut(), &mut size);
        if res != RD_KAFKA_CONF_OK {
            return (res, String::new());
        }
        let mut buf = vec![0 as c_char; size];
        let mut size2 = size;
        assert_eq!(
            rd_kafka_conf_get(conf, name.as_ptr(), buf.as_mut_ptr(), &mut size2),
            res
        );
        assert_eq!(size2, size);
        (
            res,
            CStr::from_ptr(buf.as_ptr()).to_str().unwrap().to_owned(),
        )
    }

    unsafe fn dump(arr: *mut *const c_char, cnt: size_t) -> Vec<String> {
        (0..cnt)
            .map(|i| CStr::from_ptr(*arr.add(i)).to_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn set_get_dup_and_destroy() {
        unsafe {
            let conf = rd_kafka_conf_new();
            let mut errstr = [0 as c_char; 64];
            assert_eq!(
                rd_kafka_conf_set(
                    conf,
                    c"client.id".as_ptr(),
                    c"miri".as_ptr(),
                    errstr.as_mut_ptr(),
                    64
                ),
                RD_KAFKA_CONF_OK
            );
            assert_eq!(get(conf, c"client.id"), (RD_KAFKA_CONF_OK, "miri".into()));
            // Unknown property: the message fills (and is cut to) the buffer.
            let mut small = [0x7f as c_char; 8];
            assert_eq!(
                rd_kafka_conf_set(
                    conf,
                    c"no.such".as_ptr(),
                    c"1".as_ptr(),
                    small.as_mut_ptr(),
                    8
                ),
                RD_KAFKA_CONF_UNKNOWN
            );
            assert_eq!(CStr::from_ptr(small.as_ptr()).to_bytes().len(), 7);
            assert_eq!(
                rd_kafka_conf_set(conf, null(), c"1".as_ptr(), errstr.as_mut_ptr(), 64),
                RD_KAFKA_CONF_UNKNOWN
            );
            assert_eq!(
                rd_kafka_conf_set(null_mut(), c"a".as_ptr(), c"1".as_ptr(), null_mut(), 0),
                RD_KAFKA_CONF_INVALID
            );
            // A value longer than the buffer: truncated, NUL-terminated, full size reported.
            let mut buf = [0x7f as c_char; 3];
            let mut size: size_t = 3;
            assert_eq!(
                rd_kafka_conf_get(conf, c"client.id".as_ptr(), buf.as_mut_ptr(), &mut size),
                RD_KAFKA_CONF_OK
            );
            assert_eq!(
                (CStr::from_ptr(buf.as_ptr()).to_bytes(), size),
                (&b"mi"[..], 5)
            );
            assert_eq!(
                rd_kafka_conf_get(conf, c"client.id".as_ptr(), buf.as_mut_ptr(), null_mut()),
                RD_KAFKA_CONF_INVALID
            );
            assert_eq!(get(conf, c"no.such").0, RD_KAFKA_CONF_UNKNOWN);
            let dup = rd_kafka_conf_dup(conf);
            rd_kafka_conf_destroy(conf);
            assert_eq!(get(dup, c"client.id").1, "miri");
            let filter = [c"client.".as_ptr()];
            let filtered = rd_kafka_conf_dup_filter(dup, 1, filter.as_ptr() as *mut *const c_char);
            assert_eq!(get(filtered, c"client.id").1, "rdkafka");
            rd_kafka_conf_destroy(filtered);
            rd_kafka_conf_destroy(dup);
            rd_kafka_conf_destroy(null_mut());
            assert!(rd_kafka_conf_dup(null()).is_null());
        }
    }

    #[test]
    fn dumps_are_arrays_of_pairs_freed_by_dump_free() {
        unsafe {
            let conf = rd_kafka_conf_new();
            rd_kafka_conf_set(conf, c"client.id".as_ptr(), c"d".as_ptr(), null_mut(), 0);
            let mut cnt: size_t = 0;
            let arr = rd_kafka_conf_dump(conf, &mut cnt);
            assert!(cnt > 0 && cnt % 2 == 0);
            let pairs = dump(arr, cnt);
            let at = pairs.iter().position(|s| s == "client.id").unwrap();
            assert_eq!(pairs[at + 1], "d");
            rd_kafka_conf_dump_free(arr, cnt);
            rd_kafka_conf_dump_free(null_mut(), 0);
            assert!(rd_kafka_conf_dump(conf, null_mut()).is_null());

            let tconf = rd_kafka_topic_conf_new();
            assert_eq!(
                rd_kafka_topic_conf_set(tconf, c"acks".as_ptr(), c"1".as_ptr(), null_mut(), 0),
                RD_KAFKA_CONF_OK
            );
            let arr = rd_kafka_topic_conf_dump(tconf, &mut cnt);
            let pairs = dump(arr, cnt);
            let at = pairs
                .iter()
                .position(|s| s == "request.required.acks" || s == "acks")
                .unwrap();
            assert_eq!(pairs[at + 1], "1");
            rd_kafka_conf_dump_free(arr, cnt);
            rd_kafka_topic_conf_destroy(tconf);
            rd_kafka_conf_destroy(conf);
        }
    }

    unsafe extern "C" fn last_partition(
        _rkt: *const rd_kafka_topic_t,
        _key: *const c_void,
        _keylen: size_t,
        partition_cnt: i32,
        rkt_opaque: *mut c_void,
        _msg_opaque: *mut c_void,
    ) -> i32 {
        // The application's partitioner; in the boundary like everything
        // extern "C" here (tests/ffi_boundary.rs).
        ffi_boundary!(-1, { partition_cnt - 1 + rkt_opaque as i32 })
    }

    #[test]
    fn topic_conf_and_the_borrowed_default() {
        unsafe {
            let conf = rd_kafka_conf_new();
            assert!(rd_kafka_conf_get_default_topic_conf(conf).is_null());
            let tconf = rd_kafka_topic_conf_new();
            rd_kafka_topic_conf_set_opaque(tconf, 1 as *mut c_void);
            rd_kafka_topic_conf_set_partitioner_cb(tconf, Some(last_partition));
            let tdup = rd_kafka_topic_conf_dup(tconf);
            rd_kafka_topic_conf_destroy(tconf);
            // The stored callback is called back through its round trip.
            let h = borrow(tdup).unwrap();
            let f = h.partitioner().unwrap();
            assert_eq!(f(null(), null(), 0, 4, h.opaque(), null_mut()), 4);
            // Ownership passes to the conf.
            rd_kafka_conf_set_default_topic_conf(conf, tdup);
            let borrowed = rd_kafka_conf_get_default_topic_conf(conf);
            assert!(!borrowed.is_null());
            // C changes the conf's own default topic conf through the pointer.
            assert_eq!(
                rd_kafka_topic_conf_set(borrowed, c"acks".as_ptr(), c"all".as_ptr(), null_mut(), 0),
                RD_KAFKA_CONF_OK
            );
            let mut buf = [0 as c_char; 16];
            let mut size: size_t = 16;
            assert_eq!(
                rd_kafka_topic_conf_get(borrowed, c"acks".as_ptr(), buf.as_mut_ptr(), &mut size),
                RD_KAFKA_CONF_OK
            );
            assert_eq!(CStr::from_ptr(buf.as_ptr()).to_str().unwrap(), "-1");
            // Passing back its own default topic conf changes nothing.
            rd_kafka_conf_set_default_topic_conf(conf, borrowed);
            assert_eq!(rd_kafka_conf_get_default_topic_conf(conf), borrowed);
            // Ownership passes even when the conf is NULL.
            rd_kafka_conf_set_default_topic_conf(null_mut(), rd_kafka_topic_conf_new());
            rd_kafka_conf_destroy(conf);
            rd_kafka_topic_conf_destroy(null_mut());
        }
    }
}
