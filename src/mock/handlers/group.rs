//! JoinGroup, SyncGroup, Heartbeat and LeaveGroup on the group's
//! coordinator. Join and Sync block (releasing the cluster lock) until the
//! group state machine in `groups.rs` has their answer, exactly as a Kafka
//! broker parks these requests; the connection serves nothing else
//! meanwhile, which is also what Kafka does.

use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::mock::groups::{Group, JoinParams, Poll};
use crate::mock::state::{ClusterState, KEY_TYPE_GROUP};
use crate::protocol::messages::{
    HeartbeatRequest, HeartbeatResponse, JoinGroupMember, JoinGroupRequest, JoinGroupResponse,
    LeaveGroupRequest, LeaveGroupResponse, MemberResponse, SyncGroupRequest, SyncGroupResponse,
};
use bytes::Bytes;
use parking_lot::MutexGuard;
use std::time::{Duration, Instant};

use ErrorCode::*;

/// Longest a blocked request sleeps before re-checking for shutdown.
const TICK: Duration = Duration::from_millis(100);

/// NOT_COORDINATOR unless this broker coordinates `group_id`.
pub(super) fn check_coordinator(
    ctx: &Ctx,
    state: &ClusterState,
    group_id: &str,
) -> Result<(), ErrorCode> {
    if let Some(e) = ctx.injected {
        return Err(e);
    }
    if group_id.is_empty() {
        return Err(RD_KAFKA_RESP_ERR_INVALID_GROUP_ID);
    }
    if state.coordinator(KEY_TYPE_GROUP, group_id) != ctx.broker.id {
        return Err(RD_KAFKA_RESP_ERR_NOT_COORDINATOR);
    }
    Ok(())
}

/// Sleeps until the group changes or `until` (capped at [`TICK`]); false
/// when the cluster is shutting down.
fn wait(ctx: &Ctx, state: &mut MutexGuard<'_, ClusterState>, until: Instant) -> bool {
    if ctx.shared.is_shut_down() {
        return false;
    }
    let until = until.min(Instant::now() + TICK);
    ctx.shared.group_changed.wait_until(state, until);
    !ctx.shared.is_shut_down()
}

