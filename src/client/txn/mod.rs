//! The transactional producer (`transactional.id`): librdkafka's
//! transaction manager (`rdkafka_txnmgr.c`) and its states.
//!
//! The application's calls (`init_transactions`, `begin_transaction`,
//! `send_offsets_to_transaction`, `commit_transaction`,
//! `abort_transaction`) run on the application's thread: they check and
//! move the state here, and make their coordinator round trips through the
//! Admin API's blocking request path (`admin/request.rs`: coordinator
//! lookup, retries of retriable errors until the call's deadline). What
//! must happen while the application only produces — registering the
//! partitions it produces to — runs on the main thread
//! (`registration.rs`).
//!
//! Invariants:
//! - The producer id and epoch stay the idempotent producer's
//!   (`idempotence.rs`); this module only acquires them, from the
//!   transaction coordinator (InitProducerId with `transactional.id`), at
//!   init and when an abort must bump the epoch.
//! - A sink sends a partition's batches only once the coordinator has the
//!   partition in the current transaction (`may_send`); a partition is
//!   asked for once per transaction (`Partition::txn_requested`).
//! - Messages are accepted only in `InTransaction`; a commit flushes them
//!   all first, an abort purges the queued ones and waits out those in
//!   flight, so a transaction's end marker always follows all its data.
//! - The first abortable error of a transaction stays until the abort; the
//!   client's fatal error (`FatalError`) ends the state machine for good.

mod registration;

use crate::client::admin::request::{self, Target, Verdict};
use crate::client::admin::worker::Control;
use crate::client::broker::handle::BrokerHandle;
use crate::client::idempotence::ProducerId;
use crate::client::log::ctx;
use crate::client::topic::Partition;
use crate::client::{Client, ClientInner};
use crate::error::ErrorCode;
use crate::protocol::messages::{
    AddOffsetsToTxnRequest, EndTxnRequest, InitProducerIdRequest, OffsetCommitPartition,
    OffsetCommitTopic, TxnOffsetCommitRequest,
};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ErrorCode::*;

/// What librdkafka 2.0.2 makes of `timeout_ms` -1 for commit and abort: no
/// limit (its header speaks of the remaining transaction timeout, its code
/// does not cap these two); long enough never to pass, short enough to add
/// to an `Instant`.
const NO_TIMEOUT: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// librdkafka's transaction states (`rd_kafka_txn_state_t`) this manager
/// goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnState {
    Init,
    WaitPid,
    Ready,
    InTransaction,
    BeginCommit,
    CommittingTransaction,
    BeginAbort,
    AbortingTransaction,
    AbortableError,
    FatalError,
}

impl TxnState {
    /// The name librdkafka gives the state (in its errors and logs).
    pub fn name(self) -> &'static str {
        match self {
            TxnState::Init => "Init",
            TxnState::WaitPid => "WaitPID",
            TxnState::Ready => "Ready",
            TxnState::InTransaction => "InTransaction",
            TxnState::BeginCommit => "BeginCommit",
            TxnState::CommittingTransaction => "CommittingTransaction",
            TxnState::BeginAbort => "BeginAbort",
            TxnState::AbortingTransaction => "AbortingTransaction",
            TxnState::AbortableError => "AbortableError",
            TxnState::FatalError => "FatalError",
        }
    }
}

/// What a transactional call returns on failure: librdkafka's
/// `rd_kafka_error_t` flags.
#[derive(Debug, Clone)]
pub struct TxnError {
    pub code: ErrorCode,
    pub message: String,
    pub fatal: bool,
    pub retriable: bool,
    pub txn_requires_abort: bool,
}

impl TxnError {
    fn plain(code: ErrorCode, message: impl Into<String>) -> TxnError {
        TxnError {
            code,
            message: message.into(),
            fatal: false,
            retriable: false,
            txn_requires_abort: false,
        }
    }

    fn retriable(code: ErrorCode, message: impl Into<String>) -> TxnError {
        TxnError {
            retriable: true,
            ..TxnError::plain(code, message)
        }
    }

    fn abortable(code: ErrorCode, message: impl Into<String>) -> TxnError {
        TxnError {
            txn_requires_abort: true,
            ..TxnError::plain(code, message)
        }
    }

