//! SaslHandshake (key 17), versions 0-1. The client names the mechanism it
//! wants; the broker answers with the ones it enables. v1 means the SASL
//! tokens that follow travel in SaslAuthenticate requests (KIP-152), not as
//! raw frames.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaslHandshakeRequest {
    pub mechanism: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaslHandshakeResponse {
    pub error_code: i16,
    pub mechanisms: Vec<String>,
}

request!(SaslHandshakeRequest => SaslHandshakeResponse, SaslHandshake, 0..=1);

impl Message for SaslHandshakeRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.mechanism)
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        Ok(SaslHandshakeRequest {
            mechanism: r.string_v(flex)?,
        })
    }
}

impl Message for SaslHandshakeResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<SaslHandshakeRequest>(version)?;
        out.put_i16(self.error_code);
        put_string_array(out, flex, &self.mechanisms)
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<SaslHandshakeRequest>(version)?;
        Ok(SaslHandshakeResponse {
            error_code: r.read_i16()?,
            mechanisms: r.string_array_v(flex)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::roundtrip;

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=1 {
            let req = SaslHandshakeRequest {
                mechanism: "SCRAM-SHA-256".into(),
            };
            roundtrip(&req, v);
            let resp = SaslHandshakeResponse {
                error_code: 33,
                mechanisms: vec!["PLAIN".into(), "OAUTHBEARER".into()],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = SaslHandshakeRequest {
            mechanism: "PLAIN".into(),
        };
        assert_eq!(&roundtrip(&req, 1)[..], b"\x00\x05PLAIN");
        let resp = SaslHandshakeResponse {
            error_code: 0,
            mechanisms: vec!["PLAIN".into()],
        };
        assert_eq!(
            &roundtrip(&resp, 1)[..],
            b"\x00\x00\x00\x00\x00\x01\x00\x05PLAIN"
        );
    }
}
