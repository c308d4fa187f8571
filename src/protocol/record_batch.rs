//! RecordBatch (message format v2): an allocation-light writer for the
//! producer and a decoder for fetched data.
//!
//! Layout of the 61-byte header, by offset: base offset (0, i64), batch
//! length (8, i32, counts the bytes after it), partition leader epoch (12),
//! magic (16), CRC-32C (17, covers offset 21 to the end), attributes (21),
//! last offset delta (23), base timestamp (27), max timestamp (35), producer
//! id (43), producer epoch (51), base sequence (53), record count (57).

use bytes::{BufMut, Bytes, BytesMut};

use super::compression::Compression;
use super::error::{DecodeError, EncodeError};
use super::primitives::{varint_len, varlong_len, PutExt, Reader};

pub const RECORD_BATCH_HEADER_LEN: usize = 61;
/// Bytes of the header before (and including) the batch length field.
const LOG_OVERHEAD: usize = 12;
const CRC_OFFSET: usize = 17;
const CRC_START: usize = 21;
const MAGIC_OFFSET: usize = 16;
const MAGIC_V2: i8 = 2;

const ATTR_COMPRESSION_MASK: i16 = 0x07;
const ATTR_LOG_APPEND_TIME: i16 = 0x08;
const ATTR_TRANSACTIONAL: i16 = 0x10;
const ATTR_CONTROL: i16 = 0x20;

/// Decompression limit used by [`RecordBatch::records`].
pub const DEFAULT_MAX_DECOMPRESSED: usize = 128 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampType {
    CreateTime,
    LogAppendTime,
}

/// Encoded size of a byte field with a varint length (-1 for null).
fn varint_bytes_len(b: Option<usize>) -> usize {
    match b {
        None => 1,
        Some(n) => varint_len(n as i32) + n,
    }
}

fn put_varint_bytes(out: &mut BytesMut, b: Option<&[u8]>) {
    match b {
        None => out.put_varint(-1),
        Some(b) => {
            out.put_varint(b.len() as i32);
            out.put_slice(b);
        }
    }
}

/// Encoded size of a record's headers (each name and value with its
/// varint length), without the header count. A produce call counts this,
/// with the key and value, against `message.max.bytes`.
pub fn headers_encoded_len<'a>(
    headers: impl IntoIterator<Item = (&'a [u8], Option<&'a [u8]>)>,
) -> usize {
    headers
        .into_iter()
        .map(|(name, value)| {
            varint_bytes_len(Some(name.len())) + varint_bytes_len(value.map(<[u8]>::len))
        })
        .sum()
}

/// Zigzag varint into `out` (room for 5 bytes); returns the bytes written.
#[inline]
fn write_varint(out: &mut [u8], v: i32) -> usize {
    write_uvarint(out, u64::from(((v << 1) ^ (v >> 31)) as u32))
}

/// Zigzag varlong into `out` (room for 10 bytes); returns the bytes written.
#[inline]
fn write_varlong(out: &mut [u8], v: i64) -> usize {
    write_uvarint(out, ((v << 1) ^ (v >> 63)) as u64)
}

#[inline]
fn write_uvarint(out: &mut [u8], mut v: u64) -> usize {
    let mut i = 0;
    while v >= 0x80 {
        out[i] = (v as u8) | 0x80;
        v >>= 7;
        i += 1;
    }
    out[i] = v as u8;
    i + 1
}

/// Builds one RecordBatch incrementally. Records are encoded straight into
/// a buffer that already has room for the header, so an uncompressed batch
/// is finished without copying.
#[derive(Debug)]
pub struct RecordBatchWriter {
    base_timestamp: i64,
    max_timestamp: i64,
    count: usize,
    buf: BytesMut,
}

impl RecordBatchWriter {
    pub fn new(base_timestamp_ms: i64) -> Self {
        Self::with_capacity(base_timestamp_ms, 1024)
    }

