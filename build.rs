//! Compiles the tiny C shims for the C API's variadic functions
//! (`rd_kafka_producev()` and friends), which stable Rust cannot define.
fn main() {
    println!("cargo:rerun-if-changed=src/ffi/producev.c");
    println!("cargo:rerun-if-changed=src/ffi/mock_variadic.c");
    if std::path::Path::new("src/ffi/producev.c").exists() {
        cc::Build::new()
            .file("src/ffi/producev.c")
            .file("src/ffi/mock_variadic.c")
            .include("include/librdkafka")
            .warnings(true)
            .compile("ferrokafka_producev");
        export_c_symbols(&[
            "rd_kafka_producev",
            "rd_kafka_error_new",
            "rd_kafka_mock_push_request_errors",
            "rd_kafka_mock_broker_push_request_error_rtts",
        ]);
    }
    // Programs linked against librdkafka record this name; answering to it
    // lets them load us in its place.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,librdkafka.so.1");
}

/// rustc's version script for the cdylib lists only Rust-defined exports
/// and hides everything else, including the C shim's functions. GNU ld and
/// lld merge a second anonymous version script that makes them global.
fn export_c_symbols(symbols: &[&str]) {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let map = std::path::Path::new(&out_dir).join("c_exports.map");
    let globals: String = symbols.iter().map(|s| format!("    {s};\n")).collect();
    std::fs::write(&map, format!("{{\n  global:\n{globals}}};\n")).expect("write version script");
    for sym in symbols {
        // Keeps the otherwise unreferenced shim objects in the link.
        println!("cargo:rustc-cdylib-link-arg=-Wl,--undefined={sym}");
    }
    println!(
        "cargo:rustc-cdylib-link-arg=-Wl,--version-script={}",
        map.display()
    );
}
