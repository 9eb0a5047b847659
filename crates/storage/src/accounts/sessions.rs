//! Server-side sessions, found by the hash of their token.

use crate::{Error, Executor};

pub async fn insert(
    e: impl Executor<'_>,
    token_hash: &str,
    user_id: i64,
    ip: &str,
    now: i64,
) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip) VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(ip)
    .execute(e)
    .await?;
    Ok(())
}

/// `(user_id, created_at, last_seen_at)` of the session.
pub async fn find(
    e: impl Executor<'_>,
    token_hash: &str,
) -> Result<Option<(i64, i64, i64)>, Error> {
    sqlx::query_as("SELECT user_id, created_at, last_seen_at FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(e)
        .await
}

pub async fn touch(e: impl Executor<'_>, token_hash: &str, now: i64) -> Result<(), Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn delete(e: impl Executor<'_>, token_hash: &str) -> Result<(), Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(e)
        .await?;
    Ok(())
}

/// Deletes every session of a user except the one with the hash `keep_hash`.
pub async fn delete_all_for_user_but(
    e: impl Executor<'_>,
    user_id: i64,
    keep_hash: String,
) -> Result<(), Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep_hash)
        .execute(e)
        .await?;
    Ok(())
}

/// Deletes every session of a user (blocking ends them at once).
pub async fn delete_all_for_user(e: impl Executor<'_>, user_id: i64) -> Result<(), Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(e)
        .await?;
    Ok(())
}

/// Deletes sessions idle since `idle_before` or created before `created_before`.
pub async fn purge_expired(
    e: impl Executor<'_>,
    idle_before: i64,
    created_before: i64,
) -> Result<u64, Error> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2")
            .bind(idle_before)
            .bind(created_before)
            .execute(e)
            .await?
            .rows_affected(),
    )
}
