//! Error reporting in the C API: code-to-text lookups, the error-code
//! table, the library version, and the
//! `rd_kafka_error_t` object.
//!
//! Every string handed to C is either `'static` or owned by the
//! `rd_kafka_error_t` it came from. That includes the text for a code the
//! library does not know: it is made once per code and kept for the life of
//! the process ([`unknown_code_text`]), so no later call can free or
//! overwrite a string an earlier call returned.

use crate::error::{rd_kafka_resp_err_t, ErrorCode};
use crate::ffi::handle::{borrow, into_ptr, take};
use crate::ffi::types::{rd_kafka_err_desc, rd_kafka_error_t, rd_kafka_resp_err_raw, rd_kafka_t};
use libc::{c_char, c_int, size_t};
use std::collections::BTreeMap;
use std::ffi::{CStr, CString};
use std::ptr;

/// The error object behind `rd_kafka_error_t *`, owned as a `Box` by
/// whoever holds the pointer until `rd_kafka_error_destroy()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KafkaError {
    code: ErrorCode,
    /// `None` means "use the code's description".
    message: Option<CString>,
    fatal: bool,
    retriable: bool,
    txn_requires_abort: bool,
}

impl KafkaError {
    /// An error with no flags set, as `rd_kafka_error_new()` makes. An
    /// empty `message` falls back to the code's description; text after an
    /// embedded NUL is dropped because C could never see it.
    pub fn new(code: ErrorCode, message: impl Into<Vec<u8>>) -> Self {
        let mut bytes = message.into();
        if let Some(nul) = bytes.iter().position(|&b| b == 0) {
            bytes.truncate(nul);
        }
        let message = if bytes.is_empty() {
            None
        } else {
            CString::new(bytes).ok()
        };
        KafkaError {
            code,
            message,
            fatal: false,
            retriable: false,
            txn_requires_abort: false,
        }
    }

    pub fn fatal(mut self) -> Self {
        self.fatal = true;
        self
    }

    pub fn retriable(mut self) -> Self {
        self.retriable = true;
        self
    }

    pub fn txn_requires_abort(mut self) -> Self {
        self.txn_requires_abort = true;
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn is_fatal(&self) -> bool {
        self.fatal
    }

    pub fn is_retriable(&self) -> bool {
        self.retriable
    }

    pub fn requires_txn_abort(&self) -> bool {
        self.txn_requires_abort
    }

    /// The message, or the code's description when none was given.
    pub fn message(&self) -> &CStr {
        match &self.message {
            Some(message) => message,
            None => code_description(self.code.code()),
        }
    }

    /// Hands the error to C; it is released by `rd_kafka_error_destroy()`.
    pub fn into_ptr(self) -> *mut rd_kafka_error_t {
        into_ptr(self)
    }
}

/// Shorthand for other modules: a flagless error object for C.
pub fn new_error_ptr(code: ErrorCode, msg: String) -> *mut rd_kafka_error_t {
    KafkaError::new(code, msg).into_ptr()
}

/// Number of slots in the `rd_kafka_get_err_descs()` table: one per value
/// from `_BEGIN` up to the last real broker code (`END_ALL` excluded).
const ERR_DESC_COUNT: usize = (ErrorCode::RD_KAFKA_RESP_ERR_END_ALL.code()
    - ErrorCode::RD_KAFKA_RESP_ERR__BEGIN.code()) as usize;

/// Indexed by `code - _BEGIN`, as librdkafka's is, so bindings may look a
/// code up directly. Unassigned values have every field zeroed; the range
/// markers have a name but no description.
static ERR_DESCS: [rd_kafka_err_desc; ERR_DESC_COUNT] = build_err_descs();

const fn build_err_descs() -> [rd_kafka_err_desc; ERR_DESC_COUNT] {
    const EMPTY: rd_kafka_err_desc = rd_kafka_err_desc {
        code: ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
        name: ptr::null(),
        desc: ptr::null(),
    };
    let mut table = [EMPTY; ERR_DESC_COUNT];
    let mut i = 0;
    while i < ERR_DESC_COUNT {
        let value = ErrorCode::RD_KAFKA_RESP_ERR__BEGIN.code() + i as i32;
        if let Some(code) = ErrorCode::from_code(value) {
            table[i] = rd_kafka_err_desc {
                code,
                name: code.c_name().as_ptr(),
                desc: match code.c_description() {
                    Some(desc) => desc.as_ptr(),
                    None => ptr::null(),
                },
            };
        }
        i += 1;
    }
    table
}

/// Which lookup an unknown code's text was made for.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum UnknownText {
    /// `rd_kafka_err2str`: "Err-<N>?"
    Description,
    /// `rd_kafka_err2name`: "ERR_<N>?"
    Name,
}

