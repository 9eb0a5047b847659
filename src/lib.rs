//! Kezek: a fair, transparent kindergarten waiting queue.
//! The library holds everything; `src/main.rs` only parses the command line.

pub mod accounts;
pub mod app;
pub mod applications;
pub mod audit;
pub mod cache;
pub mod calendar_days;
pub mod children;
pub mod cli;
pub mod clock;
pub mod config;
pub mod csv_file;
pub mod db;
pub mod demo;
pub mod directions;
pub mod documents;
pub mod i18n;
pub mod loadgen;
pub mod notifications;
pub mod orgs;
pub mod outbox;
pub mod outside;
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
pub mod web;
pub mod xml;

/// The pure rules live in their own crate, which cannot reach a database or the network.
pub use kezek_domain as domain;
