//! `AdminOptions`: the optional parameters of an Admin API call, with
//! librdkafka 2.0.2's rule of which option each API accepts.
//!
//! An options object made for one API (`for_api`) refuses options that
//! API does not use (`_INVALID_ARG`); one made for `Any` accepts them all
//! and each call uses only what it needs.

use std::time::Duration;

/// `rd_kafka_admin_op_t`, in its C order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminOp {
    Any = 0,
    CreateTopics,
    DeleteTopics,
    CreatePartitions,
    AlterConfigs,
    DescribeConfigs,
    DeleteRecords,
    DeleteGroups,
    DeleteConsumerGroupOffsets,
    CreateAcls,
    DescribeAcls,
    DeleteAcls,
    ListConsumerGroups,
    DescribeConsumerGroups,
    ListConsumerGroupOffsets,
    AlterConsumerGroupOffsets,
}

impl AdminOp {
    const ALL: [AdminOp; 16] = [
        AdminOp::Any,
        AdminOp::CreateTopics,
        AdminOp::DeleteTopics,
        AdminOp::CreatePartitions,
        AdminOp::AlterConfigs,
        AdminOp::DescribeConfigs,
        AdminOp::DeleteRecords,
        AdminOp::DeleteGroups,
        AdminOp::DeleteConsumerGroupOffsets,
        AdminOp::CreateAcls,
        AdminOp::DescribeAcls,
        AdminOp::DeleteAcls,
        AdminOp::ListConsumerGroups,
        AdminOp::DescribeConsumerGroups,
        AdminOp::ListConsumerGroupOffsets,
        AdminOp::AlterConsumerGroupOffsets,
    ];

    /// The op for a C value; `None` for an unknown one.
    pub fn from_raw(raw: i32) -> Option<AdminOp> {
        usize::try_from(raw)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
    }
}

/// The options an `AdminOptions` object carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminOption {
    RequestTimeout,
    OperationTimeout,
    ValidateOnly,
    Broker,
    RequireStableOffsets,
    MatchConsumerGroupStates,
}

impl AdminOption {
    fn name(self) -> &'static str {
        match self {
            AdminOption::RequestTimeout => "request_timeout",
            AdminOption::OperationTimeout => "operation_timeout",
            AdminOption::ValidateOnly => "validate_only",
            AdminOption::Broker => "broker",
            AdminOption::RequireStableOffsets => "require_stable_offsets",
            AdminOption::MatchConsumerGroupStates => "match_consumer_group_states",
        }
    }

    /// Whether an options object made for `api` accepts this option
    /// (librdkafka's `rd_kafka_AdminOptions_init`).
    pub fn valid_for(self, api: AdminOp) -> bool {
        use AdminOp::*;
        if api == Any {
            return true;
        }
        match self {
            AdminOption::RequestTimeout | AdminOption::Broker => true,
            AdminOption::OperationTimeout => matches!(
                api,
                CreateTopics | DeleteTopics | CreatePartitions | DeleteRecords
            ),
            AdminOption::ValidateOnly => {
                matches!(api, CreateTopics | CreatePartitions | AlterConfigs)
            }
            AdminOption::RequireStableOffsets => api == ListConsumerGroupOffsets,
            AdminOption::MatchConsumerGroupStates => api == ListConsumerGroups,
        }
    }
}

/// Number of `rd_kafka_consumer_group_state_t` values (`__CNT`).
pub const CONSUMER_GROUP_STATE_COUNT: i32 = 6;

/// librdkafka's upper bound for both timeouts: one hour.
const MAX_TIMEOUT_MS: i32 = 3_600_000;

#[derive(Clone, Debug)]
pub struct AdminOptions {
    pub for_api: AdminOp,
    /// The whole call: broker lookup, retries, the broker's answer.
    pub request_timeout_ms: i32,
    /// How long the broker waits for the operation to spread in the
    /// cluster (CreateTopics, DeleteTopics, CreatePartitions, DeleteRecords);
    /// 0 or less: not at all.
    pub operation_timeout_ms: i32,
    pub validate_only: bool,
    /// Send to this broker instead of the API's usual target.
    pub broker: Option<i32>,
    pub require_stable_offsets: bool,
    /// `rd_kafka_consumer_group_state_t` values (ListConsumerGroups).
    pub match_consumer_group_states: Vec<i32>,
    /// `rd_kafka_event_opaque` of the result.
    pub opaque: usize,
}

impl AdminOptions {
    /// Defaults as librdkafka's: both timeouts `socket.timeout.ms`.
    pub fn new(for_api: AdminOp, socket_timeout: Duration) -> AdminOptions {
        let default_ms = i32::try_from(socket_timeout.as_millis()).unwrap_or(MAX_TIMEOUT_MS);
        AdminOptions {
            for_api,
            request_timeout_ms: default_ms,
            operation_timeout_ms: default_ms,
            validate_only: false,
            broker: None,
            require_stable_offsets: false,
            match_consumer_group_states: Vec::new(),
            opaque: 0,
        }
    }

