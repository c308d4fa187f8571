//! C API of message headers over [`crate::client::headers::Headers`].
//!
//! Ownership: an `rd_kafka_headers_t *` is a `Box<Headers>`. Pointers this
//! module returns into a list (names, values) stay valid until that list is
//! modified or destroyed.

use crate::client::headers::{Header, Headers};
use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::handle::{borrow, borrow_mut, into_ptr, take};
use crate::ffi::types::rd_kafka_headers_t;
use libc::{c_char, c_void, size_t, ssize_t};
use std::ffi::CStr;
use std::ptr;

/// `initial_count` is only a hint; trusting a huge one from C could abort
/// the process on allocation, so preallocation is capped.
const MAX_PREALLOCATED_HEADERS: usize = 1024;

/// Hands a header list to C (or to a message that C will see).
pub fn headers_into_ptr(headers: Headers) -> *mut rd_kafka_headers_t {
    into_ptr(headers)
}

/// Takes back ownership of a list, e.g. when a message adopts it.
///
/// # Safety
/// `hdrs` must be NULL or come from [`headers_into_ptr`] and not be used by
/// C afterwards.
pub unsafe fn headers_from_ptr(hdrs: *mut rd_kafka_headers_t) -> Option<Box<Headers>> {
    take(hdrs)
}

/// Reads `size` bytes at `ptr`, or up to the NUL when `size` is -1.
/// `None` for any other negative size.
///
/// # Safety
/// `ptr` must be non-NULL and valid for the given size (or NUL-terminated).
unsafe fn sized_bytes<'a>(ptr: *const c_void, size: ssize_t) -> Option<&'a [u8]> {
    match size {
        -1 => Some(CStr::from_ptr(ptr.cast::<c_char>()).to_bytes()),
        n if n >= 0 => Some(std::slice::from_raw_parts(ptr.cast::<u8>(), n as usize)),
        _ => None,
    }
}

/// Writes a header's value to the optional out-parameters: a pointer to
/// NUL-terminated bytes (NULL for a null value) and the length without NUL.
unsafe fn write_value(header: &Header, valuep: *mut *const c_void, sizep: *mut size_t) {
    let stored = header.value_with_nul();
    if !valuep.is_null() {
        *valuep = stored.map_or(ptr::null(), |v| v.as_ptr().cast());
    }
    if !sizep.is_null() {
        *sizep = header.value().map_or(0, <[u8]>::len);
    }
}

fn code_of(result: Result<(), ErrorCode>) -> rd_kafka_resp_err_t {
    match result {
        Ok(()) => ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
        Err(code) => code,
    }
}

const INVALID_ARG: rd_kafka_resp_err_t = ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
const NOENT: rd_kafka_resp_err_t = ErrorCode::RD_KAFKA_RESP_ERR__NOENT;
const FAIL: rd_kafka_resp_err_t = ErrorCode::RD_KAFKA_RESP_ERR__FAIL;

/// Creates an empty, writable header list.
#[no_mangle]
pub extern "C" fn rd_kafka_headers_new(initial_count: size_t) -> *mut rd_kafka_headers_t {
    ffi_boundary!(ptr::null_mut(), {
        headers_into_ptr(Headers::with_capacity(
            initial_count.min(MAX_PREALLOCATED_HEADERS),
        ))
    })
}

/// Destroys a list; NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_headers_destroy(hdrs: *mut rd_kafka_headers_t) {
    ffi_boundary!((), {
        drop(headers_from_ptr(hdrs));
    })
}

/// A writable copy of `src` (NULL for a NULL source).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_headers_copy(
    src: *const rd_kafka_headers_t,
) -> *mut rd_kafka_headers_t {
    ffi_boundary!(ptr::null_mut(), {
        let Some(src) = borrow(src) else {
            return ptr::null_mut();
        };
        let mut copy = src.clone();
        copy.set_read_only(false);
        headers_into_ptr(copy)
    })
}

