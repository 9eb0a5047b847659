//! What the education department's verification reads and writes: the pending items of the
//! area (a verification column is `pending`), the decisions, the look-ups, and the ПМПК
//! conclusions close to expiry with the marker that their parent was warned.
//!
//! A verification column is named by the caller from a fixed list (`pmpk_verification`,
//! `referral_verification`, `privilege_verification`), never from user input.

use kezek_domain::application::Verification;
use sqlx::{AssertSqlSafe, FromRow};

use super::ApplicationRow;
use crate::{Error, Executor};

const COLUMNS: &str = "a.id, a.number, a.child_id, a.parent_user_id, a.kind, a.correction_type, \
     a.language, a.region_code, a.kato, a.status, a.pmpk_number, a.pmpk_date, a.pmpk_expires, \
     a.pmpk_verification, a.referral_verification, a.privilege_category, \
     a.privilege_verification, a.registered_at";

/// The pending items of active applications whose KATO code matches the pattern (`$1`), one
/// `SELECT` per `(item code, verification column)`.
fn pending_union(items: &[(&str, &'static str)]) -> String {
    let pending = |(what, column): &(&str, &'static str)| {
        format!(
            "SELECT id, '{what}' AS what, registered_at FROM applications
             WHERE {column} = 'pending' AND status IN ('queued', 'direction_issued') AND kato LIKE $1",
        )
    };
    items
        .iter()
        .map(pending)
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// How many items are pending in the area.
pub async fn pending_count(
    e: impl Executor<'_>,
    items: &[(&str, &'static str)],
    area_pattern: String,
) -> Result<i64, Error> {
    let union = pending_union(items);
    sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM ({union}) v")))
        .bind(area_pattern)
        .fetch_one(e)
        .await
}

/// A page of the pending items in the area, `(application id, item code)`, oldest
/// registration first.
pub async fn pending_page(
    e: impl Executor<'_>,
    items: &[(&str, &'static str)],
    area_pattern: String,
    offset: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>, Error> {
    let union = pending_union(items);
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT id, what FROM ({union}) v ORDER BY registered_at, id, what LIMIT $2 OFFSET $3"
    )))
    .bind(area_pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(e)
    .await
}

/// An application by id, whatever its status or area.
pub async fn by_id(e: impl Executor<'_>, id: i64) -> Result<Option<ApplicationRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM applications a WHERE a.id = $1"
    )))
    .bind(id)
    .fetch_optional(e)
    .await
}

/// The child of an application, as the operator sees it.
#[derive(Debug, Clone, FromRow)]
pub struct ChildSummary {
    pub iin: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
}

impl ChildSummary {
    pub fn full_name(&self) -> String {
        kezek_domain::names::full_name(
            &self.last_name,
            &self.first_name,
            self.middle_name.as_deref(),
        )
    }
}

pub async fn child_of(e: impl Executor<'_>, child_id: i64) -> Result<Option<ChildSummary>, Error> {
    sqlx::query_as(
        "SELECT iin, last_name, first_name, middle_name, birth_date FROM children WHERE id = $1",
    )
    .bind(child_id)
    .fetch_optional(e)
    .await
}

/// A document attached to an application.
#[derive(Debug, Clone, FromRow)]
pub struct AttachedDocument {
    pub id: i64,
    /// `pmpk`, `referral` or `privilege`.
    pub purpose: String,
    pub file_name: String,
}

/// The application's documents (not deleted) by purpose and upload.
pub async fn documents_of(
    e: impl Executor<'_>,
    application_id: i64,
) -> Result<Vec<AttachedDocument>, Error> {
    sqlx::query_as(
        "SELECT d.id, ad.purpose, d.file_name FROM application_documents ad
         JOIN documents d ON d.id = ad.document_id
         WHERE ad.application_id = $1 AND d.deleted_at IS NULL ORDER BY ad.purpose, d.id",
    )
    .bind(application_id)
    .fetch_all(e)
    .await
}

/// The phone of a user as stored.
pub async fn phone_of(e: impl Executor<'_>, user_id: i64) -> Result<Option<String>, Error> {
    sqlx::query_scalar("SELECT phone FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(e)
        .await
}

/// Decides a still-pending item of an active application; returns the rows changed (0 when
/// another operator decided first).
pub async fn decide(
    e: impl Executor<'_>,
    column: &'static str,
    after: Verification,
    application_id: i64,
    now: i64,
) -> Result<u64, Error> {
    let done = sqlx::query(AssertSqlSafe(format!(
        "UPDATE applications SET {column} = $1, updated_at = $2
         WHERE id = $3 AND {column} = 'pending' AND status IN ('queued', 'direction_issued')"
    )))
    .bind(after.as_str())
    .bind(now)
    .bind(application_id)
    .execute(e)
    .await?;
    Ok(done.rows_affected())
}

/// Puts the application in the queue category its (approved) privilege category names.
pub async fn apply_privilege_category(
    e: impl Executor<'_>,
    application_id: i64,
) -> Result<(), Error> {
    sqlx::query(
        "UPDATE applications SET category = COALESCE(
            (SELECT r.attribute FROM reference_items r
             WHERE r.kind = 'privilege_category' AND r.code = applications.privilege_category),
            'general')
         WHERE id = $1",
    )
    .bind(application_id)
    .execute(e)
    .await?;
    Ok(())
}

/// Applications (not deleted) of the child with `iin` in the area, oldest registration first.
pub async fn by_child_iin(
    e: impl Executor<'_>,
    iin: String,
    area_pattern: String,
) -> Result<Vec<ApplicationRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM applications a JOIN children c ON c.id = a.child_id
             WHERE c.iin = $1 AND a.status <> 'deleted' AND a.kato LIKE $2 ORDER BY a.registered_at, a.id"
    )))
    .bind(iin)
    .bind(area_pattern)
    .fetch_all(e)
    .await
}

