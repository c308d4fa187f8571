//! Interceptors (rdkafka.h, "Interceptors"): the chains an application or
//! plugin registers, and the calls into them.
//!
//! Two homes, as in librdkafka:
//! - [`ConfInterceptors`] (`on_conf_set`, `on_conf_dup`, `on_conf_destroy`,
//!   `on_new`) live in the `rd_kafka_conf_t` and move with it into the
//!   client at `rd_kafka_new`; `rd_kafka_conf_dup` does not copy them (the
//!   `on_conf_dup` interceptors re-register themselves on the copy).
//! - [`ClientInterceptors`] (everything else) belong to one client. They
//!   may only be added from `on_new`, while `rd_kafka_new` runs; then the
//!   chains are sealed and handed to the core as its
//!   [`crate::client::interceptors::Interceptors`], whose call sites decide
//!   the thread each one runs on.
//!
//! A method is keyed by its name and function: adding the same pair twice
//! is `RD_KAFKA_RESP_ERR__CONFLICT` (except `on_conf_destroy`, which a
//! plugin may add once per configuration it sets up). Chains run in the
//! order added; an error an interceptor returns is logged and otherwise
//! ignored.

#![allow(non_camel_case_types)]

use std::ffi::CString;
use std::sync::OnceLock;

use libc::{c_char, c_int, c_void, size_t};
use parking_lot::Mutex;

use crate::client::interceptors::{Interceptors, ThreadKind, WireEvent};
use crate::client::log::LOG_WARNING;
use crate::client::message::Msg;
use crate::client::topic_partition::TopicPartition;
use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::boundary::c_str;
use crate::ffi::handle::{borrow, borrow_mut, lend_mut};
use crate::ffi::kafka::KafkaHandle;
use crate::ffi::types::rd_kafka_conf_res_t::{self, RD_KAFKA_CONF_UNKNOWN};
use crate::ffi::types::{
    rd_kafka_conf_t, rd_kafka_message_t, rd_kafka_t, rd_kafka_thread_type_t,
    rd_kafka_topic_partition_list_t,
};

pub type rd_kafka_interceptor_f_on_conf_set_t = Option<
    unsafe extern "C" fn(
        conf: *mut rd_kafka_conf_t,
        name: *const c_char,
        val: *const c_char,
        errstr: *mut c_char,
        errstr_size: size_t,
        ic_opaque: *mut c_void,
    ) -> rd_kafka_conf_res_t,
>;
pub type rd_kafka_interceptor_f_on_conf_dup_t = Option<
    unsafe extern "C" fn(
        new_conf: *mut rd_kafka_conf_t,
        old_conf: *const rd_kafka_conf_t,
        filter_cnt: size_t,
        filter: *mut *const c_char,
        ic_opaque: *mut c_void,
    ) -> rd_kafka_resp_err_t,
>;
pub type rd_kafka_interceptor_f_on_conf_destroy_t =
    Option<unsafe extern "C" fn(ic_opaque: *mut c_void) -> rd_kafka_resp_err_t>;
pub type rd_kafka_interceptor_f_on_new_t = Option<
    unsafe extern "C" fn(
        rk: *mut rd_kafka_t,
        conf: *const rd_kafka_conf_t,
        ic_opaque: *mut c_void,
        errstr: *mut c_char,
        errstr_size: size_t,
    ) -> rd_kafka_resp_err_t,
>;
pub type rd_kafka_interceptor_f_on_destroy_t = Option<
    unsafe extern "C" fn(rk: *mut rd_kafka_t, ic_opaque: *mut c_void) -> rd_kafka_resp_err_t,
>;
pub type rd_kafka_interceptor_f_on_send_t = Option<
    unsafe extern "C" fn(
        rk: *mut rd_kafka_t,
        rkmessage: *mut rd_kafka_message_t,
        ic_opaque: *mut c_void,
    ) -> rd_kafka_resp_err_t,
