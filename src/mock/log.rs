//! One partition's log: stored record batches with broker-assigned offsets,
//! watermarks, and the idempotent-producer sequence state Kafka keeps per
//! producer id and partition.

use crate::error::ErrorCode;
use crate::protocol::record_batch::{decode_batches, RecordBatch};
use bytes::{Bytes, BytesMut};
use std::collections::{HashMap, VecDeque};

/// Kafka remembers this many recent batches per producer to recognise a
/// retried batch as a duplicate rather than a gap.
const DEDUP_WINDOW: usize = 5;

/// Decompression limit when validating produced batches.
const MAX_DECOMPRESSED: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone)]
struct StoredBatch {
    base_offset: i64,
    last_offset: i64,
    max_timestamp: i64,
    data: Bytes,
}

#[derive(Debug, Clone, Copy)]
struct SeqRange {
    first: i32,
    last: i32,
    base_offset: i64,
}

#[derive(Debug, Clone, Default)]
struct ProducerState {
    epoch: i16,
    recent: VecDeque<SeqRange>,
}

/// Why an append was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppendError {
    /// Refused with this error; nothing was stored.
    Refused(ErrorCode),
    /// Every batch was already stored (a producer retry); the offset is
    /// that of the original first batch.
    Duplicate { base_offset: i64 },
}

#[derive(Debug, Default)]
pub struct PartitionLog {
    batches: Vec<StoredBatch>,
    log_start: i64,
    high_watermark: i64,
    producers: HashMap<i64, ProducerState>,
}

fn corrupt() -> AppendError {
    AppendError::Refused(ErrorCode::RD_KAFKA_RESP_ERR_INVALID_MSG)
}

/// Checks one batch's sequence numbers against what the producer sent
/// before, updating `state` when the batch is the next one expected.
fn check_sequence(
    state: &mut Option<ProducerState>,
    batch: &RecordBatch,
    base_offset: i64,
) -> Result<(), AppendError> {
    let first = batch.base_sequence;
    let last = first.wrapping_add(batch.last_offset_delta) & i32::MAX;
    let epoch = batch.producer_epoch;
    let entry = match state {
        Some(s) if epoch < s.epoch => {
            return Err(AppendError::Refused(
                ErrorCode::RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH,
            ))
        }
        Some(s) if epoch == s.epoch => s,
        // A new producer or a new epoch starts over at sequence 0.
        _ => {
            if first != 0 {
                return Err(AppendError::Refused(
                    ErrorCode::RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
                ));
            }
            state.insert(ProducerState {
                epoch,
                recent: VecDeque::new(),
            })
        }
    };
    if let Some(dup) = entry
        .recent
        .iter()
        .find(|r| r.first == first && r.last == last)
    {
        return Err(AppendError::Duplicate {
            base_offset: dup.base_offset,
        });
    }
    if let Some(prev) = entry.recent.back() {
        let expected = prev.last.wrapping_add(1) & i32::MAX;
        if first != expected {
            return Err(AppendError::Refused(
                ErrorCode::RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
            ));
        }
    }
    entry.recent.push_back(SeqRange {
        first,
        last,
        base_offset,
    });
    if entry.recent.len() > DEDUP_WINDOW {
        entry.recent.pop_front();
    }
    Ok(())
}

/// Framing, CRC and record-level validation of one produced batch.
fn validate(batch: &RecordBatch) -> Result<(), AppendError> {
    batch.verify_crc().map_err(|_| corrupt())?;
    if batch.last_offset_delta < 0 || batch.records_count < 0 || batch.is_control() {
        return Err(corrupt());
    }
    let records = batch
        .records_limited(MAX_DECOMPRESSED)
        .map_err(|_| corrupt())?;
    if records.len() != batch.records_count as usize {
        return Err(corrupt());
    }
    Ok(())
}

impl PartitionLog {
    pub fn high_watermark(&self) -> i64 {
        self.high_watermark
    }

    pub fn log_start(&self) -> i64 {
        self.log_start
    }

    /// DeleteRecords: moves the log start up to `offset` (-1: the high
    /// watermark) and drops the batches wholly before it; returns the new
    /// log start. An offset past the high watermark is out of range.
    pub fn delete_before(&mut self, offset: i64) -> Result<i64, ErrorCode> {
        let offset = if offset == -1 {
            self.high_watermark
        } else {
            offset
        };
        if offset < 0 || offset > self.high_watermark {
            return Err(ErrorCode::RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE);
        }
        self.log_start = self.log_start.max(offset);
        let keep_from = self
            .batches
            .partition_point(|b| b.last_offset < self.log_start);
        self.batches.drain(..keep_from);
        Ok(self.log_start)
    }