    fn accepts(&self, option: AdminOption) -> Result<(), String> {
        if option.valid_for(self.for_api) {
            Ok(())
        } else {
            Err(format!(
                "Option \"{}\" is not supported by the {:?} Admin API",
                option.name(),
                self.for_api
            ))
        }
    }

    fn in_range(option: AdminOption, value: i32, min: i32, max: i32) -> Result<i32, String> {
        if (min..=max).contains(&value) {
            Ok(value)
        } else {
            Err(format!(
                "Invalid value for {}: {value} is not in the range {min}..{max}",
                option.name()
            ))
        }
    }

    pub fn set_request_timeout(&mut self, ms: i32) -> Result<(), String> {
        let option = AdminOption::RequestTimeout;
        self.accepts(option)?;
        self.request_timeout_ms = Self::in_range(option, ms, 0, MAX_TIMEOUT_MS)?;
        Ok(())
    }

    pub fn set_operation_timeout(&mut self, ms: i32) -> Result<(), String> {
        let option = AdminOption::OperationTimeout;
        self.accepts(option)?;
        self.operation_timeout_ms = Self::in_range(option, ms, -1, MAX_TIMEOUT_MS)?;
        Ok(())
    }

    pub fn set_validate_only(&mut self, on: i32) -> Result<(), String> {
        let option = AdminOption::ValidateOnly;
        self.accepts(option)?;
        self.validate_only = Self::in_range(option, on, 0, 1)? == 1;
        Ok(())
    }

    pub fn set_broker(&mut self, id: i32) -> Result<(), String> {
        let option = AdminOption::Broker;
        self.accepts(option)?;
        self.broker = Some(Self::in_range(option, id, 0, i32::MAX)?);
        Ok(())
    }

    pub fn set_require_stable_offsets(&mut self, on: i32) -> Result<(), String> {
        let option = AdminOption::RequireStableOffsets;
        self.accepts(option)?;
        self.require_stable_offsets = Self::in_range(option, on, 0, 1)? == 1;
        Ok(())
    }

    /// Each state must be a known one, and none twice.
    pub fn set_match_consumer_group_states(&mut self, states: &[i32]) -> Result<(), String> {
        self.accepts(AdminOption::MatchConsumerGroupStates)?;
        for (i, state) in states.iter().enumerate() {
            if !(0..CONSUMER_GROUP_STATE_COUNT).contains(state) {
                return Err(format!("Invalid consumer group state value: {state}"));
            }
            if states[..i].contains(state) {
                return Err("Duplicate consumer group states are not allowed".to_string());
            }
        }
        self.match_consumer_group_states = states.to_vec();
        Ok(())
    }

    /// The deadline of a call started now.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms.max(0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(api: AdminOp) -> AdminOptions {
        AdminOptions::new(api, Duration::from_secs(60))
    }

    #[test]
    fn options_are_refused_by_apis_that_do_not_use_them() {
        let mut o = options(AdminOp::DescribeConfigs);
        assert!(o.set_operation_timeout(1000).is_err());
        assert!(o.set_validate_only(1).is_err());
        assert!(o.set_require_stable_offsets(1).is_err());
        assert!(o.set_request_timeout(1000).is_ok());
        assert!(o.set_broker(1).is_ok());
        let mut o = options(AdminOp::CreateTopics);
        assert!(o.set_operation_timeout(-1).is_ok());
        assert!(o.set_validate_only(1).is_ok());
        assert!(o.validate_only);
        assert!(o.set_match_consumer_group_states(&[0]).is_err());
        let mut o = options(AdminOp::Any);
        assert!(o.set_require_stable_offsets(1).is_ok());
        assert!(o.set_match_consumer_group_states(&[1, 2]).is_ok());
    }

    #[test]
    fn values_out_of_range_are_refused() {
        let mut o = options(AdminOp::Any);
        assert_eq!(o.request_timeout_ms, 60_000);
        assert!(o.set_request_timeout(-1).is_err());
        assert!(o.set_request_timeout(3_600_001).is_err());
        assert!(o.set_operation_timeout(-2).is_err());
        assert!(o.set_validate_only(2).is_err());
        assert!(o.set_broker(-1).is_err());
        assert!(o.set_match_consumer_group_states(&[6]).is_err());
        assert!(o.set_match_consumer_group_states(&[1, 1]).is_err());
        assert_eq!(
            AdminOp::from_raw(15),
            Some(AdminOp::AlterConsumerGroupOffsets)
        );
        assert_eq!(AdminOp::from_raw(16), None);
        assert_eq!(AdminOp::from_raw(-1), None);
    }
}
