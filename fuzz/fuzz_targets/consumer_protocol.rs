//! Arbitrary bytes as the consumer protocol's member metadata (the
//! subscription a member sends in JoinGroup) and member assignment (what
//! the leader hands out through SyncGroup), userdata included: both come
//! from other group members through the broker. Whatever decodes must
//! encode again.
#![no_main]

use bytes::{Bytes, BytesMut};
use ferrokafka::protocol::messages::consumer_protocol::{MemberAssignment, MemberMetadata};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = Bytes::copy_from_slice(data);
    if let Ok(subscription) = MemberMetadata::decode(&data) {
        let _ = subscription.encode(&mut BytesMut::new());
    }
    if let Ok(assignment) = MemberAssignment::decode(&data) {
        let _ = assignment.encode(&mut BytesMut::new());
    }
});
