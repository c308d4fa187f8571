//! ListGroups (key 16), versions 0-4: the groups one broker coordinates.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListGroupsRequest {
    /// v4+: only groups in these states (KIP-518); empty lists every group.
    pub states_filter: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListGroupsResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    pub error_code: i16,
    pub groups: Vec<ListedGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListedGroup {
    pub group_id: String,
    pub protocol_type: String,
    /// v4+, empty when absent.
    pub group_state: String,
}

request!(ListGroupsRequest => ListGroupsResponse, ListGroups, 0..=4);

impl Message for ListGroupsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        if version >= 4 {
            put_string_array(out, flex, &self.states_filter)?;
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let states_filter = if version >= 4 {
            r.string_array_v(flex)?
        } else {
            Vec::new()
        };
        r.tags_v(flex)?;
        Ok(ListGroupsRequest { states_filter })
    }
}

impl Message for ListGroupsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<ListGroupsRequest>(version)?;
        if version >= 1 {
            out.put_i32(self.throttle_time_ms);
        }
        out.put_i16(self.error_code);
        put_array(out, flex, &self.groups, |out, g| {
            out.put_string_v(flex, &g.group_id)?;
            out.put_string_v(flex, &g.protocol_type)?;
            if version >= 4 {
                out.put_string_v(flex, &g.group_state)?;
            }
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<ListGroupsRequest>(version)?;
        let throttle_time_ms = if version >= 1 { r.read_i32()? } else { 0 };
        let error_code = r.read_i16()?;
        let groups = r.array_v(flex, |r| {
            let group_id = r.string_v(flex)?;
            let protocol_type = r.string_v(flex)?;
            let group_state = if version >= 4 {
                r.string_v(flex)?
            } else {
                String::new()
            };
            r.tags_v(flex)?;
            Ok(ListedGroup {
                group_id,
                protocol_type,
                group_state,
            })
        })?;
        r.tags_v(flex)?;
        Ok(ListGroupsResponse {
            throttle_time_ms,
            error_code,
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
        for v in 0..=4 {
            let req = ListGroupsRequest {
                states_filter: since(v, 4, vec!["Stable".into(), "Empty".into()], vec![]),
            };
            roundtrip(&req, v);
            let resp = ListGroupsResponse {
                throttle_time_ms: since(v, 1, 5, 0),
                error_code: 15,
                groups: vec![
                    ListedGroup {
                        group_id: "g1".into(),
                        protocol_type: "consumer".into(),
                        group_state: since(v, 4, "Stable".into(), String::new()),
                    },
                    ListedGroup::default(),
                ],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = ListGroupsRequest {
            states_filter: vec!["Empty".into()],
        };
        assert_eq!(
            &roundtrip(&ListGroupsRequest::default(), 0)[..],
            &[] as &[u8]
        );
        assert_eq!(&roundtrip(&ListGroupsRequest::default(), 3)[..], &[0]);
        assert_eq!(
            &roundtrip(&req, 4)[..],
            &[2, 6, b'E', b'm', b'p', b't', b'y', 0]
        );
        let resp = ListGroupsResponse {
            throttle_time_ms: 0,
            error_code: 0,
            groups: vec![ListedGroup {
                group_id: "g".into(),
                protocol_type: "c".into(),
                group_state: String::new(),
            }],
        };
        assert_eq!(
            &roundtrip(&resp, 0)[..],
            &[0, 0, 0, 0, 0, 1, 0, 1, b'g', 0, 1, b'c']
        );
    }
}
