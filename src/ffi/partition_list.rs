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

/// A new C partition outside any list holding `tp` (the caller frees it
/// with `rd_kafka_topic_partition_destroy`); NULL if out of memory.
pub fn partition_from(tp: &TopicPartition) -> *mut rd_kafka_topic_partition_t {
    // SAFETY: a one-element list made by the list API's allocator gives up
    // its element: the element block is the list's `elems` allocation,
    // which `rd_kafka_topic_partition_destroy` frees with `free`.
    unsafe {
        let list = list_from(std::slice::from_ref(tp));
        let Some(l) = list.as_mut() else {
            return ptr::null_mut();
        };
        let e = if l.cnt == 1 { l.elems } else { ptr::null_mut() };
        if !e.is_null() {
            l.elems = ptr::null_mut();
            l.cnt = 0;
            l.size = 0;
        }
        rd_kafka_topic_partition_list_destroy(list);
        e
    }
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
            // Not `e.topic.as_ref()`: a pointer made from a `&c_char` may
            // only read that one byte, not the rest of the name.
            let Some(topic) =
                (!e.topic.is_null()).then(|| std::ffi::CStr::from_ptr(e.topic).to_bytes())
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

/// The list API called as C calls it: raw pointers in and out, elements
/// read and written in place, metadata malloc'ed by the application.
/// Under Miri (`tests/miri.sh`) every malloc/realloc/free pairing and
/// element access is checked.
#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    unsafe fn topic_of(e: *const rd_kafka_topic_partition_t) -> String {
        CStr::from_ptr((*e).topic).to_str().unwrap().to_owned()
    }

    unsafe fn contents(list: *const rd_kafka_topic_partition_list_t) -> Vec<(String, i32, i64)> {
        (0..(*list).cnt as usize)
            .map(|i| {
                let e = (*list).elems.add(i);
                (topic_of(e), (*e).partition, (*e).offset)
            })
            .collect()
    }

    #[test]
    fn add_find_set_offset_del_and_destroy() {
        unsafe {
            // Size 0: the first add allocates, later ones realloc.
            let list = rd_kafka_topic_partition_list_new(0);
            assert_eq!(((*list).cnt, (*list).size), (0, 0));
            let e = rd_kafka_topic_partition_list_add(list, c"a".as_ptr(), 0);
            (*e).offset = 5;
            // What applications do: their own malloc'ed metadata, freed by destroy.
            (*e).metadata = malloc_copy(b"meta");
            (*e).metadata_size = 4;
            rd_kafka_topic_partition_list_add_range(list, c"b".as_ptr(), 0, 4);
            assert_eq!((*list).cnt, 6);
            assert!((*list).size >= 6);
            let found = rd_kafka_topic_partition_list_find(list, c"b".as_ptr(), 3);
            assert_eq!(((*found).partition, topic_of(found)), (3, "b".to_string()));
            assert!(rd_kafka_topic_partition_list_find(list, c"b".as_ptr(), 9).is_null());
            assert!(rd_kafka_topic_partition_list_find(list, ptr::null(), 3).is_null());
            assert_eq!(
                rd_kafka_topic_partition_list_set_offset(list, c"b".as_ptr(), 3, 42),
                rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR
            );
            assert_eq!(
                rd_kafka_topic_partition_list_set_offset(list, c"c".as_ptr(), 0, 1),
                rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION
            );
            assert_eq!((*found).offset, 42);
            // Deleting shifts the tail down over the freed element.
            assert_eq!(rd_kafka_topic_partition_list_del(list, c"b".as_ptr(), 1), 1);
            assert_eq!(rd_kafka_topic_partition_list_del(list, c"b".as_ptr(), 1), 0);
            assert_eq!(rd_kafka_topic_partition_list_del_by_idx(list, 0), 1);
            assert_eq!(rd_kafka_topic_partition_list_del_by_idx(list, 99), 0);
            assert_eq!(rd_kafka_topic_partition_list_del_by_idx(list, -1), 0);
            let off = RD_KAFKA_OFFSET_INVALID;
            assert_eq!(
                contents(list),
                vec![
                    ("b".into(), 0, off),
                    ("b".into(), 2, off),
                    ("b".into(), 3, 42),
                    ("b".into(), 4, off)
                ]
            );
            // The last element, then the list.
            assert_eq!(rd_kafka_topic_partition_list_del_by_idx(list, 3), 1);
            rd_kafka_topic_partition_list_destroy(list);
            rd_kafka_topic_partition_list_destroy(ptr::null_mut());
        }
    }

    #[test]
    fn copy_is_deep_and_independent() {
        unsafe {
            let src = rd_kafka_topic_partition_list_new(1);
            let e = rd_kafka_topic_partition_list_add(src, c"t".as_ptr(), 7);
            (*e).offset = 100;
            (*e).err = rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__STATE.code();
            (*e).metadata = malloc_copy(b"xyz");
            (*e).metadata_size = 3;
            (*e).opaque = 9usize as *mut c_void;
            rd_kafka_topic_partition_list_add(src, c"u".as_ptr(), 0);
            let copy = rd_kafka_topic_partition_list_copy(src);
            // Freed first: the copy must own its names and metadata.
            rd_kafka_topic_partition_list_destroy(src);
            assert_eq!(
                contents(copy),
                vec![
                    ("t".into(), 7, 100),
                    ("u".into(), 0, RD_KAFKA_OFFSET_INVALID)
                ]
            );
            let c = (*copy).elems;
            assert_eq!(
                (*c).err,
                rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__STATE.code()
            );
            assert_eq!((*c).opaque as usize, 9);
            assert_eq!(
                std::slice::from_raw_parts((*c).metadata as *const u8, (*c).metadata_size),
                b"xyz"
            );
            assert!(rd_kafka_topic_partition_list_copy(ptr::null()).is_null());
            rd_kafka_topic_partition_list_destroy(copy);
        }
    }

    unsafe extern "C" fn by_partition_desc(
        a: *const c_void,
        b: *const c_void,
        opaque: *mut c_void,
    ) -> c_int {
        // The application's comparator; in the boundary like everything
        // extern "C" here (tests/ffi_boundary.rs).
        ffi_boundary!(0, {
            *(opaque as *mut c_int) += 1;
            let (a, b) = (
                &*(a as *const rd_kafka_topic_partition_t),
                &*(b as *const rd_kafka_topic_partition_t),
            );
            b.partition - a.partition
        })
    }

    #[test]
    fn sort_with_and_without_a_comparator() {
        unsafe {
            let list = rd_kafka_topic_partition_list_new(4);
            for (t, p) in [(c"b", 1), (c"a", 2), (c"b", 0), (c"a", 1)] {
                rd_kafka_topic_partition_list_add(list, t.as_ptr(), p);
            }
            rd_kafka_topic_partition_list_sort(list, None, ptr::null_mut());
            let order: Vec<_> = contents(list).into_iter().map(|(t, p, _)| (t, p)).collect();
            assert_eq!(
                order,
                vec![
                    ("a".into(), 1),
                    ("a".into(), 2),
                    ("b".into(), 0),
                    ("b".into(), 1)
                ]
            );
            let mut calls: c_int = 0;
            rd_kafka_topic_partition_list_sort(
                list,
                Some(by_partition_desc),
                &mut calls as *mut c_int as *mut c_void,
            );
            assert!(calls > 0);
            let parts: Vec<_> = contents(list).into_iter().map(|(_, p, _)| p).collect();
            assert_eq!(parts, vec![2, 1, 1, 0]);
            rd_kafka_topic_partition_list_destroy(list);
        }
    }

    #[test]
    fn core_conversions_round_trip() {
        let mut tp = TopicPartition::new("t", 3, 10);
        tp.metadata = Some(b"m".to_vec());
        let list = list_from(&[tp.clone(), TopicPartition::new("u", 0, -1)]);
        unsafe {
            let back = list_to_vec(list);
            assert_eq!(back.len(), 2);
            assert_eq!(
                (back[0].topic.as_str(), back[0].partition, back[0].offset),
                ("t", 3, 10)
            );
            assert_eq!(back[0].metadata.as_deref(), Some(&b"m"[..]));
            let mut result = TopicPartition::new("u", 0, 55);
            result.err = rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__STATE;
            update_list(list, &[result]);
            let e = (*list).elems.add(1);
            assert_eq!((*e).offset, 55);
            assert_eq!(
                (*e).err,
                rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__STATE.code()
            );
            assert!(list_to_vec(ptr::null()).is_empty());
            rd_kafka_topic_partition_list_destroy(list);
        }
    }

    #[test]
    fn a_lone_partition_is_freed_with_its_fields() {
        unsafe {
            let e = libc::calloc(1, std::mem::size_of::<rd_kafka_topic_partition_t>())
                as *mut rd_kafka_topic_partition_t;
            (*e).topic = malloc_copy(b"t\0") as *mut c_char;
            (*e).metadata = malloc_copy(b"md");
            (*e).metadata_size = 2;
            rd_kafka_topic_partition_destroy(e);
            rd_kafka_topic_partition_destroy(ptr::null_mut());
        }
    }
}