    fn fatal(code: ErrorCode, message: impl Into<String>) -> TxnError {
        TxnError {
            fatal: true,
            ..TxnError::plain(code, message)
        }
    }
}

struct TxnInner {
    state: TxnState,
    /// When `state` was entered (the statistics' `txn_stateage`).
    state_since: Instant,
    /// The abortable error that moved the state to `AbortableError`.
    abortable: Option<(ErrorCode, String)>,
    /// The abort must bump the epoch (the idempotent producer lost track
    /// of a partition's sequence during the transaction).
    needs_bump: bool,
    /// Offsets were sent to the transaction (AddOffsetsToTxn answered).
    offsets_added: bool,
}

impl TxnInner {
    fn enter(&mut self, state: TxnState) {
        if self.state != state {
            self.state = state;
            self.state_since = Instant::now();
        }
    }
}

/// The partitions the main thread registers with the coordinator.
struct Registration {
    waiting: Vec<Arc<Partition>>,
    /// An AddPartitionsToTxn or coordinator lookup is in flight.
    in_flight: bool,
    retry_at: Instant,
    /// The coordinator has at least one partition in this transaction.
    registered: bool,
}

/// The transaction manager; `ClientInner::txn` is `Some` for a producer
/// with `transactional.id`.
pub struct Transactions {
    pub transactional_id: String,
    transaction_timeout: Duration,
    inner: Mutex<TxnInner>,
    /// The current transaction's number (bumped by `begin_transaction`):
    /// what `Partition::txn_added` is compared with.
    generation: AtomicU64,
    registration: Mutex<Registration>,
    coordinator: Mutex<Option<Arc<BrokerHandle>>>,
    /// The transaction became abortable: the main thread purges the queued
    /// messages (librdkafka does so at once; they could only be aborted).
    purge_due: AtomicBool,
    /// Messages reported failed since the transaction began, whatever the
    /// error (an application's purge included): librdkafka's
    /// `txn_dr_fails`, which makes the commit fail as abortable.
    failed_deliveries: AtomicU64,
}

impl Transactions {
    /// Main thread: the purge of an abortable transaction's queued
    /// messages, if one is due and the transaction is still the abortable
    /// one (an abort purges by itself; the next transaction's messages must
    /// not be touched).
    fn purge_if_abortable(&self, client: &ClientInner) {
        if !self.purge_due.swap(false, Ordering::AcqRel) {
            return;
        }
        if self.inner.lock().state == TxnState::AbortableError {
            client.purge_queued_messages();
        }
    }
}

/// The answers of the coordinators that mean "ask again".
fn retriable_coordinator_error(err: ErrorCode) -> bool {
    matches!(
        err,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE
            | RD_KAFKA_RESP_ERR_NOT_COORDINATOR
            | RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS
            | RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS
            | RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT
            | RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART
    )
}

fn is_fencing(err: ErrorCode) -> bool {
    matches!(
        err,
        RD_KAFKA_RESP_ERR_PRODUCER_FENCED | RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH
    )
}

/// The coordinator lost the producer id: only a new epoch (KIP-360) helps.
fn needs_epoch_bump(err: ErrorCode) -> bool {
    matches!(
        err,
        RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID | RD_KAFKA_RESP_ERR_INVALID_PRODUCER_ID_MAPPING
    )
}

/// Errors after which nothing transactional can work again.
fn is_fatal_coordinator_error(err: ErrorCode) -> bool {
    matches!(
        err,
        RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED
            | RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED
            | RD_KAFKA_RESP_ERR_INVALID_TXN_STATE
            | RD_KAFKA_RESP_ERR_INVALID_TRANSACTION_TIMEOUT
            | RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION
            | RD_KAFKA_RESP_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT
    )
}

/// The verdict on a coordinator's single error code.
fn judge_code(code: i16) -> Verdict {
    if retriable_coordinator_error(request::wire_error(code)) {
        Verdict::Retry
    } else {
        Verdict::Done
    }
}

