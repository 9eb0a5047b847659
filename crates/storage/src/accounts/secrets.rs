//! Secrets the server makes for itself on first use (e.g. the key one-time codes are hashed
//! with), shared through the database by every process.

use crate::{Error, Executor};

/// Stores `value` under `name` unless a value is there already (another process may have
/// made one first); either way, returns the value every process now uses.
pub async fn get_or_insert<'c, E>(e: E, name: &str, value: &str, now: i64) -> Result<String, Error>
where
    E: Executor<'c> + Copy,
{
    sqlx::query(
        "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(value)
    .bind(now)
    .execute(e)
    .await?;
    sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(e)
        .await
}
