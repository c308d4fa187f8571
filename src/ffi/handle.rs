//! Ownership of opaque handles, declared once per type.
//!
//! - `Box` handles (`rd_kafka_conf_t`, `rd_kafka_topic_conf_t`,
//!   `rd_kafka_headers_t`, `rd_kafka_t`, ...): created with [`box_into_raw`],
//!   destroyed exactly once with [`box_from_raw`].
//! - `Arc` handles (`rd_kafka_topic_t`): every pointer given to C holds one
//!   strong count; [`arc_clone_raw`] hands out another, [`arc_release_raw`]
//!   drops one.

use std::sync::Arc;

pub fn box_into_raw<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// # Safety
/// `ptr` must come from [`box_into_raw`] and not have been released.
pub unsafe fn box_from_raw<T>(ptr: *mut T) -> Option<Box<T>> {
    if ptr.is_null() {
        None
    } else {
        Some(Box::from_raw(ptr))
    }
}

pub fn arc_into_raw<T>(value: Arc<T>) -> *mut T {
    Arc::into_raw(value) as *mut T
}

/// Returns a new strong reference to the object behind `ptr`.
///
/// # Safety
/// `ptr` must come from [`arc_into_raw`] and still hold a count.
pub unsafe fn arc_clone_raw<T>(ptr: *const T) -> Arc<T> {
    Arc::increment_strong_count(ptr);
    Arc::from_raw(ptr)
}

/// Drops the strong reference held by `ptr`. NULL is ignored.
///
/// # Safety
/// `ptr` must come from [`arc_into_raw`] and still hold a count.
pub unsafe fn arc_release_raw<T>(ptr: *const T) {
    if !ptr.is_null() {
        drop(Arc::from_raw(ptr));
    }
}
