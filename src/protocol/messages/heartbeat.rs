//! Heartbeat (key 12), versions 0-4.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeartbeatRequest {
    pub group_id: String,
    pub generation_id: i32,
    pub member_id: String,
    /// v3+.
    pub group_instance_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeartbeatResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    pub error_code: i16,
}

request!(HeartbeatRequest => HeartbeatResponse, Heartbeat, 0..=4);

impl Message for HeartbeatRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.group_id)?;
        out.put_i32(self.generation_id);
        out.put_string_v(flex, &self.member_id)?;
        if version >= 3 {
            out.put_nullable_string_v(flex, self.group_instance_id.as_deref())?;
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let mut req = HeartbeatRequest {
            group_id: r.string_v(flex)?,
            generation_id: r.read_i32()?,
            member_id: r.string_v(flex)?,
            group_instance_id: None,
        };
        if version >= 3 {
            req.group_instance_id = r.nullable_string_v(flex)?;
        }
        r.tags_v(flex)?;
        Ok(req)
    }
}

impl Message for HeartbeatResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<HeartbeatRequest>(version)?;
        if version >= 1 {
            out.put_i32(self.throttle_time_ms);
        }
        out.put_i16(self.error_code);
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<HeartbeatRequest>(version)?;
        let throttle_time_ms = if version >= 1 { r.read_i32()? } else { 0 };
        let error_code = r.read_i16()?;
        r.tags_v(flex)?;
        Ok(HeartbeatResponse {
            throttle_time_ms,
            error_code,
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
            let req = HeartbeatRequest {
                group_id: "g".into(),
                generation_id: 9,
                member_id: "m".into(),
                group_instance_id: since(v, 3, Some("i".into()), None),
            };
            roundtrip(&req, v);
            let resp = HeartbeatResponse {
                throttle_time_ms: since(v, 1, 5, 0),
                error_code: 27,
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = HeartbeatRequest {
            group_id: "g".into(),
            generation_id: 1,
            member_id: "m".into(),
            group_instance_id: None,
        };
        assert_eq!(
            &roundtrip(&req, 0)[..],
            &[0, 1, b'g', 0, 0, 0, 1, 0, 1, b'm']
        );
        assert_eq!(
            &roundtrip(&req, 4)[..],
            &[2, b'g', 0, 0, 0, 1, 2, b'm', 0, 0]
        );
        let resp = HeartbeatResponse {
            throttle_time_ms: 0,
            error_code: 27,
        };
        assert_eq!(&roundtrip(&resp, 0)[..], &[0, 27]);
    }
}
