//! The property table: every configuration property librdkafka knows, with
//! its name, aliases, type, range, default and enum values.
//!
//! Global and topic properties live in separate tables because a few names
//! (`compression.codec`, `offset.store.method`, `opaque`, ...) exist in both
//! with different ranges. Table order is the order of `rd_kafka_conf_dump()`.

/// Which side of the client a property applies to (the `C/P` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Both,
    Producer,
    Consumer,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Importance {
    Low,
    Medium,
    High,
}

/// Global (`rd_kafka_conf_t`) or topic (`rd_kafka_topic_conf_t`) property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Global,
    Topic,
}

/// Left out of `rd_kafka_conf_properties_show()` (test and internal knobs).
pub(crate) const HIDDEN: u8 = 1;
pub(crate) const DEPRECATED: u8 = 2;
pub(crate) const EXPERIMENTAL: u8 = 4;
/// A secret (password, key): `rd_kafka_conf_dump()` shows
/// [`REDACTED`] instead of the value, as librdkafka masks them.
pub(crate) const SENSITIVE: u8 = 8;
/// Stored, validated and reported by get/dump, but nothing in this library
/// reads it yet; the documentation says so rather than implying an effect.
pub(crate) const NOT_ACTED_ON: u8 = 16;

/// What dumps show for a [`SENSITIVE`] property that is set.
pub const REDACTED: &str = "[redacted]";

/// How a string value is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrKind {
    /// Leading whitespace is dropped, as librdkafka does for most strings.
    Trimmed,
    /// Stored exactly as given.
    Verbatim,
    /// A comma-separated list of regular expressions.
    PatternList,
}

/// Extra validation for a string property; `Err` holds what is allowed.
pub type StrCheck = fn(&str) -> Result<(), String>;

#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Str {
        default: Option<&'static str>,
        style: StrKind,
        check: Option<StrCheck>,
    },
    /// `named` maps words to numbers (`acks=all` is -1).
    Int {
        min: i64,
        max: i64,
        default: i64,
        named: &'static [(&'static str, i64)],
    },
    Float {
        min: f64,
        max: f64,
        default: f64,
    },
    Bool {
        default: bool,
    },
    /// Several names may share one value (`earliest` = `smallest`); the first
    /// name of a value is its canonical spelling, printed by get/dump.
    Enum {
        values: &'static [(&'static str, i64)],
        default: i64,
    },
    /// A set of flags; bit `i` is `names[i]`, except `all` which means every
    /// other flag. `check_only` properties validate but never change
    /// (`builtin.features`).
    Flags {
        names: &'static [&'static str],
        default: u64,
        check_only: bool,
    },
    /// Set only through a dedicated C function (callbacks, opaques).
    Pointer,
    /// Managed internally; never settable.
    Internal,
    /// Recognised only to explain why it cannot be used.
    Unsupported {
        reason: &'static str,
    },
    Alias {
        target: &'static str,
    },
}

#[derive(Debug)]
pub struct Property {
    pub name: &'static str,
    pub role: Role,
    pub importance: Importance,
    pub flags: u8,
    pub kind: Kind,
    pub description: &'static str,
}

impl Property {
    pub fn is_hidden(&self) -> bool {
        self.flags & HIDDEN != 0
    }

    pub fn is_deprecated(&self) -> bool {
        self.flags & DEPRECATED != 0
    }

    /// False for a property documented as accepted but not acted on.
    pub fn is_acted_on(&self) -> bool {
        self.flags & NOT_ACTED_ON == 0
    }
}

const fn p(
    name: &'static str,
    role: Role,
    importance: Importance,
    flags: u8,
    kind: Kind,
    description: &'static str,
) -> Property {
    Property {
        name,
        role,
        importance,
        flags,
        kind,
        description,
    }
}

pub static DEBUG_CONTEXTS: &[&str] = &[
    "generic",
    "broker",
    "topic",
    "metadata",
    "feature",
    "queue",
    "msg",
    "protocol",
    "cgrp",
    "security",
    "fetch",
    "interceptor",
    "plugin",
    "consumer",
    "admin",
    "eos",
    "mock",
    "assignor",
    "conf",
    "all",
];

/// Every feature name librdkafka may report, so that applications asking
/// for one we lack get a clear "not supported" rather than "unknown".
pub static BUILTIN_FEATURES: &[&str] = &[
    "gzip",
    "snappy",
    "ssl",
    "sasl",
    "regex",
    "lz4",
    "sasl_gssapi",
    "sasl_plain",
    "sasl_scram",
    "plugins",
    "zstd",
    "sasl_oauthbearer",
    "http",
    "oidc",
];

/// gzip, snappy, lz4 and zstd (the codecs this crate implements), ssl
/// (TLS with rustls), sasl, sasl_plain, sasl_scram and sasl_oauthbearer.
pub(crate) const SUPPORTED_FEATURES: u64 = (1 << 0)
    | (1 << 1)
    | (1 << 2)
    | (1 << 3)
    | (1 << 5)
    | (1 << 7)
    | (1 << 8)
    | (1 << 10)
    | (1 << 11);

/// Built-in partitioner names accepted by the `partitioner` property.
pub static PARTITIONERS: &[&str] = &[
    "random",
    "consistent",
    "consistent_random",
    "murmur2",
    "murmur2_random",
    "fnv1a",
    "fnv1a_random",
];

fn check_partitioner(value: &str) -> Result<(), String> {
    if PARTITIONERS.contains(&value) {
        Ok(())
    } else {
        Err(format!("must be one of {}", PARTITIONERS.join(", ")))
    }
}

