//! DeleteGroups (key 42), versions 0-2: deletes empty groups and their
//! committed offsets on their coordinator.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteGroupsRequest {
    pub groups_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteGroupsResponse {
    pub throttle_time_ms: i32,
    pub results: Vec<DeletableGroupResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeletableGroupResult {
    pub group_id: String,
    pub error_code: i16,
}

request!(DeleteGroupsRequest => DeleteGroupsResponse, DeleteGroups, 0..=2);

impl Message for DeleteGroupsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        put_string_array(out, flex, &self.groups_names)?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let groups_names = r.string_array_v(flex)?;
        r.tags_v(flex)?;
        Ok(DeleteGroupsRequest { groups_names })
    }
}

impl Message for DeleteGroupsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<DeleteGroupsRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        put_array(out, flex, &self.results, |out, g| {
            out.put_string_v(flex, &g.group_id)?;
            out.put_i16(g.error_code);
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<DeleteGroupsRequest>(version)?;
        let throttle_time_ms = r.read_i32()?;
        let results = r.array_v(flex, |r| {
            let g = DeletableGroupResult {
                group_id: r.string_v(flex)?,
                error_code: r.read_i16()?,
            };
            r.tags_v(flex)?;
            Ok(g)
        })?;
        r.tags_v(flex)?;
        Ok(DeleteGroupsResponse {
            throttle_time_ms,
            results,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::roundtrip;

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=2 {
            let req = DeleteGroupsRequest {
                groups_names: vec!["a".into(), "b".into()],
            };
            roundtrip(&req, v);
            let resp = DeleteGroupsResponse {
                throttle_time_ms: 3,
                results: vec![
                    DeletableGroupResult {
                        group_id: "a".into(),
                        error_code: 0,
                    },
                    DeletableGroupResult {
                        group_id: "b".into(),
                        error_code: 68,
                    },
                ],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = DeleteGroupsRequest {
            groups_names: vec!["g".into()],
        };
        assert_eq!(&roundtrip(&req, 1)[..], &[0, 0, 0, 1, 0, 1, b'g']);
        assert_eq!(&roundtrip(&req, 2)[..], &[2, 2, b'g', 0]);
    }
}
