//! The legacy `rd_kafka_list_groups` and `rd_kafka_group_list_destroy`:
//! the groups as C structs (`struct rd_kafka_group_list`), all their
//! strings and bytes owned by one allocation C frees with the destroy call.

use crate::client::admin::groups::LegacyGroup;
use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::boundary::c_str;
use crate::ffi::kafka::handle;
use crate::ffi::types::*;
use libc::{c_char, c_int, c_void};
use std::ffi::CString;
use std::time::Duration;

#[repr(C)]
struct OwnedGroupList {
    /// Must stay first: its address is the pointer C holds.
    c: rd_kafka_group_list,
    groups: Vec<rd_kafka_group_info>,
    members: Vec<Vec<rd_kafka_group_member_info>>,
    strings: Vec<CString>,
    bytes: Vec<Vec<u8>>,
}

impl OwnedGroupList {
    fn string(&mut self, s: &str) -> *mut c_char {
        let c = CString::new(s.replace('\0', " ")).unwrap_or_default();
        // The CString's heap buffer does not move when the Vec grows.
        let p = c.as_ptr().cast_mut();
        self.strings.push(c);
        p
    }

    /// The bytes and their length (NULL for none, as librdkafka).
    fn bytes(&mut self, b: &[u8]) -> (*mut c_void, c_int) {
        if b.is_empty() {
            return (std::ptr::null_mut(), 0);
        }
        let mut v = b.to_vec();
        let p = v.as_mut_ptr().cast::<c_void>();
        self.bytes.push(v);
        (p, c_int::try_from(b.len()).unwrap_or(c_int::MAX))
    }

    fn build(groups: Vec<LegacyGroup>) -> Box<OwnedGroupList> {
        let mut owned = Box::new(OwnedGroupList {
            c: rd_kafka_group_list {
                groups: std::ptr::null_mut(),
                group_cnt: 0,
            },
            groups: Vec::with_capacity(groups.len()),
            members: Vec::with_capacity(groups.len()),
            strings: Vec::new(),
            bytes: Vec::new(),
        });
        for g in groups {
            let mut members = Vec::with_capacity(g.members.len());
            for m in &g.members {
                let (member_metadata, member_metadata_size) = owned.bytes(&m.metadata);
                let (member_assignment, member_assignment_size) = owned.bytes(&m.assignment);
                members.push(rd_kafka_group_member_info {
                    member_id: owned.string(&m.member_id),
                    client_id: owned.string(&m.client_id),
                    client_host: owned.string(&m.client_host),
                    member_metadata,
                    member_metadata_size,
                    member_assignment,
                    member_assignment_size,
                });
            }
            let member_cnt = c_int::try_from(members.len()).unwrap_or(c_int::MAX);
            // The inner Vec's buffer does not move when `members` grows.
            let members_ptr = if members.is_empty() {
                std::ptr::null_mut()
            } else {
                members.as_mut_ptr()
            };
            owned.members.push(members);
            let info = rd_kafka_group_info {
                broker: rd_kafka_metadata_broker {
                    id: g.broker.id,
                    host: owned.string(&g.broker.host),
                    port: c_int::from(g.broker.port),
                },
                group: owned.string(&g.group),
                err: g.err,
                state: owned.string(&g.state),
                protocol_type: owned.string(&g.protocol_type),
                protocol: owned.string(&g.protocol),
                members: members_ptr,
                member_cnt,
            };
            owned.groups.push(info);
        }
        owned.c.group_cnt = c_int::try_from(owned.groups.len()).unwrap_or(c_int::MAX);
        owned.c.groups = if owned.groups.is_empty() {
            std::ptr::null_mut()
        } else {
            owned.groups.as_mut_ptr()
        };
        owned
    }
}

/// Lists the groups of the cluster (or only `group`) with their members;
/// blocks up to `timeout_ms`. On success `*grplistp` must be freed with
/// [`rd_kafka_group_list_destroy`].
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_list_groups(
    rk: *mut rd_kafka_t,
    group: *const c_char,
    grplistp: *mut *const rd_kafka_group_list,
    timeout_ms: c_int,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        if grplistp.is_null() {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        *grplistp = std::ptr::null();
        let Some(h) = handle(rk) else {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        let wanted = c_str(group);
        let timeout = Duration::from_millis(u64::try_from(timeout_ms).unwrap_or(0));
        match h.client().list_groups(wanted.as_deref(), timeout) {
            Ok(groups) => {
                let owned = OwnedGroupList::build(groups);
                *grplistp = Box::into_raw(owned).cast::<rd_kafka_group_list>();
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
            }
            Err(err) => err,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_group_list_destroy(grplist: *const rd_kafka_group_list) {
    ffi_boundary!((), {
        if !grplist.is_null() {
            // SAFETY: made by rd_kafka_list_groups from a Box<OwnedGroupList>,
            // whose first field is the struct C holds.
            drop(Box::from_raw(grplist.cast::<OwnedGroupList>().cast_mut()));
        }
    })
}
