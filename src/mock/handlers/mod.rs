//! Request dispatch: parse the header, check the API and version against
//! what the broker advertises, apply a pushed error, run the API's handler
//! and encode its response. One module per API (or per family of APIs).

mod acls;
mod admin;
mod api_versions;
mod configs;
mod fetch;
mod find_coordinator;
mod group;
mod group_admin;
mod list_offsets;
mod metadata;
mod offsets;
mod produce;
mod records;
mod txn;

use super::broker::BrokerShared;
use super::faults::Injected;
use super::sasl::{self, ConnAuth};
use super::state::Shared;
use crate::error::ErrorCode;
use crate::protocol::messages::*;
use crate::protocol::{
    decode_request_header, encode_response, ApiKey, DecodeError, Message, Reader, Request,
    Throttled,
};
use bytes::{Bytes, BytesMut};
use std::time::Duration;

/// What the connection does after a request.
pub enum Outcome {
    /// Send `frame` once `delay` (beyond the broker's RTT) has passed;
    /// with `cut`, send only its first half and close the connection.
    Respond {
        frame: BytesMut,
        delay: Duration,
        cut: bool,
    },
    /// No response (Produce with acks=0).
    Silent,
    /// Close the connection: the request cannot be answered in its protocol.
    Close,
}

/// What a handler knows about the request besides its body.
pub struct Ctx<'a> {
    pub shared: &'a Shared,
    pub broker: &'a BrokerShared,
    pub version: i16,
    pub client_id: &'a str,
    /// The client's address as Kafka shows it in DescribeGroups ("/IP").
    pub client_host: &'a str,
    /// A pushed error every part of the response must carry, if any.
    pub injected: Option<ErrorCode>,
}

impl Ctx<'_> {
    /// `injected` as a wire error code, or `code` when nothing was pushed.
    pub fn err_or(&self, code: ErrorCode) -> i16 {
        wire(self.injected.unwrap_or(code))
    }
}

/// An error code as the protocol's INT16.
pub fn wire(code: ErrorCode) -> i16 {
    i16::try_from(code.code()).unwrap_or(-1)
}

