use super::properties::{self, Kind, Scope};
use super::*;

fn err_kind<T: fmt::Debug>(result: Result<T, ConfError>) -> ConfErrorKind {
    result.expect_err("expected an error").kind
}

#[test]
fn defaults_are_librdkafkas() {
    let conf = Config::new();
    assert_eq!(conf.get("client.id").unwrap().as_deref(), Some("rdkafka"));
    assert_eq!(conf.int("message.max.bytes"), 1_000_000);
    assert_eq!(conf.float("queue.buffering.max.ms"), 5.0);
    assert_eq!(conf.get("linger.ms").unwrap().as_deref(), Some("5"));
    assert!(conf.boolean("enable.auto.commit"));
    assert_eq!(conf.string("security.protocol"), Some("plaintext"));
    assert_eq!(
        conf.list("partition.assignment.strategy"),
        vec!["range", "roundrobin"]
    );
    assert_eq!(conf.get("debug").unwrap().as_deref(), Some(""));
    assert_eq!(conf.get("group.id").unwrap(), None);
    let topic = TopicConfig::new();
    assert_eq!(topic.int("request.required.acks"), -1);
    assert_eq!(topic.string("partitioner"), Some("consistent_random"));
    assert_eq!(topic.string("compression.codec"), Some("inherit"));
    assert_eq!(topic.string("auto.offset.reset"), Some("largest"));
    assert_eq!(topic.int("auto.offset.reset"), -1);
    assert_eq!(topic.int("message.timeout.ms"), 300_000);
}

#[test]
fn aliases_share_the_canonical_value() {
    let mut conf = Config::new();
    conf.set("bootstrap.servers", "a:1, b:2").unwrap();
    assert_eq!(
        conf.get("metadata.broker.list").unwrap().as_deref(),
        Some("a:1, b:2")
    );
    assert_eq!(conf.list("bootstrap.servers"), vec!["a:1", "b:2"]);
    conf.set("linger.ms", "0.5").unwrap();
    assert_eq!(conf.float("queue.buffering.max.ms"), 0.5);
    assert!(conf.is_modified("queue.buffering.max.ms"));
    conf.set("compression.type", "LZ4").unwrap();
    assert_eq!(
        conf.get("compression.codec").unwrap().as_deref(),
        Some("lz4")
    );
    conf.set("retries", "3").unwrap();
    assert_eq!(conf.int("message.send.max.retries"), 3);
    conf.set("max.partition.fetch.bytes", "4096").unwrap();
    assert_eq!(conf.int("fetch.message.max.bytes"), 4096);

    let mut topic = TopicConfig::new();
    topic.set("acks", "all").unwrap();
    assert_eq!(
        topic.get("request.required.acks").unwrap().as_deref(),
        Some("-1")
    );
    topic.set("acks", "1").unwrap();
    assert_eq!(topic.int("acks"), 1);
    topic.set("delivery.timeout.ms", "1000").unwrap();
    assert_eq!(topic.int("message.timeout.ms"), 1000);
    topic.set("compression.type", "zstd").unwrap();
    assert_eq!(topic.string("compression.codec"), Some("zstd"));
}

#[test]
fn enum_values_are_case_insensitive_and_print_canonically() {
    let mut topic = TopicConfig::new();
    for (input, printed, number) in [
        ("earliest", "smallest", -2),
        ("BEGINNING", "smallest", -2),
        ("latest", "largest", -1),
        ("end", "largest", -1),
        ("error", "error", -1001),
    ] {
        topic.set("auto.offset.reset", input).unwrap();
        assert_eq!(
            topic.get("auto.offset.reset").unwrap().as_deref(),
            Some(printed)
        );
        assert_eq!(topic.int("auto.offset.reset"), number);
    }
    let e = topic.set("auto.offset.reset", "middle").unwrap_err();
    assert_eq!(e.kind, ConfErrorKind::Invalid);
    assert!(e.message.contains("smallest, earliest"), "{}", e.message);

    let mut conf = Config::new();
    conf.set("security.protocol", "SASL_SSL").unwrap();
    assert_eq!(conf.string("security.protocol"), Some("sasl_ssl"));
    // `inherit` only exists at topic level.
    assert_eq!(
        err_kind(conf.set("compression.codec", "inherit")),
        ConfErrorKind::Invalid
    );
    topic.set("compression.codec", "inherit").unwrap();
    // The global and topic offset.store.method differ in their value sets.
    conf.set("offset.store.method", "none").unwrap();
    assert_eq!(
        err_kind(topic.set("offset.store.method", "none")),
        ConfErrorKind::Invalid
    );
}

