//! FindCoordinator: the broker coordinating a group or transactional id.

use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::mock::state::{KEY_TYPE_GROUP, KEY_TYPE_TRANSACTION};
use crate::protocol::messages::{FindCoordinatorRequest, FindCoordinatorResponse};

pub fn handle(ctx: &Ctx, req: FindCoordinatorRequest) -> Option<FindCoordinatorResponse> {
    let mut resp = FindCoordinatorResponse {
        node_id: -1,
        port: -1,
        ..Default::default()
    };
    let err = if let Some(e) = ctx.injected {
        e
    } else if req.key_type != KEY_TYPE_GROUP && req.key_type != KEY_TYPE_TRANSACTION {
        ErrorCode::RD_KAFKA_RESP_ERR_INVALID_REQUEST
    } else {
        let id = ctx.shared.state.lock().coordinator(req.key_type, &req.key);
        match ctx.shared.broker(id) {
            Some(b) => {
                resp.node_id = b.id;
                resp.host = "127.0.0.1".to_string();
                resp.port = i32::from(b.port);
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
            }
            None => ErrorCode::RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
        }
    };
    resp.error_code = wire(err);
    if err != ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR {
        resp.error_message = Some(err.description().to_string());
    }
    Some(resp)
}
