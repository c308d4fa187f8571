//! The Kafka wire codec: primitives, request/response framing, one module
//! per API under [`messages`], RecordBatch v2 and compression. No I/O, no
//! threads: callers hand in bytes and get values back (and vice versa).
//!
//! Every message implements both directions because the same types serve the
//! client (encode requests, decode responses) and the embedded mock broker
//! (decode requests, encode responses).

pub mod api_key;
pub mod compression;
pub mod error;
pub mod frame;
pub mod messages;
pub mod primitives;
pub mod record_batch;

#[cfg(test)]
pub(crate) mod test_util;

use bytes::{Bytes, BytesMut};

pub use api_key::ApiKey;
pub use compression::Compression;
pub use error::{DecodeError, EncodeError};
pub use frame::{
    decode_request_header, decode_response, decode_response_header, decode_response_header_for,
    encode_request, encode_request_chunked, encode_response, peek_correlation_id, try_split_frame,
    RequestHeader,
};
pub use primitives::{PutExt, Reader};

/// A message body that can be written and read at a given version.
pub trait Message: Sized {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError>;
    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError>;

    /// Like [`Message::encode`], except that large byte fields the message
    /// already holds as `Bytes` (produce record sets) may be left out of
    /// `out` and listed in `chunks` as (offset in `out` where they belong,
    /// bytes), so a sender can write them without copying. The default
    /// copies everything into `out`.
    fn encode_chunked(
        &self,
        version: i16,
        out: &mut BytesMut,
        chunks: &mut Vec<(usize, Bytes)>,
    ) -> Result<(), EncodeError> {
        let _ = chunks;
        self.encode(version, out)
    }
}

/// A request type; ties the request to its API key, supported versions and
/// response type.
pub trait Request: Message {
    const API_KEY: ApiKey;
    const MIN_VERSION: i16;
    const MAX_VERSION: i16;
    /// First flexible (KIP-482) version, or `i16::MAX` if none we support.
    const FIRST_FLEXIBLE_VERSION: i16;
    type Response: Message + Throttled;
}

/// A response's `throttle_time_ms`: how long the broker throttles this
/// client (request quotas, KIP-124; KIP-219's mute). Every response type
/// has the field except the SASL ones (Kafka does not throttle
/// authentication), which read 0 and ignore a value set. A version without
/// the field on the wire decodes as 0.
pub trait Throttled {
    fn throttle_time_ms(&self) -> i32;
    fn set_throttle_time_ms(&mut self, ms: i32);
}

/// Whether `version` of `R` (request and response alike) uses compact
/// encodings and tagged fields.
pub fn is_flexible<R: Request>(version: i16) -> bool {
    version >= R::FIRST_FLEXIBLE_VERSION
}

pub(crate) fn check_encode_version<R: Request>(version: i16) -> Result<(), EncodeError> {
    if (R::MIN_VERSION..=R::MAX_VERSION).contains(&version) {
        Ok(())
    } else {
        Err(EncodeError::UnsupportedVersion {
            api_key: R::API_KEY.as_i16(),
            version,
        })
    }
}

pub(crate) fn check_decode_version<R: Request>(version: i16) -> Result<(), DecodeError> {
    if (R::MIN_VERSION..=R::MAX_VERSION).contains(&version) {
        Ok(())
    } else {
        Err(DecodeError::UnsupportedVersion {
            api_key: R::API_KEY.as_i16(),
            version,
        })
    }
}