impl Transactions {
    pub fn new(transactional_id: String, transaction_timeout_ms: i64) -> Transactions {
        Transactions {
            transactional_id,
            transaction_timeout: Duration::from_millis(transaction_timeout_ms.max(1) as u64),
            inner: Mutex::new(TxnInner {
                state: TxnState::Init,
                state_since: Instant::now(),
                abortable: None,
                needs_bump: false,
                offsets_added: false,
            }),
            generation: AtomicU64::new(0),
            registration: Mutex::new(Registration::new()),
            coordinator: Mutex::new(None),
            purge_due: AtomicBool::new(false),
            failed_deliveries: AtomicU64::new(0),
        }
    }

    pub fn state(&self) -> TxnState {
        self.inner.lock().state
    }

    /// The state and how long it has lasted (the statistics' `txn_state`
    /// and `txn_stateage`).
    pub fn state_for_stats(&self) -> (TxnState, Duration) {
        let inner = self.inner.lock();
        (inner.state, inner.state_since.elapsed())
    }

    /// Whether a message may be produced now (librdkafka refuses them
    /// outside a transaction with `__STATE`).
    pub fn may_produce(&self) -> bool {
        self.inner.lock().state == TxnState::InTransaction
    }

    /// Sink: whether `partition`'s batches may be sent; if not, asks (once
    /// per transaction) for the partition to be added.
    pub fn may_send(&self, client: &ClientInner, partition: &Arc<Partition>) -> bool {
        let generation = self.generation.load(Ordering::Acquire);
        if partition.txn_added.load(Ordering::Acquire) == generation {
            return true;
        }
        if partition.txn_requested.swap(generation, Ordering::AcqRel) != generation {
            self.registration.lock().waiting.push(partition.clone());
            client.wake_main();
        }
        false
    }

    /// Sink (deadline computation): whether `partition` is in the current
    /// transaction.
    pub fn is_added(&self, partition: &Partition) -> bool {
        partition.txn_added.load(Ordering::Acquire) == self.generation.load(Ordering::Acquire)
    }

    fn set_coordinator(&self, client: &ClientInner, broker: Option<Arc<BrokerHandle>>) {
        if let Some(b) = &broker {
            client.log_debug(
                ctx::EOS,
                "TXNCOORD",
                &format!("Transaction coordinator is now {}", b.name),
            );
        }
        *self.coordinator.lock() = broker;
    }

    /// Moves an open transaction to `AbortableError` (the first error
    /// stays); `bump`: the abort must bump the epoch. Any thread.
    pub fn set_abortable_error(
        &self,
        client: &ClientInner,
        err: ErrorCode,
        reason: &str,
        bump: bool,
    ) {
        let mut inner = self.inner.lock();
        inner.needs_bump |= bump;
        if !matches!(
            inner.state,
            TxnState::InTransaction | TxnState::BeginCommit | TxnState::CommittingTransaction
        ) {
            return;
        }
        let failed_in = inner.state;
        inner.enter(TxnState::AbortableError);
        inner.abortable = Some((err, reason.to_string()));
        drop(inner);
        // Not here: the caller may hold a queue's lock.
        self.purge_due.store(true, Ordering::Release);
        client.wake_main();
        client.log(
            crate::client::log::LOG_ERR,
            "TXNERR",
            &format!(
                "Current transaction failed in state {}: {reason} ({})",
                failed_in.name(),
                err.name()
            ),
        );
    }

    /// `count` messages were reported failed (any thread).
    pub fn count_failed_deliveries(&self, count: usize) {
        self.failed_deliveries
            .fetch_add(count as u64, Ordering::AcqRel);
    }

    /// The client raised its fatal error.
    pub fn on_fatal(&self) {
        self.inner.lock().enter(TxnState::FatalError);
    }

    /// librdkafka's state check for an API call: the call's own error in
    /// the fatal and abortable states, `__STATE` in any other not allowed.
    fn require(&self, client: &ClientInner, allowed: &[TxnState]) -> Result<TxnState, TxnError> {
        if let Some((code, reason)) = client.fatal.get() {
            return Err(TxnError::fatal(code, reason));
        }
        let inner = self.inner.lock();
        if allowed.contains(&inner.state) {
            return Ok(inner.state);
        }
        match (inner.state, &inner.abortable) {
            (TxnState::AbortableError, Some((code, reason))) => {
                Err(TxnError::abortable(*code, reason.clone()))
            }
            (state, _) => Err(TxnError::plain(
                RD_KAFKA_RESP_ERR__STATE,
                format!("Operation not valid in state {}", state.name()),
            )),
        }
    }