    /// `capacity` is the expected size of the records section.
    pub fn with_capacity(base_timestamp_ms: i64, capacity: usize) -> Self {
        let mut buf = BytesMut::with_capacity(RECORD_BATCH_HEADER_LEN + capacity);
        buf.put_bytes(0, RECORD_BATCH_HEADER_LEN);
        RecordBatchWriter {
            base_timestamp: base_timestamp_ms,
            max_timestamp: base_timestamp_ms,
            count: 0,
            buf,
        }
    }

    /// Encoded size of the record that `append` with these arguments would
    /// add, so callers can respect a batch size limit before appending.
    pub fn record_size(
        &self,
        timestamp_ms: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &[(&[u8], Option<&[u8]>)],
    ) -> usize {
        let body = self.record_body_len(timestamp_ms, key, value, headers);
        varint_len(body as i32) + body
    }

    fn record_body_len(
        &self,
        timestamp_ms: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &[(&[u8], Option<&[u8]>)],
    ) -> usize {
        let headers_len = headers_encoded_len(headers.iter().copied());
        1 + varlong_len(timestamp_ms.wrapping_sub(self.base_timestamp))
            + varint_len(self.count as i32)
            + varint_bytes_len(key.map(<[u8]>::len))
            + varint_bytes_len(value.map(<[u8]>::len))
            + varint_len(headers.len() as i32)
            + headers_len
    }

    pub fn append(
        &mut self,
        timestamp_ms: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &[(&[u8], Option<&[u8]>)],
    ) {
        let ts_delta = timestamp_ms.wrapping_sub(self.base_timestamp);
        // The fixed-size fields of the record, encoded on the stack and
        // copied once: length, attributes, timestamp delta, offset delta,
        // key length. At most 5 + 1 + 10 + 5 + 5 bytes.
        // Arrays are a little larger than their contents (at most 26, 5
        // and 5 bytes) so they are copied whole, as fixed-size moves rather
        // than memcpy calls; the spare bytes land in reserved capacity and
        // are overwritten by what follows.
        let mut head = [0u8; 32];
        let mut fields = [0u8; 21];
        let mut n = 0;
        fields[n] = 0; // record attributes: unused by the protocol
        n += 1;
        n += write_varlong(&mut fields[n..], ts_delta);
        n += write_varint(&mut fields[n..], self.count as i32);
        n += write_varint(&mut fields[n..], key.map_or(-1, |k| k.len() as i32));
        let mut vlen = [0u8; 8];
        let vlen_n = write_varint(&mut vlen, value.map_or(-1, |v| v.len() as i32));
        let mut hcount = [0u8; 8];
        let hcount_n = write_varint(&mut hcount, headers.len() as i32);
        let headers_len: usize = if headers.is_empty() {
            0
        } else {
            headers
                .iter()
                .map(|(k, v)| {
                    varint_bytes_len(Some(k.len())) + varint_bytes_len(v.map(<[u8]>::len))
                })
                .sum()
        };
        let key_len = key.map_or(0, <[u8]>::len);
        let value_len = value.map_or(0, <[u8]>::len);
        let body = n + key_len + vlen_n + value_len + hcount_n + headers_len;
        let len_n = write_varint(&mut head, body as i32);
        head[len_n..len_n + n].copy_from_slice(&fields[..n]);
        let out = &mut self.buf;
        // Slack for the whole-array copies past the record's last byte.
        out.reserve(len_n + body + head.len());
        let start = out.len();
        let without_headers = len_n + body - headers_len;
        // SAFETY: `reserve` made room for `len_n + body + 32` bytes past
        // `start`; each copy below writes within that room (the head's 32
        // bytes from `start`; the 8-byte arrays at most 8 bytes past where
        // their contents end, which is within the record). Only the
        // record's own bytes are then exposed with `set_len`; the spare
        // bytes written are overwritten by the next record or never read.
        unsafe {
            let mut p = out.as_mut_ptr().add(start);
            std::ptr::copy_nonoverlapping(head.as_ptr(), p, head.len());
            p = p.add(len_n + n);
            if let Some(k) = key {
                std::ptr::copy_nonoverlapping(k.as_ptr(), p, key_len);
                p = p.add(key_len);
            }
            std::ptr::copy_nonoverlapping(vlen.as_ptr(), p, vlen.len());
            p = p.add(vlen_n);
            if let Some(v) = value {
                std::ptr::copy_nonoverlapping(v.as_ptr(), p, value_len);
                p = p.add(value_len);
            }
            std::ptr::copy_nonoverlapping(hcount.as_ptr(), p, hcount.len());
            out.set_len(start + without_headers);
        }
        for (k, v) in headers {
            put_varint_bytes(out, Some(k));
            put_varint_bytes(out, *v);
        }
        self.count += 1;
        self.max_timestamp = self.max_timestamp.max(timestamp_ms);
    }