/// Appends a header. A size of -1 means "NUL-terminated"; a NULL `value`
/// (with size 0 or -1) adds a null value.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_header_add(
    hdrs: *mut rd_kafka_headers_t,
    name: *const c_char,
    name_size: ssize_t,
    value: *const c_void,
    value_size: ssize_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(FAIL, {
        let Some(headers) = borrow_mut(hdrs) else {
            return INVALID_ARG;
        };
        if name.is_null() {
            return INVALID_ARG;
        }
        let Some(name) = sized_bytes(name.cast(), name_size) else {
            return INVALID_ARG;
        };
        let value = if value.is_null() {
            if !(-1..=0).contains(&value_size) {
                return INVALID_ARG;
            }
            None
        } else {
            match sized_bytes(value, value_size) {
                Some(bytes) => Some(bytes),
                None => return INVALID_ARG,
            }
        };
        code_of(headers.add(name, value))
    })
}

/// Removes every header called `name`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_header_remove(
    hdrs: *mut rd_kafka_headers_t,
    name: *const c_char,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(FAIL, {
        let Some(headers) = borrow_mut(hdrs) else {
            return INVALID_ARG;
        };
        if name.is_null() {
            return INVALID_ARG;
        }
        code_of(headers.remove(CStr::from_ptr(name).to_bytes()))
    })
}

/// The last header called `name`: its value pointer and size.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_header_get_last(
    hdrs: *const rd_kafka_headers_t,
    name: *const c_char,
    valuep: *mut *const c_void,
    sizep: *mut size_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(FAIL, {
        let (Some(headers), false) = (borrow(hdrs), name.is_null()) else {
            return INVALID_ARG;
        };
        match headers.get_last(CStr::from_ptr(name).to_bytes()) {
            Some(header) => {
                write_value(header, valuep, sizep);
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
            }
            None => NOENT,
        }
    })
}

/// The `idx`-th header called `name` (an iterator: call with 0, 1, ...
/// until `_NOENT`).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_header_get(
    hdrs: *const rd_kafka_headers_t,
    idx: size_t,
    name: *const c_char,
    valuep: *mut *const c_void,
    sizep: *mut size_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(FAIL, {
        let (Some(headers), false) = (borrow(hdrs), name.is_null()) else {
            return INVALID_ARG;
        };
        match headers.get(idx, CStr::from_ptr(name).to_bytes()) {
            Some(header) => {
                write_value(header, valuep, sizep);
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
            }
            None => NOENT,
        }
    })
}

/// The `idx`-th header of any name, with its name.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_header_get_all(
    hdrs: *const rd_kafka_headers_t,
    idx: size_t,
    namep: *mut *const c_char,
    valuep: *mut *const c_void,
    sizep: *mut size_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(FAIL, {
        let Some(headers) = borrow(hdrs) else {
            return INVALID_ARG;
        };
        match headers.get_all(idx) {
            Some(header) => {
                if !namep.is_null() {
                    *namep = header.name_with_nul().as_ptr().cast();
                }
                write_value(header, valuep, sizep);
                ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
            }
            None => NOENT,
        }
    })
}

