//! CreateAcls (key 30), versions 0-3, and the ACL binding the three ACL
//! APIs share.

use super::prelude::*;

/// The pattern type versions before 1 imply (and the protocol's default).
pub const PATTERN_TYPE_LITERAL: i8 = 3;

/// One ACL: a resource pattern and who may (or may not) do what on it.
/// Values are Kafka's (`rd_kafka_ResourceType_t`,
/// `rd_kafka_ResourcePatternType_t`, `rd_kafka_AclOperation_t`,
/// `rd_kafka_AclPermissionType_t` use the same numbers).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AclBinding {
    pub resource_type: i8,
    pub resource_name: String,
    /// v1+, [`PATTERN_TYPE_LITERAL`] before.
    pub pattern_type: i8,
    pub principal: String,
    pub host: String,
    pub operation: i8,
    pub permission_type: i8,
}

impl Default for AclBinding {
    fn default() -> Self {
        AclBinding {
            resource_type: 0,
            resource_name: String::new(),
            pattern_type: PATTERN_TYPE_LITERAL,
            principal: String::new(),
            host: String::new(),
            operation: 0,
            permission_type: 0,
        }
    }
}

impl AclBinding {
    /// Writes the binding's fields in the order CreateAcls and DeleteAcls'
    /// matching ACLs use.
    pub(crate) fn encode_fields(
        &self,
        version: i16,
        flex: bool,
        out: &mut BytesMut,
    ) -> Result<(), EncodeError> {
        out.put_i8(self.resource_type);
        out.put_string_v(flex, &self.resource_name)?;
        if version >= 1 {
            out.put_i8(self.pattern_type);
        }
        out.put_string_v(flex, &self.principal)?;
        out.put_string_v(flex, &self.host)?;
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
        let resource_name = r.string_v(flex)?;
        let pattern_type = if version >= 1 {
            r.read_i8()?
        } else {
            PATTERN_TYPE_LITERAL
        };
        Ok(AclBinding {
            resource_type,
            resource_name,
            pattern_type,
            principal: r.string_v(flex)?,
            host: r.string_v(flex)?,
            operation: r.read_i8()?,
            permission_type: r.read_i8()?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateAclsRequest {
    pub creations: Vec<AclBinding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateAclsResponse {
    pub throttle_time_ms: i32,
    /// One per creation, in request order.
    pub results: Vec<AclCreationResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AclCreationResult {
    pub error_code: i16,
    pub error_message: Option<String>,
}

request!(CreateAclsRequest => CreateAclsResponse, CreateAcls, 0..=3);

impl Message for CreateAclsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        put_array(out, flex, &self.creations, |out, acl| {
            acl.encode_fields(version, flex, out)?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let creations = r.array_v(flex, |r| {
            let acl = AclBinding::decode_fields(version, flex, r)?;
            r.tags_v(flex)?;
            Ok(acl)
        })?;
        r.tags_v(flex)?;
        Ok(CreateAclsRequest { creations })
    }
}

impl Message for CreateAclsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<CreateAclsRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        put_array(out, flex, &self.results, |out, res| {
            out.put_i16(res.error_code);
            out.put_nullable_string_v(flex, res.error_message.as_deref())?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<CreateAclsRequest>(version)?;
        let throttle_time_ms = r.read_i32()?;
        let results = r.array_v(flex, |r| {
            let res = AclCreationResult {
                error_code: r.read_i16()?,
                error_message: r.nullable_string_v(flex)?,
            };
            r.tags_v(flex)?;
            Ok(res)
        })?;
        r.tags_v(flex)?;
        Ok(CreateAclsResponse {
            throttle_time_ms,
            results,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_util::{roundtrip, since};

    pub(crate) fn binding(version: i16) -> AclBinding {
        AclBinding {
            resource_type: 2,
            resource_name: "topic".into(),
            pattern_type: since(version, 1, 4, PATTERN_TYPE_LITERAL),
            principal: "User:alice".into(),
            host: "*".into(),
            operation: 3,
            permission_type: 3,
        }
    }

    #[test]
    fn roundtrip_all_versions() {
        for v in 0..=3 {
            let req = CreateAclsRequest {
                creations: vec![binding(v), AclBinding::default()],
            };
            roundtrip(&req, v);
            let resp = CreateAclsResponse {
                throttle_time_ms: 2,
                results: vec![
                    AclCreationResult::default(),
                    AclCreationResult {
                        error_code: 87,
                        error_message: Some("bad".into()),
                    },
                ],
            };
            roundtrip(&resp, v);
        }
    }

    #[test]
    fn fixtures() {
        let req = CreateAclsRequest {
            creations: vec![AclBinding {
                resource_type: 2,
                resource_name: "t".into(),
                pattern_type: 3,
                principal: "p".into(),
                host: "h".into(),
                operation: 4,
                permission_type: 3,
            }],
        };
        assert_eq!(
            &roundtrip(&req, 0)[..],
            &[0, 0, 0, 1, 2, 0, 1, b't', 0, 1, b'p', 0, 1, b'h', 4, 3]
        );
        assert_eq!(
            &roundtrip(&req, 2)[..],
            &[2, 2, 2, b't', 3, 2, b'p', 2, b'h', 4, 3, 0, 0]
        );
    }
}
