//! Writes seed inputs for the fuzz targets into `fuzz/seeds/TARGET/`, made
//! with the library's own encoders so that every target starts from valid
//! inputs and mutates its way to the edge cases. The minimized corpora under
//! `fuzz/corpus/` grew from these. Run from the repository root:
//! `cargo run --manifest-path fuzz/Cargo.toml --example make_seeds`.

use std::path::Path;

use bytes::{Bytes, BytesMut};
use ferrokafka::config::{ClientKind, Config};
use ferrokafka::protocol::messages::consumer_protocol::{
    MemberAssignment, MemberMetadata, TopicPartitions,
};
use ferrokafka::protocol::messages::*;
use ferrokafka::protocol::record_batch::RecordBatchWriter;
use ferrokafka::protocol::{encode_request, encode_response, Compression, Request};

const CODECS: [Compression; 5] = [
    Compression::None,
    Compression::Gzip,
    Compression::Snappy,
    Compression::Lz4,
    Compression::Zstd,
];

fn write(target: &str, name: &str, data: &[u8]) {
    let dir = Path::new("fuzz/seeds").join(target);
    std::fs::create_dir_all(&dir).expect("create the seed directory");
    std::fs::write(dir.join(name), data).expect("write a seed");
}

/// A batch of a few records with keys, values and headers.
fn record_batch(codec: Compression, records: usize) -> Bytes {
    let mut w = RecordBatchWriter::new(1_700_000_000_000);
    for i in 0..records {
        let value = format!("value {i} {}", "x".repeat(i % 40));
        let key = format!("key{i}");
        let headers: &[(&[u8], Option<&[u8]>)] = if i % 3 == 0 {
            &[(b"trace", Some(b"abc")), (b"empty", None)]
        } else {
            &[]
        };
        w.append(
            1_700_000_000_000 + i as i64,
            (i % 2 == 0).then_some(key.as_bytes()),
            Some(value.as_bytes()),
            headers,
        );
    }
    w.finish(codec, None, -1, -1, -1, false)
        .expect("encode a batch")
}

/// Every version of `req` as a frame without its size prefix, which is what
/// the mock's dispatcher receives.
fn request_frames<R: Request>(name: &str, req: &R) {
    for version in R::MIN_VERSION..=R::MAX_VERSION {
        let mut out = BytesMut::new();
        encode_request(req, version, 7, Some("seed-client"), &mut out).expect("encode a request");
        write("mock_request", &format!("{name}-v{version}"), &out[4..]);
    }
}

fn mock_request_seeds() {
    let records = record_batch(Compression::None, 3);
    request_frames("api_versions", &ApiVersionsRequest::default());
    request_frames(
        "metadata",
        &MetadataRequest {
            topics: Some(vec!["orders".into(), "audit".into()]),
            ..Default::default()
        },
    );
    request_frames(
        "produce",
        &ProduceRequest {
            transactional_id: None,
            acks: -1,
            timeout_ms: 30_000,
            topics: vec![ProduceTopic {
                name: "orders".into(),
                partitions: vec![ProducePartition {
                    index: 1,
                    records: Some(records),
                }],
            }],
        },
    );
    request_frames(
        "fetch",
        &FetchRequest {
            replica_id: -1,
            replica_epoch: -1,
            max_wait_ms: 0,
            min_bytes: 1,
            max_bytes: 52_428_800,
            isolation_level: 1,
            session_id: 0,
            session_epoch: -1,
            topics: vec![FetchTopic {
                topic: "orders".into(),
                partitions: vec![FetchPartition {
                    partition: 1,
                    fetch_offset: 42,
                    ..Default::default()
                }],
                ..Default::default()
            }],
            forgotten_topics: vec![ForgottenTopic {
                topic: "audit".into(),
                partitions: vec![0, 2],
                ..Default::default()
            }],
            rack_id: "rack-a".into(),
        },
    );
    request_frames(
        "list_offsets",
        &ListOffsetsRequest {
            topics: vec![ListOffsetsTopic {
                name: "orders".into(),
                partitions: vec![ListOffsetsPartition::default()],
            }],
            ..Default::default()
        },
    );
    request_frames(
        "find_coordinator",
        &FindCoordinatorRequest {
            key: "group-1".into(),
            ..Default::default()
        },
    );
    let subscription = member_metadata();
    request_frames(
        "join_group",
        &JoinGroupRequest {
            group_id: "group-1".into(),
            member_id: "member-1".into(),
            protocols: vec![JoinGroupProtocol {
                name: "range".into(),
                metadata: subscription,
            }],
            ..Default::default()
        },
    );
    request_frames(
        "sync_group",
        &SyncGroupRequest {
            group_id: "group-1".into(),
            generation_id: 3,
            member_id: "member-1".into(),
            assignments: vec![SyncGroupAssignment {
                member_id: "member-1".into(),
                assignment: member_assignment(),
            }],
            ..Default::default()
        },
    );
    request_frames(
        "heartbeat",
        &HeartbeatRequest {
            group_id: "group-1".into(),
            generation_id: 3,
            member_id: "member-1".into(),
            ..Default::default()
        },
    );
    request_frames(
        "leave_group",
        &LeaveGroupRequest {
            group_id: "group-1".into(),
            member_id: "member-1".into(),
            ..Default::default()
        },
    );
    request_frames(
        "offset_commit",
        &OffsetCommitRequest {
            group_id: "group-1".into(),
            generation_id: 3,
            member_id: "member-1".into(),
            topics: vec![OffsetCommitTopic {
                name: "orders".into(),
                partitions: vec![OffsetCommitPartition {
                    committed_offset: 43,
                    committed_metadata: Some("meta".into()),
                    ..Default::default()
                }],
            }],
            ..Default::default()
        },
    );
    request_frames(
        "offset_fetch",
        &OffsetFetchRequest {
            group_id: "group-1".into(),
            ..Default::default()
        },
    );
    request_frames("init_producer_id", &InitProducerIdRequest::default());
    request_frames(
        "create_topics",
        &CreateTopicsRequest {
            topics: vec![CreatableTopic {
                name: "orders".into(),
                num_partitions: 3,
                replication_factor: 1,
                ..Default::default()
            }],
            timeout_ms: 5_000,
            ..Default::default()
        },
    );
    request_frames(
        "delete_topics",
        &DeleteTopicsRequest {
            topic_names: vec!["orders".into()],
            timeout_ms: 5_000,
        },
    );
}

