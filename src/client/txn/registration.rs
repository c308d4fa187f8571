//! Registering a transaction's partitions with the transaction coordinator
//! (AddPartitionsToTxn), in the background while the application produces.
//!
//! The sink asks for a partition the first time it has something to send
//! for it in a transaction (`Transactions::may_send`); the main thread
//! (`Transactions::tick`) sends one AddPartitionsToTxn for every partition
//! waiting, one request at a time, to the coordinator it looks up itself
//! (FindCoordinator, key type 1) without blocking. An answer marks the
//! partitions added (`Partition::txn_added`) and wakes the brokers, whose
//! sinks then send their batches. The main thread also purges the queued
//! messages of a transaction that became abortable.

use super::{is_fencing, Registration, Transactions};
use crate::client::broker::handle::BrokerHandle;
use crate::client::topic::Partition;
use crate::client::ClientInner;
use crate::error::ErrorCode;
use crate::protocol::messages::{
    AddPartitionsToTxnRequest, AddPartitionsToTxnResponse, AddPartitionsToTxnTopic,
    FindCoordinatorRequest, FindCoordinatorResponse, COORDINATOR_TYPE_TRANSACTION,
};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use ErrorCode::*;

/// Pause before asking again after a retriable failure (librdkafka's
/// `retry.backoff.ms` default).
const RETRY_BACKOFF: Duration = Duration::from_millis(100);

impl Transactions {
    /// Main thread: looks up the coordinator or sends the partitions
    /// waiting to be added, when due; returns when to look again.
    pub fn tick(&self, client: &Arc<ClientInner>, now: Instant) -> Option<Instant> {
        self.purge_if_abortable(client);
        let mut reg = self.registration.lock();
        if reg.waiting.is_empty() || reg.in_flight {
            return None;
        }
        if now < reg.retry_at {
            return Some(reg.retry_at);
        }
        let coordinator = match self.coordinator.lock().clone() {
            Some(c) => c,
            None => {
                let Some(any) = client.any_broker() else {
                    reg.retry_at = now + RETRY_BACKOFF;
                    return Some(reg.retry_at);
                };
                reg.in_flight = true;
                drop(reg);
                self.look_up_coordinator(client, &any);
                return None;
            }
        };
        let pid = client
            .idempotence
            .as_ref()
            .map_or(crate::client::idempotence::ProducerId::NONE, |i| i.pid());
        let partitions: Vec<Arc<Partition>> = std::mem::take(&mut reg.waiting);
        reg.in_flight = true;
        let generation = self.generation.load(Ordering::Acquire);
        drop(reg);
        let mut topics: Vec<AddPartitionsToTxnTopic> = Vec::new();
        for p in &partitions {
            match topics.iter_mut().find(|t| *t.name == *p.topic) {
                Some(t) => t.partitions.push(p.id),
                None => topics.push(AddPartitionsToTxnTopic {
                    name: p.topic.to_string(),
                    partitions: vec![p.id],
                }),
            }
        }
        let request = AddPartitionsToTxnRequest {
            transactional_id: self.transactional_id.clone(),
            producer_id: pid.id,
            producer_epoch: pid.epoch,
            topics,
        };
        let weak: Weak<ClientInner> = Arc::downgrade(client);
        coordinator.send(request, client.settings.socket_timeout, move |result| {
            if let Some(client) = weak.upgrade() {
                if let Some(txn) = &client.txn {
                    txn.on_added(&client, generation, partitions, result);
                }
            }
        });
        None
    }

    fn look_up_coordinator(&self, client: &Arc<ClientInner>, any: &BrokerHandle) {
        let request = FindCoordinatorRequest {
            key: self.transactional_id.clone(),
            key_type: COORDINATOR_TYPE_TRANSACTION,
        };
        let weak: Weak<ClientInner> = Arc::downgrade(client);
        any.send(request, client.settings.socket_timeout, move |result| {
            if let Some(client) = weak.upgrade() {
                if let Some(txn) = &client.txn {
                    txn.on_coordinator(&client, result);
                }
            }
        });
    }

