//! ferrokafka: a Kafka client library written in Rust that exports
//! librdkafka's C API (see `include/librdkafka/rdkafka.h`).
//!
//! Layering (see DESIGN.md):
//! - [`protocol`]: the Kafka wire codec and nothing else.
//! - [`abi`]: the C layouts and constants the core shares with the C API
//!   (the message struct, special offsets); imports nothing from the crate.
//! - [`error`], [`config`], [`partitioner`]: self-contained building blocks.
//! - [`client`]: the thread-based client core (broker I/O threads, main thread,
//!   producer, queues), idiomatic Rust with no C types beyond the ABI structs.
//! - [`ffi`]: the thin `extern "C"` layer over the core.
#![allow(clippy::missing_safety_doc)]

pub mod client;
pub mod config;
pub mod error;

// Declared just before `ffi`: cbindgen emits items in declaration order, and
// here its constants land where the header has always had them.
pub mod abi;
pub mod ffi;
pub mod mock;
pub mod partitioner;
pub mod protocol;
pub mod sasl;
pub mod self_check;

#[cfg(test)]
mod test_alloc;
