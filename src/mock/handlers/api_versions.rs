//! ApiVersions: what this broker handles, with `set_apiversion` applied.

use super::Ctx;
use crate::error::ErrorCode;
use crate::mock::state::{ClusterState, Shared};
use crate::protocol::messages::{ApiVersionRange, ApiVersionsRequest, ApiVersionsResponse};
use crate::protocol::ApiKey;

fn advertised(state: &ClusterState) -> Vec<ApiVersionRange> {
    ApiKey::ALL
        .iter()
        .filter_map(|k| {
            let (min, max) = state.api_range(k.as_i16())?;
            Some(ApiVersionRange {
                api_key: k.as_i16(),
                min_version: min,
                max_version: max,
            })
        })
        .collect()
}

pub fn handle(ctx: &Ctx, _req: ApiVersionsRequest) -> Option<ApiVersionsResponse> {
    let state = ctx.shared.state.lock();
    Some(ApiVersionsResponse {
        error_code: ctx.err_or(ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR),
        api_keys: advertised(&state),
        throttle_time_ms: 0,
    })
}

/// The answer to an ApiVersions request of a version we do not speak.
pub fn unsupported(shared: &Shared) -> ApiVersionsResponse {
    let state = shared.state.lock();
    ApiVersionsResponse {
        error_code: super::wire(ErrorCode::RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION),
        api_keys: advertised(&state),
        throttle_time_ms: 0,
    }
}