    /// Size of the (uncompressed) records section so far.
    pub fn records_len(&self) -> usize {
        self.buf.len() - RECORD_BATCH_HEADER_LEN
    }

    pub fn record_count(&self) -> usize {
        self.count
    }

    /// Size of the batch if finished uncompressed now (an upper bound in
    /// practice for compressed batches).
    pub fn estimated_size(&self) -> usize {
        self.buf.len()
    }

    /// Writes the header (including the CRC) and compresses the records.
    /// The base offset is 0 and the partition leader epoch -1, as the broker
    /// assigns both. Use producer id -1, epoch -1 and sequence -1 for
    /// non-idempotent producers.
    #[allow(clippy::too_many_arguments)]
    pub fn finish(
        self,
        compression: Compression,
        level: Option<i32>,
        producer_id: i64,
        producer_epoch: i16,
        base_sequence: i32,
        transactional: bool,
    ) -> Result<Bytes, EncodeError> {
        let extra = if transactional { ATTR_TRANSACTIONAL } else { 0 };
        self.finish_with(
            compression,
            level,
            producer_id,
            producer_epoch,
            base_sequence,
            extra,
        )
    }

    /// A transaction marker: a control batch of one record whose key says
    /// commit or abort (Kafka's `EndTransactionMarker`), written by the
    /// broker at the end of a transaction to every partition it touched.
    pub fn control_batch(
        timestamp_ms: i64,
        producer_id: i64,
        producer_epoch: i16,
        marker: ControlType,
        coordinator_epoch: i32,
    ) -> Result<Bytes, EncodeError> {
        let mut key = [0u8; 4];
        key[2..].copy_from_slice(&(marker as i16).to_be_bytes());
        let mut value = [0u8; 6];
        value[2..].copy_from_slice(&coordinator_epoch.to_be_bytes());
        let mut w = RecordBatchWriter::new(timestamp_ms);
        w.append(timestamp_ms, Some(&key), Some(&value), &[]);
        w.finish_with(
            Compression::None,
            None,
            producer_id,
            producer_epoch,
            -1,
            ATTR_TRANSACTIONAL | ATTR_CONTROL,
        )
    }

    fn finish_with(
        self,
        compression: Compression,
        level: Option<i32>,
        producer_id: i64,
        producer_epoch: i16,
        base_sequence: i32,
        extra_attributes: i16,
    ) -> Result<Bytes, EncodeError> {
        let count = i32::try_from(self.count).map_err(|_| EncodeError::TooLarge("record count"))?;
        let mut out = if compression == Compression::None {
            self.buf
        } else {
            let z = compression.compress(&self.buf[RECORD_BATCH_HEADER_LEN..], level)?;
            let mut out = BytesMut::with_capacity(RECORD_BATCH_HEADER_LEN + z.len());
            out.put_bytes(0, RECORD_BATCH_HEADER_LEN);
            out.put_slice(&z);
            out
        };
        let batch_len = i32::try_from(out.len() - LOG_OVERHEAD)
            .map_err(|_| EncodeError::TooLarge("record batch"))?;
        let attributes = compression.code() | extra_attributes;
        let mut h = &mut out[..RECORD_BATCH_HEADER_LEN];
        h.put_i64(0);
        h.put_i32(batch_len);
        h.put_i32(-1);
        h.put_i8(MAGIC_V2);
        h.put_u32(0);
        h.put_i16(attributes);
        h.put_i32(count - 1);
        h.put_i64(self.base_timestamp);
        h.put_i64(self.max_timestamp);
        h.put_i64(producer_id);
        h.put_i16(producer_epoch);
        h.put_i32(base_sequence);
        h.put_i32(count);
        let crc = crc32c::crc32c(&out[CRC_START..]);
        out[CRC_OFFSET..CRC_START].copy_from_slice(&crc.to_be_bytes());
        Ok(out.freeze())
    }
}

