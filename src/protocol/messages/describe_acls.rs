//! DescribeAcls (key 29), versions 0-3, and the ACL filter DescribeAcls and
//! DeleteAcls share.

use super::create_acls::PATTERN_TYPE_LITERAL;
use super::prelude::*;

/// Matches ACLs: `None` strings match any value; types ANY (1) match any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclFilter {
    pub resource_type: i8,
    pub resource_name: Option<String>,
    /// v1+, [`PATTERN_TYPE_LITERAL`] before.
    pub pattern_type: i8,
    pub principal: Option<String>,
    pub host: Option<String>,
    pub operation: i8,
    pub permission_type: i8,
}

impl Default for AclFilter {
    fn default() -> Self {
        AclFilter {
            resource_type: 1,
            resource_name: None,
            pattern_type: PATTERN_TYPE_LITERAL,
            principal: None,
            host: None,
            operation: 1,
            permission_type: 1,
        }
    }
}

impl AclFilter {
    pub(crate) fn encode_fields(
        &self,
        version: i16,
        flex: bool,
        out: &mut BytesMut,
    ) -> Result<(), EncodeError> {
        out.put_i8(self.resource_type);
        out.put_nullable_string_v(flex, self.resource_name.as_deref())?;
        if version >= 1 {
            out.put_i8(self.pattern_type);
        }
        out.put_nullable_string_v(flex, self.principal.as_deref())?;
        out.put_nullable_string_v(flex, self.host.as_deref())?;
        out.put_i8(self.operation);
        out.put_i8(self.permission_type);
        Ok(())
    }

    pub(crate) fn decode_fields(
        version: i16,
        flex: bool,
        r: &mut Reader<'_>,
    ) -> Result<Self, DecodeError> {
        let resource_type = r.read_i8()?;
        let resource_name = r.nullable_string_v(flex)?;
        let pattern_type = if version >= 1 {
            r.read_i8()?
        } else {
            PATTERN_TYPE_LITERAL
        };
        Ok(AclFilter {
            resource_type,
            resource_name,
            pattern_type,
            principal: r.nullable_string_v(flex)?,
            host: r.nullable_string_v(flex)?,
            operation: r.read_i8()?,
            permission_type: r.read_i8()?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeAclsRequest {
    pub filter: AclFilter,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeAclsResponse {
    pub throttle_time_ms: i32,
    pub error_code: i16,
    pub error_message: Option<String>,
    pub resources: Vec<DescribeAclsResource>,
}

/// A resource pattern and the ACLs on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeAclsResource {
    pub resource_type: i8,
    pub name: String,
    /// v1+, [`PATTERN_TYPE_LITERAL`] before.
    pub pattern_type: i8,
    pub acls: Vec<AclDescription>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AclDescription {
    pub principal: String,
    pub host: String,
    pub operation: i8,
    pub permission_type: i8,
}

request!(DescribeAclsRequest => DescribeAclsResponse, DescribeAcls, 0..=3);

impl Message for DescribeAclsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        self.filter.encode_fields(version, flex, out)?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let filter = AclFilter::decode_fields(version, flex, r)?;
        r.tags_v(flex)?;
        Ok(DescribeAclsRequest { filter })
    }
}

impl Message for DescribeAclsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<DescribeAclsRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        out.put_i16(self.error_code);
        out.put_nullable_string_v(flex, self.error_message.as_deref())?;
        put_array(out, flex, &self.resources, |out, res| {
            out.put_i8(res.resource_type);
            out.put_string_v(flex, &res.name)?;
            if version >= 1 {
                out.put_i8(res.pattern_type);
            }
            put_array(out, flex, &res.acls, |out, acl| {
                out.put_string_v(flex, &acl.principal)?;
                out.put_string_v(flex, &acl.host)?;
                out.put_i8(acl.operation);
                out.put_i8(acl.permission_type);
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
        let flex = decode_flex::<DescribeAclsRequest>(version)?;
        let throttle_time_ms = r.read_i32()?;
        let error_code = r.read_i16()?;
        let error_message = r.nullable_string_v(flex)?;
        let resources = r.array_v(flex, |r| {
            let resource_type = r.read_i8()?;
            let name = r.string_v(flex)?;
            let pattern_type = if version >= 1 {
                r.read_i8()?
            } else {
                PATTERN_TYPE_LITERAL
            };
            let acls = r.array_v(flex, |r| {
                let acl = AclDescription {
                    principal: r.string_v(flex)?,
                    host: r.string_v(flex)?,
                    operation: r.read_i8()?,
                    permission_type: r.read_i8()?,
                };
                r.tags_v(flex)?;
                Ok(acl)
            })?;
            r.tags_v(flex)?;
            Ok(DescribeAclsResource {
                resource_type,
                name,
                pattern_type,
                acls,
            })
        })?;
        r.tags_v(flex)?;
        Ok(DescribeAclsResponse {
            throttle_time_ms,
            error_code,
            error_message,
            resources,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=3 {
            let req = DescribeAclsRequest {
                filter: AclFilter {
                    resource_type: 2,
                    resource_name: Some("t".into()),
                    pattern_type: since(v, 1, 2, PATTERN_TYPE_LITERAL),
                    principal: None,
                    host: Some("*".into()),
                    operation: 1,
                    permission_type: 3,
                },
            };
            roundtrip(&req, v);
            roundtrip(&DescribeAclsRequest::default(), v);
            let resp = DescribeAclsResponse {
                throttle_time_ms: 1,
                error_code: 0,
                error_message: None,
                resources: vec![DescribeAclsResource {
                    resource_type: 2,
                    name: "t".into(),
                    pattern_type: since(v, 1, 4, PATTERN_TYPE_LITERAL),
                    acls: vec![AclDescription {
                        principal: "User:a".into(),
                        host: "*".into(),
                        operation: 3,
                        permission_type: 3,
                    }],
                }],
            };
            roundtrip(&resp, v);
            let failed = DescribeAclsResponse {
                error_code: 43,
                error_message: Some("no".into()),
                ..Default::default()
            };
            roundtrip(&failed, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = DescribeAclsRequest::default();
        assert_eq!(
            &roundtrip(&req, 0)[..],
            &[1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 1]
        );
        assert_eq!(&roundtrip(&req, 2)[..], &[1, 0, 3, 0, 0, 1, 1, 0]);
    }
}
