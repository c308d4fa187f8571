//! OffsetDelete (key 47), version 0 (KIP-496): deletes committed offsets of
//! a group for partitions it no longer consumes.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetDeleteRequest {
    pub group_id: String,
    pub topics: Vec<OffsetDeleteTopic>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetDeleteTopic {
    pub name: String,
    pub partition_indexes: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetDeleteResponse {
    /// The group-level error (e.g. GROUP_ID_NOT_FOUND, NOT_COORDINATOR).
    pub error_code: i16,
    pub throttle_time_ms: i32,
    pub topics: Vec<OffsetDeleteTopicResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetDeleteTopicResponse {
    pub name: String,
    /// (partition index, error code).
    pub partitions: Vec<(i32, i16)>,
}

request!(OffsetDeleteRequest => OffsetDeleteResponse, OffsetDelete, 0..=0);

impl Message for OffsetDeleteRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.group_id)?;
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            put_i32_array(out, flex, &t.partition_indexes)
        })
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        Ok(OffsetDeleteRequest {
            group_id: r.string_v(flex)?,
            topics: r.array_v(flex, |r| {
                Ok(OffsetDeleteTopic {
                    name: r.string_v(flex)?,
                    partition_indexes: r.i32_array_v(flex)?,
                })
            })?,
        })
    }
}

impl Message for OffsetDeleteResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<OffsetDeleteRequest>(version)?;
        out.put_i16(self.error_code);
        out.put_i32(self.throttle_time_ms);
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            put_array(out, flex, &t.partitions, |out, &(index, error_code)| {
                out.put_i32(index);
                out.put_i16(error_code);
                Ok(())
            })
        })
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<OffsetDeleteRequest>(version)?;
        Ok(OffsetDeleteResponse {
            error_code: r.read_i16()?,
            throttle_time_ms: r.read_i32()?,
            topics: r.array_v(flex, |r| {
                Ok(OffsetDeleteTopicResponse {
                    name: r.string_v(flex)?,
                    partitions: r.array_v(flex, |r| Ok((r.read_i32()?, r.read_i16()?)))?,
                })
            })?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::roundtrip;

    #[test]
    fn roundtrip_version_0() {
        let req = OffsetDeleteRequest {
            group_id: "g".into(),
            topics: vec![OffsetDeleteTopic {
                name: "t".into(),
                partition_indexes: vec![0, 2],
            }],
        };
        assert_eq!(
            &roundtrip(&req, 0)[..],
            &[0, 1, b'g', 0, 0, 0, 1, 0, 1, b't', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2]
        );
        let resp = OffsetDeleteResponse {
            error_code: 0,
            throttle_time_ms: 1,
            topics: vec![OffsetDeleteTopicResponse {
                name: "t".into(),
                partitions: vec![(0, 0), (2, 86)],
            }],
        };
        roundtrip(&resp, 0);
    }
}
