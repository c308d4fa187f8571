//! ListOffsets (key 2), versions 1-7.

use super::prelude::*;

/// Special timestamps of a ListOffsets partition query.
pub const LATEST_TIMESTAMP: i64 = -1;
pub const EARLIEST_TIMESTAMP: i64 = -2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOffsetsRequest {
    pub replica_id: i32,
    /// v2+.
    pub isolation_level: i8,
    pub topics: Vec<ListOffsetsTopic>,
}

impl Default for ListOffsetsRequest {
    fn default() -> Self {
        ListOffsetsRequest {
            replica_id: -1,
            isolation_level: 0,
            topics: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListOffsetsTopic {
    pub name: String,
    pub partitions: Vec<ListOffsetsPartition>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOffsetsPartition {
    pub partition_index: i32,
    /// v4+, -1 when absent.
    pub current_leader_epoch: i32,
    /// A timestamp (ms) or [`LATEST_TIMESTAMP`] / [`EARLIEST_TIMESTAMP`].
    pub timestamp: i64,
}

impl Default for ListOffsetsPartition {
    fn default() -> Self {
        ListOffsetsPartition {
            partition_index: 0,
            current_leader_epoch: -1,
            timestamp: LATEST_TIMESTAMP,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListOffsetsResponse {
    /// v2+.
    pub throttle_time_ms: i32,
    pub topics: Vec<ListOffsetsTopicResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListOffsetsTopicResponse {
    pub name: String,
    pub partitions: Vec<ListOffsetsPartitionResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOffsetsPartitionResponse {
    pub partition_index: i32,
    pub error_code: i16,
    pub timestamp: i64,
    pub offset: i64,
    /// v4+, -1 when absent.
    pub leader_epoch: i32,
}

impl Default for ListOffsetsPartitionResponse {
    fn default() -> Self {
        ListOffsetsPartitionResponse {
            partition_index: 0,
            error_code: 0,
            timestamp: -1,
            offset: -1,
            leader_epoch: -1,
        }
    }
}

request!(ListOffsetsRequest => ListOffsetsResponse, ListOffsets, 1..=7);

impl Message for ListOffsetsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_i32(self.replica_id);
        if version >= 2 {
            out.put_i8(self.isolation_level);
        }
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            put_array(out, flex, &t.partitions, |out, p| {
                out.put_i32(p.partition_index);
                if version >= 4 {
                    out.put_i32(p.current_leader_epoch);
                }
                out.put_i64(p.timestamp);
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
        let flex = decode_flex::<Self>(version)?;
        let replica_id = r.read_i32()?;
        let isolation_level = if version >= 2 { r.read_i8()? } else { 0 };
        let topics = r.array_v(flex, |r| {
            let name = r.string_v(flex)?;
            let partitions = r.array_v(flex, |r| {
                let partition_index = r.read_i32()?;
                let current_leader_epoch = if version >= 4 { r.read_i32()? } else { -1 };
                let p = ListOffsetsPartition {
                    partition_index,
                    current_leader_epoch,
                    timestamp: r.read_i64()?,
                };
                r.tags_v(flex)?;
                Ok(p)
            })?;
            r.tags_v(flex)?;
            Ok(ListOffsetsTopic { name, partitions })
        })?;
        r.tags_v(flex)?;
        Ok(ListOffsetsRequest {
            replica_id,
            isolation_level,
            topics,
        })
    }
}

impl Message for ListOffsetsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<ListOffsetsRequest>(version)?;
        if version >= 2 {
            out.put_i32(self.throttle_time_ms);
        }
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            put_array(out, flex, &t.partitions, |out, p| {
                out.put_i32(p.partition_index);
                out.put_i16(p.error_code);
                out.put_i64(p.timestamp);
                out.put_i64(p.offset);
                if version >= 4 {
                    out.put_i32(p.leader_epoch);
                }
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
        let flex = decode_flex::<ListOffsetsRequest>(version)?;
        let throttle_time_ms = if version >= 2 { r.read_i32()? } else { 0 };
        let topics = r.array_v(flex, |r| {
            let name = r.string_v(flex)?;
            let partitions = r.array_v(flex, |r| {
                let mut p = ListOffsetsPartitionResponse {
                    partition_index: r.read_i32()?,
                    error_code: r.read_i16()?,
                    timestamp: r.read_i64()?,
                    offset: r.read_i64()?,
                    leader_epoch: -1,
                };
                if version >= 4 {
                    p.leader_epoch = r.read_i32()?;
                }
                r.tags_v(flex)?;
                Ok(p)
            })?;
            r.tags_v(flex)?;
            Ok(ListOffsetsTopicResponse { name, partitions })
        })?;
        r.tags_v(flex)?;
        Ok(ListOffsetsResponse {
            throttle_time_ms,
            topics,
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
            let req = ListOffsetsRequest {
                replica_id: -1,
                isolation_level: since(v, 2, 1, 0),
                topics: vec![ListOffsetsTopic {
                    name: "t".into(),
                    partitions: vec![ListOffsetsPartition {
                        partition_index: 3,
                        current_leader_epoch: since(v, 4, 2, -1),
                        timestamp: EARLIEST_TIMESTAMP,
                    }],
                }],
            };
            roundtrip(&req, v);
            let resp = ListOffsetsResponse {
                throttle_time_ms: since(v, 2, 8, 0),
                topics: vec![ListOffsetsTopicResponse {
                    name: "t".into(),
                    partitions: vec![ListOffsetsPartitionResponse {
                        partition_index: 3,
                        error_code: 0,
                        timestamp: -1,
                        offset: 1234,
                        leader_epoch: since(v, 4, 2, -1),
                    }],
                }],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn request_v1_fixture() {
        let req = ListOffsetsRequest {
            topics: vec![ListOffsetsTopic {
                name: "t".into(),
                partitions: vec![ListOffsetsPartition::default()],
            }],
            ..Default::default()
        };
        #[rustfmt::skip]
        let expected: &[u8] = &[
            0xff, 0xff, 0xff, 0xff,       // replica id
            0, 0, 0, 1, 0, 1, b't', 0, 0, 0, 1,
            0, 0, 0, 0,                   // partition 0
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // latest
        ];
        assert_eq!(&roundtrip(&req, 1)[..], expected);
    }
}
