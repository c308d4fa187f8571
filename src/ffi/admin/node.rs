//! `rd_kafka_Node_t`: a broker as results name it, owned by the result
//! that lists it.

use crate::client::admin::result::Node;
use crate::ffi::handle::borrow;
use crate::ffi::types::*;
use libc::c_char;
use std::ffi::CString;

pub struct NodeObj {
    id: i32,
    host: CString,
    port: u16,
}

impl NodeObj {
    pub fn new(node: &Node) -> NodeObj {
        NodeObj {
            id: node.id,
            host: crate::ffi::admin::results::cstring(&node.host),
            port: node.port,
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_Node_id(node: *const rd_kafka_Node_t) -> libc::c_int {
    ffi_boundary!(-1, { borrow(node).map_or(-1, |n| n.id) })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_Node_host(node: *const rd_kafka_Node_t) -> *const c_char {
    ffi_boundary!(std::ptr::null(), {
        borrow(node).map_or(std::ptr::null(), |n| n.host.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_Node_port(node: *const rd_kafka_Node_t) -> u16 {
    ffi_boundary!(0, { borrow(node).map_or(0, |n| n.port) })
}
