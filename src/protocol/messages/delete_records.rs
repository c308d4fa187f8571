//! DeleteRecords (key 21), versions 0-2.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteRecordsRequest {
    pub topics: Vec<DeleteRecordsTopic>,
    pub timeout_ms: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteRecordsTopic {
    pub name: String,
    pub partitions: Vec<DeleteRecordsPartition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteRecordsPartition {
    pub partition_index: i32,
    /// Delete records before this offset (-1: the high watermark).
    pub offset: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteRecordsResponse {
    pub throttle_time_ms: i32,
    pub topics: Vec<DeleteRecordsTopicResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteRecordsTopicResult {
    pub name: String,
    pub partitions: Vec<DeleteRecordsPartitionResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteRecordsPartitionResult {
    pub partition_index: i32,
    pub low_watermark: i64,
    pub error_code: i16,
}

request!(DeleteRecordsRequest => DeleteRecordsResponse, DeleteRecords, 0..=2);

impl Message for DeleteRecordsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            put_array(out, flex, &t.partitions, |out, p| {
                out.put_i32(p.partition_index);
                out.put_i64(p.offset);
                out.put_tags_v(flex);
                Ok(())
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_i32(self.timeout_ms);
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let topics = r.array_v(flex, |r| {
            let name = r.string_v(flex)?;
            let partitions = r.array_v(flex, |r| {
                let p = DeleteRecordsPartition {
                    partition_index: r.read_i32()?,
                    offset: r.read_i64()?,
                };
                r.tags_v(flex)?;
                Ok(p)
            })?;
            r.tags_v(flex)?;
            Ok(DeleteRecordsTopic { name, partitions })
        })?;
        let timeout_ms = r.read_i32()?;
        r.tags_v(flex)?;
        Ok(DeleteRecordsRequest { topics, timeout_ms })
    }
}

impl Message for DeleteRecordsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<DeleteRecordsRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            put_array(out, flex, &t.partitions, |out, p| {
                out.put_i32(p.partition_index);
                out.put_i64(p.low_watermark);
                out.put_i16(p.error_code);
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
        let flex = decode_flex::<DeleteRecordsRequest>(version)?;
        let throttle_time_ms = r.read_i32()?;
        let topics = r.array_v(flex, |r| {
            let name = r.string_v(flex)?;
            let partitions = r.array_v(flex, |r| {
                let p = DeleteRecordsPartitionResult {
                    partition_index: r.read_i32()?,
                    low_watermark: r.read_i64()?,
                    error_code: r.read_i16()?,
                };
                r.tags_v(flex)?;
                Ok(p)
            })?;
            r.tags_v(flex)?;
            Ok(DeleteRecordsTopicResult { name, partitions })
        })?;
        r.tags_v(flex)?;
        Ok(DeleteRecordsResponse {
            throttle_time_ms,
            topics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::roundtrip;

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=2 {
            let req = DeleteRecordsRequest {
                topics: vec![DeleteRecordsTopic {
                    name: "t".into(),
                    partitions: vec![DeleteRecordsPartition {
                        partition_index: 1,
                        offset: 42,
                    }],
                }],
                timeout_ms: 100,
            };
            roundtrip(&req, v);
            let resp = DeleteRecordsResponse {
                throttle_time_ms: 0,
                topics: vec![DeleteRecordsTopicResult {
                    name: "t".into(),
                    partitions: vec![DeleteRecordsPartitionResult {
                        partition_index: 1,
                        low_watermark: 42,
                        error_code: 0,
                    }],
                }],
            };
            roundtrip(&resp, v);
        }
    }
}
