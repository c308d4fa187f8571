//! Arbitrary configurations into the property parser (`rd_kafka_conf_set`)
//! and the checks `rd_kafka_new` runs. The input is lines; a line
//! `name=value` sets `name`, any other line sets the property its first
//! byte picks from the global and topic tables to the rest of the line, so
//! that every value parser sees arbitrary text.
#![no_main]

use ferrokafka::config::properties::{table, Scope};
use ferrokafka::config::{ClientKind, Config};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let properties: Vec<&str> = table(Scope::Global)
        .iter()
        .chain(table(Scope::Topic))
        .map(|p| p.name)
        .collect();
    let mut conf = Config::new();
    for line in data.split(|&b| b == b'\n') {
        let text = String::from_utf8_lossy(line);
        match text.split_once('=') {
            Some((name, value)) => {
                let _ = conf.set(name, value);
            }
            None => {
                if let Some((&pick, value)) = line.split_first() {
                    let name = properties[usize::from(pick) % properties.len()];
                    let _ = conf.set(name, &String::from_utf8_lossy(value));
                }
            }
        }
    }
    for name in &properties {
        let _ = conf.get(name);
    }
    let _ = conf.dump();
    for kind in [ClientKind::Producer, ClientKind::Consumer] {
        let _ = conf.clone().finalize(kind);
    }
});
