//! Metadata (key 3), versions 0-12. v10 adds topic ids (KIP-516) to the
//! request's and the response's topics; v12 lets a response name be null
//! (a topic asked for by an id the cluster does not know).

use super::prelude::*;

/// Kafka's "authorized operations not requested" sentinel.
pub const AUTHORIZED_OPERATIONS_UNSET: i32 = i32::MIN;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataRequest {
    /// `None` asks for all topics. At v0 there is no null: `None` and an
    /// empty list both encode as an empty array, which means "all topics",
    /// and decode as `None`.
    pub topics: Option<Vec<MetadataRequestTopic>>,
    /// v4+; earlier brokers always auto-create.
    pub allow_auto_topic_creation: bool,
    /// v8-10.
    pub include_cluster_authorized_operations: bool,
    /// v8+.
    pub include_topic_authorized_operations: bool,
}

impl Default for MetadataRequest {
    fn default() -> Self {
        MetadataRequest {
            topics: None,
            allow_auto_topic_creation: true,
            include_cluster_authorized_operations: false,
            include_topic_authorized_operations: false,
        }
    }
}

/// One topic a Metadata request asks about, by name or (v10+) by id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetadataRequestTopic {
    /// v10+; all zeros when asking by name.
    pub topic_id: Uuid,
    /// Empty when asking by id only: a Kafka topic name is never empty, so
    /// the empty name stands for the null name of v10+ on the wire.
    pub name: String,
}

impl MetadataRequestTopic {
    pub fn named(name: impl Into<String>) -> MetadataRequestTopic {
        MetadataRequestTopic {
            topic_id: Uuid::default(),
            name: name.into(),
        }
    }
}

impl From<&str> for MetadataRequestTopic {
    fn from(name: &str) -> Self {
        MetadataRequestTopic::named(name)
    }
}

