//! Sign-ups in progress after their phone was verified, found by the hash of their token.

use sqlx::FromRow;

use crate::{Error, Executor};

#[derive(Debug, Clone, FromRow)]
pub struct Flow {
    pub phone: String,
    pub password_hash: Option<String>,
}

pub async fn insert(
    e: impl Executor<'_>,
    token_hash: &str,
    purpose: &str,
    phone: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO auth_flows (token_hash, purpose, phone, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(purpose)
    .bind(phone)
    .bind(now)
    .bind(expires_at)
    .execute(e)
    .await?;
    Ok(())
}

/// The live flow of `purpose` with this token hash.
pub async fn live(
    e: impl Executor<'_>,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<Flow>, Error> {
    sqlx::query_as(
        "SELECT phone, password_hash FROM auth_flows WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose)
    .bind(now)
    .fetch_optional(e)
    .await
}

pub async fn set_password(
    e: impl Executor<'_>,
    token_hash: &str,
    password_hash: &str,
) -> Result<(), Error> {
    sqlx::query("UPDATE auth_flows SET password_hash = $1 WHERE token_hash = $2")
        .bind(password_hash)
        .bind(token_hash)
        .execute(e)
        .await?;
    Ok(())
}

/// Counts one hashing of the password step of a live flow unless it had `max` already;
/// whether it was counted.
pub async fn reserve_password_hashing(
    e: impl Executor<'_>,
    token_hash: &str,
    now: i64,
    max: i64,
) -> Result<bool, Error> {
    let counted = sqlx::query(
        "UPDATE auth_flows SET password_hashings = password_hashings + 1
         WHERE token_hash = $1 AND expires_at > $2 AND password_hashings < $3",
    )
    .bind(token_hash)
    .bind(now)
    .bind(max)
    .execute(e)
    .await?
    .rows_affected();
    Ok(counted == 1)
}

pub async fn delete(e: impl Executor<'_>, token_hash: &str) -> Result<(), Error> {
    sqlx::query("DELETE FROM auth_flows WHERE token_hash = $1")
        .bind(token_hash)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn purge_expired(e: impl Executor<'_>, now: i64) -> Result<u64, Error> {
    Ok(sqlx::query("DELETE FROM auth_flows WHERE expires_at < $1")
        .bind(now)
        .execute(e)
        .await?
        .rows_affected())
}
