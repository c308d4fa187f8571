//! AclBinding objects (bindings and filters), the enum names, and the
//! CreateAcls, DescribeAcls, DeleteAcls calls with their result accessors.

use crate::client::admin::acls::{
    enum_name, AclSpec, DeleteAclsOutcome, OPERATION_NAMES, PATTERN_TYPE_NAMES,
    PERMISSION_TYPE_NAMES,
};
use crate::client::admin::options::AdminOp;
use crate::error::ErrorCode;
use crate::ffi::admin::call::{objects, prepare};
use crate::ffi::admin::results::{cstring, payload_of, Listed};
use crate::ffi::boundary::{c_str, write_errstr};
use crate::ffi::error::new_error_ptr;
use crate::ffi::handle::{borrow, into_ptr, take};
use crate::ffi::types::*;
use libc::{c_char, size_t};
use std::ffi::CString;

/// `rd_kafka_AclBinding_t` (also a filter): the binding and the C strings
/// its accessors return. Made by the application (a `Box`) or owned by a
/// result event.
pub struct AclObj {
    pub spec: AclSpec,
    name: Option<CString>,
    principal: Option<CString>,
    host: Option<CString>,
    error: *mut rd_kafka_error_t,
}

impl AclObj {
    pub fn new(spec: AclSpec) -> AclObj {
        AclObj {
            name: spec.name.as_deref().map(cstring),
            principal: spec.principal.as_deref().map(cstring),
            host: spec.host.as_deref().map(cstring),
            error: error_ptr(&spec.error),
            spec,
        }
    }
}

impl Drop for AclObj {
    fn drop(&mut self) {
        // SAFETY: made for this object alone (or NULL).
        unsafe { crate::ffi::error::rd_kafka_error_destroy(self.error) };
    }
}

fn error_ptr(error: &Option<(ErrorCode, String)>) -> *mut rd_kafka_error_t {
    match error {
        Some((err, text)) => new_error_ptr(*err, text.clone()),
        None => std::ptr::null_mut(),
    }
}

/// `rd_kafka_acl_result_t`: one CreateAcls binding's error (NULL: created).
pub struct AclResultObj {
    error: *mut rd_kafka_error_t,
}

impl AclResultObj {
    pub fn new(error: Option<(ErrorCode, String)>) -> AclResultObj {
        AclResultObj {
            error: error_ptr(&error),
        }
    }
}

impl Drop for AclResultObj {
    fn drop(&mut self) {
        // SAFETY: made for this object alone (or NULL).
        unsafe { crate::ffi::error::rd_kafka_error_destroy(self.error) };
    }
}

/// `rd_kafka_DeleteAcls_result_response_t`.
pub struct DeleteAclsResponseObj {
    error: *mut rd_kafka_error_t,
    matching: Listed<AclObj, rd_kafka_AclBinding_t>,
}

impl DeleteAclsResponseObj {
    pub fn new(outcome: DeleteAclsOutcome) -> DeleteAclsResponseObj {
        DeleteAclsResponseObj {
            error: error_ptr(&outcome.error),
            matching: Listed::new(outcome.matching.into_iter().map(AclObj::new).collect()),
        }
    }
}

impl Drop for DeleteAclsResponseObj {
    fn drop(&mut self) {
        // SAFETY: made for this object alone (or NULL).
        unsafe { crate::ffi::error::rd_kafka_error_destroy(self.error) };
    }
}

