//! OffsetFetch (key 9), versions 1-7 (single group per request).

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetFetchRequest {
    pub group_id: String,
    /// `None` (v2+) fetches all committed offsets of the group.
    pub topics: Option<Vec<OffsetFetchTopic>>,
    /// v7+.
    pub require_stable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetFetchTopic {
    pub name: String,
    pub partition_indexes: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetFetchResponse {
    /// v3+.
    pub throttle_time_ms: i32,
    pub topics: Vec<OffsetFetchTopicResponse>,
    /// v2+.
    pub error_code: i16,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetFetchTopicResponse {
    pub name: String,
    pub partitions: Vec<OffsetFetchPartitionResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetFetchPartitionResponse {
    pub partition_index: i32,
    /// -1 if nothing is committed.
    pub committed_offset: i64,
    /// v5+, -1 when absent.
    pub committed_leader_epoch: i32,
    pub metadata: Option<String>,
    pub error_code: i16,
}

impl Default for OffsetFetchPartitionResponse {
    fn default() -> Self {
        OffsetFetchPartitionResponse {
            partition_index: 0,
            committed_offset: -1,
            committed_leader_epoch: -1,
            metadata: None,
            error_code: 0,
        }
    }
}

request!(OffsetFetchRequest => OffsetFetchResponse, OffsetFetch, 1..=7);

impl Message for OffsetFetchRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.group_id)?;
        let put_topic = |out: &mut BytesMut, t: &OffsetFetchTopic| {
            out.put_string_v(flex, &t.name)?;
            put_i32_array(out, flex, &t.partition_indexes)?;
            out.put_tags_v(flex);
            Ok(())
        };
        if version >= 2 {
            put_nullable_array(out, flex, self.topics.as_deref(), put_topic)?;
        } else {
            // v1 cannot ask for "all topics"; null degrades to none.
            put_array(out, flex, self.topics.as_deref().unwrap_or(&[]), put_topic)?;
        }
        if version >= 7 {
            out.put_bool(self.require_stable);
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let group_id = r.string_v(flex)?;
        let topics = r.nullable_array_v(flex, |r| {
            let t = OffsetFetchTopic {
                name: r.string_v(flex)?,
                partition_indexes: r.i32_array_v(flex)?,
            };
            r.tags_v(flex)?;
            Ok(t)
        })?;
        let require_stable = if version >= 7 { r.read_bool()? } else { false };
        r.tags_v(flex)?;
        Ok(OffsetFetchRequest {
            group_id,
            topics,
            require_stable,
        })
    }
}

impl Message for OffsetFetchResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<OffsetFetchRequest>(version)?;
        if version >= 3 {
            out.put_i32(self.throttle_time_ms);
        }
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            put_array(out, flex, &t.partitions, |out, p| {
                out.put_i32(p.partition_index);
                out.put_i64(p.committed_offset);
                if version >= 5 {
                    out.put_i32(p.committed_leader_epoch);
                }
                out.put_nullable_string_v(flex, p.metadata.as_deref())?;
                out.put_i16(p.error_code);
                out.put_tags_v(flex);
                Ok(())
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        if version >= 2 {
            out.put_i16(self.error_code);
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<OffsetFetchRequest>(version)?;
        let throttle_time_ms = if version >= 3 { r.read_i32()? } else { 0 };
        let topics = r.array_v(flex, |r| {
            let name = r.string_v(flex)?;
            let partitions = r.array_v(flex, |r| {
                let partition_index = r.read_i32()?;
                let committed_offset = r.read_i64()?;
                let committed_leader_epoch = if version >= 5 { r.read_i32()? } else { -1 };
                let p = OffsetFetchPartitionResponse {
                    partition_index,
                    committed_offset,
                    committed_leader_epoch,
                    metadata: r.nullable_string_v(flex)?,
                    error_code: r.read_i16()?,
                };
                r.tags_v(flex)?;
                Ok(p)
            })?;
            r.tags_v(flex)?;
            Ok(OffsetFetchTopicResponse { name, partitions })
        })?;
        let error_code = if version >= 2 { r.read_i16()? } else { 0 };
        r.tags_v(flex)?;
        Ok(OffsetFetchResponse {
            throttle_time_ms,
            topics,
            error_code,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    #[test]
    fn roundtrip_all_versions() {
        for v in 1..=7 {
            let req = OffsetFetchRequest {
                group_id: "g".into(),
                topics: Some(vec![OffsetFetchTopic {
                    name: "t".into(),
                    partition_indexes: vec![0, 1],
                }]),
                require_stable: since(v, 7, true, false),
            };
            roundtrip(&req, v);
            if v >= 2 {
                roundtrip(
                    &OffsetFetchRequest {
                        topics: None,
                        ..req.clone()
                    },
                    v,
                );
            }
            let resp = OffsetFetchResponse {
                throttle_time_ms: since(v, 3, 1, 0),
                topics: vec![OffsetFetchTopicResponse {
                    name: "t".into(),
                    partitions: vec![
                        OffsetFetchPartitionResponse {
                            partition_index: 0,
                            committed_offset: 10,
                            committed_leader_epoch: since(v, 5, 2, -1),
                            metadata: Some(String::new()),
                            error_code: 0,
                        },
                        OffsetFetchPartitionResponse::default(),
                    ],
                }],
                error_code: since(v, 2, 16, 0),
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let all = OffsetFetchRequest {
            group_id: "g".into(),
            topics: None,
            require_stable: false,
        };
        assert_eq!(
            &roundtrip(&all, 2)[..],
            &[0, 1, b'g', 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(&roundtrip(&all, 7)[..], &[2, b'g', 0, 0, 0]);
    }
}