>;
pub type rd_kafka_interceptor_f_on_acknowledgement_t = Option<
    unsafe extern "C" fn(
        rk: *mut rd_kafka_t,
        rkmessage: *mut rd_kafka_message_t,
        ic_opaque: *mut c_void,
    ) -> rd_kafka_resp_err_t,
>;
pub type rd_kafka_interceptor_f_on_consume_t = Option<
    unsafe extern "C" fn(
        rk: *mut rd_kafka_t,
        rkmessage: *mut rd_kafka_message_t,
        ic_opaque: *mut c_void,
    ) -> rd_kafka_resp_err_t,
>;
pub type rd_kafka_interceptor_f_on_commit_t = Option<
    unsafe extern "C" fn(
        rk: *mut rd_kafka_t,
        offsets: *const rd_kafka_topic_partition_list_t,
        err: rd_kafka_resp_err_t,
        ic_opaque: *mut c_void,
    ) -> rd_kafka_resp_err_t,
>;
pub type rd_kafka_interceptor_f_on_request_sent_t = Option<
    unsafe extern "C" fn(
        rk: *mut rd_kafka_t,
        sockfd: c_int,
        brokername: *const c_char,
        brokerid: i32,
        api_key: i16,
        api_version: i16,
        corr_id: i32,
        size: size_t,
        ic_opaque: *mut c_void,
    ) -> rd_kafka_resp_err_t,
>;
pub type rd_kafka_interceptor_f_on_response_received_t = Option<
    unsafe extern "C" fn(
        rk: *mut rd_kafka_t,
        sockfd: c_int,
        brokername: *const c_char,
        brokerid: i32,
        api_key: i16,
        api_version: i16,
        corr_id: i32,
        size: size_t,
        rtt: i64,
        err: rd_kafka_resp_err_t,
        ic_opaque: *mut c_void,
    ) -> rd_kafka_resp_err_t,
>;
pub type rd_kafka_interceptor_f_on_thread_start_t = Option<
    unsafe extern "C" fn(
        rk: *mut rd_kafka_t,
        thread_type: rd_kafka_thread_type_t,
        thread_name: *const c_char,
        ic_opaque: *mut c_void,
    ) -> rd_kafka_resp_err_t,
>;
pub type rd_kafka_interceptor_f_on_thread_exit_t = Option<
    unsafe extern "C" fn(
        rk: *mut rd_kafka_t,
        thread_type: rd_kafka_thread_type_t,
        thread_name: *const c_char,
        ic_opaque: *mut c_void,
    ) -> rd_kafka_resp_err_t,
>;
pub type rd_kafka_interceptor_f_on_broker_state_change_t = Option<
    unsafe extern "C" fn(
        rk: *mut rd_kafka_t,
        broker_id: i32,
        secproto: *const c_char,
        name: *const c_char,
        port: c_int,
        state: *const c_char,
        ic_opaque: *mut c_void,
    ) -> rd_kafka_resp_err_t,
>;

/// The function type inside a nullable function pointer type.
pub trait Nullable {
    type Fn;
}

impl<F> Nullable for Option<F> {
    type Fn = F;
}

/// The (non-NULL) function of interceptor type `T`.
pub type Func<T> = <T as Nullable>::Fn;

/// One registered method: its display name, function and opaque.
#[derive(Clone)]
pub struct Method<F> {
    pub name: String,
    pub func: F,
    pub opaque: usize,
}

impl<F: Copy> Method<F> {
    fn opaque(&self) -> *mut c_void {
        self.opaque as *mut c_void
    }
}

/// A function pointer's address: what makes two methods the same.
trait FnAddr {
    fn addr(&self) -> usize;
}

macro_rules! fn_addr {
    ($($ty:ty),*) => {$(
        impl FnAddr for $ty {
            fn addr(&self) -> usize {
                *self as usize
            }
        }
    )*};
}