#[allow(clippy::too_many_arguments)]
unsafe fn new_acl(
    filter: bool,
    restype: rd_kafka_ResourceType_raw,
    name: *const c_char,
    pattern_type: rd_kafka_ResourcePatternType_raw,
    principal: *const c_char,
    host: *const c_char,
    operation: rd_kafka_AclOperation_raw,
    permission_type: rd_kafka_AclPermissionType_raw,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_AclBinding_t {
    let text = |p| c_str(p).map(|s: std::borrow::Cow<'_, str>| s.into_owned());
    let make = if filter {
        AclSpec::filter
    } else {
        AclSpec::binding
    };
    match make(
        restype,
        text(name),
        pattern_type,
        text(principal),
        text(host),
        operation,
        permission_type,
    ) {
        Ok(spec) => into_ptr(AclObj::new(spec)),
        Err(reason) => {
            write_errstr(errstr, errstr_size, &reason);
            std::ptr::null_mut()
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclBinding_new(
    restype: rd_kafka_ResourceType_raw,
    name: *const c_char,
    resource_pattern_type: rd_kafka_ResourcePatternType_raw,
    principal: *const c_char,
    host: *const c_char,
    operation: rd_kafka_AclOperation_raw,
    permission_type: rd_kafka_AclPermissionType_raw,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_AclBinding_t {
    ffi_boundary!(std::ptr::null_mut(), {
        new_acl(
            false,
            restype,
            name,
            resource_pattern_type,
            principal,
            host,
            operation,
            permission_type,
            errstr,
            errstr_size,
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclBindingFilter_new(
    restype: rd_kafka_ResourceType_raw,
    name: *const c_char,
    resource_pattern_type: rd_kafka_ResourcePatternType_raw,
    principal: *const c_char,
    host: *const c_char,
    operation: rd_kafka_AclOperation_raw,
    permission_type: rd_kafka_AclPermissionType_raw,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_AclBindingFilter_t {
    ffi_boundary!(std::ptr::null_mut(), {
        new_acl(
            true,
            restype,
            name,
            resource_pattern_type,
            principal,
            host,
            operation,
            permission_type,
            errstr,
            errstr_size,
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclBinding_destroy(acl_binding: *mut rd_kafka_AclBinding_t) {
    ffi_boundary!((), { drop(take(acl_binding)) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclBinding_destroy_array(
    acl_bindings: *mut *mut rd_kafka_AclBinding_t,
    acl_bindings_cnt: size_t,
) {
    ffi_boundary!((), {
        if !acl_bindings.is_null() {
            for p in std::slice::from_raw_parts(acl_bindings, acl_bindings_cnt) {
                drop(take(*p));
            }
        }
    })
}

fn str_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclBinding_restype(
    acl: *const rd_kafka_AclBinding_t,
) -> rd_kafka_ResourceType_t {
    ffi_boundary!(rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_UNKNOWN, {
        use rd_kafka_ResourceType_t::*;
        match borrow(acl).map(|a| a.spec.restype) {
            Some(1) => RD_KAFKA_RESOURCE_ANY,
            Some(2) => RD_KAFKA_RESOURCE_TOPIC,
            Some(3) => RD_KAFKA_RESOURCE_GROUP,
            Some(4) => RD_KAFKA_RESOURCE_BROKER,
            _ => RD_KAFKA_RESOURCE_UNKNOWN,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclBinding_name(
    acl: *const rd_kafka_AclBinding_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(acl).map_or(std::ptr::null(), |a| str_ptr(&a.name))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclBinding_principal(
    acl: *const rd_kafka_AclBinding_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(acl).map_or(std::ptr::null(), |a| str_ptr(&a.principal))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclBinding_host(
    acl: *const rd_kafka_AclBinding_t,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(acl).map_or(std::ptr::null(), |a| str_ptr(&a.host))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclBinding_operation(
    acl: *const rd_kafka_AclBinding_t,
) -> rd_kafka_AclOperation_t {
    ffi_boundary!(rd_kafka_AclOperation_t::RD_KAFKA_ACL_OPERATION_UNKNOWN, {
        use rd_kafka_AclOperation_t::*;
        match borrow(acl).map(|a| a.spec.operation) {
            Some(1) => RD_KAFKA_ACL_OPERATION_ANY,
            Some(2) => RD_KAFKA_ACL_OPERATION_ALL,
            Some(3) => RD_KAFKA_ACL_OPERATION_READ,
            Some(4) => RD_KAFKA_ACL_OPERATION_WRITE,
            Some(5) => RD_KAFKA_ACL_OPERATION_CREATE,
            Some(6) => RD_KAFKA_ACL_OPERATION_DELETE,
            Some(7) => RD_KAFKA_ACL_OPERATION_ALTER,
            Some(8) => RD_KAFKA_ACL_OPERATION_DESCRIBE,
            Some(9) => RD_KAFKA_ACL_OPERATION_CLUSTER_ACTION,
            Some(10) => RD_KAFKA_ACL_OPERATION_DESCRIBE_CONFIGS,
            Some(11) => RD_KAFKA_ACL_OPERATION_ALTER_CONFIGS,
            Some(12) => RD_KAFKA_ACL_OPERATION_IDEMPOTENT_WRITE,
            _ => RD_KAFKA_ACL_OPERATION_UNKNOWN,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclBinding_permission_type(
    acl: *const rd_kafka_AclBinding_t,
) -> rd_kafka_AclPermissionType_t {
    ffi_boundary!(
        rd_kafka_AclPermissionType_t::RD_KAFKA_ACL_PERMISSION_TYPE_UNKNOWN,
        {
            use rd_kafka_AclPermissionType_t::*;
            match borrow(acl).map(|a| a.spec.permission_type) {
                Some(1) => RD_KAFKA_ACL_PERMISSION_TYPE_ANY,
                Some(2) => RD_KAFKA_ACL_PERMISSION_TYPE_DENY,
                Some(3) => RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW,
                _ => RD_KAFKA_ACL_PERMISSION_TYPE_UNKNOWN,
            }
        }
    )
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclBinding_resource_pattern_type(
    acl: *const rd_kafka_AclBinding_t,
) -> rd_kafka_ResourcePatternType_t {
    ffi_boundary!(
        rd_kafka_ResourcePatternType_t::RD_KAFKA_RESOURCE_PATTERN_UNKNOWN,
        {
            use rd_kafka_ResourcePatternType_t::*;
            match borrow(acl).map(|a| a.spec.pattern_type) {
                Some(1) => RD_KAFKA_RESOURCE_PATTERN_ANY,
                Some(2) => RD_KAFKA_RESOURCE_PATTERN_MATCH,
                Some(3) => RD_KAFKA_RESOURCE_PATTERN_LITERAL,
                Some(4) => RD_KAFKA_RESOURCE_PATTERN_PREFIXED,
                _ => RD_KAFKA_RESOURCE_PATTERN_UNKNOWN,
            }
        }
    )
}

/// The broker's error for this binding (in DeleteAcls results), or NULL.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclBinding_error(
    acl: *const rd_kafka_AclBinding_t,
) -> *const rd_kafka_error_t {
    ffi_boundary!(std::ptr::null(), {
        borrow(acl).map_or(std::ptr::null(), |a| a.error.cast_const())
    })
}

/// Names as static C strings (the tables hold Rust `&str`s).
fn static_name(name: &'static str) -> *const c_char {
    macro_rules! table {
        ($($n:literal),*) => {
            match name {
                $($n => concat!($n, "\0").as_ptr().cast(),)*
                _ => c"UNSUPPORTED".as_ptr(),
            }
        };
    }
    table!(
        "UNKNOWN",
        "ANY",
        "ALL",
        "READ",
        "WRITE",
        "CREATE",
        "DELETE",
        "ALTER",
        "DESCRIBE",
        "CLUSTER_ACTION",
        "DESCRIBE_CONFIGS",
        "ALTER_CONFIGS",
        "IDEMPOTENT_WRITE",
        "DENY",
        "ALLOW",
        "MATCH",
        "LITERAL",
        "PREFIXED"
    )
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclOperation_name(
    acl_operation: rd_kafka_AclOperation_raw,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        static_name(enum_name(&OPERATION_NAMES, acl_operation))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_AclPermissionType_name(
    acl_permission_type: rd_kafka_AclPermissionType_raw,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        static_name(enum_name(&PERMISSION_TYPE_NAMES, acl_permission_type))
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_ResourcePatternType_name(
    resource_pattern_type: rd_kafka_ResourcePatternType_raw,
) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        static_name(enum_name(&PATTERN_TYPE_NAMES, resource_pattern_type))
    })
}

/// The specs behind a C array of bindings; `None` when an entry is NULL.
unsafe fn specs(array: *mut *mut rd_kafka_AclBinding_t, cnt: size_t) -> Option<Vec<AclSpec>> {
    objects(array, cnt).map(|objs: Vec<&AclObj>| objs.iter().map(|o| o.spec.clone()).collect())
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_CreateAcls(
    rk: *mut rd_kafka_t,
    new_acls: *mut *mut rd_kafka_AclBinding_t,
    new_acls_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, queue)) = prepare(rk, options, rkqu, AdminOp::CreateAcls) else {
            return;
        };
        let acls = specs(new_acls, new_acls_cnt).unwrap_or_default();
        client.admin_create_acls(acls, options, queue);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DescribeAcls(
    rk: *mut rd_kafka_t,
    acl_filter: *mut rd_kafka_AclBindingFilter_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, queue)) = prepare(rk, options, rkqu, AdminOp::DescribeAcls)
        else {
            return;
        };
        let filter = borrow(acl_filter).map(|f| f.spec.clone());
        client.admin_describe_acls(filter, options, queue);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteAcls(
    rk: *mut rd_kafka_t,
    del_acls: *mut *mut rd_kafka_AclBindingFilter_t,
    del_acls_cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    ffi_boundary!((), {
        let Some((client, options, queue)) = prepare(rk, options, rkqu, AdminOp::DeleteAcls) else {
            return;
        };
        let filters = specs(del_acls, del_acls_cnt).unwrap_or_default();
        client.admin_delete_acls(filters, options, queue);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_CreateAcls_result_acls(
    result: *const rd_kafka_CreateAcls_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_acl_result_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match payload_of(result, RD_KAFKA_EVENT_CREATEACLS_RESULT) {
            Some(p) => p.acl_results.hand_out(cntp),
            None => Listed::<AclResultObj, rd_kafka_acl_result_t>::none(cntp),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_acl_result_error(
    aclres: *const rd_kafka_acl_result_t,
) -> *const rd_kafka_error_t {
    ffi_boundary!(std::ptr::null(), {
        borrow(aclres).map_or(std::ptr::null(), |a| a.error.cast_const())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DescribeAcls_result_acls(
    result: *const rd_kafka_DescribeAcls_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_AclBinding_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match payload_of(result, RD_KAFKA_EVENT_DESCRIBEACLS_RESULT) {
            Some(p) => p.acls.hand_out(cntp),
            None => Listed::<AclObj, rd_kafka_AclBinding_t>::none(cntp),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteAcls_result_responses(
    result: *const rd_kafka_DeleteAcls_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_DeleteAcls_result_response_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match payload_of(result, RD_KAFKA_EVENT_DELETEACLS_RESULT) {
            Some(p) => p.acl_deletions.hand_out(cntp),
            None => {
                Listed::<DeleteAclsResponseObj, rd_kafka_DeleteAcls_result_response_t>::none(cntp)
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteAcls_result_response_error(
    result_response: *const rd_kafka_DeleteAcls_result_response_t,
) -> *const rd_kafka_error_t {
    ffi_boundary!(std::ptr::null(), {
        borrow(result_response).map_or(std::ptr::null(), |r| r.error.cast_const())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_DeleteAcls_result_response_matching_acls(
    result_response: *const rd_kafka_DeleteAcls_result_response_t,
    matching_acls_cntp: *mut size_t,
) -> *mut *const rd_kafka_AclBinding_t {
    ffi_boundary!(std::ptr::null_mut(), {
        match borrow(result_response) {
            Some(r) => r.matching.hand_out(matching_acls_cntp),
            None => Listed::<AclObj, rd_kafka_AclBinding_t>::none(matching_acls_cntp),
        }
    })
}
