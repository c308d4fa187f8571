//! DeleteTopics (key 20), versions 0-4.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteTopicsRequest {
    pub topic_names: Vec<String>,
    pub timeout_ms: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteTopicsResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    pub responses: Vec<DeletableTopicResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeletableTopicResult {
    pub name: String,
    pub error_code: i16,
}

request!(DeleteTopicsRequest => DeleteTopicsResponse, DeleteTopics, 0..=4);

impl Message for DeleteTopicsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        put_string_array(out, flex, &self.topic_names)?;
        out.put_i32(self.timeout_ms);
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let req = DeleteTopicsRequest {
            topic_names: r.string_array_v(flex)?,
            timeout_ms: r.read_i32()?,
        };
        r.tags_v(flex)?;
        Ok(req)
    }
}

impl Message for DeleteTopicsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<DeleteTopicsRequest>(version)?;
        if version >= 1 {
            out.put_i32(self.throttle_time_ms);
        }
        put_array(out, flex, &self.responses, |out, t| {
            out.put_string_v(flex, &t.name)?;
            out.put_i16(t.error_code);
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<DeleteTopicsRequest>(version)?;
        let throttle_time_ms = if version >= 1 { r.read_i32()? } else { 0 };
        let responses = r.array_v(flex, |r| {
            let t = DeletableTopicResult {
                name: r.string_v(flex)?,
                error_code: r.read_i16()?,
            };
            r.tags_v(flex)?;
            Ok(t)
        })?;
        r.tags_v(flex)?;
        Ok(DeleteTopicsResponse {
            throttle_time_ms,
            responses,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=4 {
            let req = DeleteTopicsRequest {
                topic_names: vec!["a".into(), "b".into()],
                timeout_ms: 1000,
            };
            roundtrip(&req, v);
            let resp = DeleteTopicsResponse {
                throttle_time_ms: since(v, 1, 2, 0),
                responses: vec![DeletableTopicResult {
                    name: "a".into(),
                    error_code: 3,
                }],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = DeleteTopicsRequest {
            topic_names: vec!["a".into()],
            timeout_ms: 1,
        };
        assert_eq!(
            &roundtrip(&req, 0)[..],
            &[0, 0, 0, 1, 0, 1, b'a', 0, 0, 0, 1]
        );
        assert_eq!(&roundtrip(&req, 4)[..], &[2, 2, b'a', 0, 0, 0, 1, 0]);
    }
}