    fn set_state(&self, client: &ClientInner, state: TxnState) {
        let mut inner = self.inner.lock();
        if inner.state == TxnState::FatalError {
            return;
        }
        let before = inner.state;
        inner.enter(state);
        drop(inner);
        client.log_debug(
            ctx::EOS,
            "TXNSTATE",
            &format!(
                "Transaction state change {} -> {}",
                before.name(),
                state.name()
            ),
        );
    }

    /// The error to return after a coordinator failure: fencing and the
    /// fatal errors raise the client's fatal error; the rest make the
    /// transaction abortable when `abortable_in_txn`, else are plain.
    fn coordinator_failure(
        &self,
        client: &ClientInner,
        what: &str,
        err: ErrorCode,
        abortable_in_txn: bool,
    ) -> TxnError {
        let reason = format!("{what} failed: {}", err.description());
        if is_fencing(err) {
            let reason = format!(
                "{what} failed: producer fenced by a newer instance with the same transactional.id"
            );
            client.set_fatal_error(RD_KAFKA_RESP_ERR__FENCED, reason);
        } else if is_fatal_coordinator_error(err) {
            client.set_fatal_error(err, reason.clone());
        } else if err == RD_KAFKA_RESP_ERR__TIMED_OUT || retriable_coordinator_error(err) {
            return TxnError::retriable(
                RD_KAFKA_RESP_ERR__TIMED_OUT,
                format!("{what} timed out (last error: {})", err.name()),
            );
        } else if abortable_in_txn {
            self.set_abortable_error(client, err, &reason, needs_epoch_bump(err));
            return TxnError::abortable(err, reason);
        } else {
            return TxnError::plain(err, reason);
        }
        let (code, reason) = client.fatal.get().unwrap_or((err, reason));
        TxnError::fatal(code, reason)
    }

    /// `coordinator_failure` for the offsets' requests (AddOffsetsToTxn,
    /// TxnOffsetCommit), where librdkafka does not count PRODUCER_FENCED
    /// among the fatal errors: the transaction becomes abortable with
    /// `_FENCED`, and no epoch bump is asked for.
    fn offsets_failure(&self, client: &ClientInner, what: &str, err: ErrorCode) -> TxnError {
        if err != RD_KAFKA_RESP_ERR_PRODUCER_FENCED && !needs_epoch_bump(err) {
            return self.coordinator_failure(client, what, err, true);
        }
        let code = if err == RD_KAFKA_RESP_ERR_PRODUCER_FENCED {
            RD_KAFKA_RESP_ERR__FENCED
        } else {
            err
        };
        let reason = format!("{what} failed: {}", err.description());
        self.set_abortable_error(client, code, &reason, false);
        TxnError::abortable(code, reason)
    }

