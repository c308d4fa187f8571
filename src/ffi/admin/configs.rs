//! `rd_kafka_ConfigResource_t` and `rd_kafka_ConfigEntry_t`: the resources
//! an application asks DescribeConfigs/AlterConfigs about, and the same
//! objects as results list them (owned by the result event).

use crate::client::admin::configs::ConfigResourceSpec;
use crate::client::admin::options::AdminOp;
use crate::client::admin::result::{ConfigEntryInfo, ResourceResult};
use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::admin::call::{objects, prepare};
use crate::ffi::admin::results::{cstring, resources_of};
use crate::ffi::boundary::c_str;
use crate::ffi::handle::{borrow, borrow_mut, into_ptr, lend, take};
use crate::ffi::types::*;
use libc::{c_char, c_int, size_t};
use std::ffi::CString;

/// A config entry; its synonyms are entries too (boxed: C holds pointers).
pub struct ConfigEntry {
    pub(crate) name: CString,
    pub(crate) value: Option<CString>,
    pub(crate) source: i32,
    pub(crate) is_read_only: bool,
    pub(crate) is_default: bool,
    pub(crate) is_sensitive: bool,
    pub(crate) is_synonym: bool,
    /// Owned here; C reads them through `synonym_ptrs`.
    _synonyms: Vec<Box<ConfigEntry>>,
    pub(crate) synonym_ptrs: Vec<*const rd_kafka_ConfigEntry_t>,
}

impl ConfigEntry {
    fn from_info(info: ConfigEntryInfo) -> ConfigEntry {
        let synonyms: Vec<Box<ConfigEntry>> = info
            .synonyms
            .into_iter()
            .map(|s| Box::new(ConfigEntry::from_info(s)))
            .collect();
        let synonym_ptrs = synonyms
            .iter()
            .map(|s| lend::<rd_kafka_ConfigEntry_t>(&**s).cast_const())
            .collect();
        ConfigEntry {
            name: cstring(&info.name),
            value: info.value.as_deref().map(cstring),
            source: info.source,
            is_read_only: info.is_read_only,
            is_default: info.is_default,
            is_sensitive: info.is_sensitive,
            is_synonym: info.is_synonym,
            _synonyms: synonyms,
            synonym_ptrs,
        }
    }
}

/// A config resource: what to describe or alter, or what a result says.
pub struct ConfigResource {
    pub(crate) restype: i32,
    pub(crate) name: CString,
    pub(crate) entries: Vec<Box<ConfigEntry>>,
    /// Pointers to `entries`, rebuilt whenever an entry is added.
    pub(crate) entry_ptrs: Vec<*const rd_kafka_ConfigEntry_t>,
    pub(crate) err: ErrorCode,
    pub(crate) errstr: Option<CString>,
}

impl ConfigResource {
    pub fn new(restype: i32, name: &str) -> ConfigResource {
        ConfigResource {
            restype,
            name: cstring(name),
            entries: Vec::new(),
            entry_ptrs: Vec::new(),
            err: ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
            errstr: None,
        }
    }

    pub(crate) fn push_entry(&mut self, entry: ConfigEntry) {
        self.entries.push(Box::new(entry));
        self.entry_ptrs = self
            .entries
            .iter()
            .map(|e| lend::<rd_kafka_ConfigEntry_t>(&**e).cast_const())
            .collect();
    }

    pub fn from_result(r: ResourceResult) -> ConfigResource {
        let mut resource = ConfigResource::new(r.restype, &r.name);
        resource.err = r.err;
        resource.errstr = r.errstr.as_deref().map(cstring);
        for info in r.configs {
            resource.push_entry(ConfigEntry::from_info(info));
        }
        resource
    }
}

impl ConfigResource {
    /// What a DescribeConfigs/AlterConfigs call sends for this resource.
    fn spec(&self) -> ConfigResourceSpec {
        ConfigResourceSpec {
            restype: self.restype,
            name: self.name.to_string_lossy().into_owned(),
            configs: self
                .entries
                .iter()
                .map(|e| {
                    (
                        e.name.to_string_lossy().into_owned(),
                        e.value.as_ref().map(|v| v.to_string_lossy().into_owned()),
                    )
                })
                .collect(),
        }
    }
}