#[test]
fn invalid_values_are_rejected_with_what_is_allowed() {
    let mut conf = Config::new();
    let e = conf.set("linger.ms", "abc").unwrap_err();
    assert_eq!(e.kind, ConfErrorKind::Invalid);
    assert_eq!(
        e.message,
        "Invalid value \"abc\" for configuration property \"linger.ms\": must be a number between 0 and 900000"
    );
    assert_eq!(
        err_kind(conf.set("linger.ms", "900001")),
        ConfErrorKind::Invalid
    );
    assert_eq!(
        err_kind(conf.set("linger.ms", "NaN")),
        ConfErrorKind::Invalid
    );
    assert_eq!(
        err_kind(conf.set("message.max.bytes", "999")),
        ConfErrorKind::Invalid
    );
    assert_eq!(
        err_kind(conf.set("message.max.bytes", "12abc")),
        ConfErrorKind::Invalid
    );
    assert_eq!(
        err_kind(conf.set("message.max.bytes", "")),
        ConfErrorKind::Invalid
    );
    assert_eq!(
        err_kind(conf.set("message.max.bytes", "99999999999999999999999")),
        ConfErrorKind::Invalid
    );
    assert_eq!(
        err_kind(conf.set("socket.nagle.disable", "yes")),
        ConfErrorKind::Invalid
    );
    assert_eq!(
        err_kind(conf.set("socket.nagle.disable", "")),
        ConfErrorKind::Invalid
    );
    assert_eq!(err_kind(conf.set("log_level", "8")), ConfErrorKind::Invalid);
    assert_eq!(
        err_kind(conf.set("no.such.thing", "1")),
        ConfErrorKind::Unknown
    );
    // A failed set leaves the old value.
    assert_eq!(conf.float("linger.ms"), 5.0);
    assert_eq!(conf.int("message.max.bytes"), 1_000_000);
    assert!(!conf.is_modified("linger.ms"));
}

#[test]
fn numbers_follow_c_conventions() {
    let mut conf = Config::new();
    conf.set("message.max.bytes", "0x1000").unwrap();
    assert_eq!(conf.int("message.max.bytes"), 4096);
    conf.set("message.max.bytes", " 2000").unwrap();
    assert_eq!(
        conf.get("message.max.bytes").unwrap().as_deref(),
        Some("2000")
    );
    conf.set("linger.ms", "123456.7").unwrap();
    assert_eq!(conf.get("linger.ms").unwrap().as_deref(), Some("123457"));
    conf.set("linger.ms", "1e3").unwrap();
    assert_eq!(conf.get("linger.ms").unwrap().as_deref(), Some("1000"));
    conf.set("topic.metadata.refresh.interval.ms", "-1")
        .unwrap();
    assert_eq!(conf.int("topic.metadata.refresh.interval.ms"), -1);
}

#[test]
fn booleans_accept_librdkafkas_spellings() {
    let mut conf = Config::new();
    for (input, expected) in [
        ("true", true),
        ("F", false),
        ("T", true),
        ("0", false),
        ("1", true),
        ("FALSE", false),
    ] {
        conf.set("socket.keepalive.enable", input).unwrap();
        assert_eq!(conf.boolean("socket.keepalive.enable"), expected, "{input}");
    }
    assert_eq!(
        conf.get("socket.keepalive.enable").unwrap().as_deref(),
        Some("false")
    );
}