fn_addr!(
    Func<rd_kafka_interceptor_f_on_conf_set_t>,
    Func<rd_kafka_interceptor_f_on_conf_dup_t>,
    Func<rd_kafka_interceptor_f_on_conf_destroy_t>,
    Func<rd_kafka_interceptor_f_on_new_t>,
    Func<rd_kafka_interceptor_f_on_destroy_t>,
    Func<rd_kafka_interceptor_f_on_send_t>,
    Func<rd_kafka_interceptor_f_on_commit_t>,
    Func<rd_kafka_interceptor_f_on_request_sent_t>,
    Func<rd_kafka_interceptor_f_on_response_received_t>,
    Func<rd_kafka_interceptor_f_on_thread_start_t>,
    Func<rd_kafka_interceptor_f_on_broker_state_change_t>
);

/// Appends to `chain` unless the same name and function are there already.
fn add_method<F: Copy + FnAddr>(
    chain: &mut Vec<Method<F>>,
    name: *const c_char,
    func: Option<F>,
    opaque: *mut c_void,
    unique: bool,
) -> rd_kafka_resp_err_t {
    // SAFETY: name is NULL or a C string from the caller.
    let (Some(name), Some(func)) = (unsafe { c_str(name) }, func) else {
        return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
    };
    if unique
        && chain
            .iter()
            .any(|m| m.name == name && m.func.addr() == func.addr())
    {
        return ErrorCode::RD_KAFKA_RESP_ERR__CONFLICT;
    }
    chain.push(Method {
        name: name.into_owned(),
        func,
        opaque: opaque as usize,
    });
    ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
}

/// The interceptors a configuration object carries.
#[derive(Default, Clone)]
pub struct ConfInterceptors {
    pub on_conf_set: Vec<Method<Func<rd_kafka_interceptor_f_on_conf_set_t>>>,
    pub on_conf_dup: Vec<Method<Func<rd_kafka_interceptor_f_on_conf_dup_t>>>,
    pub on_conf_destroy: Vec<Method<Func<rd_kafka_interceptor_f_on_conf_destroy_t>>>,
    pub on_new: Vec<Method<Func<rd_kafka_interceptor_f_on_new_t>>>,
    /// Properties an `on_conf_set` interceptor claimed (name, value), in
    /// order: `rd_kafka_conf_dup` sets them again on the copy.
    pub claimed: Vec<(CString, Option<CString>)>,
}

impl ConfInterceptors {
    pub fn is_empty(&self) -> bool {
        self.on_conf_set.is_empty()
            && self.on_conf_dup.is_empty()
            && self.on_conf_destroy.is_empty()
            && self.on_new.is_empty()
    }
}

/// Records a property an interceptor claimed on `conf` (see `claimed`).
///
/// # Safety
/// `conf` is live; `name` a C string, `value` NULL or one.
pub unsafe fn remember_claimed(
    conf: *mut rd_kafka_conf_t,
    name: *const c_char,
    value: *const c_char,
) {
    let (Some(h), Some(name)) = (borrow_mut(conf), c_str(name)) else {
        return;
    };
    let name = CString::new(name.as_bytes()).unwrap_or_default();
    let value = c_str(value).map(|v| CString::new(v.as_bytes()).unwrap_or_default());
    let claimed = &mut h.interceptors.claimed;
    match claimed.iter_mut().find(|(n, _)| *n == name) {
        Some(entry) => entry.1 = value,
        None => claimed.push((name, value)),
    }
}

/// `rd_kafka_conf_dup`'s part after the copy: the copy's interceptors (set
/// up by `on_conf_dup`) see each property the application had set, as
/// librdkafka's copy stores them one by one, then the properties `old`'s
/// interceptors had claimed are set on the copy again (those a filter
/// prefix names excepted).
///
/// # Safety
/// Both are live configurations; `filter` holds C strings.
pub unsafe fn after_dup(
    new: *mut rd_kafka_conf_t,
    old: *const rd_kafka_conf_t,
    copied: &[(String, String)],
    filter: &[*const c_char],
) {
    let mut errstr = [0 as c_char; 512];
    for (name, value) in copied {
        let (Ok(name), Ok(value)) = (CString::new(name.as_str()), CString::new(value.as_str()))
        else {
            continue;
        };
        let _ = on_conf_set(
            new,
            name.as_ptr(),
            value.as_ptr(),
            errstr.as_mut_ptr(),
            errstr.len(),
        );
    }
    let prefixes: Vec<String> = filter
        .iter()
        .filter_map(|&p| c_str(p).map(|s| s.into_owned()))
        .collect();
    let claimed = match borrow(old) {
        Some(h) => h.interceptors.claimed.clone(),
        None => return,
    };
    for (name, value) in claimed {
        if prefixes
            .iter()
            .any(|p| name.to_bytes().starts_with(p.as_bytes()))
        {
            continue;
        }
        let value_ptr = value.as_ref().map_or(std::ptr::null(), |v| v.as_ptr());
        let _ = crate::ffi::conf::rd_kafka_conf_set(
            new,
            name.as_ptr(),
            value_ptr,
            errstr.as_mut_ptr(),
            errstr.len(),
        );
    }
}

