//! CreateAcls, DescribeAcls and DeleteAcls (librdkafka's AclBinding
//! calls): bindings and filters checked as `rd_kafka_AclBinding_new` and
//! `rd_kafka_AclBindingFilter_new` do, sent to the controller (or the
//! broker `AdminOptions_set_broker` names).

use crate::client::admin::options::{AdminOp, AdminOptions};
use crate::client::admin::request::{call, wire_error, Target, Verdict};
use crate::client::admin::result::{AdminResult, AdminResultBody};
use crate::client::admin::worker::Control;
use crate::error::ErrorCode;
use crate::protocol::messages::{
    AclBinding as WireBinding, AclFilter, CreateAclsRequest, DeleteAclsRequest, DescribeAclsRequest,
};

// rd_kafka_ResourceType_t, rd_kafka_ResourcePatternType_t,
// rd_kafka_AclOperation_t, rd_kafka_AclPermissionType_t (2.0.2's ranges).
const ANY: i32 = 1;
const RESOURCE_TYPE_COUNT: i32 = 5;
const PATTERN_LITERAL: i32 = 3;
const PATTERN_PREFIXED: i32 = 4;
const PATTERN_TYPE_COUNT: i32 = 5;
const OPERATION_COUNT: i32 = 13;
const PERMISSION_TYPE_COUNT: i32 = 4;

/// An ACL binding or filter (`rd_kafka_AclBinding_t`, which librdkafka
/// also uses for filters), and in results the error the broker gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AclSpec {
    pub restype: i32,
    /// `None` matches any name (filters only).
    pub name: Option<String>,
    pub pattern_type: i32,
    pub principal: Option<String>,
    pub host: Option<String>,
    pub operation: i32,
    pub permission_type: i32,
    pub error: Option<(ErrorCode, String)>,
}

/// A filter's outcome in DeleteAcls: its error, or the bindings it deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteAclsOutcome {
    pub error: Option<(ErrorCode, String)>,
    pub matching: Vec<AclSpec>,
}

/// The `rd_kafka_AclOperation_t` names, indexed by value.
pub const OPERATION_NAMES: [&str; 13] = [
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
];
pub const PERMISSION_TYPE_NAMES: [&str; 4] = ["UNKNOWN", "ANY", "DENY", "ALLOW"];
pub const PATTERN_TYPE_NAMES: [&str; 5] = ["UNKNOWN", "ANY", "MATCH", "LITERAL", "PREFIXED"];