/// Hands out an array of entry pointers with its length.
unsafe fn hand_out(
    ptrs: &[*const rd_kafka_ConfigEntry_t],
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigEntry_t {
    if !cntp.is_null() {
        *cntp = ptrs.len();
    }
    if ptrs.is_empty() {
        std::ptr::null_mut()
    } else {
        ptrs.as_ptr().cast_mut()
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigSource_name(
    confsource: rd_kafka_ConfigSource_raw,
) -> *const c_char {
    ffi_boundary!(c"UNSUPPORTED".as_ptr(), {
        let name = match confsource {
            0 => c"UNKNOWN_CONFIG",
            1 => c"DYNAMIC_TOPIC_CONFIG",
            2 => c"DYNAMIC_BROKER_CONFIG",
            3 => c"DYNAMIC_DEFAULT_BROKER_CONFIG",
            4 => c"STATIC_BROKER_CONFIG",
            5 => c"DEFAULT_CONFIG",
            _ => c"UNSUPPORTED",
        };
        name.as_ptr()
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ResourceType_name(
    restype: rd_kafka_ResourceType_raw,
) -> *const c_char {
    ffi_boundary!(c"UNSUPPORTED".as_ptr(), {
        let name = match restype {
            0 => c"UNKNOWN",
            1 => c"ANY",
            2 => c"TOPIC",
            3 => c"GROUP",
            4 => c"BROKER",
            _ => c"UNSUPPORTED",
        };
        name.as_ptr()
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_name(
    entry: *const rd_kafka_ConfigEntry_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(entry).map_or(std::ptr::null(), |e| e.name.as_ptr())
    })
}

/// NULL for a sensitive or unset value.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_value(
    entry: *const rd_kafka_ConfigEntry_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(entry)
            .and_then(|e| e.value.as_ref())
            .map_or(std::ptr::null(), |v| v.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_source(
    entry: *const rd_kafka_ConfigEntry_t,
) -> rd_kafka_ConfigSource_t {
    ffi_boundary!(
        rd_kafka_ConfigSource_t::RD_KAFKA_CONFIG_SOURCE_UNKNOWN_CONFIG,
        {
            use rd_kafka_ConfigSource_t::*;
            match borrow(entry).map(|e| e.source) {
                Some(1) => RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG,
                Some(2) => RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG,
                Some(3) => RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG,
                Some(4) => RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG,
                Some(5) => RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG,
                _ => RD_KAFKA_CONFIG_SOURCE_UNKNOWN_CONFIG,
            }
        }
    )
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_is_read_only(
    entry: *const rd_kafka_ConfigEntry_t,
) -> c_int {
    ffi_boundary!(0, {
        borrow(entry).map_or(0, |e| c_int::from(e.is_read_only))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_is_default(
    entry: *const rd_kafka_ConfigEntry_t,
) -> c_int {
    ffi_boundary!(0, {
        borrow(entry).map_or(0, |e| c_int::from(e.is_default))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_is_sensitive(
    entry: *const rd_kafka_ConfigEntry_t,
) -> c_int {
    ffi_boundary!(0, {
        borrow(entry).map_or(0, |e| c_int::from(e.is_sensitive))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_is_synonym(
    entry: *const rd_kafka_ConfigEntry_t,
) -> c_int {
    ffi_boundary!(0, {
        borrow(entry).map_or(0, |e| c_int::from(e.is_synonym))
    })
}

/// The entry's synonyms, most specific first; owned by the entry.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigEntry_synonyms(
    entry: *const rd_kafka_ConfigEntry_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigEntry_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match borrow(entry) {
            Some(e) => hand_out(&e.synonym_ptrs, cntp),
            None => hand_out(&[], cntp),
        }
    })
}

/// NULL for a NULL name or an unknown resource type.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigResource_new(
    restype: rd_kafka_ResourceType_raw,
    resname: *const c_char,
) -> *mut rd_kafka_ConfigResource_t {
    ffi_boundary!(std::ptr::null_mut(), {
        let Some(name) = c_str(resname) else {
            return std::ptr::null_mut();
        };
        if !(0..rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE__CNT as c_int).contains(&restype) {
            return std::ptr::null_mut();
        }
        into_ptr(ConfigResource::new(restype, &name))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigResource_destroy(config: *mut rd_kafka_ConfigResource_t) {
    ffi_boundary!((), { drop(take(config)) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigResource_destroy_array(
    config: *mut *mut rd_kafka_ConfigResource_t,
    config_cnt: size_t,
) {
    ffi_boundary!((), {
        if config.is_null() {
            return;
        }
        for p in std::slice::from_raw_parts(config, config_cnt) {
            drop(take(*p));
        }
    })
}

/// Sets (AlterConfigs replaces the resource's whole configuration) `name`
/// to `value`; NULL value: back to the default.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigResource_set_config(
    config: *mut rd_kafka_ConfigResource_t,
    name: *const c_char,
    value: *const c_char,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        let (Some(resource), Some(name)) = (borrow_mut(config), c_str(name)) else {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if name.is_empty() {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        resource.push_entry(ConfigEntry::from_info(ConfigEntryInfo {
            name: name.into_owned(),
            value: c_str(value).map(|v| v.into_owned()),
            ..Default::default()
        }));
        ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigResource_configs(
    config: *const rd_kafka_ConfigResource_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigEntry_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match borrow(config) {
            Some(r) => hand_out(&r.entry_ptrs, cntp),
            None => hand_out(&[], cntp),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigResource_type(
    config: *const rd_kafka_ConfigResource_t,
) -> rd_kafka_ResourceType_t {
    ffi_boundary!(rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_UNKNOWN, {
        use rd_kafka_ResourceType_t::*;
        match borrow(config).map(|r| r.restype) {
            Some(1) => RD_KAFKA_RESOURCE_ANY,
            Some(2) => RD_KAFKA_RESOURCE_TOPIC,
            Some(3) => RD_KAFKA_RESOURCE_GROUP,
            Some(4) => RD_KAFKA_RESOURCE_BROKER,
            _ => RD_KAFKA_RESOURCE_UNKNOWN,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigResource_name(
    config: *const rd_kafka_ConfigResource_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(config).map_or(std::ptr::null(), |r| r.name.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigResource_error(
    config: *const rd_kafka_ConfigResource_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        borrow(config).map_or(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG, |r| r.err)
    })
}

/// NULL when the resource succeeded.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ConfigResource_error_string(
    config: *const rd_kafka_ConfigResource_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(config)
            .and_then(|r| r.errstr.as_ref())
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// The resources' specs for a call (NULL entries: an empty list, which the
/// call's checks refuse).
unsafe fn specs(
    configs: *mut *mut rd_kafka_ConfigResource_t,
    cnt: size_t,
) -> Vec<ConfigResourceSpec> {
    objects(configs, cnt)
        .map(|v| v.into_iter().map(|r| r.spec()).collect())
        .unwrap_or_default()
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AlterConfigs(
    rk: *mut rd_kafka_t,
    configs: *mut *mut rd_kafka_ConfigResource_t,
    config_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, reply)) = prepare(rk, options, rkqu, AdminOp::AlterConfigs)
        else {
            return;
        };
        client.admin_alter_configs(specs(configs, config_cnt), options, reply);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DescribeConfigs(
    rk: *mut rd_kafka_t,
    configs: *mut *mut rd_kafka_ConfigResource_t,
    config_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, reply)) = prepare(rk, options, rkqu, AdminOp::DescribeConfigs)
        else {
            return;
        };
        client.admin_describe_configs(specs(configs, config_cnt), options, reply);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AlterConfigs_result_resources(
    result: *const rd_kafka_AlterConfigs_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigResource_t {
    ffi_boundary!(std::ptr::null_mut(), {
        resources_of(result, RD_KAFKA_EVENT_ALTERCONFIGS_RESULT, cntp)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DescribeConfigs_result_resources(
    result: *const rd_kafka_DescribeConfigs_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_ConfigResource_t {
    ffi_boundary!(std::ptr::null_mut(), {
        resources_of(result, RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT, cntp)
    })
}
