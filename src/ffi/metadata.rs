//! `rd_kafka_metadata()`: a synchronous metadata request, answered as
//! librdkafka's C structs.
//!
//! Ownership: the `rd_kafka_metadata_t*` handed out is the first field of a
//! `Box<OwnedMetadata>` that also owns every array and string it points
//! into; `rd_kafka_metadata_destroy` frees it all at once.

use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::handle::{borrow, into_ptr, take};
use crate::ffi::kafka::handle;
use crate::ffi::types::*;
use crate::protocol::messages::metadata::MetadataResponse;
use libc::{c_char, c_int};
use std::ffi::CString;
use std::time::Duration;

#[repr(C)]
pub struct OwnedMetadata {
    /// Must stay first: its address is the pointer C holds.
    c: rd_kafka_metadata_t,
    brokers: Vec<rd_kafka_metadata_broker_t>,
    topics: Vec<rd_kafka_metadata_topic_t>,
    partitions: Vec<Vec<rd_kafka_metadata_partition_t>>,
    node_lists: Vec<Vec<i32>>,
    strings: Vec<CString>,
}

fn err_of(code: i16) -> ErrorCode {
    ErrorCode::from_code(code as i32).unwrap_or(ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN)
}

impl OwnedMetadata {
    fn string(&mut self, s: &str) -> *mut c_char {
        let c = CString::new(s.replace('\0', " ")).unwrap_or_default();
        // The CString's heap buffer does not move when the Vec grows.
        let p = c.as_ptr() as *mut c_char;
        self.strings.push(c);
        p
    }

    fn nodes(&mut self, ids: &[i32]) -> *mut i32 {
        let mut v = ids.to_vec();
        let p = v.as_mut_ptr();
        self.node_lists.push(v);
        p
    }

    fn build(
        response: &MetadataResponse,
        orig_broker_id: i32,
        orig_name: &str,
    ) -> Box<OwnedMetadata> {
        let mut m = Box::new(OwnedMetadata {
            c: rd_kafka_metadata_t {
                broker_cnt: 0,
                brokers: std::ptr::null_mut(),
                topic_cnt: 0,
                topics: std::ptr::null_mut(),
                orig_broker_id,
                orig_broker_name: std::ptr::null_mut(),
            },
            brokers: Vec::new(),
            topics: Vec::new(),
            partitions: Vec::new(),
            node_lists: Vec::new(),
            strings: Vec::new(),
        });
        m.c.orig_broker_name = m.string(orig_name);
        for b in &response.brokers {
            let host = m.string(&b.host);
            m.brokers.push(rd_kafka_metadata_broker_t {
                id: b.node_id,
                host,
                port: b.port,
            });
        }
        for t in &response.topics {
            let mut parts = Vec::with_capacity(t.partitions.len());
            for p in &t.partitions {
                let replicas = m.nodes(&p.replica_nodes);
                let isrs = m.nodes(&p.isr_nodes);
                parts.push(rd_kafka_metadata_partition_t {
                    id: p.partition_index,
                    err: err_of(p.error_code),
                    leader: p.leader_id,
                    replica_cnt: p.replica_nodes.len() as c_int,
                    replicas,
                    isr_cnt: p.isr_nodes.len() as c_int,
                    isrs,
                });
            }
            parts.sort_by_key(|p| p.id);
            let name = m.string(&t.name);
            let partition_cnt = parts.len() as c_int;
            let partitions = parts.as_mut_ptr();
            m.partitions.push(parts);
            m.topics.push(rd_kafka_metadata_topic_t {
                topic: name,
                partition_cnt,
                partitions,
                err: err_of(t.error_code),
            });
        }
        m.c.broker_cnt = m.brokers.len() as c_int;
        m.c.brokers = m.brokers.as_mut_ptr();
        m.c.topic_cnt = m.topics.len() as c_int;
        m.c.topics = m.topics.as_mut_ptr();
        m
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_metadata(
    rk: *mut rd_kafka_t,
    all_topics: c_int,
    only_rkt: *mut rd_kafka_topic_t,
    metadatap: *mut *const rd_kafka_metadata_t,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__FAIL, {
        let Some(h) = handle(rk) else {
            return rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        if metadatap.is_null() {
            return rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        let client = h.client();
        let topics = if let Some(t) = borrow(only_rkt) {
            Some(vec![t.name.to_string()])
        } else if all_topics != 0 {
            None
        } else {
            Some(client.topic_names())
        };
        match client.metadata_request(topics, Duration::from_millis(timeout_ms.max(0) as u64)) {
            Ok((response, broker_id, broker_name)) => {
                let owned = OwnedMetadata::build(&response, broker_id, &broker_name);
                *metadatap = into_ptr::<rd_kafka_metadata_t>(*owned);
                rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR
            }
            Err(e) => e,
        }
    })
}

/// Frees metadata from `rd_kafka_metadata`. NULL is ignored; not twice.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_metadata_destroy(metadata: *const rd_kafka_metadata_t) {
    ffi_boundary!((), {
        drop(take(metadata as *mut rd_kafka_metadata_t));
    })
}
