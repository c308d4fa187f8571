//! What every Admin call does first: find the client, copy the options
//! (or make the call's defaults), and take the reply queue.

use crate::client::admin::options::{AdminOp, AdminOptions};
use crate::client::queue::Queue;
use crate::client::Client;
use crate::ffi::handle::borrow;
use crate::ffi::kafka::handle;
use crate::ffi::types::*;
use std::sync::Arc;

/// A call's client, options and reply queue; `None` when the client or the
/// queue is NULL (there is nowhere to deliver a result; librdkafka asserts).
pub unsafe fn prepare<'a>(
    rk: *mut rd_kafka_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
    op: AdminOp,
) -> Option<(&'a Client, AdminOptions, Arc<Queue>)> {
    let client = handle(rk)?.client();
    let queue = borrow(rkqu)?.queue.clone();
    let options = match borrow(options) {
        Some(o) => o.clone(),
        None => AdminOptions::new(op, client.admin_default_timeout()),
    };
    Some((client, options, queue))
}

/// The objects of a C array of object pointers (NULL entries skipped: the
/// call then fails its checks with the count it was given).
pub unsafe fn objects<'a, C: crate::ffi::handle::Castable>(
    array: *mut *mut C,
    cnt: libc::size_t,
) -> Option<Vec<&'a C::RustType>> {
    if cnt == 0 {
        return Some(Vec::new());
    }
    if array.is_null() {
        return None;
    }
    std::slice::from_raw_parts(array, cnt)
        .iter()
        .map(|p| borrow(*p))
        .collect()
}