/// At most this many distinct unknown codes get a text of their own; after
/// that a generic one is returned, so a caller looping over every `int`
/// cannot make the library grow without bound.
const MAX_UNKNOWN_TEXTS: usize = 1024;

/// Texts made for unknown codes, kept for the life of the process: C may
/// hold a returned pointer as long as it likes (librdkafka's are static
/// too), so they are never freed or reused.
static UNKNOWN_TEXTS: parking_lot::Mutex<BTreeMap<(UnknownText, i32), &'static CStr>> =
    parking_lot::const_mutex(BTreeMap::new());

/// The process-lifetime text for an unknown `code`, made on first use.
fn unknown_code_text(kind: UnknownText, code: i32) -> *const c_char {
    let mut texts = UNKNOWN_TEXTS.lock();
    if let Some(text) = texts.get(&(kind, code)) {
        return text.as_ptr();
    }
    if texts.len() >= MAX_UNKNOWN_TEXTS {
        return match kind {
            UnknownText::Description => c"Err-?".as_ptr(),
            UnknownText::Name => c"ERR_?".as_ptr(),
        };
    }
    let formatted = match kind {
        UnknownText::Description => format!("Err-{code}?"),
        UnknownText::Name => format!("ERR_{code}?"),
    };
    // A formatted number never contains NUL.
    let text: &'static CStr = Box::leak(
        CString::new(formatted)
            .unwrap_or_default()
            .into_boxed_c_str(),
    );
    texts.insert((kind, code), text);
    text.as_ptr()
}

/// Description of a known error value, if it has one (markers do not).
fn known_description(raw: rd_kafka_resp_err_raw) -> Option<&'static CStr> {
    ErrorCode::from_code(raw).and_then(ErrorCode::c_description)
}

/// Description of `raw` for Rust callers; unknown values get a generic text.
fn code_description(raw: rd_kafka_resp_err_raw) -> &'static CStr {
    known_description(raw).unwrap_or(c"Unknown error code")
}

/// Human-readable text for an error code; unknown values give `Err-<N>?`.
#[no_mangle]
pub extern "C" fn rd_kafka_err2str(err: rd_kafka_resp_err_raw) -> *const c_char {
    ffi_boundary!(c"Err-?".as_ptr(), {
        match known_description(err) {
            Some(desc) => desc.as_ptr(),
            None => unknown_code_text(UnknownText::Description, err),
        }
    })
}

/// The code's enum name without the `RD_KAFKA_RESP_ERR_` prefix; unknown
/// values (and the range markers) give `ERR_<N>?`.
#[no_mangle]
pub extern "C" fn rd_kafka_err2name(err: rd_kafka_resp_err_raw) -> *const c_char {
    ffi_boundary!(c"ERR_?".as_ptr(), {
        match known_description(err).and(ErrorCode::from_code(err)) {
            Some(code) => code.c_name().as_ptr(),
            None => unknown_code_text(UnknownText::Name, err),
        }
    })
}

/// Returns the full error table and its length; see [`ERR_DESCS`].
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_get_err_descs(
    errdescs: *mut *const rd_kafka_err_desc,
    cntp: *mut size_t,
) {
    ffi_boundary!((), {
        if !errdescs.is_null() {
            *errdescs = ERR_DESCS.as_ptr();
        }
        if !cntp.is_null() {
            *cntp = ERR_DESCS.len();
        }
    })
}

/// The error left by the last legacy call on this thread.
#[no_mangle]
pub extern "C" fn rd_kafka_last_error() -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        crate::ffi::last_error::last_error()
    })
}

