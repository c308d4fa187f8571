//! JoinGroup (key 11), versions 0-7.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinGroupRequest {
    pub group_id: String,
    pub session_timeout_ms: i32,
    /// v1+, -1 when absent (the broker then uses the session timeout).
    pub rebalance_timeout_ms: i32,
    /// Empty on the first join.
    pub member_id: String,
    /// v5+ (static membership).
    pub group_instance_id: Option<String>,
    pub protocol_type: String,
    pub protocols: Vec<JoinGroupProtocol>,
}

impl Default for JoinGroupRequest {
    fn default() -> Self {
        JoinGroupRequest {
            group_id: String::new(),
            session_timeout_ms: 45_000,
            rebalance_timeout_ms: -1,
            member_id: String::new(),
            group_instance_id: None,
            protocol_type: "consumer".into(),
            protocols: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JoinGroupProtocol {
    pub name: String,
    pub metadata: Bytes,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JoinGroupResponse {
    /// v2+.
    pub throttle_time_ms: i32,
    pub error_code: i16,
    pub generation_id: i32,
    /// v7+.
    pub protocol_type: Option<String>,
    /// Nullable only from v7; before that `None` is sent as "".
    pub protocol_name: Option<String>,
    pub leader: String,
    pub member_id: String,
    /// Filled in for the leader only.
    pub members: Vec<JoinGroupMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JoinGroupMember {
    pub member_id: String,
    /// v5+.
    pub group_instance_id: Option<String>,
    pub metadata: Bytes,
}

request!(JoinGroupRequest => JoinGroupResponse, JoinGroup, 0..=7);

impl Message for JoinGroupRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.group_id)?;
        out.put_i32(self.session_timeout_ms);
        if version >= 1 {
            out.put_i32(self.rebalance_timeout_ms);
        }
        out.put_string_v(flex, &self.member_id)?;
        if version >= 5 {
            out.put_nullable_string_v(flex, self.group_instance_id.as_deref())?;
        }
        out.put_string_v(flex, &self.protocol_type)?;
        put_array(out, flex, &self.protocols, |out, p| {
            out.put_string_v(flex, &p.name)?;
            out.put_bytes_v(flex, &p.metadata)?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let group_id = r.string_v(flex)?;
        let session_timeout_ms = r.read_i32()?;
        let rebalance_timeout_ms = if version >= 1 { r.read_i32()? } else { -1 };
        let member_id = r.string_v(flex)?;
        let group_instance_id = if version >= 5 {
            r.nullable_string_v(flex)?
        } else {
            None
        };
        let protocol_type = r.string_v(flex)?;
        let protocols = r.array_v(flex, |r| {
            let p = JoinGroupProtocol {
                name: r.string_v(flex)?,
                metadata: r.bytes_v(flex)?,
            };
            r.tags_v(flex)?;
            Ok(p)
        })?;
        r.tags_v(flex)?;
        Ok(JoinGroupRequest {
            group_id,
            session_timeout_ms,
            rebalance_timeout_ms,
            member_id,
            group_instance_id,
            protocol_type,
            protocols,
        })
    }
}

impl Message for JoinGroupResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<JoinGroupRequest>(version)?;
        if version >= 2 {
            out.put_i32(self.throttle_time_ms);
        }
        out.put_i16(self.error_code);
        out.put_i32(self.generation_id);
        if version >= 7 {
            out.put_nullable_string_v(flex, self.protocol_type.as_deref())?;
            out.put_nullable_string_v(flex, self.protocol_name.as_deref())?;
        } else {
            out.put_string_v(flex, self.protocol_name.as_deref().unwrap_or(""))?;
        }
        out.put_string_v(flex, &self.leader)?;
        out.put_string_v(flex, &self.member_id)?;
        put_array(out, flex, &self.members, |out, m| {
            out.put_string_v(flex, &m.member_id)?;
            if version >= 5 {
                out.put_nullable_string_v(flex, m.group_instance_id.as_deref())?;
            }
            out.put_bytes_v(flex, &m.metadata)?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<JoinGroupRequest>(version)?;
        let throttle_time_ms = if version >= 2 { r.read_i32()? } else { 0 };
        let error_code = r.read_i16()?;
        let generation_id = r.read_i32()?;
        let (protocol_type, protocol_name) = if version >= 7 {
            (r.nullable_string_v(flex)?, r.nullable_string_v(flex)?)
        } else {
            (None, Some(r.string_v(flex)?))
        };
        let leader = r.string_v(flex)?;
        let member_id = r.string_v(flex)?;
        let members = r.array_v(flex, |r| {
            let member_id = r.string_v(flex)?;
            let group_instance_id = if version >= 5 {
                r.nullable_string_v(flex)?
            } else {
                None
            };
            let m = JoinGroupMember {
                member_id,
                group_instance_id,
                metadata: r.bytes_v(flex)?,
            };
            r.tags_v(flex)?;
            Ok(m)
        })?;
        r.tags_v(flex)?;
        Ok(JoinGroupResponse {
            throttle_time_ms,
            error_code,
            generation_id,
            protocol_type,
            protocol_name,
            leader,
            member_id,
            members,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=7 {
            let req = JoinGroupRequest {
                group_id: "g".into(),
                session_timeout_ms: 10_000,
                rebalance_timeout_ms: since(v, 1, 20_000, -1),
                member_id: "m-1".into(),
                group_instance_id: since(v, 5, Some("i".into()), None),
                protocol_type: "consumer".into(),
                protocols: vec![
                    JoinGroupProtocol {
                        name: "range".into(),
                        metadata: Bytes::from_static(b"\x00\x01meta"),
                    },
                    JoinGroupProtocol {
                        name: "roundrobin".into(),
                        metadata: Bytes::new(),
                    },
                ],
            };
            roundtrip(&req, v);
            let resp = JoinGroupResponse {
                throttle_time_ms: since(v, 2, 1, 0),
                error_code: 0,
                generation_id: 3,
                protocol_type: since(v, 7, Some("consumer".into()), None),
                protocol_name: Some("range".into()),
                leader: "m-1".into(),
                member_id: "m-1".into(),
                members: vec![JoinGroupMember {
                    member_id: "m-1".into(),
                    group_instance_id: since(v, 5, Some("i".into()), None),
                    metadata: Bytes::from_static(b"md"),
                }],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn request_v0_fixture() {
        let req = JoinGroupRequest {
            group_id: "g".into(),
            session_timeout_ms: 6000,
            protocols: vec![JoinGroupProtocol {
                name: "r".into(),
                metadata: Bytes::from_static(b"x"),
            }],
            ..Default::default()
        };
        #[rustfmt::skip]
        let expected: &[u8] = &[
            0, 1, b'g', 0, 0, 0x17, 0x70, 0, 0,
            0, 8, b'c', b'o', b'n', b's', b'u', b'm', b'e', b'r',
            0, 0, 0, 1, 0, 1, b'r', 0, 0, 0, 1, b'x',
        ];
        assert_eq!(&roundtrip(&req, 0)[..], expected);
    }
}