    /// InitProducerId at the transaction coordinator: a new id (or, with
    /// `current`, the next epoch of it, KIP-360), handed to the idempotent
    /// producer.
    fn acquire_pid(
        &self,
        client: &Arc<ClientInner>,
        ctl: &Control,
        current: ProducerId,
    ) -> Result<(), TxnError> {
        let request = InitProducerIdRequest {
            transactional_id: Some(self.transactional_id.clone()),
            transaction_timeout_ms: self.transaction_timeout.as_millis().min(i32::MAX as u128)
                as i32,
            producer_id: current.id,
            producer_epoch: current.epoch,
        };
        let target = Target::TransactionCoordinator(self.transactional_id.clone());
        let result = request::call(ctl, &target, &request, |r| judge_code(r.error_code));
        let err = match &result {
            Ok(r) => request::wire_error(r.error_code),
            Err(e) => *e,
        };
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            return Err(self.coordinator_failure(client, "InitProducerId", err, false));
        }
        let Ok(r) = result else {
            return Err(TxnError::plain(RD_KAFKA_RESP_ERR__FAIL, "no response"));
        };
        if let Some(idempotence) = &client.idempotence {
            idempotence.assign(
                client,
                ProducerId {
                    id: r.producer_id,
                    epoch: r.producer_epoch,
                },
            );
        }
        Ok(())
    }

    /// EndTxn (commit or abort) at the transaction coordinator.
    fn end_txn(
        &self,
        client: &Arc<ClientInner>,
        ctl: &Control,
        commit: bool,
    ) -> Result<(), TxnError> {
        let pid = client
            .idempotence
            .as_ref()
            .map_or(ProducerId::NONE, |i| i.pid());
        let request = EndTxnRequest {
            transactional_id: self.transactional_id.clone(),
            producer_id: pid.id,
            producer_epoch: pid.epoch,
            committed: commit,
        };
        let target = Target::TransactionCoordinator(self.transactional_id.clone());
        let result = request::call(ctl, &target, &request, |r| judge_code(r.error_code));
        let err = match &result {
            Ok(r) => request::wire_error(r.error_code),
            Err(e) => *e,
        };
        if err == RD_KAFKA_RESP_ERR_NO_ERROR {
            return Ok(());
        }
        if !commit && needs_epoch_bump(err) {
            // As librdkafka: the abort goes on with an epoch bump, which
            // also aborts the transaction on the coordinator.
            self.inner.lock().needs_bump = true;
            return Ok(());
        }
        let what = if commit {
            "EndTxn(commit)"
        } else {
            "EndTxn(abort)"
        };
        Err(self.coordinator_failure(client, what, err, commit))
    }

    /// A new transaction starts with nothing registered.
    fn start_transaction(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        let mut reg = self.registration.lock();
        reg.waiting.clear();
        reg.registered = false;
        let mut inner = self.inner.lock();
        inner.abortable = None;
        inner.offsets_added = false;
        self.failed_deliveries.store(0, Ordering::Release);
    }

    /// Waits (within `ctl`'s deadline) for an AddPartitionsToTxn in flight,
    /// so the transaction's partitions are known before it ends.
    fn settle_registration(&self, ctl: &Control) -> Result<(), TxnError> {
        while self.registration.lock().in_flight {
            if ctl.remaining().is_zero() {
                return Err(TxnError::retriable(
                    RD_KAFKA_RESP_ERR__TIMED_OUT,
                    "Timed out waiting for partition registration with the transaction coordinator",
                ));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok(())
    }

    fn needs_end_txn(&self) -> bool {
        self.registration.lock().registered || self.inner.lock().offsets_added
    }
}

/// A consumer's group metadata, as `send_offsets_to_transaction` takes it.
pub struct TxnGroup<'a> {
    pub group_id: &'a str,
    pub member_id: &'a str,
    pub generation: i32,
    pub instance_id: Option<&'a str>,
}

/// One offset to commit with the transaction.
pub struct TxnOffset {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub metadata: Option<String>,
}

impl Client {
    fn transactions(&self) -> Result<&Transactions, TxnError> {
        self.inner.txn.as_ref().ok_or_else(|| {
            TxnError::plain(
                RD_KAFKA_RESP_ERR__NOT_CONFIGURED,
                "The Transactional API requires transactional.id to be configured",
            )
        })
    }

    /// The deadline of a call given `timeout` (`None`: librdkafka's -1).
    fn txn_control(&self, timeout: Option<Duration>, default: Duration) -> Control {
        Control::for_caller(self.inner.clone(), timeout.unwrap_or(default))
    }

    /// `rd_kafka_init_transactions`: the producer id from the transaction
    /// coordinator (which also aborts or completes a previous instance's
    /// transaction and fences it). Resumable after a timeout.
    pub fn init_transactions(&self, timeout: Option<Duration>) -> Result<(), TxnError> {
        let txn = self.transactions()?;
        txn.require(&self.inner, &[TxnState::Init, TxnState::WaitPid])?;
        txn.set_state(&self.inner, TxnState::WaitPid);
        let ctl = self.txn_control(timeout, txn.transaction_timeout * 2);
        txn.acquire_pid(&self.inner, &ctl, ProducerId::NONE)?;
        txn.set_state(&self.inner, TxnState::Ready);
        Ok(())
    }