/// What a transaction marker says (the type field of a control record's key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i16)]
pub enum ControlType {
    Abort = 0,
    Commit = 1,
}

/// One decoded record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Absolute offset in the partition.
    pub offset: i64,
    /// Absolute timestamp (ms); the batch's max timestamp for LogAppendTime.
    pub timestamp: i64,
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
    pub headers: Vec<(String, Option<Bytes>)>,
}

/// A RecordBatch header plus its undecoded records section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordBatch {
    pub base_offset: i64,
    pub partition_leader_epoch: i32,
    pub magic: i8,
    pub crc: u32,
    pub attributes: i16,
    pub last_offset_delta: i32,
    pub base_timestamp: i64,
    pub max_timestamp: i64,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
    pub records_count: i32,
    /// The whole encoded batch, header included.
    raw: Bytes,
}

impl RecordBatch {
    pub fn compression(&self) -> Result<Compression, DecodeError> {
        Compression::from_attributes(self.attributes & ATTR_COMPRESSION_MASK)
    }

    pub fn timestamp_type(&self) -> TimestampType {
        if self.attributes & ATTR_LOG_APPEND_TIME != 0 {
            TimestampType::LogAppendTime
        } else {
            TimestampType::CreateTime
        }
    }

    pub fn is_transactional(&self) -> bool {
        self.attributes & ATTR_TRANSACTIONAL != 0
    }

    /// Control batches carry transaction markers, not application records.
    pub fn is_control(&self) -> bool {
        self.attributes & ATTR_CONTROL != 0
    }

    /// The marker a control batch carries (its first record's key), or
    /// `None` for a data batch or a control record of an unknown type.
    pub fn control_type(&self) -> Option<ControlType> {
        if !self.is_control() {
            return None;
        }
        let records = self.records_limited(1 << 16).ok()?;
        let key = records.first()?.key.as_ref()?;
        match key.get(2..4)? {
            [0, 0] => Some(ControlType::Abort),
            [0, 1] => Some(ControlType::Commit),
            _ => None,
        }
    }

    pub fn last_offset(&self) -> i64 {
        self.base_offset
            .wrapping_add(i64::from(self.last_offset_delta))
    }

    /// The encoded batch exactly as received.
    pub fn raw(&self) -> &Bytes {
        &self.raw
    }

    /// A copy of the encoded batch with another base offset, as a broker
    /// stores it. The CRC does not cover the base offset, so it stays valid.
    pub fn with_base_offset(&self, base_offset: i64) -> Bytes {
        let mut b = BytesMut::from(&self.raw[..]);
        b[..8].copy_from_slice(&base_offset.to_be_bytes());
        b.freeze()
    }

    pub fn verify_crc(&self) -> Result<(), DecodeError> {
        if crc32c::crc32c(&self.raw[CRC_START..]) == self.crc {
            Ok(())
        } else {
            Err(DecodeError::Corrupt("record batch CRC mismatch"))
        }
    }

    /// Decodes (and if needed decompresses) the records, with the
    /// [`DEFAULT_MAX_DECOMPRESSED`] limit.
    pub fn records(&self) -> Result<Vec<Record>, DecodeError> {
        self.records_limited(DEFAULT_MAX_DECOMPRESSED)
    }

    /// Decodes the records, refusing to decompress more than
    /// `max_decompressed` bytes.
    pub fn records_limited(&self, max_decompressed: usize) -> Result<Vec<Record>, DecodeError> {
        let count = usize::try_from(self.records_count)
            .map_err(|_| DecodeError::InvalidLength(i64::from(self.records_count)))?;
        // Each record takes at least 7 bytes; do not trust the count further.
        let mut records = Vec::with_capacity(count.min(self.raw.len() / 7));
        self.for_each_record(max_decompressed, |r| records.push(r))?;
        Ok(records)
    }

