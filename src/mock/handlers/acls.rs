//! CreateAcls, DescribeAcls and DeleteAcls over the cluster's ACL store
//! (`mock/acls.rs`); any broker answers, as Kafka forwards them to its
//! authorizer.

use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::mock::acls::filter_problem;
use crate::protocol::messages::{
    AclBinding, AclCreationResult, AclDescription, CreateAclsRequest, CreateAclsResponse,
    DeleteAclsFilterResult, DeleteAclsMatchingAcl, DeleteAclsRequest, DeleteAclsResponse,
    DescribeAclsRequest, DescribeAclsResource, DescribeAclsResponse,
};

use ErrorCode::*;

/// (code, message) of a refusal; (0, None) for success.
fn outcome(err: ErrorCode, message: Option<&str>) -> (i16, Option<String>) {
    if err == RD_KAFKA_RESP_ERR_NO_ERROR {
        (0, None)
    } else {
        let text = message.unwrap_or_else(|| err.description());
        (wire(err), Some(text.to_string()))
    }
}

pub fn create(ctx: &Ctx, req: CreateAclsRequest) -> Option<CreateAclsResponse> {
    let mut state = ctx.shared.state.lock();
    let results = req
        .creations
        .into_iter()
        .map(|b| {
            let (error_code, error_message) = match ctx.injected {
                Some(e) => outcome(e, None),
                None => match state.acls.create(b) {
                    Ok(()) => outcome(RD_KAFKA_RESP_ERR_NO_ERROR, None),
                    Err(problem) => outcome(RD_KAFKA_RESP_ERR_INVALID_REQUEST, Some(problem)),
                },
            };
            AclCreationResult {
                error_code,
                error_message,
            }
        })
        .collect();
    Some(CreateAclsResponse {
        throttle_time_ms: 0,
        results,
    })
}

pub fn describe(ctx: &Ctx, req: DescribeAclsRequest) -> Option<DescribeAclsResponse> {
    let refusal = match (ctx.injected, filter_problem(&req.filter)) {
        (Some(e), _) => Some(outcome(e, None)),
        (None, Some(problem)) => Some(outcome(RD_KAFKA_RESP_ERR_INVALID_REQUEST, Some(problem))),
        (None, None) => None,
    };
    if let Some((error_code, error_message)) = refusal {
        return Some(DescribeAclsResponse {
            error_code,
            error_message,
            ..Default::default()
        });
    }
    let matched = ctx.shared.state.lock().acls.describe(&req.filter);
    // The store is ordered by resource first, so each resource's ACLs are
    // adjacent.
    let mut resources: Vec<DescribeAclsResource> = Vec::new();
    for b in matched {
        let same = resources.last().is_some_and(|r| {
            (r.resource_type, &r.name, r.pattern_type)
                == (b.resource_type, &b.resource_name, b.pattern_type)
        });
        if !same {
            resources.push(DescribeAclsResource {
                resource_type: b.resource_type,
                name: b.resource_name.clone(),
                pattern_type: b.pattern_type,
                acls: Vec::new(),
            });
        }
        if let Some(r) = resources.last_mut() {
            r.acls.push(AclDescription {
                principal: b.principal,
                host: b.host,
                operation: b.operation,
                permission_type: b.permission_type,
            });
        }
    }
    Some(DescribeAclsResponse {
        throttle_time_ms: 0,
        error_code: 0,
        error_message: None,
        resources,
    })
}

pub fn delete(ctx: &Ctx, req: DeleteAclsRequest) -> Option<DeleteAclsResponse> {
    let mut state = ctx.shared.state.lock();
    let filter_results = req
        .filters
        .iter()
        .map(|f| {
            let refusal = match (ctx.injected, filter_problem(f)) {
                (Some(e), _) => Some(outcome(e, None)),
                (None, Some(p)) => Some(outcome(RD_KAFKA_RESP_ERR_INVALID_REQUEST, Some(p))),
                (None, None) => None,
            };
            match refusal {
                Some((error_code, error_message)) => DeleteAclsFilterResult {
                    error_code,
                    error_message,
                    matching_acls: Vec::new(),
                },
                None => DeleteAclsFilterResult {
                    error_code: 0,
                    error_message: None,
                    matching_acls: state
                        .acls
                        .delete(f)
                        .into_iter()
                        .map(|acl: AclBinding| DeleteAclsMatchingAcl {
                            error_code: 0,
                            error_message: None,
                            acl,
                        })
                        .collect(),
                },
            }
        })
        .collect();
    Some(DeleteAclsResponse {
        throttle_time_ms: 0,
        filter_results,
    })
}
