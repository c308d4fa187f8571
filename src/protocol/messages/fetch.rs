//! Fetch (key 1), versions 4-16. Record sets are returned as raw bytes
//! (zero-copy when the frame is decoded from `Bytes`); split them with
//! `record_batch::decode_batches`.
//!
//! v13 names topics by id instead of name (KIP-516), in the request and
//! the response; v14 only allows a new error; v15 moves the replica id into
//! the tagged `ReplicaState` (KIP-903); v16 adds the tagged `NodeEndpoints`
//! of new leaders to the response (KIP-951).

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRequest {
    /// -1 for consumers. v15+ it travels in the tagged `ReplicaState`, sent
    /// only when not -1.
    pub replica_id: i32,
    /// v15+ (in `ReplicaState`), -1 when absent.
    pub replica_epoch: i64,
    pub max_wait_ms: i32,
    pub min_bytes: i32,
    pub max_bytes: i32,
    /// 0 = read uncommitted, 1 = read committed.
    pub isolation_level: i8,
    /// v7+ (fetch sessions, KIP-227); 0 = no session.
    pub session_id: i32,
    /// v7+; -1 = full fetch without a session.
    pub session_epoch: i32,
    pub topics: Vec<FetchTopic>,
    /// v7+.
    pub forgotten_topics: Vec<ForgottenTopic>,
    /// v11+.
    pub rack_id: String,
}

