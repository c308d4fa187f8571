//! `plugin.library.paths`: plugins are shared libraries whose `conf_init`
//! sets up interceptors on the configuration that names them, as in
//! librdkafka. Setting the property loads each library (`;`-separated;
//! a path that does not load is retried with the platform's `.so` suffix)
//! and calls its `conf_init` right away; a library that does not load, has
//! no `conf_init` or whose `conf_init` fails makes the set fail with
//! `RD_KAFKA_CONF_INVALID` and the reason in errstr.
//!
//! A loaded library stays loaded while any configuration or client made
//! from that configuration holds it ([`Plugin`] is shared by `Arc`), and
//! `rd_kafka_conf_dup` calls `conf_init` again for the copy.

use std::ffi::{CStr, CString};
use std::sync::Arc;

use libc::{c_char, c_void, size_t};

use crate::error::rd_kafka_resp_err_t;
use crate::ffi::boundary::{c_str, write_errstr};
use crate::ffi::handle::{borrow, borrow_mut};
use crate::ffi::types::rd_kafka_conf_res_t::{self, *};
use crate::ffi::types::rd_kafka_conf_t;

pub const PATHS_PROPERTY: &str = "plugin.library.paths";

type ConfInit = unsafe extern "C" fn(
    conf: *mut rd_kafka_conf_t,
    plug_opaquep: *mut *mut c_void,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t;

/// One loaded plugin library.
pub struct Plugin {
    path: String,
    dl: *mut c_void,
    conf_init: ConfInit,
}

// SAFETY: a dlopen handle may be used and closed from any thread.
unsafe impl Send for Plugin {}
unsafe impl Sync for Plugin {}

impl Drop for Plugin {
    fn drop(&mut self) {
        // SAFETY: opened by `load`, closed once.
        unsafe { libc::dlclose(self.dl) };
    }
}

fn dl_error() -> String {
    // SAFETY: dlerror returns NULL or a C string valid until the next dl call.
    unsafe {
        let e = libc::dlerror();
        if e.is_null() {
            "unknown error".to_string()
        } else {
            CStr::from_ptr(e).to_string_lossy().into_owned()
        }
    }
}

impl Plugin {
    fn load(path: &str) -> Result<Plugin, String> {
        let open = |p: &str| -> Result<*mut c_void, String> {
            let c = CString::new(p).map_err(|_| format!("{p}: path contains NUL"))?;
            // SAFETY: a valid C string; RTLD_NOW reports missing symbols here.
            let dl = unsafe { libc::dlopen(c.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
            if dl.is_null() {
                Err(dl_error())
            } else {
                Ok(dl)
            }
        };
        let dl = match open(path) {
            Ok(dl) => dl,
            Err(first) if !path.ends_with(".so") => open(&format!("{path}.so"))
                .map_err(|_| format!("Failed to load plugin \"{path}\": {first}"))?,
            Err(e) => return Err(format!("Failed to load plugin \"{path}\": {e}")),
        };
        // SAFETY: dl is a live handle; the symbol name is a C string.
        let sym = unsafe { libc::dlsym(dl, c"conf_init".as_ptr()) };
        if sym.is_null() {
            // SAFETY: opened above, not used after.
            unsafe { libc::dlclose(dl) };
            return Err(format!(
                "Failed to load plugin \"{path}\": does not contain conf_init symbol"
            ));
        }
        Ok(Plugin {
            path: path.to_string(),
            dl,
            // SAFETY: a plugin's conf_init has rdkafka.h's
            // rd_kafka_plugin_f_conf_init_t signature by contract.
            conf_init: unsafe { std::mem::transmute::<*mut c_void, ConfInit>(sym) },
        })
    }

    /// Calls the plugin's `conf_init` for `conf`.
    unsafe fn init(&self, conf: *mut rd_kafka_conf_t) -> Result<(), String> {
        let mut opaque: *mut c_void = std::ptr::null_mut();
        let mut errstr = [0 as c_char; 512];
        let err = (self.conf_init)(conf, &mut opaque, errstr.as_mut_ptr(), errstr.len());
        if err == crate::error::ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR {
            Ok(())
        } else {
            let reason = CStr::from_ptr(errstr.as_ptr()).to_string_lossy();
            Err(format!(
                "Failed to initialize plugin \"{}\": {}",
                self.path, reason
            ))
        }
    }
}

/// `rd_kafka_conf_set(conf, "plugin.library.paths", value)`.
///
/// # Safety
/// `conf` is a live configuration; the strings are NULL or C strings.
pub unsafe fn set_paths(
    conf: *mut rd_kafka_conf_t,
    value: *const c_char,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_conf_res_t {
    let value = c_str(value).unwrap_or_default().into_owned();
    let mut loaded = Vec::new();
    for path in value.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let plugin = match Plugin::load(path) {
            Ok(p) => Arc::new(p),
            Err(e) => {
                write_errstr(errstr, errstr_size, &e);
                return RD_KAFKA_CONF_INVALID;
            }
        };
        // conf_init may call back into this conf (interceptors, other
        // properties): no borrow is held across it.
        if let Err(e) = plugin.init(conf) {
            write_errstr(errstr, errstr_size, &e);
            return RD_KAFKA_CONF_INVALID;
        }
        loaded.push(plugin);
    }
    let Some(handle) = borrow_mut(conf) else {
        return RD_KAFKA_CONF_INVALID;
    };
    if let Err(e) = handle.config.set(PATHS_PROPERTY, &value) {
        write_errstr(errstr, errstr_size, &e.message);
        return RD_KAFKA_CONF_INVALID;
    }
    handle.plugins.extend(loaded);
    RD_KAFKA_CONF_OK
}

/// `rd_kafka_conf_dup`'s part: the copy keeps `old`'s plugins loaded and
/// each plugin's `conf_init` sets it up, as librdkafka re-applies the
/// property to the copy. A failure is ignored, as librdkafka's dup cannot
/// fail.
///
/// # Safety
/// Both are live configurations.
pub unsafe fn init_copy(new: *mut rd_kafka_conf_t, old: *const rd_kafka_conf_t) {
    let plugins = match borrow(old) {
        Some(h) => h.plugins.clone(),
        None => return,
    };
    for p in &plugins {
        let _ = p.init(new);
    }
    if let Some(h) = borrow_mut(new) {
        h.plugins = plugins;
    }
}
