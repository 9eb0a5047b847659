//! One-time SMS codes, stored hashed; each row is one SMS sent, so the same rows are the
//! ledger the send limits count.

use sqlx::FromRow;

use crate::{Error, Executor};

/// Send times (unix seconds) to `phone` after `after`.
pub async fn sent_to_phone(
    e: impl Executor<'_>,
    phone: &str,
    after: i64,
) -> Result<Vec<i64>, Error> {
    sqlx::query_scalar("SELECT created_at FROM otp_codes WHERE phone = $1 AND created_at > $2")
        .bind(phone)
        .bind(after)
        .fetch_all(e)
        .await
}

/// Send times (unix seconds) from `ip` after `after`.
pub async fn sent_from_ip(e: impl Executor<'_>, ip: &str, after: i64) -> Result<Vec<i64>, Error> {
    sqlx::query_scalar("SELECT created_at FROM otp_codes WHERE ip = $1 AND created_at > $2")
        .bind(ip)
        .bind(after)
        .fetch_all(e)
        .await
}

/// The latest unused code of a phone and purpose.
#[derive(Debug, Clone, FromRow)]
pub struct CodeRow {
    pub id: i64,
    pub code_hash: String,
    pub expires_at: i64,
    pub failed_attempts: i64,
    pub created_at: i64,
}

pub async fn latest_open(
    e: impl Executor<'_>,
    phone: &str,
    purpose: &str,
) -> Result<Option<CodeRow>, Error> {
    sqlx::query_as(
        "SELECT id, code_hash, expires_at, failed_attempts, created_at FROM otp_codes
         WHERE phone = $1 AND purpose = $2 AND consumed_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(phone)
    .bind(purpose)
    .fetch_optional(e)
    .await
}

/// A code sent now.
pub struct NewCode<'a> {
    pub phone: &'a str,
    pub purpose: &'a str,
    pub code_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub failed_attempts: i64,
    pub ip: &'a str,
}

pub async fn insert(e: impl Executor<'_>, code: NewCode<'_>) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO otp_codes (phone, purpose, code_hash, created_at, expires_at, failed_attempts, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(code.phone)
    .bind(code.purpose)
    .bind(code.code_hash)
    .bind(code.created_at)
    .bind(code.expires_at)
    .bind(code.failed_attempts)
    .bind(code.ip)
    .execute(e)
    .await?;
    Ok(())
}

/// Uses the code up unless it was used or locked meanwhile; whether it was.
pub async fn consume(
    e: impl Executor<'_>,
    id: i64,
    now: i64,
    max_wrong_attempts: i64,
) -> Result<bool, Error> {
    let used = sqlx::query(
        "UPDATE otp_codes SET consumed_at = $1 WHERE id = $2 AND consumed_at IS NULL AND failed_attempts < $3",
    )
    .bind(now)
    .bind(id)
    .bind(max_wrong_attempts)
    .execute(e)
    .await?
    .rows_affected();
    Ok(used == 1)
}

/// Makes the code of `phone` and `purpose` used up at `consumed_at` usable again: the step it
/// was used for could not finish (the password hasher was busy), so its owner may retry it.
pub async fn give_back(
    e: impl Executor<'_>,
    phone: &str,
    purpose: &str,
    consumed_at: i64,
) -> Result<(), Error> {
    sqlx::query(
        "UPDATE otp_codes SET consumed_at = NULL WHERE phone = $1 AND purpose = $2 AND consumed_at = $3",
    )
    .bind(phone)
    .bind(purpose)
    .bind(consumed_at)
    .execute(e)
    .await?;
    Ok(())
}

/// Counts a wrong try unless the code is locked already; whether it was counted.
pub async fn count_wrong_try(
    e: impl Executor<'_>,
    id: i64,
    max_wrong_attempts: i64,
) -> Result<bool, Error> {
    let counted = sqlx::query(
        "UPDATE otp_codes SET failed_attempts = failed_attempts + 1 WHERE id = $1 AND failed_attempts < $2",
    )
    .bind(id)
    .bind(max_wrong_attempts)
    .execute(e)
    .await?
    .rows_affected();
    Ok(counted != 0)
}

/// Deletes the codes sent before `before`.
pub async fn purge_sent_before(e: impl Executor<'_>, before: i64) -> Result<u64, Error> {
    Ok(sqlx::query("DELETE FROM otp_codes WHERE created_at < $1")
        .bind(before)
        .execute(e)
        .await?
        .rows_affected())
}
