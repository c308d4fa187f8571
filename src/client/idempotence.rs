//! The idempotent producer's producer id and epoch (librdkafka's
//! `rdkafka_idempotence.c`), and the client-wide fatal error.
//!
//! The producer id is acquired (InitProducerId) by the main thread before
//! any batch is sent; broker threads number batches only under the id
//! [`Idempotence::current`] returns. When an error leaves the broker's idea
//! of a partition's sequence unknowable (a gap, an unknown producer id, a
//! numbered message that timed out), [`Idempotence::drain_bump`] stops new
//! batches; once every produce request in flight has been answered, the
//! main thread asks for the next epoch (KIP-360: InitProducerId v3+ with
//! the current id/epoch; an older broker, which never reads those fields,
//! hands out a new id) and every partition renumbers from sequence 0.
//!
//! Locality: the state is behind one mutex, touched by the main thread
//! (requests), broker threads (answers, drains) and `rd_kafka_*` calls
//! (fatal error); no other lock is taken while it is held.

use crate::client::log::ctx;
use crate::client::ClientInner;
use crate::error::ErrorCode;
use crate::protocol::messages::init_producer_id::{InitProducerIdRequest, InitProducerIdResponse};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

/// A producer id with its epoch, as RecordBatch v2 carries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProducerId {
    pub id: i64,
    pub epoch: i16,
}

impl ProducerId {
    pub const NONE: ProducerId = ProducerId { id: -1, epoch: -1 };

    pub fn is_valid(self) -> bool {
        self.id >= 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// No id yet (or the broker refused a bump): ask for a new one.
    NeedPid,
    /// An InitProducerId is in flight.
    Requesting,
    /// Batches may be sent under `pid`.
    Assigned,
    /// Waiting for the requests in flight to finish, then bump the epoch.
    DrainBump,
    /// A fatal error was raised: nothing more is sent.
    Fatal,
    /// Transactional producer without a usable id: the transaction manager
    /// (`client/txn/`) acquires it from the transaction coordinator, at
    /// `rd_kafka_init_transactions` and when an abort bumps the epoch.
    TxnManaged,
}

struct State {
    phase: Phase,
    pid: ProducerId,
    /// Whether the next request asks for an epoch bump of `pid`.
    bump: bool,
    /// No InitProducerId before this instant (backoff after a failure).
    retry_at: Instant,
    /// When `phase` last changed (statistics' `idemp_stateage`).
    phase_since: Instant,
}

impl State {
    fn set_phase(&mut self, phase: Phase) {
        if phase != self.phase {
            self.phase = phase;
            self.phase_since = Instant::now();
        }
    }
}

/// The idempotent producer's state; `ClientInner::idempotence` is `Some`
/// only with `enable.idempotence=true`.
pub struct Idempotence {
    state: Mutex<State>,
    /// Produce batches in flight on all brokers: a drain waits for zero.
    in_flight: AtomicUsize,
    /// `enable.gapless.guarantee`: a gap is fatal instead of an epoch bump.
    pub gapless: bool,
    /// Epoch bumps and new ids acquired (statistics).
    pub epoch_changes: AtomicUsize,
}

/// How long to wait before asking again after a failed InitProducerId.
const PID_RETRY_BACKOFF: Duration = Duration::from_millis(500);

impl Idempotence {
    pub fn new(gapless: bool, transactional: bool) -> Idempotence {
        Idempotence {
            state: Mutex::new(State {
                phase: if transactional {
                    Phase::TxnManaged
                } else {
                    Phase::NeedPid
                },
                pid: ProducerId::NONE,
                bump: false,
                retry_at: Instant::now(),
                phase_since: Instant::now(),
            }),
            in_flight: AtomicUsize::new(0),
            gapless,
            epoch_changes: AtomicUsize::new(0),
        }
    }

    /// The id to number new batches with, if batches may be sent now.
    pub fn current(&self) -> Option<ProducerId> {
        let state = self.state.lock();
        (state.phase == Phase::Assigned).then_some(state.pid)
    }

    /// The state by librdkafka's name (statistics `eos.idemp_state`) and
    /// the id last assigned.
    /// librdkafka's name of the current state, how long it has lasted,
    /// and the producer id.
    pub fn state_for_stats(&self) -> (&'static str, Duration, ProducerId) {
        let state = self.state.lock();
        let name = match state.phase {
            Phase::NeedPid => "RequestPID",
            Phase::Requesting => "WaitPID",
            Phase::Assigned => "Assigned",
            Phase::DrainBump => "DrainBump",
            Phase::Fatal => "FatalError",
            Phase::TxnManaged => "WaitTxnAbort",
        };
        (name, state.phase_since.elapsed(), state.pid)
    }

    pub fn batch_sent(&self) {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
    }