fn millis(ms: i32) -> Duration {
    Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

pub fn join(ctx: &Ctx, req: JoinGroupRequest) -> Option<JoinGroupResponse> {
    let fail = |e: ErrorCode, member_id: &str| JoinGroupResponse {
        error_code: wire(e),
        generation_id: -1,
        member_id: member_id.to_string(),
        ..Default::default()
    };
    if req.session_timeout_ms <= 0 {
        return Some(fail(
            RD_KAFKA_RESP_ERR_INVALID_SESSION_TIMEOUT,
            &req.member_id,
        ));
    }
    let mut state = ctx.shared.state.lock();
    if let Err(e) = check_coordinator(ctx, &state, &req.group_id) {
        return Some(fail(e, &req.member_id));
    }
    let session_timeout = millis(req.session_timeout_ms);
    // v0 has no rebalance timeout; Kafka then uses the session timeout.
    let rebalance_timeout = if req.rebalance_timeout_ms > 0 {
        millis(req.rebalance_timeout_ms)
    } else {
        session_timeout
    };
    let params = JoinParams {
        member_id: req.member_id.clone(),
        instance_id: req.group_instance_id.clone(),
        client_id: if ctx.client_id.is_empty() {
            "member"
        } else {
            ctx.client_id
        }
        .to_string(),
        client_host: ctx.client_host.to_string(),
        session_timeout,
        rebalance_timeout,
        protocol_type: req.protocol_type.clone(),
        protocols: req
            .protocols
            .iter()
            .map(|p| (p.name.clone(), p.metadata.clone()))
            .collect(),
    };
    let now = Instant::now();
    let group = state
        .groups
        .entry(req.group_id.clone())
        .or_insert_with(|| Group::new(now));
    let member_id = match group.join(params, now) {
        Ok(id) => id,
        Err(e) => return Some(fail(e, &req.member_id)),
    };
    ctx.shared.group_changed.notify_all();
    loop {
        let Some(group) = state.groups.get_mut(&req.group_id) else {
            return Some(fail(RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID, &member_id));
        };
        match group.poll_join(&member_id, Instant::now()) {
            Poll::Ready(r) => {
                ctx.shared.group_changed.notify_all();
                return Some(JoinGroupResponse {
                    throttle_time_ms: 0,
                    error_code: 0,
                    generation_id: r.generation,
                    protocol_type: Some(r.protocol_type),
                    protocol_name: Some(r.protocol_name),
                    leader: r.leader,
                    member_id: r.member_id,
                    members: r
                        .members
                        .into_iter()
                        .map(|(member_id, group_instance_id, metadata)| JoinGroupMember {
                            member_id,
                            group_instance_id,
                            metadata,
                        })
                        .collect(),
                });
            }
            Poll::Failed(e) => return Some(fail(e, &member_id)),
            Poll::Wait(until) => {
                if !wait(ctx, &mut state, until) {
                    return Some(fail(
                        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
                        &member_id,
                    ));
                }
            }
        }
    }
}

pub fn sync(ctx: &Ctx, req: SyncGroupRequest) -> Option<SyncGroupResponse> {
    let fail = |e: ErrorCode| SyncGroupResponse {
        error_code: wire(e),
        ..Default::default()
    };
    let mut state = ctx.shared.state.lock();
    if let Err(e) = check_coordinator(ctx, &state, &req.group_id) {
        return Some(fail(e));
    }
    let now = Instant::now();
    let Some(group) = state.groups.get_mut(&req.group_id) else {
        return Some(fail(RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID));
    };
    // v5 clients name the protocol they think was chosen.
    let mismatch = |asked: &Option<String>, actual: Option<&str>| {
        asked.as_deref().is_some_and(|a| Some(a) != actual)
    };
    if mismatch(&req.protocol_type, group.protocol_type())
        || mismatch(&req.protocol_name, group.protocol_name())
    {
        return Some(fail(RD_KAFKA_RESP_ERR_INCONSISTENT_GROUP_PROTOCOL));
    }
    let assignments: Vec<(String, Bytes)> = req
        .assignments
        .iter()
        .map(|a| (a.member_id.clone(), a.assignment.clone()))
        .collect();
    if let Err(e) = group.sync(
        &req.member_id,
        req.group_instance_id.as_deref(),
        req.generation_id,
        assignments,
        now,
    ) {
        return Some(fail(e));
    }
    ctx.shared.group_changed.notify_all();
    loop {
        let Some(group) = state.groups.get_mut(&req.group_id) else {
            return Some(fail(RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID));
        };
        match group.poll_sync(&req.member_id, req.generation_id, now, Instant::now()) {
            Poll::Ready(assignment) => {
                return Some(SyncGroupResponse {
                    throttle_time_ms: 0,
                    error_code: 0,
                    protocol_type: group.protocol_type().map(str::to_string),
                    protocol_name: group.protocol_name().map(str::to_string),
                    assignment,
                });
            }
            Poll::Failed(e) => {
                ctx.shared.group_changed.notify_all();
                return Some(fail(e));
            }
            Poll::Wait(until) => {
                if !wait(ctx, &mut state, until) {
                    return Some(fail(RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE));
                }
            }
        }
    }
}

pub fn heartbeat(ctx: &Ctx, req: HeartbeatRequest) -> Option<HeartbeatResponse> {
    let mut state = ctx.shared.state.lock();
    let err = match check_coordinator(ctx, &state, &req.group_id) {
        Err(e) => e,
        Ok(()) => match state.groups.get_mut(&req.group_id) {
            None => RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID,
            Some(group) => group.heartbeat(
                &req.member_id,
                req.group_instance_id.as_deref(),
                req.generation_id,
                Instant::now(),
            ),
        },
    };
    ctx.shared.group_changed.notify_all();
    Some(HeartbeatResponse {
        throttle_time_ms: 0,
        error_code: wire(err),
    })
}

pub fn leave(ctx: &Ctx, req: LeaveGroupRequest) -> Option<LeaveGroupResponse> {
    let mut state = ctx.shared.state.lock();
    if let Err(e) = check_coordinator(ctx, &state, &req.group_id) {
        return Some(LeaveGroupResponse {
            error_code: wire(e),
            ..Default::default()
        });
    }
    // v3+ batches members (with instance ids); before that, one member id.
    let leaving: Vec<(String, Option<String>)> = if ctx.version >= 3 {
        req.members
            .iter()
            .map(|m| (m.member_id.clone(), m.group_instance_id.clone()))
            .collect()
    } else {
        vec![(req.member_id.clone(), None)]
    };
    let now = Instant::now();
    let results: Vec<MemberResponse> = leaving
        .into_iter()
        .map(|(member_id, group_instance_id)| {
            let err = match state.groups.get_mut(&req.group_id) {
                None => RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID,
                Some(g) => g.leave(&member_id, group_instance_id.as_deref(), now),
            };
            MemberResponse {
                member_id,
                group_instance_id,
                error_code: wire(err),
            }
        })
        .collect();
    ctx.shared.group_changed.notify_all();
    let error_code = if ctx.version >= 3 {
        0
    } else {
        results.first().map_or(0, |r| r.error_code)
    };
    Some(LeaveGroupResponse {
        throttle_time_ms: 0,
        error_code,
        members: results,
    })
}
