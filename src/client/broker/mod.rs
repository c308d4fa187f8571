//! A broker: the handle every thread uses to reach it (`handle`), and its
//! I/O thread (`thread`: the loop and the one table of requests in flight;
//! `lifecycle`: connect, ApiVersions, SASL authentication, disconnect and
//! reconnect backoff), which owns the broker's produce path (`sink`) and
//! fetch path (`source`).

pub mod handle;
mod lifecycle;
mod sink;
mod source;
pub mod thread;