/// Applications (not deleted) of the area with this number.
pub async fn by_number(
    e: impl Executor<'_>,
    number: String,
    area_pattern: String,
) -> Result<Vec<ApplicationRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM applications a
             WHERE a.number = $1 AND a.status <> 'deleted' AND a.kato LIKE $2 ORDER BY a.id"
    )))
    .bind(number)
    .bind(area_pattern)
    .fetch_all(e)
    .await
}

/// Active correctional applications of the area whose ПМПК conclusion expires on `cutoff`
/// (`YYYY-MM-DD`) or earlier, soonest first.
pub async fn pmpk_expiring_by(
    e: impl Executor<'_>,
    cutoff: String,
    area_pattern: String,
) -> Result<Vec<ApplicationRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM applications a
         WHERE a.kind = 'correctional' AND a.status IN ('queued', 'direction_issued')
           AND a.pmpk_expires IS NOT NULL AND a.pmpk_expires <= $1 AND a.kato LIKE $2
         ORDER BY a.pmpk_expires, a.id"
    )))
    .bind(cutoff)
    .bind(area_pattern)
    .fetch_all(e)
    .await
}

/// Records that the parent was warned about the conclusion `marker` names (JSON text); 0 when
/// they already were.
pub async fn mark_pmpk_expiry_warned(
    e: impl Executor<'_>,
    application_id: i64,
    now: i64,
    marker: &str,
) -> Result<u64, Error> {
    let done = sqlx::query(
        "INSERT INTO application_events (application_id, at, actor_user_id, event, detail)
         SELECT $1, $2, NULL, 'pmpk_expiry_warned', $3
         WHERE NOT EXISTS (SELECT 1 FROM application_events
                           WHERE application_id = $1 AND event = 'pmpk_expiry_warned' AND detail = $3)",
    )
    .bind(application_id)
    .bind(now)
    .bind(marker)
    .execute(e)
    .await?;
    Ok(done.rows_affected())
}