/// Runs the `on_conf_set` chain: the first interceptor that does not answer
/// `RD_KAFKA_CONF_UNKNOWN` claims the property.
///
/// # Safety
/// `conf` is the live configuration the chain belongs to.
pub unsafe fn on_conf_set(
    conf: *mut rd_kafka_conf_t,
    name: *const c_char,
    value: *const c_char,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_conf_res_t {
    // The chain is copied out: an interceptor may call back into this conf.
    let chain = match borrow(conf) {
        Some(h) => h.interceptors.on_conf_set.clone(),
        None => return RD_KAFKA_CONF_UNKNOWN,
    };
    for m in chain {
        let res = (m.func)(conf, name, value, errstr, errstr_size, m.opaque());
        if res != RD_KAFKA_CONF_UNKNOWN {
            return res;
        }
    }
    RD_KAFKA_CONF_UNKNOWN
}

/// `rd_kafka_conf_dup`'s part: each `on_conf_dup` interceptor of `old`
/// sets itself up on `new` (before the properties are copied).
///
/// # Safety
/// Both are live configuration objects.
pub unsafe fn on_conf_dup(
    new: *mut rd_kafka_conf_t,
    old: *const rd_kafka_conf_t,
    filter: &mut [*const c_char],
) {
    let chain = match borrow(old) {
        Some(h) => h.interceptors.on_conf_dup.clone(),
        None => return,
    };
    let filter_ptr = if filter.is_empty() {
        std::ptr::null_mut()
    } else {
        filter.as_mut_ptr()
    };
    for m in chain {
        let _ = (m.func)(new, old, filter.len(), filter_ptr, m.opaque());
    }
}

/// The `on_conf_destroy` chain, when a configuration object goes.
pub fn on_conf_destroy(interceptors: &ConfInterceptors) {
    for m in &interceptors.on_conf_destroy {
        // SAFETY: a function the application registered, with its opaque.
        let _ = unsafe { (m.func)(m.opaque()) };
    }
}

#[derive(Default, Clone)]
struct ClientChains {
    on_destroy: Vec<Method<Func<rd_kafka_interceptor_f_on_destroy_t>>>,
    on_send: Vec<Method<Func<rd_kafka_interceptor_f_on_send_t>>>,
    on_acknowledgement: Vec<Method<Func<rd_kafka_interceptor_f_on_acknowledgement_t>>>,
    on_consume: Vec<Method<Func<rd_kafka_interceptor_f_on_consume_t>>>,
    on_commit: Vec<Method<Func<rd_kafka_interceptor_f_on_commit_t>>>,
    on_request_sent: Vec<Method<Func<rd_kafka_interceptor_f_on_request_sent_t>>>,
    on_response_received: Vec<Method<Func<rd_kafka_interceptor_f_on_response_received_t>>>,
    on_thread_start: Vec<Method<Func<rd_kafka_interceptor_f_on_thread_start_t>>>,
    on_thread_exit: Vec<Method<Func<rd_kafka_interceptor_f_on_thread_exit_t>>>,
    on_broker_state_change: Vec<Method<Func<rd_kafka_interceptor_f_on_broker_state_change_t>>>,
}

impl ClientChains {
    fn is_empty(&self) -> bool {
        self.on_destroy.is_empty()
            && self.on_send.is_empty()
            && self.on_acknowledgement.is_empty()
            && self.on_consume.is_empty()
            && self.on_commit.is_empty()
            && self.on_request_sent.is_empty()
            && self.on_response_received.is_empty()
            && self.on_thread_start.is_empty()
            && self.on_thread_exit.is_empty()
            && self.on_broker_state_change.is_empty()
    }
}

/// One client's interceptors: added to while `rd_kafka_new` runs `on_new`,
/// then sealed.
pub struct ClientInterceptors {
    /// The `rd_kafka_t*` handed to every call (set once the handle exists).
    rk: std::sync::atomic::AtomicUsize,
    building: Mutex<ClientChains>,
    sealed: OnceLock<ClientChains>,
}

// SAFETY: the function pointers and opaques are the application's, which
// rdkafka.h makes responsible for them being callable from library threads.
unsafe impl Send for ClientInterceptors {}
unsafe impl Sync for ClientInterceptors {}

impl Default for ClientInterceptors {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientInterceptors {
    pub fn new() -> ClientInterceptors {
        ClientInterceptors {
            rk: std::sync::atomic::AtomicUsize::new(0),
            building: Mutex::new(ClientChains::default()),
            sealed: OnceLock::new(),
        }
    }

    fn rk(&self) -> *mut rd_kafka_t {
        self.rk.load(std::sync::atomic::Ordering::Acquire) as *mut rd_kafka_t
    }

    /// Ends registration; whether any interceptor was added.
    pub fn seal(&self) -> bool {
        let chains = std::mem::take(&mut *self.building.lock());
        let any = !chains.is_empty();
        let _ = self.sealed.set(chains);
        any
    }

    /// Whether any client interceptor was added (after sealing).
    pub fn any(&self) -> bool {
        self.sealed.get().is_some_and(|c| !c.is_empty())
    }

    fn chains(&self) -> Option<&ClientChains> {
        self.sealed.get()
    }

    /// The `on_destroy` chain (`rd_kafka_destroy`, or a failed `rd_kafka_new`).
    pub fn on_destroy(&self) {
        let chain = match self.chains() {
            Some(c) => c.on_destroy.clone(),
            None => self.building.lock().on_destroy.clone(),
        };
        for m in chain {
            // SAFETY: a registered function with its opaque.
            let err = unsafe { (m.func)(self.rk(), m.opaque()) };
            self.note(&m.name, "on_destroy", err);
        }
    }

    /// Logs an interceptor's failure, as librdkafka does; nothing else
    /// changes.
    fn note(&self, name: &str, method: &str, err: rd_kafka_resp_err_t) {
        if err == ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR {
            return;
        }
        // SAFETY: the handle outlives its threads and interceptor calls.
        if let Some(h) = unsafe { crate::ffi::kafka::handle(self.rk()) } {
            h.client().log(
                LOG_WARNING,
                "ICFAIL",
                &format!("Interceptor {name} failed {method}: {}", err.description()),
            );
        }
    }

    fn message_chain(
        &self,
        msg: &mut Msg,
        method: &str,
        pick: impl Fn(&ClientChains) -> &Vec<Method<Func<rd_kafka_interceptor_f_on_send_t>>>,
    ) {
        let Some(chains) = self.chains() else { return };
        for m in pick(chains) {
            let ptr: *mut rd_kafka_message_t = lend_mut(msg);
            // SAFETY: a registered function, given the message C sees.
            let err = unsafe { (m.func)(self.rk(), ptr, m.opaque()) };
            self.note(&m.name, method, err);
        }
    }

    fn thread_chain(
        &self,
        kind: ThreadKind,
        name: &str,
        method: &str,
        pick: impl Fn(&ClientChains) -> &Vec<Method<Func<rd_kafka_interceptor_f_on_thread_start_t>>>,
    ) {
        let Some(chains) = self.chains() else { return };
        let chain = pick(chains);
        if chain.is_empty() {
            return;
        }
        let name_c = CString::new(name).unwrap_or_default();
        let kind = match kind {
            ThreadKind::Main => rd_kafka_thread_type_t::RD_KAFKA_THREAD_MAIN,
            ThreadKind::Background => rd_kafka_thread_type_t::RD_KAFKA_THREAD_BACKGROUND,
            ThreadKind::Broker => rd_kafka_thread_type_t::RD_KAFKA_THREAD_BROKER,
        };
        for m in chain {
            // SAFETY: a registered function with its opaque.
            let err = unsafe { (m.func)(self.rk(), kind, name_c.as_ptr(), m.opaque()) };
            self.note(&m.name, method, err);
        }
    }
}

impl Interceptors for ClientInterceptors {
    fn on_send(&self, msg: &mut Msg) {
        self.message_chain(msg, "on_send", |c| &c.on_send);
    }

    fn on_acknowledgement(&self, msg: &mut Msg) {
        self.message_chain(msg, "on_acknowledgement", |c| &c.on_acknowledgement);
    }

    fn on_consume(&self, msg: &mut Msg) {
        self.message_chain(msg, "on_consume", |c| &c.on_consume);
    }

    fn on_commit(&self, offsets: &[TopicPartition], err: ErrorCode) {
        let Some(chains) = self.chains() else { return };
        if chains.on_commit.is_empty() {
            return;
        }
        let list = crate::ffi::partition_list::list_from(offsets);
        for m in &chains.on_commit {
            // SAFETY: a registered function; the list lives until below.
            let e = unsafe { (m.func)(self.rk(), list, err, m.opaque()) };
            self.note(&m.name, "on_commit", e);
        }
        // SAFETY: made above, destroyed once.
        unsafe { crate::ffi::partition_list::rd_kafka_topic_partition_list_destroy(list) };
    }

    fn on_request_sent(&self, sockfd: i32, r: &WireEvent<'_>) {
        let Some(chains) = self.chains() else { return };
        if chains.on_request_sent.is_empty() {
            return;
        }
        let name = CString::new(r.broker_name).unwrap_or_default();
        for m in &chains.on_request_sent {
            // SAFETY: a registered function with its opaque.
            let err = unsafe {
                (m.func)(
                    self.rk(),
                    sockfd,
                    name.as_ptr(),
                    r.broker_id,
                    r.api_key,
                    r.api_version,
                    r.correlation_id,
                    r.size,
                    m.opaque(),
                )
            };
            self.note(&m.name, "on_request_sent", err);
        }
    }

    fn on_response_received(&self, r: &WireEvent<'_>, rtt_us: i64, err: ErrorCode) {
        let Some(chains) = self.chains() else { return };
        if chains.on_response_received.is_empty() {
            return;
        }
        let name = CString::new(r.broker_name).unwrap_or_default();
        for m in &chains.on_response_received {
            // SAFETY: a registered function with its opaque. The socket is
            // always -1 here, as rdkafka.h documents.
            let e = unsafe {
                (m.func)(
                    self.rk(),
                    -1,
                    name.as_ptr(),
                    r.broker_id,
                    r.api_key,
                    r.api_version,
                    r.correlation_id,
                    r.size,
                    rtt_us,
                    err,
                    m.opaque(),
                )
            };
            self.note(&m.name, "on_response_received", e);
        }
    }

    fn on_thread_start(&self, kind: ThreadKind, name: &str) {
        self.thread_chain(kind, name, "on_thread_start", |c| &c.on_thread_start);
    }

    fn on_thread_exit(&self, kind: ThreadKind, name: &str) {
        self.thread_chain(kind, name, "on_thread_exit", |c| &c.on_thread_exit);
    }

    fn on_broker_state_change(
        &self,
        broker_id: i32,
        secproto: &str,
        host: &str,
        port: u16,
        state: &str,
    ) {
        let Some(chains) = self.chains() else { return };
        if chains.on_broker_state_change.is_empty() {
            return;
        }
        let secproto = CString::new(secproto).unwrap_or_default();
        let host = CString::new(host).unwrap_or_default();
        let state = CString::new(state).unwrap_or_default();
        for m in &chains.on_broker_state_change {
            // SAFETY: a registered function with its opaque.
            let err = unsafe {
                (m.func)(
                    self.rk(),
                    broker_id,
                    secproto.as_ptr(),
                    host.as_ptr(),
                    c_int::from(port),
                    state.as_ptr(),
                    m.opaque(),
                )
            };
            self.note(&m.name, "on_broker_state_change", err);
        }
    }
}

/// Adds to a configuration's chain.
unsafe fn conf_add(
    conf: *mut rd_kafka_conf_t,
    add: impl FnOnce(&mut ConfInterceptors) -> rd_kafka_resp_err_t,
) -> rd_kafka_resp_err_t {
    match borrow_mut(conf) {
        Some(h) => add(&mut h.interceptors),
        None => ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG,
    }
}

/// Adds to a client's chain: only while `rd_kafka_new` runs `on_new`.
unsafe fn client_add(
    rk: *mut rd_kafka_t,
    add: impl FnOnce(&mut ClientChains) -> rd_kafka_resp_err_t,
) -> rd_kafka_resp_err_t {
    // Not `kafka::handle`: the client does not exist yet during on_new.
    let Some(h) = borrow::<rd_kafka_t>(rk) else {
        return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
    };
    let h: &KafkaHandle = h;
    if h.interceptors.sealed.get().is_some() {
        // rdkafka.h: they MUST NOT be added after rd_kafka_new() returns.
        return ErrorCode::RD_KAFKA_RESP_ERR__STATE;
    }
    let mut chains = h.interceptors.building.lock();
    add(&mut chains)
}

/// Appends an `on_conf_set` interceptor to `conf`; `__CONFLICT` when `ic_name` already
/// added this function.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_interceptor_add_on_conf_set(
    conf: *mut rd_kafka_conf_t,
    ic_name: *const c_char,
    on_conf_set: rd_kafka_interceptor_f_on_conf_set_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        conf_add(conf, |ic| {
            add_method(&mut ic.on_conf_set, ic_name, on_conf_set, ic_opaque, true)
        })
    })
}

