//! DescribeConfigs and AlterConfigs over the topics' stored overrides and
//! the defaults of `mock/topic_configs.rs`; a broker describes a few of
//! its own static configs.

use super::{wire, Ctx};
use crate::error::ErrorCode;
use crate::mock::state::ClusterState;
use crate::mock::topic_configs::{
    check_topic_config, topic_config, topic_config_names, SOURCE_DEFAULT, SOURCE_DYNAMIC_TOPIC,
    SOURCE_STATIC_BROKER,
};
use crate::protocol::messages::{
    AlterConfigsRequest, AlterConfigsResourceResponse, AlterConfigsResponse,
    DescribeConfigsRequest, DescribeConfigsResourceResult, DescribeConfigsResponse,
    DescribeConfigsResult, DescribeConfigsSynonym,
};

use ErrorCode::*;

const RESOURCE_TOPIC: i8 = 2;
const RESOURCE_BROKER: i8 = 4;

/// One topic config as DescribeConfigs reports it: the override (if any)
/// first among the synonyms, then the broker default it falls back to.
fn describe_topic_config(
    name: &str,
    overrides: &std::collections::BTreeMap<String, String>,
    version: i16,
) -> Option<DescribeConfigsResourceResult> {
    let (default, broker_name) = topic_config(name)?;
    let overridden = overrides.get(name);
    let mut synonyms = Vec::new();
    if version >= 1 {
        if let Some(v) = overridden {
            synonyms.push(DescribeConfigsSynonym {
                name: name.to_string(),
                value: Some(v.clone()),
                source: SOURCE_DYNAMIC_TOPIC,
            });
        }
        synonyms.push(DescribeConfigsSynonym {
            name: broker_name.to_string(),
            value: Some(default.to_string()),
            source: SOURCE_DEFAULT,
        });
    }
    Some(DescribeConfigsResourceResult {
        name: name.to_string(),
        value: Some(overridden.map_or(default.to_string(), |v| v.clone())),
        read_only: false,
        is_default: overridden.is_none(),
        config_source: if version == 0 {
            -1
        } else if overridden.is_some() {
            SOURCE_DYNAMIC_TOPIC
        } else {
            SOURCE_DEFAULT
        },
        is_sensitive: false,
        synonyms,
        config_type: 0,
        documentation: None,
    })
}

/// The handling broker's own static configs.
fn describe_broker(id: i32, version: i16) -> Vec<DescribeConfigsResourceResult> {
    let entry = |name: &str, value: String, read_only: bool| DescribeConfigsResourceResult {
        name: name.to_string(),
        value: Some(value),
        read_only,
        is_default: false,
        config_source: if version == 0 {
            -1
        } else {
            SOURCE_STATIC_BROKER
        },
        is_sensitive: false,
        synonyms: Vec::new(),
        config_type: 0,
        documentation: None,
    };
    vec![
        entry("broker.id", id.to_string(), true),
        entry("num.partitions", "1".to_string(), false),
        entry("log.retention.ms", "604800000".to_string(), false),
    ]
}

fn describe_one(
    ctx: &Ctx,
    state: &ClusterState,
    resource_type: i8,
    name: &str,
    keys: Option<&[String]>,
) -> Result<Vec<DescribeConfigsResourceResult>, (ErrorCode, String)> {
    let wanted = |n: &str| keys.is_none_or(|k| k.iter().any(|x| x == n));
    match resource_type {
        RESOURCE_TOPIC => {
            let topic = state.topics.get(name).ok_or((
                RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
                format!("Topic {name} does not exist"),
            ))?;
            Ok(topic_config_names()
                .filter(|n| wanted(n))
                .filter_map(|n| describe_topic_config(n, &topic.configs, ctx.version))
                .collect())
        }
        RESOURCE_BROKER if name == ctx.broker.id.to_string() => {
            Ok(describe_broker(ctx.broker.id, ctx.version)
                .into_iter()
                .filter(|e| wanted(&e.name))
                .collect())
        }
        RESOURCE_BROKER => Err((
            RD_KAFKA_RESP_ERR_INVALID_REQUEST,
            format!(
                "Unexpected broker id, expected {} but received {name}",
                ctx.broker.id
            ),
        )),
        other => Err((
            RD_KAFKA_RESP_ERR_INVALID_REQUEST,
            format!("Unsupported resource type {other}"),
        )),
    }
}

pub fn describe_configs(ctx: &Ctx, req: DescribeConfigsRequest) -> Option<DescribeConfigsResponse> {
    let state = ctx.shared.state.lock();
    let results = req
        .resources
        .iter()
        .map(|r| {
            let mut result = DescribeConfigsResult {
                error_code: 0,
                error_message: None,
                resource_type: r.resource_type,
                resource_name: r.resource_name.clone(),
                configs: Vec::new(),
            };
            let outcome = match ctx.injected {
                Some(e) => Err((e, e.description().to_string())),
                None => describe_one(
                    ctx,
                    &state,
                    r.resource_type,
                    &r.resource_name,
                    r.configuration_keys.as_deref(),
                ),
            };
            match outcome {
                Ok(configs) => result.configs = configs,
                Err((err, message)) => {
                    result.error_code = wire(err);
                    result.error_message = Some(message);
                }
            }
            result
        })
        .collect();
    Some(DescribeConfigsResponse {
        throttle_time_ms: 0,
        results,
    })
}

pub fn alter_configs(ctx: &Ctx, req: AlterConfigsRequest) -> Option<AlterConfigsResponse> {
    let mut state = ctx.shared.state.lock();
    let responses = req
        .resources
        .iter()
        .map(|r| {
            let outcome: Result<(), (ErrorCode, String)> = (|| {
                if let Some(e) = ctx.injected {
                    return Err((e, e.description().to_string()));
                }
                if r.resource_type != RESOURCE_TOPIC {
                    return Err((
                        RD_KAFKA_RESP_ERR_INVALID_REQUEST,
                        format!(
                            "The mock alters topic configs only, not resource type {}",
                            r.resource_type
                        ),
                    ));
                }
                for c in &r.configs {
                    check_topic_config(&c.name, c.value.as_deref())
                        .map_err(|m| (RD_KAFKA_RESP_ERR_INVALID_CONFIG, m))?;
                }
                let topic = state.topics.get_mut(&r.resource_name).ok_or((
                    RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
                    format!("Topic {} does not exist", r.resource_name),
                ))?;
                if !req.validate_only {
                    // AlterConfigs replaces the whole set of overrides.
                    topic.configs = r
                        .configs
                        .iter()
                        .filter_map(|c| c.value.clone().map(|v| (c.name.clone(), v)))
                        .collect();
                }
                Ok(())
            })();
            let (error_code, error_message) = match outcome {
                Ok(()) => (0, None),
                Err((err, message)) => (wire(err), Some(message)),
            };
            AlterConfigsResourceResponse {
                error_code,
                error_message,
                resource_type: r.resource_type,
                resource_name: r.resource_name.clone(),
            }
        })
        .collect();
    Some(AlterConfigsResponse {
        throttle_time_ms: 0,
        responses,
    })
}