impl From<String> for MetadataRequestTopic {
    fn from(name: String) -> Self {
        MetadataRequestTopic::named(name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetadataBroker {
    pub node_id: i32,
    pub host: String,
    pub port: i32,
    /// v1+.
    pub rack: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetadataPartition {
    pub error_code: i16,
    pub partition_index: i32,
    pub leader_id: i32,
    /// v7+, -1 when absent.
    pub leader_epoch: i32,
    pub replica_nodes: Vec<i32>,
    pub isr_nodes: Vec<i32>,
    /// v5+.
    pub offline_replicas: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataTopic {
    pub error_code: i16,
    /// Empty for a topic asked for by an unknown id: null on the wire at
    /// v12+ (a Kafka topic name is never empty).
    pub name: String,
    /// v10+; all zeros when absent or unknown.
    pub topic_id: Uuid,
    /// v1+.
    pub is_internal: bool,
    pub partitions: Vec<MetadataPartition>,
    /// v8+, [`AUTHORIZED_OPERATIONS_UNSET`] when absent.
    pub topic_authorized_operations: i32,
}

impl Default for MetadataTopic {
    fn default() -> Self {
        MetadataTopic {
            error_code: 0,
            name: String::new(),
            topic_id: Uuid::default(),
            is_internal: false,
            partitions: Vec::new(),
            topic_authorized_operations: AUTHORIZED_OPERATIONS_UNSET,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataResponse {
    /// v3+.
    pub throttle_time_ms: i32,
    pub brokers: Vec<MetadataBroker>,
    /// v2+.
    pub cluster_id: Option<String>,
    /// v1+, -1 when absent.
    pub controller_id: i32,
    pub topics: Vec<MetadataTopic>,
    /// v8-10, [`AUTHORIZED_OPERATIONS_UNSET`] when absent.
    pub cluster_authorized_operations: i32,
}

impl Default for MetadataResponse {
    fn default() -> Self {
        MetadataResponse {
            throttle_time_ms: 0,
            brokers: Vec::new(),
            cluster_id: None,
            controller_id: -1,
            topics: Vec::new(),
            cluster_authorized_operations: AUTHORIZED_OPERATIONS_UNSET,
        }
    }
}

request!(MetadataRequest => MetadataResponse, Metadata, 0..=12);

/// First version whose topics carry their id (KIP-516).
const FIRST_TOPIC_ID_VERSION: i16 = 10;
/// First version whose request topic name may be null.
const FIRST_NULL_REQUEST_NAME_VERSION: i16 = 10;
/// First version whose response topic name may be null.
const FIRST_NULL_RESPONSE_NAME_VERSION: i16 = 12;
/// Cluster authorized operations exist in versions 8-10 only (KIP-700 moved
/// them to DescribeCluster).
fn has_cluster_authorized_operations(version: i16) -> bool {
    (8..=10).contains(&version)
}

/// Writes a topic name, the empty name as null where the version allows.
fn put_topic_name(
    out: &mut BytesMut,
    flex: bool,
    nullable: bool,
    name: &str,
) -> Result<(), EncodeError> {
    if nullable && name.is_empty() {
        out.put_nullable_string_v(flex, None)
    } else {
        out.put_string_v(flex, name)
    }
}

/// Reads a topic name; a null one (where the version allows) as empty.
fn read_topic_name(r: &mut Reader<'_>, flex: bool, nullable: bool) -> Result<String, DecodeError> {
    if nullable {
        Ok(r.nullable_string_v(flex)?.unwrap_or_default())
    } else {
        r.string_v(flex)
    }
}

impl Message for MetadataRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        let put_topic = |out: &mut BytesMut, t: &MetadataRequestTopic| {
            if version >= FIRST_TOPIC_ID_VERSION {
                out.put_uuid(&t.topic_id);
            }
            let nullable = version >= FIRST_NULL_REQUEST_NAME_VERSION;
            put_topic_name(out, flex, nullable, &t.name)?;
            out.put_tags_v(flex);
            Ok(())
        };
        if version == 0 {
            put_array(out, flex, self.topics.as_deref().unwrap_or(&[]), put_topic)?;
        } else {
            put_nullable_array(out, flex, self.topics.as_deref(), put_topic)?;
        }
        if version >= 4 {
            out.put_bool(self.allow_auto_topic_creation);
        }
        if has_cluster_authorized_operations(version) {
            out.put_bool(self.include_cluster_authorized_operations);
        }
        if version >= 8 {
            out.put_bool(self.include_topic_authorized_operations);
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let topics = r.nullable_array_v(flex, |r| {
            let mut t = MetadataRequestTopic::default();
            if version >= FIRST_TOPIC_ID_VERSION {
                t.topic_id = r.read_uuid()?;
            }
            t.name = read_topic_name(r, flex, version >= FIRST_NULL_REQUEST_NAME_VERSION)?;
            r.tags_v(flex)?;
            Ok(t)
        })?;
        let mut req = MetadataRequest {
            topics: if version == 0 {
                topics.filter(|t| !t.is_empty())
            } else {
                topics
            },
            ..Default::default()
        };
        if version >= 4 {
            req.allow_auto_topic_creation = r.read_bool()?;
        }
        if has_cluster_authorized_operations(version) {
            req.include_cluster_authorized_operations = r.read_bool()?;
        }
        if version >= 8 {
            req.include_topic_authorized_operations = r.read_bool()?;
        }
        r.tags_v(flex)?;
        Ok(req)
    }
}

impl Message for MetadataResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<MetadataRequest>(version)?;
        if version >= 3 {
            out.put_i32(self.throttle_time_ms);
        }
        put_array(out, flex, &self.brokers, |out, b| {
            out.put_i32(b.node_id);
            out.put_string_v(flex, &b.host)?;
            out.put_i32(b.port);
            if version >= 1 {
                out.put_nullable_string_v(flex, b.rack.as_deref())?;
            }
            out.put_tags_v(flex);
            Ok(())
        })?;
        if version >= 2 {
            out.put_nullable_string_v(flex, self.cluster_id.as_deref())?;
        }
        if version >= 1 {
            out.put_i32(self.controller_id);
        }
        put_array(out, flex, &self.topics, |out, t| {
            out.put_i16(t.error_code);
            let nullable = version >= FIRST_NULL_RESPONSE_NAME_VERSION;
            put_topic_name(out, flex, nullable, &t.name)?;
            if version >= FIRST_TOPIC_ID_VERSION {
                out.put_uuid(&t.topic_id);
            }
            if version >= 1 {
                out.put_bool(t.is_internal);
            }
            put_array(out, flex, &t.partitions, |out, p| {
                out.put_i16(p.error_code);
                out.put_i32(p.partition_index);
                out.put_i32(p.leader_id);
                if version >= 7 {
                    out.put_i32(p.leader_epoch);
                }
                put_i32_array(out, flex, &p.replica_nodes)?;
                put_i32_array(out, flex, &p.isr_nodes)?;
                if version >= 5 {
                    put_i32_array(out, flex, &p.offline_replicas)?;
                }
                out.put_tags_v(flex);
                Ok(())
            })?;
            if version >= 8 {
                out.put_i32(t.topic_authorized_operations);
            }
            out.put_tags_v(flex);
            Ok(())
        })?;
        if has_cluster_authorized_operations(version) {
            out.put_i32(self.cluster_authorized_operations);
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<MetadataRequest>(version)?;
        let mut resp = MetadataResponse::default();
        if version >= 3 {
            resp.throttle_time_ms = r.read_i32()?;
        }
        resp.brokers = r.array_v(flex, |r| {
            let b = MetadataBroker {
                node_id: r.read_i32()?,
                host: r.string_v(flex)?,
                port: r.read_i32()?,
                rack: if version >= 1 {
                    r.nullable_string_v(flex)?
                } else {
                    None
                },
            };
            r.tags_v(flex)?;
            Ok(b)
        })?;
        if version >= 2 {
            resp.cluster_id = r.nullable_string_v(flex)?;
        }
        if version >= 1 {
            resp.controller_id = r.read_i32()?;
        }
        resp.topics = r.array_v(flex, |r| {
            let mut t = MetadataTopic {
                error_code: r.read_i16()?,
                name: read_topic_name(r, flex, version >= FIRST_NULL_RESPONSE_NAME_VERSION)?,
                ..Default::default()
            };
            if version >= FIRST_TOPIC_ID_VERSION {
                t.topic_id = r.read_uuid()?;
            }
            if version >= 1 {
                t.is_internal = r.read_bool()?;
            }
            t.partitions = r.array_v(flex, |r| {
                let mut p = MetadataPartition {
                    error_code: r.read_i16()?,
                    partition_index: r.read_i32()?,
                    leader_id: r.read_i32()?,
                    leader_epoch: -1,
                    ..Default::default()
                };
                if version >= 7 {
                    p.leader_epoch = r.read_i32()?;
                }
                p.replica_nodes = r.i32_array_v(flex)?;
                p.isr_nodes = r.i32_array_v(flex)?;
                if version >= 5 {
                    p.offline_replicas = r.i32_array_v(flex)?;
                }
                r.tags_v(flex)?;
                Ok(p)
            })?;
            if version >= 8 {
                t.topic_authorized_operations = r.read_i32()?;
            }
            r.tags_v(flex)?;
            Ok(t)
        })?;
        if has_cluster_authorized_operations(version) {
            resp.cluster_authorized_operations = r.read_i32()?;
        }
        r.tags_v(flex)?;
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    pub(crate) fn sample_response(v: i16) -> MetadataResponse {
        MetadataResponse {
            throttle_time_ms: since(v, 3, 5, 0),
            brokers: vec![MetadataBroker {
                node_id: 1,
                host: "h".into(),
                port: 9092,
                rack: since(v, 1, Some("r1".into()), None),
            }],
            cluster_id: since(v, 2, Some("c".into()), None),
            controller_id: since(v, 1, 1, -1),
            topics: vec![MetadataTopic {
                error_code: 0,
                name: "t".into(),
                topic_id: since(v, 10, [7; 16], [0; 16]),
                is_internal: since(v, 1, true, false),
                partitions: vec![MetadataPartition {
                    error_code: 0,
                    partition_index: 0,
                    leader_id: 1,
                    leader_epoch: since(v, 7, 3, -1),
                    replica_nodes: vec![1, 2],
                    isr_nodes: vec![1],
                    offline_replicas: since(v, 5, vec![2], vec![]),
                }],
                topic_authorized_operations: since(v, 8, 0x0f, AUTHORIZED_OPERATIONS_UNSET),
            }],
            cluster_authorized_operations: if has_cluster_authorized_operations(v) {
                0x1f
            } else {
                AUTHORIZED_OPERATIONS_UNSET
            },
        }
    }

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=12 {
            roundtrip(&sample_response(v), v);
            roundtrip(&MetadataResponse::default(), v);
            let req = MetadataRequest {
                topics: Some(vec![
                    MetadataRequestTopic::named("a"),
                    MetadataRequestTopic {
                        topic_id: since(v, 10, [9; 16], [0; 16]),
                        name: "bb".into(),
                    },
                ]),
                allow_auto_topic_creation: since(v, 4, false, true),
                include_cluster_authorized_operations: has_cluster_authorized_operations(v),
                include_topic_authorized_operations: since(v, 8, true, false),
            };
            roundtrip(&req, v);
            roundtrip(&MetadataRequest::default(), v);
            if v >= 1 {
                let none = MetadataRequest {
                    topics: Some(vec![]),
                    ..Default::default()
                };
                roundtrip(&none, v);
            }
        }
    }

    #[test]
    fn request_fixtures() {
        let all = MetadataRequest::default();
        assert_eq!(&roundtrip(&all, 0)[..], &[0, 0, 0, 0]);
        assert_eq!(&roundtrip(&all, 1)[..], &[0xff, 0xff, 0xff, 0xff]);
        assert_eq!(&roundtrip(&all, 4)[..], &[0xff, 0xff, 0xff, 0xff, 1]);
        let one = MetadataRequest {
            topics: Some(vec![MetadataRequestTopic::named("ab")]),
            ..Default::default()
        };
        // v9: compact array(1), compact string "ab", topic tags, auto-create,
        // two authorized-operations flags, request tags.
        assert_eq!(&roundtrip(&one, 9)[..], &[2, 3, b'a', b'b', 0, 1, 0, 0, 0]);
        // v10: the zero topic id before the name; still both flags.
        let mut v10 = vec![2];
        v10.extend_from_slice(&[0; 16]);
        v10.extend_from_slice(&[3, b'a', b'b', 0, 1, 0, 0, 0]);
        assert_eq!(&roundtrip(&one, 10)[..], &v10[..]);
        // v11+: the cluster flag is gone.
        let mut v11 = v10.clone();
        v11.remove(v11.len() - 3);
        assert_eq!(&roundtrip(&one, 11)[..], &v11[..]);
        assert_eq!(&roundtrip(&one, 12)[..], &v11[..]);
        // By id only: the name is null (compact length 0).
        let by_id = MetadataRequest {
            topics: Some(vec![MetadataRequestTopic {
                topic_id: [5; 16],
                name: String::new(),
            }]),
            ..Default::default()
        };
        let mut expected = vec![2];
        expected.extend_from_slice(&[5; 16]);
        expected.extend_from_slice(&[0, 0, 1, 0, 0]);
        assert_eq!(&roundtrip(&by_id, 12)[..], &expected[..]);
    }

    #[test]
    fn response_v12_unknown_topic_id_has_null_name() {
        let resp = MetadataResponse {
            topics: vec![MetadataTopic {
                error_code: 100,
                topic_id: [5; 16],
                ..Default::default()
            }],
            ..Default::default()
        };
        let bytes = roundtrip(&resp, 12);
        #[rustfmt::skip]
        let mut expected: Vec<u8> = vec![
            0, 0, 0, 0, // throttle
            1,          // no brokers
            0,          // null cluster id
            0xff, 0xff, 0xff, 0xff, // controller -1
            2,          // 1 topic
            0, 100,     // UNKNOWN_TOPIC_ID
            0,          // null name
        ];
        expected.extend_from_slice(&[5; 16]);
        // not internal, no partitions, topic authorized operations, tags,
        // response tags (no cluster authorized operations at v12).
        expected.extend_from_slice(&[0, 1, 0x80, 0, 0, 0, 0, 0]);
        assert_eq!(&bytes[..], &expected[..]);
    }

    #[test]
    fn response_v1_fixture() {
        let bytes = roundtrip(&sample_response(1), 1);
        #[rustfmt::skip]
        let expected: &[u8] = &[
            0, 0, 0, 1,                   // 1 broker
            0, 0, 0, 1, 0, 1, b'h', 0, 0, 0x23, 0x84, // id 1, "h", 9092
            0, 2, b'r', b'1',             // rack
            0, 0, 0, 1,                   // controller id
            0, 0, 0, 1,                   // 1 topic
            0, 0, 0, 1, b't', 1,          // no error, "t", internal
            0, 0, 0, 1,                   // 1 partition
            0, 0, 0, 0, 0, 0, 0, 0, 0, 1, // no error, partition 0, leader 1
            0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, // replicas
            0, 0, 0, 1, 0, 0, 0, 1,       // isr
        ];
        assert_eq!(&bytes[..], expected);
    }

    #[test]
    fn topics_blowup_memory() {
        // v1 response claiming 2^31-1 brokers in a 10-byte buffer.
        let data = [0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0];
        assert!(matches!(
            MetadataResponse::decode(1, &mut Reader::new(&data)),
            Err(DecodeError::InvalidLength(_))
        ));
    }
}
