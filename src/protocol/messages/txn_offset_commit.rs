//! TxnOffsetCommit (key 28), versions 0-3.

use super::offset_commit::{
    put_commit_results, put_commit_topics, read_commit_results, read_commit_topics,
};
use super::prelude::*;
use super::{OffsetCommitTopic, OffsetCommitTopicResponse};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnOffsetCommitRequest {
    pub transactional_id: String,
    pub group_id: String,
    pub producer_id: i64,
    pub producer_epoch: i16,
    /// v3+, -1 when absent (KIP-447: the consumer's group generation).
    pub generation_id: i32,
    /// v3+.
    pub member_id: String,
    /// v3+.
    pub group_instance_id: Option<String>,
    /// OffsetCommit's layout (the leader epoch from v2).
    pub topics: Vec<OffsetCommitTopic>,
}

impl Default for TxnOffsetCommitRequest {
    fn default() -> Self {
        TxnOffsetCommitRequest {
            transactional_id: String::new(),
            group_id: String::new(),
            producer_id: -1,
            producer_epoch: -1,
            generation_id: -1,
            member_id: String::new(),
            group_instance_id: None,
            topics: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TxnOffsetCommitResponse {
    pub throttle_time_ms: i32,
    pub topics: Vec<OffsetCommitTopicResponse>,
}

request!(TxnOffsetCommitRequest => TxnOffsetCommitResponse, TxnOffsetCommit, 0..=3);

impl Message for TxnOffsetCommitRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.transactional_id)?;
        out.put_string_v(flex, &self.group_id)?;
        out.put_i64(self.producer_id);
        out.put_i16(self.producer_epoch);
        if version >= 3 {
            out.put_i32(self.generation_id);
            out.put_string_v(flex, &self.member_id)?;
            out.put_nullable_string_v(flex, self.group_instance_id.as_deref())?;
        }
        put_commit_topics(out, flex, &self.topics, version >= 2)?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let mut req = TxnOffsetCommitRequest {
            transactional_id: r.string_v(flex)?,
            group_id: r.string_v(flex)?,
            producer_id: r.read_i64()?,
            producer_epoch: r.read_i16()?,
            ..Default::default()
        };
        if version >= 3 {
            req.generation_id = r.read_i32()?;
            req.member_id = r.string_v(flex)?;
            req.group_instance_id = r.nullable_string_v(flex)?;
        }
        req.topics = read_commit_topics(r, flex, version >= 2)?;
        r.tags_v(flex)?;
        Ok(req)
    }
}

impl Message for TxnOffsetCommitResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<TxnOffsetCommitRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        put_commit_results(out, flex, &self.topics)?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<TxnOffsetCommitRequest>(version)?;
        let throttle_time_ms = r.read_i32()?;
        let topics = read_commit_results(r, flex)?;
        r.tags_v(flex)?;
        Ok(TxnOffsetCommitResponse {
            throttle_time_ms,
            topics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::messages::{OffsetCommitPartition, OffsetCommitPartitionResponse};
    use crate::protocol::test_util::{roundtrip, since};

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=3 {
            let req = TxnOffsetCommitRequest {
                transactional_id: "tx".into(),
                group_id: "g".into(),
                producer_id: 1001,
                producer_epoch: 3,
                generation_id: since(v, 3, 5, -1),
                member_id: since(v, 3, "member-1".into(), String::new()),
                group_instance_id: since(v, 3, Some("static".into()), None),
                topics: vec![OffsetCommitTopic {
                    name: "in".into(),
                    partitions: vec![
                        OffsetCommitPartition {
                            partition_index: 0,
                            committed_offset: 42,
                            committed_leader_epoch: since(v, 2, 7, -1),
                            committed_metadata: Some("meta".into()),
                        },
                        OffsetCommitPartition {
                            partition_index: 3,
                            committed_offset: 0,
                            ..Default::default()
                        },
                    ],
                }],
            };
            roundtrip(&req, v);
            roundtrip(&TxnOffsetCommitRequest::default(), v);
            let resp = TxnOffsetCommitResponse {
                throttle_time_ms: 1,
                topics: vec![OffsetCommitTopicResponse {
                    name: "in".into(),
                    partitions: vec![OffsetCommitPartitionResponse {
                        partition_index: 3,
                        error_code: 16,
                    }],
                }],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = TxnOffsetCommitRequest {
            transactional_id: "t".into(),
            group_id: "g".into(),
            producer_id: 1,
            producer_epoch: 2,
            topics: vec![OffsetCommitTopic {
                name: "x".into(),
                partitions: vec![OffsetCommitPartition {
                    partition_index: 0,
                    committed_offset: 9,
                    ..Default::default()
                }],
            }],
            ..Default::default()
        };
        #[rustfmt::skip]
        let v0: &[u8] = &[
            0, 1, b't', 0, 1, b'g',
            0, 0, 0, 0, 0, 0, 0, 1, 0, 2,
            0, 0, 0, 1, 0, 1, b'x',
            0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0xff, 0xff,
        ];
        assert_eq!(&roundtrip(&req, 0)[..], v0);
        #[rustfmt::skip]
        let v3: &[u8] = &[
            2, b't', 2, b'g',
            0, 0, 0, 0, 0, 0, 0, 1, 0, 2,
            0xff, 0xff, 0xff, 0xff, 1, 0,
            2, 2, b'x',
            2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0xff, 0xff, 0xff, 0xff, 0, 0,
            0,
            0,
        ];
        assert_eq!(&roundtrip(&req, 3)[..], v3);
    }
}