    /// Decodes the records one at a time into `f`, without collecting them
    /// (the consumer builds its messages straight from them). Records before
    /// a decoding error have been passed to `f`.
    pub fn for_each_record(
        &self,
        max_decompressed: usize,
        mut f: impl FnMut(Record),
    ) -> Result<(), DecodeError> {
        let section = self.raw.slice(RECORD_BATCH_HEADER_LEN..);
        let data = match self.compression()? {
            Compression::None => section,
            c => Bytes::from(c.decompress(&section, max_decompressed)?),
        };
        let count = usize::try_from(self.records_count)
            .map_err(|_| DecodeError::InvalidLength(i64::from(self.records_count)))?;
        let mut r = Reader::from_bytes(&data);
        for _ in 0..count {
            f(self.decode_record(&mut r)?);
        }
        if !r.is_empty() {
            return Err(DecodeError::Corrupt(
                "bytes after the last record of a batch",
            ));
        }
        Ok(())
    }

    #[inline]
    fn decode_record(&self, r: &mut Reader<'_>) -> Result<Record, DecodeError> {
        let len = r.read_varint()?;
        let len = usize::try_from(len).map_err(|_| DecodeError::InvalidLength(i64::from(len)))?;
        let mut r = r.split(len)?;
        let _attributes = r.read_i8()?;
        let timestamp_delta = r.read_varlong()?;
        let offset_delta = r.read_varint()?;
        let key = r.read_varint_nullable_bytes()?;
        let value = r.read_varint_nullable_bytes()?;
        let header_count = r.read_varint()?;
        let header_count = usize::try_from(header_count)
            .ok()
            .filter(|&n| n <= r.remaining())
            .ok_or(DecodeError::InvalidLength(i64::from(header_count)))?;
        let headers = if header_count == 0 {
            Vec::new()
        } else {
            r.elements(header_count, |r| {
                Ok((r.read_varint_string()?, r.read_varint_nullable_bytes()?))
            })?
        };
        if !r.is_empty() {
            return Err(DecodeError::Corrupt(
                "record length does not match its fields",
            ));
        }
        let timestamp = match self.timestamp_type() {
            TimestampType::LogAppendTime => self.max_timestamp,
            TimestampType::CreateTime => self.base_timestamp.wrapping_add(timestamp_delta),
        };
        Ok(Record {
            offset: self.base_offset.wrapping_add(i64::from(offset_delta)),
            timestamp,
            key,
            value,
            headers,
        })
    }

    fn decode_header(raw: Bytes) -> Result<RecordBatch, DecodeError> {
        let mut r = Reader::new(&raw);
        let base_offset = r.read_i64()?;
        let _batch_length = r.read_i32()?;
        let partition_leader_epoch = r.read_i32()?;
        let magic = r.read_i8()?;
        let crc = r.read_u32()?;
        let batch = RecordBatch {
            base_offset,
            partition_leader_epoch,
            magic,
            crc,
            attributes: r.read_i16()?,
            last_offset_delta: r.read_i32()?,
            base_timestamp: r.read_i64()?,
            max_timestamp: r.read_i64()?,
            producer_id: r.read_i64()?,
            producer_epoch: r.read_i16()?,
            base_sequence: r.read_i32()?,
            records_count: r.read_i32()?,
            raw: Bytes::new(),
        };
        Ok(RecordBatch { raw, ..batch })
    }
}