/// Translates an `errno` left by a legacy call into an error code.
#[deprecated(note = "use rd_kafka_last_error()")]
#[no_mangle]
pub extern "C" fn rd_kafka_errno2err(errnox: c_int) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        crate::ffi::last_error::errno_to_code(errnox)
    })
}

/// This thread's `errno`, for bindings that cannot read it directly.
#[deprecated(note = "use rd_kafka_last_error()")]
#[no_mangle]
pub extern "C" fn rd_kafka_errno() -> c_int {
    // SAFETY: __errno_location() returns this thread's errno slot.
    ffi_boundary!(0, { unsafe { *libc::__errno_location() } })
}

/// The fatal error raised on `rk`, if any: its original code (never
/// `__FATAL`), with its reason written to `errstr`.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_fatal_error(
    rk: *mut rd_kafka_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR, {
        match crate::ffi::kafka::handle(rk).and_then(|h| h.client().fatal_error()) {
            Some((err, reason)) => {
                crate::ffi::boundary::write_errstr(errstr, errstr_size, &reason);
                err
            }
            None => ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
        }
    })
}

/// Raises a fabricated fatal error `err` (for testing an application's
/// handling); `__PREV_IN_PROGRESS` if a fatal error was raised before.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_test_fatal_error(
    rk: *mut rd_kafka_t,
    err: rd_kafka_resp_err_raw,
    reason: *const c_char,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG, {
        let Some(h) = crate::ffi::kafka::handle(rk) else {
            return ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG;
        };
        let reason = if reason.is_null() {
            String::new()
        } else {
            std::ffi::CStr::from_ptr(reason)
                .to_string_lossy()
                .into_owned()
        };
        let err = ErrorCode::from_code(err).unwrap_or(ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN);
        if h.client().test_fatal_error(err, &reason) {
            ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR
        } else {
            ErrorCode::RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS
        }
    })
}

/// The librdkafka API level implemented, `RD_KAFKA_VERSION`'s format.
#[no_mangle]
pub extern "C" fn rd_kafka_version() -> c_int {
    ffi_boundary!(crate::ffi::types::RD_KAFKA_VERSION, {
        crate::ffi::types::RD_KAFKA_VERSION
    })
}

/// Version text: the librdkafka API level first (so parsers of
/// "major.minor.revision" see 2.0.2), then what actually implements it.
#[no_mangle]
pub extern "C" fn rd_kafka_version_str() -> *const c_char {
    ffi_boundary!(ptr::null(), {
        const VERSION: &str = concat!("2.0.2-ferrokafka-", env!("CARGO_PKG_VERSION"), "\0");
        VERSION.as_ptr().cast()
    })
}

