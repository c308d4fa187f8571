//! The transaction coordinator's state, per `transactional.id`: the
//! producer id and epoch InitProducerId handed out, and the open
//! transaction's partitions, consumer groups and pending offsets. Ending a
//! transaction (EndTxn, fencing by a newer InitProducerId, expiry after
//! `transaction.timeout.ms`) writes a marker to every partition it touched
//! and applies (commit) or drops (abort) its offsets, all at once under the
//! cluster lock: the mock has no PREPARE phase a client could observe.
//!
//! The handlers in `handlers/txn.rs` decode requests and answer from here.

use super::groups::{Committed, Group};
use super::state::ClusterState;
use crate::error::ErrorCode;
use crate::protocol::record_batch::ControlType;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use ErrorCode::*;

/// Kafka's `transaction.max.timeout.ms` default: InitProducerId refuses a
/// longer `transaction.timeout.ms` with INVALID_TRANSACTION_TIMEOUT.
pub const MAX_TRANSACTION_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// One `transactional.id`'s coordinator state.
#[derive(Debug)]
pub struct Transaction {
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub timeout: Duration,
    pub open: Option<OpenTransaction>,
    /// How the last transaction ended (true: committed), so that a retried
    /// EndTxn after the coordinator completed it succeeds, as in Kafka.
    pub last_outcome: Option<bool>,
}

#[derive(Debug)]
pub struct OpenTransaction {
    pub started: Instant,
    pub partitions: BTreeSet<(String, i32)>,
    pub groups: BTreeSet<String>,
    /// (group, topic, partition) -> offset, applied to the group at commit.
    pub offsets: BTreeMap<(String, String, i32), Committed>,
}

impl OpenTransaction {
    fn new(now: Instant) -> OpenTransaction {
        OpenTransaction {
            started: now,
            partitions: BTreeSet::new(),
            groups: BTreeSet::new(),
            offsets: BTreeMap::new(),
        }
    }
}

/// Every `transactional.id` the coordinator knows.
pub type Transactions = HashMap<String, Transaction>;

/// The error a request carrying a stale (or unknown newer) epoch gets:
/// PRODUCER_FENCED from the request version KIP-588 gave it, before that
/// INVALID_PRODUCER_EPOCH.
pub fn fenced(version: i16, fenced_from: i16) -> ErrorCode {
    if version >= fenced_from {
        RD_KAFKA_RESP_ERR_PRODUCER_FENCED
    } else {
        RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH
    }
}

/// InitProducerId with a `transactional.id`: a new producer id, or the
/// known one with the next epoch. An open transaction of the previous
/// instance is aborted with the new epoch, which fences the old epoch on
/// every partition it wrote to, and its coordinator requests fail from now
/// on.
pub fn init_producer_id(
    state: &mut ClusterState,
    transactional_id: &str,
    timeout_ms: i32,
) -> Result<(i64, i16), ErrorCode> {
    let timeout = u64::try_from(timeout_ms)
        .ok()
        .filter(|&ms| ms > 0)
        .map(Duration::from_millis)
        .filter(|&t| t <= MAX_TRANSACTION_TIMEOUT)
        .ok_or(RD_KAFKA_RESP_ERR_INVALID_TRANSACTION_TIMEOUT)?;
    let known = state
        .transactions
        .get(transactional_id)
        .map(|t| (t.producer_id, t.producer_epoch));
    let (producer_id, producer_epoch) = match known {
        // The epoch is an INT16; Kafka moves to a new producer id before
        // it would wrap.
        Some((id, epoch)) if epoch < i16::MAX - 1 => (id, epoch + 1),
        _ => (state.next_producer_id(), 0),
    };
    let txn = state
        .transactions
        .entry(transactional_id.to_string())
        .or_insert(Transaction {
            producer_id,
            producer_epoch,
            timeout,
            open: None,
            last_outcome: None,
        });
    let open = txn.open.take();
    let (old_producer_id, old_epoch) = (txn.producer_id, txn.producer_epoch);
    txn.producer_id = producer_id;
    txn.producer_epoch = producer_epoch;
    txn.timeout = timeout;
    txn.last_outcome = None;
    if let Some(open) = open {
        // The markers carry the id the data was written with, and a
        // newer epoch, which fences the old one on those partitions.
        finish(
            state,
            old_producer_id,
            old_epoch.saturating_add(1),
            open,
            false,
        );
    }
    Ok((producer_id, producer_epoch))
}

