//! Produce (key 0), versions 3-9. Record sets travel as already encoded
//! RecordBatch bytes (see `record_batch`), so no records are re-encoded here.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProduceRequest {
    pub transactional_id: Option<String>,
    pub acks: i16,
    pub timeout_ms: i32,
    pub topics: Vec<ProduceTopic>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProduceTopic {
    pub name: String,
    pub partitions: Vec<ProducePartition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProducePartition {
    pub index: i32,
    /// One or more encoded record batches.
    pub records: Option<Bytes>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProduceResponse {
    pub topics: Vec<ProduceTopicResponse>,
    pub throttle_time_ms: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProduceTopicResponse {
    pub name: String,
    pub partitions: Vec<ProducePartitionResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducePartitionResponse {
    pub index: i32,
    pub error_code: i16,
    pub base_offset: i64,
    /// -1 unless the topic uses LogAppendTime.
    pub log_append_time_ms: i64,
    /// v5+, -1 when absent.
    pub log_start_offset: i64,
    /// v8+: records of the batch that caused the error.
    pub record_errors: Vec<RecordError>,
    /// v8+.
    pub error_message: Option<String>,
}

impl Default for ProducePartitionResponse {
    fn default() -> Self {
        ProducePartitionResponse {
            index: 0,
            error_code: 0,
            base_offset: -1,
            log_append_time_ms: -1,
            log_start_offset: -1,
            record_errors: Vec::new(),
            error_message: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordError {
    pub batch_index: i32,
    pub message: Option<String>,
}

request!(ProduceRequest => ProduceResponse, Produce, 3..=9);

impl ProduceRequest {
    /// The request's fields in order; `put_records` writes each partition's
    /// record set (or hands it elsewhere), so plain and chunked encoding
    /// share one layout.
    fn encode_with(
        &self,
        version: i16,
        out: &mut BytesMut,
        mut put_records: impl FnMut(&mut BytesMut, bool, Option<&Bytes>) -> Result<(), EncodeError>,
    ) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_nullable_string_v(flex, self.transactional_id.as_deref())?;
        out.put_i16(self.acks);
        out.put_i32(self.timeout_ms);
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            put_array(out, flex, &t.partitions, |out, p| {
                out.put_i32(p.index);
                put_records(out, flex, p.records.as_ref())?;
                out.put_tags_v(flex);
                Ok(())
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }
}

impl Message for ProduceRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        self.encode_with(version, out, |out, flex, records| {
            out.put_nullable_bytes_v(flex, records.map(|r| &r[..]))
        })
    }

    /// Record sets go to `chunks` (their length prefix stays in `out`), so
    /// the broker thread sends the encoded batches without copying them.
    fn encode_chunked(
        &self,
        version: i16,
        out: &mut BytesMut,
        chunks: &mut Vec<(usize, Bytes)>,
    ) -> Result<(), EncodeError> {
        self.encode_with(version, out, |out, flex, records| {
            let Some(records) = records else {
                return out.put_nullable_bytes_v(flex, None);
            };
            let len = i32::try_from(records.len()).map_err(|_| EncodeError::TooLarge("records"))?;
            if flex {
                out.put_unsigned_varint(len as u32 + 1);
            } else {
                out.put_i32(len);
            }
            chunks.push((out.len(), records.clone()));
            Ok(())
        })
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let transactional_id = r.nullable_string_v(flex)?;
        let acks = r.read_i16()?;
        let timeout_ms = r.read_i32()?;
        let topics = r.array_v(flex, |r| {
            let name = r.string_v(flex)?;
            let partitions = r.array_v(flex, |r| {
                let p = ProducePartition {
                    index: r.read_i32()?,
                    records: r.nullable_bytes_v(flex)?,
                };
                r.tags_v(flex)?;
                Ok(p)
            })?;
            r.tags_v(flex)?;
            Ok(ProduceTopic { name, partitions })
        })?;
        r.tags_v(flex)?;
        Ok(ProduceRequest {
            transactional_id,
            acks,
            timeout_ms,
            topics,
        })
    }
}

impl Message for ProduceResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<ProduceRequest>(version)?;
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            put_array(out, flex, &t.partitions, |out, p| {
                out.put_i32(p.index);
                out.put_i16(p.error_code);
                out.put_i64(p.base_offset);
                out.put_i64(p.log_append_time_ms);
                if version >= 5 {
                    out.put_i64(p.log_start_offset);
                }
                if version >= 8 {
                    put_array(out, flex, &p.record_errors, |out, e| {
                        out.put_i32(e.batch_index);
                        out.put_nullable_string_v(flex, e.message.as_deref())?;
                        out.put_tags_v(flex);
                        Ok(())
                    })?;
                    out.put_nullable_string_v(flex, p.error_message.as_deref())?;
                }
                out.put_tags_v(flex);
                Ok(())
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_i32(self.throttle_time_ms);
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<ProduceRequest>(version)?;
        let topics = r.array_v(flex, |r| {
            let name = r.string_v(flex)?;
            let partitions = r.array_v(flex, |r| {
                let mut p = ProducePartitionResponse {
                    index: r.read_i32()?,
                    error_code: r.read_i16()?,
                    base_offset: r.read_i64()?,
                    log_append_time_ms: r.read_i64()?,
                    ..Default::default()
                };
                if version >= 5 {
                    p.log_start_offset = r.read_i64()?;
                }
                if version >= 8 {
                    p.record_errors = r.array_v(flex, |r| {
                        let e = RecordError {
                            batch_index: r.read_i32()?,
                            message: r.nullable_string_v(flex)?,
                        };
                        r.tags_v(flex)?;
                        Ok(e)
                    })?;
                    p.error_message = r.nullable_string_v(flex)?;
                }
                r.tags_v(flex)?;
                Ok(p)
            })?;
            r.tags_v(flex)?;
            Ok(ProduceTopicResponse { name, partitions })
        })?;
        let throttle_time_ms = r.read_i32()?;
        r.tags_v(flex)?;
        Ok(ProduceResponse {
            topics,
            throttle_time_ms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    fn sample_request() -> ProduceRequest {
        ProduceRequest {
            transactional_id: None,
            acks: -1,
            timeout_ms: 30_000,
            topics: vec![ProduceTopic {
                name: "t".into(),
                partitions: vec![
                    ProducePartition {
                        index: 0,
                        records: Some(Bytes::from_static(b"RB")),
                    },
                    ProducePartition {
                        index: 1,
                        records: None,
                    },
                ],
            }],
        }
    }

    fn sample_response(v: i16) -> ProduceResponse {
        ProduceResponse {
            topics: vec![ProduceTopicResponse {
                name: "t".into(),
                partitions: vec![ProducePartitionResponse {
                    index: 2,
                    error_code: 87,
                    base_offset: 100,
                    log_append_time_ms: 1_600_000_000_000,
                    log_start_offset: since(v, 5, 10, -1),
                    record_errors: since(
                        v,
                        8,
                        vec![RecordError {
                            batch_index: 3,
                            message: Some("bad".into()),
                        }],
                        vec![],
                    ),
                    error_message: since(v, 8, Some("invalid record".into()), None),
                }],
            }],
            throttle_time_ms: 4,
        }
    }

    #[test]
    fn roundtrip_all_versions() {
        for v in 3..=9 {
            roundtrip(&sample_request(), v);
            let txn = ProduceRequest {
                transactional_id: Some("txn".into()),
                ..sample_request()
            };
            roundtrip(&txn, v);
            roundtrip(&sample_response(v), v);
        }
    }

    #[test]
    fn request_v3_fixture() {
        #[rustfmt::skip]
        let expected: &[u8] = &[
            0xff, 0xff,              // no transactional id
            0xff, 0xff,              // acks -1
            0, 0, 0x75, 0x30,        // timeout 30000
            0, 0, 0, 1, 0, 1, b't',  // 1 topic "t"
            0, 0, 0, 2,              // 2 partitions
            0, 0, 0, 0, 0, 0, 0, 2, b'R', b'B',
            0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff,
        ];
        assert_eq!(&roundtrip(&sample_request(), 3)[..], expected);
    }

    #[test]
    fn request_v9_fixture() {
        #[rustfmt::skip]
        let expected: &[u8] = &[
            0,                       // null transactional id
            0xff, 0xff, 0, 0, 0x75, 0x30,
            2, 2, b't',              // 1 topic "t"
            3,                       // 2 partitions
            0, 0, 0, 0, 3, b'R', b'B', 0,
            0, 0, 0, 1, 0, 0,
            0,                       // topic tags
            0,                       // request tags
        ];
        assert_eq!(&roundtrip(&sample_request(), 9)[..], expected);
    }

    #[test]
    fn response_v8_fixture() {
        #[rustfmt::skip]
        let expected: &[u8] = &[
            0, 0, 0, 1, 0, 1, b't',
            0, 0, 0, 1,
            0, 0, 0, 2,                      // partition 2
            0, 87,                           // INVALID_RECORD
            0, 0, 0, 0, 0, 0, 0, 100,        // base offset
            0, 0, 0x01, 0x74, 0x87, 0x6e, 0x80, 0x00, // log append time
            0, 0, 0, 0, 0, 0, 0, 10,         // log start offset
            0, 0, 0, 1, 0, 0, 0, 3, 0, 3, b'b', b'a', b'd',
            0, 14, b'i', b'n', b'v', b'a', b'l', b'i', b'd', b' ',
            b'r', b'e', b'c', b'o', b'r', b'd',
            0, 0, 0, 4,                      // throttle
        ];
        assert_eq!(&roundtrip(&sample_response(8), 8)[..], expected);
    }

    #[test]
    fn records_are_zero_copy_when_decoding_from_bytes() {
        let mut out = BytesMut::new();
        sample_request().encode(7, &mut out).unwrap();
        let frame = out.freeze();
        let req = ProduceRequest::decode(7, &mut Reader::from_bytes(&frame)).unwrap();
        let records = req.topics[0].partitions[0].records.as_ref().unwrap();
        assert!(frame.as_ptr_range().contains(&records.as_ptr()));
    }

    #[test]
    fn unsupported_versions() {
        let mut out = BytesMut::new();
        assert!(sample_request().encode(2, &mut out).is_err());
        assert!(sample_request().encode(10, &mut out).is_err());
        assert!(out.is_empty());
    }
}
