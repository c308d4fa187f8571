//! DeleteAcls (key 31), versions 0-3: deletes the ACLs each filter matches
//! and returns them.

use super::create_acls::AclBinding;
use super::describe_acls::AclFilter;
use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteAclsRequest {
    pub filters: Vec<AclFilter>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteAclsResponse {
    pub throttle_time_ms: i32,
    /// One per filter, in request order.
    pub filter_results: Vec<DeleteAclsFilterResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteAclsFilterResult {
    pub error_code: i16,
    pub error_message: Option<String>,
    pub matching_acls: Vec<DeleteAclsMatchingAcl>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteAclsMatchingAcl {
    pub error_code: i16,
    pub error_message: Option<String>,
    pub acl: AclBinding,
}

request!(DeleteAclsRequest => DeleteAclsResponse, DeleteAcls, 0..=3);

impl Message for DeleteAclsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        put_array(out, flex, &self.filters, |out, f| {
            f.encode_fields(version, flex, out)?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let filters = r.array_v(flex, |r| {
            let f = AclFilter::decode_fields(version, flex, r)?;
            r.tags_v(flex)?;
            Ok(f)
        })?;
        r.tags_v(flex)?;
        Ok(DeleteAclsRequest { filters })
    }
}

impl Message for DeleteAclsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<DeleteAclsRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        put_array(out, flex, &self.filter_results, |out, fr| {
            out.put_i16(fr.error_code);
            out.put_nullable_string_v(flex, fr.error_message.as_deref())?;
            put_array(out, flex, &fr.matching_acls, |out, m| {
                out.put_i16(m.error_code);
                out.put_nullable_string_v(flex, m.error_message.as_deref())?;
                m.acl.encode_fields(version, flex, out)?;
                out.put_tags_v(flex);
                Ok(())
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<DeleteAclsRequest>(version)?;
        let throttle_time_ms = r.read_i32()?;
        let filter_results = r.array_v(flex, |r| {
            let error_code = r.read_i16()?;
            let error_message = r.nullable_string_v(flex)?;
            let matching_acls = r.array_v(flex, |r| {
                let m = DeleteAclsMatchingAcl {
                    error_code: r.read_i16()?,
                    error_message: r.nullable_string_v(flex)?,
                    acl: AclBinding::decode_fields(version, flex, r)?,
                };
                r.tags_v(flex)?;
                Ok(m)
            })?;
            r.tags_v(flex)?;
            Ok(DeleteAclsFilterResult {
                error_code,
                error_message,
                matching_acls,
            })
        })?;
        r.tags_v(flex)?;
        Ok(DeleteAclsResponse {
            throttle_time_ms,
            filter_results,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::messages::create_acls::PATTERN_TYPE_LITERAL;
    use crate::protocol::test_util::{roundtrip, since};

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=3 {
            let req = DeleteAclsRequest {
                filters: vec![
                    AclFilter::default(),
                    AclFilter {
                        resource_type: 2,
                        resource_name: Some("t".into()),
                        pattern_type: since(v, 1, 1, PATTERN_TYPE_LITERAL),
                        principal: Some("User:a".into()),
                        host: None,
                        operation: 2,
                        permission_type: 2,
                    },
                ],
            };
            roundtrip(&req, v);
            let resp = DeleteAclsResponse {
                throttle_time_ms: 0,
                filter_results: vec![
                    DeleteAclsFilterResult {
                        error_code: 0,
                        error_message: None,
                        matching_acls: vec![DeleteAclsMatchingAcl {
                            error_code: 0,
                            error_message: None,
                            acl: AclBinding {
                                resource_type: 2,
                                resource_name: "t".into(),
                                pattern_type: since(v, 1, 4, PATTERN_TYPE_LITERAL),
                                principal: "User:a".into(),
                                host: "*".into(),
                                operation: 3,
                                permission_type: 3,
                            },
                        }],
                    },
                    DeleteAclsFilterResult {
                        error_code: 42,
                        error_message: Some("bad filter".into()),
                        matching_acls: vec![],
                    },
                ],
            };
            roundtrip(&resp, v);
        }
    }
}
