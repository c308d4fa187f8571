//! `rd_kafka_topic_partition_list_t`: a C struct the application reads and
//! writes directly, so its memory follows librdkafka's rules: the element
//! array, topic names and `metadata` are malloc'ed and freed with `free()`
//! by `rd_kafka_topic_partition_list_destroy` (an application may put its
//! own malloc'ed metadata there).

use crate::client::topic_partition::TopicPartition;
use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::boundary::c_str;
use crate::ffi::types::*;
use libc::{c_char, c_int, c_void};
use std::ptr;

unsafe fn malloc_copy(bytes: &[u8]) -> *mut c_void {
    if bytes.is_empty() {
        return ptr::null_mut();
    }
    let p = libc::malloc(bytes.len());
    if !p.is_null() {
        ptr::copy_nonoverlapping(bytes.as_ptr(), p as *mut u8, bytes.len());
    }
    p
}

unsafe fn elems<'a>(
    list: *const rd_kafka_topic_partition_list_t,
) -> &'a mut [rd_kafka_topic_partition_t] {
    match list.as_ref() {
        Some(l) if !l.elems.is_null() && l.cnt > 0 => {
            std::slice::from_raw_parts_mut(l.elems, l.cnt as usize)
        }
        _ => &mut [],
    }
}

unsafe fn free_elem(e: &mut rd_kafka_topic_partition_t) {
    libc::free(e.topic as *mut c_void);
    libc::free(e.metadata);
    e.topic = ptr::null_mut();
    e.metadata = ptr::null_mut();
}

/// Makes room for one more element, growing like librdkafka (doubling).
unsafe fn grow(list: &mut rd_kafka_topic_partition_list_t) -> bool {
    if list.cnt < list.size {
        return true;
    }
    let new_size = (list.size.max(1) * 2).max(list.cnt + 1);
    let bytes = new_size as usize * std::mem::size_of::<rd_kafka_topic_partition_t>();
    let p = libc::realloc(list.elems as *mut c_void, bytes) as *mut rd_kafka_topic_partition_t;
    if p.is_null() {
        return false;
    }
    list.elems = p;
    list.size = new_size;
    true
}

unsafe fn push(
    list: &mut rd_kafka_topic_partition_list_t,
    topic: &[u8],
    partition: i32,
) -> *mut rd_kafka_topic_partition_t {
    if !grow(list) {
        return ptr::null_mut();
    }
    let name = libc::malloc(topic.len() + 1) as *mut c_char;
    if name.is_null() {
        return ptr::null_mut();
    }
    ptr::copy_nonoverlapping(topic.as_ptr() as *const c_char, name, topic.len());
    *name.add(topic.len()) = 0;
    let e = list.elems.add(list.cnt as usize);
    e.write(rd_kafka_topic_partition_t {
        topic: name,
        partition,
        offset: RD_KAFKA_OFFSET_INVALID,
        metadata: ptr::null_mut(),
        metadata_size: 0,
        opaque: ptr::null_mut(),
        err: 0,
        _private: ptr::null_mut(),
    });
    list.cnt += 1;
    e
}

/// A new C list holding `tps` (caller owns it).
pub fn list_from(tps: &[TopicPartition]) -> *mut rd_kafka_topic_partition_list_t {
    // SAFETY: builds a fresh list with the list API's own allocator.
    unsafe {
        let list = rd_kafka_topic_partition_list_new(tps.len() as c_int);
        if let Some(l) = list.as_mut() {
            for tp in tps {
                if let Some(e) = push(l, tp.topic.as_bytes(), tp.partition).as_mut() {
                    e.offset = tp.offset;
                    e.err = tp.err.code();
                    if let Some(m) = &tp.metadata {
                        e.metadata = malloc_copy(m);
                        e.metadata_size = if e.metadata.is_null() { 0 } else { m.len() };
                    }
                }
            }
        }
        list
    }
}

/// Reads a C list into core form.
///
/// # Safety
/// `list` must be NULL or a valid list.
pub unsafe fn list_to_vec(list: *const rd_kafka_topic_partition_list_t) -> Vec<TopicPartition> {
    elems(list)
        .iter()
        .filter_map(|e| {
            let topic = c_str(e.topic)?.into_owned();
            let mut tp = TopicPartition::new(&topic, e.partition, e.offset);
            if !e.metadata.is_null() && e.metadata_size > 0 {
                tp.metadata = Some(
                    std::slice::from_raw_parts(e.metadata as *const u8, e.metadata_size).to_vec(),
                );
            }
            tp.err = ErrorCode::from_code(e.err).unwrap_or(ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR);
            Some(tp)
        })
        .collect()
}