    /// A batch's request was answered or failed; the last one of a drain
    /// wakes the main thread to bump the epoch.
    pub fn batch_done(&self, client: &ClientInner) {
        let before = self.in_flight.fetch_sub(1, Ordering::AcqRel);
        if before == 1 && self.state.lock().phase == Phase::DrainBump {
            client.wake_main();
        }
    }

    /// Messages sent with sequence numbers failed for good, leaving a gap:
    /// stops new batches and, once the requests in flight are answered,
    /// bumps the epoch. With `enable.gapless.guarantee`, raises the fatal
    /// error `__GAPLESS_GUARANTEE` instead, as librdkafka.
    pub fn gap(&self, client: &ClientInner, reason: &str) {
        self.gap_after(client, ErrorCode::RD_KAFKA_RESP_ERR__INCONSISTENT, reason);
    }

    /// [`gap`](Self::gap) left by messages that failed with `err`.
    pub fn gap_after(&self, client: &ClientInner, err: ErrorCode, reason: &str) {
        if self.gapless {
            client.set_fatal_error(
                ErrorCode::RD_KAFKA_RESP_ERR__GAPLESS_GUARANTEE,
                format!("{reason}: unable to satisfy gap-less guarantee"),
            );
            return;
        }
        self.drain_bump_after(client, err, reason);
    }

    /// Stops new batches and, once the requests in flight are answered,
    /// bumps the epoch; never fatal. For errors that leave no gap (the
    /// broker forgot the producer id) and for messages that timed out,
    /// which `enable.gapless.guarantee` does not cover (librdkafka's
    /// documentation of the property says so).
    pub fn drain_bump(&self, client: &ClientInner, reason: &str) {
        self.drain_bump_after(client, ErrorCode::RD_KAFKA_RESP_ERR__INCONSISTENT, reason);
    }

    /// [`drain_bump`](Self::drain_bump) after `err`: a transactional
    /// producer reports `err` as the transaction's abortable error.
    pub fn drain_bump_after(&self, client: &ClientInner, err: ErrorCode, reason: &str) {
        let mut state = self.state.lock();
        if state.phase != Phase::Assigned {
            return;
        }
        if let Some(txn) = &client.txn {
            // librdkafka's transactional producer bumps the epoch as part
            // of the abort the application must now make.
            state.set_phase(Phase::TxnManaged);
            drop(state);
            txn.set_abortable_error(client, err, reason, true);
            return;
        }
        state.set_phase(Phase::DrainBump);
        state.bump = true;
        drop(state);
        client.log_debug(
            ctx::EOS,
            "DRAIN",
            &format!(
                "Draining {} outstanding request(s) before bumping epoch: {reason}",
                self.in_flight.load(Ordering::Acquire)
            ),
        );
        client.wake_main();
    }

    /// The transaction manager's producer id (or epoch) is ready: batches
    /// may go out under it, every partition renumbering from 0.
    pub fn assign(&self, client: &ClientInner, pid: ProducerId) {
        let mut state = self.state.lock();
        if state.phase == Phase::Fatal {
            return;
        }
        state.pid = pid;
        state.set_phase(Phase::Assigned);
        drop(state);
        self.epoch_changes.fetch_add(1, Ordering::AcqRel);
        client.log_debug(
            ctx::EOS,
            "PIDSTATE",
            &format!("Assigned producer id {} epoch {}", pid.id, pid.epoch),
        );
        client.wake_all_brokers();
    }

    /// The id last assigned (`ProducerId::NONE` before the first).
    pub fn pid(&self) -> ProducerId {
        self.state.lock().pid
    }

    /// Produce requests in flight on all brokers.
    pub fn batches_in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }

    /// No more produce requests: the client had a fatal error.
    pub fn stop(&self) {
        self.state.lock().set_phase(Phase::Fatal);
    }

    /// Main thread: sends InitProducerId when one is due; returns when to
    /// look again (a backoff), if the state is waiting on time.
    pub fn tick(&self, client: &Arc<ClientInner>, now: Instant) -> Option<Instant> {
        let mut state = self.state.lock();
        let due = match state.phase {
            Phase::NeedPid => true,
            Phase::DrainBump => self.in_flight.load(Ordering::Acquire) == 0,
            _ => false,
        };
        if !due {
            return None;
        }
        if now < state.retry_at {
            return Some(state.retry_at);
        }
        let Some(broker) = client.any_broker() else {
            state.retry_at = now + PID_RETRY_BACKOFF;
            return Some(state.retry_at);
        };
        let current = if state.bump {
            state.pid
        } else {
            ProducerId::NONE
        };
        state.set_phase(Phase::Requesting);
        drop(state);
        client.log_debug(
            ctx::EOS,
            "PIDSTATE",
            &format!(
                "Requesting producer id from broker {} ({})",
                broker.name,
                if current.is_valid() {
                    format!("bumping epoch of id {} epoch {}", current.id, current.epoch)
                } else {
                    "new id".to_string()
                }
            ),
        );
        let request = InitProducerIdRequest {
            transactional_id: None,
            transaction_timeout_ms: client.config.int("transaction.timeout.ms") as i32,
            producer_id: current.id,
            producer_epoch: current.epoch,
        };
        let weak: Weak<ClientInner> = Arc::downgrade(client);
        let timeout = client.settings.socket_timeout;
        broker.send(request, timeout, move |result| {
            if let Some(client) = weak.upgrade() {
                if let Some(idempotence) = &client.idempotence {
                    idempotence.on_answer(&client, result);
                }
            }
        });
        None
    }

