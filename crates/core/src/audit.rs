//! The append-only audit log: who did what, when, from where, with before/after detail.

use serde_json::Value;

use crate::db::Tx;

/// Who acts: a logged-in user from an address.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub ip: String,
}

pub struct AuditEntry<'a> {
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub action: &'a str,
    pub subject: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub detail: Option<Value>,
}

pub async fn record(tx: &mut Tx, entry: AuditEntry<'_>) -> Result<(), crate::db::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, action, subject, ip, detail)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(entry.at)
    .bind(entry.actor_user_id)
    .bind(entry.action)
    .bind(entry.subject)
    .bind(entry.ip)
    .bind(entry.detail.map(|d| d.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records what `actor` did to `subject`; `detail` usually holds `before` and `after`.
pub async fn record_by(
    tx: &mut Tx,
    actor: &Actor,
    at: i64,
    action: &str,
    subject: &str,
    detail: Value,
) -> Result<(), crate::db::Error> {
    record(
        tx,
        AuditEntry {
            at,
            actor_user_id: Some(actor.user_id),
            action,
            subject: Some(subject),
            ip: Some(&actor.ip),
            detail: Some(detail),
        },
    )
    .await
}

/// How many times `action` was recorded for `subject` since `since`.
pub async fn count_for_subject(
    tx: &mut Tx,
    action: &str,
    subject: &str,
    since: i64,
) -> Result<i64, crate::db::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE subject = $1 AND action = $2 AND at >= $3",
    )
    .bind(subject)
    .bind(action)
    .bind(since)
    .fetch_one(&mut **tx)
    .await
}

/// How many times `action` was recorded from `ip` since `since`.
pub async fn count_for_ip(
    tx: &mut Tx,
    action: &str,
    ip: &str,
    since: i64,
) -> Result<i64, crate::db::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE ip = $1 AND action = $2 AND at >= $3")
        .bind(ip)
        .bind(action)
        .bind(since)
        .fetch_one(&mut **tx)
        .await
}
