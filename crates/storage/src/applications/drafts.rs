//! Drafts of the application form, kept as JSON under the form's submission key.

use crate::{Error, Executor};

/// Saves (or replaces) the parent's draft under `key`; 0 rows affected means another parent's
/// draft holds the key (and is left untouched).
pub async fn save(
    e: impl Executor<'_>,
    parent_user_id: i64,
    key: &str,
    fields: String,
    now: i64,
) -> Result<u64, Error> {
    let done = sqlx::query(
        "INSERT INTO application_drafts (submission_key, parent_user_id, fields, created_at) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (submission_key) DO UPDATE SET fields = excluded.fields, \
         created_at = excluded.created_at \
         WHERE application_drafts.parent_user_id = excluded.parent_user_id",
    )
    .bind(key)
    .bind(parent_user_id)
    .bind(fields)
    .bind(now)
    .execute(e)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes the parent's drafts other than `key` beyond the newest `others`; returns how many.
pub async fn keep_newest(
    e: impl Executor<'_>,
    parent_user_id: i64,
    key: &str,
    others: i64,
) -> Result<u64, Error> {
    let done = sqlx::query(
        "DELETE FROM application_drafts WHERE parent_user_id = $1 AND submission_key <> $2 \
         AND submission_key NOT IN (SELECT submission_key FROM application_drafts \
             WHERE parent_user_id = $1 AND submission_key <> $2 \
             ORDER BY created_at DESC, submission_key DESC LIMIT $3)",
    )
    .bind(parent_user_id)
    .bind(key)
    .bind(others)
    .execute(e)
    .await?;
    Ok(done.rows_affected())
}

/// The JSON of the parent's own draft under `key`.
pub async fn load(
    e: impl Executor<'_>,
    parent_user_id: i64,
    key: &str,
) -> Result<Option<String>, Error> {
    sqlx::query_scalar(
        "SELECT fields FROM application_drafts WHERE submission_key = $1 AND parent_user_id = $2",
    )
    .bind(key)
    .bind(parent_user_id)
    .fetch_optional(e)
    .await
}

/// Deletes drafts saved before `cutoff`; returns how many.
pub async fn purge_before(e: impl Executor<'_>, cutoff: i64) -> Result<u64, Error> {
    let done = sqlx::query("DELETE FROM application_drafts WHERE created_at < $1")
        .bind(cutoff)
        .execute(e)
        .await?;
    Ok(done.rows_affected())
}
