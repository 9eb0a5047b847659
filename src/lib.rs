//! Kezek: a fair, transparent kindergarten waiting queue.
//! The library holds everything; `src/main.rs` only parses the command line.

pub mod domain;
pub mod registry;
pub mod sms;
