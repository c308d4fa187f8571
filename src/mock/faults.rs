//! Pushed request errors: per API key, cluster-wide or for one broker,
//! each consumed by exactly one request, oldest first.

use crate::error::ErrorCode;
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

/// One injected outcome: the error every part of the response carries
/// (`NO_ERROR` for none) and an extra delay before the response is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Injected {
    pub err: ErrorCode,
    pub rtt: Duration,
}

#[derive(Debug, Default)]
pub struct ErrorStacks {
    cluster: HashMap<i16, VecDeque<Injected>>,
    brokers: HashMap<(i32, i16), VecDeque<Injected>>,
}

impl ErrorStacks {
    pub fn push_cluster(&mut self, api_key: i16, errs: &[ErrorCode]) {
        let stack = self.cluster.entry(api_key).or_default();
        stack.extend(errs.iter().map(|&err| Injected {
            err,
            rtt: Duration::ZERO,
        }));
    }

    pub fn push_broker(&mut self, broker_id: i32, api_key: i16, errs: &[Injected]) {
        self.brokers
            .entry((broker_id, api_key))
            .or_default()
            .extend(errs.iter().copied());
    }

    /// Empties the cluster-wide stack of `api_key` (as librdkafka does,
    /// broker stacks are left alone).
    pub fn clear(&mut self, api_key: i16) {
        self.cluster.remove(&api_key);
    }

    pub fn broker_count(&self, broker_id: i32, api_key: i16) -> usize {
        self.brokers
            .get(&(broker_id, api_key))
            .map_or(0, VecDeque::len)
    }

    /// The next outcome for a request of `api_key` arriving at
    /// `broker_id`: the broker's own stack first, then the cluster's.
    pub fn next(&mut self, broker_id: i32, api_key: i16) -> Option<Injected> {
        if let Some(i) = self
            .brokers
            .get_mut(&(broker_id, api_key))
            .and_then(VecDeque::pop_front)
        {
            return Some(i);
        }
        self.cluster.get_mut(&api_key).and_then(VecDeque::pop_front)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ErrorCode::*;

    #[test]
    fn broker_stack_first_then_cluster_in_order() {
        let mut s = ErrorStacks::default();
        s.push_cluster(
            0,
            &[
                RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
                RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
            ],
        );
        let slow = Injected {
            err: RD_KAFKA_RESP_ERR_NO_ERROR,
            rtt: Duration::from_millis(5),
        };
        s.push_broker(2, 0, &[slow]);
        assert_eq!(s.broker_count(2, 0), 1);
        assert_eq!(s.next(2, 0), Some(slow));
        assert_eq!(
            s.next(2, 0).map(|i| i.err),
            Some(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)
        );
        assert_eq!(s.next(1, 1), None);
        s.clear(0);
        assert_eq!(s.next(1, 0), None);
    }
}
