//! Micro-benchmarks of the hot paths (issue 6): RecordBatch v2 encode and
//! decode, CRC-32C, each compression codec, the partitioners, the produce
//! call, and message delivery through the consumer queue.
//!
//! `cargo bench --bench hot_paths [-- FILTER]`; see BENCHMARKS.md for what
//! each one measures and for results. The clients are driven through the
//! exported C functions, so those figures are what C applications pay.

mod harness;

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::hint::black_box;
use std::ptr;

use bytes::Bytes;
use ferrokafka::client::consumer::Origin;
use ferrokafka::client::fetched::{FetchedRecord, FetchedRun};
use ferrokafka::client::message::TimestampType;
use ferrokafka::client::topic_partition::TopicPartition;
use ferrokafka::error::ErrorCode;
use ferrokafka::ffi::conf::{rd_kafka_conf_new, rd_kafka_conf_set};
use ferrokafka::ffi::consumer::{rd_kafka_consumer_close, rd_kafka_consumer_poll};
use ferrokafka::ffi::kafka::{handle, rd_kafka_destroy, rd_kafka_new, rd_kafka_purge};
use ferrokafka::ffi::message::rd_kafka_message_destroy;
use ferrokafka::ffi::produce::{rd_kafka_produce, rd_kafka_produceva};
use ferrokafka::ffi::topic::{rd_kafka_topic_destroy, rd_kafka_topic_new};
use ferrokafka::ffi::types::*;
use ferrokafka::partitioner::Partitioner;
use ferrokafka::protocol::compression::Compression;
use ferrokafka::protocol::record_batch::{
    decode_batches, Record, RecordBatchWriter, RECORD_BATCH_HEADER_LEN,
};
use harness::{Harness, Work};

/// Messages per batch in the batch, codec and consumer benchmarks.
const BATCH_MESSAGES: usize = 1000;
const KEY_LEN: usize = 16;
const VALUE_LEN: usize = 100;
const PARTITIONS: i32 = 12;
const BASE_TIMESTAMP_MS: i64 = 1_700_000_000_000;
const TOPIC: &str = "bench";
/// A port nothing listens on: the clients never reach a broker, so only
/// the application-side work is measured.
const NOWHERE: &str = "127.0.0.1:1";

fn main() {
    let mut harness = Harness::from_args();
    let messages = sample_messages(BATCH_MESSAGES);
    record_batch(&mut harness, &messages);
    crc(&mut harness);
    codecs(&mut harness, &messages);
    partitioners(&mut harness);
    produce(&mut harness, &messages[0]);
    consumer_delivery(&mut harness, &messages);
    harness.finish();
}

struct Message {
    key: Vec<u8>,
    value: Vec<u8>,
}

/// xorshift64: deterministic inputs without a dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Messages shaped like application events: 16-byte keys from 1000 users
/// and 100-byte JSON values whose field names and event types repeat while
/// ids, amounts and session tokens vary, so the codecs see realistic rather
/// than degenerate redundancy.
fn sample_messages(count: usize) -> Vec<Message> {
    const EVENTS: [&str; 4] = ["page_view", "add_to_cart", "checkout", "search"];
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    (0..count)
        .map(|i| {
            let user = rng.next() % 1000;
            let key = format!("user-{user:011}").into_bytes();
            let event = EVENTS[(rng.next() % 4) as usize];
            let mut value = format!(
                r#"{{"id":{i},"user":{user},"event":"{event}","amount":{},"session":"{:08x}","ts":{}}}"#,
                rng.next() % 100_000,
                rng.next() as u32,
                BASE_TIMESTAMP_MS + i as i64,
            )
            .into_bytes();
            value.resize(VALUE_LEN, b' ');
            debug_assert_eq!(key.len(), KEY_LEN);
            Message { key, value }
        })
        .collect()
}

