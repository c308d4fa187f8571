//! SyncGroup (key 14), versions 0-5.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncGroupRequest {
    pub group_id: String,
    pub generation_id: i32,
    pub member_id: String,
    /// v3+.
    pub group_instance_id: Option<String>,
    /// v5+.
    pub protocol_type: Option<String>,
    /// v5+.
    pub protocol_name: Option<String>,
    /// Only the leader sends assignments.
    pub assignments: Vec<SyncGroupAssignment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncGroupAssignment {
    pub member_id: String,
    pub assignment: Bytes,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncGroupResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    pub error_code: i16,
    /// v5+.
    pub protocol_type: Option<String>,
    /// v5+.
    pub protocol_name: Option<String>,
    pub assignment: Bytes,
}

request!(SyncGroupRequest => SyncGroupResponse, SyncGroup, 0..=5);

impl Message for SyncGroupRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.group_id)?;
        out.put_i32(self.generation_id);
        out.put_string_v(flex, &self.member_id)?;
        if version >= 3 {
            out.put_nullable_string_v(flex, self.group_instance_id.as_deref())?;
        }
        if version >= 5 {
            out.put_nullable_string_v(flex, self.protocol_type.as_deref())?;
            out.put_nullable_string_v(flex, self.protocol_name.as_deref())?;
        }
        put_array(out, flex, &self.assignments, |out, a| {
            out.put_string_v(flex, &a.member_id)?;
            out.put_bytes_v(flex, &a.assignment)?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let mut req = SyncGroupRequest {
            group_id: r.string_v(flex)?,
            generation_id: r.read_i32()?,
            member_id: r.string_v(flex)?,
            ..Default::default()
        };
        if version >= 3 {
            req.group_instance_id = r.nullable_string_v(flex)?;
        }
        if version >= 5 {
            req.protocol_type = r.nullable_string_v(flex)?;
            req.protocol_name = r.nullable_string_v(flex)?;
        }
        req.assignments = r.array_v(flex, |r| {
            let a = SyncGroupAssignment {
                member_id: r.string_v(flex)?,
                assignment: r.bytes_v(flex)?,
            };
            r.tags_v(flex)?;
            Ok(a)
        })?;
        r.tags_v(flex)?;
        Ok(req)
    }
}

impl Message for SyncGroupResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<SyncGroupRequest>(version)?;
        if version >= 1 {
            out.put_i32(self.throttle_time_ms);
        }
        out.put_i16(self.error_code);
        if version >= 5 {
            out.put_nullable_string_v(flex, self.protocol_type.as_deref())?;
            out.put_nullable_string_v(flex, self.protocol_name.as_deref())?;
        }
        out.put_bytes_v(flex, &self.assignment)?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<SyncGroupRequest>(version)?;
        let mut resp = SyncGroupResponse::default();
        if version >= 1 {
            resp.throttle_time_ms = r.read_i32()?;
        }
        resp.error_code = r.read_i16()?;
        if version >= 5 {
            resp.protocol_type = r.nullable_string_v(flex)?;
            resp.protocol_name = r.nullable_string_v(flex)?;
        }
        // Non-nullable in Kafka's schema, but librdkafka's mock coordinator
        // sends null to a member the leader gave nothing: read it as empty.
        resp.assignment = r.nullable_bytes_v(flex)?.unwrap_or_default();
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
        for v in 0..=5 {
            let req = SyncGroupRequest {
                group_id: "g".into(),
                generation_id: 4,
                member_id: "m".into(),
                group_instance_id: since(v, 3, Some("i".into()), None),
                protocol_type: since(v, 5, Some("consumer".into()), None),
                protocol_name: since(v, 5, Some("range".into()), None),
                assignments: vec![SyncGroupAssignment {
                    member_id: "m".into(),
                    assignment: Bytes::from_static(b"assign"),
                }],
            };
            roundtrip(&req, v);
            let resp = SyncGroupResponse {
                throttle_time_ms: since(v, 1, 2, 0),
                error_code: 27,
                protocol_type: since(v, 5, Some("consumer".into()), None),
                protocol_name: since(v, 5, Some("range".into()), None),
                assignment: Bytes::from_static(b"a"),
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn response_v4_fixture() {
        let resp = SyncGroupResponse {
            assignment: Bytes::from_static(b"ab"),
            ..Default::default()
        };
        assert_eq!(
            &roundtrip(&resp, 4)[..],
            &[0, 0, 0, 0, 0, 0, 3, b'a', b'b', 0]
        );
    }
}
