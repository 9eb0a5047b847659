//! Integration tests through the real router, on SQLite or PostgreSQL (`KEZEK_TEST_DB`).

#[path = "../support/harness.rs"]
mod harness;

mod accounts;
mod accounts_hardening;
mod admin_cabinet;
mod admin_rules;
mod api;
mod api_portal;
mod api_statistics;
mod application_form;
mod applications;
mod applications_pages;
mod children;
mod cli;
mod department_cabinet;
mod directions;
mod directions_processes;
mod documents;
mod fixtures;
mod loadgen;
mod notifications;
mod org_cabinet;
mod orgs_import;
mod outbox;
mod pages;
mod portal;
mod queue;
mod read_models;
mod reference;
mod registry_lookups;
mod registry_status;
mod reviews;
mod security;
mod server;
mod shedding;
mod statistics;
mod vacancies;
mod verification;