/// An uncompressed batch, built as the producer builds one (client/broker/sink.rs).
fn encode_batch(messages: &[Message]) -> Bytes {
    let mut writer = RecordBatchWriter::new(BASE_TIMESTAMP_MS);
    for (i, m) in messages.iter().enumerate() {
        writer.append(
            BASE_TIMESTAMP_MS + i as i64,
            Some(&m.key),
            Some(&m.value),
            &[],
        );
    }
    writer
        .finish(Compression::None, None, -1, -1, -1, false)
        .expect("encode batch")
}

/// Decodes a batch as the fetcher does with the default `check.crcs=false`.
fn decode_batch(batch: &Bytes) -> Vec<Record> {
    let batches = decode_batches(batch).expect("split batches");
    batches[0].records().expect("decode records")
}

fn record_batch(harness: &mut Harness, messages: &[Message]) {
    let batch = encode_batch(messages);
    let work = Work::items(messages.len() as u64, "rec").and_bytes(batch.len() as u64);
    harness.bench("record_batch/encode", work, || encode_batch(messages));
    harness.bench("record_batch/decode", work, || decode_batch(&batch));
}

/// CRC-32C as RecordBatch headers use it (the crc32c crate, which picks
/// the SSE 4.2 / ARMv8 instructions at run time).
fn crc(harness: &mut Harness) {
    const LEN: usize = 1 << 20;
    let buffer: Vec<u8> = (0..LEN).map(|i| (i % 251) as u8).collect();
    harness.bench("crc32c/1MiB", Work::bytes(LEN as u64), || {
        crc32c::crc32c(black_box(&buffer))
    });
}

/// Each codec on the records section of a batch, exactly what the producer
/// compresses and the consumer decompresses; MiB/s of uncompressed data.
fn codecs(harness: &mut Harness, messages: &[Message]) {
    let records = encode_batch(messages).slice(RECORD_BATCH_HEADER_LEN..);
    let work = Work::bytes(records.len() as u64);
    for codec in [
        Compression::Gzip,
        Compression::Snappy,
        Compression::Lz4,
        Compression::Zstd,
    ] {
        let compress = format!("codec/{}/compress", codec.name());
        let decompress = format!("codec/{}/decompress", codec.name());
        if !harness.selects(&compress) && !harness.selects(&decompress) {
            continue;
        }
        let compressed = codec.compress(&records, None).expect("compress");
        harness.note(&format!(
            "{}: {} B of records -> {} B, ratio {:.2}",
            codec.name(),
            records.len(),
            compressed.len(),
            records.len() as f64 / compressed.len() as f64
        ));
        harness.bench(&compress, work, || {
            codec.compress(&records, None).expect("compress")
        });
        harness.bench(&decompress, work, || {
            codec
                .decompress(&compressed, records.len())
                .expect("decompress")
        });
    }
}

/// Every librdkafka partitioner on random 16-byte keys over 12 partitions.
fn partitioners(harness: &mut Harness) {
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let keys: Vec<[u8; KEY_LEN]> = (0..1024)
        .map(|_| {
            let mut key = [0; KEY_LEN];
            key[..8].copy_from_slice(&rng.next().to_le_bytes());
            key[8..].copy_from_slice(&rng.next().to_le_bytes());
            key
        })
        .collect();
    for name in [
        "random",
        "consistent",
        "consistent_random",
        "murmur2",
        "murmur2_random",
        "fnv1a",
        "fnv1a_random",
    ] {
        // black_box: the producer only learns its partitioner at run time.
        let partitioner = black_box(Partitioner::from_name(name).expect("librdkafka name"));
        let mut next = 0;
        harness.bench(
            &format!("partitioner/{name}"),
            Work::items(1, "calls"),
            || {
                next = (next + 1) % keys.len();
                partitioner.partition(Some(&keys[next]), PARTITIONS)
            },
        );
    }
}

/// A client made through the C API, destroyed on drop.
struct CClient {
    rk: *mut rd_kafka_t,
}