    /// `rd_kafka_begin_transaction`: local only, as librdkafka's.
    pub fn begin_transaction(&self) -> Result<(), TxnError> {
        let txn = self.transactions()?;
        txn.require(&self.inner, &[TxnState::Ready])?;
        txn.start_transaction();
        txn.set_state(&self.inner, TxnState::InTransaction);
        Ok(())
    }

    /// `rd_kafka_send_offsets_to_transaction`: AddOffsetsToTxn to the
    /// transaction coordinator, then TxnOffsetCommit to the group's.
    pub fn send_offsets_to_transaction(
        &self,
        offsets: Vec<TxnOffset>,
        group: TxnGroup<'_>,
        timeout: Option<Duration>,
    ) -> Result<(), TxnError> {
        let txn = self.transactions()?;
        txn.require(&self.inner, &[TxnState::InTransaction])?;
        // librdkafka skips invalid (logical) offsets; nothing left is a
        // success without a request.
        let offsets: Vec<TxnOffset> = offsets.into_iter().filter(|o| o.offset >= 0).collect();
        if offsets.is_empty() {
            return Ok(());
        }
        // librdkafka caps this call (only) to transaction.timeout.ms.
        let ctl = self.txn_control(
            timeout.map(|t| t.min(txn.transaction_timeout)),
            txn.transaction_timeout,
        );
        let pid = self
            .inner
            .idempotence
            .as_ref()
            .map_or(ProducerId::NONE, |i| i.pid());
        let add = AddOffsetsToTxnRequest {
            transactional_id: txn.transactional_id.clone(),
            producer_id: pid.id,
            producer_epoch: pid.epoch,
            group_id: group.group_id.to_string(),
        };
        let target = Target::TransactionCoordinator(txn.transactional_id.clone());
        let result = request::call(&ctl, &target, &add, |r| judge_code(r.error_code));
        let err = match &result {
            Ok(r) => request::wire_error(r.error_code),
            Err(e) => *e,
        };
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            return Err(txn.offsets_failure(&self.inner, "AddOffsetsToTxn", err));
        }
        txn.inner.lock().offsets_added = true;

