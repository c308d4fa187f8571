//! The committed `CONFIGURATION.md` must be exactly what the property table
//! renders, so the documentation never drifts from the code. Run with
//! `FERROKAFKA_BLESS=1` to rewrite it after changing the table.
//!
//! That the table itself agrees with librdkafka 2.0.2's CONFIGURATION.md
//! (names, scopes, ranges, defaults, importance, types) is checked by the
//! unit test `config::tests::table_matches_installed_configuration_md`, on
//! the same rendering this file is made of.

mod support;

use std::path::Path;

#[test]
fn configuration_md_is_current() {
    let mut generated = Vec::new();
    ferrokafka::config::configuration_md(&mut generated).expect("render CONFIGURATION.md");
    let generated = String::from_utf8(generated).expect("CONFIGURATION.md is UTF-8");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("CONFIGURATION.md");
    support::compare_or_bless(
        &path,
        &generated,
        "FERROKAFKA_BLESS=1 cargo test --release --test configuration_doc",
    );
}

/// Every `.rs` file under `dir`, recursively.
fn rust_sources(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// Named in the sources without their value changing what the library
/// does: `rd_kafka_new()` sets `client.software.version` again so that
/// interceptors see it (as librdkafka does), but ApiVersions always sends
/// this library's own version.
const NAMED_BUT_NOT_ACTED_ON: &[&str] = &["client.software.version"];

/// The "accepted, not acted on" marks stay true in both directions: a
/// settable property the library reads by name (its quoted name appears in
/// a source file other than the table and the configuration tests) is not
/// marked, and one nothing names is marked. Deprecated properties, aliases,
/// callbacks and other dedicated-API entries, and the check-only
/// `builtin.features` are outside the rule. A heuristic, but one that fails
/// when someone implements a marked property or adds an unread one.
#[test]
fn not_acted_on_marks_match_the_sources() {
    use ferrokafka::config::properties::{table, Kind, Scope};
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_sources(&src, &mut files);
    let sources: String = files
        .iter()
        .filter(|f| !f.ends_with("config/properties.rs") && !f.ends_with("config/tests.rs"))
        .map(|f| std::fs::read_to_string(f).expect("read source"))
        .collect();
    let mut wrong = Vec::new();
    for scope in [Scope::Global, Scope::Topic] {
        for prop in table(scope) {
            let settable = matches!(
                prop.kind,
                Kind::Str { .. }
                    | Kind::Int { .. }
                    | Kind::Float { .. }
                    | Kind::Bool { .. }
                    | Kind::Enum { .. }
                    | Kind::Flags {
                        check_only: false,
                        ..
                    }
            );
            if !settable || prop.is_deprecated() {
                continue;
            }
            let read = sources.contains(&format!("\"{}\"", prop.name))
                && !NAMED_BUT_NOT_ACTED_ON.contains(&prop.name);
            if read != prop.is_acted_on() {
                wrong.push(format!(
                    "{} ({}, but marked {})",
                    prop.name,
                    if read {
                        "read by name"
                    } else {
                        "named nowhere"
                    },
                    if prop.is_acted_on() {
                        "acted on"
                    } else {
                        "not acted on"
                    }
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "NOT_ACTED_ON marks are wrong: {wrong:#?}");
}