impl CClient {
    fn new(kind: rd_kafka_type_t, properties: &[(&str, &str)]) -> CClient {
        let common = [
            ("bootstrap.servers", NOWHERE),
            // Keeps the refused connections' log lines out of the results.
            ("log_level", "0"),
        ];
        let mut errstr: [c_char; 512] = [0; 512];
        // SAFETY: valid NUL-terminated strings and an errstr buffer of the
        // size passed; the conf is consumed by rd_kafka_new.
        unsafe {
            let conf = rd_kafka_conf_new();
            for (name, value) in common.iter().chain(properties) {
                let (c_name, c_value) = (cstring(name), cstring(value));
                let res = rd_kafka_conf_set(
                    conf,
                    c_name.as_ptr(),
                    c_value.as_ptr(),
                    errstr.as_mut_ptr(),
                    errstr.len(),
                );
                assert_eq!(res, rd_kafka_conf_res_t::RD_KAFKA_CONF_OK, "{name}={value}");
            }
            let rk = rd_kafka_new(kind as c_int, conf, errstr.as_mut_ptr(), errstr.len());
            assert!(
                !rk.is_null(),
                "rd_kafka_new: {}",
                CStr::from_ptr(errstr.as_ptr()).to_string_lossy()
            );
            CClient { rk }
        }
    }
}

impl Drop for CClient {
    fn drop(&mut self) {
        // SAFETY: `rk` came from rd_kafka_new and is destroyed once.
        unsafe { rd_kafka_destroy(self.rk) };
    }
}

fn cstring(s: &str) -> CString {
    CString::new(s).expect("no NUL byte")
}

/// The produce call with `RD_KAFKA_MSG_F_COPY`, a 16-byte key and a
/// 100-byte value, to `RD_KAFKA_PARTITION_UA`. The broker is unreachable,
/// so the topic's partitions stay unknown and each message waits in the
/// topic's queue: this is the enqueue path (validation, queue accounting,
/// message allocation and copy) without the partitioner, benchmarked above.
/// A purge after each batch of iterations (untimed) frees the messages.
fn produce(harness: &mut Harness, message: &Message) {
    const PRODUCE: &str = "produce/rd_kafka_produce";
    const PRODUCEVA: &str = "produce/rd_kafka_produceva";
    if !harness.selects(PRODUCE) && !harness.selects(PRODUCEVA) {
        return;
    }
    let producer = CClient::new(
        rd_kafka_type_t::RD_KAFKA_PRODUCER,
        &[
            // Room for every message a round queues, and none expires.
            ("queue.buffering.max.messages", "10000000"),
            ("queue.buffering.max.kbytes", "2147483647"),
            ("message.timeout.ms", "3600000"),
        ],
    );
    let topic = cstring(TOPIC);
    // SAFETY: a live producer and a NUL-terminated name.
    let rkt = unsafe { rd_kafka_topic_new(producer.rk, topic.as_ptr(), ptr::null_mut()) };
    assert!(!rkt.is_null(), "rd_kafka_topic_new");
    let purge = || {
        // SAFETY: a live producer.
        let err = unsafe { rd_kafka_purge(producer.rk, RD_KAFKA_PURGE_F_QUEUE) };
        assert_eq!(err, ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR);
    };
    let value = message.value.as_ptr() as *mut c_void;
    let key = message.key.as_ptr() as *mut c_void;
    let work = Work::items(1, "msgs");
    harness.bench_with_reset(
        PRODUCE,
        work,
        || {
            // SAFETY: live topic handle; key and value outlive the call
            // (and are copied by F_COPY).
            let res = unsafe {
                rd_kafka_produce(
                    rkt,
                    RD_KAFKA_PARTITION_UA,
                    RD_KAFKA_MSG_F_COPY,
                    value,
                    message.value.len(),
                    key,
                    message.key.len(),
                    ptr::null_mut(),
                )
            };
            assert_eq!(res, 0, "rd_kafka_produce refused the message");
        },
        purge,
    );
    let vu = |vtype: rd_kafka_vtype_t, u: rd_kafka_vu_value_u| rd_kafka_vu_t {
        vtype: vtype as c_int,
        u,
    };
    let vus = [
        vu(
            rd_kafka_vtype_t::RD_KAFKA_VTYPE_TOPIC,
            rd_kafka_vu_value_u {
                cstr: topic.as_ptr(),
            },
        ),
        vu(
            rd_kafka_vtype_t::RD_KAFKA_VTYPE_VALUE,
            rd_kafka_vu_value_u {
                mem: rd_kafka_vu_mem_s {
                    ptr: value,
                    size: message.value.len(),
                },
            },
        ),
        vu(
            rd_kafka_vtype_t::RD_KAFKA_VTYPE_KEY,
            rd_kafka_vu_value_u {
                mem: rd_kafka_vu_mem_s {
                    ptr: key,
                    size: message.key.len(),
                },
            },
        ),
        vu(
            rd_kafka_vtype_t::RD_KAFKA_VTYPE_MSGFLAGS,
            rd_kafka_vu_value_u {
                i: RD_KAFKA_MSG_F_COPY,
            },
        ),
    ];
    harness.bench_with_reset(
        PRODUCEVA,
        work,
        || {
            // SAFETY: a live producer and a well-formed rd_kafka_vu_t array
            // whose pointers outlive the call.
            let error = unsafe { rd_kafka_produceva(producer.rk, vus.as_ptr(), vus.len()) };
            assert!(error.is_null(), "rd_kafka_produceva refused the message");
        },
        purge,
    );
    purge();
    // SAFETY: the handle from rd_kafka_topic_new, released once.
    unsafe { rd_kafka_topic_destroy(rkt) };
}

