//! The cluster's data model behind one lock: topics and partition logs,
//! leadership, coordinators, producer ids, advertised API versions, pushed
//! errors and consumer groups. Handlers and the control API both go through
//! [`Shared`]; nothing here does I/O.

use super::acls::AclStore;
use super::broker::BrokerShared;
use super::faults::ErrorStacks;
use super::groups::Group;
use super::log::PartitionLog;
use crate::error::ErrorCode;
use crate::protocol::primitives::Uuid;
use parking_lot::{Condvar, Mutex};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// librdkafka's mock cluster creates topics with this many partitions.
pub(crate) const DEFAULT_PARTITIONS: i32 = 4;

/// Coordinator key types, as in FindCoordinator.
pub(crate) const KEY_TYPE_GROUP: i8 = 0;
pub(crate) const KEY_TYPE_TRANSACTION: i8 = 1;

#[derive(Debug)]
pub struct Partition {
    pub leader: i32,
    pub leader_epoch: i32,
    pub replicas: Vec<i32>,
    /// Preferred read replica (KIP-392), -1 for none.
    pub follower: i32,
    /// The follower's own view of the log start and high watermark, if set.
    pub follower_wmarks: Option<(i64, i64)>,
    pub log: PartitionLog,
}

#[derive(Debug, Default)]
pub struct Topic {
    /// The topic's id (KIP-516), random and never zero, fixed at creation:
    /// Metadata v10+ reports it, Fetch v13+ names the topic by it.
    pub id: Uuid,
    pub partitions: Vec<Partition>,
    /// Set by `topic_set_error`: reported for the topic in Metadata and
    /// for its partitions in Produce.
    pub error: Option<ErrorCode>,
    /// Topic-level config overrides (CreateTopics' configs, AlterConfigs);
    /// everything else has its default (`mock/topic_configs.rs`).
    pub configs: BTreeMap<String, String>,
}

/// A random (version 4) UUID for a new topic. Should the system's random
/// source fail, a process-wide counter mixed with the clock still gives
/// distinct non-zero ids.
fn new_topic_id() -> Uuid {
    let mut id = [0u8; 16];
    if getrandom::getrandom(&mut id).is_err() {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        id[..8].copy_from_slice(&n.to_be_bytes());
        id[8..].copy_from_slice(&nanos.to_be_bytes());
    }
    id[6] = (id[6] & 0x0f) | 0x40;
    id[8] = (id[8] & 0x3f) | 0x80;
    id
}

#[derive(Debug)]
pub struct ClusterState {
    pub broker_ids: Vec<i32>,
    pub topics: BTreeMap<String, Topic>,
    pub default_partitions: i32,
    /// `(key type, key)` -> broker id, set by `coordinator_set`.
    pub coordinators: HashMap<(i8, String), i32>,
    /// API key -> advertised `(min, max)`; `None` removes the API.
    pub api_overrides: HashMap<i16, Option<(i16, i16)>>,
    pub errors: ErrorStacks,
    pub groups: HashMap<String, Group>,
    /// CreateAcls/DescribeAcls/DeleteAcls' bindings, cluster-wide.
    pub acls: AclStore,
    next_producer_id: i64,
    /// The transaction coordinator's state per transactional.id.
    pub transactions: super::txn::Transactions,
    /// SASL listener settings; `None`: plaintext without authentication.
    pub sasl: Option<super::sasl::MockSasl>,
}

/// Everything the broker threads and the control API share.
pub struct Shared {
    pub brokers: Vec<Arc<BrokerShared>>,
    pub state: Mutex<ClusterState>,
    /// Signalled whenever a partition log grows, for long-polling fetches.
    pub data_arrived: Condvar,
    /// Signalled on every group state change, for blocked Join/SyncGroup.
    pub group_changed: Condvar,
    shutdown: AtomicBool,
}

impl Shared {
    pub fn new(brokers: Vec<Arc<BrokerShared>>) -> Shared {
        let ids = brokers.iter().map(|b| b.id).collect();
        Shared {
            brokers,
            state: Mutex::new(ClusterState::new(ids)),
            data_arrived: Condvar::new(),
            group_changed: Condvar::new(),
            shutdown: AtomicBool::new(false),
        }
    }

    pub fn broker(&self, id: i32) -> Option<&Arc<BrokerShared>> {
        self.brokers.iter().find(|b| b.id == id)
    }

    pub fn is_shut_down(&self) -> bool {
        self.shutdown.load(Ordering::Acquire)
    }

    /// Wakes every blocked request so it can notice the shutdown.
    pub fn shut_down(&self) {
        self.shutdown.store(true, Ordering::Release);
        let _guard = self.state.lock();
        self.data_arrived.notify_all();
        self.group_changed.notify_all();
    }
}

/// Kafka's legal topic names: 1-249 of `[a-zA-Z0-9._-]`, not "." or "..".
pub fn valid_topic_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 249
        && name != "."
        && name != ".."
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

impl ClusterState {
    pub fn new(broker_ids: Vec<i32>) -> ClusterState {
        ClusterState {
            broker_ids,
            topics: BTreeMap::new(),
            default_partitions: DEFAULT_PARTITIONS,
            coordinators: HashMap::new(),
            api_overrides: HashMap::new(),
            errors: ErrorStacks::default(),
            groups: HashMap::new(),
            acls: AclStore::default(),
            next_producer_id: 1000,
            transactions: HashMap::new(),
            sasl: None,
        }
    }