fn record_batch_seeds() {
    for codec in CODECS {
        for records in [1, 5, 40] {
            let batch = record_batch(codec, records);
            write(
                "record_batch",
                &format!("batch-{}-{records}", codec.name()),
                &batch,
            );
            // The same records' section through the raw decompressor input
            // (codec byte, then compressed bytes).
            let plain = record_batch(Compression::None, records);
            let mut raw = vec![codec.code() as u8];
            raw.extend(codec.compress(&plain[61..], None).expect("compress"));
            write(
                "record_batch",
                &format!("raw-{}-{records}", codec.name()),
                &raw,
            );
        }
    }
    // Two batches back to back, as a fetch response carries them.
    let mut set = record_batch(Compression::Zstd, 5).to_vec();
    set.extend_from_slice(&record_batch(Compression::Lz4, 5));
    write("record_batch", "two-batches", &set);
}

fn member_metadata() -> Bytes {
    let mut out = BytesMut::new();
    MemberMetadata {
        version: 3,
        topics: vec!["orders".into(), "audit".into()],
        user_data: Some(Bytes::from_static(b"sticky userdata")),
        owned_partitions: vec![TopicPartitions {
            topic: "orders".into(),
            partitions: vec![0, 1],
        }],
        generation_id: 3,
        rack_id: Some("rack-a".into()),
    }
    .encode(&mut out)
    .expect("encode member metadata");
    out.freeze()
}

fn member_assignment() -> Bytes {
    let mut out = BytesMut::new();
    MemberAssignment {
        version: 1,
        assigned_partitions: vec![TopicPartitions {
            topic: "orders".into(),
            partitions: vec![0, 1, 2],
        }],
        user_data: Some(Bytes::from_static(b"assignor userdata")),
    }
    .encode(&mut out)
    .expect("encode member assignment");
    out.freeze()
}

fn consumer_protocol_seeds() {
    for version in 0..=3 {
        let mut out = BytesMut::new();
        MemberMetadata {
            version,
            topics: vec!["orders".into()],
            user_data: (version > 0).then(|| Bytes::from_static(b"userdata")),
            ..Default::default()
        }
        .encode(&mut out)
        .expect("encode member metadata");
        write("consumer_protocol", &format!("metadata-v{version}"), &out);
    }
    write("consumer_protocol", "metadata-full", &member_metadata());
    write("consumer_protocol", "assignment-full", &member_assignment());
}

fn config_seeds() {
    // Every property with its default, as rd_kafka_conf_dump() shows them,
    // for a producer and for a consumer.
    for kind in [ClientKind::Producer, ClientKind::Consumer] {
        let mut conf = Config::new();
        conf.finalize(kind).expect("defaults are valid");
        let lines: Vec<String> = conf
            .dump()
            .into_iter()
            .chain(conf.default_topic().dump())
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        write(
            "config",
            &format!("defaults-{kind:?}"),
            lines.join("\n").as_bytes(),
        );
    }
    let typical = [
        "bootstrap.servers=127.0.0.1:9092,localhost:9093",
        "acks=all\nenable.idempotence=true\nlinger.ms=5\ncompression.codec=zstd",
        "group.id=g\nauto.offset.reset=earliest\nenable.auto.commit=false",
        "debug=broker,metadata,cgrp\nstatistics.interval.ms=1000",
        "topic.metadata.refresh.interval.ms=-1\nmessage.timeout.ms=300000\nlinger.ms=0.5",
        "partition.assignment.strategy=cooperative-sticky\nsession.timeout.ms=6000",
        "topic.blacklist=^secret.*,other\nbuiltin.features=gzip,snappy",
    ];
    for (i, text) in typical.iter().enumerate() {
        write("config", &format!("typical-{i}"), text.as_bytes());
    }
}