/// Fetched messages through the consumer queue, per message: the fetcher's
/// side (a `FetchedRun` of the decoded records, sharing the fetch buffer,
/// queued by `Consumer::enqueue_fetched` on the partition queue, which
/// forwards to the consumer queue) and the application's side
/// (`rd_kafka_consumer_poll`, which makes each record a message, with its
/// position bookkeeping, then `rd_kafka_message_destroy`). Record decoding is left to
/// `record_batch/decode`; here the records are decoded once up front, so
/// each message clones its key and value `Bytes` (a reference count)
/// where the fetcher moves them.
fn consumer_delivery(harness: &mut Harness, messages: &[Message]) {
    const NAME: &str = "consumer/deliver+poll";
    if !harness.selects(NAME) {
        return;
    }
    let records = decode_batch(&encode_batch(messages));
    let consumer = CClient::new(rd_kafka_type_t::RD_KAFKA_CONSUMER, &[]);
    // SAFETY: a live consumer; `client` is not used after `consumer` drops.
    let client = unsafe { handle(consumer.rk) }
        .expect("consumer handle")
        .client();
    client
        .assign(Some(vec![TopicPartition::new(TOPIC, 0, 0)]))
        .expect("assign");
    let consumer_state = client.consumer_state().expect("a consumer");
    let partition = consumer_state
        .partition(TOPIC, 0)
        .expect("assigned partition");
    let origin = Origin {
        version: partition.state.lock().version,
        partition: partition.clone(),
    };
    harness.bench(NAME, Work::items(records.len() as u64, "msgs"), || {
        let fetched = records
            .iter()
            .map(|r| FetchedRecord {
                offset: r.offset,
                timestamp: r.timestamp,
                key: r.key.clone(),
                value: r.value.clone(),
                headers: None,
                leader_epoch: -1,
                timestamp_type: TimestampType::CreateTime,
                control_marker: false,
            })
            .collect();
        let fetched = FetchedRun::new(
            partition.topic.clone(),
            partition.partition,
            origin.clone(),
            std::time::Instant::now(),
            fetched,
        );
        consumer_state.enqueue_fetched(&partition, fetched);
        let mut received = 0;
        while received < records.len() {
            // SAFETY: a live consumer; each returned message is
            // destroyed once.
            unsafe {
                let m = rd_kafka_consumer_poll(consumer.rk, 1000);
                assert!(!m.is_null(), "consumer queue ran dry");
                // Client errors (not expected here) are skipped, not counted.
                if (*m).err == 0 {
                    black_box((*m).payload);
                    received += 1;
                }
                rd_kafka_message_destroy(m);
            }
        }
    });
    // SAFETY: a live consumer.
    unsafe { rd_kafka_consumer_close(consumer.rk) };
}
