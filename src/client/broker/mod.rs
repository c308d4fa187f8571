//! A broker: the handle every thread uses to reach it (`handle`), and its
//! I/O thread (`thread`: the loop, requests in flight; `lifecycle`:
//! connect, ApiVersions, disconnect and reconnect backoff).

pub mod handle;
mod lifecycle;
pub mod thread;