        let mut topics: Vec<OffsetCommitTopic> = Vec::new();
        for o in &offsets {
            let p = OffsetCommitPartition {
                partition_index: o.partition,
                committed_offset: o.offset,
                committed_leader_epoch: -1,
                committed_metadata: o.metadata.clone(),
            };
            match topics.iter_mut().find(|t| t.name == o.topic) {
                Some(t) => t.partitions.push(p),
                None => topics.push(OffsetCommitTopic {
                    name: o.topic.clone(),
                    partitions: vec![p],
                }),
            }
        }
        let commit = TxnOffsetCommitRequest {
            transactional_id: txn.transactional_id.clone(),
            group_id: group.group_id.to_string(),
            producer_id: pid.id,
            producer_epoch: pid.epoch,
            generation_id: group.generation,
            member_id: group.member_id.to_string(),
            group_instance_id: group.instance_id.map(str::to_string),
            topics,
        };
        let first_error = |r: &crate::protocol::messages::TxnOffsetCommitResponse| {
            r.topics
                .iter()
                .flat_map(|t| t.partitions.iter())
                .map(|p| request::wire_error(p.error_code))
                .find(|e| *e != RD_KAFKA_RESP_ERR_NO_ERROR)
                .unwrap_or(RD_KAFKA_RESP_ERR_NO_ERROR)
        };
        let target = Target::GroupCoordinator(group.group_id.to_string());
        let result = request::call(&ctl, &target, &commit, |r| {
            if retriable_coordinator_error(first_error(r)) {
                Verdict::Retry
            } else {
                Verdict::Done
            }
        });
        let err = match &result {
            Ok(r) => first_error(r),
            Err(e) => *e,
        };
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            return Err(txn.offsets_failure(&self.inner, "TxnOffsetCommit", err));
        }
        Ok(())
    }

    /// `rd_kafka_commit_transaction`: `flush` delivers every outstanding
    /// message (serving delivery reports, as `rd_kafka_flush`) until the
    /// deadline it is given; then EndTxn(commit). Resumable after a
    /// timeout: a flush already done is not repeated.
    pub fn commit_transaction(
        &self,
        timeout: Option<Duration>,
        flush: impl FnOnce(Instant) -> ErrorCode,
    ) -> Result<(), TxnError> {
        let txn = self.transactions()?;
        let state = txn.require(
            &self.inner,
            &[
                TxnState::InTransaction,
                TxnState::BeginCommit,
                TxnState::CommittingTransaction,
            ],
        )?;
        let ctl = self.txn_control(timeout, NO_TIMEOUT);
        if state != TxnState::CommittingTransaction {
            txn.set_state(&self.inner, TxnState::BeginCommit);
            let flushed = flush(Instant::now() + ctl.remaining());
            // A delivery that failed for good made the transaction abortable.
            txn.require(&self.inner, &[TxnState::BeginCommit])?;
            if flushed != RD_KAFKA_RESP_ERR_NO_ERROR {
                return Err(TxnError::retriable(
                    RD_KAFKA_RESP_ERR__TIMED_OUT,
                    format!(
                        "Failed to flush all outstanding messages within the API timeout: {} message(s) remaining",
                        self.inner.queued_messages().0
                    ),
                ));
            }
            // Any other failed delivery (a purge by the application, too)
            // means the transaction lacks messages: it cannot commit.
            let failed = txn.failed_deliveries.load(Ordering::Acquire);
            if failed > 0 {
                let reason = format!(
                    "{failed} message(s) failed delivery (see individual delivery reports)"
                );
                txn.set_abortable_error(
                    &self.inner,
                    RD_KAFKA_RESP_ERR__INCONSISTENT,
                    &reason,
                    false,
                );
                return Err(TxnError::abortable(RD_KAFKA_RESP_ERR__INCONSISTENT, reason));
            }
            txn.settle_registration(&ctl)?;
            txn.set_state(&self.inner, TxnState::CommittingTransaction);
        }
        if txn.needs_end_txn() {
            txn.end_txn(&self.inner, &ctl, true)?;
        }
        txn.set_state(&self.inner, TxnState::Ready);
        Ok(())
    }

    /// `rd_kafka_abort_transaction`: purges the queued messages (their
    /// reports say `__PURGE_QUEUE`), lets `wait` serve reports until those
    /// in flight are done, bumps the epoch if the idempotent producer needs
    /// it, then EndTxn(abort). Resumable after a timeout.
    pub fn abort_transaction(
        &self,
        timeout: Option<Duration>,
        wait: impl FnOnce(Instant) -> ErrorCode,
    ) -> Result<(), TxnError> {
        let txn = self.transactions()?;
        let state = txn.require(
            &self.inner,
            &[
                TxnState::InTransaction,
                TxnState::AbortableError,
                TxnState::BeginAbort,
                TxnState::AbortingTransaction,
            ],
        )?;
        let ctl = self.txn_control(timeout, NO_TIMEOUT);
        if state != TxnState::AbortingTransaction {
            txn.set_state(&self.inner, TxnState::BeginAbort);
            self.inner.purge_queued_messages();
            let waited = wait(Instant::now() + ctl.remaining());
            if waited != RD_KAFKA_RESP_ERR_NO_ERROR {
                return Err(TxnError::retriable(
                    RD_KAFKA_RESP_ERR__TIMED_OUT,
                    format!(
                        "Failed to wait for {} outstanding message(s) within the API timeout",
                        self.inner.queued_messages().0
                    ),
                ));
            }
            txn.settle_registration(&ctl)?;
            txn.set_state(&self.inner, TxnState::AbortingTransaction);
        }
        if !txn.inner.lock().needs_bump && txn.needs_end_txn() {
            // An EndTxn answered with a lost producer id asks for the bump.
            txn.end_txn(&self.inner, &ctl, false)?;
        }
        let bump = std::mem::take(&mut txn.inner.lock().needs_bump);
        if bump {
            // KIP-360: the coordinator aborts the open transaction as it
            // hands out the next epoch; no EndTxn then.
            let current = self
                .inner
                .idempotence
                .as_ref()
                .map_or(ProducerId::NONE, |i| i.pid());
            if let Err(e) = txn.acquire_pid(&self.inner, &ctl, current) {
                txn.inner.lock().needs_bump = true;
                return Err(e);
            }
        }
        txn.set_state(&self.inner, TxnState::Ready);
        Ok(())
    }
}