/// Runs one request; `throttle` is the broker's throttle time, which
/// every response that has the field reports (the connection then mutes,
/// see `broker::serve_requests`).
pub fn handle(
    shared: &Shared,
    broker: &BrokerShared,
    conn: &mut ConnAuth,
    client_host: &str,
    frame: &Bytes,
    throttle: Duration,
) -> Outcome {
    let mut r = Reader::from_bytes(frame);
    let Ok(header) = decode_request_header(&mut r) else {
        return Outcome::Close;
    };
    let (range, pushed) = {
        let mut state = shared.state.lock();
        let range = state.api_range(header.api_key);
        let in_range = range.is_some_and(|(min, max)| (min..=max).contains(&header.api_version));
        // Pushed errors are only consumed by requests that get this far.
        let pushed = in_range
            .then(|| state.errors.next(broker.id, header.api_key))
            .flatten();
        (range, pushed)
    };
    let Some(api) = ApiKey::from_i16(header.api_key) else {
        return Outcome::Close;
    };
    let in_range = range.is_some_and(|(min, max)| (min..=max).contains(&header.api_version));
    if !in_range {
        // Kafka answers an ApiVersions request it cannot parse with a v0
        // response listing what it supports; anything else is dropped.
        if api == ApiKey::ApiVersions {
            return respond::<ApiVersionsRequest>(
                api_versions::unsupported(shared),
                0,
                header.correlation_id,
                Duration::ZERO,
            );
        }
        return Outcome::Close;
    }
    let Injected { err, rtt } = pushed.unwrap_or(Injected {
        err: ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
        rtt: Duration::ZERO,
    });
    // A pushed `__TRANSPORT` (a code no broker sends) closes the connection
    // in the middle of the response, as librdkafka's mock closes it on
    // such a request; here the request is served first (a Produce is
    // appended), so the client loses the answer to work that was done.
    let cut = err == ErrorCode::RD_KAFKA_RESP_ERR__TRANSPORT;
    let err = if cut {
        ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
    } else {
        err
    };
    let ctx = Ctx {
        shared,
        broker,
        version: header.api_version,
        client_id: header.client_id.as_deref().unwrap_or(""),
        client_host,
        injected: (err != ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR).then_some(err),
    };
    if !sasl::allowed(&ctx, conn, api) {
        // Kafka's SASL listener takes it for a SASL token and fails.
        return Outcome::Close;
    }
    let cid = header.correlation_id;
    let throttle_ms = i32::try_from(throttle.as_millis()).unwrap_or(i32::MAX);
    macro_rules! run {
        ($req:ty, $handler:expr) => {
            match <$req>::decode(ctx.version, &mut r) {
                Ok(req) => match $handler(&ctx, req) {
                    Some(mut resp) => {
                        resp.set_throttle_time_ms(throttle_ms);
                        cut_if(respond::<$req>(resp, ctx.version, cid, rtt), cut)
                    }
                    None => Outcome::Silent,
                },
                Err(_) => Outcome::Close,
            }
        };
    }
    match api {
        ApiKey::ApiVersions => run!(ApiVersionsRequest, api_versions::handle),
        ApiKey::Metadata => run!(MetadataRequest, metadata::handle),
        ApiKey::Produce => run!(ProduceRequest, produce::handle),
        ApiKey::Fetch => run!(FetchRequest, fetch::handle),
        ApiKey::ListOffsets => run!(ListOffsetsRequest, list_offsets::handle),
        ApiKey::FindCoordinator => run!(FindCoordinatorRequest, find_coordinator::handle),
        ApiKey::JoinGroup => run!(JoinGroupRequest, group::join),
        ApiKey::SyncGroup => run!(SyncGroupRequest, group::sync),
        ApiKey::Heartbeat => run!(HeartbeatRequest, group::heartbeat),
        ApiKey::LeaveGroup => run!(LeaveGroupRequest, group::leave),
        ApiKey::OffsetCommit => run!(OffsetCommitRequest, offsets::commit),
        ApiKey::OffsetFetch => run!(OffsetFetchRequest, offsets::fetch),
        ApiKey::InitProducerId => run!(InitProducerIdRequest, admin::init_producer_id),
        ApiKey::CreateTopics => run!(CreateTopicsRequest, admin::create_topics),
        ApiKey::DeleteTopics => run!(DeleteTopicsRequest, admin::delete_topics),
        ApiKey::AddPartitionsToTxn => run!(AddPartitionsToTxnRequest, txn::add_partitions),
        ApiKey::AddOffsetsToTxn => run!(AddOffsetsToTxnRequest, txn::add_offsets),
        ApiKey::EndTxn => run!(EndTxnRequest, txn::end),
        ApiKey::TxnOffsetCommit => run!(TxnOffsetCommitRequest, txn::offset_commit),
        ApiKey::CreatePartitions => run!(CreatePartitionsRequest, admin::create_partitions),
        ApiKey::DescribeConfigs => run!(DescribeConfigsRequest, configs::describe_configs),
        ApiKey::AlterConfigs => run!(AlterConfigsRequest, configs::alter_configs),
        ApiKey::DeleteRecords => run!(DeleteRecordsRequest, records::delete_records),
        ApiKey::ListGroups => run!(ListGroupsRequest, group_admin::list),
        ApiKey::DescribeGroups => run!(DescribeGroupsRequest, group_admin::describe),
        ApiKey::DeleteGroups => run!(DeleteGroupsRequest, group_admin::delete),
        ApiKey::OffsetDelete => run!(OffsetDeleteRequest, group_admin::delete_offsets),
        ApiKey::CreateAcls => run!(CreateAclsRequest, acls::create),
        ApiKey::DescribeAcls => run!(DescribeAclsRequest, acls::describe),
        ApiKey::DeleteAcls => run!(DeleteAclsRequest, acls::delete),
        ApiKey::SaslHandshake => run!(SaslHandshakeRequest, |c, r| sasl::handshake(c, conn, r)),
        ApiKey::SaslAuthenticate => {
            run!(SaslAuthenticateRequest, |c, r| sasl::authenticate(
                c, conn, r
            ))
        }
        // Advertised only through set_apiversion, never implemented.
        _ => Outcome::Close,
    }
}

/// Decodes a request frame (size prefix removed) as [`handle`] does before
/// it runs a handler: the header, then the body of the API and version the
/// header names. Any client can send the mock anything, so this is what the
/// `mock_request` fuzz target feeds arbitrary bytes to.
pub fn decode_request(frame: &[u8]) -> Result<(), DecodeError> {
    let mut r = Reader::new(frame);
    let header = decode_request_header(&mut r)?;
    let api = ApiKey::from_i16(header.api_key).ok_or(DecodeError::UnsupportedVersion {
        api_key: header.api_key,
        version: header.api_version,
    })?;
    decode_any_request(api, header.api_version, r.peek_rest())
}

fn respond<R: Request>(
    resp: R::Response,
    version: i16,
    correlation_id: i32,
    delay: Duration,
) -> Outcome {
    let mut frame = BytesMut::new();
    match encode_response::<R>(&resp, version, correlation_id, &mut frame) {
        Ok(()) => Outcome::Respond {
            frame,
            delay,
            cut: false,
        },
        Err(_) => Outcome::Close,
    }
}

/// `outcome` with its response cut short when `cut` is set.
fn cut_if(outcome: Outcome, cut: bool) -> Outcome {
    match outcome {
        Outcome::Respond { frame, delay, .. } => Outcome::Respond { frame, delay, cut },
        other => other,
    }
}