/// Appends an `on_conf_dup` interceptor to `conf`; `__CONFLICT` when `ic_name` already
/// added this function.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_interceptor_add_on_conf_dup(
    conf: *mut rd_kafka_conf_t,
    ic_name: *const c_char,
    on_conf_dup: rd_kafka_interceptor_f_on_conf_dup_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        conf_add(conf, |ic| {
            add_method(&mut ic.on_conf_dup, ic_name, on_conf_dup, ic_opaque, true)
        })
    })
}

/// Appends an `on_conf_destroy` interceptor (the same one may be added again).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_interceptor_add_on_conf_destroy(
    conf: *mut rd_kafka_conf_t,
    ic_name: *const c_char,
    on_conf_destroy: rd_kafka_interceptor_f_on_conf_destroy_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        conf_add(conf, |ic| {
            add_method(
                &mut ic.on_conf_destroy,
                ic_name,
                on_conf_destroy,
                ic_opaque,
                false,
            )
        })
    })
}

/// Appends an `on_new` interceptor to `conf`; `__CONFLICT` when `ic_name` already
/// added this function.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_conf_interceptor_add_on_new(
    conf: *mut rd_kafka_conf_t,
    ic_name: *const c_char,
    on_new: rd_kafka_interceptor_f_on_new_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        conf_add(conf, |ic| {
            add_method(&mut ic.on_new, ic_name, on_new, ic_opaque, true)
        })
    })
}

