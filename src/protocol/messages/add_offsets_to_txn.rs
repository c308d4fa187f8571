//! AddOffsetsToTxn (key 25), versions 0-3.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddOffsetsToTxnRequest {
    pub transactional_id: String,
    pub producer_id: i64,
    pub producer_epoch: i16,
    /// The consumer group whose offsets the transaction will commit.
    pub group_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddOffsetsToTxnResponse {
    pub throttle_time_ms: i32,
    pub error_code: i16,
}

request!(AddOffsetsToTxnRequest => AddOffsetsToTxnResponse, AddOffsetsToTxn, 0..=3);

impl Message for AddOffsetsToTxnRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.transactional_id)?;
        out.put_i64(self.producer_id);
        out.put_i16(self.producer_epoch);
        out.put_string_v(flex, &self.group_id)?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let req = AddOffsetsToTxnRequest {
            transactional_id: r.string_v(flex)?,
            producer_id: r.read_i64()?,
            producer_epoch: r.read_i16()?,
            group_id: r.string_v(flex)?,
        };
        r.tags_v(flex)?;
        Ok(req)
    }
}

impl Message for AddOffsetsToTxnResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<AddOffsetsToTxnRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        out.put_i16(self.error_code);
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<AddOffsetsToTxnRequest>(version)?;
        let resp = AddOffsetsToTxnResponse {
            throttle_time_ms: r.read_i32()?,
            error_code: r.read_i16()?,
        };
        r.tags_v(flex)?;
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::roundtrip;

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=3 {
            let req = AddOffsetsToTxnRequest {
                transactional_id: "tx".into(),
                producer_id: 1001,
                producer_epoch: 3,
                group_id: "group".into(),
            };
            roundtrip(&req, v);
            roundtrip(&AddOffsetsToTxnRequest::default(), v);
            let resp = AddOffsetsToTxnResponse {
                throttle_time_ms: 4,
                error_code: 51,
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = AddOffsetsToTxnRequest {
            transactional_id: "t".into(),
            producer_id: 1,
            producer_epoch: 2,
            group_id: "g".into(),
        };
        #[rustfmt::skip]
        let v0: &[u8] = &[0, 1, b't', 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 1, b'g'];
        assert_eq!(&roundtrip(&req, 0)[..], v0);
        #[rustfmt::skip]
        let v3: &[u8] = &[2, b't', 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 2, b'g', 0];
        assert_eq!(&roundtrip(&req, 3)[..], v3);
        let resp = AddOffsetsToTxnResponse {
            throttle_time_ms: 0,
            error_code: 1,
        };
        assert_eq!(&roundtrip(&resp, 3)[..], &[0, 0, 0, 0, 0, 1, 0]);
    }
}
