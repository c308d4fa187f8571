//! An in-process Kafka cluster for tests (librdkafka's "mock cluster"):
//! N brokers speaking the real protocol on 127.0.0.1 ephemeral ports,
//! keeping everything in memory, with fault injection.
//!
//! Layout: [`state`] is the data model behind one lock, [`log`] a partition
//! log, [`groups`] the consumer-group state machine, [`faults`] the pushed
//! error stacks, [`broker`] the sockets and threads, `handlers` one module
//! per API. [`MockCluster`] is the control surface used by the C API
//! (`src/ffi/mock.rs`) and by clients created with `test.mock.num.brokers`.

pub mod acls;
pub mod broker;
pub mod faults;
pub mod groups;
mod handlers;
pub mod log;
pub mod sasl;
pub mod state;
pub mod tls;
pub mod topic_configs;
pub mod txn;
mod txn_index;

pub use handlers::decode_request;

use crate::error::ErrorCode;
use faults::Injected;
use parking_lot::Mutex;
use state::{Shared, KEY_TYPE_GROUP, KEY_TYPE_TRANSACTION};
use std::ffi::{CStr, CString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use ErrorCode::*;

/// Brokers in one cluster, as librdkafka's `rd_kafka_mock_cluster_new` allows.
pub(crate) const MAX_BROKERS: usize = 1000;

pub struct MockCluster {
    shared: Arc<Shared>,
    bootstraps: String,
    /// The same list NUL-terminated, for C callers who keep the pointer.
    bootstraps_c: CString,
    /// Opaque token of the client handle the cluster belongs to (the C API
    /// reports it back through `rd_kafka_mock_cluster_handle`).
    owner: AtomicUsize,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// The TLS the `test.mock.ssl.*` properties of `config` ask for, if any.
pub fn tls_from_config(
    config: &crate::config::Config,
) -> Result<Option<Arc<rustls::ServerConfig>>, String> {
    match (
        config.string("test.mock.ssl.certificate.location"),
        config.string("test.mock.ssl.key.location"),
    ) {
        (None, None) if config.string("test.mock.ssl.ca.location").is_none() => Ok(None),
        (Some(cert), Some(key)) => {
            tls::server_config(cert, key, config.string("test.mock.ssl.ca.location")).map(Some)
        }
        (None, None) if config.string("test.mock.ssl.ca.location").is_some() => Err(
            "test.mock.ssl.ca.location needs test.mock.ssl.certificate.location and key.location"
                .into(),
        ),
        _ => Err("test.mock.ssl.certificate.location and test.mock.ssl.key.location must be set together".into()),
    }
}

impl MockCluster {
    /// Starts `broker_count` brokers with ids 1..=broker_count.
    pub fn new(broker_count: usize) -> Result<MockCluster, String> {
        MockCluster::with_tls(broker_count, None)
    }

    /// Like [`MockCluster::new`]; with `tls`, every listener speaks TLS.
    pub fn with_tls(
        broker_count: usize,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> Result<MockCluster, String> {
        if broker_count == 0 || broker_count > MAX_BROKERS {
            return Err(format!(
                "mock cluster needs 1..={MAX_BROKERS} brokers, not {broker_count}"
            ));
        }
        let bound = (1..=broker_count as i32)
            .map(|id| broker::bind(id, tls.clone()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("mock cluster cannot listen on 127.0.0.1: {e}"))?;
        let shared = Arc::new(Shared::new(
            bound.iter().map(|b| b.shared.clone()).collect(),
        ));
        let bootstraps = bound
            .iter()
            .map(|b| format!("127.0.0.1:{}", b.shared.port))
            .collect::<Vec<_>>()
            .join(",");
        let cluster = MockCluster {
            shared: shared.clone(),
            bootstraps_c: CString::new(bootstraps.clone()).unwrap_or_default(),
            bootstraps,
            owner: AtomicUsize::new(0),
            threads: Mutex::new(Vec::new()),
        };
        for b in bound {
            match broker::start(b, &shared) {
                Ok(t) => cluster.threads.lock().push(t),
                Err(e) => return Err(format!("mock cluster cannot start a broker thread: {e}")),
            }
        }
        Ok(cluster)
    }

    /// Makes every broker a SASL listener with these mechanisms, users and
    /// session lifetime; no mechanisms turns SASL off. Connections already
    /// authenticated stay so.
    pub fn set_sasl(&self, settings: sasl::SaslSettings) -> Result<(), String> {
        let sasl = if settings.mechanisms.is_empty() {
            None
        } else {
            Some(sasl::MockSasl::new(settings)?)
        };
        self.shared.state.lock().sasl = sasl;
        Ok(())
    }

    /// Applies the `test.mock.sasl.*` properties of a client that starts
    /// its own cluster (`test.mock.num.brokers`).
    pub fn configure_sasl_from(&self, config: &crate::config::Config) -> Result<(), String> {
        let mechanisms = config
            .list("test.mock.sasl.mechanisms")
            .iter()
            .map(|m| crate::sasl::Mechanism::parse(m))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("test.mock.sasl.mechanisms: {e}"))?;
        if mechanisms.is_empty() {
            return Ok(());
        }
        let users =
            sasl::MockSasl::parse_users(config.string("test.mock.sasl.users").unwrap_or(""))?;
        let lifetime = config
            .string("test.mock.sasl.session.lifetime.ms")
            .and_then(|ms| ms.parse().ok())
            .unwrap_or(0);
        self.set_sasl(sasl::SaslSettings {
            mechanisms,
            users,
            session_lifetime: Duration::from_millis(lifetime),
        })
    }

    /// What the SASL listener saw so far (all zero without SASL).
    pub fn sasl_counts(&self) -> sasl::SaslCounts {
        self.shared
            .state
            .lock()
            .sasl
            .as_ref()
            .map_or_else(Default::default, |s| s.counts)
    }

    /// `host:port,...` of every broker, for `bootstrap.servers`.
    pub fn bootstraps(&self) -> &str {
        &self.bootstraps
    }

    pub fn bootstraps_c(&self) -> &CStr {
        &self.bootstraps_c
    }

    pub fn owner(&self) -> usize {
        self.owner.load(Ordering::Acquire)
    }

    pub fn set_owner(&self, owner: usize) {
        self.owner.store(owner, Ordering::Release);
    }

    pub fn broker_ids(&self) -> Vec<i32> {
        self.shared.brokers.iter().map(|b| b.id).collect()
    }

    /// Stops every broker and joins all threads. Idempotent; also run on drop.
    /// Bounded: every thread checks the shutdown flag at least every 100 ms
    /// and every socket is shut down.
    pub fn shutdown(&self) {
        self.shared.shut_down();
        let threads = std::mem::take(&mut *self.threads.lock());
        for t in threads {
            let _ = t.join();
        }
    }

    fn broker(&self, id: i32) -> Result<&Arc<broker::BrokerShared>, ErrorCode> {
        self.shared
            .broker(id)
            .ok_or(RD_KAFKA_RESP_ERR__UNKNOWN_BROKER)
    }

    /// The brokers `id` designates: one, or all for -1.
    fn brokers(&self, id: i32) -> Result<Vec<&Arc<broker::BrokerShared>>, ErrorCode> {
        if id == -1 {
            Ok(self.shared.brokers.iter().collect())
        } else {
            self.broker(id).map(|b| vec![b])
        }
    }

    pub fn topic_create(
        &self,
        topic: &str,
        partitions: i32,
        replication: i32,
    ) -> Result<(), ErrorCode> {
        self.shared
            .state
            .lock()
            .create_topic(topic, partitions, replication)
    }

    /// Partition count for topics created implicitly (Metadata, CreateTopics
    /// with -1). Default 4, as librdkafka's mock.
    pub fn set_default_partitions(&self, partitions: i32) -> Result<(), ErrorCode> {
        if partitions < 1 {
            return Err(RD_KAFKA_RESP_ERR__INVALID_ARG);
        }
        self.shared.state.lock().default_partitions = partitions;
        Ok(())
    }

    /// Makes Metadata report `err` for the topic and Produce fail with it
    /// (`NO_ERROR` clears it). The topic is created if needed.
    pub fn topic_set_error(&self, topic: &str, err: ErrorCode) -> Result<(), ErrorCode> {
        let mut state = self.shared.state.lock();
        let t = state.topic_or_create(topic)?;
        t.error = (err != RD_KAFKA_RESP_ERR_NO_ERROR).then_some(err);
        Ok(())
    }

    /// Runs `f` on a partition under the cluster lock.
    fn with_partition(
        &self,
        topic: &str,
        partition: i32,
        f: impl FnOnce(&mut state::Partition),
    ) -> Result<(), ErrorCode> {
        let mut state = self.shared.state.lock();
        let p = state
            .partition_mut(topic, partition)
            .ok_or(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)?;
        f(p);
        Ok(())
    }

    /// `broker_id` if it names a broker or is -1 (none).
    fn broker_or_none(&self, broker_id: i32) -> Result<i32, ErrorCode> {
        if broker_id != -1 {
            self.broker(broker_id)?;
        }
        Ok(broker_id)
    }

    /// Moves leadership; the old leader then answers NOT_LEADER_FOR_PARTITION.
    /// -1 leaves the partition without a leader.
    pub fn partition_set_leader(
        &self,
        topic: &str,
        partition: i32,
        broker_id: i32,
    ) -> Result<(), ErrorCode> {
        let id = self.broker_or_none(broker_id)?;
        self.with_partition(topic, partition, |p| {
            p.leader = id;
            p.leader_epoch += 1;
        })?;
        // Fetches parked on the old leader must answer now.
        self.shared.data_arrived.notify_all();
        Ok(())
    }

    /// Sets the preferred read replica that the leader directs fetchers to.
    pub fn partition_set_follower(
        &self,
        topic: &str,
        partition: i32,
        broker_id: i32,
    ) -> Result<(), ErrorCode> {
        let id = self.broker_or_none(broker_id)?;
        self.with_partition(topic, partition, |p| p.follower = id)
    }

    /// The follower's own log start and high watermark (-1: the leader's).
    pub fn partition_set_follower_wmarks(
        &self,
        topic: &str,
        partition: i32,
        lo: i64,
        hi: i64,
    ) -> Result<(), ErrorCode> {
        self.with_partition(topic, partition, |p| {
            p.follower_wmarks = (lo != -1 || hi != -1).then_some((lo, hi));
        })
    }

    /// Closes the broker's listener and connections (-1: every broker).
    pub fn broker_set_down(&self, broker_id: i32) -> Result<(), ErrorCode> {
        for b in self.brokers(broker_id)? {
            b.set_down();
        }
        self.shared.data_arrived.notify_all();
        Ok(())
    }

    pub fn broker_set_up(&self, broker_id: i32) -> Result<(), ErrorCode> {
        for b in self.brokers(broker_id)? {
            b.set_up();
        }
        Ok(())
    }

    /// Delays every response of the broker by `rtt` (-1: every broker).
    pub fn broker_set_rtt(&self, broker_id: i32, rtt: Duration) -> Result<(), ErrorCode> {
        for b in self.brokers(broker_id)? {
            b.set_rtt(rtt);
        }
        Ok(())
    }

    /// Throttles the broker (-1: every broker): each response carries
    /// `throttle` as `throttle_time_ms` and its connection is muted that
    /// long (see `broker.rs`); zero ends it.
    pub fn broker_set_throttle(&self, broker_id: i32, throttle: Duration) -> Result<(), ErrorCode> {
        for b in self.brokers(broker_id)? {
            b.set_throttle(throttle);
        }
        Ok(())
    }

    pub fn broker_set_rack(&self, broker_id: i32, rack: Option<&str>) -> Result<(), ErrorCode> {
        for b in self.brokers(broker_id)? {
            *b.rack.lock() = rack.map(str::to_string);
        }
        Ok(())
    }

    /// Errors for the next requests of `api_key` to any broker, in order.
    pub fn push_request_errors(&self, api_key: i16, errs: &[ErrorCode]) {
        self.shared.state.lock().errors.push_cluster(api_key, errs);
    }

    /// (error, extra delay) outcomes for the next requests of `api_key`
    /// to one broker, in order.
    pub fn broker_push_request_errors(
        &self,
        broker_id: i32,
        api_key: i16,
        errs: &[(ErrorCode, Duration)],
    ) -> Result<(), ErrorCode> {
        self.broker(broker_id)?;
        let injected: Vec<Injected> = errs
            .iter()
            .map(|&(err, rtt)| Injected { err, rtt })
            .collect();
        self.shared
            .state
            .lock()
            .errors
            .push_broker(broker_id, api_key, &injected);
        Ok(())
    }

    /// Forgets the cluster-wide pushed errors of `api_key`.
    pub fn clear_request_errors(&self, api_key: i16) {
        self.shared.state.lock().errors.clear(api_key);
    }

    /// Pushed errors still waiting on one broker's stack for `api_key`.
    pub fn broker_error_stack_cnt(&self, broker_id: i32, api_key: i16) -> Result<usize, ErrorCode> {
        self.broker(broker_id)?;
        Ok(self
            .shared
            .state
            .lock()
            .errors
            .broker_count(broker_id, api_key))
    }

    /// Makes `broker_id` the coordinator of a group or transactional id;
    /// `key_type` is "group" or "transaction", as in librdkafka.
    pub fn coordinator_set(
        &self,
        key_type: &str,
        key: &str,
        broker_id: i32,
    ) -> Result<(), ErrorCode> {
        let kt = match key_type {
            "group" => KEY_TYPE_GROUP,
            "transaction" => KEY_TYPE_TRANSACTION,
            _ => return Err(RD_KAFKA_RESP_ERR__INVALID_ARG),
        };
        self.broker(broker_id)?;
        let mut state = self.shared.state.lock();
        state.coordinators.insert((kt, key.to_string()), broker_id);
        // Members parked on the old coordinator must find the new one.
        self.shared.group_changed.notify_all();
        Ok(())
    }

    /// Overrides the advertised version range of `api_key`; -1, -1 stops
    /// advertising it. Requests outside the range close the connection.
    pub fn set_apiversion(&self, api_key: i16, min: i16, max: i16) -> Result<(), ErrorCode> {
        let range = match (min, max) {
            (-1, -1) => None,
            (min, max) if min < 0 || max < min => return Err(RD_KAFKA_RESP_ERR__INVALID_ARG),
            (min, max) => Some((min, max)),
        };
        self.shared
            .state
            .lock()
            .api_overrides
            .insert(api_key, range);
        Ok(())
    }
}

impl Drop for MockCluster {
    fn drop(&mut self) {
        self.shutdown();
    }
}