/// Appends an `on_destroy` interceptor to `rk` (from `on_new` only).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_destroy(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_destroy: rd_kafka_interceptor_f_on_destroy_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        client_add(rk, |c| {
            add_method(&mut c.on_destroy, ic_name, on_destroy, ic_opaque, true)
        })
    })
}

/// Appends an `on_send` interceptor to `rk` (from `on_new` only).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_send(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_send: rd_kafka_interceptor_f_on_send_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        client_add(rk, |c| {
            add_method(&mut c.on_send, ic_name, on_send, ic_opaque, true)
        })
    })
}

/// Appends an `on_acknowledgement` interceptor to `rk` (from `on_new` only).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_acknowledgement(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_acknowledgement: rd_kafka_interceptor_f_on_acknowledgement_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        client_add(rk, |c| {
            add_method(
                &mut c.on_acknowledgement,
                ic_name,
                on_acknowledgement,
                ic_opaque,
                true,
            )
        })
    })
}

/// Appends an `on_consume` interceptor to `rk` (from `on_new` only).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_consume(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_consume: rd_kafka_interceptor_f_on_consume_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        client_add(rk, |c| {
            add_method(&mut c.on_consume, ic_name, on_consume, ic_opaque, true)
        })
    })
}

/// Appends an `on_commit` interceptor to `rk` (from `on_new` only).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_commit(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_commit: rd_kafka_interceptor_f_on_commit_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        client_add(rk, |c| {
            add_method(&mut c.on_commit, ic_name, on_commit, ic_opaque, true)
        })
    })
}

