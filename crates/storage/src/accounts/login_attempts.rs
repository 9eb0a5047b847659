//! Password checks of logins and phone changes, reserved before the password is hashed: the
//! rows the lockout counts. A row counts as a failure until it is marked a success.

use crate::{Error, Executor};

/// The lockout: at most `per_phone` and `per_ip` failed (or unfinished) checks since `since`.
pub struct Limits {
    pub since: i64,
    pub per_phone: i64,
    pub per_ip: i64,
}

/// Records a check of `phone` from `ip` unless either has reached its limit of failed (or
/// still running) checks since `limits.since`; its id, or `None` when refused. One statement
/// counts and inserts; the caller serializes it per phone and address (a lock on PostgreSQL,
/// the write transaction on SQLite), so concurrent reservations cannot both see room.
pub async fn reserve(
    e: impl Executor<'_>,
    phone: &str,
    ip: &str,
    now: i64,
    limits: &Limits,
) -> Result<Option<i64>, Error> {
    sqlx::query_scalar(
        "INSERT INTO login_attempts (phone, ip, at)
         SELECT $1, $2, $3
         WHERE (SELECT COUNT(*) FROM login_attempts WHERE phone = $1 AND at >= $4 AND succeeded = 0) < $5
           AND (SELECT COUNT(*) FROM login_attempts WHERE ip = $2 AND at >= $4 AND succeeded = 0) < $6
         RETURNING id",
    )
    .bind(phone)
    .bind(ip)
    .bind(now)
    .bind(limits.since)
    .bind(limits.per_phone)
    .bind(limits.per_ip)
    .fetch_optional(e)
    .await
}

/// The check found the right password: it no longer counts towards the lockout.
pub async fn mark_succeeded(e: impl Executor<'_>, id: i64) -> Result<(), Error> {
    sqlx::query("UPDATE login_attempts SET succeeded = 1 WHERE id = $1")
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// The check never ran (the hasher was busy): nothing was guessed, so nothing is counted.
pub async fn release(e: impl Executor<'_>, id: i64) -> Result<(), Error> {
    sqlx::query("DELETE FROM login_attempts WHERE id = $1")
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// Deletes the checks made before `before`; they no longer count.
pub async fn purge_before(e: impl Executor<'_>, before: i64) -> Result<u64, Error> {
    Ok(sqlx::query("DELETE FROM login_attempts WHERE at < $1")
        .bind(before)
        .execute(e)
        .await?
        .rows_affected())
}
