//! Arbitrary bytes into every response (and request) decoder at every
//! supported version, the RecordBatch decoder and the consumer-protocol
//! decoders. Run with `cargo +nightly fuzz run decode_response` from the
//! repository root.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ferrokafka::protocol::messages::decode_everything(data);
});