/// The transaction of `transactional_id` if `producer_id`/`producer_epoch`
/// are its current ones; `fenced_error` for a stale epoch.
pub fn current<'a>(
    state: &'a mut ClusterState,
    transactional_id: &str,
    producer_id: i64,
    producer_epoch: i16,
    fenced_error: ErrorCode,
) -> Result<&'a mut Transaction, ErrorCode> {
    let txn = state
        .transactions
        .get_mut(transactional_id)
        .filter(|t| t.producer_id == producer_id)
        .ok_or(RD_KAFKA_RESP_ERR_INVALID_PRODUCER_ID_MAPPING)?;
    if producer_epoch != txn.producer_epoch {
        return Err(fenced_error);
    }
    Ok(txn)
}

impl Transaction {
    /// The open transaction, begun now if there is none (a transaction
    /// begins on the coordinator with its first AddPartitions/AddOffsets).
    pub fn open_or_begin(&mut self, now: Instant) -> &mut OpenTransaction {
        self.open.get_or_insert_with(|| OpenTransaction::new(now))
    }
}

/// EndTxn: commits or aborts the open transaction. Without one, a retry of
/// the EndTxn that ended the last transaction succeeds again; anything else
/// is INVALID_TXN_STATE.
pub fn end(
    state: &mut ClusterState,
    transactional_id: &str,
    producer_id: i64,
    producer_epoch: i16,
    commit: bool,
    fenced_error: ErrorCode,
) -> Result<(), ErrorCode> {
    let txn = current(
        state,
        transactional_id,
        producer_id,
        producer_epoch,
        fenced_error,
    )?;
    let Some(open) = txn.open.take() else {
        return match txn.last_outcome {
            Some(outcome) if outcome == commit => Ok(()),
            _ => Err(RD_KAFKA_RESP_ERR_INVALID_TXN_STATE),
        };
    };
    txn.last_outcome = Some(commit);
    finish(state, producer_id, producer_epoch, open, commit);
    Ok(())
}

/// Aborts every transaction open longer than its `transaction.timeout.ms`,
/// bumping the producer's epoch as Kafka's coordinator does: the producer
/// that let it expire is fenced. Returns whether any marker was written.
pub fn expire(state: &mut ClusterState, now: Instant) -> bool {
    let expired: Vec<(i64, i16, OpenTransaction)> = state
        .transactions
        .values_mut()
        .filter(|t| {
            t.open
                .as_ref()
                .is_some_and(|o| now.duration_since(o.started) >= t.timeout)
        })
        .filter_map(|t| {
            let open = t.open.take()?;
            t.producer_epoch = t.producer_epoch.saturating_add(1);
            t.last_outcome = Some(false);
            Some((t.producer_id, t.producer_epoch, open))
        })
        .collect();
    let any = !expired.is_empty();
    for (producer_id, epoch, open) in expired {
        finish(state, producer_id, epoch, open, false);
    }
    any
}

