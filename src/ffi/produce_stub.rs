//! TEMPORARY: stands in for the producer's `rd_kafka_produceva()` so the
//! `rd_kafka_producev()` shim links and the header declares it. The lead
//! replaces this file with the real implementation.

use crate::error::ErrorCode;
use crate::ffi::error::new_error_ptr;
use crate::ffi::types::{rd_kafka_error_t, rd_kafka_t, rd_kafka_vu_t};
use libc::size_t;

#[no_mangle]
pub unsafe extern "C" fn rd_kafka_produceva(
    rk: *mut rd_kafka_t,
    vus: *const rd_kafka_vu_t,
    cnt: size_t,
) -> *mut rd_kafka_error_t {
    let _ = (rk, vus, cnt);
    new_error_ptr(
        ErrorCode::RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED,
        "rd_kafka_produceva() is not implemented yet".to_string(),
    )
}