#[test]
fn strings_trim_leading_space_and_empty_resets() {
    let mut conf = Config::new();
    conf.set("group.id", "  abc ").unwrap();
    assert_eq!(conf.string("group.id"), Some("abc "));
    conf.set("group.id", "").unwrap();
    assert_eq!(conf.get("group.id").unwrap(), None);
    conf.set("client.id", "mine").unwrap();
    conf.set("client.id", "").unwrap();
    assert_eq!(conf.string("client.id"), Some("rdkafka"));
    conf.set("client.rack", " r1").unwrap();
    assert_eq!(conf.string("client.rack"), Some(" r1"));
}

#[test]
fn debug_flags_replace_add_and_remove() {
    let mut conf = Config::new();
    conf.set("debug", "broker,TOPIC").unwrap();
    assert_eq!(conf.get("debug").unwrap().as_deref(), Some("broker,topic"));
    conf.set("debug", "+msg").unwrap();
    assert_eq!(conf.list("debug"), vec!["broker", "topic", "msg"]);
    conf.set("debug", "-msg").unwrap();
    assert_eq!(conf.get("debug").unwrap().as_deref(), Some("broker,topic"));
    assert_eq!(err_kind(conf.set("debug", "")), ConfErrorKind::Invalid);
    assert_eq!(
        err_kind(conf.set("debug", "broker,nonsense")),
        ConfErrorKind::Invalid
    );
    assert_eq!(conf.get("debug").unwrap().as_deref(), Some("broker,topic"));
    conf.set("debug", "all").unwrap();
    let all = conf.get("debug").unwrap().unwrap();
    assert_eq!(all, properties::DEBUG_CONTEXTS.join(","));
}

#[test]
fn builtin_features_report_and_check_support() {
    let mut conf = Config::new();
    const ALL: &str = "gzip,snappy,ssl,sasl,lz4,sasl_plain,sasl_scram,zstd,sasl_oauthbearer";
    assert_eq!(conf.get("builtin.features").unwrap().as_deref(), Some(ALL));
    conf.set("builtin.features", "zstd,gzip,ssl,sasl_scram")
        .unwrap();
    assert_eq!(conf.get("builtin.features").unwrap().as_deref(), Some(ALL));
    let e = conf
        .set("builtin.features", "gzip,sasl_gssapi")
        .unwrap_err();
    assert_eq!(e.kind, ConfErrorKind::Invalid);
    assert!(e.message.contains("sasl_gssapi"), "{}", e.message);
    assert_eq!(
        err_kind(conf.set("builtin.features", "teleport")),
        ConfErrorKind::Invalid
    );
}

#[test]
fn special_properties() {
    let mut conf = Config::new();
    for name in ["dr_msg_cb", "opaque", "default_topic_conf", "log_cb"] {
        assert_eq!(
            err_kind(conf.set(name, "1")),
            ConfErrorKind::Invalid,
            "{name}"
        );
    }
    assert_eq!(
        err_kind(conf.set("interceptors", "x")),
        ConfErrorKind::Invalid
    );
    assert_eq!(
        err_kind(conf.set("sasl.jaas.config", "x")),
        ConfErrorKind::Invalid
    );
    assert_eq!(
        err_kind(conf.set("ssl.truststore.location", "x")),
        ConfErrorKind::Invalid
    );
    conf.set("test.mock.num.brokers", "3").unwrap();
    assert_eq!(conf.int("test.mock.num.brokers"), 3);
    assert_eq!(conf.get("opaque").unwrap(), None);
    conf.set_pointer("opaque", 0x1234);
    assert_eq!(conf.get("opaque").unwrap().as_deref(), Some("0x1234"));
    assert_eq!(conf.pointer("opaque"), 0x1234);
    assert!(conf
        .dump()
        .contains(&("opaque".to_string(), "0x1234".to_string())));

    let mut topic = TopicConfig::new();
    topic.set("partitioner", "murmur2_random").unwrap();
    let e = topic.set("partitioner", "bogus").unwrap_err();
    assert!(e.message.contains("fnv1a_random"), "{}", e.message);
    assert_eq!(topic.string("partitioner"), Some("murmur2_random"));
    topic.set("topic.partitioner", "fnv1a").unwrap();
    assert_eq!(topic.string("partitioner"), Some("fnv1a"));
    assert_eq!(
        err_kind(topic.set("client.id", "x")),
        ConfErrorKind::Unknown
    );
}