/// Writes the markers and applies or drops the offsets of a transaction
/// that has ended.
fn finish(
    state: &mut ClusterState,
    producer_id: i64,
    producer_epoch: i16,
    open: OpenTransaction,
    commit: bool,
) {
    let marker = if commit {
        ControlType::Commit
    } else {
        ControlType::Abort
    };
    let now_ms = crate::client::clock::now_ms();
    for (topic, partition) in &open.partitions {
        if let Some(p) = state.partition_mut(topic, *partition) {
            p.log
                .append_marker(producer_id, producer_epoch, marker, now_ms);
        }
    }
    if commit {
        let now = Instant::now();
        for ((group, topic, partition), committed) in open.offsets {
            state
                .groups
                .entry(group)
                .or_insert_with(|| Group::new(now))
                .committed
                .insert((topic, partition), committed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster() -> ClusterState {
        let mut s = ClusterState::new(vec![1]);
        s.create_topic("t", 2, 1).unwrap();
        s
    }

    fn write(s: &mut ClusterState, pid: i64, epoch: i16, partition: i32) {
        let mut w = crate::protocol::record_batch::RecordBatchWriter::new(1);
        w.append(1, None, Some(b"v"), &[]);
        let seq = 0;
        let batch = w
            .finish(
                crate::protocol::Compression::None,
                None,
                pid,
                epoch,
                seq,
                true,
            )
            .unwrap();
        s.partition_mut("t", partition)
            .unwrap()
            .log
            .append(&batch)
            .unwrap();
    }

    #[test]
    fn commit_writes_markers_and_applies_offsets() {
        let mut s = cluster();
        let now = Instant::now();
        let (pid, epoch) = init_producer_id(&mut s, "tx", 60_000).unwrap();
        let fence = RD_KAFKA_RESP_ERR_PRODUCER_FENCED;
        let txn = current(&mut s, "tx", pid, epoch, fence).unwrap();
        let open = txn.open_or_begin(now);
        open.partitions.insert(("t".into(), 0));
        open.offsets.insert(
            ("g".into(), "in".into(), 3),
            Committed {
                offset: 42,
                metadata: None,
            },
        );
        write(&mut s, pid, epoch, 0);
        assert_eq!(s.partition("t", 0).unwrap().log.last_stable_offset(), 0);
        assert!(!s.groups.contains_key("g"));
        end(&mut s, "tx", pid, epoch, true, fence).unwrap();
        let log = &s.partition("t", 0).unwrap().log;
        assert_eq!((log.high_watermark(), log.last_stable_offset()), (2, 2));
        assert!(log.aborted_between(0, 2).is_empty());
        assert_eq!(s.groups["g"].committed[&("in".to_string(), 3)].offset, 42);
        // A retried EndTxn is answered the same; the other outcome is not.
        assert_eq!(end(&mut s, "tx", pid, epoch, true, fence), Ok(()));
        assert_eq!(
            end(&mut s, "tx", pid, epoch, false, fence),
            Err(RD_KAFKA_RESP_ERR_INVALID_TXN_STATE)
        );
    }

    #[test]
    fn a_new_instance_aborts_and_fences_the_old_one() {
        let mut s = cluster();
        let now = Instant::now();
        let fence = RD_KAFKA_RESP_ERR_PRODUCER_FENCED;
        let (pid, epoch) = init_producer_id(&mut s, "tx", 60_000).unwrap();
        let open = current(&mut s, "tx", pid, epoch, fence)
            .unwrap()
            .open_or_begin(now);
        open.partitions.insert(("t".into(), 1));
        open.offsets.insert(
            ("g".into(), "in".into(), 0),
            Committed {
                offset: 1,
                metadata: None,
            },
        );
        write(&mut s, pid, epoch, 1);
        assert_eq!(init_producer_id(&mut s, "tx", 60_000), Ok((pid, epoch + 1)));
        let log = &s.partition("t", 1).unwrap().log;
        assert_eq!(log.last_stable_offset(), 2);
        assert_eq!(log.aborted_between(0, 2).len(), 1);
        assert!(!s.groups.contains_key("g"), "aborted offsets are dropped");
        assert_eq!(
            end(&mut s, "tx", pid, epoch, true, fence).err(),
            Some(fence)
        );
        assert_eq!(
            current(&mut s, "tx", pid + 1, epoch + 1, fence).err(),
            Some(RD_KAFKA_RESP_ERR_INVALID_PRODUCER_ID_MAPPING)
        );
        assert_eq!(
            init_producer_id(&mut s, "tx", 0).err(),
            Some(RD_KAFKA_RESP_ERR_INVALID_TRANSACTION_TIMEOUT)
        );
    }

    #[test]
    fn an_expired_transaction_is_aborted_and_its_producer_fenced() {
        let mut s = cluster();
        let start = Instant::now();
        let fence = RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH;
        let (pid, epoch) = init_producer_id(&mut s, "tx", 1_000).unwrap();
        current(&mut s, "tx", pid, epoch, fence)
            .unwrap()
            .open_or_begin(start)
            .partitions
            .insert(("t".into(), 0));
        write(&mut s, pid, epoch, 0);
        assert!(!expire(&mut s, start + Duration::from_millis(999)));
        assert!(expire(&mut s, start + Duration::from_millis(1_000)));
        let log = &s.partition("t", 0).unwrap().log;
        assert_eq!((log.high_watermark(), log.last_stable_offset()), (2, 2));
        assert_eq!(log.aborted_between(0, 2).len(), 1);
        assert_eq!(
            end(&mut s, "tx", pid, epoch, true, fence).err(),
            Some(fence)
        );
    }
}