impl Default for FetchRequest {
    fn default() -> Self {
        FetchRequest {
            replica_id: -1,
            replica_epoch: -1,
            max_wait_ms: 500,
            min_bytes: 1,
            max_bytes: 52_428_800,
            isolation_level: 0,
            session_id: 0,
            session_epoch: -1,
            topics: Vec::new(),
            forgotten_topics: Vec::new(),
            rack_id: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchTopic {
    /// v4-12; empty when decoded from v13+.
    pub topic: String,
    /// v13+; all zeros when decoded from v12 or older.
    pub topic_id: Uuid,
    pub partitions: Vec<FetchPartition>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPartition {
    pub partition: i32,
    /// v9+, -1 when absent.
    pub current_leader_epoch: i32,
    pub fetch_offset: i64,
    /// v12+, -1 when absent.
    pub last_fetched_epoch: i32,
    /// v5+ (only meaningful for followers), -1 when absent.
    pub log_start_offset: i64,
    pub partition_max_bytes: i32,
}

impl Default for FetchPartition {
    fn default() -> Self {
        FetchPartition {
            partition: 0,
            current_leader_epoch: -1,
            fetch_offset: 0,
            last_fetched_epoch: -1,
            log_start_offset: -1,
            partition_max_bytes: 1_048_576,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ForgottenTopic {
    /// v7-12.
    pub topic: String,
    /// v13+.
    pub topic_id: Uuid,
    pub partitions: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchResponse {
    pub throttle_time_ms: i32,
    /// v7+.
    pub error_code: i16,
    /// v7+.
    pub session_id: i32,
    pub topics: Vec<FetchTopicResponse>,
    /// v16+ (tagged): where the new leaders named in partitions' errors
    /// are (KIP-951).
    pub node_endpoints: Vec<NodeEndpoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchTopicResponse {
    /// v4-12; empty when decoded from v13+.
    pub topic: String,
    /// v13+; all zeros when decoded from v12 or older.
    pub topic_id: Uuid,
    pub partitions: Vec<FetchPartitionResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeEndpoint {
    pub node_id: i32,
    pub host: String,
    pub port: i32,
    pub rack: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPartitionResponse {
    pub partition_index: i32,
    pub error_code: i16,
    pub high_watermark: i64,
    pub last_stable_offset: i64,
    /// v5+, -1 when absent.
    pub log_start_offset: i64,
    pub aborted_transactions: Option<Vec<AbortedTransaction>>,
    /// v11+, -1 when absent.
    pub preferred_read_replica: i32,
    pub records: Option<Bytes>,
}

impl Default for FetchPartitionResponse {
    fn default() -> Self {
        FetchPartitionResponse {
            partition_index: 0,
            error_code: 0,
            high_watermark: -1,
            last_stable_offset: -1,
            log_start_offset: -1,
            aborted_transactions: None,
            preferred_read_replica: -1,
            records: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AbortedTransaction {
    pub producer_id: i64,
    pub first_offset: i64,
}

request!(FetchRequest => FetchResponse, Fetch, 4..=16);

/// First version naming topics by id.
pub(crate) const FIRST_TOPIC_ID_VERSION: i16 = 13;
/// First version carrying the replica id in the tagged `ReplicaState`.
const FIRST_REPLICA_STATE_VERSION: i16 = 15;
/// First version with the response's tagged `NodeEndpoints`.
const FIRST_NODE_ENDPOINTS_VERSION: i16 = 16;
/// Top-level request tag of `ReplicaState`.
const TAG_REPLICA_STATE: u32 = 1;
/// Top-level response tag of `NodeEndpoints`.
const TAG_NODE_ENDPOINTS: u32 = 0;

fn put_topic_ref(
    out: &mut BytesMut,
    flex: bool,
    version: i16,
    name: &str,
    id: &Uuid,
) -> Result<(), EncodeError> {
    if version >= FIRST_TOPIC_ID_VERSION {
        out.put_uuid(id);
        Ok(())
    } else {
        out.put_string_v(flex, name)
    }
}

/// A topic's name (v4-12) or id (v13+), the other left empty.
fn read_topic_ref(
    r: &mut Reader<'_>,
    flex: bool,
    version: i16,
) -> Result<(String, Uuid), DecodeError> {
    if version >= FIRST_TOPIC_ID_VERSION {
        Ok((String::new(), r.read_uuid()?))
    } else {
        Ok((r.string_v(flex)?, Uuid::default()))
    }
}

impl Message for FetchRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        if version < FIRST_REPLICA_STATE_VERSION {
            out.put_i32(self.replica_id);
        }
        out.put_i32(self.max_wait_ms);
        out.put_i32(self.min_bytes);
        out.put_i32(self.max_bytes);
        out.put_i8(self.isolation_level);
        if version >= 7 {
            out.put_i32(self.session_id);
            out.put_i32(self.session_epoch);
        }
        put_array(out, flex, &self.topics, |out, t| {
            put_topic_ref(out, flex, version, &t.topic, &t.topic_id)?;
            put_array(out, flex, &t.partitions, |out, p| {
                out.put_i32(p.partition);
                if version >= 9 {
                    out.put_i32(p.current_leader_epoch);
                }
                out.put_i64(p.fetch_offset);
                if version >= 12 {
                    out.put_i32(p.last_fetched_epoch);
                }
                if version >= 5 {
                    out.put_i64(p.log_start_offset);
                }
                out.put_i32(p.partition_max_bytes);
                out.put_tags_v(flex);
                Ok(())
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        if version >= 7 {
            put_array(out, flex, &self.forgotten_topics, |out, t| {
                put_topic_ref(out, flex, version, &t.topic, &t.topic_id)?;
                put_i32_array(out, flex, &t.partitions)?;
                out.put_tags_v(flex);
                Ok(())
            })?;
        }
        if version >= 11 {
            out.put_string_v(flex, &self.rack_id)?;
        }
        if version >= FIRST_REPLICA_STATE_VERSION && self.replica_id != -1 {
            let mut state = BytesMut::with_capacity(13);
            state.put_i32(self.replica_id);
            state.put_i64(self.replica_epoch);
            state.put_tags_v(flex);
            put_tagged_fields(out, &[(TAG_REPLICA_STATE, state)]);
        } else {
            out.put_tags_v(flex);
        }
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        // v15+ the replica id comes in the tagged fields at the end.
        let replica_id = if version < FIRST_REPLICA_STATE_VERSION {
            r.read_i32()?
        } else {
            -1
        };
        let mut req = FetchRequest {
            replica_id,
            max_wait_ms: r.read_i32()?,
            min_bytes: r.read_i32()?,
            max_bytes: r.read_i32()?,
            isolation_level: r.read_i8()?,
            ..Default::default()
        };
        if version >= 7 {
            req.session_id = r.read_i32()?;
            req.session_epoch = r.read_i32()?;
        }
        req.topics = r.array_v(flex, |r| {
            let (topic, topic_id) = read_topic_ref(r, flex, version)?;
            let partitions = r.array_v(flex, |r| {
                let mut p = FetchPartition {
                    partition: r.read_i32()?,
                    ..Default::default()
                };
                if version >= 9 {
                    p.current_leader_epoch = r.read_i32()?;
                }
                p.fetch_offset = r.read_i64()?;
                if version >= 12 {
                    p.last_fetched_epoch = r.read_i32()?;
                }
                if version >= 5 {
                    p.log_start_offset = r.read_i64()?;
                }
                p.partition_max_bytes = r.read_i32()?;
                r.tags_v(flex)?;
                Ok(p)
            })?;
            r.tags_v(flex)?;
            Ok(FetchTopic {
                topic,
                topic_id,
                partitions,
            })
        })?;
        if version >= 7 {
            req.forgotten_topics = r.array_v(flex, |r| {
                let (topic, topic_id) = read_topic_ref(r, flex, version)?;
                let t = ForgottenTopic {
                    topic,
                    topic_id,
                    partitions: r.i32_array_v(flex)?,
                };
                r.tags_v(flex)?;
                Ok(t)
            })?;
        }
        if version >= 11 {
            req.rack_id = r.string_v(flex)?;
        }
        if flex {
            r.tagged_fields(|tag, field| {
                if version >= FIRST_REPLICA_STATE_VERSION && tag == TAG_REPLICA_STATE {
                    req.replica_id = field.read_i32()?;
                    req.replica_epoch = field.read_i64()?;
                }
                Ok(())
            })?;
        }
        Ok(req)
    }
}

impl Message for FetchResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<FetchRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        if version >= 7 {
            out.put_i16(self.error_code);
            out.put_i32(self.session_id);
        }
        put_array(out, flex, &self.topics, |out, t| {
            put_topic_ref(out, flex, version, &t.topic, &t.topic_id)?;
            put_array(out, flex, &t.partitions, |out, p| {
                out.put_i32(p.partition_index);
                out.put_i16(p.error_code);
                out.put_i64(p.high_watermark);
                out.put_i64(p.last_stable_offset);
                if version >= 5 {
                    out.put_i64(p.log_start_offset);
                }
                put_nullable_array(out, flex, p.aborted_transactions.as_deref(), |out, a| {
                    out.put_i64(a.producer_id);
                    out.put_i64(a.first_offset);
                    out.put_tags_v(flex);
                    Ok(())
                })?;
                if version >= 11 {
                    out.put_i32(p.preferred_read_replica);
                }
                out.put_nullable_bytes_v(flex, p.records.as_deref())?;
                out.put_tags_v(flex);
                Ok(())
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        if version >= FIRST_NODE_ENDPOINTS_VERSION && !self.node_endpoints.is_empty() {
            let mut endpoints = BytesMut::new();
            put_array(&mut endpoints, flex, &self.node_endpoints, |out, n| {
                out.put_i32(n.node_id);
                out.put_string_v(flex, &n.host)?;
                out.put_i32(n.port);
                out.put_nullable_string_v(flex, n.rack.as_deref())?;
                out.put_tags_v(flex);
                Ok(())
            })?;
            put_tagged_fields(out, &[(TAG_NODE_ENDPOINTS, endpoints)]);
        } else {
            out.put_tags_v(flex);
        }
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<FetchRequest>(version)?;
        let mut resp = FetchResponse {
            throttle_time_ms: r.read_i32()?,
            ..Default::default()
        };
        if version >= 7 {
            resp.error_code = r.read_i16()?;
            resp.session_id = r.read_i32()?;
        }
        resp.topics = r.array_v(flex, |r| {
            let (topic, topic_id) = read_topic_ref(r, flex, version)?;
            let partitions = r.array_v(flex, |r| {
                let mut p = FetchPartitionResponse {
                    partition_index: r.read_i32()?,
                    error_code: r.read_i16()?,
                    high_watermark: r.read_i64()?,
                    last_stable_offset: r.read_i64()?,
                    ..Default::default()
                };
                if version >= 5 {
                    p.log_start_offset = r.read_i64()?;
                }
                p.aborted_transactions = r.nullable_array_v(flex, |r| {
                    let a = AbortedTransaction {
                        producer_id: r.read_i64()?,
                        first_offset: r.read_i64()?,
                    };
                    r.tags_v(flex)?;
                    Ok(a)
                })?;
                if version >= 11 {
                    p.preferred_read_replica = r.read_i32()?;
                }
                p.records = r.nullable_bytes_v(flex)?;
                // v12 tagged fields (diverging epoch, current leader,
                // snapshot id) only matter to followers.
                r.tags_v(flex)?;
                Ok(p)
            })?;
            r.tags_v(flex)?;
            Ok(FetchTopicResponse {
                topic,
                topic_id,
                partitions,
            })
        })?;
        if flex {
            r.tagged_fields(|tag, field| {
                if version >= FIRST_NODE_ENDPOINTS_VERSION && tag == TAG_NODE_ENDPOINTS {
                    resp.node_endpoints = field.array_v(flex, |r| {
                        let n = NodeEndpoint {
                            node_id: r.read_i32()?,
                            host: r.string_v(flex)?,
                            port: r.read_i32()?,
                            rack: r.nullable_string_v(flex)?,
                        };
                        r.tags_v(flex)?;
                        Ok(n)
                    })?;
                }
                Ok(())
            })?;
        }
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    fn sample_request(v: i16) -> FetchRequest {
        FetchRequest {
            replica_id: -1,
            replica_epoch: -1,
            max_wait_ms: 100,
            min_bytes: 1,
            max_bytes: 1000,
            isolation_level: 1,
            session_id: since(v, 7, 3, 0),
            session_epoch: since(v, 7, 2, -1),
            topics: vec![FetchTopic {
                topic: since(v, FIRST_TOPIC_ID_VERSION, String::new(), "t".into()),
                topic_id: since(v, FIRST_TOPIC_ID_VERSION, [3; 16], [0; 16]),
                partitions: vec![FetchPartition {
                    partition: 4,
                    current_leader_epoch: since(v, 9, 6, -1),
                    fetch_offset: 77,
                    last_fetched_epoch: since(v, 12, 5, -1),
                    log_start_offset: since(v, 5, 0, -1),
                    partition_max_bytes: 500,
                }],
            }],
            forgotten_topics: since(
                v,
                7,
                vec![ForgottenTopic {
                    topic: since(v, FIRST_TOPIC_ID_VERSION, String::new(), "old".into()),
                    topic_id: since(v, FIRST_TOPIC_ID_VERSION, [4; 16], [0; 16]),
                    partitions: vec![1, 2],
                }],
                vec![],
            ),
            rack_id: since(v, 11, "rack".into(), String::new()),
        }
    }

    fn sample_response(v: i16) -> FetchResponse {
        FetchResponse {
            throttle_time_ms: 1,
            error_code: since(v, 7, 0, 0),
            session_id: since(v, 7, 9, 0),
            topics: vec![FetchTopicResponse {
                topic: since(v, FIRST_TOPIC_ID_VERSION, String::new(), "t".into()),
                topic_id: since(v, FIRST_TOPIC_ID_VERSION, [3; 16], [0; 16]),
                partitions: vec![
                    FetchPartitionResponse {
                        partition_index: 4,
                        error_code: 0,
                        high_watermark: 100,
                        last_stable_offset: 90,
                        log_start_offset: since(v, 5, 10, -1),
                        aborted_transactions: Some(vec![AbortedTransaction {
                            producer_id: 5,
                            first_offset: 80,
                        }]),
                        preferred_read_replica: since(v, 11, 2, -1),
                        records: Some(Bytes::from_static(b"batches")),
                    },
                    FetchPartitionResponse {
                        partition_index: 5,
                        error_code: 1,
                        ..Default::default()
                    },
                ],
            }],
            node_endpoints: since(
                v,
                FIRST_NODE_ENDPOINTS_VERSION,
                vec![NodeEndpoint {
                    node_id: 2,
                    host: "h2".into(),
                    port: 9093,
                    rack: Some("r".into()),
                }],
                vec![],
            ),
        }
    }

    #[test]
    fn roundtrip_all_versions() {
        for v in 4..=16 {
            roundtrip(&sample_request(v), v);
            roundtrip(&sample_response(v), v);
            // A follower's replica id: plain before v15, tagged after.
            let follower = FetchRequest {
                replica_id: 3,
                replica_epoch: since(v, FIRST_REPLICA_STATE_VERSION, 8, -1),
                ..sample_request(v)
            };
            roundtrip(&follower, v);
        }
    }

    /// Fixtures written from the Kafka schema: the topic id replaces the
    /// name at v13, the replica id leaves the fixed fields at v15 (a
    /// consumer sends no `ReplicaState` tag), and v16's `NodeEndpoints` is
    /// top-level tag 0.
    #[test]
    fn topic_id_versions_fixtures() {
        let request = FetchRequest {
            max_wait_ms: 5,
            min_bytes: 1,
            max_bytes: 100,
            topics: vec![FetchTopic {
                topic_id: [1; 16],
                partitions: vec![FetchPartition {
                    partition: 0,
                    fetch_offset: 7,
                    partition_max_bytes: 50,
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        #[rustfmt::skip]
        let fixed: &[u8] = &[
            0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 100, // max wait, min bytes, max bytes
            0,                                    // read uncommitted
            0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,   // no session, epoch -1
            2,                                    // 1 topic
        ];
        #[rustfmt::skip]
        let partition: &[u8] = &[
            2,                                    // 1 partition
            0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,   // partition 0, no leader epoch
            0, 0, 0, 0, 0, 0, 0, 7,               // fetch offset
            0xff, 0xff, 0xff, 0xff,               // last fetched epoch
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // log start offset
            0, 0, 0, 50, 0,                       // max bytes, partition tags
            0,                                    // topic tags
            1,                                    // no forgotten topics
            1,                                    // empty rack id
            0,                                    // request tags
        ];
        let mut v15 = fixed.to_vec();
        v15.extend_from_slice(&[1; 16]);
        v15.extend_from_slice(partition);
        assert_eq!(&roundtrip(&request, 15)[..], &v15[..]);
        assert_eq!(&roundtrip(&request, 16)[..], &v15[..]);
        let mut v13 = vec![0xff, 0xff, 0xff, 0xff]; // replica id -1
        v13.extend_from_slice(&v15);
        assert_eq!(&roundtrip(&request, 13)[..], &v13[..]);

        let response = FetchResponse {
            topics: vec![FetchTopicResponse {
                topic_id: [1; 16],
                partitions: vec![FetchPartitionResponse {
                    error_code: 100,
                    ..Default::default()
                }],
                ..Default::default()
            }],
            node_endpoints: vec![NodeEndpoint {
                node_id: 1,
                host: "h".into(),
                port: 2,
                rack: None,
            }],
            ..Default::default()
        };
        #[rustfmt::skip]
        let mut expected: Vec<u8> = vec![
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // throttle, error, session
            2,                            // 1 topic
        ];
        expected.extend_from_slice(&[1; 16]);
        #[rustfmt::skip]
        expected.extend_from_slice(&[
            2, 0, 0, 0, 0, 0, 100,        // 1 partition: 0, UNKNOWN_TOPIC_ID
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // high watermark
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // last stable
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // log start
            0,                            // null aborted transactions
            0xff, 0xff, 0xff, 0xff,       // no preferred read replica
            0, 0,                         // null records, partition tags
            0,                            // topic tags
            1, 0, 13,                     // 1 tag: NodeEndpoints, 13 bytes
            2, 0, 0, 0, 1, 2, b'h', 0, 0, 0, 2, 0, 0, // node 1 "h":2, null rack
        ]);
        assert_eq!(&roundtrip(&response, 16)[..], &expected[..]);
        // Before v16 the endpoints are not sent.
        let v15 = FetchResponse {
            node_endpoints: Vec::new(),
            ..response
        };
        expected.truncate(expected.len() - 16);
        expected.push(0);
        assert_eq!(&roundtrip(&v15, 15)[..], &expected[..]);
    }

    #[test]
    fn response_v4_fixture() {
        let resp = FetchResponse {
            throttle_time_ms: 0,
            topics: vec![FetchTopicResponse {
                topic: "t".into(),
                topic_id: [0; 16],
                partitions: vec![FetchPartitionResponse {
                    partition_index: 0,
                    high_watermark: 3,
                    last_stable_offset: 3,
                    records: Some(Bytes::from_static(b"R")),
                    ..Default::default()
                }],
            }],
            ..Default::default()
        };
        #[rustfmt::skip]
        let expected: &[u8] = &[
            0, 0, 0, 0,                   // throttle
            0, 0, 0, 1, 0, 1, b't',
            0, 0, 0, 1,
            0, 0, 0, 0, 0, 0,             // partition 0, no error
            0, 0, 0, 0, 0, 0, 0, 3,       // high watermark
            0, 0, 0, 0, 0, 0, 0, 3,       // last stable offset
            0xff, 0xff, 0xff, 0xff,       // null aborted transactions
            0, 0, 0, 1, b'R',             // records
        ];
        assert_eq!(&roundtrip(&resp, 4)[..], expected);
    }

    #[test]
    fn aborted_transactions_blowup_memory() {
        // v4 partition claiming 2^31-1 aborted transactions.
        #[rustfmt::skip]
        let data: &[u8] = &[
            0, 0, 0, 0, 0, 0, 0, 1, 0, 1, b't', 0, 0, 0, 1,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 3,
            0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0,
        ];
        assert!(matches!(
            FetchResponse::decode(4, &mut Reader::new(data)),
            Err(DecodeError::InvalidLength(_))
        ));
    }
}
