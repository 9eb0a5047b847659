//! The SMS outbox: messages waiting for the gateway, their attempts, and the lease a relay
//! holds on the rows it is sending.

use sqlx::{AssertSqlSafe, FromRow};

use crate::{Conn, Error, Executor};

/// Queues a message; returns its id.
pub async fn enqueue(e: impl Executor<'_>, to: &str, body: &str, now: i64) -> Result<i64, Error> {
    sqlx::query_scalar(
        "INSERT INTO sms_outbox (to_phone, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(to)
    .bind(body)
    .bind(now)
    .fetch_one(e)
    .await
}

/// Queues a message holding a secret (a one-time code): `redacted` is the same text with the
/// secret masked, and replaces `body` once the message is delivered, given up or stale.
pub async fn enqueue_redactable(
    e: impl Executor<'_>,
    to: &str,
    body: &str,
    redacted: &str,
    now: i64,
) -> Result<i64, Error> {
    sqlx::query_scalar(
        "INSERT INTO sms_outbox (to_phone, body, redacted_body, created_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(to)
    .bind(body)
    .bind(redacted)
    .bind(now)
    .fetch_one(e)
    .await
}

/// Queues many `(to, body)` messages with multi-row statements.
pub async fn enqueue_many(
    conn: &mut Conn,
    messages: &[(&str, &str)],
    now: i64,
) -> Result<(), Error> {
    for chunk in messages.chunks(crate::ROWS_PER_STATEMENT) {
        let rows = crate::values(chunk.len(), &[None, None, None, None]);
        let sql = format!(
            "INSERT INTO sms_outbox (to_phone, body, created_at, next_attempt_at) VALUES {rows}"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (to, body) in chunk {
            q = q.bind(*to).bind(*body).bind(now).bind(now);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A message leased for sending.
#[derive(Debug, Clone, FromRow)]
pub struct Pending {
    pub id: i64,
    pub to_phone: String,
    pub body: String,
    pub attempts: i64,
    pub created_at: i64,
}

/// Leases up to `batch` messages due at `now` under `lease` until `lease_until`.
pub async fn lease_due(
    e: impl Executor<'_>,
    lease: &str,
    lease_until: i64,
    now: i64,
    batch: i64,
) -> Result<(), Error> {
    // The lease conditions are repeated outside the sub-select so that PostgreSQL re-checks
    // them on a row another process has just leased.
    sqlx::query(
        "UPDATE sms_outbox SET lease_until = $1, lease_token = $2
         WHERE id IN (SELECT id FROM sms_outbox
                      WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $3
                        AND (lease_until IS NULL OR lease_until < $3)
                      ORDER BY id LIMIT $4)
           AND sent_at IS NULL AND failed_at IS NULL AND (lease_until IS NULL OR lease_until < $3)",
    )
    .bind(lease_until)
    .bind(lease)
    .bind(now)
    .bind(batch)
    .execute(e)
    .await?;
    Ok(())
}

/// The messages held under `lease`.
pub async fn leased(e: impl Executor<'_>, lease: &str) -> Result<Vec<Pending>, Error> {
    sqlx::query_as(
        "SELECT id, to_phone, body, attempts, created_at FROM sms_outbox WHERE lease_token = $1 ORDER BY id",
    )
    .bind(lease)
    .fetch_all(e)
    .await
}

/// Records a delivery and releases the lease; a secret in the body is masked from now on.
pub async fn mark_sent(e: impl Executor<'_>, id: i64, lease: &str, now: i64) -> Result<(), Error> {
    sqlx::query(
        "UPDATE sms_outbox SET sent_at = $1, attempts = attempts + 1, lease_token = NULL, lease_until = NULL,
                               body = COALESCE(redacted_body, body), redacted_body = NULL
                         WHERE id = $2 AND lease_token = $3",
    )
    .bind(now)
    .bind(id)
    .bind(lease)
    .execute(e)
    .await?;
    Ok(())
}

/// Records a failed attempt and releases the lease: retried at `next_attempt_at`, or given up
/// when `failed_at` is set (and then a secret in the body is masked).
pub async fn mark_attempt_failed(
    e: impl Executor<'_>,
    id: i64,
    lease: &str,
    next_attempt_at: i64,
    error: String,
    failed_at: Option<i64>,
) -> Result<(), Error> {
    sqlx::query(
        "UPDATE sms_outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2,
                                failed_at = $3, lease_token = NULL, lease_until = NULL,
                                body = CASE WHEN $3 IS NULL THEN body ELSE COALESCE(redacted_body, body) END,
                                redacted_body = CASE WHEN $3 IS NULL THEN redacted_body ELSE NULL END
                         WHERE id = $4 AND lease_token = $5",
    )
    .bind(next_attempt_at)
    .bind(error)
    .bind(failed_at)
    .bind(id)
    .bind(lease)
    .execute(e)
    .await?;
    Ok(())
}

/// Masks the secret of the messages queued before `before` that still hold one: their code
/// has expired, so an undelivered one is given up at `now` rather than sent too late.
pub async fn redact_stale(e: impl Executor<'_>, before: i64, now: i64) -> Result<u64, Error> {
    Ok(sqlx::query(
        "UPDATE sms_outbox SET body = redacted_body, redacted_body = NULL,
                               failed_at = CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN $2 ELSE failed_at END,
                               last_error = CASE WHEN sent_at IS NULL AND failed_at IS NULL
                                                 THEN 'the code expired before delivery' ELSE last_error END
         WHERE redacted_body IS NOT NULL AND created_at < $1",
    )
    .bind(before)
    .bind(now)
    .execute(e)
    .await?
    .rows_affected())
}

/// Deletes the messages queued before `before`, delivered or not.
pub async fn purge_before(e: impl Executor<'_>, before: i64) -> Result<u64, Error> {
    Ok(sqlx::query("DELETE FROM sms_outbox WHERE created_at < $1")
        .bind(before)
        .execute(e)
        .await?
        .rows_affected())
}