fn check_milliseconds(value: &str) -> Result<(), String> {
    match value.parse::<u32>() {
        Ok(ms) if ms <= 86_400_000 => Ok(()),
        _ => Err("must be a number of milliseconds from 0 to 86400000".to_string()),
    }
}

use Importance::*;
use Role::*;

pub static GLOBAL_PROPERTIES: &[Property] = &[
    p("builtin.features", Both, Low, 0, Kind::Flags { names: BUILTIN_FEATURES, default: SUPPORTED_FEATURES, check_only: true },
      "Features compiled into this library. Setting it to a list of required features fails if any of them is missing."),
    p("client.id", Both, Low, 0, Kind::Str { default: Some("rdkafka"), style: StrKind::Trimmed, check: None },
      "Identifier of this client, sent to brokers with every request."),
    p("client.software.name", Both, Low, HIDDEN | NOT_ACTED_ON, Kind::Str { default: Some("ferrokafka"), style: StrKind::Trimmed, check: None },
      "Client software name for the ApiVersions request; this library always sends ferrokafka."),
    p("client.software.version", Both, Low, HIDDEN | NOT_ACTED_ON, Kind::Str { default: Some(env!("CARGO_PKG_VERSION")), style: StrKind::Trimmed, check: None },
      "Client software version for the ApiVersions request; this library always sends its own version."),
    p("metadata.broker.list", Both, High, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Comma-separated list of bootstrap brokers (host or host:port). More can be added at runtime with rd_kafka_brokers_add()."),
    p("bootstrap.servers", Both, High, 0, Kind::Alias { target: "metadata.broker.list" },
      ""),
    p("message.max.bytes", Both, Medium, 0, Kind::Int { min: 1000, max: 1000000000, default: 1000000, named: &[] },
      "Upper bound for the size of a protocol request (such as a ProduceRequest) built by the client."),
    p("message.copy.max.bytes", Both, Low, NOT_ACTED_ON, Kind::Int { min: 0, max: 1000000000, default: 65535, named: &[] },
      "Payloads up to this size are copied into the request buffer; larger ones are referenced in place."),
    p("receive.message.max.bytes", Both, Medium, 0, Kind::Int { min: 1000, max: 2147483647, default: 100000000, named: &[] },
      "Largest protocol response accepted from a broker; protects against runaway allocations. Must exceed fetch.max.bytes by at least 512 bytes."),
    p("max.in.flight.requests.per.connection", Both, Low, 0, Kind::Int { min: 1, max: 1000000, default: 1000000, named: &[] },
      "How many requests may be outstanding on one broker connection at a time."),
    p("max.in.flight", Both, Low, 0, Kind::Alias { target: "max.in.flight.requests.per.connection" },
      ""),
    p("metadata.request.timeout.ms", Both, Low, HIDDEN | DEPRECATED, Kind::Int { min: 10, max: 900000, default: 10, named: &[] },
      "Unused; kept for compatibility."),
    p("topic.metadata.refresh.interval.ms", Both, Low, 0, Kind::Int { min: -1, max: 3600000, default: 300000, named: &[] },
      "Interval of the periodic metadata refresh that discovers new brokers, partitions and leaders. -1 turns the periodic refresh off."),
    p("metadata.max.age.ms", Both, Low, 0, Kind::Int { min: 1, max: 86400000, default: 900000, named: &[] },
      "How long cached metadata stays valid. Defaults to three times topic.metadata.refresh.interval.ms."),
    p("topic.metadata.refresh.fast.interval.ms", Both, Low, 0, Kind::Int { min: 1, max: 60000, default: 250, named: &[] },
      "Initial retry interval for metadata refreshes while a topic has no leader; it backs off exponentially."),
    p("topic.metadata.refresh.fast.cnt", Both, Low, DEPRECATED, Kind::Int { min: 0, max: 1000, default: 10, named: &[] },
      "Unused; kept for compatibility."),
    p("topic.metadata.refresh.sparse", Both, Low, NOT_ACTED_ON, Kind::Bool { default: true },
      "Ask only for the topics in use when refreshing metadata, which saves bandwidth."),
    p("topic.metadata.propagation.max.ms", Both, Low, NOT_ACTED_ON, Kind::Int { min: 0, max: 3600000, default: 30000, named: &[] },
      "How long a topic reported as missing is given to appear in the cluster before the error is reported."),
    p("topic.blacklist", Both, Low, 0, Kind::Str { default: None, style: StrKind::PatternList, check: None },
      "Comma-separated regular expressions; matching topics are hidden from metadata as if they did not exist."),
    p("debug", Both, Medium, 0, Kind::Flags { names: DEBUG_CONTEXTS, default: 0, check_only: false },
      "Comma-separated debug contexts to log. Producers usually want broker,topic,msg; consumers consumer,cgrp,topic,fetch."),
    p("socket.timeout.ms", Both, Low, 0, Kind::Int { min: 10, max: 300000, default: 60000, named: &[] },
      "Default timeout of network requests."),
    p("socket.blocking.max.ms", Both, Low, DEPRECATED, Kind::Int { min: 1, max: 60000, default: 1000, named: &[] },
      "Unused; kept for compatibility."),
    p("socket.send.buffer.bytes", Both, Low, NOT_ACTED_ON, Kind::Int { min: 0, max: 100000000, default: 0, named: &[] },
      "SO_SNDBUF for broker sockets; 0 keeps the system default."),
    p("socket.receive.buffer.bytes", Both, Low, NOT_ACTED_ON, Kind::Int { min: 0, max: 100000000, default: 0, named: &[] },
      "SO_RCVBUF for broker sockets; 0 keeps the system default."),
    p("socket.keepalive.enable", Both, Low, NOT_ACTED_ON, Kind::Bool { default: false },
      "Turn on SO_KEEPALIVE for broker sockets."),
    p("socket.nagle.disable", Both, Low, NOT_ACTED_ON, Kind::Bool { default: false },
      "Turn on TCP_NODELAY for broker sockets."),
    p("socket.max.fails", Both, Low, NOT_ACTED_ON, Kind::Int { min: 0, max: 1000000, default: 1, named: &[] },
      "Close a broker connection after this many send failures (such as request timeouts); 0 never closes. Keep the default of 1 to stay in sync with the broker."),
    p("broker.address.ttl", Both, Low, NOT_ACTED_ON, Kind::Int { min: 0, max: 86400000, default: 1000, named: &[] },
      "How long resolved broker addresses are cached, in milliseconds."),
    p("broker.address.family", Both, Low, NOT_ACTED_ON, Kind::Enum { values: &[("any", 0), ("v4", 1), ("v6", 2)], default: 0 },
      "Which IP address families may be used to reach brokers."),
    p("socket.connection.setup.timeout.ms", Both, Medium, 0, Kind::Int { min: 1000, max: 2147483647, default: 30000, named: &[] },
      "Time allowed to bring a broker connection up (TCP, TLS and SASL) before it is closed and retried."),
    p("connections.max.idle.ms", Both, Medium, NOT_ACTED_ON, Kind::Int { min: 0, max: 2147483647, default: 0, named: &[] },
      "Close broker connections idle for this long; 0 keeps them open."),
    p("enable.sparse.connections", Both, Low, HIDDEN | NOT_ACTED_ON, Kind::Bool { default: true },
      "Connect only to the brokers that are needed rather than to all known brokers."),
    p("reconnect.backoff.jitter.ms", Both, Low, DEPRECATED, Kind::Int { min: 0, max: 3600000, default: 0, named: &[] },
      "Unused; see reconnect.backoff.ms and reconnect.backoff.max.ms."),
    p("reconnect.backoff.ms", Both, Medium, 0, Kind::Int { min: 0, max: 3600000, default: 100, named: &[] },
      "First delay before a lost broker connection is retried; each further attempt doubles it (with jitter) up to reconnect.backoff.max.ms. 0 retries at once."),
    p("reconnect.backoff.max.ms", Both, Medium, 0, Kind::Int { min: 0, max: 3600000, default: 10000, named: &[] },
      "Longest wait before reconnecting to a broker."),
    p("statistics.interval.ms", Both, High, 0, Kind::Int { min: 0, max: 86400000, default: 0, named: &[] },
      "How often statistics are emitted to the stats callback; 0 turns statistics off."),
    p("enabled_events", Both, Low, 0, Kind::Int { min: 0, max: 2147483647, default: 0, named: &[] },
      "Event mask; see rd_kafka_conf_set_events()."),
    p("error_cb", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_error_cb(): receives client-level errors, including fatal ones."),
    p("throttle_cb", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_throttle_cb(): told when a broker throttles this client."),
    p("stats_cb", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_stats_cb(): receives the statistics JSON every statistics.interval.ms."),
    p("log_cb", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_log_cb(): receives log lines instead of stderr."),
    p("log_level", Both, Low, 0, Kind::Int { min: 0, max: 7, default: 6, named: &[] },
      "Highest syslog(3) level that is logged."),
    p("log.queue", Both, Low, 0, Kind::Bool { default: false },
      "Queue log messages for the application to serve through rd_kafka_set_log_queue() instead of calling log_cb from internal threads."),
    p("log.thread.name", Both, Low, NOT_ACTED_ON, Kind::Bool { default: true },
      "Put the name of the internal thread that logged into each log line."),
    p("enable.random.seed", Both, Low, NOT_ACTED_ON, Kind::Bool { default: true },
      "Seed the process-wide PRNG the first time a client is created."),
    p("log.connection.close", Both, Low, NOT_ACTED_ON, Kind::Bool { default: true },
      "Log when a broker connection closes."),
    p("background_event_cb", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_background_event_cb(): events on the background queue are handed to it on a library thread."),
    p("socket_cb", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_socket_cb(): creates the sockets of broker connections."),
    p("connect_cb", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_connect_cb(): connects broker sockets."),
    p("closesocket_cb", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_closesocket_cb(): closes broker sockets."),
    p("open_cb", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_open_cb(): opens files on the library's behalf."),
    p("resolve_cb", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_resolve_cb(): resolves broker host names instead of getaddrinfo()."),
    p("opaque", Both, Low, 0, Kind::Pointer,
      "Application pointer passed to callbacks, set with rd_kafka_conf_set_opaque()."),
    p("default_topic_conf", Both, Low, 0, Kind::Pointer,
      "Topic configuration used for topics the application did not configure explicitly."),
    p("internal.termination.signal", Both, Low, NOT_ACTED_ON, Kind::Int { min: 0, max: 128, default: 0, named: &[] },
      "Signal used to interrupt internal threads on rd_kafka_destroy(); 0 means none."),
    p("api.version.request", Both, High, 0, Kind::Bool { default: true },
      "Ask each broker which protocol API versions it supports (ApiVersions) before using it. When off, the request is skipped; unlike librdkafka, this library does not consult broker.version.fallback then."),
    p("api.version.request.timeout.ms", Both, Low, 0, Kind::Int { min: 1, max: 300000, default: 10000, named: &[] },
      "Timeout of the ApiVersions request."),
    p("api.version.fallback.ms", Both, Medium, NOT_ACTED_ON, Kind::Int { min: 0, max: 604800000, default: 0, named: &[] },
      "How long broker.version.fallback is used after an ApiVersions request failed."),
    p("broker.version.fallback", Both, Medium, NOT_ACTED_ON, Kind::Str { default: Some("0.10.0"), style: StrKind::Trimmed, check: None },
      "Broker version assumed when ApiVersions cannot be used."),
    p("allow.auto.create.topics", Both, Low, 0, Kind::Bool { default: false },
      "Let the broker create missing topics on subscribe or assign (the broker must allow it too). Producers default to allowing it."),
    p("security.protocol", Both, High, 0, Kind::Enum { values: &[("plaintext", 0), ("ssl", 1), ("sasl_plaintext", 2), ("sasl_ssl", 3)], default: 0 },
      "Transport and authentication used to talk to brokers."),
    p("ssl.cipher.suites", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "TLS cipher suites to allow, `:`- or comma-separated. With rustls only suite names work (OpenSSL or IANA spelling); OpenSSL cipher-string keywords and operators (`HIGH`, `!aNULL`, ...) are refused with an explanation. TLS 1.3 suites stay enabled unless some are named."),
    p("ssl.curves.list", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Key exchange groups offered to the broker, `:`- or comma-separated; rustls knows X25519, P-256 (prime256v1) and P-384, others are refused."),
    p("ssl.sigalgs.list", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Signature algorithms offered to the broker in OpenSSL's spelling (RSA+SHA256, RSA-PSS+SHA256, ECDSA+SHA256, ed25519, ...), mapped onto rustls; unknown names are refused."),
    p("ssl.key.location", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Path of the client's PEM private key."),
    p("ssl.key.password", Both, Low, SENSITIVE, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Passphrase of the private key."),
    p("ssl.key.pem", Both, Low, SENSITIVE, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "The client's private key as a PEM string."),
    p("ssl_key", Both, Low, 0, Kind::Pointer,
      "Client private key set with rd_kafka_conf_set_ssl_cert()."),
    p("ssl.certificate.location", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Path of the client's PEM certificate."),
    p("ssl.certificate.pem", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "The client's certificate as a PEM string."),
    p("ssl_certificate", Both, Low, 0, Kind::Pointer,
      "Client certificate set with rd_kafka_conf_set_ssl_cert()."),
    p("ssl.ca.location", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "File or directory of CA certificates used to verify brokers."),
    p("ssl.ca.pem", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "CA certificate as a PEM string."),
    p("ssl_ca", Both, Low, 0, Kind::Pointer,
      "CA certificate set with rd_kafka_conf_set_ssl_cert()."),
    p("ssl.ca.certificate.stores", Both, Low, 0, Kind::Str { default: Some("Root"), style: StrKind::Trimmed, check: None },
      "Windows certificate stores to read CA certificates from. Refused when a client is created (this library does not read Windows stores): use ssl.ca.location."),
    p("ssl.crl.location", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Path of a certificate revocation list."),
    p("ssl.keystore.location", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Path of a PKCS#12 keystore with the client's key and certificate."),
    p("ssl.keystore.password", Both, Low, SENSITIVE, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Password of the PKCS#12 keystore."),
    p("ssl.truststore.location", Both, Low, HIDDEN, Kind::Unsupported { reason: "Java trust stores are not supported: point ssl.ca.location at a PEM CA file instead" },
      "Java trust store; not supported, use ssl.ca.location."),
    p("ssl.providers", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "OpenSSL 3 providers to load. Refused when a client is created: TLS is done with rustls, which has no providers."),
    p("ssl.engine.location", Both, Low, DEPRECATED, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Path of an OpenSSL engine library. Refused when a client is created: TLS is done with rustls, which has no engines."),
    p("ssl.engine.id", Both, Low, 0, Kind::Str { default: Some("dynamic"), style: StrKind::Trimmed, check: None },
      "Name of the OpenSSL engine to load. Refused when a client is created if changed: TLS is done with rustls, which has no engines."),
    p("ssl_engine_callback_data", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_engine_callback_data(). An OpenSSL engine knob: refused when a client is created, as TLS is done with rustls."),
    p("enable.ssl.certificate.verification", Both, Low, 0, Kind::Bool { default: true },
      "Verify the broker's certificate."),
    p("ssl.endpoint.identification.algorithm", Both, Low, 0, Kind::Enum { values: &[("none", 0), ("https", 1)], default: 1 },
      "How the broker's host name is checked against its certificate: https (RFC 2818) or none."),
    p("ssl.certificate.verify_cb", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_ssl_cert_verify_cb(): asked to accept or reject each broker certificate."),
    p("sasl.mechanisms", Both, High, 0, Kind::Str { default: Some("GSSAPI"), style: StrKind::Trimmed, check: None },
      "The one SASL mechanism to authenticate with: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER. GSSAPI (Kerberos, the default) is refused when a SASL client is created, as this library has no Kerberos support."),
    p("sasl.mechanism", Both, High, 0, Kind::Alias { target: "sasl.mechanisms" },
      ""),
    p("sasl.kerberos.service.name", Both, Low, NOT_ACTED_ON, Kind::Str { default: Some("kafka"), style: StrKind::Trimmed, check: None },
      "Kerberos service name of the brokers. Only for GSSAPI, which this library refuses."),
    p("sasl.kerberos.principal", Both, Low, NOT_ACTED_ON, Kind::Str { default: Some("kafkaclient"), style: StrKind::Trimmed, check: None },
      "Kerberos principal of this client. Only for GSSAPI, which this library refuses."),
    p("sasl.kerberos.kinit.cmd", Both, Low, NOT_ACTED_ON, Kind::Str { default: Some("kinit -R -t \"%{sasl.kerberos.keytab}\" -k %{sasl.kerberos.principal} || kinit -t \"%{sasl.kerberos.keytab}\" -k %{sasl.kerberos.principal}"), style: StrKind::Trimmed, check: None },
      "Command that obtains or renews the Kerberos ticket; %{name} expands to configuration values. Only for GSSAPI, which this library refuses."),
    p("sasl.kerberos.keytab", Both, Low, NOT_ACTED_ON, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Kerberos keytab path for the kinit command. Only for GSSAPI, which this library refuses."),
    p("sasl.kerberos.min.time.before.relogin", Both, Low, NOT_ACTED_ON, Kind::Int { min: 0, max: 86400000, default: 60000, named: &[] },
      "Least time between Kerberos ticket renewals; 0 turns renewal off. Only for GSSAPI, which this library refuses."),
    p("sasl.username", Both, High, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "User name for the PLAIN and SCRAM mechanisms."),
    p("sasl.password", Both, High, SENSITIVE, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Password for the PLAIN and SCRAM mechanisms."),
    p("sasl.jaas.config", Both, Low, HIDDEN, Kind::Unsupported { reason: "Java JAAS configuration is not supported: use the sasl.* properties instead" },
      "Java JAAS configuration; not supported."),
    p("sasl.oauthbearer.config", Both, Low, SENSITIVE, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Configuration string for the OAUTHBEARER token handler."),
    p("enable.sasl.oauthbearer.unsecure.jwt", Both, Low, 0, Kind::Bool { default: false },
      "Use the built-in unsigned JWT token handler when no token refresh callback is set (testing only)."),
    p("oauthbearer_token_refresh_cb", Both, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_oauthbearer_token_refresh_cb(): asked for a new OAUTHBEARER token whenever one is due."),
    p("enable_sasl_queue", Both, Low, HIDDEN, Kind::Bool { default: false },
      "Serve SASL events on a dedicated queue; see rd_kafka_conf_enable_sasl_queue()."),
    p("sasl.oauthbearer.method", Both, Low, 0, Kind::Enum { values: &[("default", 0), ("oidc", 1)], default: 0 },
      "How OAUTHBEARER tokens are obtained: default (the refresh callback or the unsecured JWT handler) or oidc (a client-credentials grant over HTTPS to sasl.oauthbearer.token.endpoint.url, trusting the system's CA store or SSL_CERT_FILE/SSL_CERT_DIR, refreshed at 80% of the token's lifetime). An application refresh callback takes precedence over oidc."),
    p("sasl.oauthbearer.client.id", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "With sasl.oauthbearer.method=oidc: the client id sent in the token request's Basic authorization."),
    p("sasl.oauthbearer.client.secret", Both, Low, SENSITIVE, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "With sasl.oauthbearer.method=oidc: the client secret sent in the token request's Basic authorization; never logged or dumped."),
    p("sasl.oauthbearer.scope", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "With sasl.oauthbearer.method=oidc: the scope asked for in the token request (left out when unset)."),
    p("sasl.oauthbearer.extensions", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "With sasl.oauthbearer.method=oidc: comma-separated key=value SASL extensions sent to the broker with the token; a malformed entry is refused when the client is created."),
    p("sasl.oauthbearer.token.endpoint.url", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "With sasl.oauthbearer.method=oidc: the HTTPS URL of the token endpoint (mandatory then)."),
    p("plugin.library.paths", Both, Low, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Plugin libraries to load (`;`-separated); each one's `conf_init` is called when this is set."),
    p("interceptors", Both, Low, 0, Kind::Internal,
      "Interceptors added by plugins or the application."),
    p("test.mock.num.brokers", Both, Low, HIDDEN, Kind::Int { min: 0, max: 10000, default: 0, named: &[] },
      "Start this library's embedded mock cluster (its own Kafka protocol implementation, not librdkafka's) with this many brokers and connect to it instead of bootstrap.servers (testing only)."),
    p("test.mock.broker.rtt", Both, Low, HIDDEN, Kind::Int { min: 0, max: 3600000, default: 0, named: &[] },
      "Delay the embedded mock cluster's brokers add to each response, in milliseconds (testing only)."),
    p("test.mock.sasl.mechanisms", Both, Low, HIDDEN, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Mechanisms the embedded mock cluster's brokers require (comma-separated: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER); unset: no SASL (testing only, ours)."),
    p("test.mock.sasl.users", Both, Low, HIDDEN | SENSITIVE, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "user:password pairs (comma-separated) the embedded mock cluster accepts for PLAIN and SCRAM (testing only, ours)."),
    // A string without default, so a dump lists it only when set, as
    // librdkafka's (which lacks it) would.
    p("test.mock.sasl.session.lifetime.ms", Both, Low, HIDDEN, Kind::Str { default: None, style: StrKind::Trimmed, check: Some(check_milliseconds) },
      "Session lifetime the embedded mock cluster grants in SaslAuthenticate, after which clients must re-authenticate (KIP-368); 0: unlimited (testing only, ours)."),
    p("test.mock.ssl.certificate.location", Both, Low, HIDDEN, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "With test.mock.ssl.key.location, the embedded mock cluster's listeners speak TLS with this PEM server certificate (chain) (testing only, ours)."),
    p("test.mock.ssl.key.location", Both, Low, HIDDEN, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "The unencrypted PEM private key of test.mock.ssl.certificate.location (testing only, ours)."),
    p("test.mock.ssl.ca.location", Both, Low, HIDDEN, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "With test.mock.ssl.certificate.location and key.location, the embedded mock cluster's listeners require a client certificate signed by a CA in this PEM file: mutual TLS (testing only, ours)."),
    p("group.id", Consumer, High, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Consumer group this client belongs to."),
    p("group.instance.id", Consumer, Medium, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Static group membership identifier."),
    p("partition.assignment.strategy", Consumer, Medium, 0, Kind::Str { default: Some("range,roundrobin"), style: StrKind::Trimmed, check: None },
      "Comma-separated partition assignors, in order of preference: range, roundrobin, cooperative-sticky."),
    p("session.timeout.ms", Consumer, High, 0, Kind::Int { min: 1, max: 3600000, default: 45000, named: &[] },
      "How long the group coordinator waits for a heartbeat before removing this consumer from the group."),
    p("heartbeat.interval.ms", Consumer, Low, 0, Kind::Int { min: 1, max: 3600000, default: 3000, named: &[] },
      "How often heartbeats are sent to the group coordinator."),
    p("group.protocol.type", Consumer, Low, NOT_ACTED_ON, Kind::Str { default: Some("consumer"), style: StrKind::Trimmed, check: None },
      "Group protocol type sent to the coordinator."),
    p("coordinator.query.interval.ms", Consumer, Low, NOT_ACTED_ON, Kind::Int { min: 1, max: 3600000, default: 600000, named: &[] },
      "How often the current group coordinator is looked up."),
    p("max.poll.interval.ms", Consumer, High, 0, Kind::Int { min: 1, max: 86400000, default: 300000, named: &[] },
      "Longest allowed gap between consumer polls before the consumer leaves the group."),
    p("enable.auto.commit", Consumer, High, 0, Kind::Bool { default: true },
      "Commit offsets periodically in the background."),
    p("auto.commit.interval.ms", Consumer, Medium, 0, Kind::Int { min: 0, max: 86400000, default: 5000, named: &[] },
      "How often offsets are committed automatically."),
    p("enable.auto.offset.store", Consumer, High, 0, Kind::Bool { default: true },
      "Store the offset of each message handed to the application, for the next commit."),
    p("queued.min.messages", Consumer, Medium, 0, Kind::Int { min: 1, max: 10000000, default: 100000, named: &[] },
      "Target minimum number of prefetched messages per partition."),
    p("queued.max.messages.kbytes", Consumer, Medium, 0, Kind::Int { min: 1, max: 2097151, default: 65536, named: &[] },
      "Upper bound, in kilobytes, for prefetched messages per partition."),
    p("fetch.wait.max.ms", Consumer, Low, 0, Kind::Int { min: 0, max: 300000, default: 500, named: &[] },
      "Longest time a broker may hold a fetch request while gathering fetch.min.bytes."),
    p("fetch.message.max.bytes", Consumer, Medium, 0, Kind::Int { min: 1, max: 1000000000, default: 1048576, named: &[] },
      "Starting maximum number of bytes fetched per partition per request; grown automatically for oversized messages."),
    p("max.partition.fetch.bytes", Consumer, Medium, 0, Kind::Alias { target: "fetch.message.max.bytes" },
      ""),
    p("fetch.max.bytes", Consumer, Medium, 0, Kind::Int { min: 0, max: 2147483135, default: 52428800, named: &[] },
      "Maximum number of bytes returned by one fetch request."),
    p("fetch.min.bytes", Consumer, Low, 0, Kind::Int { min: 1, max: 100000000, default: 1, named: &[] },
      "Minimum number of bytes a broker should gather before answering a fetch."),
    p("fetch.error.backoff.ms", Consumer, Medium, 0, Kind::Int { min: 0, max: 300000, default: 500, named: &[] },
      "Wait after a fetch error before fetching the partition again."),
    p("offset.store.method", Consumer, Low, DEPRECATED, Kind::Enum { values: &[("none", 0), ("file", 1), ("broker", 2)], default: 2 },
      "Where offsets are stored; only broker is in use."),
    p("isolation.level", Consumer, High, 0, Kind::Enum { values: &[("read_uncommitted", 0), ("read_committed", 1)], default: 1 },
      "Whether transactional messages are returned before their transaction commits."),
    p("consume_cb", Consumer, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_consume_cb(): receives consumed messages from rd_kafka_consumer_poll()."),
    p("rebalance_cb", Consumer, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_rebalance_cb(): takes over partition assignment and revocation on rebalances."),
    p("offset_commit_cb", Consumer, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_offset_commit_cb(): told the outcome of every offset commit."),
    p("enable.partition.eof", Consumer, Low, 0, Kind::Bool { default: false },
      "Report reaching the end of a partition to the application, as a message with error RD_KAFKA_RESP_ERR__PARTITION_EOF."),
    p("check.crcs", Consumer, Medium, 0, Kind::Bool { default: false },
      "Verify CRC32C of consumed record batches."),
    p("client.rack", Both, Low, NOT_ACTED_ON, Kind::Str { default: Some(""), style: StrKind::Verbatim, check: None },
      "Rack of this client, used for rack-aware fetching."),
    p("transactional.id", Producer, High, 0, Kind::Str { default: None, style: StrKind::Trimmed, check: None },
      "Transactional producer identifier; implies enable.idempotence."),
    p("transaction.timeout.ms", Producer, Medium, 0, Kind::Int { min: 1000, max: 2147483647, default: 60000, named: &[] },
      "Longest time a transaction may stay open before the coordinator aborts it."),
    p("enable.idempotence", Producer, High, 0, Kind::Bool { default: false },
      "Produce each message exactly once and in order; adjusts acks, retries and max.in.flight accordingly."),
    p("enable.gapless.guarantee", Producer, Low, EXPERIMENTAL, Kind::Bool { default: false },
      "Raise a fatal error instead of losing a message in a way that would leave a gap (idempotent producer)."),
    p("queue.buffering.max.messages", Producer, High, 0, Kind::Int { min: 0, max: 2147483647, default: 100000, named: &[] },
      "Most messages that may wait in the producer queues."),
    p("queue.buffering.max.kbytes", Producer, High, 0, Kind::Int { min: 1, max: 2147483647, default: 1048576, named: &[] },
      "Most kilobytes of messages that may wait in the producer queues."),
    p("queue.buffering.max.ms", Producer, High, 0, Kind::Float { min: 0.0, max: 900000.0, default: 5.0 },
      "How long messages wait in the producer queue to be batched before sending."),
    p("linger.ms", Producer, High, 0, Kind::Alias { target: "queue.buffering.max.ms" },
      ""),
    p("message.send.max.retries", Producer, High, 0, Kind::Int { min: 0, max: 2147483647, default: 2147483647, named: &[] },
      "How many times sending a message is retried."),
    p("retries", Producer, High, 0, Kind::Alias { target: "message.send.max.retries" },
      ""),
    p("retry.backoff.ms", Producer, Medium, 0, Kind::Int { min: 1, max: 300000, default: 100, named: &[] },
      "Wait before retrying a failed request."),
    p("queue.buffering.backpressure.threshold", Producer, Low, 0, Kind::Int { min: 1, max: 1000000, default: 1, named: &[] },
      "Number of outstanding produce requests above which batching is held back."),
    p("compression.codec", Producer, Medium, 0, Kind::Enum { values: &[("none", 0), ("gzip", 1), ("snappy", 2), ("lz4", 3), ("zstd", 4)], default: 0 },
      "Codec used to compress message batches."),
    p("compression.type", Producer, Medium, 0, Kind::Alias { target: "compression.codec" },
      ""),
    p("batch.num.messages", Producer, Medium, 0, Kind::Int { min: 1, max: 1000000, default: 10000, named: &[] },
      "Most messages in one record batch."),
    p("batch.size", Producer, Medium, 0, Kind::Int { min: 1, max: 2147483647, default: 1000000, named: &[] },
      "Most bytes in one record batch."),
    p("delivery.report.only.error", Producer, Low, 0, Kind::Bool { default: false },
      "Report only failed deliveries."),
    p("dr_cb", Producer, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_dr_cb(): delivery reports given as payload, length and error."),
    p("dr_msg_cb", Producer, Low, 0, Kind::Pointer,
      "Set through rd_kafka_conf_set_dr_msg_cb(): delivery reports given as the message itself."),
    p("sticky.partitioning.linger.ms", Producer, Low, 0, Kind::Int { min: 0, max: 900000, default: 10, named: &[] },
      "How long the sticky partitioner keeps sending keyless messages to the same partition."),
];

pub static TOPIC_PROPERTIES: &[Property] = &[
    p("request.required.acks", Producer, High, 0, Kind::Int { min: -1, max: 1000, default: -1, named: &[("all", -1)] },
      "Acknowledgements the partition leader must collect before answering a produce request: 0 none, -1 (all) every in-sync replica."),
    p("acks", Producer, High, 0, Kind::Alias { target: "request.required.acks" },
      ""),
    p("request.timeout.ms", Producer, Medium, 0, Kind::Int { min: 1, max: 900000, default: 30000, named: &[] },
      "Broker-side timeout of produce requests, bounded by message.timeout.ms."),
    p("message.timeout.ms", Producer, High, 0, Kind::Int { min: 0, max: 2147483647, default: 300000, named: &[] },
      "Longest time a message may take to be delivered, retries included; 0 means no limit."),
    p("delivery.timeout.ms", Producer, High, 0, Kind::Alias { target: "message.timeout.ms" },
      ""),
    p("queuing.strategy", Producer, Low, DEPRECATED | EXPERIMENTAL, Kind::Enum { values: &[("fifo", 0), ("lifo", 1)], default: 0 },
      "Order of the producer queue."),
    p("produce.offset.report", Producer, Low, DEPRECATED, Kind::Bool { default: false },
      "Unused; kept for compatibility."),
    p("partitioner", Producer, High, 0, Kind::Str { default: Some("consistent_random"), style: StrKind::Trimmed, check: Some(check_partitioner) },
      "Built-in partitioner for messages without an explicit partition: random, consistent, consistent_random, murmur2, murmur2_random, fnv1a, fnv1a_random."),
    p("partitioner_cb", Producer, Low, 0, Kind::Pointer,
      "Set through rd_kafka_topic_conf_set_partitioner_cb(): picks the partition of each message instead of the partitioner property."),
    p("msg_order_cmp", Producer, Low, DEPRECATED | EXPERIMENTAL, Kind::Pointer,
      "Set through rd_kafka_topic_conf_set_msg_order_cmp(): orders the producer queue (with queuing.strategy)."),
    p("opaque", Both, Low, 0, Kind::Pointer,
      "Application pointer for this topic, set with rd_kafka_topic_conf_set_opaque()."),
    p("compression.codec", Producer, High, 0, Kind::Enum { values: &[("none", 0), ("gzip", 1), ("snappy", 2), ("lz4", 3), ("zstd", 4), ("inherit", -1)], default: -1 },
      "Codec used to compress this topic's batches; inherit uses the global setting."),
    p("compression.type", Producer, Medium, 0, Kind::Alias { target: "compression.codec" },
      ""),
    p("compression.level", Producer, Medium, 0, Kind::Int { min: -1, max: 12, default: -1, named: &[] },
      "Compression level for the codec in use; -1 uses the codec's default."),
    p("auto.commit.enable", Consumer, Low, DEPRECATED, Kind::Bool { default: true },
      "Legacy per-topic automatic commit switch for the simple consumer; use the global enable.auto.commit."),
    p("enable.auto.commit", Consumer, Low, DEPRECATED, Kind::Alias { target: "auto.commit.enable" },
      ""),
    p("auto.commit.interval.ms", Consumer, High, 0, Kind::Int { min: 10, max: 86400000, default: 60000, named: &[] },
      "Legacy per-topic commit interval for the simple consumer."),
    p("auto.offset.reset", Consumer, High, 0, Kind::Enum { values: &[("smallest", -2), ("earliest", -2), ("beginning", -2), ("largest", -1), ("latest", -1), ("end", -1), ("error", -1001)], default: -1 },
      "Where to start when there is no committed offset or it is out of range: smallest/earliest/beginning, largest/latest/end, or error."),
    p("offset.store.path", Consumer, Low, DEPRECATED, Kind::Str { default: Some("."), style: StrKind::Trimmed, check: None },
      "Directory for file-based offset storage (unused)."),
    p("offset.store.sync.interval.ms", Consumer, Low, DEPRECATED, Kind::Int { min: -1, max: 86400000, default: -1, named: &[] },
      "fsync interval of file-based offset storage (unused)."),
    p("offset.store.method", Consumer, Low, DEPRECATED, Kind::Enum { values: &[("file", 1), ("broker", 2)], default: 2 },
      "Where offsets are stored; only broker is in use."),
    p("consume.callback.max.messages", Consumer, Low, 0, Kind::Int { min: 0, max: 1000000, default: 0, named: &[] },
      "Most messages served per rd_kafka_consume_callback() call; 0 means no limit."),
];

pub fn table(scope: Scope) -> &'static [Property] {
    match scope {
        Scope::Global => GLOBAL_PROPERTIES,
        Scope::Topic => TOPIC_PROPERTIES,
    }
}

/// Index of the property called `name` (exactly, as librdkafka matches
/// names case-sensitively), without resolving aliases.
pub fn index_of(scope: Scope, name: &str) -> Option<usize> {
    use std::sync::OnceLock;
    // Sorted (name, index) pairs searched by binary search. A hash map
    // would do as well, but its table is referenced through a pointer into
    // the middle of its allocation, which valgrind reports as "possibly
    // lost" at exit; a boxed slice is referenced from its start, so this
    // process-wide index shows up as reachable, not as a leak.
    static GLOBAL: OnceLock<Box<[(&'static str, usize)]>> = OnceLock::new();
    static TOPIC: OnceLock<Box<[(&'static str, usize)]>> = OnceLock::new();
    let cell = match scope {
        Scope::Global => &GLOBAL,
        Scope::Topic => &TOPIC,
    };
    let sorted = cell.get_or_init(|| {
        let mut pairs: Vec<(&'static str, usize)> = table(scope)
            .iter()
            .enumerate()
            .map(|(i, prop)| (prop.name, i))
            .collect();
        pairs.sort_unstable();
        pairs.into_boxed_slice()
    });
    sorted
        .binary_search_by(|(candidate, _)| (*candidate).cmp(name))
        .ok()
        .map(|found| sorted[found].1)
}

/// The names under which librdkafka's global setter offers a property to
/// `on_conf_set` interceptors after the name the application gave: the
/// alias target (its setter is entered again with it), then the property
/// itself once more just before the value is stored. Empty for names that
/// are not global properties or hold no settable value.
pub fn interceptor_names(name: &str) -> Vec<&'static str> {
    let Some(index) = index_of(Scope::Global, name) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    if let Kind::Alias { target } = table(Scope::Global)[index].kind {
        names.push(target);
    }
    match resolve(Scope::Global, name) {
        Some((_, prop)) if !matches!(prop.kind, Kind::Pointer | Kind::Internal) => {
            names.push(prop.name);
            names
        }
        _ => Vec::new(),
    }
}

/// Looks `name` up and follows an alias to its target: returns the index and
/// property that actually holds the value.
pub fn resolve(scope: Scope, name: &str) -> Option<(usize, &'static Property)> {
    let mut index = index_of(scope, name)?;
    // Aliases never chain in the table; the bound only guards against a
    // table typo turning into an endless loop.
    for _ in 0..2 {
        let prop = &table(scope)[index];
        match prop.kind {
            Kind::Alias { target } => index = index_of(scope, target)?,
            _ => return Some((index, prop)),
        }
    }
    None
}
