//! Page handlers, one file per area.

pub mod admin;
pub mod application_form;
pub mod applications;
pub mod auth;
pub mod cabinet;
pub mod children;
pub mod department;
pub mod directions;
pub mod documents;
pub mod moderation;
pub mod notifications;
pub mod org;
pub mod org_forms;
pub mod org_reviews;
pub mod portal;
pub mod public;
pub mod queue;
pub mod reviews;
pub mod statistics;
pub mod verification;
