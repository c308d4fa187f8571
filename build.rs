//! Compiles the tiny C shim for the variadic `rd_kafka_producev()`, which
//! stable Rust cannot define.
fn main() {
    println!("cargo:rerun-if-changed=src/ffi/producev.c");
    if std::path::Path::new("src/ffi/producev.c").exists() {
        cc::Build::new()
            .file("src/ffi/producev.c")
            .include("include/librdkafka")
            .warnings(true)
            .compile("ferrokafka_producev");
    }
}
