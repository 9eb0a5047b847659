//! Accounts: users, the applicant behind a parent account and staff bindings (`users`),
//! server-side sessions (`sessions`), one-time SMS codes (`codes`) and sign-ups in progress
//! (`flows`), password checks the lockout counts (`login_attempts`) and the server's own
//! secrets (`secrets`). Tokens and codes arrive here already hashed.

pub mod codes;
pub mod flows;
pub mod login_attempts;
pub mod secrets;
pub mod sessions;
pub mod users;

use crate::{Error, Executor};

/// Takes PostgreSQL's transaction-scoped advisory lock on `key` (a phone number's digits).
pub async fn lock_phone(e: impl Executor<'_>, key: i64) -> Result<(), Error> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(key)
        .execute(e)
        .await?;
    Ok(())
}