/// A response frame as the client's SASL exchange receives it: the size
/// prefix off, then the two-byte length the `sasl` target splits frames by.
fn sasl_frame<R: Request>(body: &R::Response, version: i16, out: &mut Vec<u8>) {
    let mut frame = BytesMut::new();
    encode_response::<R>(body, version, 1, &mut frame).expect("encode a response");
    let frame = &frame[4..];
    out.extend_from_slice(&(frame.len() as u16).to_be_bytes());
    out.extend_from_slice(frame);
}

/// The `sasl` target's inputs: side byte (0 client exchange, 1 SCRAM
/// client, 2 mock side), mechanism/version byte, then that side's messages.
fn sasl_seeds() {
    use ferrokafka::sasl::scram::{Hash, ScramClient, ScramServerExchange, StoredCredential};
    use ferrokafka::sasl::{oauthbearer, plain_message, Mechanism};
    let salt = "c2FsdA==";
    for (index, mechanism) in Mechanism::all().into_iter().enumerate() {
        for (handshake_v, authenticate_v) in [(0i16, 0i16), (1, 1), (1, 2)] {
            let choice = index as u8 + 4 * (handshake_v as u8 | (authenticate_v as u8) << 1);
            let mut input = vec![0, choice];
            let ok = SaslHandshakeResponse {
                error_code: 0,
                mechanisms: vec![mechanism.name().to_string()],
            };
            sasl_frame::<SaslHandshakeRequest>(&ok, handshake_v, &mut input);
            let first = SaslAuthenticateResponse {
                auth_bytes: Bytes::from(format!("r=nonceextended,s={salt},i=4096")),
                session_lifetime_ms: 60_000,
                ..Default::default()
            };
            sasl_frame::<SaslAuthenticateRequest>(&first, authenticate_v, &mut input);
            let refused = SaslAuthenticateResponse {
                error_code: 58,
                error_message: Some("Authentication failed".to_string()),
                ..Default::default()
            };
            sasl_frame::<SaslAuthenticateRequest>(&refused, authenticate_v, &mut input);
            write(
                "sasl",
                &format!(
                    "client-{}-v{handshake_v}-v{authenticate_v}",
                    mechanism.name()
                ),
                &input,
            );
        }
        let refused = SaslHandshakeResponse {
            error_code: 33,
            mechanisms: vec!["PLAIN".to_string(), "SCRAM-SHA-512".to_string()],
        };
        let mut input = vec![0, index as u8 + 4];
        sasl_frame::<SaslHandshakeRequest>(&refused, 1, &mut input);
        write(
            "sasl",
            &format!("client-{}-refused", mechanism.name()),
            &input,
        );
    }

    // The SCRAM client side: a server that knows the password, so the
    // seed reaches the signature check and passes it.
    for (index, hash) in [(1u8, Hash::Sha256), (2, Hash::Sha512)] {
        let mut client = ScramClient::new(hash, "alice", "secret", "fuzzclientnonce".to_string());
        let stored = StoredCredential::derive(hash, "secret", b"salt".to_vec(), 4096);
        let (server, server_first) =
            ScramServerExchange::start(hash, client.client_first().as_bytes(), |_| {
                Some(stored.clone())
            })
            .expect("a valid client-first");
        let client_final = client
            .client_final(server_first.as_bytes())
            .expect("a valid server-first");
        let server_final = server
            .finish(client_final.as_bytes())
            .expect("a valid client-final");
        let input = [
            &[1, index][..],
            server_first.as_bytes(),
            b"\n",
            server_final.as_bytes(),
        ]
        .concat();
        write("sasl", &format!("scram-client-{index}"), &input);
        write(
            "sasl",
            &format!("scram-client-error-{index}"),
            &[&[1, index][..], b"e=unknown-user"].concat(),
        );
    }

    // The mock's side.
    write(
        "sasl",
        "mock-plain",
        &[&[2, 0][..], &plain_message("alice", "secret")].concat(),
    );
    for index in [1u8, 2] {
        let input = [
            &[2, index][..],
            b"n,,n=alice,r=clientnonce\nc=biws,r=@N,p=",
            b"dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        ]
        .concat();
        write("sasl", &format!("mock-scram-{index}"), &input);
    }
    let token = oauthbearer::unsecured_jwt("principal=alice scope=a,b extension_traceId=t1")
        .expect("a valid unsecured JWT configuration");
    write(
        "sasl",
        "mock-oauthbearer",
        &[&[2, 3][..], &oauthbearer::client_message(&token)].concat(),
    );
}

fn main() {
    mock_request_seeds();
    record_batch_seeds();
    consumer_protocol_seeds();
    config_seeds();
    sasl_seeds();
}
