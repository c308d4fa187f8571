//! Arbitrary bytes as a fetched record set (RecordBatch v2 headers, then the
//! records, decompressed with the batch's codec) and, with the first byte
//! choosing the codec, straight into each decompressor. Decompression bombs
//! must be refused without allocating what they claim: libFuzzer's
//! `-malloc_limit_mb` (the RSS limit, 2 GB, by default) reports an
//! allocation beyond it as a crash.
#![no_main]

use bytes::Bytes;
use ferrokafka::protocol::record_batch::{decode_batches, DEFAULT_MAX_DECOMPRESSED};
use ferrokafka::protocol::Compression;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let record_set = Bytes::copy_from_slice(data);
    if let Ok(batches) = decode_batches(&record_set) {
        for batch in batches {
            let _ = batch.verify_crc();
            let _ = batch.records();
        }
    }
    if let Some((&codec, compressed)) = data.split_first() {
        if let Ok(codec) = Compression::from_attributes(i16::from(codec)) {
            let _ = codec.decompress(compressed, DEFAULT_MAX_DECOMPRESSED);
        }
    }
});
