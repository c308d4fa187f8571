//! One module per Kafka API: request and response bodies, both directions.
//!
//! Conventions: fields that exist only in some versions are plain fields
//! holding the protocol's default when absent (documented "vN+"), or `Option`
//! where the protocol has no default. Tagged fields sent by peers are skipped;
//! encoders write empty tagged-field sections.

pub mod add_offsets_to_txn;
pub mod add_partitions_to_txn;
pub mod alter_configs;
pub mod api_versions;
pub mod consumer_protocol;
pub mod create_acls;
pub mod create_partitions;
pub mod create_topics;
pub mod delete_acls;
pub mod delete_groups;
pub mod delete_records;
pub mod delete_topics;
pub mod describe_acls;
pub mod describe_configs;
pub mod describe_groups;
pub mod end_txn;
pub mod fetch;
pub mod find_coordinator;
pub mod heartbeat;
pub mod init_producer_id;
pub mod join_group;
pub mod leave_group;
pub mod list_groups;
pub mod list_offsets;
pub mod metadata;
pub mod offset_commit;
pub mod offset_delete;
pub mod offset_fetch;
pub mod produce;
pub mod sasl_authenticate;
pub mod sasl_handshake;
pub mod sync_group;
pub mod txn_offset_commit;

pub use add_offsets_to_txn::*;
pub use add_partitions_to_txn::*;
pub use alter_configs::*;
pub use api_versions::*;
pub use create_acls::*;
pub use create_partitions::*;
pub use create_topics::*;
pub use delete_acls::*;
pub use delete_groups::*;
pub use delete_records::*;
pub use delete_topics::*;
pub use describe_acls::*;
pub use describe_configs::*;
pub use describe_groups::*;
pub use end_txn::*;
pub use fetch::*;
pub use find_coordinator::*;
pub use heartbeat::*;
pub use init_producer_id::*;
pub use join_group::*;
pub use leave_group::*;
pub use list_groups::*;
pub use list_offsets::*;
pub use metadata::*;
pub use offset_commit::*;
pub use offset_delete::*;
pub use offset_fetch::*;
pub use produce::*;
pub use sasl_authenticate::*;
pub use sasl_handshake::*;
pub use sync_group::*;
pub use txn_offset_commit::*;

use super::{check_decode_version, check_encode_version, is_flexible, ApiKey, DecodeError};
use super::{EncodeError, Message, Reader, Request, Throttled};

macro_rules! throttled {
    ($($resp:ty),* $(,)?) => {
        $(impl Throttled for $resp {
            fn throttle_time_ms(&self) -> i32 {
                self.throttle_time_ms
            }
            fn set_throttle_time_ms(&mut self, ms: i32) {
                self.throttle_time_ms = ms;
            }
        })*
    };
}

throttled!(
    AddOffsetsToTxnResponse,
    AddPartitionsToTxnResponse,
    AlterConfigsResponse,
    ApiVersionsResponse,
    CreateAclsResponse,
    CreatePartitionsResponse,
    CreateTopicsResponse,
    DeleteAclsResponse,
    DeleteGroupsResponse,
    DeleteRecordsResponse,
    DeleteTopicsResponse,
    DescribeAclsResponse,
    DescribeConfigsResponse,
    DescribeGroupsResponse,
    EndTxnResponse,
    FetchResponse,
    FindCoordinatorResponse,
    HeartbeatResponse,
    InitProducerIdResponse,
    JoinGroupResponse,
    LeaveGroupResponse,
    ListGroupsResponse,
    ListOffsetsResponse,
    MetadataResponse,
    OffsetCommitResponse,
    OffsetDeleteResponse,
    OffsetFetchResponse,
    ProduceResponse,
    SyncGroupResponse,
    TxnOffsetCommitResponse,
);

macro_rules! never_throttled {
    ($($resp:ty),* $(,)?) => {
        $(impl Throttled for $resp {
            fn throttle_time_ms(&self) -> i32 {
                0
            }
            fn set_throttle_time_ms(&mut self, _ms: i32) {}
        })*
    };
}

