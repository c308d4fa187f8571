//! DescribeConfigs and AlterConfigs: resources asked about, the request
//! (to the controller, or to the broker a BROKER resource names), and the
//! per-resource results with their entries and synonyms.

use crate::client::admin::options::{AdminOp, AdminOptions};
use crate::client::admin::request::{call, controller_moved, wire_error, Target, Verdict};
use crate::client::admin::result::{AdminResult, AdminResultBody, ConfigEntryInfo, ResourceResult};
use crate::client::admin::worker::Control;
use crate::error::ErrorCode;
use crate::protocol::messages::{
    AlterConfigsRequest, AlterConfigsResource, AlterableConfig, DescribeConfigsRequest,
    DescribeConfigsResource, DescribeConfigsResourceResult,
};
use std::collections::HashSet;

use ErrorCode::*;

/// `RD_KAFKA_RESOURCE_BROKER`: a broker's configs, answered by that broker.
pub const RESOURCE_BROKER: i32 = 4;
/// `RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG`.
const SOURCE_DEFAULT: i32 = 5;
/// `RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG`, what v0 answers stand for.
const SOURCE_DYNAMIC_TOPIC: i32 = 1;

/// A resource to describe or alter (`rd_kafka_ConfigResource_t` as asked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigResourceSpec {
    /// `rd_kafka_ResourceType_t`.
    pub restype: i32,
    pub name: String,
    /// Describe: the names asked (all when empty). Alter: the new config.
    pub configs: Vec<(String, Option<String>)>,
}

/// librdkafka's checks: at least one resource, none twice, at most one
/// BROKER resource (it decides where the request goes).
pub fn check_resources(resources: &[ConfigResourceSpec]) -> Result<(), String> {
    if resources.is_empty() {
        return Err("No config resources specified".to_string());
    }
    let mut seen = HashSet::new();
    for r in resources {
        if !seen.insert((r.restype, r.name.as_str())) {
            return Err("Duplicate ConfigResources not allowed".to_string());
        }
        if !(1..=4).contains(&r.restype) {
            return Err(format!(
                "Invalid resource type {} for {}",
                r.restype, r.name
            ));
        }
    }
    let brokers = resources
        .iter()
        .filter(|r| r.restype == RESOURCE_BROKER)
        .count();
    if brokers > 1 {
        return Err("Only one ConfigResource of type BROKER is allowed per call".to_string());
    }
    Ok(())
}

/// The controller, unless the options name a broker or a BROKER resource
/// does (its configs are that broker's to tell).
fn target(resources: &[ConfigResourceSpec], options: &AdminOptions) -> Result<Target, String> {
    if let Some(id) = options.broker {
        return Ok(Target::Broker(id));
    }
    match resources.iter().find(|r| r.restype == RESOURCE_BROKER) {
        Some(r) => r
            .name
            .parse::<i32>()
            .map(Target::Broker)
            .map_err(|_| format!("Invalid broker id \"{}\" of a BROKER resource", r.name)),
        None => Ok(Target::Controller),
    }
}

fn entry(c: DescribeConfigsResourceResult, v0: bool) -> ConfigEntryInfo {
    let source = if v0 {
        if c.is_default {
            SOURCE_DEFAULT
        } else {
            SOURCE_DYNAMIC_TOPIC
        }
    } else {
        i32::from(c.config_source).max(0)
    };
    ConfigEntryInfo {
        name: c.name,
        value: c.value,
        source,
        is_read_only: c.read_only,
        is_default: source == SOURCE_DEFAULT,
        is_sensitive: c.is_sensitive,
        is_synonym: false,
        synonyms: c
            .synonyms
            .into_iter()
            .map(|s| ConfigEntryInfo {
                name: s.name,
                value: s.value,
                source: i32::from(s.source).max(0),
                is_default: i32::from(s.source) == SOURCE_DEFAULT,
                is_synonym: true,
                is_sensitive: c.is_sensitive,
                is_read_only: c.read_only,
                synonyms: Vec::new(),
            })
            .collect(),
    }
}

fn result_or_error(op: AdminOp, result: Result<Vec<ResourceResult>, ErrorCode>) -> AdminResult {
    match result {
        Ok(resources) => AdminResult::ok(op, AdminResultBody::Resources(resources)),
        Err(err) => AdminResult::failed(op, err, err.description()),
    }
}

fn missing(r: &ConfigResourceSpec) -> ResourceResult {
    ResourceResult {
        restype: r.restype,
        name: r.name.clone(),
        err: RD_KAFKA_RESP_ERR__BAD_MSG,
        errstr: Some("Resource missing from the broker's response".to_string()),
        configs: Vec::new(),
    }
}

