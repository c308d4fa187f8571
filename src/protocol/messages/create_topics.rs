//! CreateTopics (key 19), versions 0-5.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateTopicsRequest {
    pub topics: Vec<CreatableTopic>,
    pub timeout_ms: i32,
    /// v1+.
    pub validate_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreatableTopic {
    pub name: String,
    /// -1 = broker default (or taken from `assignments`).
    pub num_partitions: i32,
    /// -1 = broker default (or taken from `assignments`).
    pub replication_factor: i16,
    pub assignments: Vec<ReplicaAssignment>,
    pub configs: Vec<CreatableTopicConfig>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplicaAssignment {
    pub partition_index: i32,
    pub broker_ids: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreatableTopicConfig {
    pub name: String,
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateTopicsResponse {
    /// v2+.
    pub throttle_time_ms: i32,
    pub topics: Vec<CreatableTopicResult>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatableTopicResult {
    pub name: String,
    pub error_code: i16,
    /// v1+.
    pub error_message: Option<String>,
    /// v5+, -1 when absent.
    pub num_partitions: i32,
    /// v5+, -1 when absent.
    pub replication_factor: i16,
    /// v5+.
    pub configs: Option<Vec<CreatableTopicConfigResult>>,
}

impl Default for CreatableTopicResult {
    fn default() -> Self {
        CreatableTopicResult {
            name: String::new(),
            error_code: 0,
            error_message: None,
            num_partitions: -1,
            replication_factor: -1,
            configs: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreatableTopicConfigResult {
    pub name: String,
    pub value: Option<String>,
    pub read_only: bool,
    pub config_source: i8,
    pub is_sensitive: bool,
}

request!(CreateTopicsRequest => CreateTopicsResponse, CreateTopics, 0..=5);

impl Message for CreateTopicsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            out.put_i32(t.num_partitions);
            out.put_i16(t.replication_factor);
            put_array(out, flex, &t.assignments, |out, a| {
                out.put_i32(a.partition_index);
                put_i32_array(out, flex, &a.broker_ids)?;
                out.put_tags_v(flex);
                Ok(())
            })?;
            put_array(out, flex, &t.configs, |out, c| {
                out.put_string_v(flex, &c.name)?;
                out.put_nullable_string_v(flex, c.value.as_deref())?;
                out.put_tags_v(flex);
                Ok(())
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_i32(self.timeout_ms);
        if version >= 1 {
            out.put_bool(self.validate_only);
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let topics = r.array_v(flex, |r| {
            let name = r.string_v(flex)?;
            let num_partitions = r.read_i32()?;
            let replication_factor = r.read_i16()?;
            let assignments = r.array_v(flex, |r| {
                let a = ReplicaAssignment {
                    partition_index: r.read_i32()?,
                    broker_ids: r.i32_array_v(flex)?,
                };
                r.tags_v(flex)?;
                Ok(a)
            })?;
            let configs = r.array_v(flex, |r| {
                let c = CreatableTopicConfig {
                    name: r.string_v(flex)?,
                    value: r.nullable_string_v(flex)?,
                };
                r.tags_v(flex)?;
                Ok(c)
            })?;
            r.tags_v(flex)?;
            Ok(CreatableTopic {
                name,
                num_partitions,
                replication_factor,
                assignments,
                configs,
            })
        })?;
        let timeout_ms = r.read_i32()?;
        let validate_only = if version >= 1 { r.read_bool()? } else { false };
        r.tags_v(flex)?;
        Ok(CreateTopicsRequest {
            topics,
            timeout_ms,
            validate_only,
        })
    }
}

impl Message for CreateTopicsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<CreateTopicsRequest>(version)?;
        if version >= 2 {
            out.put_i32(self.throttle_time_ms);
        }
        put_array(out, flex, &self.topics, |out, t| {
            out.put_string_v(flex, &t.name)?;
            out.put_i16(t.error_code);
            if version >= 1 {
                out.put_nullable_string_v(flex, t.error_message.as_deref())?;
            }
            if version >= 5 {
                out.put_i32(t.num_partitions);
                out.put_i16(t.replication_factor);
                put_nullable_array(out, flex, t.configs.as_deref(), |out, c| {
                    out.put_string_v(flex, &c.name)?;
                    out.put_nullable_string_v(flex, c.value.as_deref())?;
                    out.put_bool(c.read_only);
                    out.put_i8(c.config_source);
                    out.put_bool(c.is_sensitive);
                    out.put_tags_v(flex);
                    Ok(())
                })?;
            }
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<CreateTopicsRequest>(version)?;
        let throttle_time_ms = if version >= 2 { r.read_i32()? } else { 0 };
        let topics = r.array_v(flex, |r| {
            let mut t = CreatableTopicResult {
                name: r.string_v(flex)?,
                error_code: r.read_i16()?,
                ..Default::default()
            };
            if version >= 1 {
                t.error_message = r.nullable_string_v(flex)?;
            }
            if version >= 5 {
                t.num_partitions = r.read_i32()?;
                t.replication_factor = r.read_i16()?;
                t.configs = r.nullable_array_v(flex, |r| {
                    let c = CreatableTopicConfigResult {
                        name: r.string_v(flex)?,
                        value: r.nullable_string_v(flex)?,
                        read_only: r.read_bool()?,
                        config_source: r.read_i8()?,
                        is_sensitive: r.read_bool()?,
                    };
                    r.tags_v(flex)?;
                    Ok(c)
                })?;
            }
            // Tag 0 (TopicConfigErrorCode) is skipped with the rest.
            r.tags_v(flex)?;
            Ok(t)
        })?;
        r.tags_v(flex)?;
        Ok(CreateTopicsResponse {
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
        for v in 0..=5 {
            let req = CreateTopicsRequest {
                topics: vec![
                    CreatableTopic {
                        name: "t".into(),
                        num_partitions: 3,
                        replication_factor: 1,
                        assignments: vec![],
                        configs: vec![CreatableTopicConfig {
                            name: "cleanup.policy".into(),
                            value: Some("compact".into()),
                        }],
                    },
                    CreatableTopic {
                        name: "u".into(),
                        num_partitions: -1,
                        replication_factor: -1,
                        assignments: vec![ReplicaAssignment {
                            partition_index: 0,
                            broker_ids: vec![1, 2],
                        }],
                        configs: vec![],
                    },
                ],
                timeout_ms: 5000,
                validate_only: since(v, 1, true, false),
            };
            roundtrip(&req, v);
            let resp = CreateTopicsResponse {
                throttle_time_ms: since(v, 2, 3, 0),
                topics: vec![CreatableTopicResult {
                    name: "t".into(),
                    error_code: 36,
                    error_message: since(v, 1, Some("exists".into()), None),
                    num_partitions: since(v, 5, 3, -1),
                    replication_factor: since(v, 5, 1, -1),
                    configs: since(
                        v,
                        5,
                        Some(vec![CreatableTopicConfigResult {
                            name: "retention.ms".into(),
                            value: None,
                            read_only: false,
                            config_source: 5,
                            is_sensitive: true,
                        }]),
                        None,
                    ),
                }],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn response_v5_fixture_with_tag() {
        // A broker sends TopicConfigErrorCode as tag 0 when it omits configs.
        #[rustfmt::skip]
        let data: &[u8] = &[
            0, 0, 0, 0,              // throttle
            2,                       // 1 topic
            2, b't', 0, 0, 0,        // "t", no error, null message
            0, 0, 0, 1, 0, 1,        // 1 partition, rf 1
            0,                       // null configs
            1, 0, 2, 0, 29,          // tag 0: TOPIC_AUTHORIZATION_FAILED
            0,
        ];
        let resp = CreateTopicsResponse::decode(5, &mut Reader::new(data)).unwrap();
        assert_eq!(resp.topics[0].num_partitions, 1);
        assert_eq!(resp.topics[0].configs, None);
    }
}