/// `names[value]`, or "UNSUPPORTED" as librdkafka says for other values.
pub fn enum_name(names: &[&'static str], value: i32) -> &'static str {
    usize::try_from(value)
        .ok()
        .and_then(|i| names.get(i))
        .copied()
        .unwrap_or("UNSUPPORTED")
}

impl AclSpec {
    /// `rd_kafka_AclBinding_new`'s checks: every field concrete.
    #[allow(clippy::too_many_arguments)]
    pub fn binding(
        restype: i32,
        name: Option<String>,
        pattern_type: i32,
        principal: Option<String>,
        host: Option<String>,
        operation: i32,
        permission_type: i32,
    ) -> Result<AclSpec, String> {
        if name.is_none() {
            return Err("Invalid resource name".into());
        }
        if principal.is_none() {
            return Err("Invalid principal".into());
        }
        if host.is_none() {
            return Err("Invalid host".into());
        }
        let spec = AclSpec {
            restype,
            name,
            pattern_type,
            principal,
            host,
            operation,
            permission_type,
            error: None,
        };
        spec.check_ranges(false)?;
        Ok(spec)
    }

    /// `rd_kafka_AclBindingFilter_new`'s checks: ANY, MATCH and NULL
    /// strings allowed.
    #[allow(clippy::too_many_arguments)]
    pub fn filter(
        restype: i32,
        name: Option<String>,
        pattern_type: i32,
        principal: Option<String>,
        host: Option<String>,
        operation: i32,
        permission_type: i32,
    ) -> Result<AclSpec, String> {
        let spec = AclSpec {
            restype,
            name,
            pattern_type,
            principal,
            host,
            operation,
            permission_type,
            error: None,
        };
        spec.check_ranges(true)?;
        Ok(spec)
    }

    fn check_ranges(&self, filter: bool) -> Result<(), String> {
        let lowest = if filter { ANY } else { ANY + 1 };
        if !(lowest..RESOURCE_TYPE_COUNT).contains(&self.restype) {
            return Err("Invalid resource type".into());
        }
        let pattern_ok = if filter {
            (ANY..PATTERN_TYPE_COUNT).contains(&self.pattern_type)
        } else {
            matches!(self.pattern_type, PATTERN_LITERAL | PATTERN_PREFIXED)
        };
        if !pattern_ok {
            return Err("Invalid resource pattern type".into());
        }
        if !(lowest..OPERATION_COUNT).contains(&self.operation) {
            return Err("Invalid operation".into());
        }
        if !(lowest..PERMISSION_TYPE_COUNT).contains(&self.permission_type) {
            return Err("Invalid permission type".into());
        }
        Ok(())
    }

    fn to_wire_binding(&self) -> WireBinding {
        WireBinding {
            resource_type: self.restype as i8,
            resource_name: self.name.clone().unwrap_or_default(),
            pattern_type: self.pattern_type as i8,
            principal: self.principal.clone().unwrap_or_default(),
            host: self.host.clone().unwrap_or_default(),
            operation: self.operation as i8,
            permission_type: self.permission_type as i8,
        }
    }

    fn to_wire_filter(&self) -> AclFilter {
        AclFilter {
            resource_type: self.restype as i8,
            resource_name: self.name.clone(),
            pattern_type: self.pattern_type as i8,
            principal: self.principal.clone(),
            host: self.host.clone(),
            operation: self.operation as i8,
            permission_type: self.permission_type as i8,
        }
    }

    fn from_wire(b: WireBinding) -> AclSpec {
        AclSpec {
            restype: i32::from(b.resource_type),
            name: Some(b.resource_name),
            pattern_type: i32::from(b.pattern_type),
            principal: Some(b.principal),
            host: Some(b.host),
            operation: i32::from(b.operation),
            permission_type: i32::from(b.permission_type),
            error: None,
        }
    }
}

/// The error and message of a wire result (`None` for success).
fn wire_outcome(code: i16, message: Option<String>) -> Option<(ErrorCode, String)> {
    let err = wire_error(code);
    (err != ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR).then(|| {
        (
            err,
            message.unwrap_or_else(|| err.description().to_string()),
        )
    })
}

/// A response that does not answer each item asked about.
fn miscounted(op: AdminOp, got: usize, asked: usize) -> AdminResult {
    AdminResult::failed(
        op,
        ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG,
        format!("{op:?} response has {got} results for {asked} requested"),
    )
}

fn target(options: &AdminOptions) -> Target {
    options.broker.map_or(Target::Controller, Target::Broker)
}

pub fn check_create_acls(acls: &[AclSpec]) -> Result<(), String> {
    if acls.is_empty() {
        return Err("No ACL bindings to create".into());
    }
    Ok(())
}

pub fn create_acls(ctl: &Control, acls: &[AclSpec], options: &AdminOptions) -> AdminResult {
    let request = CreateAclsRequest {
        creations: acls.iter().map(AclSpec::to_wire_binding).collect(),
    };
    match call(ctl, &target(options), &request, |_| Verdict::Done) {
        Err(err) => AdminResult::failed(AdminOp::CreateAcls, err, err.description()),
        Ok(resp) if resp.results.len() != acls.len() => {
            miscounted(AdminOp::CreateAcls, resp.results.len(), acls.len())
        }
        Ok(resp) => AdminResult::ok(
            AdminOp::CreateAcls,
            AdminResultBody::AclResults(
                resp.results
                    .into_iter()
                    .map(|r| wire_outcome(r.error_code, r.error_message))
                    .collect(),
            ),
        ),
    }
}

pub fn describe_acls(ctl: &Control, filter: &AclSpec, options: &AdminOptions) -> AdminResult {
    let request = DescribeAclsRequest {
        filter: filter.to_wire_filter(),
    };
    let resp = match call(ctl, &target(options), &request, |_| Verdict::Done) {
        Ok(resp) => resp,
        Err(err) => return AdminResult::failed(AdminOp::DescribeAcls, err, err.description()),
    };
    // librdkafka 2.0.2 ignores DescribeAcls' top-level error (an empty
    // list); we report it as the result's error, which is what the
    // application needs to tell "no ACLs" from "not allowed to look".
    if let Some((err, text)) = wire_outcome(resp.error_code, resp.error_message) {
        return AdminResult::failed(AdminOp::DescribeAcls, err, text);
    }
    let acls = resp
        .resources
        .into_iter()
        .flat_map(|r| {
            r.acls.into_iter().map(move |a| {
                AclSpec::from_wire(WireBinding {
                    resource_type: r.resource_type,
                    resource_name: r.name.clone(),
                    pattern_type: r.pattern_type,
                    principal: a.principal,
                    host: a.host,
                    operation: a.operation,
                    permission_type: a.permission_type,
                })
            })
        })
        .collect();
    AdminResult::ok(AdminOp::DescribeAcls, AdminResultBody::Acls(acls))
}

pub fn check_delete_acls(filters: &[AclSpec]) -> Result<(), String> {
    if filters.is_empty() {
        return Err("No ACL binding filters to delete".into());
    }
    Ok(())
}

pub fn delete_acls(ctl: &Control, filters: &[AclSpec], options: &AdminOptions) -> AdminResult {
    let request = DeleteAclsRequest {
        filters: filters.iter().map(AclSpec::to_wire_filter).collect(),
    };
    match call(ctl, &target(options), &request, |_| Verdict::Done) {
        Err(err) => AdminResult::failed(AdminOp::DeleteAcls, err, err.description()),
        Ok(resp) if resp.filter_results.len() != filters.len() => miscounted(
            AdminOp::DeleteAcls,
            resp.filter_results.len(),
            filters.len(),
        ),
        Ok(resp) => AdminResult::ok(
            AdminOp::DeleteAcls,
            AdminResultBody::DeletedAcls(
                resp.filter_results
                    .into_iter()
                    .map(|fr| DeleteAclsOutcome {
                        error: wire_outcome(fr.error_code, fr.error_message),
                        matching: fr
                            .matching_acls
                            .into_iter()
                            .map(|m| AclSpec {
                                error: wire_outcome(m.error_code, m.error_message.clone()),
                                ..AclSpec::from_wire(m.acl)
                            })
                            .collect(),
                    })
                    .collect(),
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNKNOWN: i32 = 0;
    const PATTERN_MATCH: i32 = 2;

    #[test]
    fn bindings_and_filters_are_checked_as_librdkafka_does() {
        let s = |v: &str| Some(v.to_string());
        assert!(AclSpec::binding(2, s("t"), 3, s("User:a"), s("*"), 3, 3).is_ok());
        assert_eq!(
            AclSpec::binding(1, s("t"), 3, s("User:a"), s("*"), 3, 3).unwrap_err(),
            "Invalid resource type"
        );
        assert!(AclSpec::binding(2, s("t"), PATTERN_MATCH, s("p"), s("*"), 3, 3).is_err());
        assert!(AclSpec::binding(2, None, 3, s("p"), s("*"), 3, 3).is_err());
        assert!(AclSpec::binding(2, s("t"), 3, s("p"), s("*"), ANY, 3).is_err());
        assert!(AclSpec::filter(ANY, None, ANY, None, None, ANY, ANY).is_ok());
        assert!(AclSpec::filter(UNKNOWN, None, ANY, None, None, ANY, ANY).is_err());
        assert!(AclSpec::filter(ANY, None, ANY, None, None, OPERATION_COUNT, ANY).is_err());
        assert_eq!(enum_name(&OPERATION_NAMES, 12), "IDEMPOTENT_WRITE");
        assert_eq!(enum_name(&OPERATION_NAMES, 13), "UNSUPPORTED");
        assert_eq!(enum_name(&PATTERN_TYPE_NAMES, PATTERN_PREFIXED), "PREFIXED");
    }
}
