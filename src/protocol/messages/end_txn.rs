//! EndTxn (key 26), versions 0-3.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndTxnRequest {
    pub transactional_id: String,
    pub producer_id: i64,
    pub producer_epoch: i16,
    /// True to commit, false to abort.
    pub committed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndTxnResponse {
    pub throttle_time_ms: i32,
    pub error_code: i16,
}

request!(EndTxnRequest => EndTxnResponse, EndTxn, 0..=3);

impl Message for EndTxnRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.transactional_id)?;
        out.put_i64(self.producer_id);
        out.put_i16(self.producer_epoch);
        out.put_bool(self.committed);
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let req = EndTxnRequest {
            transactional_id: r.string_v(flex)?,
            producer_id: r.read_i64()?,
            producer_epoch: r.read_i16()?,
            committed: r.read_bool()?,
        };
        r.tags_v(flex)?;
        Ok(req)
    }
}

impl Message for EndTxnResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<EndTxnRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        out.put_i16(self.error_code);
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<EndTxnRequest>(version)?;
        let resp = EndTxnResponse {
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
            for committed in [true, false] {
                let req = EndTxnRequest {
                    transactional_id: "tx".into(),
                    producer_id: 1001,
                    producer_epoch: 3,
                    committed,
                };
                roundtrip(&req, v);
            }
            let resp = EndTxnResponse {
                throttle_time_ms: 4,
                error_code: 90,
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = EndTxnRequest {
            transactional_id: "t".into(),
            producer_id: 1,
            producer_epoch: 2,
            committed: true,
        };
        assert_eq!(
            &roundtrip(&req, 0)[..],
            &[0, 1, b't', 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 1]
        );
        assert_eq!(
            &roundtrip(&req, 3)[..],
            &[2, b't', 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 1, 0]
        );
    }
}
