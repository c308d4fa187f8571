//! Typed, resolved settings read once from the property table at
//! `rd_kafka_new()`/`rd_kafka_topic_new()` time, so hot paths never parse
//! strings or look up properties by name.

use crate::config::{Config, TopicConfig};
use crate::partitioner::Partitioner;
use crate::protocol::compression::Compression;
use std::time::Duration;

fn ms(v: i64) -> Duration {
    Duration::from_millis(v.max(0) as u64)
}

/// Client-wide settings (global properties).
#[derive(Clone, Debug)]
pub struct ClientSettings {
    pub bootstrap_servers: Vec<String>,
    pub client_id: String,
    pub queue_max_messages: usize,
    pub queue_max_bytes: usize,
    pub linger: Duration,
    pub batch_num_messages: usize,
    pub batch_size: usize,
    pub message_max_bytes: usize,
    pub receive_message_max_bytes: usize,
    pub max_in_flight: usize,
    /// Produce requests are not built while this many requests wait to be
    /// written (queue.buffering.backpressure.threshold): messages then stay
    /// in the partition queues, once, and form larger batches.
    pub backpressure_threshold: usize,
    pub retries: u32,
    pub retry_backoff: Duration,
    pub compression: Compression,
    pub metadata_refresh_interval: Option<Duration>,
    pub metadata_refresh_fast_interval: Duration,
    pub socket_timeout: Duration,
    pub connection_setup_timeout: Duration,
    pub reconnect_backoff: Duration,
    pub reconnect_backoff_max: Duration,
    pub api_version_request: bool,
    pub api_version_request_timeout: Duration,
    pub delivery_report_only_error: bool,
    pub allow_auto_create_topics: bool,
    pub sticky_partitioning_linger: Duration,
    pub log_level: i32,
    pub log_queue: bool,
    pub debug: Vec<String>,
    pub statistics_interval: Option<Duration>,
    pub mock_num_brokers: i64,
}

impl ClientSettings {
    pub fn from_config(c: &Config, producer: bool) -> Result<ClientSettings, String> {
        // Every security.protocol is served: TLS (ssl, sasl_ssl) by
        // client/tls.rs, SASL (sasl_plaintext, sasl_ssl) by client/sasl.rs.
        let refresh = c.int("topic.metadata.refresh.interval.ms");
        let statistics = c.int("statistics.interval.ms");
        Ok(ClientSettings {
            bootstrap_servers: c.list("metadata.broker.list"),
            client_id: c.string("client.id").unwrap_or("rdkafka").to_string(),
            queue_max_messages: c.int("queue.buffering.max.messages").max(0) as usize,
            queue_max_bytes: (c.int("queue.buffering.max.kbytes").max(1) as usize) * 1024,
            linger: Duration::from_micros((c.float("queue.buffering.max.ms") * 1000.0) as u64),
            batch_num_messages: c.int("batch.num.messages").max(1) as usize,
            batch_size: c.int("batch.size").max(1) as usize,
            message_max_bytes: c.int("message.max.bytes").max(1000) as usize,
            receive_message_max_bytes: c.int("receive.message.max.bytes").max(1000) as usize,
            max_in_flight: c.int("max.in.flight.requests.per.connection").max(1) as usize,
            backpressure_threshold: c.int("queue.buffering.backpressure.threshold").max(1) as usize,
            retries: c.int("message.send.max.retries").clamp(0, u32::MAX as i64) as u32,
            retry_backoff: ms(c.int("retry.backoff.ms")),
            compression: c
                .string("compression.codec")
                .and_then(Compression::from_name)
                .unwrap_or(Compression::None),
            metadata_refresh_interval: (refresh > 0).then(|| ms(refresh)),
            metadata_refresh_fast_interval: ms(c.int("topic.metadata.refresh.fast.interval.ms")),
            socket_timeout: ms(c.int("socket.timeout.ms")),
            connection_setup_timeout: ms(c.int("socket.connection.setup.timeout.ms")),
            reconnect_backoff: ms(c.int("reconnect.backoff.ms")),
            reconnect_backoff_max: ms(c.int("reconnect.backoff.max.ms")),
            api_version_request: c.boolean("api.version.request"),
            api_version_request_timeout: ms(c.int("api.version.request.timeout.ms")),
            delivery_report_only_error: c.boolean("delivery.report.only.error"),
            allow_auto_create_topics: producer || c.boolean("allow.auto.create.topics"),
            sticky_partitioning_linger: ms(c.int("sticky.partitioning.linger.ms")),
            log_level: c.int("log_level") as i32,
            log_queue: c.boolean("log.queue"),
            debug: c.list("debug"),
            statistics_interval: (statistics > 0).then(|| ms(statistics)),
            mock_num_brokers: c.int("test.mock.num.brokers"),
        })
    }
}

/// Per-topic settings (topic properties), with `inherit` resolved.
#[derive(Clone, Debug)]
pub struct TopicSettings {
    pub acks: i16,
    pub request_timeout: Duration,
    pub message_timeout_ms: i64,
    pub partitioner: Partitioner,
    pub compression: Compression,
    pub compression_level: Option<i32>,
    /// `auto.commit.enable`: the legacy consumer's stored offsets of this
    /// topic are committed (with a `group.id`) by the periodic auto commit
    /// and when a partition is stopped.
    pub auto_commit: bool,
}

impl TopicSettings {
    pub fn from_config(t: &TopicConfig, client: &ClientSettings) -> Result<TopicSettings, String> {
        let partitioner_name = t.string("partitioner").unwrap_or("consistent_random");
        let partitioner = Partitioner::from_name(partitioner_name)
            .ok_or_else(|| format!("unknown partitioner \"{partitioner_name}\""))?;
        let compression = match t.string("compression.codec") {
            None | Some("inherit") => client.compression,
            Some(name) => Compression::from_name(name).unwrap_or(client.compression),
        };
        let level = t.int("compression.level");
        Ok(TopicSettings {
            acks: t.int("request.required.acks").clamp(-1, 1000) as i16,
            request_timeout: ms(t.int("request.timeout.ms")),
            message_timeout_ms: t.int("message.timeout.ms"),
            partitioner,
            compression,
            compression_level: (level >= 0).then_some(level as i32),
            auto_commit: t.boolean("auto.commit.enable"),
        })
    }
}
