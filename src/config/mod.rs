//! Client configuration: librdkafka's property table, string parsing and
//! printing, typed access for the client core, and the checks done when a
//! client is created.
//!
//! - [`properties`]: the table (names, aliases, types, ranges, defaults).
//! - [`value`]: parsing and printing single values.
//! - [`show`]: the human-readable table of `rd_kafka_conf_properties_show()`
//!   and of the committed `CONFIGURATION.md`.
//! - this module: [`Config`] / [`TopicConfig`] and their finalization.

pub mod properties;
mod show;
pub mod value;

use std::fmt;

use properties::{Kind, Property, Scope};
use value::{Rejection, Value};

pub use show::{configuration_md, properties_show};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfErrorKind {
    /// No property has that name (`RD_KAFKA_CONF_UNKNOWN`).
    Unknown,
    /// The property exists but the value is not acceptable (`RD_KAFKA_CONF_INVALID`).
    Invalid,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfError {
    pub kind: ConfErrorKind,
    pub message: String,
}

impl ConfError {
    fn unknown(name: &str) -> Self {
        ConfError {
            kind: ConfErrorKind::Unknown,
            message: format!("Unknown configuration property \"{name}\""),
        }
    }

    fn rejected(name: &str, input: &str, why: Rejection) -> Self {
        let message = match why {
            Rejection::Empty => {
                format!("Configuration property \"{name}\" cannot be set to an empty value")
            }
            Rejection::Invalid(allowed) => {
                format!(
                    "Invalid value \"{input}\" for configuration property \"{name}\": {allowed}"
                )
            }
            Rejection::NotSettable(message) => message,
        };
        ConfError {
            kind: ConfErrorKind::Invalid,
            message,
        }
    }
}

impl fmt::Display for ConfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfError {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientKind {
    Producer,
    Consumer,
}

/// Values of one scope's properties, indexed like the scope's table.
/// `None` means "never set": the default applies and the property does not
/// count as modified (finalization treats modified and default differently).
#[derive(Clone, Debug)]
struct Values {
    scope: Scope,
    slots: Vec<Option<Value>>,
    /// Set by the application (as opposed to adjusted by finalization).
    modified: Vec<bool>,
}

impl Values {
    fn new(scope: Scope) -> Self {
        let len = properties::table(scope).len();
        Values {
            scope,
            slots: vec![None; len],
            modified: vec![false; len],
        }
    }

    fn table(&self) -> &'static [Property] {
        properties::table(self.scope)
    }

    /// The value in effect (set or default), or `None` when there is none.
    fn effective(&self, index: usize) -> Option<Value> {
        match &self.slots[index] {
            Some(Value::Str(None)) => value::default_value(&self.table()[index]),
            Some(value) => Some(value.clone()),
            None => value::default_value(&self.table()[index]),
        }
    }

    fn is_modified(&self, name: &str) -> bool {
        properties::resolve(self.scope, name).is_some_and(|(i, _)| self.modified[i])
    }

    /// Sets `name`; `Err(None)` means the name is unknown in this scope.
    fn set(&mut self, name: &str, input: &str) -> Result<(), Option<ConfError>> {
        let (index, prop) = properties::resolve(self.scope, name).ok_or(None)?;
        let current = self.effective(index);
        let parsed = value::parse(prop, input, current.as_ref())
            .map_err(|why| Some(ConfError::rejected(name, input, why)))?;
        self.slots[index] = Some(parsed);
        self.modified[index] = true;
        Ok(())
    }

    fn get(&self, name: &str) -> Option<Option<String>> {
        let (index, prop) = properties::resolve(self.scope, name)?;
        Some(
            self.effective(index)
                .and_then(|value| value::format(prop, &value)),
        )
    }

    fn dump(&self) -> Vec<(String, String)> {
        self.table()
            .iter()
            .enumerate()
            .filter_map(|(index, prop)| {
                let value = self.effective(index)?;
                let shown = value::format(prop, &value)?;
                if prop.flags & properties::SENSITIVE != 0 {
                    return Some((prop.name.to_string(), properties::REDACTED.to_string()));
                }
                Some((prop.name.to_string(), shown))
            })
            .collect()
    }

    /// The value of a property that client code names by its canonical
    /// name; a wrong name is a programming error caught in debug builds.
    fn typed(&self, name: &str) -> Option<(&'static Property, Value)> {
        let found = properties::resolve(self.scope, name)
            .and_then(|(index, prop)| Some((prop, self.effective(index)?)));
        debug_assert!(
            properties::resolve(self.scope, name).is_some(),
            "unknown configuration property {name:?}"
        );
        found
    }

    fn int(&self, name: &str) -> i64 {
        match self.typed(name) {
            Some((_, Value::Int(n))) => n,
            Some((_, Value::Bool(b))) => b as i64,
            Some((_, Value::Ptr(addr))) => addr as i64,
            other => {
                debug_assert!(other.is_none(), "{name:?} is not an integer property");
                0
            }
        }
    }

    fn float(&self, name: &str) -> f64 {
        match self.typed(name) {
            Some((_, Value::Float(x))) => x,
            Some((_, Value::Int(n))) => n as f64,
            other => {
                debug_assert!(other.is_none(), "{name:?} is not a number property");
                0.0
            }
        }
    }

    fn boolean(&self, name: &str) -> bool {
        match self.typed(name) {
            Some((_, Value::Bool(b))) => b,
            other => {
                debug_assert!(other.is_none(), "{name:?} is not a boolean property");
                false
            }
        }
    }

    fn string(&self, name: &str) -> Option<&str> {
        let (index, prop) = properties::resolve(self.scope, name)?;
        match (&prop.kind, &self.slots[index]) {
            (Kind::Str { .. }, Some(Value::Str(Some(s)))) => Some(s.as_str()),
            (Kind::Str { default, .. }, _) => *default,
            (Kind::Enum { values, default }, slot) => {
                let number = match slot {
                    Some(Value::Int(n)) => *n,
                    _ => *default,
                };
                values
                    .iter()
                    .find(|(_, v)| *v == number)
                    .map(|(name, _)| *name)
            }
            _ => {
                debug_assert!(false, "{name:?} is not a string property");
                None
            }
        }
    }

    fn list(&self, name: &str) -> Vec<String> {
        match self.typed(name) {
            Some((_, Value::Str(Some(s)))) => s
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_string)
                .collect(),
            Some((
                Property {
                    kind: Kind::Flags { names, .. },
                    ..
                },
                Value::Flags(bits),
            )) => value::flag_names(names, bits)
                .into_iter()
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        }
    }

    fn set_pointer(&mut self, name: &str, addr: usize) {
        match properties::resolve(self.scope, name) {
            Some((
                index,
                Property {
                    kind: Kind::Pointer,
                    ..
                },
            )) => {
                self.slots[index] = Some(Value::Ptr(addr));
                self.modified[index] = true;
            }
            _ => debug_assert!(false, "{name:?} is not a pointer property"),
        }
    }

    fn pointer(&self, name: &str) -> usize {
        match self.typed(name) {
            Some((_, Value::Ptr(addr))) => addr,
            _ => 0,
        }
    }
}