/// Backs the variadic `rd_kafka_error_new()` in `producev.c`, which does
/// the printf formatting; `msg` may be NULL. Not part of the public header.
#[no_mangle]
pub unsafe extern "C" fn ferrokafka_error_new_str(
    code: rd_kafka_resp_err_raw,
    msg: *const c_char,
) -> *mut rd_kafka_error_t {
    ffi_boundary!(ptr::null_mut(), {
        // An unknown code from C still yields an error object, like
        // librdkafka's, but one that says so instead of holding a bad enum.
        let (code, prefix) = match ErrorCode::from_code(code) {
            Some(code) => (code, String::new()),
            None => (
                ErrorCode::RD_KAFKA_RESP_ERR_UNKNOWN,
                format!("(unknown error code {code}) "),
            ),
        };
        let text = if msg.is_null() {
            Vec::new()
        } else {
            CStr::from_ptr(msg).to_bytes().to_vec()
        };
        let text = if prefix.is_empty() {
            text
        } else {
            [prefix.into_bytes(), text].concat()
        };
        KafkaError::new(code, text).into_ptr()
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_error_code(
    error: *const rd_kafka_error_t,
) -> rd_kafka_resp_err_t {
    ffi_boundary!(ErrorCode::RD_KAFKA_RESP_ERR__FAIL, {
        borrow(error).map_or(ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR, KafkaError::code)
    })
}

/// Name of the object's code; `""` for a NULL object.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_error_name(error: *const rd_kafka_error_t) -> *const c_char {
    ffi_boundary!(c"".as_ptr(), {
        match borrow(error) {
            Some(error) => error.code().c_name().as_ptr(),
            None => c"".as_ptr(),
        }
    })
}

/// The object's message, valid until it is destroyed; `""` for NULL.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_error_string(error: *const rd_kafka_error_t) -> *const c_char {
    ffi_boundary!(c"".as_ptr(), {
        match borrow(error) {
            Some(error) => error.message().as_ptr(),
            None => c"".as_ptr(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_error_is_fatal(error: *const rd_kafka_error_t) -> c_int {
    ffi_boundary!(0, {
        borrow(error).is_some_and(KafkaError::is_fatal) as c_int
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_error_is_retriable(error: *const rd_kafka_error_t) -> c_int {
    ffi_boundary!(0, {
        borrow(error).is_some_and(KafkaError::is_retriable) as c_int
    })
}

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_error_txn_requires_abort(
    error: *const rd_kafka_error_t,
) -> c_int {
    ffi_boundary!(0, {
        borrow(error).is_some_and(KafkaError::requires_txn_abort) as c_int
    })
}

/// Releases an error object; NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn rd_kafka_error_destroy(error: *mut rd_kafka_error_t) {
    ffi_boundary!((), {
        drop(take(error));
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::variadic::rd_kafka_error_new;
    use rd_kafka_resp_err_t::*;

    fn text(p: *const c_char) -> String {
        unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned()
    }

    #[test]
    fn err2str_and_err2name_for_known_codes() {
        assert_eq!(text(rd_kafka_err2str(0)), "Success");
        assert_eq!(text(rd_kafka_err2name(0)), "NO_ERROR");
        assert_eq!(text(rd_kafka_err2name(-184)), "_QUEUE_FULL");
        assert!(text(rd_kafka_err2str(-184)).starts_with("Local: "));
        assert!(text(rd_kafka_err2str(6)).starts_with("Broker: "));
        assert_eq!(text(rd_kafka_err2name(-1)), "UNKNOWN");
    }

    #[test]
    fn err2str_and_err2name_for_unknown_codes() {
        assert_eq!(text(rd_kafka_err2str(12345)), "Err-12345?");
        assert_eq!(text(rd_kafka_err2name(-139)), "ERR_-139?");
        // Range markers are not errors.
        assert_eq!(text(rd_kafka_err2str(-200)), "Err--200?");
        assert_eq!(text(rd_kafka_err2name(-100)), "ERR_-100?");
        assert_eq!(text(rd_kafka_err2name(98)), "ERR_98?");
    }

    #[test]
    fn unknown_code_texts_outlive_later_lookups() {
        // C keeps the pointers it was given (librdkafka's are static): an
        // earlier version freed the previous text on the next call. Under
        // Miri, reading the first pointers after many more lookups (some
        // from another thread) would report a use-after-free.
        let first_str = rd_kafka_err2str(77_001);
        let first_name = rd_kafka_err2name(77_001);
        let others = std::thread::spawn(|| {
            (0..20)
                .map(|i| rd_kafka_err2str(77_100 + i) as usize)
                .collect::<Vec<_>>()
        });
        for i in 0..20 {
            rd_kafka_err2name(77_200 + i);
            rd_kafka_err2str(77_200 + i);
        }
        let others = others.join().unwrap();
        assert_eq!(text(first_str), "Err-77001?");
        assert_eq!(text(first_name), "ERR_77001?");
        assert_eq!(text(others[19] as *const c_char), "Err-77119?");
        // The same code gives the same pointer.
        assert_eq!(rd_kafka_err2str(77_001), first_str);
    }

    #[test]
    fn err_descs_table_is_indexed_by_code() {
        let mut descs: *const rd_kafka_err_desc = ptr::null();
        let mut cnt: size_t = 0;
        unsafe { rd_kafka_get_err_descs(&mut descs, &mut cnt) };
        assert_eq!(cnt, 298);
        let table = unsafe { std::slice::from_raw_parts(descs, cnt) };
        let mut described = 0;
        for (i, entry) in table.iter().enumerate() {
            let value = i as i32 - 200;
            match ErrorCode::from_code(value) {
                Some(code) => {
                    assert_eq!(entry.code, code);
                    assert_eq!(text(entry.name), code.name());
                }
                None => {
                    assert!(entry.name.is_null() && entry.desc.is_null());
                    assert_eq!(entry.code, RD_KAFKA_RESP_ERR_NO_ERROR);
                }
            }
            if !entry.desc.is_null() {
                described += 1;
                assert_eq!(text(entry.desc), text(rd_kafka_err2str(value)));
            }
        }
        // 162 codes minus _BEGIN, _END (in the table) and END_ALL (beyond it).
        assert_eq!(described, 159);
    }

    #[test]
    fn error_object_round_trip() {
        let err = KafkaError::new(RD_KAFKA_RESP_ERR__STATE, "not now")
            .retriable()
            .into_ptr();
        unsafe {
            assert_eq!(rd_kafka_error_code(err), RD_KAFKA_RESP_ERR__STATE);
            assert_eq!(text(rd_kafka_error_name(err)), "_STATE");
            assert_eq!(text(rd_kafka_error_string(err)), "not now");
            assert_eq!(rd_kafka_error_is_retriable(err), 1);
            assert_eq!(rd_kafka_error_is_fatal(err), 0);
            assert_eq!(rd_kafka_error_txn_requires_abort(err), 0);
            rd_kafka_error_destroy(err);
        }
    }

    #[test]
    fn error_object_without_message_uses_description() {
        let err = new_error_ptr(RD_KAFKA_RESP_ERR__FATAL, String::new());
        unsafe {
            assert_eq!(
                text(rd_kafka_error_string(err)),
                text(rd_kafka_err2str(-150))
            );
            rd_kafka_error_destroy(err);
        }
        let err = KafkaError::new(RD_KAFKA_RESP_ERR__FATAL, "a\0b").fatal();
        assert_eq!(err.message().to_str().unwrap(), "a");
        assert!(err.is_fatal());
    }

    #[test]
    fn null_error_objects_are_harmless() {
        unsafe {
            assert_eq!(rd_kafka_error_code(ptr::null()), RD_KAFKA_RESP_ERR_NO_ERROR);
            assert_eq!(text(rd_kafka_error_string(ptr::null())), "");
            assert_eq!(rd_kafka_error_is_fatal(ptr::null()), 0);
            rd_kafka_error_destroy(ptr::null_mut());
        }
    }

    #[test]
    #[cfg_attr(
        miri,
        ignore = "calls the C shim rd_kafka_error_new (producev.c), which Miri cannot run"
    )]
    fn error_new_formats_in_c() {
        let err = unsafe {
            rd_kafka_error_new(
                RD_KAFKA_RESP_ERR__INVALID_ARG.code(),
                c"bad %s #%d".as_ptr(),
                c"thing".as_ptr(),
                7 as c_int,
            )
        };
        unsafe {
            assert_eq!(rd_kafka_error_code(err), RD_KAFKA_RESP_ERR__INVALID_ARG);
            assert_eq!(text(rd_kafka_error_string(err)), "bad thing #7");
            rd_kafka_error_destroy(err);
        }
        let err = unsafe { rd_kafka_error_new(4242, ptr::null()) };
        unsafe {
            assert_eq!(rd_kafka_error_code(err), RD_KAFKA_RESP_ERR_UNKNOWN);
            assert!(text(rd_kafka_error_string(err)).contains("4242"));
            rd_kafka_error_destroy(err);
        }
    }

    #[test]
    fn version_matches_the_api_level() {
        assert_eq!(rd_kafka_version(), 0x020002ff);
        assert!(text(rd_kafka_version_str()).starts_with("2.0.2-ferrokafka-"));
    }

    #[test]
    fn last_error_is_visible_through_the_c_api() {
        crate::ffi::last_error::set_last_error(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC);
        assert_eq!(rd_kafka_last_error(), RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC);
        #[allow(deprecated)]
        {
            assert_eq!(rd_kafka_errno(), libc::ENOENT);
            assert_eq!(
                rd_kafka_errno2err(libc::ENOBUFS),
                RD_KAFKA_RESP_ERR__QUEUE_FULL
            );
        }
    }
}
