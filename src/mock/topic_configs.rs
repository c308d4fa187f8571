//! The topic configs the mock knows: their defaults and the broker-level
//! property each falls back to (reported as its synonym), as a Kafka
//! broker with default settings describes them. Overrides live in
//! `state::Topic::configs`.

/// `(topic config, default value, broker synonym)`.
const TOPIC_CONFIGS: &[(&str, &str, &str)] = &[
    ("cleanup.policy", "delete", "log.cleanup.policy"),
    ("compression.type", "producer", "compression.type"),
    (
        "delete.retention.ms",
        "86400000",
        "log.cleaner.delete.retention.ms",
    ),
    (
        "file.delete.delay.ms",
        "60000",
        "log.segment.delete.delay.ms",
    ),
    (
        "flush.messages",
        "9223372036854775807",
        "log.flush.interval.messages",
    ),
    ("flush.ms", "9223372036854775807", "log.flush.interval.ms"),
    ("max.message.bytes", "1048588", "message.max.bytes"),
    (
        "message.timestamp.type",
        "CreateTime",
        "log.message.timestamp.type",
    ),
    ("min.insync.replicas", "1", "min.insync.replicas"),
    ("retention.bytes", "-1", "log.retention.bytes"),
    ("retention.ms", "604800000", "log.retention.ms"),
    ("segment.bytes", "1073741824", "log.segment.bytes"),
    ("segment.ms", "604800000", "log.roll.ms"),
    (
        "unclean.leader.election.enable",
        "false",
        "unclean.leader.election.enable",
    ),
];

/// Kafka's `ConfigSource` values the mock reports.
pub const SOURCE_DYNAMIC_TOPIC: i8 = 1;
pub const SOURCE_STATIC_BROKER: i8 = 4;
pub const SOURCE_DEFAULT: i8 = 5;

/// A known topic config: its default and broker synonym.
pub fn topic_config(name: &str) -> Option<(&'static str, &'static str)> {
    TOPIC_CONFIGS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, default, synonym)| (*default, *synonym))
}

/// Every known topic config name, in a stable order.
pub fn topic_config_names() -> impl Iterator<Item = &'static str> {
    TOPIC_CONFIGS.iter().map(|(n, _, _)| *n)
}

/// Checks a topic config an application sets: a known name and, for the
/// numeric ones, a number.
pub fn check_topic_config(name: &str, value: Option<&str>) -> Result<(), String> {
    let Some((default, _)) = topic_config(name) else {
        return Err(format!("Unknown topic config name: {name}"));
    };
    if let Some(v) = value {
        if default.parse::<i64>().is_ok() && v.parse::<i64>().is_err() {
            return Err(format!(
                "Invalid value {v} for configuration {name}: Not a number"
            ));
        }
    }
    Ok(())
}
