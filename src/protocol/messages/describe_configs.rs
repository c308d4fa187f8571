//! DescribeConfigs (key 32), versions 0-4.

use super::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeConfigsRequest {
    pub resources: Vec<DescribeConfigsResource>,
    /// v1+.
    pub include_synonyms: bool,
    /// v3+.
    pub include_documentation: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeConfigsResource {
    pub resource_type: i8,
    pub resource_name: String,
    /// `None`: every config.
    pub configuration_keys: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeConfigsResponse {
    pub throttle_time_ms: i32,
    pub results: Vec<DescribeConfigsResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeConfigsResult {
    pub error_code: i16,
    pub error_message: Option<String>,
    pub resource_type: i8,
    pub resource_name: String,
    pub configs: Vec<DescribeConfigsResourceResult>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeConfigsResourceResult {
    pub name: String,
    pub value: Option<String>,
    pub read_only: bool,
    /// v0 only (later versions say it with `config_source`).
    pub is_default: bool,
    /// v1+, -1 when absent.
    pub config_source: i8,
    pub is_sensitive: bool,
    /// v1+.
    pub synonyms: Vec<DescribeConfigsSynonym>,
    /// v3+, 0 when absent.
    pub config_type: i8,
    /// v3+.
    pub documentation: Option<String>,
}

impl Default for DescribeConfigsResourceResult {
    fn default() -> Self {
        DescribeConfigsResourceResult {
            name: String::new(),
            value: None,
            read_only: false,
            is_default: false,
            config_source: -1,
            is_sensitive: false,
            synonyms: Vec::new(),
            config_type: 0,
            documentation: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeConfigsSynonym {
    pub name: String,
    pub value: Option<String>,
    pub source: i8,
}

request!(DescribeConfigsRequest => DescribeConfigsResponse, DescribeConfigs, 0..=4);

impl Message for DescribeConfigsRequest {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<Self>(version)?;
        put_array(out, flex, &self.resources, |out, r| {
            out.put_i8(r.resource_type);
            out.put_string_v(flex, &r.resource_name)?;
            put_nullable_array(out, flex, r.configuration_keys.as_deref(), |out, k| {
                out.put_string_v(flex, k)
            })?;
            out.put_tags_v(flex);
            Ok(())
        })?;
        if version >= 1 {
            out.put_bool(self.include_synonyms);
        }
        if version >= 3 {
            out.put_bool(self.include_documentation);
        }
        out.put_tags_v(flex);
        Ok(())
    }

    fn decode(version: i16, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flex = decode_flex::<Self>(version)?;
        let resources = r.array_v(flex, |r| {
            let res = DescribeConfigsResource {
                resource_type: r.read_i8()?,
                resource_name: r.string_v(flex)?,
                configuration_keys: r.nullable_array_v(flex, |r| r.string_v(flex))?,
            };
            r.tags_v(flex)?;
            Ok(res)
        })?;
        let include_synonyms = version >= 1 && r.read_bool()?;
        let include_documentation = version >= 3 && r.read_bool()?;
        r.tags_v(flex)?;
        Ok(DescribeConfigsRequest {
            resources,
            include_synonyms,
            include_documentation,
        })
    }
}

impl Message for DescribeConfigsResponse {
    fn encode(&self, version: i16, out: &mut BytesMut) -> Result<(), EncodeError> {
        let flex = encode_flex::<DescribeConfigsRequest>(version)?;
        out.put_i32(self.throttle_time_ms);
        put_array(out, flex, &self.results, |out, res| {
            out.put_i16(res.error_code);
            out.put_nullable_string_v(flex, res.error_message.as_deref())?;
            out.put_i8(res.resource_type);
            out.put_string_v(flex, &res.resource_name)?;
            put_array(out, flex, &res.configs, |out, c| {
                out.put_string_v(flex, &c.name)?;
                out.put_nullable_string_v(flex, c.value.as_deref())?;
                out.put_bool(c.read_only);
                if version == 0 {
                    out.put_bool(c.is_default);
                } else {
                    out.put_i8(c.config_source);
                }
                out.put_bool(c.is_sensitive);
                if version >= 1 {
                    put_array(out, flex, &c.synonyms, |out, s| {
                        out.put_string_v(flex, &s.name)?;
                        out.put_nullable_string_v(flex, s.value.as_deref())?;
                        out.put_i8(s.source);
                        out.put_tags_v(flex);
                        Ok(())
                    })?;
                }
                if version >= 3 {
                    out.put_i8(c.config_type);
                    out.put_nullable_string_v(flex, c.documentation.as_deref())?;
                }
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
        let flex = decode_flex::<DescribeConfigsRequest>(version)?;
        let throttle_time_ms = r.read_i32()?;
        let results = r.array_v(flex, |r| {
            let error_code = r.read_i16()?;
            let error_message = r.nullable_string_v(flex)?;
            let resource_type = r.read_i8()?;
            let resource_name = r.string_v(flex)?;
            let configs = r.array_v(flex, |r| {
                let mut c = DescribeConfigsResourceResult {
                    name: r.string_v(flex)?,
                    value: r.nullable_string_v(flex)?,
                    read_only: r.read_bool()?,
                    ..Default::default()
                };
                if version == 0 {
                    c.is_default = r.read_bool()?;
                } else {
                    c.config_source = r.read_i8()?;
                }
                c.is_sensitive = r.read_bool()?;
                if version >= 1 {
                    c.synonyms = r.array_v(flex, |r| {
                        let s = DescribeConfigsSynonym {
                            name: r.string_v(flex)?,
                            value: r.nullable_string_v(flex)?,
                            source: r.read_i8()?,
                        };
                        r.tags_v(flex)?;
                        Ok(s)
                    })?;
                }
                if version >= 3 {
                    c.config_type = r.read_i8()?;
                    c.documentation = r.nullable_string_v(flex)?;
                }
                r.tags_v(flex)?;
                Ok(c)
            })?;
            r.tags_v(flex)?;
            Ok(DescribeConfigsResult {
                error_code,
                error_message,
                resource_type,
                resource_name,
                configs,
            })
        })?;
        r.tags_v(flex)?;
        Ok(DescribeConfigsResponse {
            throttle_time_ms,
            results,
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
            let req = DescribeConfigsRequest {
                resources: vec![
                    DescribeConfigsResource {
                        resource_type: 2,
                        resource_name: "t".into(),
                        configuration_keys: None,
                    },
                    DescribeConfigsResource {
                        resource_type: 4,
                        resource_name: "1".into(),
                        configuration_keys: Some(vec!["a".into()]),
                    },
                ],
                include_synonyms: since(v, 1, true, false),
                include_documentation: since(v, 3, true, false),
            };
            roundtrip(&req, v);
            let resp = DescribeConfigsResponse {
                throttle_time_ms: 3,
                results: vec![DescribeConfigsResult {
                    error_code: 0,
                    error_message: None,
                    resource_type: 2,
                    resource_name: "t".into(),
                    configs: vec![DescribeConfigsResourceResult {
                        name: "retention.ms".into(),
                        value: Some("1000".into()),
                        read_only: false,
                        is_default: v == 0,
                        config_source: since(v, 1, 1, -1),
                        is_sensitive: false,
                        synonyms: since(
                            v,
                            1,
                            vec![DescribeConfigsSynonym {
                                name: "log.retention.ms".into(),
                                value: Some("5".into()),
                                source: 4,
                            }],
                            vec![],
                        ),
                        config_type: since(v, 3, 5, 0),
                        documentation: since(v, 3, Some("doc".into()), None),
                    }],
                }],
            };
            roundtrip(&resp, v);
        }
    }
}
