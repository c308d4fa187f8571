//! Arbitrary request frames into the embedded mock broker's request
//! decoding: any client can connect to the mock and send it anything.
//! Run with `cargo +nightly fuzz run mock_request` from the repository root.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|frame: &[u8]| {
    let _ = ferrokafka::mock::decode_request(frame);
});