/// Appends an `on_request_sent` interceptor to `rk` (from `on_new` only).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_request_sent(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_request_sent: rd_kafka_interceptor_f_on_request_sent_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        client_add(rk, |c| {
            add_method(
                &mut c.on_request_sent,
                ic_name,
                on_request_sent,
                ic_opaque,
                true,
            )
        })
    })
}

/// Appends an `on_response_received` interceptor to `rk` (from `on_new` only).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_response_received(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_response_received: rd_kafka_interceptor_f_on_response_received_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        client_add(rk, |c| {
            add_method(
                &mut c.on_response_received,
                ic_name,
                on_response_received,
                ic_opaque,
                true,
            )
        })
    })
}

/// Appends an `on_thread_start` interceptor to `rk` (from `on_new` only).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_thread_start(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_thread_start: rd_kafka_interceptor_f_on_thread_start_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        client_add(rk, |c| {
            add_method(
                &mut c.on_thread_start,
                ic_name,
                on_thread_start,
                ic_opaque,
                true,
            )
        })
    })
}

/// Appends an `on_thread_exit` interceptor to `rk` (from `on_new` only).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_thread_exit(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_thread_exit: rd_kafka_interceptor_f_on_thread_exit_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        client_add(rk, |c| {
            add_method(
                &mut c.on_thread_exit,
                ic_name,
                on_thread_exit,
                ic_opaque,
                true,
            )
        })
    })
}

