//! The Admin API's C layer: objects the application builds, the calls,
//! and the result events' accessors. The work happens in
//! `client::admin`; these functions convert and delegate.

pub mod acls;
pub mod call;
pub mod configs;
pub mod groups;
pub mod node;
pub mod options;
pub mod records;
pub mod results;
pub mod topics;
