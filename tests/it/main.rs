//! Integration tests through the real router, on SQLite or PostgreSQL (`KEZEK_TEST_DB`).

#[path = "../support/harness.rs"]
mod harness;

mod accounts;
mod cli;
mod outbox;
mod pages;
mod security;