    fn on_answer(&self, client: &ClientInner, result: Result<InitProducerIdResponse, ErrorCode>) {
        let err = match &result {
            Ok(r) => ErrorCode::from_code(r.error_code as i32)
                .unwrap_or(ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN),
            Err(e) => *e,
        };
        let mut state = self.state.lock();
        if state.phase != Phase::Requesting {
            return;
        }
        if err == ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR {
            let Ok(r) = result else { return };
            state.pid = ProducerId {
                id: r.producer_id,
                epoch: r.producer_epoch,
            };
            state.set_phase(Phase::Assigned);
            state.bump = false;
            drop(state);
            self.epoch_changes.fetch_add(1, Ordering::AcqRel);
            client.log_debug(
                ctx::EOS,
                "PIDSTATE",
                &format!(
                    "Assigned producer id {} epoch {}",
                    r.producer_id, r.producer_epoch
                ),
            );
            client.wake_all_brokers();
            return;
        }
        use crate::error::rd_kafka_resp_err_t::*;
        match err {
            // The broker forgot the id or refuses this epoch: start over
            // with a new id.
            RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID
            | RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH
            | RD_KAFKA_RESP_ERR_PRODUCER_FENCED
            | RD_KAFKA_RESP_ERR_INVALID_PRODUCER_ID_MAPPING
                if state.bump =>
            {
                state.bump = false;
                state.set_phase(Phase::NeedPid);
            }
            RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED
            | RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED
            | RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION
            | RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE => {
                state.set_phase(Phase::Fatal);
                drop(state);
                client.set_fatal_error(
                    err,
                    format!("Failed to acquire producer ID: {}", err.description()),
                );
                return;
            }
            _ => {
                let next = if state.bump {
                    Phase::DrainBump
                } else {
                    Phase::NeedPid
                };
                state.set_phase(next);
            }
        }
        state.retry_at = Instant::now() + PID_RETRY_BACKOFF;
        drop(state);
        client.log_debug(
            ctx::EOS,
            "PIDSTATE",
            &format!("InitProducerId failed: {}: retrying", err.name()),
        );
        client.wake_main();
    }
}

/// The client's fatal error (`rd_kafka_fatal_error`): the first one raised
/// stays; later ones are ignored, as in librdkafka.
#[derive(Default)]
pub struct FatalError {
    raised: AtomicBool,
    detail: Mutex<Option<(ErrorCode, String)>>,
}

impl FatalError {
    pub fn is_raised(&self) -> bool {
        self.raised.load(Ordering::Acquire)
    }

    pub fn get(&self) -> Option<(ErrorCode, String)> {
        self.detail.lock().clone()
    }

    /// Records the error; false if one was raised before.
    fn raise(&self, err: ErrorCode, reason: &str) -> bool {
        let mut detail = self.detail.lock();
        if detail.is_some() {
            return false;
        }
        *detail = Some((err, reason.to_string()));
        self.raised.store(true, Ordering::Release);
        true
    }
}

impl ClientInner {
    /// Raises the client's fatal error: logged, reported as a `__FATAL`
    /// error (event or `error_cb`), produce calls refused from now on and,
    /// on a producer, the queued messages purged (those in flight still get
    /// their outcome). Returns false when a fatal error was raised before.
    pub fn set_fatal_error(&self, err: ErrorCode, reason: String) -> bool {
        if !self.fatal.raise(err, &reason) {
            return false;
        }
        if let Some(idempotence) = &self.idempotence {
            idempotence.stop();
        }
        if let Some(txn) = &self.txn {
            txn.on_fatal();
        }
        let text = format!("Fatal error: {}: {reason}", err.description());
        // librdkafka logs it at LOG_EMERG.
        const LOG_EMERG: i32 = 0;
        self.log(LOG_EMERG, "FATAL", &text);
        self.raise_error(ErrorCode::RD_KAFKA_RESP_ERR__FATAL, text);
        if self.kind == crate::config::ClientKind::Producer {
            self.purge_queued_messages();
        }
        true
    }

    /// Logs a debug line of `context` (if enabled), recording the context
    /// for `rd_kafka_event_debug_contexts`.
    pub fn log_debug(&self, context: u32, facility: &str, message: &str) {
        self.logger.debug(context, facility, message);
    }
}