/// Topic-level configuration (`rd_kafka_topic_conf_t`).
#[derive(Clone, Debug)]
pub struct TopicConfig {
    values: Values,
}

impl Default for TopicConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl TopicConfig {
    pub fn new() -> Self {
        TopicConfig {
            values: Values::new(Scope::Topic),
        }
    }

    /// Sets a property from its string form. A leading `topic.` is ignored,
    /// as librdkafka does, so `topic.acks` works too.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ConfError> {
        let bare = name.strip_prefix("topic.").unwrap_or(name);
        self.values
            .set(bare, value)
            .map_err(|e| e.unwrap_or_else(|| ConfError::unknown(name)))
    }

    /// The string form of a property; `Ok(None)` when it has no value
    /// (a string without default, an unset callback).
    pub fn get(&self, name: &str) -> Result<Option<String>, ConfError> {
        self.values
            .get(name)
            .ok_or_else(|| ConfError::unknown(name))
    }

    pub fn dump(&self) -> Vec<(String, String)> {
        self.values.dump()
    }

    /// The global properties the application set, as (name, value) in
    /// table order: what `rd_kafka_conf_dup` copies.
    pub fn modified_global(&self) -> Vec<(String, String)> {
        let table = self.values.table();
        self.values
            .dump()
            .into_iter()
            .filter(|(name, _)| {
                properties::index_of(Scope::Global, name).is_some_and(|i| {
                    self.values.modified[i] && !matches!(table[i].kind, properties::Kind::Pointer)
                })
            })
            .collect()
    }

    /// Whether the application set `name` (or one of its aliases).
    pub fn is_modified(&self, name: &str) -> bool {
        self.values.is_modified(name)
    }

    pub fn int(&self, name: &str) -> i64 {
        self.values.int(name)
    }

    pub fn boolean(&self, name: &str) -> bool {
        self.values.boolean(name)
    }

    pub fn float(&self, name: &str) -> f64 {
        self.values.float(name)
    }

    pub fn string(&self, name: &str) -> Option<&str> {
        self.values.string(name)
    }

    /// Stores the address of a callback or opaque (`partitioner_cb`,
    /// `msg_order_cmp`, `opaque`); 0 clears it.
    pub fn set_pointer(&mut self, name: &str, addr: usize) {
        self.values.set_pointer(name, addr)
    }

    /// The address stored with [`TopicConfig::set_pointer`], or 0.
    pub fn pointer(&self, name: &str) -> usize {
        self.values.pointer(name)
    }

    /// Checks this topic configuration against the global one when a topic
    /// (or the client, for the default topic configuration) is created, and
    /// applies the adjustments librdkafka makes. `global` must already be
    /// finalized.
    pub fn finalize_for(&mut self, kind: ClientKind, global: &Config) -> Result<(), String> {
        if kind != ClientKind::Producer {
            return Ok(());
        }
        let idempotent = global.boolean("enable.idempotence");
        if idempotent {
            if self.is_modified("request.required.acks") {
                if self.int("request.required.acks") != -1 {
                    return Err(
                        "`acks` must be set to `all` when `enable.idempotence` is true".into(),
                    );
                }
            } else {
                self.force("request.required.acks", Value::Int(-1));
            }
            if self.is_modified("queuing.strategy") {
                if self.string("queuing.strategy") != Some("fifo") {
                    return Err(
                        "`queuing.strategy` must be set to `fifo` when `enable.idempotence` is true"
                            .into(),
                    );
                }
            } else {
                self.force("queuing.strategy", Value::Int(0));
            }
            if global.string("transactional.id").is_some() {
                let transaction_timeout = global.int("transaction.timeout.ms");
                if !self.is_modified("message.timeout.ms") {
                    self.force("message.timeout.ms", Value::Int(transaction_timeout));
                } else if self.int("message.timeout.ms") > transaction_timeout {
                    return Err(
                        "`message.timeout.ms` must be set <= `transaction.timeout.ms`".into(),
                    );
                }
            }
        }
        let message_timeout = self.int("message.timeout.ms");
        if message_timeout != 0
            && (message_timeout as f64) <= global.float("queue.buffering.max.ms")
            && global.is_modified("queue.buffering.max.ms")
        {
            return Err("`message.timeout.ms` must be greater than `linger.ms`".into());
        }
        Ok(())
    }

    /// Applies a value chosen by finalization without marking the
    /// property as set by the application.
    fn force(&mut self, name: &str, value: Value) {
        force(&mut self.values, name, value)
    }
}

