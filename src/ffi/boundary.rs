//! Panic boundary and argument-checking macros shared by every FFI module.

/// Runs `$body` and turns a panic into `$on_panic`, so no Rust panic ever
/// unwinds across the C boundary. The panic message is recorded as the
/// thread's last error string for diagnostics.
#[macro_export]
macro_rules! ffi_boundary {
    ($on_panic:expr, $body:block) => {{
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(value) => value,
            Err(payload) => {
                $crate::ffi::boundary::report_panic(payload);
                $on_panic
            }
        }
    }};
}

/// Records a caught panic so it is visible (stderr) rather than silently lost.
pub fn report_panic(payload: Box<dyn std::any::Any + Send>) {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    eprintln!("ferrokafka: internal error caught at the C boundary: {message}");
}

/// Writes `msg` into a caller-provided `errstr` buffer of `size` bytes,
/// truncating and always NUL-terminating, as librdkafka does.
///
/// # Safety
/// `errstr` must be NULL or point to `size` writable bytes.
pub unsafe fn write_errstr(errstr: *mut libc::c_char, size: usize, msg: &str) {
    if errstr.is_null() || size == 0 {
        return;
    }
    let n = msg.len().min(size - 1);
    std::ptr::copy_nonoverlapping(msg.as_ptr(), errstr as *mut u8, n);
    *errstr.add(n) = 0;
}

/// Reads a NUL-terminated C string as UTF-8 (lossy), or `None` for NULL.
///
/// # Safety
/// `s` must be NULL or a valid NUL-terminated string.
pub unsafe fn c_str<'a>(s: *const libc::c_char) -> Option<std::borrow::Cow<'a, str>> {
    if s.is_null() {
        None
    } else {
        Some(std::ffi::CStr::from_ptr(s).to_string_lossy())
    }
}
