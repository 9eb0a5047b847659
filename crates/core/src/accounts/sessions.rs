//! Server-side sessions: the cookie carries a random token, the table only its hash, so
//! several `kezek serve` processes share sessions and a stolen table opens none.

use sqlx::{Any, Executor};

use crate::tokens::{random_token, sha256_hex};

/// Writing `last_seen_at` on every request would make every page view a write.
const TOUCH_EVERY_SECS: i64 = 60;

pub fn hash(token: &str) -> String {
    sha256_hex(&["session", token])
}

pub async fn create<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: i64,
    ip: &str,
    now: i64,
) -> Result<String, crate::db::Error> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip) VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(hash(&token))
    .bind(user_id)
    .bind(now)
    .bind(ip)
    .execute(ex)
    .await?;
    Ok(token)
}

/// The user of a live session, extending its idle deadline.
pub async fn resolve(
    pool: &sqlx::AnyPool,
    token: &str,
    now: i64,
    idle_secs: i64,
    absolute_secs: i64,
) -> Result<Option<i64>, crate::db::Error> {
    let token_hash = hash(token);
    let row: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT user_id, created_at, last_seen_at FROM sessions WHERE token_hash = $1",
    )
    .bind(&token_hash)
    .fetch_optional(pool)
    .await?;
    let Some((user_id, created_at, last_seen_at)) = row else {
        return Ok(None);
    };
    if now - last_seen_at >= idle_secs || now - created_at >= absolute_secs {
        delete(pool, token).await?;
        return Ok(None);
    }
    if now - last_seen_at >= TOUCH_EVERY_SECS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&token_hash)
            .execute(pool)
            .await?;
    }
    Ok(Some(user_id))
}

pub async fn delete<'c>(
    ex: impl Executor<'c, Database = Any>,
    token: &str,
) -> Result<(), crate::db::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(hash(token))
        .execute(ex)
        .await?;
    Ok(())
}

/// Ends every session of a user except the one whose token is `keep`.
pub async fn delete_all_for_user<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: i64,
    keep: Option<&str>,
) -> Result<(), crate::db::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep.map(hash).unwrap_or_default())
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn purge_expired(
    pool: &sqlx::AnyPool,
    now: i64,
    idle_secs: i64,
    absolute_secs: i64,
) -> Result<u64, crate::db::Error> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2")
            .bind(now - idle_secs)
            .bind(now - absolute_secs)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
