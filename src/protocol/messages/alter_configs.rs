//! AlterConfigs (key 33), versions 0-2.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlterConfigsRequest {
    pub resources: Vec<AlterConfigsResource>,
    pub validate_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlterConfigsResource {
    pub resource_type: i8,
    pub resource_name: String,
    /// The resource's whole new configuration (unlisted ones revert).
    pub configs: Vec<AlterableConfig>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlterableConfig {
    pub name: String,
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlterConfigsResponse {
    pub throttle_time_ms: i32,
    pub responses: Vec<AlterConfigsResourceResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlterConfigsResourceResponse {
    pub error_code: i16,
    pub error_message: Option<String>,
    pub resource_type: i8,
    pub resource_name: String,
}

request!(AlterConfigsRequest => AlterConfigsResponse, AlterConfigs, 0..=2);

impl Message for AlterConfigsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        put_array(out, flex, &self.resources, |out, r| {
            out.put_i8(r.resource_type);
            out.put_string_v(flex, &r.resource_name)?;
            put_array(out, flex, &r.configs, |out, c| {
                out.put_string_v(flex, &c.name)?;
                out.put_nullable_string_v(flex, c.value.as_deref())?;
                out.put_tags_v(flex);
                Ok(())
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_bool(self.validate_only);
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let resources = r.array_v(flex, |r| {
            let resource_type = r.read_i8()?;
            let resource_name = r.string_v(flex)?;
            let configs = r.array_v(flex, |r| {
                let c = AlterableConfig {
                    name: r.string_v(flex)?,
                    value: r.nullable_string_v(flex)?,
                };
                r.tags_v(flex)?;
                Ok(c)
            })?;
            r.tags_v(flex)?;
            Ok(AlterConfigsResource {
                resource_type,
                resource_name,
                configs,
            })
        })?;
        let validate_only = r.read_bool()?;
        r.tags_v(flex)?;
        Ok(AlterConfigsRequest {
            resources,
            validate_only,
        })
    }
}

impl Message for AlterConfigsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<AlterConfigsRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        put_array(out, flex, &self.responses, |out, r| {
            out.put_i16(r.error_code);
            out.put_nullable_string_v(flex, r.error_message.as_deref())?;
            out.put_i8(r.resource_type);
            out.put_string_v(flex, &r.resource_name)?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<AlterConfigsRequest>(version)?;
        let throttle_time_ms = r.read_i32()?;
        let responses = r.array_v(flex, |r| {
            let res = AlterConfigsResourceResponse {
                error_code: r.read_i16()?,
                error_message: r.nullable_string_v(flex)?,
                resource_type: r.read_i8()?,
                resource_name: r.string_v(flex)?,
            };
            r.tags_v(flex)?;
            Ok(res)
        })?;
        r.tags_v(flex)?;
        Ok(AlterConfigsResponse {
            throttle_time_ms,
            responses,
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
            let req = AlterConfigsRequest {
                resources: vec![AlterConfigsResource {
                    resource_type: 2,
                    resource_name: "t".into(),
                    configs: vec![
                        AlterableConfig {
                            name: "retention.ms".into(),
                            value: Some("1".into()),
                        },
                        AlterableConfig {
                            name: "x".into(),
                            value: None,
                        },
                    ],
                }],
                validate_only: true,
            };
            roundtrip(&req, v);
            let resp = AlterConfigsResponse {
                throttle_time_ms: 1,
                responses: vec![AlterConfigsResourceResponse {
                    error_code: 40,
                    error_message: Some("invalid".into()),
                    resource_type: 2,
                    resource_name: "t".into(),
                }],
            };
            roundtrip(&resp, v);
        }
    }
}