pub fn describe_configs(
    ctl: &Control,
    resources: &[ConfigResourceSpec],
    options: &AdminOptions,
) -> AdminResult {
    let op = AdminOp::DescribeConfigs;
    let target = match target(resources, options) {
        Ok(t) => t,
        Err(reason) => return AdminResult::failed(op, RD_KAFKA_RESP_ERR__INVALID_ARG, reason),
    };
    let request = DescribeConfigsRequest {
        resources: resources
            .iter()
            .map(|r| DescribeConfigsResource {
                resource_type: r.restype as i8,
                resource_name: r.name.clone(),
                configuration_keys: (!r.configs.is_empty())
                    .then(|| r.configs.iter().map(|(n, _)| n.clone()).collect()),
            })
            .collect(),
        include_synonyms: true,
        include_documentation: false,
    };
    let result = call(ctl, &target, &request, |r| {
        if r.results
            .iter()
            .any(|x| controller_moved(wire_error(x.error_code)))
        {
            Verdict::Retry
        } else {
            Verdict::Done
        }
    })
    .map(|response| {
        // Whether the broker answered v0 (no config sources) cannot be told
        // from the body: v0 answers carry `config_source` -1.
        let mut answered = response.results;
        resources
            .iter()
            .map(|r| {
                let Some(i) = answered.iter().position(|a| {
                    i32::from(a.resource_type) == r.restype && a.resource_name == r.name
                }) else {
                    return missing(r);
                };
                let a = answered.swap_remove(i);
                let err = wire_error(a.error_code);
                ResourceResult {
                    restype: r.restype,
                    name: r.name.clone(),
                    err,
                    errstr: (err != RD_KAFKA_RESP_ERR_NO_ERROR).then(|| {
                        a.error_message
                            .unwrap_or_else(|| err.description().to_string())
                    }),
                    configs: a
                        .configs
                        .into_iter()
                        .map(|c| {
                            let v0 = c.config_source < 0;
                            entry(c, v0)
                        })
                        .collect(),
                }
            })
            .collect()
    });
    result_or_error(op, result)
}

pub fn alter_configs(
    ctl: &Control,
    resources: &[ConfigResourceSpec],
    options: &AdminOptions,
) -> AdminResult {
    let op = AdminOp::AlterConfigs;
    let target = match target(resources, options) {
        Ok(t) => t,
        Err(reason) => return AdminResult::failed(op, RD_KAFKA_RESP_ERR__INVALID_ARG, reason),
    };
    let request = AlterConfigsRequest {
        resources: resources
            .iter()
            .map(|r| AlterConfigsResource {
                resource_type: r.restype as i8,
                resource_name: r.name.clone(),
                configs: r
                    .configs
                    .iter()
                    .map(|(name, value)| AlterableConfig {
                        name: name.clone(),
                        value: value.clone(),
                    })
                    .collect(),
            })
            .collect(),
        validate_only: options.validate_only,
    };
    let result =
        call(ctl, &target, &request, |r| {
            if r.responses
                .iter()
                .any(|x| controller_moved(wire_error(x.error_code)))
            {
                Verdict::Retry
            } else {
                Verdict::Done
            }
        })
        .map(|response| {
            resources
                .iter()
                .map(|r| {
                    let Some(a) = response.responses.iter().find(|a| {
                        i32::from(a.resource_type) == r.restype && a.resource_name == r.name
                    }) else {
                        return missing(r);
                    };
                    let err = wire_error(a.error_code);
                    ResourceResult {
                        restype: r.restype,
                        name: r.name.clone(),
                        err,
                        errstr: (err != RD_KAFKA_RESP_ERR_NO_ERROR).then(|| {
                            a.error_message
                                .clone()
                                .unwrap_or_else(|| err.description().to_string())
                        }),
                        configs: Vec::new(),
                    }
                })
                .collect()
        });
    result_or_error(op, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(restype: i32, name: &str) -> ConfigResourceSpec {
        ConfigResourceSpec {
            restype,
            name: name.into(),
            configs: Vec::new(),
        }
    }

    #[test]
    fn resources_are_checked_as_librdkafka() {
        assert!(check_resources(&[]).is_err());
        assert!(check_resources(&[spec(2, "t"), spec(2, "t")]).is_err());
        assert!(check_resources(&[spec(4, "1"), spec(4, "2")]).is_err());
        assert!(check_resources(&[spec(0, "x")]).is_err());
        assert!(check_resources(&[spec(2, "t"), spec(4, "1")]).is_ok());
        let options = AdminOptions::new(AdminOp::Any, std::time::Duration::from_secs(1));
        assert_eq!(target(&[spec(2, "t")], &options), Ok(Target::Controller));
        assert_eq!(target(&[spec(4, "3")], &options), Ok(Target::Broker(3)));
        assert!(target(&[spec(4, "x")], &options).is_err());
    }
}