#[test]
fn topic_properties_on_global_go_to_the_default_topic() {
    let mut conf = Config::new();
    assert_eq!(err_kind(conf.get("partitioner")), ConfErrorKind::Unknown);
    assert!(conf.default_topic_if_set().is_none());
    conf.set("acks", "0").unwrap();
    assert_eq!(conf.default_topic().int("request.required.acks"), 0);
    assert_eq!(conf.get("acks").unwrap().as_deref(), Some("0"));
    assert!(conf.default_topic_if_set().is_some());
    // Names present in both scopes stay global.
    conf.set("compression.codec", "gzip").unwrap();
    assert_eq!(
        conf.default_topic().string("compression.codec"),
        Some("inherit")
    );
    // Replacing the default topic configuration drops what was set before.
    conf.set_default_topic(TopicConfig::new());
    assert_eq!(conf.get("acks").unwrap().as_deref(), Some("-1"));
    assert_eq!(
        err_kind(conf.set("not.anywhere", "1")),
        ConfErrorKind::Unknown
    );
}

#[test]
fn dump_round_trips_through_set() {
    let mut conf = Config::new();
    conf.set("client.id", "x").unwrap();
    conf.set("linger.ms", "7.5").unwrap();
    conf.set("debug", "cgrp,fetch").unwrap();
    let dump = conf.dump();
    let names: Vec<&str> = dump.iter().map(|(k, _)| k.as_str()).collect();
    assert!(names.contains(&"queue.buffering.max.ms"));
    assert!(!names.contains(&"linger.ms"), "aliases are not dumped");
    assert!(!names.contains(&"group.id"), "unset strings are not dumped");
    let mut copy = Config::new();
    for (name, value) in &dump {
        if name == "builtin.features" || value.is_empty() {
            continue;
        }
        copy.set(name, value)
            .unwrap_or_else(|e| panic!("{name}={value}: {e}"));
    }
    assert_eq!(copy.dump(), dump);
    let topic_dump = TopicConfig::new().dump();
    assert_eq!(topic_dump.len(), 15, "{topic_dump:?}");
}

#[test]
fn filtered_copy_resets_matching_properties() {
    let mut conf = Config::new();
    conf.set("client.id", "zz").unwrap();
    conf.set("group.id", "g").unwrap();
    conf.set("acks", "1").unwrap();
    let copy = conf.filtered(&["client", "acks"]);
    assert_eq!(copy.string("client.id"), Some("rdkafka"));
    assert_eq!(copy.string("group.id"), Some("g"));
    assert_eq!(copy.default_topic().int("acks"), 1);
}

