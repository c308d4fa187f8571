//! CreatePartitions (key 37), versions 0-3.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreatePartitionsRequest {
    pub topics: Vec<CreatePartitionsTopic>,
    pub timeout_ms: i32,
    pub validate_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreatePartitionsTopic {
    pub name: String,
    /// The partition count afterwards.
    pub count: i32,
    /// One entry per new partition; `None`: the broker chooses.
    pub assignments: Option<Vec<CreatePartitionsAssignment>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreatePartitionsAssignment {
    pub broker_ids: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreatePartitionsResponse {
    pub throttle_time_ms: i32,
    pub results: Vec<CreatePartitionsTopicResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreatePartitionsTopicResult {
    pub name: String,
    pub error_code: i16,
    pub error_message: Option<String>,
}

request!(CreatePartitionsRequest => CreatePartitionsResponse, CreatePartitions, 0..=3);

impl Message for CreatePartitionsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            out.put_i32(t.count);
            put_nullable_array(out, flex, t.assignments.as_deref(), |out, a| {
                put_i32_array(out, flex, &a.broker_ids)?;
                out.put_tags_v(flex);
                Ok(())
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_i32(self.timeout_ms);
        out.put_bool(self.validate_only);
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let topics = r.array_v(flex, |r| {
            let name = r.string_v(flex)?;
            let count = r.read_i32()?;
            let assignments = r.nullable_array_v(flex, |r| {
                let a = CreatePartitionsAssignment {
                    broker_ids: r.i32_array_v(flex)?,
                };
                r.tags_v(flex)?;
                Ok(a)
            })?;
            r.tags_v(flex)?;
            Ok(CreatePartitionsTopic {
                name,
                count,
                assignments,
            })
        })?;
        let timeout_ms = r.read_i32()?;
        let validate_only = r.read_bool()?;
        r.tags_v(flex)?;
        Ok(CreatePartitionsRequest {
            topics,
            timeout_ms,
            validate_only,
        })
    }
}

impl Message for CreatePartitionsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<CreatePartitionsRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        put_array(out, flex, &self.results, |out, t| {
            out.put_string_v(flex, &t.name)?;
            out.put_i16(t.error_code);
            out.put_nullable_string_v(flex, t.error_message.as_deref())?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<CreatePartitionsRequest>(version)?;
        let throttle_time_ms = r.read_i32()?;
        let results = r.array_v(flex, |r| {
            let t = CreatePartitionsTopicResult {
                name: r.string_v(flex)?,
                error_code: r.read_i16()?,
                error_message: r.nullable_string_v(flex)?,
            };
            r.tags_v(flex)?;
            Ok(t)
        })?;
        r.tags_v(flex)?;
        Ok(CreatePartitionsResponse {
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
            let req = CreatePartitionsRequest {
                topics: vec![
                    CreatePartitionsTopic {
                        name: "a".into(),
                        count: 4,
                        assignments: Some(vec![CreatePartitionsAssignment {
                            broker_ids: vec![1, 2],
                        }]),
                    },
                    CreatePartitionsTopic {
                        name: "b".into(),
                        count: 2,
                        assignments: None,
                    },
                ],
                timeout_ms: 500,
                validate_only: true,
            };
            roundtrip(&req, v);
            let resp = CreatePartitionsResponse {
                throttle_time_ms: 7,
                results: vec![CreatePartitionsTopicResult {
                    name: "a".into(),
                    error_code: 37,
                    error_message: Some("bad".into()),
                }],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = CreatePartitionsRequest {
            topics: vec![CreatePartitionsTopic {
                name: "a".into(),
                count: 2,
                assignments: None,
            }],
            timeout_ms: 1,
            validate_only: false,
        };
        assert_eq!(
            &roundtrip(&req, 0)[..],
            &[0, 0, 0, 1, 0, 1, b'a', 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0]
        );
        assert_eq!(
            &roundtrip(&req, 2)[..],
            &[2, 2, b'a', 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0]
        );
    }
}
