//! The request path every Admin call shares: find the broker the request
//! goes to (the controller, any broker, a given broker, a group's
//! coordinator), send, wait, and retry on retriable failures until the
//! call's request timeout.
//!
//! It blocks: it runs on the call's worker thread (`worker.rs`), never on
//! a broker thread or the main thread.

use crate::client::admin::worker::Control;
use crate::client::broker::handle::BrokerHandle;
use crate::client::main_thread::metadata_now;
use crate::client::ClientInner;
use crate::error::ErrorCode;
use crate::protocol::messages::{FindCoordinatorRequest, MetadataResponse};
use crate::protocol::Request;
use std::sync::Arc;
use std::time::Duration;

use ErrorCode::*;

/// Where a request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The cluster's controller (topic changes); found through metadata and
    /// looked up again when a broker answers NOT_CONTROLLER.
    Controller,
    /// Any broker that is up.
    AnyBroker,
    /// This broker id (`AdminOptions_set_broker`, BROKER config resources,
    /// partition leaders).
    Broker(i32),
    /// The coordinator of this consumer group.
    GroupCoordinator(String),
    /// The transaction coordinator of this `transactional.id`.
    TransactionCoordinator(String),
}

/// Pause between attempts, as librdkafka's `retry.backoff.ms` default.
const RETRY_BACKOFF: Duration = Duration::from_millis(100);

/// What a call's response says about trying again.
pub enum Verdict {
    /// Use this response.
    Done,
    /// Ask the target again after a backoff (e.g. NOT_CONTROLLER: the
    /// controller is looked up anew); the response is kept for when the
    /// time runs out.
    Retry,
}

/// Sends `request` to `target` and returns the response `judge` accepts.
/// Transport failures and retriable errors are retried until the call's
/// deadline; the last response judged `Retry` is returned at the deadline,
/// so its per-object errors reach the application.
pub fn call<R, J>(
    ctl: &Control,
    target: &Target,
    request: &R,
    mut judge: J,
) -> Result<R::Response, ErrorCode>
where
    R: Request + Clone + Send + 'static,
    R::Response: Send + 'static,
    J: FnMut(&R::Response) -> Verdict,
{
    let mut last_retried: Option<R::Response> = None;
    loop {
        if ctl.stopped() {
            return Err(RD_KAFKA_RESP_ERR__DESTROY);
        }
        // librdkafka's word for "no broker answered in time".
        if ctl.remaining().is_zero() {
            return last_retried.ok_or(RD_KAFKA_RESP_ERR__TIMED_OUT);
        }
        let outcome = resolve(ctl, target).and_then(|broker| send_and_wait(ctl, &broker, request));
        match outcome {
            Ok(response) => match judge(&response) {
                Verdict::Done => return Ok(response),
                Verdict::Retry => last_retried = Some(response),
            },
            Err(err) if worth_retrying(err) => {}
            Err(err) => return Err(err),
        }
        ctl.sleep(RETRY_BACKOFF);
    }
}

/// Failures that may pass: retriable ones, and a target not found yet (no
/// broker up, controller or coordinator not known yet), looked up again
/// until the deadline.
fn worth_retrying(err: ErrorCode) -> bool {
    err != RD_KAFKA_RESP_ERR__DESTROY
        && (err.is_retriable()
            || matches!(
                err,
                RD_KAFKA_RESP_ERR__TIMED_OUT
                    | RD_KAFKA_RESP_ERR__TRANSPORT
                    | RD_KAFKA_RESP_ERR__WAIT_COORD
                    | RD_KAFKA_RESP_ERR__UNKNOWN_BROKER
                    | RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE
                    | RD_KAFKA_RESP_ERR_NOT_COORDINATOR
                    | RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS
            ))
}

/// The broker handle for `target`, waiting (within the call's deadline)
/// for the metadata or coordinator lookup it needs.
pub fn resolve(ctl: &Control, target: &Target) -> Result<Arc<BrokerHandle>, ErrorCode> {
    let client = ctl.client();
    match target {
        Target::AnyBroker => client.any_broker().ok_or(RD_KAFKA_RESP_ERR__TRANSPORT),
        Target::Controller => {
            let metadata = metadata(ctl, Some(Vec::new()))?;
            if metadata.controller_id < 0 {
                return Err(RD_KAFKA_RESP_ERR__WAIT_COORD);
            }
            broker_by_id(client, &metadata, metadata.controller_id)
        }
        Target::Broker(id) => {
            if let Some(b) = client.brokers.read().iter().find(|b| b.id == *id) {
                return Ok(b.clone());
            }
            let metadata = metadata(ctl, Some(Vec::new()))?;
            broker_by_id(client, &metadata, *id)
        }
        Target::GroupCoordinator(group) => coordinator(
            ctl,
            crate::protocol::messages::COORDINATOR_TYPE_GROUP,
            group,
        ),
        Target::TransactionCoordinator(id) => coordinator(
            ctl,
            crate::protocol::messages::COORDINATOR_TYPE_TRANSACTION,
            id,
        ),
    }
}