never_throttled!(SaslHandshakeResponse, SaslAuthenticateResponse);

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
        put_array, put_i32_array, put_nullable_array, put_string_array, put_tagged_fields, PutExt,
        Reader, Uuid,
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
        $m!(CreateTopicsRequest);
        $m!(DeleteTopicsRequest);
        $m!(CreatePartitionsRequest);
        $m!(DescribeConfigsRequest);
        $m!(AlterConfigsRequest);
        $m!(DeleteRecordsRequest);
        $m!(InitProducerIdRequest);
        $m!(SaslHandshakeRequest);
        $m!(SaslAuthenticateRequest);
        $m!(AddPartitionsToTxnRequest);
        $m!(AddOffsetsToTxnRequest);
        $m!(EndTxnRequest);
        $m!(TxnOffsetCommitRequest);
        $m!(DescribeGroupsRequest);
        $m!(ListGroupsRequest);
        $m!(DeleteGroupsRequest);
        $m!(OffsetDeleteRequest);
        $m!(CreateAclsRequest);
        $m!(DescribeAclsRequest);
        $m!(DeleteAclsRequest);
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

/// Feeds `data` to every response and request decoder at every supported
/// version, to the record-batch decoder and to the consumer-protocol
/// decoders. Returns how many decoders accepted the input. Shared by the
/// fuzz target and the pseudo-random test so both exercise the same surface.
#[doc(hidden)]
pub fn decode_everything(data: &[u8]) -> usize {
    let mut accepted = 0;
    for (key, min, max) in supported_versions() {
        for v in min..=max {
            accepted += usize::from(decode_any_response(key, v, data).is_ok());
            accepted += usize::from(decode_any_request(key, v, data).is_ok());
        }
    }
    let bytes = bytes::Bytes::copy_from_slice(data);
    if let Ok(batches) = super::record_batch::decode_batches(&bytes) {
        for b in batches {
            let _ = b.verify_crc();
            accepted += usize::from(b.records_limited(1 << 20).is_ok());
        }
    }
    accepted += usize::from(consumer_protocol::MemberMetadata::decode(&bytes).is_ok());
    accepted += usize::from(consumer_protocol::MemberAssignment::decode(&bytes).is_ok());
    let mut r = Reader::new(data);
    accepted += usize::from(super::frame::decode_request_header(&mut r).is_ok());
    accepted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supported_versions_lists_every_api() {
        let v = supported_versions();
        assert_eq!(v.len(), 32);
        assert!(v.contains(&(ApiKey::ApiVersions, 0, 3)));
        assert!(v.contains(&(ApiKey::DescribeConfigs, 0, 4)));
        assert!(v.contains(&(ApiKey::DeleteRecords, 0, 2)));
        assert!(v.contains(&(ApiKey::Produce, 3, 9)));
        assert!(v.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn unknown_api_is_reported() {
        assert!(decode_any_response(ApiKey::AlterReplicaLogDirs, 0, &[]).is_err());
    }

    /// Deterministic pseudo-random inputs (xorshift64), biased towards small
    /// byte values so that length prefixes are often plausible and decoding
    /// gets past the first field. Nothing may panic.
    #[test]
    fn pseudo_random_inputs_never_panic() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut accepted = 0;
        let mut buf = Vec::new();
        for _ in 0..3000 {
            let len = (next() % 96) as usize;
            buf.clear();
            for _ in 0..len {
                let x = next();
                buf.push(match x % 4 {
                    0 | 1 => 0,
                    2 => (x >> 8) as u8 % 4,
                    _ => (x >> 8) as u8,
                });
            }
            accepted += decode_everything(&buf);
        }
        // Some inputs must get all the way through, or the test exercises
        // only the first few bytes of each decoder.
        assert!(accepted > 1000, "only {accepted} decodes succeeded");
    }
}
