//! The committed C headers must be exactly what cbindgen generates from the
//! Rust sources, so the ABI other programs compile against never drifts
//! from the code. Run with `FERROKAFKA_BLESS=1` to rewrite the headers after
//! changing an exported item.
//!
//! `rdkafka.h` comes from the whole crate minus the mock API;
//! `rdkafka_mock.h` from `src/ffi/mock.rs` alone.

mod support;

use std::path::Path;

const MOCK_SOURCE: &str = "src/ffi/mock.rs";

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn config(name: &str) -> cbindgen::Config {
    cbindgen::Config::from_file(crate_dir().join(name))
        .unwrap_or_else(|e| panic!("{name} must parse: {e:?}"))
}

/// Every identifier of the mock API in its source file: these belong in
/// `rdkafka_mock.h` only, as in librdkafka.
fn mock_items() -> Vec<String> {
    let source = std::fs::read_to_string(crate_dir().join(MOCK_SOURCE)).expect("read mock.rs");
    let mut names: Vec<String> = source
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            [
                "rd_kafka_mock_",
                "rd_kafka_handle_mock_",
                "ferrokafka_mock_",
            ]
            .iter()
            .any(|p| w.starts_with(p))
        })
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

fn check(builder: cbindgen::Builder, header: &str) {
    let bindings = builder
        .generate()
        .expect("cbindgen must understand every exported item");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = untypedef_tags(String::from_utf8(generated).expect("header is UTF-8"));

    let header_path = crate_dir().join("include/librdkafka").join(header);
    support::compare_or_bless(
        &header_path,
        &generated,
        "FERROKAFKA_BLESS=1 cargo test --release --test header_current",
    );
}

/// Struct tags that are also function names in librdkafka's API: C allows a
/// tag and a function of the same name, but not a typedef and a function.
/// cbindgen's `style = "both"` typedefs every struct under its tag, so for
/// these the typedef is removed (the `_t` typedef stays).
const TAG_ONLY_STRUCTS: &[&str] = &["rd_kafka_metadata"];

fn untypedef_tags(mut header: String) -> String {
    for tag in TAG_ONLY_STRUCTS {
        header = header
            .replace(
                &format!("typedef struct {tag} {{"),
                &format!("struct {tag} {{"),
            )
            .replace(&format!("}} {tag};"), "};");
    }
    header
}

/// Every macro the header defines lives in librdkafka's namespace: a stray
/// `pub const` elsewhere in the crate would otherwise become a `#define`
/// like `ALL` or `LOG_ERR` in every program that includes the header.
#[test]
fn header_defines_only_namespaced_macros() {
    let header = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("include/librdkafka/rdkafka.h"),
    )
    .expect("read header");
    let stray: Vec<&str> = header
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("#define "))
        .filter_map(|l| l.split(|c: char| c == ' ' || c == '(').next())
        .filter(|name| {
            !["RD_", "_RD", "_LRK", "LIBRDKAFKA_", "_RDKAFKA"]
                .iter()
                .any(|p| name.starts_with(p))
        })
        .collect();
    assert!(stray.is_empty(), "un-namespaced macros in rdkafka.h (make the Rust const pub(crate) or exclude it in cbindgen.toml): {stray:?}");
}

#[test]
fn committed_header_matches_generated() {
    let mut config = config("cbindgen.toml");
    config.export.exclude.extend(mock_items());
    let builder = cbindgen::Builder::new()
        .with_crate(crate_dir())
        .with_config(config);
    check(builder, "rdkafka.h");
}

#[test]
fn committed_mock_header_matches_generated() {
    let builder = cbindgen::Builder::new()
        .with_src(crate_dir().join(MOCK_SOURCE))
        .with_config(config("cbindgen-mock.toml"));
    check(builder, "rdkafka_mock.h");
}