/// Splits a record set (e.g. a fetch response partition's records) into
/// batches. A batch cut off at the end of `data` is silently dropped, since
/// brokers may return a partial trailing batch; anything else malformed is an
/// error. Records are decoded lazily by [`RecordBatch::records`].
///
/// Only message format v2 is supported: legacy (magic 0/1) message sets are
/// reported as [`DecodeError::Corrupt`].
pub fn decode_batches(data: &Bytes) -> Result<Vec<RecordBatch>, DecodeError> {
    let mut batches = Vec::new();
    let mut pos = 0;
    while data.len() - pos >= LOG_OVERHEAD {
        let rest = &data[pos..];
        let len = i32::from_be_bytes([rest[8], rest[9], rest[10], rest[11]]);
        let len = usize::try_from(len).map_err(|_| DecodeError::InvalidLength(i64::from(len)))?;
        if rest.len() - LOG_OVERHEAD < len {
            break;
        }
        let total = LOG_OVERHEAD + len;
        if total > MAGIC_OFFSET && rest[MAGIC_OFFSET] as i8 != MAGIC_V2 {
            return Err(DecodeError::Corrupt(
                "legacy message format (magic 0/1) is not supported",
            ));
        }
        if total < RECORD_BATCH_HEADER_LEN {
            return Err(DecodeError::Corrupt("record batch shorter than its header"));
        }
        batches.push(RecordBatch::decode_header(data.slice(pos..pos + total))?);
        pos += total;
    }
    Ok(batches)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_batches_carry_their_marker() {
        for marker in [ControlType::Commit, ControlType::Abort] {
            let raw = RecordBatchWriter::control_batch(77, 1001, 3, marker, 5).unwrap();
            let batches = decode_batches(&raw).unwrap();
            let b = &batches[0];
            assert!(b.verify_crc().is_ok());
            assert!(b.is_control() && b.is_transactional());
            assert_eq!(
                (b.producer_id, b.producer_epoch, b.base_sequence),
                (1001, 3, -1)
            );
            assert_eq!(b.control_type(), Some(marker));
            let r = &b.records_limited(1 << 10).unwrap()[0];
            assert_eq!(r.key.as_deref(), Some(&[0, 0, 0, marker as u8][..]));
            assert_eq!(r.value.as_deref(), Some(&[0, 0, 0, 0, 0, 5][..]));
        }
        let data = RecordBatchWriter::new(1).finish(Compression::None, None, 1, 0, 0, true);
        let data = decode_batches(&data.unwrap()).unwrap();
        assert_eq!(data[0].control_type(), None);
    }

    fn two_record_batch(c: Compression) -> Bytes {
        let mut w = RecordBatchWriter::new(1_000);
        w.append(1_000, Some(b"k1"), Some(b"v1"), &[]);
        w.append(
            1_005,
            None,
            Some(b"v2"),
            &[(&b"h"[..], Some(&b"x"[..])), (&b"n"[..], None)],
        );
        w.finish(c, None, 7, 1, 42, true).unwrap()
    }

    #[test]
    fn known_batch_bytes_and_crc() {
        let mut w = RecordBatchWriter::new(0x1234);
        w.append(0x1234, Some(b"k"), Some(b"v"), &[]);
        assert_eq!(w.records_len(), 9);
        assert_eq!(w.estimated_size(), 70);
        let b = w
            .finish(Compression::None, None, -1, -1, -1, false)
            .unwrap();
        #[rustfmt::skip]
        let expected: &[u8] = &[
            0, 0, 0, 0, 0, 0, 0, 0,       // base offset
            0, 0, 0, 58,                  // batch length (70 - 12)
            0xff, 0xff, 0xff, 0xff,       // partition leader epoch
            2,                            // magic
            0x71, 0x9e, 0xd4, 0x1c,       // CRC-32C (computed independently)
            0, 0,                         // attributes
            0, 0, 0, 0,                   // last offset delta
            0, 0, 0, 0, 0, 0, 0x12, 0x34, // base timestamp
            0, 0, 0, 0, 0, 0, 0x12, 0x34, // max timestamp
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // producer id
            0xff, 0xff,                   // producer epoch
            0xff, 0xff, 0xff, 0xff,       // base sequence
            0, 0, 0, 1,                   // record count
            // record: length 8, attrs, ts delta 0, offset delta 0,
            // key "k", value "v", no headers
            0x10, 0, 0, 0, 0x02, b'k', 0x02, b'v', 0,
        ];
        assert_eq!(&b[..], expected);
        let batches = decode_batches(&b).unwrap();
        assert_eq!(batches.len(), 1);
        batches[0].verify_crc().unwrap();
        assert_eq!(batches[0].crc, 0x719e_d41c);
    }

    #[test]
    fn writer_and_decoder_agree_for_every_codec() {
        for c in [
            Compression::None,
            Compression::Gzip,
            Compression::Snappy,
            Compression::Lz4,
            Compression::Zstd,
        ] {
            let bytes = two_record_batch(c);
            let batches = decode_batches(&bytes).unwrap();
            assert_eq!(batches.len(), 1);
            let b = &batches[0];
            b.verify_crc().unwrap();
            assert_eq!(b.compression(), Ok(c));
            assert!(b.is_transactional());
            assert!(!b.is_control());
            assert_eq!(b.timestamp_type(), TimestampType::CreateTime);
            assert_eq!(
                (b.producer_id, b.producer_epoch, b.base_sequence),
                (7, 1, 42)
            );
            assert_eq!((b.last_offset_delta, b.records_count), (1, 2));
            assert_eq!((b.base_timestamp, b.max_timestamp), (1_000, 1_005));
            let moved = decode_batches(&b.with_base_offset(100)).unwrap();
            moved[0].verify_crc().unwrap();
            let records = moved[0].records().unwrap();
            assert_eq!(
                records,
                vec![
                    Record {
                        offset: 100,
                        timestamp: 1_000,
                        key: Some(Bytes::from_static(b"k1")),
                        value: Some(Bytes::from_static(b"v1")),
                        headers: vec![],
                    },
                    Record {
                        offset: 101,
                        timestamp: 1_005,
                        key: None,
                        value: Some(Bytes::from_static(b"v2")),
                        headers: vec![
                            ("h".into(), Some(Bytes::from_static(b"x"))),
                            ("n".into(), None)
                        ],
                    },
                ]
            );
            assert_eq!(moved[0].last_offset(), 101);
        }
    }

    #[test]
    fn append_round_trips_every_field_shape() {
        // Null, empty, short and multi-byte-varint keys and values, with and
        // without headers, in one buffer: each record's bytes must not be
        // disturbed by how its neighbours were written.
        let big = vec![7u8; 300];
        let shapes: [Option<&[u8]>; 4] = [None, Some(b""), Some(b"abc"), Some(&big)];
        let mut expected = Vec::new();
        let mut w = RecordBatchWriter::with_capacity(1_000, 0);
        let mut i = 0i64;
        for key in shapes {
            for value in shapes {
                for with_headers in [false, true] {
                    let hdrs: &[(&[u8], Option<&[u8]>)] = if with_headers {
                        &[(b"h", Some(b"x")), (b"n", None)]
                    } else {
                        &[]
                    };
                    w.append(1_000 + i * 300, key, value, hdrs);
                    expected.push((
                        1_000 + i * 300,
                        key.map(Bytes::copy_from_slice),
                        value.map(Bytes::copy_from_slice),
                        with_headers,
                    ));
                    i += 1;
                }
            }
        }
        let b = w
            .finish(Compression::None, None, -1, -1, -1, false)
            .unwrap();
        let batches = decode_batches(&b).unwrap();
        batches[0].verify_crc().unwrap();
        let records = batches[0].records().unwrap();
        assert_eq!(records.len(), expected.len());
        for (n, (r, (ts, key, value, with_headers))) in records.iter().zip(expected).enumerate() {
            assert_eq!(r.offset, n as i64);
            assert_eq!(r.timestamp, ts);
            assert_eq!(r.key, key);
            assert_eq!(r.value, value);
            assert_eq!(r.headers.len(), if with_headers { 2 } else { 0 });
        }
    }

    #[test]
    fn record_size_predicts_append() {
        let mut w = RecordBatchWriter::new(5);
        for i in 0..300i64 {
            let v = vec![0u8; (i * 7) as usize];
            let hdrs: &[(&[u8], Option<&[u8]>)] = &[(b"key", Some(&v[..i as usize % 3]))];
            let before = w.records_len();
            let predicted = w.record_size(5 + i * 1000, None, Some(&v), hdrs);
            w.append(5 + i * 1000, None, Some(&v), hdrs);
            assert_eq!(w.records_len() - before, predicted);
        }
        assert_eq!(w.record_count(), 300);
        let b = w
            .finish(Compression::Lz4, Some(3), -1, -1, -1, false)
            .unwrap();
        let recs = decode_batches(&b).unwrap()[0].records().unwrap();
        assert_eq!(recs.len(), 300);
        assert_eq!(recs[299].value.as_ref().map(Bytes::len), Some(299 * 7));
        assert_eq!(recs[299].timestamp, 5 + 299_000);
    }

    #[test]
    fn log_append_time_uses_max_timestamp() {
        let mut raw = BytesMut::from(&two_record_batch(Compression::None)[..]);
        raw[22] |= ATTR_LOG_APPEND_TIME as u8;
        let crc = crc32c::crc32c(&raw[CRC_START..]);
        raw[CRC_OFFSET..CRC_START].copy_from_slice(&crc.to_be_bytes());
        let b = &decode_batches(&raw.freeze()).unwrap()[0];
        assert_eq!(b.timestamp_type(), TimestampType::LogAppendTime);
        assert!(b.records().unwrap().iter().all(|r| r.timestamp == 1_005));
    }

    #[test]
    fn corrupt_crc_detected() {
        let mut raw = BytesMut::from(&two_record_batch(Compression::None)[..]);
        let last = raw.len() - 1;
        raw[last] ^= 1;
        let b = &decode_batches(&raw.freeze()).unwrap()[0];
        assert!(b.verify_crc().is_err());
    }

    #[test]
    fn trailing_partial_batch_is_dropped() {
        let one = two_record_batch(Compression::Gzip);
        let mut two = BytesMut::new();
        two.put_slice(&one);
        two.put_slice(&one);
        let two = two.freeze();
        for cut in 0..=two.len() {
            let batches = decode_batches(&two.slice(..cut)).unwrap();
            let expected = cut / one.len();
            assert_eq!(batches.len(), expected, "cut at {cut}");
        }
    }

    #[test]
    fn malformed_batches_are_errors() {
        let good = two_record_batch(Compression::None);
        let mut legacy = BytesMut::from(&good[..]);
        legacy[MAGIC_OFFSET] = 1;
        assert!(decode_batches(&legacy.freeze()).is_err());
        let mut negative = BytesMut::from(&good[..]);
        negative[8] = 0xff;
        assert!(decode_batches(&negative.freeze()).is_err());
        let short = Bytes::from_static(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 2]);
        assert!(decode_batches(&short).is_err());
    }

    #[test]
    fn records_count_blowup_memory() {
        // A header claiming i32::MAX records over an empty records section.
        let mut raw = BytesMut::from(
            &RecordBatchWriter::new(0)
                .finish(Compression::None, None, -1, -1, -1, false)
                .unwrap()[..],
        );
        raw[57..61].copy_from_slice(&i32::MAX.to_be_bytes());
        let b = &decode_batches(&raw.freeze()).unwrap()[0];
        assert_eq!(b.records(), Err(DecodeError::Truncated));
    }

    #[test]
    fn decompression_limit_applies() {
        let mut w = RecordBatchWriter::new(0);
        w.append(0, None, Some(&[0u8; 100_000]), &[]);
        let b = w
            .finish(Compression::Zstd, None, -1, -1, -1, false)
            .unwrap();
        let batch = &decode_batches(&b).unwrap()[0];
        assert!(matches!(
            batch.records_limited(50_000),
            Err(DecodeError::Compression(_))
        ));
        assert_eq!(batch.records_limited(200_000).unwrap().len(), 1);
    }

    #[test]
    fn truncated_records_never_panic() {
        let good = two_record_batch(Compression::None);
        // Shrink the records section while keeping the header consistent.
        for cut in RECORD_BATCH_HEADER_LEN..good.len() {
            let mut raw = BytesMut::from(&good[..cut]);
            raw[8..12].copy_from_slice(&((cut - LOG_OVERHEAD) as i32).to_be_bytes());
            let batches = decode_batches(&raw.freeze()).unwrap();
            assert!(batches[0].records().is_err(), "cut at {cut}");
        }
    }
}