#[test]
fn producer_finalization() {
    let mut conf = Config::new();
    conf.set("enable.idempotence", "true").unwrap();
    conf.finalize(ClientKind::Producer).unwrap();
    assert_eq!(conf.int("max.in.flight.requests.per.connection"), 5);
    assert_eq!(conf.default_topic().int("acks"), -1);
    assert!(!conf.is_modified("max.in.flight"));
    assert!(conf.boolean("allow.auto.create.topics"));
    assert_eq!(conf.int("sticky.partitioning.linger.ms"), 10);

    let mut conf = Config::new();
    conf.set("enable.idempotence", "true").unwrap();
    conf.set("max.in.flight", "6").unwrap();
    assert!(conf.validate_for(ClientKind::Producer).is_err());
    // Consumers ignore producer-only conflicts.
    assert!(conf.validate_for(ClientKind::Consumer).is_ok());

    let mut conf = Config::new();
    conf.set("enable.idempotence", "true").unwrap();
    conf.set("acks", "1").unwrap();
    let e = conf.validate_for(ClientKind::Producer).unwrap_err();
    assert!(e.contains("acks"), "{e}");

    let mut conf = Config::new();
    conf.set("transactional.id", "t").unwrap();
    conf.set("enable.idempotence", "false").unwrap();
    assert!(conf.validate_for(ClientKind::Producer).is_err());

    let mut conf = Config::new();
    conf.set("transactional.id", "t").unwrap();
    conf.finalize(ClientKind::Producer).unwrap();
    assert!(conf.boolean("enable.idempotence"));
    assert_eq!(conf.int("socket.timeout.ms"), 59_900);
    assert_eq!(conf.default_topic().int("message.timeout.ms"), 60_000);

    let mut conf = Config::new();
    conf.set("linger.ms", "1000").unwrap();
    conf.set("message.timeout.ms", "500").unwrap();
    let e = conf.validate_for(ClientKind::Producer).unwrap_err();
    assert!(e.contains("linger.ms"), "{e}");

    let mut conf = Config::new();
    conf.set("message.timeout.ms", "3").unwrap();
    conf.finalize(ClientKind::Producer).unwrap();
    assert!(conf.float("linger.ms") < 3.0);

    let mut conf = Config::new();
    conf.set("enable.gapless.guarantee", "true").unwrap();
    assert!(conf.validate_for(ClientKind::Producer).is_err());
}

#[test]
fn consumer_finalization() {
    let mut conf = Config::new();
    conf.finalize(ClientKind::Consumer).unwrap();
    assert!(!conf.boolean("allow.auto.create.topics"));
    assert_eq!(conf.int("fetch.max.bytes"), 52_428_800);
    assert_eq!(conf.int("receive.message.max.bytes"), 100_000_000);
    assert_eq!(conf.int("metadata.max.age.ms"), 900_000);

    let mut conf = Config::new();
    conf.set("fetch.max.bytes", "1000").unwrap();
    conf.set("message.max.bytes", "2000").unwrap();
    assert!(conf.validate_for(ClientKind::Consumer).is_err());

    let mut conf = Config::new();
    conf.set("session.timeout.ms", "400000").unwrap();
    assert!(conf.validate_for(ClientKind::Consumer).is_err());

    let mut conf = Config::new();
    conf.set("partition.assignment.strategy", "range,cooperative-sticky")
        .unwrap();
    assert!(conf.validate_for(ClientKind::Consumer).is_err());
    conf.set("partition.assignment.strategy", "sticky-ish")
        .unwrap();
    assert!(conf.validate_for(ClientKind::Consumer).is_err());
    conf.set("partition.assignment.strategy", "cooperative-sticky")
        .unwrap();
    assert!(conf.validate_for(ClientKind::Consumer).is_ok());

    let mut conf = Config::new();
    conf.set("reconnect.backoff.ms", "5000").unwrap();
    conf.set("reconnect.backoff.max.ms", "1000").unwrap();
    assert!(conf.validate_for(ClientKind::Consumer).is_err());
}

#[test]
fn every_table_entry_is_consistent() {
    for scope in [Scope::Global, Scope::Topic] {
        for prop in properties::table(scope) {
            assert_eq!(
                properties::index_of(scope, prop.name).map(|i| properties::table(scope)[i].name),
                Some(prop.name),
                "duplicate name {}",
                prop.name
            );
            let resolved = properties::resolve(scope, prop.name);
            assert!(resolved.is_some(), "{} does not resolve", prop.name);
            if let Some((_, target)) = resolved {
                assert!(!matches!(target.kind, Kind::Alias { .. }));
            }
            match prop.kind {
                Kind::Int {
                    min, max, default, ..
                } => {
                    assert!(min <= default && default <= max, "{}", prop.name)
                }
                Kind::Float { min, max, default } => {
                    assert!(min <= default && default <= max, "{}", prop.name)
                }
                Kind::Enum { values, default } => {
                    assert!(values.iter().any(|(_, v)| *v == default), "{}", prop.name)
                }
                _ => {}
            }
        }
    }
}

