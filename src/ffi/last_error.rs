//! The per-thread "last error" librdkafka's legacy calls (those returning
//! -1 or NULL: `rd_kafka_produce()`, `rd_kafka_topic_new()`, ...) leave
//! behind for `rd_kafka_last_error()`, and the C `errno` they set with it.

use crate::error::ErrorCode;
use std::cell::Cell;

thread_local! {
    static LAST_ERROR: Cell<ErrorCode> = const { Cell::new(ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR) };
}

/// Records `code` as this thread's last error, as librdkafka's legacy calls
/// (`rd_kafka_produce()`, `rd_kafka_topic_new()`, ...) do before returning
/// -1 or NULL. Also sets the C `errno` to the matching value, because old
/// applications test `errno` (e.g. `ENOBUFS` for a full queue) instead.
pub fn set_last_error(code: ErrorCode) {
    LAST_ERROR.with(|last| last.set(code));
    let errno = errno_for(code);
    if errno != 0 {
        // SAFETY: __errno_location() returns this thread's errno slot.
        unsafe { *libc::__errno_location() = errno };
    }
}

/// This thread's last error recorded by [`set_last_error`].
pub fn last_error() -> ErrorCode {
    LAST_ERROR.with(|last| last.get())
}

/// Maps an `errno` value to the error code librdkafka's legacy API implies
/// (`rd_kafka_errno2err()`); anything unlisted is a generic failure.
pub fn errno_to_code(errno: i32) -> ErrorCode {
    use crate::error::rd_kafka_resp_err_t::*;
    match errno {
        libc::EINVAL => RD_KAFKA_RESP_ERR__INVALID_ARG,
        libc::EBUSY => RD_KAFKA_RESP_ERR__CONFLICT,
        libc::ENOENT => RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
        libc::ESRCH => RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
        libc::ETIMEDOUT => RD_KAFKA_RESP_ERR__TIMED_OUT,
        libc::EMSGSIZE => RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
        libc::ENOBUFS => RD_KAFKA_RESP_ERR__QUEUE_FULL,
        libc::ECANCELED => RD_KAFKA_RESP_ERR__FATAL,
        _ => RD_KAFKA_RESP_ERR__FAIL,
    }
}

/// The inverse of [`errno_to_code`] for the codes it produces; `EINVAL` for
/// any other error (librdkafka's legacy calls report a refusal they have no
/// better errno for so), 0 for no error.
pub fn errno_for(code: ErrorCode) -> i32 {
    use crate::error::rd_kafka_resp_err_t::*;
    match code {
        RD_KAFKA_RESP_ERR__INVALID_ARG => libc::EINVAL,
        RD_KAFKA_RESP_ERR__CONFLICT => libc::EBUSY,
        RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC => libc::ENOENT,
        RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION => libc::ESRCH,
        RD_KAFKA_RESP_ERR__TIMED_OUT => libc::ETIMEDOUT,
        RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE => libc::EMSGSIZE,
        RD_KAFKA_RESP_ERR__QUEUE_FULL => libc::ENOBUFS,
        RD_KAFKA_RESP_ERR__FATAL => libc::ECANCELED,
        RD_KAFKA_RESP_ERR_NO_ERROR => 0,
        _ => libc::EINVAL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::rd_kafka_resp_err_t::*;

    #[test]
    fn last_error_is_per_thread_and_sets_errno() {
        set_last_error(RD_KAFKA_RESP_ERR__QUEUE_FULL);
        assert_eq!(last_error(), RD_KAFKA_RESP_ERR__QUEUE_FULL);
        assert_eq!(unsafe { *libc::__errno_location() }, libc::ENOBUFS);
        let other = std::thread::spawn(last_error).join().unwrap();
        assert_eq!(other, RD_KAFKA_RESP_ERR_NO_ERROR);
        set_last_error(RD_KAFKA_RESP_ERR_NO_ERROR);
        assert_eq!(last_error(), RD_KAFKA_RESP_ERR_NO_ERROR);
    }

    #[test]
    fn errno_mapping_round_trips() {
        for errno in [
            libc::EINVAL,
            libc::EBUSY,
            libc::ENOENT,
            libc::ESRCH,
            libc::ETIMEDOUT,
            libc::EMSGSIZE,
            libc::ENOBUFS,
            libc::ECANCELED,
        ] {
            assert_eq!(errno_for(errno_to_code(errno)), errno);
        }
        assert_eq!(errno_to_code(0), RD_KAFKA_RESP_ERR__FAIL);
        assert_eq!(errno_to_code(libc::EPIPE), RD_KAFKA_RESP_ERR__FAIL);
    }

    #[test]
    fn errors_without_an_errno_of_their_own_are_einval() {
        assert_eq!(errno_for(RD_KAFKA_RESP_ERR__DESTROY), libc::EINVAL);
        assert_eq!(errno_for(RD_KAFKA_RESP_ERR_NO_ERROR), 0);
    }
}
