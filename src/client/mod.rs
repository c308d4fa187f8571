//! placeholder
pub mod headers;
