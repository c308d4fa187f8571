//! AddPartitionsToTxn (key 24), versions 0-3. (v4's batch of transactions,
//! sent only by brokers, is not implemented.)

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddPartitionsToTxnRequest {
    pub transactional_id: String,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub topics: Vec<AddPartitionsToTxnTopic>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddPartitionsToTxnTopic {
    pub name: String,
    pub partitions: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddPartitionsToTxnResponse {
    pub throttle_time_ms: i32,
    pub results: Vec<AddPartitionsToTxnTopicResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddPartitionsToTxnTopicResult {
    pub name: String,
    pub results: Vec<AddPartitionsToTxnPartitionResult>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AddPartitionsToTxnPartitionResult {
    pub partition_index: i32,
    pub error_code: i16,
}

request!(AddPartitionsToTxnRequest => AddPartitionsToTxnResponse, AddPartitionsToTxn, 0..=3);

impl Message for AddPartitionsToTxnRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.transactional_id)?;
        out.put_i64(self.producer_id);
        out.put_i16(self.producer_epoch);
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            put_i32_array(out, flex, &t.partitions)?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let transactional_id = r.string_v(flex)?;
        let producer_id = r.read_i64()?;
        let producer_epoch = r.read_i16()?;
        let topics = r.array_v(flex, |r| {
            let name = r.string_v(flex)?;
            let partitions = r.i32_array_v(flex)?;
            r.tags_v(flex)?;
            Ok(AddPartitionsToTxnTopic { name, partitions })
        })?;
        r.tags_v(flex)?;
        Ok(AddPartitionsToTxnRequest {
            transactional_id,
            producer_id,
            producer_epoch,
            topics,
        })
    }
}

impl Message for AddPartitionsToTxnResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<AddPartitionsToTxnRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        put_array(out, flex, &self.results, |out, t| {
            out.put_string_v(flex, &t.name)?;
            put_array(out, flex, &t.results, |out, p| {
                out.put_i32(p.partition_index);
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
        let flex = decode_flex::<AddPartitionsToTxnRequest>(version)?;
        let throttle_time_ms = r.read_i32()?;
        let results = r.array_v(flex, |r| {
            let name = r.string_v(flex)?;
            let results = r.array_v(flex, |r| {
                let p = AddPartitionsToTxnPartitionResult {
                    partition_index: r.read_i32()?,
                    error_code: r.read_i16()?,
                };
                r.tags_v(flex)?;
                Ok(p)
            })?;
            r.tags_v(flex)?;
            Ok(AddPartitionsToTxnTopicResult { name, results })
        })?;
        r.tags_v(flex)?;
        Ok(AddPartitionsToTxnResponse {
            throttle_time_ms,
            results,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::roundtrip;

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=3 {
            let req = AddPartitionsToTxnRequest {
                transactional_id: "tx".into(),
                producer_id: 1001,
                producer_epoch: 3,
                topics: vec![
                    AddPartitionsToTxnTopic {
                        name: "a".into(),
                        partitions: vec![0, 2],
                    },
                    AddPartitionsToTxnTopic {
                        name: "b".into(),
                        partitions: vec![],
                    },
                ],
            };
            roundtrip(&req, v);
            roundtrip(&AddPartitionsToTxnRequest::default(), v);
            let resp = AddPartitionsToTxnResponse {
                throttle_time_ms: 7,
                results: vec![AddPartitionsToTxnTopicResult {
                    name: "a".into(),
                    results: vec![
                        AddPartitionsToTxnPartitionResult {
                            partition_index: 0,
                            error_code: 0,
                        },
                        AddPartitionsToTxnPartitionResult {
                            partition_index: 2,
                            error_code: 48,
                        },
                    ],
                }],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = AddPartitionsToTxnRequest {
            transactional_id: "t".into(),
            producer_id: 1,
            producer_epoch: 2,
            topics: vec![AddPartitionsToTxnTopic {
                name: "x".into(),
                partitions: vec![5],
            }],
        };
        #[rustfmt::skip]
        let v0: &[u8] = &[
            0, 1, b't',
            0, 0, 0, 0, 0, 0, 0, 1,
            0, 2,
            0, 0, 0, 1, 0, 1, b'x', 0, 0, 0, 1, 0, 0, 0, 5,
        ];
        assert_eq!(&roundtrip(&req, 0)[..], v0);
        #[rustfmt::skip]
        let v3: &[u8] = &[
            2, b't',
            0, 0, 0, 0, 0, 0, 0, 1,
            0, 2,
            2, 2, b'x', 2, 0, 0, 0, 5, 0,
            0,
        ];
        assert_eq!(&roundtrip(&req, 3)[..], v3);
    }
}