/// One row of CONFIGURATION.md: the columns and the pieces of the
/// description that are facts (type, alias target, markers).
struct DocRow {
    line: String,
    name: String,
    columns: Vec<String>,
    type_name: String,
    alias: Option<String>,
    deprecated: bool,
    /// The description without the `<br>*Type: ...*` suffix.
    description: String,
}

fn parse_doc(text: &str) -> Vec<(Scope, DocRow)> {
    let mut scope = Scope::Global;
    let mut rows = Vec::new();
    for line in text.lines() {
        if line.starts_with("## Topic") {
            scope = Scope::Topic;
        }
        if !line.contains('|') || line.starts_with("Property") || line.starts_with("---") {
            continue;
        }
        // `\|` inside a default value is an escaped pipe, not a separator.
        let cells: Vec<String> = line
            .replace("\\|", "\u{0}")
            .split('|')
            .map(|c| c.trim().replace('\u{0}', "|"))
            .collect();
        let description = cells[5..].join("|");
        let type_name = description
            .split("*Type: ")
            .nth(1)
            .and_then(|t| t.split('*').next())
            .unwrap_or("")
            .to_string();
        let alias = description
            .split("Alias for `")
            .nth(1)
            .and_then(|t| t.split('`').next())
            .map(str::to_string);
        rows.push((
            scope,
            DocRow {
                line: line.to_string(),
                name: cells[0].clone(),
                columns: cells[..5].to_vec(),
                type_name,
                alias,
                deprecated: description.starts_with("**DEPRECATED**")
                    || description.contains(". **DEPRECATED**"),
                description: description
                    .split(" <br>*Type: ")
                    .next()
                    .unwrap_or("")
                    .to_string(),
            },
        ));
    }
    rows
}

fn read_installed_doc() -> Option<String> {
    let path = "/usr/share/doc/librdkafka-dev/CONFIGURATION.md.gz";
    let file = std::fs::File::open(path).ok()?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(file), &mut text).ok()?;
    Some(text)
}

/// Compares our table with the CONFIGURATION.md installed with librdkafka:
/// same properties, scopes, C/P roles, ranges, defaults, importance, types,
/// aliases and deprecation markers.
#[test]
fn table_matches_installed_configuration_md() {
    let Some(doc) = read_installed_doc() else {
        eprintln!("note: CONFIGURATION.md.gz not installed; skipping the comparison");
        return;
    };
    let rows = parse_doc(&doc);
    assert!(rows.len() > 150, "parsed only {} rows", rows.len());
    let mut ours = Vec::new();
    properties_show(&mut ours).unwrap();
    let ours = String::from_utf8(ours).unwrap();
    let our_rows = parse_doc(&ours);
    let find = |scope: Scope, name: &str| {
        our_rows
            .iter()
            .find(|(s, r)| *s == scope && r.name == name)
            .map(|(_, r)| r)
    };
    for (scope, doc_row) in &rows {
        let ours = find(*scope, &doc_row.name)
            .unwrap_or_else(|| panic!("missing {:?} property {}", scope, doc_row.name));
        let mut expected = doc_row.columns.clone();
        // Our build's feature list differs on purpose (see SUPPORTED_FEATURES).
        if doc_row.name == "builtin.features" {
            expected[3] =
                value::flag_names(properties::BUILTIN_FEATURES, properties::SUPPORTED_FEATURES)
                    .join(", ");
        }
        // librdkafka's generator prints the global compression.codec's
        // range and default for the topic-level alias; ours prints the
        // topic-level target's, which is what the alias really sets.
        if *scope == Scope::Topic && doc_row.name == "compression.type" {
            expected[2] = "none, gzip, snappy, lz4, zstd, inherit".to_string();
            expected[3] = "inherit".to_string();
        }
        assert_eq!(
            ours.columns, expected,
            "\n doc: {}\n our: {}",
            doc_row.line, ours.line
        );
        assert_eq!(
            ours.type_name, doc_row.type_name,
            "type of {}",
            doc_row.name
        );
        assert_eq!(ours.alias, doc_row.alias, "alias of {}", doc_row.name);
        assert_eq!(
            ours.deprecated, doc_row.deprecated,
            "deprecation of {}",
            doc_row.name
        );
    }
    assert_eq!(
        our_rows.len(),
        rows.len(),
        "we show properties the doc does not have"
    );
}

