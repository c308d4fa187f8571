//! SaslAuthenticate (key 36), versions 0-2 (flexible from 2): one SASL
//! token each way (KIP-152). v1 added the session lifetime the broker
//! grants, after which the client must re-authenticate (KIP-368).

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaslAuthenticateRequest {
    pub auth_bytes: Bytes,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaslAuthenticateResponse {
    pub error_code: i16,
    pub error_message: Option<String>,
    pub auth_bytes: Bytes,
    /// v1+; 0 = the session does not expire.
    pub session_lifetime_ms: i64,
}

request!(SaslAuthenticateRequest => SaslAuthenticateResponse, SaslAuthenticate, 0..=2);

impl Message for SaslAuthenticateRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_bytes_v(flex, &self.auth_bytes)?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let auth_bytes = r.bytes_v(flex)?;
        r.tags_v(flex)?;
        Ok(SaslAuthenticateRequest { auth_bytes })
    }
}

impl Message for SaslAuthenticateResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<SaslAuthenticateRequest>(version)?;
        out.put_i16(self.error_code);
        out.put_nullable_string_v(flex, self.error_message.as_deref())?;
        out.put_bytes_v(flex, &self.auth_bytes)?;
        if version >= 1 {
            out.put_i64(self.session_lifetime_ms);
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<SaslAuthenticateRequest>(version)?;
        let mut resp = SaslAuthenticateResponse {
            error_code: r.read_i16()?,
            error_message: r.nullable_string_v(flex)?,
            auth_bytes: r.bytes_v(flex)?,
            session_lifetime_ms: 0,
        };
        if version >= 1 {
            resp.session_lifetime_ms = r.read_i64()?;
        }
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
        for v in 0..=2 {
            let req = SaslAuthenticateRequest {
                auth_bytes: Bytes::from_static(b"\0alice\0secret"),
            };
            roundtrip(&req, v);
            let resp = SaslAuthenticateResponse {
                error_code: 58,
                error_message: Some("Authentication failed".into()),
                auth_bytes: Bytes::from_static(b"v=abc"),
                session_lifetime_ms: since(v, 1, 60_000, 0),
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = SaslAuthenticateRequest {
            auth_bytes: Bytes::from_static(b"ab"),
        };
        assert_eq!(&roundtrip(&req, 1)[..], &[0, 0, 0, 2, b'a', b'b']);
        assert_eq!(&roundtrip(&req, 2)[..], &[3, b'a', b'b', 0]);
        let resp = SaslAuthenticateResponse {
            error_code: 0,
            error_message: None,
            auth_bytes: Bytes::new(),
            session_lifetime_ms: 1000,
        };
        assert_eq!(
            &roundtrip(&resp, 1)[..],
            &[0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xe8]
        );
    }
}
