//! InitProducerId (key 22), versions 0-4.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitProducerIdRequest {
    /// `None` for an idempotent, non-transactional producer.
    pub transactional_id: Option<String>,
    pub transaction_timeout_ms: i32,
    /// v3+: the current id/epoch when bumping the epoch, else -1.
    pub producer_id: i64,
    /// v3+.
    pub producer_epoch: i16,
}

impl Default for InitProducerIdRequest {
    fn default() -> Self {
        InitProducerIdRequest {
            transactional_id: None,
            transaction_timeout_ms: 60_000,
            producer_id: -1,
            producer_epoch: -1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InitProducerIdResponse {
    pub throttle_time_ms: i32,
    pub error_code: i16,
    pub producer_id: i64,
    pub producer_epoch: i16,
}

request!(InitProducerIdRequest => InitProducerIdResponse, InitProducerId, 0..=4);

impl Message for InitProducerIdRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_nullable_string_v(flex, self.transactional_id.as_deref())?;
        out.put_i32(self.transaction_timeout_ms);
        if version >= 3 {
            out.put_i64(self.producer_id);
            out.put_i16(self.producer_epoch);
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let mut req = InitProducerIdRequest {
            transactional_id: r.nullable_string_v(flex)?,
            transaction_timeout_ms: r.read_i32()?,
            ..Default::default()
        };
        if version >= 3 {
            req.producer_id = r.read_i64()?;
            req.producer_epoch = r.read_i16()?;
        }
        r.tags_v(flex)?;
        Ok(req)
    }
}

impl Message for InitProducerIdResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<InitProducerIdRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        out.put_i16(self.error_code);
        out.put_i64(self.producer_id);
        out.put_i16(self.producer_epoch);
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<InitProducerIdRequest>(version)?;
        let resp = InitProducerIdResponse {
            throttle_time_ms: r.read_i32()?,
            error_code: r.read_i16()?,
            producer_id: r.read_i64()?,
            producer_epoch: r.read_i16()?,
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
        for v in 0..=4 {
            let req = InitProducerIdRequest {
                transactional_id: Some("tx".into()),
                transaction_timeout_ms: 1000,
                producer_id: since(v, 3, 55, -1),
                producer_epoch: since(v, 3, 2, -1),
            };
            roundtrip(&req, v);
            roundtrip(&InitProducerIdRequest::default(), v);
            let resp = InitProducerIdResponse {
                throttle_time_ms: 0,
                error_code: 0,
                producer_id: 1000,
                producer_epoch: 0,
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = InitProducerIdRequest::default();
        assert_eq!(&roundtrip(&req, 0)[..], &[0xff, 0xff, 0, 0, 0xea, 0x60]);
        assert_eq!(
            &roundtrip(&req, 4)[..],
            &[0, 0, 0, 0xea, 0x60, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0]
        );
        let resp = InitProducerIdResponse {
            producer_id: 1,
            producer_epoch: 2,
            ..Default::default()
        };
        assert_eq!(
            &roundtrip(&resp, 1)[..],
            &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2]
        );
    }
}