    pub fn replication_default(&self) -> i32 {
        (self.broker_ids.len() as i32).min(3)
    }

    /// Creates `name` with leaders spread round-robin over the brokers and
    /// `replication` replicas each (the leader first).
    pub fn create_topic(
        &mut self,
        name: &str,
        partitions: i32,
        replication: i32,
    ) -> Result<(), ErrorCode> {
        if !valid_topic_name(name) {
            return Err(ErrorCode::RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION);
        }
        if self.topics.contains_key(name) {
            return Err(ErrorCode::RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS);
        }
        if !(1..=100_000).contains(&partitions) {
            return Err(ErrorCode::RD_KAFKA_RESP_ERR_INVALID_PARTITIONS);
        }
        let n = self.broker_ids.len();
        if replication < 1 || replication as usize > n {
            return Err(ErrorCode::RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR);
        }
        let partitions = (0..partitions as usize)
            .map(|p| {
                let replicas: Vec<i32> = (0..replication as usize)
                    .map(|r| self.broker_ids[(p + r) % n])
                    .collect();
                Partition {
                    leader: replicas[0],
                    leader_epoch: 0,
                    replicas,
                    follower: -1,
                    follower_wmarks: None,
                    log: PartitionLog::default(),
                }
            })
            .collect();
        self.topics.insert(
            name.to_string(),
            Topic {
                id: new_topic_id(),
                partitions,
                error: None,
                configs: BTreeMap::new(),
            },
        );
        Ok(())
    }

    /// The topic, auto-created with the defaults if it does not exist.
    pub fn topic_or_create(&mut self, name: &str) -> Result<&mut Topic, ErrorCode> {
        if !self.topics.contains_key(name) {
            let (p, r) = (self.default_partitions, self.replication_default());
            self.create_topic(name, p, r)?;
        }
        self.topics
            .get_mut(name)
            .ok_or(ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
    }

    /// The name of the topic whose id is `id`.
    pub fn topic_name_by_id(&self, id: &Uuid) -> Option<&str> {
        self.topics
            .iter()
            .find(|(_, t)| t.id == *id)
            .map(|(name, _)| name.as_str())
    }

    pub fn partition(&self, topic: &str, partition: i32) -> Option<&Partition> {
        let idx = usize::try_from(partition).ok()?;
        self.topics.get(topic)?.partitions.get(idx)
    }

    pub fn partition_mut(&mut self, topic: &str, partition: i32) -> Option<&mut Partition> {
        let idx = usize::try_from(partition).ok()?;
        self.topics.get_mut(topic)?.partitions.get_mut(idx)
    }

    pub fn has_broker(&self, id: i32) -> bool {
        self.broker_ids.contains(&id)
    }

    /// The coordinator for `key`: an override, else a stable hash of the key.
    pub fn coordinator(&self, key_type: i8, key: &str) -> i32 {
        if let Some(&id) = self.coordinators.get(&(key_type, key.to_string())) {
            return id;
        }
        // FNV-1a: stable across runs, unlike std's randomly seeded hasher.
        let hash = key.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        self.broker_ids[hash as usize % self.broker_ids.len()]
    }

    /// The versions advertised for `api_key`, with `set_apiversion` applied.
    pub fn api_range(&self, api_key: i16) -> Option<(i16, i16)> {
        if let Some(&over) = self.api_overrides.get(&api_key) {
            return over;
        }
        crate::protocol::messages::supported_versions()
            .into_iter()
            .find(|(k, _, _)| k.as_i16() == api_key)
            .map(|(_, min, max)| (min, max))
    }

    pub fn next_producer_id(&mut self) -> i64 {
        self.next_producer_id += 1;
        self.next_producer_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaders_are_spread_and_replicas_distinct() {
        let mut s = ClusterState::new(vec![1, 2, 3]);
        s.create_topic("t", 4, 3).unwrap();
        let leaders: Vec<i32> = s.topics["t"].partitions.iter().map(|p| p.leader).collect();
        assert_eq!(leaders, vec![1, 2, 3, 1]);
        assert_eq!(s.topics["t"].partitions[1].replicas, vec![2, 3, 1]);
        assert_eq!(
            s.create_topic("t", 1, 1),
            Err(ErrorCode::RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        );
        assert_eq!(
            s.create_topic("u", 1, 4),
            Err(ErrorCode::RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR)
        );
        assert_eq!(
            s.create_topic("bad/name", 1, 1),
            Err(ErrorCode::RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION)
        );
        assert_eq!(s.topic_or_create("auto").unwrap().partitions.len(), 4);
    }

    #[test]
    fn coordinator_is_stable_and_overridable() {
        let mut s = ClusterState::new(vec![1, 2, 3]);
        let c = s.coordinator(KEY_TYPE_GROUP, "g");
        assert_eq!(c, s.coordinator(KEY_TYPE_GROUP, "g"));
        s.coordinators.insert((KEY_TYPE_GROUP, "g".into()), 3);
        assert_eq!(s.coordinator(KEY_TYPE_GROUP, "g"), 3);
    }

    #[test]
    fn api_overrides() {
        let mut s = ClusterState::new(vec![1]);
        assert_eq!(s.api_range(18), Some((0, 3)));
        s.api_overrides.insert(18, Some((0, 2)));
        s.api_overrides.insert(0, None);
        assert_eq!(s.api_range(18), Some((0, 2)));
        assert_eq!(s.api_range(0), None);
        assert_eq!(s.api_range(999), None);
    }
}
