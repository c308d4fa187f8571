//! One partition's transaction index, as a Kafka broker keeps it: the
//! first offset of each producer's open transaction (which holds the last
//! stable offset back) and the offset ranges of aborted transactions
//! (Fetch's `aborted_transactions`, for `read_committed` consumers).
//!
//! Invariants: a producer has at most one open transaction per partition;
//! the last stable offset is the smallest open first offset, else the high
//! watermark; a marker closes its producer's open transaction, and an
//! abort marker records `[first, marker]` as aborted.

use crate::protocol::messages::AbortedTransaction;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AbortedRange {
    producer_id: i64,
    first_offset: i64,
    /// The abort marker's offset.
    last_offset: i64,
}

#[derive(Debug, Default)]
pub struct TxnIndex {
    /// Producer id -> first offset of its open transaction.
    open: BTreeMap<i64, i64>,
    /// In marker order, so in `last_offset` order.
    aborted: Vec<AbortedRange>,
}

impl TxnIndex {
    /// A transactional batch of `producer_id` stored at `base_offset`.
    pub fn on_data(&mut self, producer_id: i64, base_offset: i64) {
        self.open.entry(producer_id).or_insert(base_offset);
    }

    /// `producer_id`'s marker stored at `offset`. A marker without an open
    /// transaction (a transaction that added the partition but wrote no
    /// data to it) leaves nothing to abort.
    pub fn on_marker(&mut self, producer_id: i64, commit: bool, offset: i64) {
        if let Some(first_offset) = self.open.remove(&producer_id) {
            if !commit {
                self.aborted.push(AbortedRange {
                    producer_id,
                    first_offset,
                    last_offset: offset,
                });
            }
        }
    }

    pub fn last_stable_offset(&self, high_watermark: i64) -> i64 {
        self.open
            .values()
            .copied()
            .min()
            .unwrap_or(high_watermark)
            .min(high_watermark)
    }

    /// Aborted transactions overlapping `[from, to)`: what a consumer
    /// reading that range must know to drop their records.
    pub fn aborted_between(&self, from: i64, to: i64) -> Vec<AbortedTransaction> {
        let start = self.aborted.partition_point(|a| a.last_offset < from);
        self.aborted[start..]
            .iter()
            .filter(|a| a.first_offset < to)
            .map(|a| AbortedTransaction {
                producer_id: a.producer_id,
                first_offset: a.first_offset,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aborted(producer_id: i64, first_offset: i64) -> AbortedTransaction {
        AbortedTransaction {
            producer_id,
            first_offset,
        }
    }

    #[test]
    fn open_transactions_hold_the_last_stable_offset_back() {
        let mut idx = TxnIndex::default();
        assert_eq!(idx.last_stable_offset(0), 0);
        idx.on_data(7, 0);
        idx.on_data(7, 3);
        idx.on_data(8, 5);
        assert_eq!(idx.last_stable_offset(9), 0);
        idx.on_marker(7, true, 9);
        assert_eq!(idx.last_stable_offset(10), 5);
        idx.on_marker(8, false, 10);
        assert_eq!(idx.last_stable_offset(11), 11);
        assert_eq!(idx.aborted_between(0, 11), vec![aborted(8, 5)]);
    }

    #[test]
    fn aborted_ranges_are_found_by_overlap() {
        let mut idx = TxnIndex::default();
        idx.on_data(7, 10);
        idx.on_marker(7, false, 20);
        idx.on_data(7, 30);
        idx.on_marker(7, false, 40);
        assert_eq!(idx.aborted_between(0, 10), vec![]);
        assert_eq!(idx.aborted_between(0, 11), vec![aborted(7, 10)]);
        assert_eq!(
            idx.aborted_between(20, 31),
            vec![aborted(7, 10), aborted(7, 30)]
        );
        assert_eq!(idx.aborted_between(21, 100), vec![aborted(7, 30)]);
        assert_eq!(idx.aborted_between(41, 100), vec![]);
        // A marker with no data before it aborts nothing.
        idx.on_marker(9, false, 41);
        assert_eq!(idx.aborted_between(41, 100), vec![]);
    }
}
