//! Prototypes of the C API's variadic functions. Stable Rust cannot define
//! variadic functions, so they are implemented in C (`producev.c`, compiled
//! by `build.rs`); declaring them here puts them in the generated header
//! and lets Rust tests call them.

use crate::error::rd_kafka_resp_err_t;
use crate::ffi::types::{rd_kafka_error_t, rd_kafka_resp_err_raw, rd_kafka_t};
use libc::c_char;

// The pointees are opaque markers that only ever travel by pointer, which
// is exactly how C declares them; the lint cannot know that.
#[allow(improper_ctypes)]
extern "C" {
    /// Produces one message described by `RD_KAFKA_V_*(...)` arguments
    /// ending with `RD_KAFKA_V_END`; forwards to `rd_kafka_produceva()`.
    pub fn rd_kafka_producev(rk: *mut rd_kafka_t, ...) -> rd_kafka_resp_err_t;

    /// Creates an error object with a printf-formatted message (`fmt` may
    /// be NULL); forwards to `ferrokafka_error_new_str()`.
    pub fn rd_kafka_error_new(
        code: rd_kafka_resp_err_raw,
        fmt: *const c_char,
        ...
    ) -> *mut rd_kafka_error_t;
}
