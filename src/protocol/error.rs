//! Errors of the wire codec.
//!
//! Decoding errors never carry the offending bytes: callers log the error and
//! drop the connection, and a copy of hostile input helps nobody.

use std::fmt;

/// Kafka error codes of topic ids (KIP-516) that librdkafka 2.0.2's
/// `rd_kafka_resp_err_t`, and so `ErrorCode`, has no names for: the broker
/// does not know the topic id a request named, or knows the topic under
/// another id (deleted and re-created).
pub(crate) const UNKNOWN_TOPIC_ID: i16 = 100;
pub(crate) const INCONSISTENT_TOPIC_ID: i16 = 103;

/// Why bytes received from a peer could not be turned into a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The input ended before the value being read was complete.
    Truncated,
    /// A length or count prefix is negative (where not allowed) or larger than
    /// the bytes that follow it.
    InvalidLength(i64),
    /// A string field is not valid UTF-8.
    InvalidUtf8,
    /// The message version is outside the range this codec implements.
    UnsupportedVersion { api_key: i16, version: i16 },
    /// A frame announces more bytes than the configured maximum.
    FrameTooLarge { size: usize, max: usize },
    /// Structurally invalid data (bad magic, varint overflow, CRC mismatch...).
    Corrupt(&'static str),
    /// A compressed record set could not be decompressed.
    Compression(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated => f.write_str("input ended in the middle of a value"),
            DecodeError::InvalidLength(n) => {
                write!(f, "length prefix {n} does not fit the remaining input")
            }
            DecodeError::InvalidUtf8 => f.write_str("string field is not valid UTF-8"),
            DecodeError::UnsupportedVersion { api_key, version } => {
                write!(f, "version {version} of API {api_key} is not implemented")
            }
            DecodeError::FrameTooLarge { size, max } => {
                write!(f, "frame of {size} bytes exceeds the limit of {max} bytes")
            }
            DecodeError::Corrupt(what) => write!(f, "corrupt data: {what}"),
            DecodeError::Compression(msg) => write!(f, "decompression failed: {msg}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Why a message could not be serialized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// The requested version is outside the range this codec implements.
    UnsupportedVersion { api_key: i16, version: i16 },
    /// A value does not fit its length prefix (e.g. a string over 32767 bytes).
    TooLarge(&'static str),
    /// The compression codec failed.
    Compression(String),
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::UnsupportedVersion { api_key, version } => {
                write!(f, "version {version} of API {api_key} is not implemented")
            }
            EncodeError::TooLarge(what) => write!(f, "{what} is too large for its length field"),
            EncodeError::Compression(msg) => write!(f, "compression failed: {msg}"),
        }
    }
}

impl std::error::Error for EncodeError {}
