//! Page handlers, one file per area.

pub mod auth;
pub mod cabinet;
pub mod org;
pub mod public;