/// Global configuration (`rd_kafka_conf_t`), including the default topic
/// configuration that topic-level properties set on it go to.
#[derive(Clone, Debug)]
pub struct Config {
    values: Values,
    default_topic: TopicConfig,
    /// librdkafka creates the default topic configuration lazily; C callers
    /// can observe whether it exists (`rd_kafka_conf_get_default_topic_conf`).
    has_default_topic: bool,
    /// Certificates and keys handed over with `rd_kafka_conf_set_ssl_cert()`.
    ssl_blobs: Vec<SslBlob>,
}

/// Which certificate or key a `rd_kafka_conf_set_ssl_cert()` buffer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslBlobKind {
    /// The client's certificate.
    Public,
    /// The client's private key.
    Private,
    /// A CA certificate to verify brokers with.
    Ca,
}

impl SslBlobKind {
    /// The pointer property librdkafka reports it under.
    pub fn property(self) -> &'static str {
        match self {
            SslBlobKind::Public => "ssl_certificate",
            SslBlobKind::Private => "ssl_key",
            SslBlobKind::Ca => "ssl_ca",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslBlobEncoding {
    Pkcs12,
    Der,
    Pem,
}

/// One `rd_kafka_conf_set_ssl_cert()` buffer, kept as given (the TLS
/// setup parses it); `Debug` never shows the bytes, which may be a key.
#[derive(Clone)]
pub struct SslBlob {
    pub kind: SslBlobKind,
    pub encoding: SslBlobEncoding,
    pub bytes: Vec<u8>,
}

impl fmt::Debug for SslBlob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SslBlob({:?}, {:?}, {} bytes)",
            self.kind,
            self.encoding,
            self.bytes.len()
        )
    }
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    pub fn new() -> Self {
        Config {
            values: Values::new(Scope::Global),
            default_topic: TopicConfig::new(),
            has_default_topic: false,
            ssl_blobs: Vec::new(),
        }
    }

    /// Stores a certificate or key given in memory; a later one of the same
    /// kind replaces it, except CA certificates, which add up (as in
    /// librdkafka, where each call adds to the trust store).
    pub fn add_ssl_blob(&mut self, blob: SslBlob) {
        if blob.kind != SslBlobKind::Ca {
            self.ssl_blobs.retain(|b| b.kind != blob.kind);
        }
        self.ssl_blobs.push(blob);
    }

    pub fn ssl_blobs(&self, kind: SslBlobKind) -> impl Iterator<Item = &SslBlob> {
        self.ssl_blobs.iter().filter(move |b| b.kind == kind)
    }

    /// Sets a property from its string form. Names that are not global
    /// properties are tried on the default topic configuration.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ConfError> {
        match self.values.set(name, value) {
            Ok(()) => Ok(()),
            Err(Some(error)) => Err(error),
            Err(None) => {
                // librdkafka creates the default topic configuration before
                // trying the name on it, even if the name is unknown there.
                self.has_default_topic = true;
                self.default_topic.set(name, value)
            }
        }
    }

    /// The string form of a property. Topic properties are answered from
    /// the default topic configuration once it exists.
    pub fn get(&self, name: &str) -> Result<Option<String>, ConfError> {
        match self.values.get(name) {
            Some(value) => Ok(value),
            None if self.has_default_topic => self.default_topic.get(name),
            None => Err(ConfError::unknown(name)),
        }
    }

    /// Every global property that has a value, in table order.
    pub fn dump(&self) -> Vec<(String, String)> {
        self.values.dump()
    }

    /// The global properties the application set, as (name, value) in
    /// table order: what `rd_kafka_conf_dup` copies.
    pub fn modified_global(&self) -> Vec<(String, String)> {
        let table = self.values.table();
        self.values
            .dump()
            .into_iter()
            .filter(|(name, _)| {
                properties::index_of(Scope::Global, name).is_some_and(|i| {
                    self.values.modified[i] && !matches!(table[i].kind, properties::Kind::Pointer)
                })
            })
            .collect()
    }

    /// Whether the application set `name` (or one of its aliases).
    pub fn is_modified(&self, name: &str) -> bool {
        self.values.is_modified(name)
    }

    pub fn int(&self, name: &str) -> i64 {
        self.values.int(name)
    }

    pub fn boolean(&self, name: &str) -> bool {
        self.values.boolean(name)
    }

    pub fn float(&self, name: &str) -> f64 {
        self.values.float(name)
    }

    pub fn string(&self, name: &str) -> Option<&str> {
        self.values.string(name)
    }

    /// A comma-separated string property split into its items, or the
    /// enabled names of a flag property (`debug`).
    pub fn list(&self, name: &str) -> Vec<String> {
        self.values.list(name)
    }

    /// Stores the address of a callback or opaque; 0 clears it.
    pub fn set_pointer(&mut self, name: &str, addr: usize) {
        self.values.set_pointer(name, addr)
    }

    /// The address stored with [`Config::set_pointer`], or 0.
    pub fn pointer(&self, name: &str) -> usize {
        self.values.pointer(name)
    }

    pub fn default_topic(&self) -> &TopicConfig {
        &self.default_topic
    }

    /// Mutable access; counts as creating the default topic configuration.
    pub fn default_topic_mut(&mut self) -> &mut TopicConfig {
        self.has_default_topic = true;
        &mut self.default_topic
    }

    /// The default topic configuration if it was created (explicitly or by
    /// setting a topic property here), as librdkafka reports it.
    pub fn default_topic_if_set(&mut self) -> Option<&mut TopicConfig> {
        if self.has_default_topic {
            Some(&mut self.default_topic)
        } else {
            None
        }
    }

    /// Replaces the default topic configuration (topic properties set
    /// earlier on this configuration are dropped, as in librdkafka).
    pub fn set_default_topic(&mut self, topic: TopicConfig) {
        self.default_topic = topic;
        self.has_default_topic = true;
    }

    /// A copy that keeps only global properties whose name does not start
    /// with one of `prefixes` (`rd_kafka_conf_dup_filter`); filtered ones
    /// go back to their defaults.
    pub fn filtered(&self, prefixes: &[&str]) -> Config {
        let mut copy = self.clone();
        for (index, prop) in self.values.table().iter().enumerate() {
            if prefixes.iter().any(|prefix| prop.name.starts_with(prefix)) {
                copy.values.slots[index] = None;
                copy.values.modified[index] = false;
            }
        }
        copy
    }

    /// Checks done at `rd_kafka_new()`: rejects conflicting settings. Use
    /// [`Config::finalize`] to also get the adjusted values.
    pub fn validate_for(&self, kind: ClientKind) -> Result<(), String> {
        self.clone().finalize(kind)
    }

    /// Validates for a client of `kind` and applies librdkafka's derived
    /// settings (idempotence implies acks=all and at most 5 in-flight
    /// requests, consumers size fetch buffers from message.max.bytes, ...).
    /// The adjusted values are visible through the typed getters, `get` and
    /// `dump`, but do not count as set by the application.
    pub fn finalize(&mut self, kind: ClientKind) -> Result<(), String> {
        self.finalize_global(kind)?;
        if kind == ClientKind::Producer {
            let message_timeout = self.default_topic.int("message.timeout.ms");
            if message_timeout != 0
                && (message_timeout as f64) <= self.float("queue.buffering.max.ms")
            {
                if self.is_modified("queue.buffering.max.ms") {
                    return Err("`message.timeout.ms` must be greater than `linger.ms`".into());
                }
                self.force(
                    "queue.buffering.max.ms",
                    Value::Float(message_timeout as f64 - 0.1),
                );
            }
        }
        let global = self.clone();
        self.default_topic.finalize_for(kind, &global)
    }

    fn finalize_global(&mut self, kind: ClientKind) -> Result<(), String> {
        self.check_oauthbearer()?;
        match kind {
            ClientKind::Consumer => self.finalize_consumer()?,
            ClientKind::Producer => self.finalize_producer()?,
        }
        if !self.is_modified("metadata.max.age.ms") {
            let refresh = self.int("topic.metadata.refresh.interval.ms");
            if refresh > 0 {
                self.force("metadata.max.age.ms", Value::Int(refresh * 3));
            }
        }
        if self.int("reconnect.backoff.max.ms") < self.int("reconnect.backoff.ms") {
            return Err("`reconnect.backoff.max.ms` must be >= `reconnect.backoff.ms`".into());
        }
        if !self.is_modified("topic.metadata.refresh.fast.interval.ms") {
            let backoff = self.int("retry.backoff.ms");
            self.force(
                "topic.metadata.refresh.fast.interval.ms",
                Value::Int(backoff),
            );
        }
        if !self.is_modified("allow.auto.create.topics") {
            let allow = kind == ClientKind::Producer;
            self.force("allow.auto.create.topics", Value::Bool(allow));
        }
        Ok(())
    }

    fn check_oauthbearer(&self) -> Result<(), String> {
        let mechanism = self.string("sasl.mechanisms").unwrap_or("");
        if !mechanism.eq_ignore_ascii_case("OAUTHBEARER") {
            return Ok(());
        }
        let unsecure_jwt = self.boolean("enable.sasl.oauthbearer.unsecure.jwt");
        let oidc = self.string("sasl.oauthbearer.method") == Some("oidc");
        if unsecure_jwt && self.pointer("oauthbearer_token_refresh_cb") != 0 {
            return Err("`enable.sasl.oauthbearer.unsecure.jwt` and `oauthbearer_token_refresh_cb` are mutually exclusive".into());
        }
        if unsecure_jwt && oidc {
            return Err("`enable.sasl.oauthbearer.unsecure.jwt` and `sasl.oauthbearer.method=oidc` are mutually exclusive".into());
        }
        if oidc {
            for required in [
                "sasl.oauthbearer.client.id",
                "sasl.oauthbearer.client.secret",
                "sasl.oauthbearer.token.endpoint.url",
            ] {
                if self.string(required).is_none() {
                    return Err(format!(
                        "`{required}` is mandatory when `sasl.oauthbearer.method=oidc` is set"
                    ));
                }
            }
        }
        Ok(())
    }

    fn finalize_consumer(&mut self) -> Result<(), String> {
        let message_max = self.int("message.max.bytes");
        if self.is_modified("fetch.max.bytes") {
            if self.int("fetch.max.bytes") < message_max {
                return Err("`fetch.max.bytes` must be >= `message.max.bytes`".into());
            }
        } else {
            let queued_max = self.int("queued.max.messages.kbytes") * 1024;
            let fetch_max = self.int("fetch.max.bytes").min(queued_max).max(message_max);
            self.force("fetch.max.bytes", Value::Int(fetch_max));
        }
        let fetch_max = self.int("fetch.max.bytes");
        if self.is_modified("receive.message.max.bytes") {
            if fetch_max + 512 > self.int("receive.message.max.bytes") {
                return Err(
                    "`receive.message.max.bytes` must be >= `fetch.max.bytes` + 512".into(),
                );
            }
        } else {
            let receive_max = self.int("receive.message.max.bytes").max(fetch_max + 512);
            self.force("receive.message.max.bytes", Value::Int(receive_max));
        }
        if self.int("max.poll.interval.ms") < self.int("session.timeout.ms") {
            return Err("`max.poll.interval.ms` must be >= `session.timeout.ms`".into());
        }
        check_assignors(&self.list("partition.assignment.strategy"))?;
        // Idempotence is a producer feature; turning it off here keeps
        // "is this client idempotent" a single config lookup.
        self.force("enable.idempotence", Value::Bool(false));
        Ok(())
    }

    fn finalize_producer(&mut self) -> Result<(), String> {
        if self.string("transactional.id").is_some() {
            if !self.boolean("enable.idempotence") {
                if self.is_modified("enable.idempotence") {
                    return Err("`transactional.id` requires `enable.idempotence=true`".into());
                }
                self.force("enable.idempotence", Value::Bool(true));
            }
            let transaction_timeout = self.int("transaction.timeout.ms");
            if !self.is_modified("socket.timeout.ms") {
                // At least one request must fit before the transaction times out.
                self.force(
                    "socket.timeout.ms",
                    Value::Int((transaction_timeout - 100).max(900)),
                );
            } else if transaction_timeout + 100 < self.int("socket.timeout.ms") {
                return Err(
                    "`socket.timeout.ms` must be set <= `transaction.timeout.ms` + 100".into(),
                );
            }
        }
        if self.boolean("enable.idempotence") {
            const IDEMPOTENT_MAX_IN_FLIGHT: i64 = 5;
            let in_flight = self.int("max.in.flight.requests.per.connection");
            if self.is_modified("max.in.flight.requests.per.connection") {
                if in_flight > IDEMPOTENT_MAX_IN_FLIGHT {
                    return Err(
                        "`max.in.flight` must be set <= 5 when `enable.idempotence` is true".into(),
                    );
                }
            } else {
                self.force(
                    "max.in.flight.requests.per.connection",
                    Value::Int(in_flight.min(IDEMPOTENT_MAX_IN_FLIGHT)),
                );
            }
            if self.is_modified("message.send.max.retries") {
                if self.int("message.send.max.retries") < 1 {
                    return Err(
                        "`retries` must be set >= 1 when `enable.idempotence` is true".into(),
                    );
                }
            } else {
                self.force("message.send.max.retries", Value::Int(i32::MAX as i64));
            }
            if self.is_modified("queue.buffering.backpressure.threshold")
                && self.int("queue.buffering.backpressure.threshold") > 1
            {
                return Err("`queue.buffering.backpressure.threshold` must be set to 1 when `enable.idempotence` is true".into());
            }
            self.force("queue.buffering.backpressure.threshold", Value::Int(1));
        } else if self.boolean("enable.gapless.guarantee") {
            return Err(
                "`enable.gapless.guarantee` requires `enable.idempotence` to be enabled".into(),
            );
        }
        if !self.is_modified("sticky.partitioning.linger.ms") {
            let linger = (2.0 * self.float("queue.buffering.max.ms")).min(900000.0);
            self.force("sticky.partitioning.linger.ms", Value::Int(linger as i64));
        }
        Ok(())
    }

    fn force(&mut self, name: &str, value: Value) {
        force(&mut self.values, name, value)
    }
}

/// Stores a value chosen by finalization: getters see it, but the property
/// keeps its "set by the application" state.
fn force(values: &mut Values, name: &str, value: Value) {
    if let Some((index, _)) = properties::resolve(values.scope, name) {
        values.slots[index] = Some(value);
    }
}

/// Assignor names librdkafka knows; mixing the cooperative one with eager
/// ones is rejected because the group cannot agree on a protocol.
fn check_assignors(names: &[String]) -> Result<(), String> {
    const KNOWN: [&str; 3] = ["range", "roundrobin", "cooperative-sticky"];
    if names.is_empty() {
        return Err("`partition.assignment.strategy` must name at least one assignor".into());
    }
    for name in names {
        if !KNOWN.contains(&name.as_str()) {
            return Err(format!(
                "Unsupported partition.assignment.strategy \"{name}\": must be one of {}",
                KNOWN.join(", ")
            ));
        }
    }
    let cooperative = names.iter().filter(|n| *n == "cooperative-sticky").count();
    if cooperative != 0 && cooperative != names.len() {
        return Err(
            "`partition.assignment.strategy` cannot mix cooperative and eager assignors".into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests;
