//! The append-only audit log: writing an entry, counting recent ones, and the administrators'
//! pages of it (newest first, filtered, paged by id).

use sqlx::{AssertSqlSafe, FromRow};

use crate::{Error, Executor};

/// Appends one entry; `detail` is JSON text.
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    e: impl Executor<'_>,
    at: i64,
    actor_user_id: Option<i64>,
    action: &str,
    subject: Option<&str>,
    ip: Option<&str>,
    detail: Option<String>,
) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, action, subject, ip, detail)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(at)
    .bind(actor_user_id)
    .bind(action)
    .bind(subject)
    .bind(ip)
    .bind(detail)
    .execute(e)
    .await?;
    Ok(())
}

/// Takes PostgreSQL's transaction-scoped advisory lock `key`, so counting recent entries and
/// appending one happen one transaction at a time (SQLite's write transaction already does).
pub async fn lock_counting(e: impl Executor<'_>, key: i64) -> Result<(), Error> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(key)
        .execute(e)
        .await?;
    Ok(())
}

/// How many times `action` was recorded for `subject` since `since`.
pub async fn count_for_subject(
    e: impl Executor<'_>,
    action: &str,
    subject: &str,
    since: i64,
) -> Result<i64, Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE subject = $1 AND action = $2 AND at >= $3",
    )
    .bind(subject)
    .bind(action)
    .bind(since)
    .fetch_one(e)
    .await
}

/// How many times `action` was recorded from `ip` since `since`.
pub async fn count_for_ip(
    e: impl Executor<'_>,
    action: &str,
    ip: &str,
    since: i64,
) -> Result<i64, Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE ip = $1 AND action = $2 AND at >= $3")
        .bind(ip)
        .bind(action)
        .bind(since)
        .fetch_one(e)
        .await
}

/// One entry as the administrators read it, with the actor's phone.
#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub actor_phone: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

/// Which side of an id a page reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Ids below the given one, newest first.
    Older,
    /// Ids above the given one, oldest first.
    Newer,
}

impl Side {
    fn condition(self) -> &'static str {
        match self {
            Side::Older => "a.id < $3",
            Side::Newer => "a.id > $3",
        }
    }
}

/// `LIKE` treats `_` and `%` as wildcards, and action names contain `_`.
fn like_prefix(prefix: &str) -> String {
    let escaped = prefix
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("{escaped}%")
}

const FILTER: &str = "a.action LIKE $1 ESCAPE '\\' AND ($2 = '' OR a.subject = $2)";

/// Up to `limit` entries whose action starts with `action_prefix` (trimmed) and whose subject
/// is `subject` (any when empty), on `side` of `id`.
pub async fn entries(
    e: impl Executor<'_>,
    action_prefix: &str,
    subject: &str,
    side: Side,
    id: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, Error> {
    let condition = side.condition();
    let order = match side {
        Side::Older => "DESC",
        Side::Newer => "ASC",
    };
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT a.id, a.at, a.actor_user_id, u.phone AS actor_phone, a.action, a.subject, a.ip, a.detail
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
         WHERE {FILTER} AND {condition} ORDER BY a.id {order} LIMIT $4"
    )))
    .bind(like_prefix(action_prefix))
    .bind(subject)
    .bind(id)
    .bind(limit)
    .fetch_all(e)
    .await
}

/// Whether any entry matching as in `entries` lies on `side` of `id`.
pub async fn any_beyond(
    e: impl Executor<'_>,
    action_prefix: &str,
    subject: &str,
    side: Side,
    id: i64,
) -> Result<bool, Error> {
    let condition = side.condition();
    let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT a.id FROM audit_log a WHERE {FILTER} AND {condition} LIMIT 1"
    )))
    .bind(like_prefix(action_prefix))
    .bind(subject)
    .bind(id)
    .fetch_optional(e)
    .await?;
    Ok(found.is_some())
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_in_a_prefix_are_literal() {
        assert_eq!(super::like_prefix(" staff.role_"), "staff.role\\_%");
        assert_eq!(super::like_prefix(""), "%");
        assert_eq!(super::like_prefix("a%b"), "a\\%b%");
    }
}
