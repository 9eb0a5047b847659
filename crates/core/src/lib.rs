//! Kezek's services and the adapters they use: what the `kezek` command, the web pages and the
//! background jobs share. The pure rules are in `kezek-domain`, re-exported as `domain`.

pub mod accounts;
pub mod app;
pub mod applications;
pub mod audit;
pub mod cache;
pub mod calendar_days;
pub mod children;
pub mod clock;
pub mod config;
pub mod csv_file;
/// The storage layer, where every SQL statement lives.
pub use kezek_storage as db;
pub mod directions;
pub mod documents;
pub mod i18n;
pub mod jobs;
pub mod notifications;
pub mod orgs;
pub mod outbox;
pub mod outside;
pub mod paging;
pub mod portal;
pub mod queue;
pub mod reference;
pub mod region_rules;
pub mod registry;
pub mod reviews;
pub mod sms;
pub mod staff;
pub mod stats;
pub mod storage;
pub mod tokens;
pub mod xml;

/// The pure rules live in their own crate, which cannot reach a database or the network.
pub use kezek_domain as domain;
