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
    crate::db::audit::insert(
        &mut **tx,
        entry.at,
        entry.actor_user_id,
        entry.action,
        entry.subject,
        entry.ip,
        entry.detail.map(|d| d.to_string()),
    )
    .await
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
    crate::db::audit::count_for_subject(&mut **tx, action, subject, since).await
}

/// How many times `action` was recorded from `ip` since `since`.
pub async fn count_for_ip(
    tx: &mut Tx,
    action: &str,
    ip: &str,
    since: i64,
) -> Result<i64, crate::db::Error> {
    crate::db::audit::count_for_ip(&mut **tx, action, ip, since).await
}
