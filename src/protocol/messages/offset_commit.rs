//! OffsetCommit (key 8), versions 2-8.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetCommitRequest {
    pub group_id: String,
    /// -1 for commits outside a group generation (simple consumer).
    pub generation_id: i32,
    pub member_id: String,
    /// v7+.
    pub group_instance_id: Option<String>,
    /// v2-4, -1 = broker default retention.
    pub retention_time_ms: i64,
    pub topics: Vec<OffsetCommitTopic>,
}

impl Default for OffsetCommitRequest {
    fn default() -> Self {
        OffsetCommitRequest {
            group_id: String::new(),
            generation_id: -1,
            member_id: String::new(),
            group_instance_id: None,
            retention_time_ms: -1,
            topics: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetCommitTopic {
    pub name: String,
    pub partitions: Vec<OffsetCommitPartition>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetCommitPartition {
    pub partition_index: i32,
    pub committed_offset: i64,
    /// v6+, -1 when absent.
    pub committed_leader_epoch: i32,
    pub committed_metadata: Option<String>,
}

impl Default for OffsetCommitPartition {
    fn default() -> Self {
        OffsetCommitPartition {
            partition_index: 0,
            committed_offset: 0,
            committed_leader_epoch: -1,
            committed_metadata: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetCommitResponse {
    /// v3+.
    pub throttle_time_ms: i32,
    pub topics: Vec<OffsetCommitTopicResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetCommitTopicResponse {
    pub name: String,
    pub partitions: Vec<OffsetCommitPartitionResponse>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OffsetCommitPartitionResponse {
    pub partition_index: i32,
    pub error_code: i16,
}

request!(OffsetCommitRequest => OffsetCommitResponse, OffsetCommit, 2..=8);

impl Message for OffsetCommitRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.group_id)?;
        out.put_i32(self.generation_id);
        out.put_string_v(flex, &self.member_id)?;
        if version >= 7 {
            out.put_nullable_string_v(flex, self.group_instance_id.as_deref())?;
        }
        if version <= 4 {
            out.put_i64(self.retention_time_ms);
        }
        put_commit_topics(out, flex, &self.topics, version >= 6)?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let mut req = OffsetCommitRequest {
            group_id: r.string_v(flex)?,
            generation_id: r.read_i32()?,
            member_id: r.string_v(flex)?,
            ..Default::default()
        };
        if version >= 7 {
            req.group_instance_id = r.nullable_string_v(flex)?;
        }
        if version <= 4 {
            req.retention_time_ms = r.read_i64()?;
        }
        req.topics = read_commit_topics(r, flex, version >= 6)?;
        r.tags_v(flex)?;
        Ok(req)
    }
}

impl Message for OffsetCommitResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<OffsetCommitRequest>(version)?;
        if version >= 3 {
            out.put_i32(self.throttle_time_ms);
        }
        put_commit_results(out, flex, &self.topics)?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<OffsetCommitRequest>(version)?;
        let throttle_time_ms = if version >= 3 { r.read_i32()? } else { 0 };
        let topics = read_commit_results(r, flex)?;
        r.tags_v(flex)?;
        Ok(OffsetCommitResponse {
            throttle_time_ms,
            topics,
        })
    }
}

/// The topics and partitions of an OffsetCommit or TxnOffsetCommit
/// request (the same layout; `with_leader_epoch` from OffsetCommit v6 and
/// TxnOffsetCommit v2).
pub(crate) fn put_commit_topics(
    out: &mut BytesMut,
    flex: bool,
    topics: &[OffsetCommitTopic],
    with_leader_epoch: bool,
) -> Result<(), EncodeError> {
    put_array(out, flex, topics, |out, t| {
        out.put_string_v(flex, &t.name)?;
        put_array(out, flex, &t.partitions, |out, p| {
            out.put_i32(p.partition_index);
            out.put_i64(p.committed_offset);
            if with_leader_epoch {
                out.put_i32(p.committed_leader_epoch);
            }
            out.put_nullable_string_v(flex, p.committed_metadata.as_deref())?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    })
}

pub(crate) fn read_commit_topics(
    r: &mut Reader<'_>,
    flex: bool,
    with_leader_epoch: bool,
) -> Result<Vec<OffsetCommitTopic>, DecodeError> {
    r.array_v(flex, |r| {
        let name = r.string_v(flex)?;
        let partitions = r.array_v(flex, |r| {
            let partition_index = r.read_i32()?;
            let committed_offset = r.read_i64()?;
            let committed_leader_epoch = if with_leader_epoch { r.read_i32()? } else { -1 };
            let p = OffsetCommitPartition {
                partition_index,
                committed_offset,
                committed_leader_epoch,
                committed_metadata: r.nullable_string_v(flex)?,
            };
            r.tags_v(flex)?;
            Ok(p)
        })?;
        r.tags_v(flex)?;
        Ok(OffsetCommitTopic { name, partitions })
    })
}

/// Per-partition results of an OffsetCommit or TxnOffsetCommit.
pub(crate) fn put_commit_results(
    out: &mut BytesMut,
    flex: bool,
    topics: &[OffsetCommitTopicResponse],
) -> Result<(), EncodeError> {
    put_array(out, flex, topics, |out, t| {
        out.put_string_v(flex, &t.name)?;
        put_array(out, flex, &t.partitions, |out, p| {
            out.put_i32(p.partition_index);
            out.put_i16(p.error_code);
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    })
}

pub(crate) fn read_commit_results(
    r: &mut Reader<'_>,
    flex: bool,
) -> Result<Vec<OffsetCommitTopicResponse>, DecodeError> {
    r.array_v(flex, |r| {
        let name = r.string_v(flex)?;
        let partitions = r.array_v(flex, |r| {
            let p = OffsetCommitPartitionResponse {
                partition_index: r.read_i32()?,
                error_code: r.read_i16()?,
            };
            r.tags_v(flex)?;
            Ok(p)
        })?;
        r.tags_v(flex)?;
        Ok(OffsetCommitTopicResponse { name, partitions })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    #[test]
    fn roundtrip_all_versions() {
        for v in 2..=8 {
            let req = OffsetCommitRequest {
                group_id: "g".into(),
                generation_id: 3,
                member_id: "m".into(),
                group_instance_id: since(v, 7, Some("i".into()), None),
                retention_time_ms: if v <= 4 { 86_400_000 } else { -1 },
                topics: vec![OffsetCommitTopic {
                    name: "t".into(),
                    partitions: vec![
                        OffsetCommitPartition {
                            partition_index: 1,
                            committed_offset: 42,
                            committed_leader_epoch: since(v, 6, 7, -1),
                            committed_metadata: Some("md".into()),
                        },
                        OffsetCommitPartition::default(),
                    ],
                }],
            };
            roundtrip(&req, v);
            let resp = OffsetCommitResponse {
                throttle_time_ms: since(v, 3, 1, 0),
                topics: vec![OffsetCommitTopicResponse {
                    name: "t".into(),
                    partitions: vec![OffsetCommitPartitionResponse {
                        partition_index: 1,
                        error_code: 22,
                    }],
                }],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn request_v2_fixture() {
        let req = OffsetCommitRequest {
            group_id: "g".into(),
            topics: vec![OffsetCommitTopic {
                name: "t".into(),
                partitions: vec![OffsetCommitPartition {
                    committed_offset: 5,
                    ..Default::default()
                }],
            }],
            ..Default::default()
        };
        #[rustfmt::skip]
        let expected: &[u8] = &[
            0, 1, b'g', 0xff, 0xff, 0xff, 0xff, 0, 0,       // group, generation, member
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // retention
            0, 0, 0, 1, 0, 1, b't', 0, 0, 0, 1,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0xff, 0xff,
        ];
        assert_eq!(&roundtrip(&req, 2)[..], expected);
    }
}
