//! The C ABI: thin `extern "C"` functions over the Rust core.
//!
//! Rules every exported function follows (see DESIGN.md, "FFI boundary"):
//! - its body runs inside [`ffi_boundary!`], so a panic becomes the
//!   function's documented failure value instead of unwinding into C;
//! - pointers from C are checked for NULL before use: [`handle::borrow`]
//!   gives `None` for NULL;
//! - each opaque handle type states its ownership once (Box, Arc or
//!   borrowed) and is converted only through the helpers in [`handle`].

#[macro_use]
pub mod boundary;
pub mod admin;
pub mod background;
pub mod callbacks;
pub mod conf;
pub mod consumer;
pub mod error;
pub mod event;
pub mod group_list;
pub mod handle;
pub mod headers;
pub mod interceptor;
pub mod kafka;
pub mod last_error;
pub mod legacy_consumer;
pub mod log;
pub mod message;
pub mod metadata;
pub mod misc;
pub mod mock;
pub mod partition_list;
pub mod partitioner;
pub mod plugin;
pub mod produce;
pub mod queue;
pub mod sasl;
pub mod topic;
pub mod txn;
pub mod types;
pub mod variadic;
