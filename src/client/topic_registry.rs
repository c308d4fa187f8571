//! The client's topics by name: every `rd_kafka_topic_t` handle, topic
//! named in a produce call or subscription, and topic metadata covers.
//! Topics are only ever added while the client lives (`Client::drop`
//! empties the registry).

use crate::client::topic::Topic;
use parking_lot::{MappedRwLockReadGuard, RwLock, RwLockReadGuard};
use rustc_hash::FxBuildHasher;
use std::collections::HashMap;
use std::sync::Arc;

/// The registry's key: hashes and compares as bytes, so a name from C
/// (`RD_KAFKA_V_TOPIC`) is looked up without UTF-8 validation.
#[derive(Clone, PartialEq, Eq)]
struct TopicName(Arc<str>);

impl std::hash::Hash for TopicName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.as_bytes().hash(state)
    }
}

impl std::borrow::Borrow<[u8]> for TopicName {
    fn borrow(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// FxHash: topic names are looked up per produce call with
/// `RD_KAFKA_V_TOPIC`, and SipHash would cost more than the rest of the
/// lookup. The names come from the application, not from an adversary.
#[derive(Default)]
pub struct TopicRegistry {
    topics: RwLock<HashMap<TopicName, Arc<Topic>, FxBuildHasher>>,
}

impl TopicRegistry {
    pub fn get(&self, name: &[u8]) -> Option<Arc<Topic>> {
        self.topics.read().get(name).cloned()
    }

    /// The topic with the registry's read lock held as long as the guard
    /// lives (the produce fast path; lock order: registry, then topic).
    pub fn get_locked(&self, name: &[u8]) -> Option<MappedRwLockReadGuard<'_, Arc<Topic>>> {
        RwLockReadGuard::try_map(self.topics.read(), |m| m.get(name)).ok()
    }

    /// The topic named `name`, made by `make` if there is none yet (`make`
    /// runs at most once, under the write lock, so two threads cannot both
    /// create it). The flag says whether it was created now.
    pub fn get_or_create(
        &self,
        name: &str,
        make: impl FnOnce() -> Result<Topic, String>,
    ) -> Result<(Arc<Topic>, bool), String> {
        if let Some(topic) = self.get(name.as_bytes()) {
            return Ok((topic, false));
        }
        let mut topics = self.topics.write();
        if let Some(topic) = topics.get(name.as_bytes()) {
            return Ok((topic.clone(), false));
        }
        let topic = Arc::new(make()?);
        topics.insert(TopicName(topic.name.clone()), topic.clone());
        Ok((topic, true))
    }

    /// Every topic, for a pass that must not hold the registry's lock.
    pub fn all(&self) -> Vec<Arc<Topic>> {
        self.topics.read().values().cloned().collect()
    }

    pub fn names(&self) -> Vec<String> {
        self.topics.read().keys().map(|k| k.0.to_string()).collect()
    }

    pub fn len(&self) -> usize {
        self.topics.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Empties the registry (the client is being destroyed).
    pub fn take_all(&self) -> Vec<Arc<Topic>> {
        self.topics.write().drain().map(|(_, t)| t).collect()
    }
}
