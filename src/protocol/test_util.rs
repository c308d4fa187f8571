//! Shared checks for codec tests.

use std::fmt::Debug;

use bytes::{Bytes, BytesMut};

use super::{Message, Reader};

/// Encodes `msg` at `version` and checks that:
/// - decoding consumes exactly the encoded bytes and yields `msg` again
///   (so `msg` must only use fields that exist at `version`);
/// - every strict prefix of the encoding fails to decode, without panicking.
///
/// Returns the encoding so callers can compare it with a fixture.
pub fn roundtrip<M: Message + PartialEq + Debug>(msg: &M, version: i16) -> Bytes {
    let mut out = BytesMut::new();
    msg.encode(version, &mut out)
        .unwrap_or_else(|e| panic!("encode v{version} failed: {e}"));
    let bytes = out.freeze();
    let mut r = Reader::from_bytes(&bytes);
    let decoded =
        M::decode(version, &mut r).unwrap_or_else(|e| panic!("decode v{version} failed: {e}"));
    assert_eq!(r.remaining(), 0, "v{version}: decode left bytes unread");
    assert_eq!(&decoded, msg, "v{version}: round trip changed the value");
    for cut in 0..bytes.len() {
        let mut r = Reader::new(&bytes[..cut]);
        assert!(
            M::decode(version, &mut r).is_err(),
            "v{version}: prefix of {cut}/{} bytes decoded",
            bytes.len()
        );
    }
    bytes
}

/// `value` if the field exists at `version` (added in `since`), else the
/// default the decoder fills in.
pub fn since<T>(version: i16, since: i16, value: T, default: T) -> T {
    if version >= since {
        value
    } else {
        default
    }
}