/// Number of headers (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_header_cnt(hdrs: *const rd_kafka_headers_t) -> size_t {
    ffi_boundary!(0, { borrow(hdrs).map_or(0, Headers::len) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rd_kafka_resp_err_t::*;

    unsafe fn value_of(hdrs: *const rd_kafka_headers_t, name: &CStr) -> Option<Option<Vec<u8>>> {
        let mut value: *const c_void = ptr::null();
        let mut size: size_t = 99;
        match rd_kafka_header_get_last(hdrs, name.as_ptr(), &mut value, &mut size) {
            RD_KAFKA_RESP_ERR_NO_ERROR if value.is_null() => {
                assert_eq!(size, 0);
                Some(None)
            }
            RD_KAFKA_RESP_ERR_NO_ERROR => {
                // Values are NUL-terminated beyond their size.
                assert_eq!(*value.cast::<u8>().add(size), 0);
                Some(Some(
                    std::slice::from_raw_parts(value.cast::<u8>(), size).to_vec(),
                ))
            }
            RD_KAFKA_RESP_ERR__NOENT => None,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn add_with_explicit_and_strlen_sizes() {
        unsafe {
            let h = rd_kafka_headers_new(2);
            let value = b"abc\0def";
            assert_eq!(
                rd_kafka_header_add(h, c"bin".as_ptr(), 3, value.as_ptr().cast(), 7),
                RD_KAFKA_RESP_ERR_NO_ERROR
            );
            assert_eq!(
                rd_kafka_header_add(h, c"str".as_ptr(), -1, c"text".as_ptr().cast(), -1),
                RD_KAFKA_RESP_ERR_NO_ERROR
            );
            // Only the first 4 bytes of the name count.
            assert_eq!(
                rd_kafka_header_add(h, c"nullX".as_ptr(), 4, ptr::null(), -1),
                RD_KAFKA_RESP_ERR_NO_ERROR
            );
            assert_eq!(
                rd_kafka_header_add(h, c"empty".as_ptr(), -1, c"".as_ptr().cast(), 0),
                RD_KAFKA_RESP_ERR_NO_ERROR
            );
            assert_eq!(rd_kafka_header_cnt(h), 4);
            assert_eq!(value_of(h, c"bin"), Some(Some(value.to_vec())));
            assert_eq!(value_of(h, c"str"), Some(Some(b"text".to_vec())));
            assert_eq!(value_of(h, c"null"), Some(None));
            assert_eq!(value_of(h, c"empty"), Some(Some(Vec::new())));
            assert_eq!(value_of(h, c"missing"), None);
            rd_kafka_headers_destroy(h);
        }
    }

    #[test]
    fn add_rejects_bad_arguments() {
        unsafe {
            let h = rd_kafka_headers_new(0);
            let v = c"v".as_ptr().cast();
            assert_eq!(
                rd_kafka_header_add(ptr::null_mut(), c"a".as_ptr(), -1, v, -1),
                RD_KAFKA_RESP_ERR__INVALID_ARG
            );
            assert_eq!(
                rd_kafka_header_add(h, ptr::null(), -1, v, -1),
                RD_KAFKA_RESP_ERR__INVALID_ARG
            );
            assert_eq!(
                rd_kafka_header_add(h, c"a".as_ptr(), -2, v, -1),
                RD_KAFKA_RESP_ERR__INVALID_ARG
            );
            assert_eq!(
                rd_kafka_header_add(h, c"a".as_ptr(), -1, v, -5),
                RD_KAFKA_RESP_ERR__INVALID_ARG
            );
            assert_eq!(
                rd_kafka_header_add(h, c"a".as_ptr(), -1, ptr::null(), 3),
                RD_KAFKA_RESP_ERR__INVALID_ARG
            );
            assert_eq!(rd_kafka_header_cnt(h), 0);
            rd_kafka_headers_destroy(h);
        }
    }

    #[test]
    fn iterate_by_name_and_over_all() {
        unsafe {
            let h = rd_kafka_headers_new(0);
            for (name, value) in [(c"k", c"1"), (c"x", c"2"), (c"k", c"3")] {
                rd_kafka_header_add(h, name.as_ptr(), -1, value.as_ptr().cast(), -1);
            }
            let mut seen = Vec::new();
            let mut value: *const c_void = ptr::null();
            let mut size: size_t = 0;
            let mut idx = 0;
            while rd_kafka_header_get(h, idx, c"k".as_ptr(), &mut value, &mut size)
                == RD_KAFKA_RESP_ERR_NO_ERROR
            {
                seen.push(CStr::from_ptr(value.cast()).to_str().unwrap().to_owned());
                idx += 1;
            }
            assert_eq!(seen, ["1", "3"]);

            let mut all = Vec::new();
            let mut name: *const c_char = ptr::null();
            let mut idx = 0;
            while rd_kafka_header_get_all(h, idx, &mut name, &mut value, &mut size)
                == RD_KAFKA_RESP_ERR_NO_ERROR
            {
                all.push(format!(
                    "{}={}",
                    CStr::from_ptr(name).to_str().unwrap(),
                    CStr::from_ptr(value.cast()).to_str().unwrap()
                ));
                idx += 1;
            }
            assert_eq!(all, ["k=1", "x=2", "k=3"]);
            assert_eq!(
                rd_kafka_header_get_all(h, 3, &mut name, &mut value, &mut size),
                RD_KAFKA_RESP_ERR__NOENT
            );
            // Out-parameters are optional.
            assert_eq!(
                rd_kafka_header_get_all(h, 0, ptr::null_mut(), ptr::null_mut(), ptr::null_mut()),
                RD_KAFKA_RESP_ERR_NO_ERROR
            );
            rd_kafka_headers_destroy(h);
        }
    }

    #[test]
    fn remove_and_copy() {
        unsafe {
            let h = rd_kafka_headers_new(0);
            rd_kafka_header_add(h, c"a".as_ptr(), -1, c"1".as_ptr().cast(), -1);
            rd_kafka_header_add(h, c"b".as_ptr(), -1, c"2".as_ptr().cast(), -1);
            rd_kafka_header_add(h, c"a".as_ptr(), -1, c"3".as_ptr().cast(), -1);
            let copy = rd_kafka_headers_copy(h);
            assert_eq!(
                rd_kafka_header_remove(h, c"a".as_ptr()),
                RD_KAFKA_RESP_ERR_NO_ERROR
            );
            assert_eq!(
                rd_kafka_header_remove(h, c"a".as_ptr()),
                RD_KAFKA_RESP_ERR__NOENT
            );
            assert_eq!(rd_kafka_header_cnt(h), 1);
            // The copy is independent.
            assert_eq!(rd_kafka_header_cnt(copy), 3);
            assert_eq!(value_of(copy, c"a"), Some(Some(b"3".to_vec())));
            rd_kafka_headers_destroy(h);
            rd_kafka_headers_destroy(copy);
            assert!(rd_kafka_headers_copy(ptr::null()).is_null());
        }
    }

    #[test]
    fn read_only_lists_refuse_changes_and_copies_are_writable() {
        unsafe {
            let mut headers = Headers::new();
            headers.add(b"a", Some(b"1")).unwrap();
            headers.set_read_only(true);
            let h = headers_into_ptr(headers);
            assert_eq!(
                rd_kafka_header_add(h, c"b".as_ptr(), -1, ptr::null(), 0),
                RD_KAFKA_RESP_ERR__READ_ONLY
            );
            assert_eq!(
                rd_kafka_header_remove(h, c"a".as_ptr()),
                RD_KAFKA_RESP_ERR__READ_ONLY
            );
            assert_eq!(value_of(h, c"a"), Some(Some(b"1".to_vec())));
            let copy = rd_kafka_headers_copy(h);
            assert_eq!(
                rd_kafka_header_add(copy, c"b".as_ptr(), -1, ptr::null(), 0),
                RD_KAFKA_RESP_ERR_NO_ERROR
            );
            rd_kafka_headers_destroy(copy);
            rd_kafka_headers_destroy(h);
        }
    }

    #[test]
    fn null_lists_are_handled() {
        unsafe {
            assert_eq!(rd_kafka_header_cnt(ptr::null()), 0);
            assert_eq!(
                rd_kafka_header_get_last(
                    ptr::null(),
                    c"a".as_ptr(),
                    ptr::null_mut(),
                    ptr::null_mut()
                ),
                RD_KAFKA_RESP_ERR__INVALID_ARG
            );
            assert_eq!(
                rd_kafka_header_remove(ptr::null_mut(), c"a".as_ptr()),
                RD_KAFKA_RESP_ERR__INVALID_ARG
            );
            rd_kafka_headers_destroy(ptr::null_mut());
            let h = rd_kafka_headers_new(usize::MAX);
            assert!(!h.is_null());
            rd_kafka_headers_destroy(h);
        }
    }
}
