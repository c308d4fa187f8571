//! The committed C header must be exactly what cbindgen generates from the
//! Rust sources, so the ABI other programs compile against never drifts
//! from the code. Run with `FERROKAFKA_BLESS=1` to rewrite the header after
//! changing an exported item.

use std::path::Path;

#[test]
fn committed_header_matches_generated() {
    let crate_dir = env!("CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(Path::new(crate_dir).join("cbindgen.toml"))
        .expect("cbindgen.toml must parse");
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen must understand every exported item");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = untypedef_tags(String::from_utf8(generated).expect("header is UTF-8"));

    let header_path = Path::new(crate_dir).join("include/librdkafka/rdkafka.h");
    if std::env::var_os("FERROKAFKA_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&header_path, &generated).expect("write header");
        return;
    }
    let committed = std::fs::read_to_string(&header_path).unwrap_or_default();
    if committed != generated {
        let first_diff = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map(|i| i + 1)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()) + 1);
        panic!(
            "{} is stale (first difference at line {first_diff}); \
             regenerate with FERROKAFKA_BLESS=1 cargo test --test header_current",
            header_path.display()
        );
    }
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
