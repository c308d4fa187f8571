//! The checks `rd_kafka_unittest()` runs: known answers of the hashes the
//! partitioners and record batches depend on, and a round trip through
//! every compression codec. They need no broker and run in milliseconds;
//! the full unit and integration tests are `cargo test`'s.

use crate::partitioner::{crc32, murmur2};
use crate::protocol::compression::Compression;

/// Runs every check; returns how many failed, each reported on stderr as
/// librdkafka reports a failed unit test.
pub fn run() -> usize {
    let mut failed = 0;
    let mut check = |name: &str, ok: bool| {
        if !ok {
            eprintln!("unittest: {name}: FAILED");
            failed += 1;
        }
    };
    // Java's murmur2 (librdkafka's murmur2 partitioner matches it).
    check("murmur2(\"kafka\")", murmur2(b"kafka") == 0xd067cf64);
    check("murmur2(\"\")", murmur2(b"") == 0x106e08d9);
    check("crc32(\"123456789\")", crc32(b"123456789") == 0xcbf43926);
    // CRC-32C of RecordBatch v2 (RFC 3720's check value).
    check(
        "crc32c(\"123456789\")",
        crc32c::crc32c(b"123456789") == 0xe306_9283,
    );
    let input: Vec<u8> = (0..4096u32).map(|i| (i % 251) as u8).collect();
    for codec in [
        Compression::Gzip,
        Compression::Snappy,
        Compression::Lz4,
        Compression::Zstd,
    ] {
        let round_trip = codec
            .compress(&input, None)
            .ok()
            .and_then(|packed| codec.decompress(&packed, input.len() * 2).ok());
        check(
            &format!("{codec:?} round trip"),
            round_trip.as_deref() == Some(&input[..]),
        );
    }
    failed
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_self_check_passes() {
        assert_eq!(super::run(), 0);
    }
}