    fn on_coordinator(
        &self,
        client: &Arc<ClientInner>,
        result: Result<FindCoordinatorResponse, ErrorCode>,
    ) {
        let found = result.ok().filter(|r| r.error_code == 0).and_then(|r| {
            let port = u16::try_from(r.port).ok()?;
            client.broker_for_node(r.node_id, &r.host, port)
        });
        let mut reg = self.registration.lock();
        reg.in_flight = false;
        if found.is_none() {
            reg.retry_at = Instant::now() + RETRY_BACKOFF;
        }
        drop(reg);
        if let Some(broker) = found {
            self.set_coordinator(client, Some(broker));
        }
        client.wake_main();
    }

    fn on_added(
        &self,
        client: &ClientInner,
        generation: u64,
        partitions: Vec<Arc<Partition>>,
        result: Result<AddPartitionsToTxnResponse, ErrorCode>,
    ) {
        let mut retry: Vec<Arc<Partition>> = Vec::new();
        let mut added = 0usize;
        let mut abortable: Option<(ErrorCode, String)> = None;
        let mut fatal: Option<(ErrorCode, String)> = None;
        let mut needs_bump = false;
        let current = self.generation.load(Ordering::Acquire) == generation;
        match &result {
            Err(err) => {
                // Lost or unanswered: the coordinator may have moved.
                if *err != RD_KAFKA_RESP_ERR__DESTROY {
                    self.set_coordinator(client, None);
                }
                retry = partitions.clone();
            }
            Ok(response) => {
                for p in &partitions {
                    let code = response
                        .results
                        .iter()
                        .find(|t| *t.name == *p.topic)
                        .and_then(|t| t.results.iter().find(|r| r.partition_index == p.id))
                        .map_or(RD_KAFKA_RESP_ERR_UNKNOWN, |r| {
                            crate::client::admin::request::wire_error(r.error_code)
                        });
                    match code {
                        RD_KAFKA_RESP_ERR_NO_ERROR => {
                            if current {
                                p.txn_added.store(generation, Ordering::Release);
                            }
                            added += 1;
                        }
                        RD_KAFKA_RESP_ERR_NOT_COORDINATOR
                        | RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE => {
                            self.set_coordinator(client, None);
                            retry.push(p.clone());
                        }
                        RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS
                        | RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS
                        | RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART
                        | RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT
                        // Another partition of the request failed.
                        | RD_KAFKA_RESP_ERR_OPERATION_NOT_ATTEMPTED => retry.push(p.clone()),
                        // librdkafka: these end the producer (fencing
                        // as `_FENCED`); the first one found is raised.
                        RD_KAFKA_RESP_ERR_PRODUCER_FENCED
                        | RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH
                        | RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                        | RD_KAFKA_RESP_ERR_INVALID_TXN_STATE
                        | RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED => {
                            let code = if is_fencing(code) {
                                RD_KAFKA_RESP_ERR__FENCED
                            } else {
                                code
                            };
                            fatal.get_or_insert_with(|| {
                                (
                                    code,
                                    format!(
                                        "Failed to add partitions to transaction: {}",
                                        code.description()
                                    ),
                                )
                            });
                        }
                        // Anything else makes the transaction abortable; a
                        // coordinator that lost the producer id also makes
                        // the abort bump the epoch (KIP-360).
                        _ => {
                            if matches!(
                                code,
                                RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID
                                    | RD_KAFKA_RESP_ERR_INVALID_PRODUCER_ID_MAPPING
                            ) {
                                needs_bump = true;
                            }
                            abortable.get_or_insert_with(|| {
                                (
                                    code,
                                    format!(
                                        "Failed to add partition {} [{}] to transaction: {}",
                                        p.topic,
                                        p.id,
                                        code.description()
                                    ),
                                )
                            });
                        }
                    }
                }
            }
        }
        let mut reg = self.registration.lock();
        reg.in_flight = false;
        if current {
            if added > 0 {
                reg.registered = true;
            }
            if !retry.is_empty() {
                reg.retry_at = Instant::now() + RETRY_BACKOFF;
                reg.waiting.extend(retry);
            }
        }
        drop(reg);
        if let Some((code, reason)) = fatal {
            client.set_fatal_error(code, reason);
        } else if let (Some((code, reason)), true) = (abortable, current) {
            self.set_abortable_error(client, code, &reason, needs_bump);
        }
        if added > 0 {
            client.wake_all_brokers();
        }
        client.wake_main();
    }
}

impl Registration {
    pub(super) fn new() -> Registration {
        Registration {
            waiting: Vec::new(),
            in_flight: false,
            retry_at: Instant::now(),
            registered: false,
        }
    }
}