/// Writes offsets and errors of `results` back into the matching elements.
///
/// # Safety
/// `list` must be NULL or a valid list.
pub unsafe fn update_list(list: *mut rd_kafka_topic_partition_list_t, results: &[TopicPartition]) {
    for e in elems(list) {
        let Some(topic) = c_str(e.topic) else {
            continue;
        };
        if let Some(tp) = results
            .iter()
            .find(|tp| tp.topic == *topic && tp.partition == e.partition)
        {
            e.offset = tp.offset;
            e.err = tp.err.code();
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_new(
    size: c_int,
) -> *mut rd_kafka_topic_partition_list_t {
    ffi_boundary!(ptr::null_mut(), {
        let size = size.max(0);
        let elems = if size > 0 {
            libc::calloc(
                size as usize,
                std::mem::size_of::<rd_kafka_topic_partition_t>(),
            ) as *mut rd_kafka_topic_partition_t
        } else {
            ptr::null_mut()
        };
        let list = libc::calloc(1, std::mem::size_of::<rd_kafka_topic_partition_list_t>())
            as *mut rd_kafka_topic_partition_list_t;
        if list.is_null() {
            libc::free(elems as *mut c_void);
            return ptr::null_mut();
        }
        (*list).cnt = 0;
        (*list).size = if elems.is_null() { 0 } else { size };
        (*list).elems = elems;
        list
    })
}

/// Frees the list, its topic names and metadata. NULL is ignored; must not
/// be called twice.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_destroy(
    rkparlist: *mut rd_kafka_topic_partition_list_t,
) {
    ffi_boundary!((), {
        if rkparlist.is_null() {
            return;
        }
        for e in elems(rkparlist) {
            free_elem(e);
        }
        libc::free((*rkparlist).elems as *mut c_void);
        libc::free(rkparlist as *mut c_void);
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_add(
    rktparlist: *mut rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    partition: i32,
) -> *mut rd_kafka_topic_partition_t {
    ffi_boundary!(ptr::null_mut(), {
        let (Some(list), false) = (rktparlist.as_mut(), topic.is_null()) else {
            return ptr::null_mut();
        };
        push(list, std::ffi::CStr::from_ptr(topic).to_bytes(), partition)
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_add_range(
    rktparlist: *mut rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    start: i32,
    stop: i32,
) {
    ffi_boundary!((), {
        let (Some(list), false) = (rktparlist.as_mut(), topic.is_null()) else {
            return;
        };
        let name = std::ffi::CStr::from_ptr(topic).to_bytes();
        for p in start..=stop {
            push(list, name, p);
        }
    })
}

/// Index of `topic`/`partition` in the list, if present.
unsafe fn index_of(
    list: *const rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    partition: i32,
) -> Option<usize> {
    let topic = c_str(topic)?;
    elems(list)
        .iter()
        .position(|e| e.partition == partition && c_str(e.topic).is_some_and(|t| t == topic))
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_del_by_idx(
    rktparlist: *mut rd_kafka_topic_partition_list_t,
    idx: c_int,
) -> c_int {
    ffi_boundary!(0, {
        let Some(list) = rktparlist.as_mut() else {
            return 0;
        };
        if idx < 0 || idx >= list.cnt {
            return 0;
        }
        let e = &mut *list.elems.add(idx as usize);
        free_elem(e);
        let tail = (list.cnt - idx - 1) as usize;
        ptr::copy(
            list.elems.add(idx as usize + 1),
            list.elems.add(idx as usize),
            tail,
        );
        list.cnt -= 1;
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_del(
    rktparlist: *mut rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    partition: i32,
) -> c_int {
    ffi_boundary!(0, {
        match index_of(rktparlist, topic, partition) {
            Some(i) => rd_kafka_topic_partition_list_del_by_idx(rktparlist, i as c_int),
            None => 0,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_copy(
    src: *const rd_kafka_topic_partition_list_t,
) -> *mut rd_kafka_topic_partition_list_t {
    ffi_boundary!(ptr::null_mut(), {
        let Some(s) = src.as_ref() else {
            return ptr::null_mut();
        };
        let dst = rd_kafka_topic_partition_list_new(s.size.max(s.cnt));
        let Some(d) = dst.as_mut() else {
            return ptr::null_mut();
        };
        for e in elems(src) {
            let Some(topic) = e
                .topic
                .as_ref()
                .map(|t| std::ffi::CStr::from_ptr(t).to_bytes())
            else {
                continue;
            };
            if let Some(n) = push(d, topic, e.partition).as_mut() {
                n.offset = e.offset;
                n.err = e.err;
                n.opaque = e.opaque;
                if !e.metadata.is_null() && e.metadata_size > 0 {
                    n.metadata = malloc_copy(std::slice::from_raw_parts(
                        e.metadata as *const u8,
                        e.metadata_size,
                    ));
                    n.metadata_size = if n.metadata.is_null() {
                        0
                    } else {
                        e.metadata_size
                    };
                }
            }
        }
        dst
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_set_offset(
    rktparlist: *mut rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    partition: i32,
    offset: i64,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__FAIL, {
        match index_of(rktparlist, topic, partition) {
            Some(i) => {
                (*(*rktparlist).elems.add(i)).offset = offset;
                rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR
            }
            None => rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_find(
    rktparlist: *const rd_kafka_topic_partition_list_t,
    topic: *const c_char,
    partition: i32,
) -> *mut rd_kafka_topic_partition_t {
    ffi_boundary!(ptr::null_mut(), {
        match index_of(rktparlist, topic, partition) {
            Some(i) => (*rktparlist).elems.add(i),
            None => ptr::null_mut(),
        }
    })
}

/// Sorts by `cmp`, or by topic then partition when `cmp` is NULL.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_list_sort(
    rktparlist: *mut rd_kafka_topic_partition_list_t,
    cmp: Option<
        unsafe extern "C" fn(a: *const c_void, b: *const c_void, cmp_opaque: *mut c_void) -> c_int,
    >,
    cmp_opaque: *mut c_void,
) {
    ffi_boundary!((), {
        let items = elems(rktparlist);
        match cmp {
            Some(f) => items.sort_by(|a, b| {
                f(
                    a as *const _ as *const c_void,
                    b as *const _ as *const c_void,
                    cmp_opaque,
                )
                .cmp(&0)
            }),
            None => items.sort_by(|a, b| {
                let ta = c_str(a.topic).unwrap_or_default();
                let tb = c_str(b.topic).unwrap_or_default();
                ta.cmp(&tb).then(a.partition.cmp(&b.partition))
            }),
        }
    })
}

/// Frees a partition created outside a list (not for list elements).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_topic_partition_destroy(rktpar: *mut rd_kafka_topic_partition_t) {
    ffi_boundary!((), {
        if let Some(e) = rktpar.as_mut() {
            free_elem(e);
            libc::free(rktpar as *mut c_void);
        }
    })
}