    /// Validates and stores a produce request's record set, assigning
    /// offsets. All or nothing: a refused set stores no batch.
    pub fn append(&mut self, records: &Bytes) -> Result<i64, AppendError> {
        let batches = decode_batches(records).map_err(|_| corrupt())?;
        let framed: usize = batches.iter().map(|b| b.raw().len()).sum();
        if batches.is_empty() || framed != records.len() {
            return Err(corrupt());
        }
        // Sequence checks run on copies so a refusal leaves the state as it was.
        let mut touched: HashMap<i64, Option<ProducerState>> = HashMap::new();
        let mut next = self.high_watermark;
        let mut duplicates = Vec::new();
        for batch in &batches {
            validate(batch)?;
            if batch.producer_id >= 0 {
                let state = touched
                    .entry(batch.producer_id)
                    .or_insert_with(|| self.producers.get(&batch.producer_id).cloned());
                match check_sequence(state, batch, next) {
                    Ok(()) => {}
                    Err(AppendError::Duplicate { base_offset }) => {
                        duplicates.push(base_offset);
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            }
            next += i64::from(batch.last_offset_delta) + 1;
        }
        if let Some(&base_offset) = duplicates.first() {
            if duplicates.len() == batches.len() {
                return Err(AppendError::Duplicate { base_offset });
            }
            // A set mixing retried and new batches cannot come from a
            // correct producer (it retries whole requests).
            return Err(AppendError::Refused(
                ErrorCode::RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
            ));
        }
        for (pid, state) in touched {
            if let Some(state) = state {
                self.producers.insert(pid, state);
            }
        }
        let base = self.high_watermark;
        for batch in &batches {
            let offset = self.high_watermark;
            let last_offset = offset + i64::from(batch.last_offset_delta);
            self.batches.push(StoredBatch {
                base_offset: offset,
                last_offset,
                max_timestamp: batch.max_timestamp,
                data: batch.with_base_offset(offset),
            });
            self.high_watermark = last_offset + 1;
        }
        Ok(base)
    }

    /// Whole batches from the one containing `offset` on, at most
    /// `max_bytes` of them, except that the first batch is returned even if
    /// larger when `first_may_exceed` (so a consumer can always progress).
    pub fn read(&self, offset: i64, max_bytes: usize, first_may_exceed: bool) -> Bytes {
        let start = self.batches.partition_point(|b| b.last_offset < offset);
        let mut out = BytesMut::new();
        for batch in &self.batches[start..] {
            let fits = out.len() + batch.data.len() <= max_bytes;
            let forced = out.is_empty() && first_may_exceed;
            if !(fits || forced) {
                break;
            }
            out.extend_from_slice(&batch.data);
        }
        out.freeze()
    }

    /// Bytes a fetch from `offset` could return: used for `min_bytes`.
    pub fn bytes_after(&self, offset: i64) -> usize {
        let start = self.batches.partition_point(|b| b.last_offset < offset);
        self.batches[start..].iter().map(|b| b.data.len()).sum()
    }

    /// The first record whose timestamp is at least `ts`, as
    /// `(timestamp, offset)`.
    pub fn offset_for_timestamp(&self, ts: i64) -> Option<(i64, i64)> {
        let batch = self.batches.iter().find(|b| b.max_timestamp >= ts)?;
        let fallback = (batch.max_timestamp, batch.base_offset);
        let decoded = decode_batches(&batch.data).ok();
        let records = decoded
            .as_ref()
            .and_then(|d| d.first())
            .and_then(|b| b.records_limited(MAX_DECOMPRESSED).ok().map(|r| (b, r)));
        let Some((b, records)) = records else {
            return Some(fallback);
        };
        if b.timestamp_type() == crate::protocol::record_batch::TimestampType::LogAppendTime {
            return Some(fallback);
        }
        // Offsets relative to the stored batch's own header, which may
        // predate the offset the log assigned it.
        records
            .iter()
            .find(|r| r.timestamp >= ts)
            .map(|r| (r.timestamp, batch.base_offset + (r.offset - b.base_offset)))
            .or(Some(fallback))
    }

    /// The record with the largest timestamp (ListOffsets v7's
    /// MAX_TIMESTAMP), as `(timestamp, offset)`.
    pub fn max_timestamp(&self) -> Option<(i64, i64)> {
        let batch = self.batches.iter().rev().max_by_key(|b| b.max_timestamp)?;
        let exact = decode_batches(&batch.data).ok().and_then(|d| {
            let records = d.first()?.records_limited(MAX_DECOMPRESSED).ok()?;
            records
                .iter()
                .rev()
                .max_by_key(|r| r.timestamp)
                .map(|r| (r.timestamp, r.offset))
        });
        exact.or(Some((batch.max_timestamp, batch.base_offset)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::record_batch::RecordBatchWriter;
    use crate::protocol::Compression;

    fn batch(n: usize, ts: i64, pid: i64, epoch: i16, seq: i32) -> Bytes {
        let mut w = RecordBatchWriter::new(ts);
        for i in 0..n {
            w.append(ts + i as i64, None, Some(b"v"), &[]);
        }
        w.finish(Compression::None, None, pid, epoch, seq, false)
            .unwrap()
    }

    #[test]
    fn offsets_are_assigned_and_read_back() {
        let mut log = PartitionLog::default();
        assert_eq!(log.append(&batch(3, 100, -1, -1, -1)), Ok(0));
        assert_eq!(log.append(&batch(2, 200, -1, -1, -1)), Ok(3));
        assert_eq!(log.high_watermark(), 5);
        let all = log.read(0, usize::MAX, true);
        let batches = decode_batches(&all).unwrap();
        assert_eq!(batches.len(), 2);
        assert_eq!(batches[1].base_offset, 3);
        assert!(batches[1].verify_crc().is_ok());
        // Offset 4 lives in the second batch; a tiny limit still yields it.
        let tail = decode_batches(&log.read(4, 1, true)).unwrap();
        assert_eq!(tail[0].base_offset, 3);
        assert!(log.read(4, 1, false).is_empty());
        assert!(log.read(5, usize::MAX, true).is_empty());
    }

    #[test]
    fn timestamps_find_the_first_record_at_or_after() {
        let mut log = PartitionLog::default();
        log.append(&batch(3, 100, -1, -1, -1)).unwrap();
        log.append(&batch(3, 200, -1, -1, -1)).unwrap();
        assert_eq!(log.offset_for_timestamp(101), Some((101, 1)));
        assert_eq!(log.offset_for_timestamp(150), Some((200, 3)));
        assert_eq!(log.offset_for_timestamp(500), None);
        assert_eq!(log.max_timestamp(), Some((202, 5)));
    }

    #[test]
    fn corrupt_and_truncated_sets_are_refused() {
        let mut log = PartitionLog::default();
        let good = batch(2, 1, -1, -1, -1);
        let mut bad = BytesMut::from(&good[..]);
        let last = bad.len() - 1;
        bad[last] ^= 0xff;
        let refused = Err(AppendError::Refused(
            ErrorCode::RD_KAFKA_RESP_ERR_INVALID_MSG,
        ));
        assert_eq!(log.append(&bad.freeze()), refused);
        assert_eq!(log.append(&good.slice(..good.len() - 3)), refused);
        assert_eq!(log.append(&Bytes::new()), refused);
        assert_eq!(log.high_watermark(), 0);
    }

    #[test]
    fn idempotent_sequences() {
        let mut log = PartitionLog::default();
        let out_of_order = Err(AppendError::Refused(
            ErrorCode::RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
        ));
        assert_eq!(log.append(&batch(2, 1, 7, 0, 1)), out_of_order);
        assert_eq!(log.append(&batch(2, 1, 7, 0, 0)), Ok(0));
        assert_eq!(log.append(&batch(3, 1, 7, 0, 2)), Ok(2));
        // A retry of either recent batch is recognised.
        assert_eq!(
            log.append(&batch(2, 1, 7, 0, 0)),
            Err(AppendError::Duplicate { base_offset: 0 })
        );
        assert_eq!(
            log.append(&batch(3, 1, 7, 0, 2)),
            Err(AppendError::Duplicate { base_offset: 2 })
        );
        // A gap is not.
        assert_eq!(log.append(&batch(1, 1, 7, 0, 9)), out_of_order);
        assert_eq!(log.append(&batch(1, 1, 7, 0, 5)), Ok(5));
        // Old epochs are fenced; a new epoch restarts at 0.
        assert_eq!(log.append(&batch(1, 1, 7, 1, 0)).map(|_| ()), Ok(()));
        assert_eq!(
            log.append(&batch(1, 1, 7, 0, 6)),
            Err(AppendError::Refused(
                ErrorCode::RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH
            ))
        );
        // Another producer is independent.
        assert_eq!(log.append(&batch(1, 1, 8, 0, 0)), Ok(7));
        assert_eq!(log.high_watermark(), 8);
    }
}
