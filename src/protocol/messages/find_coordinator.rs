//! FindCoordinator (key 10), versions 0-3. (v4's batched keys are not
//! implemented.)

use super::prelude::*;

pub const COORDINATOR_TYPE_GROUP: i8 = 0;
pub const COORDINATOR_TYPE_TRANSACTION: i8 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindCoordinatorRequest {
    /// Group id or transactional id.
    pub key: String,
    /// v1+; see `COORDINATOR_TYPE_*`.
    pub key_type: i8,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindCoordinatorResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    pub error_code: i16,
    /// v1+.
    pub error_message: Option<String>,
    pub node_id: i32,
    pub host: String,
    pub port: i32,
}

request!(FindCoordinatorRequest => FindCoordinatorResponse, FindCoordinator, 0..=3);

impl Message for FindCoordinatorRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.key)?;
        if version >= 1 {
            out.put_i8(self.key_type);
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let key = r.string_v(flex)?;
        let key_type = if version >= 1 { r.read_i8()? } else { 0 };
        r.tags_v(flex)?;
        Ok(FindCoordinatorRequest { key, key_type })
    }
}

impl Message for FindCoordinatorResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<FindCoordinatorRequest>(version)?;
        if version >= 1 {
            out.put_i32(self.throttle_time_ms);
        }
        out.put_i16(self.error_code);
        if version >= 1 {
            out.put_nullable_string_v(flex, self.error_message.as_deref())?;
        }
        out.put_i32(self.node_id);
        out.put_string_v(flex, &self.host)?;
        out.put_i32(self.port);
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<FindCoordinatorRequest>(version)?;
        let throttle_time_ms = if version >= 1 { r.read_i32()? } else { 0 };
        let error_code = r.read_i16()?;
        let error_message = if version >= 1 {
            r.nullable_string_v(flex)?
        } else {
            None
        };
        let resp = FindCoordinatorResponse {
            throttle_time_ms,
            error_code,
            error_message,
            node_id: r.read_i32()?,
            // Not nullable in Kafka's schema, but librdkafka 2.0.2's mock
            // sends a null host with an error (no coordinator).
            host: r.nullable_string_v(flex)?.unwrap_or_default(),
            port: r.read_i32()?,
        };
        r.tags_v(flex)?;
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=3 {
            let req = FindCoordinatorRequest {
                key: "group".into(),
                key_type: since(v, 1, COORDINATOR_TYPE_TRANSACTION, 0),
            };
            roundtrip(&req, v);
            let resp = FindCoordinatorResponse {
                throttle_time_ms: since(v, 1, 3, 0),
                error_code: 15,
                error_message: since(v, 1, Some("not available".into()), None),
                node_id: 2,
                host: "localhost".into(),
                port: 9093,
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = FindCoordinatorRequest {
            key: "g".into(),
            key_type: 0,
        };
        assert_eq!(&roundtrip(&req, 0)[..], &[0, 1, b'g']);
        assert_eq!(&roundtrip(&req, 3)[..], &[2, b'g', 0, 0]);
        let resp = FindCoordinatorResponse {
            node_id: 1,
            host: "h".into(),
            port: 9092,
            ..Default::default()
        };
        assert_eq!(
            &roundtrip(&resp, 3)[..],
            &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, b'h', 0, 0, 0x23, 0x84, 0]
        );
    }
}