/// Longest run of consecutive words two texts share (case and
/// punctuation ignored).
fn longest_shared_run(a: &str, b: &str) -> usize {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let mut best = 0;
    for i in 0..a.len() {
        for j in 0..b.len() {
            let run = a[i..]
                .iter()
                .zip(&b[j..])
                .take_while(|(x, y)| x == y)
                .count();
            best = best.max(run);
        }
    }
    best
}

/// Our descriptions are our own words: none repeats a phrase of eight or
/// more words from librdkafka's description of the same property (shorter
/// runs are property and function names, enum values and lists of them).
#[test]
fn descriptions_are_not_copied_from_librdkafka() {
    assert_eq!(longest_shared_run("a b c d", "x b c y"), 2);
    let Some(doc) = read_installed_doc() else {
        eprintln!("note: CONFIGURATION.md.gz not installed; skipping the comparison");
        return;
    };
    let rows = parse_doc(&doc);
    let mut copied = Vec::new();
    for scope in [Scope::Global, Scope::Topic] {
        for prop in properties::table(scope) {
            let Some((_, doc_row)) = rows
                .iter()
                .find(|(s, r)| *s == scope && r.name == prop.name)
            else {
                continue;
            };
            let run = longest_shared_run(prop.description, &doc_row.description);
            if run >= 8 {
                copied.push(format!("{} ({run} words in a row)", prop.name));
            }
        }
    }
    assert!(
        copied.is_empty(),
        "descriptions too close to librdkafka's: {copied:?}"
    );
}

#[test]
fn show_has_the_documented_layout() {
    let mut out = Vec::new();
    properties_show(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("## Global configuration properties\n\nProperty"));
    assert!(text.contains("\n\n\n## Topic configuration properties\n\n"));
    assert!(text.ends_with("### C/P legend: C = Consumer, P = Producer, * = both\n"));
    let line = text.lines().find(|l| l.starts_with("client.id ")).unwrap();
    assert!(line.starts_with(
        "client.id                                |  *  |                 |       rdkafka | low        | "
    ));
    assert!(
        !text.contains("test.mock.num.brokers"),
        "hidden properties are not shown"
    );
}

#[test]
fn dumps_show_secrets_redacted_but_get_returns_them() {
    let mut conf = Config::new();
    conf.set("ssl.key.password", "hunter2").unwrap();
    conf.set("ssl.keystore.password", "hunter3").unwrap();
    conf.set("ssl.key.pem", "-----BEGIN PRIVATE KEY-----")
        .unwrap();
    let dump = conf.dump();
    for name in ["ssl.key.password", "ssl.keystore.password", "ssl.key.pem"] {
        let shown = dump
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str());
        assert_eq!(shown, Some(properties::REDACTED), "{name}");
    }
    assert!(!format!("{dump:?}").contains("hunter"), "{dump:?}");
    assert_eq!(
        conf.get("ssl.key.password").unwrap().as_deref(),
        Some("hunter2")
    );
}
