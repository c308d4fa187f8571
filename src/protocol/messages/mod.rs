//! One module per Kafka API: request and response bodies, both directions.
//!
//! Conventions: fields that exist only in some versions are plain fields
//! holding the protocol's default when absent (documented "vN+"), or `Option`
//! where the protocol has no default. Tagged fields sent by peers are skipped;
//! encoders write empty tagged-field sections.

pub mod api_versions;
pub mod consumer_protocol;
pub mod create_topics;
pub mod delete_topics;
pub mod fetch;
pub mod find_coordinator;
pub mod heartbeat;
pub mod init_producer_id;
pub mod join_group;
pub mod leave_group;
pub mod list_offsets;
pub mod metadata;
pub mod offset_commit;
pub mod offset_fetch;
pub mod produce;
pub mod sync_group;

pub use api_versions::*;
pub use create_topics::*;
pub use delete_topics::*;
pub use fetch::*;
pub use find_coordinator::*;
pub use heartbeat::*;
pub use init_producer_id::*;
pub use join_group::*;
pub use leave_group::*;
pub use list_offsets::*;
pub use metadata::*;
pub use offset_commit::*;
pub use offset_fetch::*;
pub use produce::*;
pub use sync_group::*;

use super::{check_decode_version, check_encode_version, is_flexible, ApiKey, DecodeError};
use super::{EncodeError, Message, Reader, Request};

/// Checks `version` for encoding a body of API `R` and tells whether it is
/// flexible.
pub(crate) fn encode_flex<R: Request>(version: i16) -> Result<bool, EncodeError> {
    check_encode_version::<R>(version)?;
    Ok(is_flexible::<R>(version))
}

pub(crate) fn decode_flex<R: Request>(version: i16) -> Result<bool, DecodeError> {
    check_decode_version::<R>(version)?;
    Ok(is_flexible::<R>(version))
}

macro_rules! request {
    ($req:ty => $resp:ty, $key:ident, $min:literal ..= $max:literal) => {
        impl $crate::protocol::Request for $req {
            const API_KEY: $crate::protocol::ApiKey = $crate::protocol::ApiKey::$key;
            const MIN_VERSION: i16 = $min;
            const MAX_VERSION: i16 = $max;
            const FIRST_FLEXIBLE_VERSION: i16 = {
                let f = $crate::protocol::ApiKey::$key.first_flexible_version();
                if f <= $max {
                    f
                } else {
                    i16::MAX
                }
            };
            type Response = $resp;
        }
    };
}
pub(crate) use request;

#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use super::{decode_flex, encode_flex, request};
    pub(crate) use crate::protocol::primitives::{
        put_array, put_i32_array, put_nullable_array, put_string_array, PutExt, Reader,
    };
    pub(crate) use crate::protocol::{DecodeError, EncodeError, Message};
    pub(crate) use bytes::{BufMut, Bytes, BytesMut};
}

/// Every implemented request type with its version range, for code that must
/// treat all APIs uniformly (fuzzing, ApiVersions responses of a mock broker).
macro_rules! for_each_request {
    ($m:ident) => {
        $m!(ProduceRequest);
        $m!(FetchRequest);
        $m!(ListOffsetsRequest);
        $m!(MetadataRequest);
        $m!(OffsetCommitRequest);
        $m!(OffsetFetchRequest);
        $m!(FindCoordinatorRequest);
        $m!(JoinGroupRequest);
        $m!(HeartbeatRequest);
        $m!(LeaveGroupRequest);
        $m!(SyncGroupRequest);
        $m!(ApiVersionsRequest);
        // TODO $m!(CreateTopicsRequest);
        // TODO $m!(DeleteTopicsRequest);
        // TODO $m!(InitProducerIdRequest);
    };
}

/// `(api_key, min_version, max_version)` of every API this codec implements,
/// ordered by key: what a mock broker advertises in ApiVersions.
pub fn supported_versions() -> Vec<(ApiKey, i16, i16)> {
    let mut v = Vec::new();
    macro_rules! push {
        ($t:ty) => {
            v.push((
                <$t as Request>::API_KEY,
                <$t as Request>::MIN_VERSION,
                <$t as Request>::MAX_VERSION,
            ))
        };
    }
    for_each_request!(push);
    v.sort();
    v
}

/// Decodes `data` as the response body of `api_key` at `version`, discarding
/// the value. Used by the fuzz target and the hostile-input tests.
#[doc(hidden)]
pub fn decode_any_response(api_key: ApiKey, version: i16, data: &[u8]) -> Result<(), DecodeError> {
    let mut r = Reader::new(data);
    macro_rules! try_one {
        ($t:ty) => {
            if <$t as Request>::API_KEY == api_key {
                return <$t as Request>::Response::decode(version, &mut r).map(drop);
            }
        };
    }
    for_each_request!(try_one);
    Err(DecodeError::UnsupportedVersion {
        api_key: api_key.as_i16(),
        version,
    })
}

/// Like [`decode_any_response`] for request bodies (the mock broker's side).
#[doc(hidden)]
pub fn decode_any_request(api_key: ApiKey, version: i16, data: &[u8]) -> Result<(), DecodeError> {
    let mut r = Reader::new(data);
    macro_rules! try_one {
        ($t:ty) => {
            if <$t as Request>::API_KEY == api_key {
                return <$t>::decode(version, &mut r).map(drop);
            }
        };
    }
    for_each_request!(try_one);
    Err(DecodeError::UnsupportedVersion {
        api_key: api_key.as_i16(),
        version,
    })
}
