//! DescribeGroups (key 15), versions 0-5: state, protocol and members
//! (with their metadata and assignment) of groups on their coordinator.

use super::prelude::*;

/// AuthorizedOperations' value when the client did not ask for them.
pub const AUTHORIZED_OPERATIONS_OMITTED: i32 = i32::MIN;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeGroupsRequest {
    pub groups: Vec<String>,
    /// v3+.
    pub include_authorized_operations: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeGroupsResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    pub groups: Vec<DescribedGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribedGroup {
    pub error_code: i16,
    pub group_id: String,
    /// Kafka's state name ("Stable", "Empty", "Dead", ...).
    pub group_state: String,
    pub protocol_type: String,
    /// The chosen protocol (the assignor for consumer groups).
    pub protocol_data: String,
    pub members: Vec<DescribedGroupMember>,
    /// v3+, [`AUTHORIZED_OPERATIONS_OMITTED`] when absent.
    pub authorized_operations: i32,
}

impl Default for DescribedGroup {
    fn default() -> Self {
        DescribedGroup {
            error_code: 0,
            group_id: String::new(),
            group_state: String::new(),
            protocol_type: String::new(),
            protocol_data: String::new(),
            members: Vec::new(),
            authorized_operations: AUTHORIZED_OPERATIONS_OMITTED,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribedGroupMember {
    pub member_id: String,
    /// v4+.
    pub group_instance_id: Option<String>,
    pub client_id: String,
    pub client_host: String,
    pub member_metadata: Bytes,
    pub member_assignment: Bytes,
}

request!(DescribeGroupsRequest => DescribeGroupsResponse, DescribeGroups, 0..=5);

impl Message for DescribeGroupsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        put_string_array(out, flex, &self.groups)?;
        if version >= 3 {
            out.put_bool(self.include_authorized_operations);
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let groups = r.string_array_v(flex)?;
        let include_authorized_operations = if version >= 3 { r.read_bool()? } else { false };
        r.tags_v(flex)?;
        Ok(DescribeGroupsRequest {
            groups,
            include_authorized_operations,
        })
    }
}

impl Message for DescribeGroupsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<DescribeGroupsRequest>(version)?;
        if version >= 1 {
            out.put_i32(self.throttle_time_ms);
        }
        put_array(out, flex, &self.groups, |out, g| {
            out.put_i16(g.error_code);
            out.put_string_v(flex, &g.group_id)?;
            out.put_string_v(flex, &g.group_state)?;
            out.put_string_v(flex, &g.protocol_type)?;
            out.put_string_v(flex, &g.protocol_data)?;
            put_array(out, flex, &g.members, |out, m| {
                out.put_string_v(flex, &m.member_id)?;
                if version >= 4 {
                    out.put_nullable_string_v(flex, m.group_instance_id.as_deref())?;
                }
                out.put_string_v(flex, &m.client_id)?;
                out.put_string_v(flex, &m.client_host)?;
                out.put_bytes_v(flex, &m.member_metadata)?;
                out.put_bytes_v(flex, &m.member_assignment)?;
                out.put_tags_v(flex);
                Ok(())
            })?;
            if version >= 3 {
                out.put_i32(g.authorized_operations);
            }
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<DescribeGroupsRequest>(version)?;
        let throttle_time_ms = if version >= 1 { r.read_i32()? } else { 0 };
        let groups = r.array_v(flex, |r| {
            let error_code = r.read_i16()?;
            let group_id = r.string_v(flex)?;
            let group_state = r.string_v(flex)?;
            let protocol_type = r.string_v(flex)?;
            let protocol_data = r.string_v(flex)?;
            let members = r.array_v(flex, |r| {
                let member_id = r.string_v(flex)?;
                let group_instance_id = if version >= 4 {
                    r.nullable_string_v(flex)?
                } else {
                    None
                };
                let m = DescribedGroupMember {
                    member_id,
                    group_instance_id,
                    client_id: r.string_v(flex)?,
                    client_host: r.string_v(flex)?,
                    member_metadata: r.bytes_v(flex)?,
                    member_assignment: r.bytes_v(flex)?,
                };
                r.tags_v(flex)?;
                Ok(m)
            })?;
            let authorized_operations = if version >= 3 {
                r.read_i32()?
            } else {
                AUTHORIZED_OPERATIONS_OMITTED
            };
            r.tags_v(flex)?;
            Ok(DescribedGroup {
                error_code,
                group_id,
                group_state,
                protocol_type,
                protocol_data,
                members,
                authorized_operations,
            })
        })?;
        r.tags_v(flex)?;
        Ok(DescribeGroupsResponse {
            throttle_time_ms,
            groups,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=5 {
            let req = DescribeGroupsRequest {
                groups: vec!["g1".into(), "g2".into()],
                include_authorized_operations: since(v, 3, true, false),
            };
            roundtrip(&req, v);
            let resp = DescribeGroupsResponse {
                throttle_time_ms: since(v, 1, 7, 0),
                groups: vec![
                    DescribedGroup {
                        error_code: 0,
                        group_id: "g1".into(),
                        group_state: "Stable".into(),
                        protocol_type: "consumer".into(),
                        protocol_data: "range".into(),
                        members: vec![DescribedGroupMember {
                            member_id: "m-1".into(),
                            group_instance_id: since(v, 4, Some("i".into()), None),
                            client_id: "rdkafka".into(),
                            client_host: "/127.0.0.1".into(),
                            member_metadata: Bytes::from_static(b"meta"),
                            member_assignment: Bytes::from_static(b"assign"),
                        }],
                        authorized_operations: since(v, 3, 0x1f8, AUTHORIZED_OPERATIONS_OMITTED),
                    },
                    DescribedGroup {
                        error_code: 69,
                        group_id: "g2".into(),
                        group_state: "Dead".into(),
                        ..Default::default()
                    },
                ],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = DescribeGroupsRequest {
            groups: vec!["g".into()],
            include_authorized_operations: false,
        };
        assert_eq!(&roundtrip(&req, 0)[..], &[0, 0, 0, 1, 0, 1, b'g']);
        assert_eq!(&roundtrip(&req, 5)[..], &[2, 2, b'g', 0, 0]);
    }
}
