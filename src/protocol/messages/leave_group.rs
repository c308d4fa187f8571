//! LeaveGroup (key 13), versions 0-4. From v3 several members can leave at
//! once (`members`); before that a single `member_id` is sent.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LeaveGroupRequest {
    pub group_id: String,
    /// v0-2.
    pub member_id: String,
    /// v3+.
    pub members: Vec<MemberIdentity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberIdentity {
    pub member_id: String,
    pub group_instance_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LeaveGroupResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    pub error_code: i16,
    /// v3+.
    pub members: Vec<MemberResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberResponse {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    pub error_code: i16,
}

request!(LeaveGroupRequest => LeaveGroupResponse, LeaveGroup, 0..=4);

impl Message for LeaveGroupRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        out.put_string_v(flex, &self.group_id)?;
        if version < 3 {
            out.put_string_v(flex, &self.member_id)?;
        } else {
            put_array(out, flex, &self.members, |out, m| {
                out.put_string_v(flex, &m.member_id)?;
                out.put_nullable_string_v(flex, m.group_instance_id.as_deref())?;
                out.put_tags_v(flex);
                Ok(())
            })?;
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let mut req = LeaveGroupRequest {
            group_id: r.string_v(flex)?,
            ..Default::default()
        };
        if version < 3 {
            req.member_id = r.string_v(flex)?;
        } else {
            req.members = r.array_v(flex, |r| {
                let m = MemberIdentity {
                    member_id: r.string_v(flex)?,
                    group_instance_id: r.nullable_string_v(flex)?,
                };
                r.tags_v(flex)?;
                Ok(m)
            })?;
        }
        r.tags_v(flex)?;
        Ok(req)
    }
}

impl Message for LeaveGroupResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<LeaveGroupRequest>(version)?;
        if version >= 1 {
            out.put_i32(self.throttle_time_ms);
        }
        out.put_i16(self.error_code);
        if version >= 3 {
            put_array(out, flex, &self.members, |out, m| {
                out.put_string_v(flex, &m.member_id)?;
                out.put_nullable_string_v(flex, m.group_instance_id.as_deref())?;
                out.put_i16(m.error_code);
                out.put_tags_v(flex);
                Ok(())
            })?;
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<LeaveGroupRequest>(version)?;
        let mut resp = LeaveGroupResponse::default();
        if version >= 1 {
            resp.throttle_time_ms = r.read_i32()?;
        }
        resp.error_code = r.read_i16()?;
        if version >= 3 {
            resp.members = r.array_v(flex, |r| {
                let m = MemberResponse {
                    member_id: r.string_v(flex)?,
                    group_instance_id: r.nullable_string_v(flex)?,
                    error_code: r.read_i16()?,
                };
                r.tags_v(flex)?;
                Ok(m)
            })?;
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
        for v in 0..=4 {
            let req = LeaveGroupRequest {
                group_id: "g".into(),
                member_id: since(v, 3, String::new(), "m".into()),
                members: since(
                    v,
                    3,
                    vec![MemberIdentity {
                        member_id: "m".into(),
                        group_instance_id: Some("i".into()),
                    }],
                    vec![],
                ),
            };
            roundtrip(&req, v);
            let resp = LeaveGroupResponse {
                throttle_time_ms: since(v, 1, 1, 0),
                error_code: 0,
                members: since(
                    v,
                    3,
                    vec![MemberResponse {
                        member_id: "m".into(),
                        group_instance_id: None,
                        error_code: 25,
                    }],
                    vec![],
                ),
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let v0 = LeaveGroupRequest {
            group_id: "g".into(),
            member_id: "m".into(),
            members: vec![],
        };
        assert_eq!(&roundtrip(&v0, 0)[..], &[0, 1, b'g', 0, 1, b'm']);
        let v3 = LeaveGroupRequest {
            group_id: "g".into(),
            member_id: String::new(),
            members: vec![MemberIdentity {
                member_id: "m".into(),
                group_instance_id: None,
            }],
        };
        assert_eq!(
            &roundtrip(&v3, 3)[..],
            &[0, 1, b'g', 0, 0, 0, 1, 0, 1, b'm', 0xff, 0xff]
        );
    }
}