/// The coordinator FindCoordinator names for `key` (a group, or a
/// `transactional.id` with the transaction key type), asked of any broker.
fn coordinator(ctl: &Control, key_type: i8, key: &str) -> Result<Arc<BrokerHandle>, ErrorCode> {
    let client = ctl.client();
    let any = client.any_broker().ok_or(RD_KAFKA_RESP_ERR__TRANSPORT)?;
    let request = FindCoordinatorRequest {
        key: key.to_string(),
        key_type,
    };
    let found = send_and_wait(ctl, &any, &request)?;
    let err = wire_error(found.error_code);
    if err != RD_KAFKA_RESP_ERR_NO_ERROR {
        return Err(err);
    }
    let port = u16::try_from(found.port).map_err(|_| RD_KAFKA_RESP_ERR__BAD_MSG)?;
    client
        .broker_for_node(found.node_id, &found.host, port)
        .ok_or(RD_KAFKA_RESP_ERR__TRANSPORT)
}

/// Fresh metadata for `topics` (`Some(vec![])`: brokers and controller
/// only), within the call's deadline.
pub fn metadata(ctl: &Control, topics: Option<Vec<String>>) -> Result<MetadataResponse, ErrorCode> {
    metadata_now(ctl.client(), topics, ctl.remaining()).map(|(md, _, _)| md)
}

/// The handle of broker `id` as `metadata` lists it (started if new).
pub fn broker_by_id(
    client: &Arc<ClientInner>,
    metadata: &MetadataResponse,
    id: i32,
) -> Result<Arc<BrokerHandle>, ErrorCode> {
    let Some(b) = metadata.brokers.iter().find(|b| b.node_id == id) else {
        return Err(RD_KAFKA_RESP_ERR__UNKNOWN_BROKER);
    };
    let port = u16::try_from(b.port).map_err(|_| RD_KAFKA_RESP_ERR__BAD_MSG)?;
    client
        .broker_for_node(id, &b.host, port)
        .ok_or(RD_KAFKA_RESP_ERR__TRANSPORT)
}

/// One attempt: queue on `broker`, wait for its answer or the deadline
/// (or the client's shutdown).
pub fn send_and_wait<R>(
    ctl: &Control,
    broker: &BrokerHandle,
    request: &R,
) -> Result<R::Response, ErrorCode>
where
    R: Request + Clone + Send + 'static,
    R::Response: Send + 'static,
{
    let (tx, rx) = crossbeam_channel::bounded(1);
    broker.send(request.clone(), ctl.remaining(), move |result| {
        let _ = tx.send(result);
    });
    loop {
        match rx.recv_timeout(Control::STOP_CHECK.min(ctl.remaining())) {
            Ok(result) => return result,
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                return Err(RD_KAFKA_RESP_ERR__DESTROY)
            }
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                if ctl.stopped() {
                    return Err(RD_KAFKA_RESP_ERR__DESTROY);
                }
                if ctl.remaining().is_zero() {
                    return Err(RD_KAFKA_RESP_ERR__TIMED_OUT);
                }
            }
        }
    }
}

/// A wire error code as an `ErrorCode` (unknown codes: `UNKNOWN`).
pub fn wire_error(code: i16) -> ErrorCode {
    ErrorCode::from_code(i32::from(code)).unwrap_or(RD_KAFKA_RESP_ERR_UNKNOWN)
}

/// The verdict on a controller's answer: ask again (the controller is
/// looked up anew) while any of its per-object errors says it moved.
pub fn retry_if_controller_moved<'a>(mut errors: impl Iterator<Item = &'a i16>) -> Verdict {
    if errors.any(|e| wire_error(*e) == RD_KAFKA_RESP_ERR_NOT_CONTROLLER) {
        Verdict::Retry
    } else {
        Verdict::Done
    }
}