/// Appends an `on_broker_state_change` interceptor to `rk` (from `on_new` only).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_interceptor_add_on_broker_state_change(
    rk: *mut rd_kafka_t,
    ic_name: *const c_char,
    on_broker_state_change: rd_kafka_interceptor_f_on_broker_state_change_t,
    ic_opaque: *mut c_void,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        client_add(rk, |c| {
            add_method(
                &mut c.on_broker_state_change,
                ic_name,
                on_broker_state_change,
                ic_opaque,
                true,
            )
        })
    })
}

/// `rd_kafka_new`'s part: runs the conf's `on_new` chain for `rk` (whose
/// client is not built yet), then seals the client's chains. Returns the
/// chains for the core when any interceptor was added.
///
/// # Safety
/// `rk` is the handle being built; `conf` its configuration (moved in).
pub unsafe fn on_new(
    rk: *mut rd_kafka_t,
    conf: *const rd_kafka_conf_t,
) -> Option<std::sync::Arc<ClientInterceptors>> {
    let (chain, ics) = {
        let h: &KafkaHandle = borrow::<rd_kafka_t>(rk)?;
        (h.conf.interceptors.on_new.clone(), h.interceptors.clone())
    };
    ics.rk
        .store(rk as usize, std::sync::atomic::Ordering::Release);
    for m in chain {
        let mut errstr = [0 as c_char; 512];
        let _ = (m.func)(rk, conf, m.opaque(), errstr.as_mut_ptr(), errstr.len());
    }
    if ics.seal() {
        Some(ics)
    } else {
        None
    }
}
