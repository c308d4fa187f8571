//! Fetch (key 1), versions 4-12. Record sets are returned as raw bytes
//! (zero-copy when the frame is decoded from `Bytes`); split them with
//! `record_batch::decode_batches`.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRequest {
    /// -1 for consumers.
    pub replica_id: i32,
    pub max_wait_ms: i32,
    pub min_bytes: i32,
    pub max_bytes: i32,
    /// 0 = read uncommitted, 1 = read committed.
    pub isolation_level: i8,
    /// v7+ (fetch sessions, KIP-227); 0 = no session.
    pub session_id: i32,
    /// v7+; -1 = full fetch without a session.
    pub session_epoch: i32,
    pub topics: Vec<FetchTopic>,
    /// v7+.
    pub forgotten_topics: Vec<ForgottenTopic>,
    /// v11+.
    pub rack_id: String,
}

impl Default for FetchRequest {
    fn default() -> Self {
        FetchRequest {
            replica_id: -1,
            max_wait_ms: 500,
            min_bytes: 1,
            max_bytes: 52_428_800,
            isolation_level: 0,
            session_id: 0,
            session_epoch: -1,
            topics: Vec::new(),
            forgotten_topics: Vec::new(),
            rack_id: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchTopic {
    pub topic: String,
    pub partitions: Vec<FetchPartition>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPartition {
    pub partition: i32,
    /// v9+, -1 when absent.
    pub current_leader_epoch: i32,
    pub fetch_offset: i64,
    /// v12+, -1 when absent.
    pub last_fetched_epoch: i32,
    /// v5+ (only meaningful for followers), -1 when absent.
    pub log_start_offset: i64,
    pub partition_max_bytes: i32,
}

impl Default for FetchPartition {
    fn default() -> Self {
        FetchPartition {
            partition: 0,
            current_leader_epoch: -1,
            fetch_offset: 0,
            last_fetched_epoch: -1,
            log_start_offset: -1,
            partition_max_bytes: 1_048_576,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ForgottenTopic {
    pub topic: String,
    pub partitions: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchResponse {
    pub throttle_time_ms: i32,
    /// v7+.
    pub error_code: i16,
    /// v7+.
    pub session_id: i32,
    pub topics: Vec<FetchTopicResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchTopicResponse {
    pub topic: String,
    pub partitions: Vec<FetchPartitionResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPartitionResponse {
    pub partition_index: i32,
    pub error_code: i16,
    pub high_watermark: i64,
    pub last_stable_offset: i64,
    /// v5+, -1 when absent.
    pub log_start_offset: i64,
    pub aborted_transactions: Option<Vec<AbortedTransaction>>,
    /// v11+, -1 when absent.
    pub preferred_read_replica: i32,
    pub records: Option<Bytes>,
}

impl Default for FetchPartitionResponse {
    fn default() -> Self {
        FetchPartitionResponse {
            partition_index: 0,
            error_code: 0,
            high_watermark: -1,
            last_stable_offset: -1,
            log_start_offset: -1,
            aborted_transactions: None,
            preferred_read_replica: -1,
            records: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AbortedTransaction {
    pub producer_id: i64,
    pub first_offset: i64,
}

request!(FetchRequest => FetchResponse, Fetch, 4..=12);

impl Message for FetchRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_i32(self.replica_id);
        out.put_i32(self.max_wait_ms);
        out.put_i32(self.min_bytes);
        out.put_i32(self.max_bytes);
        out.put_i8(self.isolation_level);
        if version >= 7 {
            out.put_i32(self.session_id);
            out.put_i32(self.session_epoch);
        }
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.topic)?;
            put_array(out, flex, &t.partitions, |out, p| {
                out.put_i32(p.partition);
                if version >= 9 {
                    out.put_i32(p.current_leader_epoch);
                }
                out.put_i64(p.fetch_offset);
                if version >= 12 {
                    out.put_i32(p.last_fetched_epoch);
                }
                if version >= 5 {
                    out.put_i64(p.log_start_offset);
                }
                out.put_i32(p.partition_max_bytes);
                out.put_tags_v(flex);
                Ok(())
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        if version >= 7 {
            put_array(out, flex, &self.forgotten_topics, |out, t| {
                out.put_string_v(flex, &t.topic)?;
                put_i32_array(out, flex, &t.partitions)?;
                out.put_tags_v(flex);
                Ok(())
            })?;
        }
        if version >= 11 {
            out.put_string_v(flex, &self.rack_id)?;
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let mut req = FetchRequest {
            replica_id: r.read_i32()?,
            max_wait_ms: r.read_i32()?,
            min_bytes: r.read_i32()?,
            max_bytes: r.read_i32()?,
            isolation_level: r.read_i8()?,
            ..Default::default()
        };
        if version >= 7 {
            req.session_id = r.read_i32()?;
            req.session_epoch = r.read_i32()?;
        }
        req.topics = r.array_v(flex, |r| {
            let topic = r.string_v(flex)?;
            let partitions = r.array_v(flex, |r| {
                let mut p = FetchPartition {
                    partition: r.read_i32()?,
                    ..Default::default()
                };
                if version >= 9 {
                    p.current_leader_epoch = r.read_i32()?;
                }
                p.fetch_offset = r.read_i64()?;
                if version >= 12 {
                    p.last_fetched_epoch = r.read_i32()?;
                }
                if version >= 5 {
                    p.log_start_offset = r.read_i64()?;
                }
                p.partition_max_bytes = r.read_i32()?;
                r.tags_v(flex)?;
                Ok(p)
            })?;
            r.tags_v(flex)?;
            Ok(FetchTopic { topic, partitions })
        })?;
        if version >= 7 {
            req.forgotten_topics = r.array_v(flex, |r| {
                let t = ForgottenTopic {
                    topic: r.string_v(flex)?,
                    partitions: r.i32_array_v(flex)?,
                };
                r.tags_v(flex)?;
                Ok(t)
            })?;
        }
        if version >= 11 {
            req.rack_id = r.string_v(flex)?;
        }
        r.tags_v(flex)?;
        Ok(req)
    }
}

impl Message for FetchResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<FetchRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        if version >= 7 {
            out.put_i16(self.error_code);
            out.put_i32(self.session_id);
        }
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.topic)?;
            put_array(out, flex, &t.partitions, |out, p| {
                out.put_i32(p.partition_index);
                out.put_i16(p.error_code);
                out.put_i64(p.high_watermark);
                out.put_i64(p.last_stable_offset);
                if version >= 5 {
                    out.put_i64(p.log_start_offset);
                }
                put_nullable_array(out, flex, p.aborted_transactions.as_deref(), |out, a| {
                    out.put_i64(a.producer_id);
                    out.put_i64(a.first_offset);
                    out.put_tags_v(flex);
                    Ok(())
                })?;
                if version >= 11 {
                    out.put_i32(p.preferred_read_replica);
                }
                out.put_nullable_bytes_v(flex, p.records.as_deref())?;
                out.put_tags_v(flex);
                Ok(())
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<FetchRequest>(version)?;
        let mut resp = FetchResponse {
            throttle_time_ms: r.read_i32()?,
            ..Default::default()
        };
        if version >= 7 {
            resp.error_code = r.read_i16()?;
            resp.session_id = r.read_i32()?;
        }
        resp.topics = r.array_v(flex, |r| {
            let topic = r.string_v(flex)?;
            let partitions = r.array_v(flex, |r| {
                let mut p = FetchPartitionResponse {
                    partition_index: r.read_i32()?,
                    error_code: r.read_i16()?,
                    high_watermark: r.read_i64()?,
                    last_stable_offset: r.read_i64()?,
                    ..Default::default()
                };
                if version >= 5 {
                    p.log_start_offset = r.read_i64()?;
                }
                p.aborted_transactions = r.nullable_array_v(flex, |r| {
                    let a = AbortedTransaction {
                        producer_id: r.read_i64()?,
                        first_offset: r.read_i64()?,
                    };
                    r.tags_v(flex)?;
                    Ok(a)
                })?;
                if version >= 11 {
                    p.preferred_read_replica = r.read_i32()?;
                }
                p.records = r.nullable_bytes_v(flex)?;
                // v12 tagged fields (diverging epoch, current leader,
                // snapshot id) only matter to followers.
                r.tags_v(flex)?;
                Ok(p)
            })?;
            r.tags_v(flex)?;
            Ok(FetchTopicResponse { topic, partitions })
        })?;
        r.tags_v(flex)?;
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    fn sample_request(v: i16) -> FetchRequest {
        FetchRequest {
            replica_id: -1,
            max_wait_ms: 100,
            min_bytes: 1,
            max_bytes: 1000,
            isolation_level: 1,
            session_id: since(v, 7, 3, 0),
            session_epoch: since(v, 7, 2, -1),
            topics: vec![FetchTopic {
                topic: "t".into(),
                partitions: vec![FetchPartition {
                    partition: 4,
                    current_leader_epoch: since(v, 9, 6, -1),
                    fetch_offset: 77,
                    last_fetched_epoch: since(v, 12, 5, -1),
                    log_start_offset: since(v, 5, 0, -1),
                    partition_max_bytes: 500,
                }],
            }],
            forgotten_topics: since(
                v,
                7,
                vec![ForgottenTopic {
                    topic: "old".into(),
                    partitions: vec![1, 2],
                }],
                vec![],
            ),
            rack_id: since(v, 11, "rack".into(), String::new()),
        }
    }

    fn sample_response(v: i16) -> FetchResponse {
        FetchResponse {
            throttle_time_ms: 1,
            error_code: since(v, 7, 0, 0),
            session_id: since(v, 7, 9, 0),
            topics: vec![FetchTopicResponse {
                topic: "t".into(),
                partitions: vec![
                    FetchPartitionResponse {
                        partition_index: 4,
                        error_code: 0,
                        high_watermark: 100,
                        last_stable_offset: 90,
                        log_start_offset: since(v, 5, 10, -1),
                        aborted_transactions: Some(vec![AbortedTransaction {
                            producer_id: 5,
                            first_offset: 80,
                        }]),
                        preferred_read_replica: since(v, 11, 2, -1),
                        records: Some(Bytes::from_static(b"batches")),
                    },
                    FetchPartitionResponse {
                        partition_index: 5,
                        error_code: 1,
                        ..Default::default()
                    },
                ],
            }],
        }
    }

    #[test]
    fn roundtrip_all_versions() {
        for v in 4..=12 {
            roundtrip(&sample_request(v), v);
            roundtrip(&sample_response(v), v);
        }
    }

    #[test]
    fn response_v4_fixture() {
        let resp = FetchResponse {
            throttle_time_ms: 0,
            topics: vec![FetchTopicResponse {
                topic: "t".into(),
                partitions: vec![FetchPartitionResponse {
                    partition_index: 0,
                    high_watermark: 3,
                    last_stable_offset: 3,
                    records: Some(Bytes::from_static(b"R")),
                    ..Default::default()
                }],
            }],
            ..Default::default()
        };
        #[rustfmt::skip]
        let expected: &[u8] = &[
            0, 0, 0, 0,                   // throttle
            0, 0, 0, 1, 0, 1, b't',
            0, 0, 0, 1,
            0, 0, 0, 0, 0, 0,             // partition 0, no error
            0, 0, 0, 0, 0, 0, 0, 3,       // high watermark
            0, 0, 0, 0, 0, 0, 0, 3,       // last stable offset
            0xff, 0xff, 0xff, 0xff,       // null aborted transactions
            0, 0, 0, 1, b'R',             // records
        ];
        assert_eq!(&roundtrip(&resp, 4)[..], expected);
    }

    #[test]
    fn aborted_transactions_blowup_memory() {
        // v4 partition claiming 2^31-1 aborted transactions.
        #[rustfmt::skip]
        let data: &[u8] = &[
            0, 0, 0, 0, 0, 0, 0, 1, 0, 1, b't', 0, 0, 0, 1,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 3,
            0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0,
        ];
        assert!(matches!(
            FetchResponse::decode(4, &mut Reader::new(data)),
            Err(DecodeError::InvalidLength(_))
        ));
    }
}
