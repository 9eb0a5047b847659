//! What moderators read (pending reviews, published ones with open reports) and the statements
//! of their decisions.

use sqlx::{AssertSqlSafe, FromRow};

use kezek_domain::review::ReviewStatus;

use crate::{Error, Executor};

/// A review with its organization's names and its author's; an unknown status is a decode
/// error.
#[derive(Debug, Clone, FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub organization_id: i64,
    pub name_kk: String,
    pub name_ru: String,
    pub rating: i64,
    pub body: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: ReviewStatus,
    pub updated_at: i64,
    pub answer: Option<String>,
}

const ITEM_QUERY: &str = "SELECT r.id, r.organization_id, o.name_kk, o.name_ru, r.rating, r.body,
        a.first_name, a.last_name, r.status, r.updated_at, r.answer
    FROM reviews r
    JOIN organizations o ON o.id = r.organization_id
    LEFT JOIN applicants a ON a.user_id = r.author_user_id";

/// Pending reviews, the longest-waiting first, at most `limit`.
pub async fn pending(e: impl Executor<'_>, limit: i64) -> Result<Vec<ItemRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{ITEM_QUERY} WHERE r.status = 'pending' ORDER BY r.updated_at, r.id LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(e)
    .await
}

/// Published reviews with open reports, the earliest reported first, at most `limit`.
pub async fn reported(e: impl Executor<'_>, limit: i64) -> Result<Vec<ItemRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{ITEM_QUERY} WHERE r.status = 'published' AND r.id IN
                (SELECT review_id FROM review_reports WHERE resolved_at IS NULL)
             ORDER BY (SELECT MIN(p.id) FROM review_reports p
                       WHERE p.review_id = r.id AND p.resolved_at IS NULL), r.id LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(e)
    .await
}

/// The review's open reports, oldest first: reason and time.
pub async fn open_reports(
    e: impl Executor<'_>,
    review_id: i64,
) -> Result<Vec<(String, i64)>, Error> {
    sqlx::query_as(
        "SELECT reason, created_at FROM review_reports
         WHERE review_id = $1 AND resolved_at IS NULL ORDER BY id",
    )
    .bind(review_id)
    .fetch_all(e)
    .await
}

/// The review's author and organization, with the organization's names.
pub async fn subject(
    e: impl Executor<'_>,
    review_id: i64,
) -> Result<Option<(i64, i64, String, String)>, Error> {
    sqlx::query_as(
        "SELECT r.author_user_id, r.organization_id, o.name_kk, o.name_ru
         FROM reviews r JOIN organizations o ON o.id = r.organization_id WHERE r.id = $1",
    )
    .bind(review_id)
    .fetch_optional(e)
    .await
}

/// Moves the review from `from` to `to` with the moderator's reason (and, on publishing, the
/// time); `false` when it is not in `from`.
#[allow(clippy::too_many_arguments)] // the columns of one decision
pub async fn set_status(
    e: impl Executor<'_>,
    review_id: i64,
    from: &str,
    to: &str,
    reason: Option<&str>,
    moderated_by: i64,
    published_at: Option<i64>,
    now: i64,
) -> Result<bool, Error> {
    let changed = sqlx::query(
        "UPDATE reviews SET status = $1, reason = $2, moderated_at = $3, moderated_by = $4,
             published_at = COALESCE($5, published_at)
         WHERE id = $6 AND status = $7",
    )
    .bind(to)
    .bind(reason)
    .bind(now)
    .bind(moderated_by)
    .bind(published_at)
    .bind(review_id)
    .bind(from)
    .execute(e)
    .await?;
    Ok(changed.rows_affected() > 0)
}

/// Closes the review's open reports with a resolution; how many were open.
pub async fn resolve_reports(
    e: impl Executor<'_>,
    review_id: i64,
    resolution: &str,
    resolved_by: i64,
    now: i64,
) -> Result<u64, Error> {
    let done = sqlx::query(
        "UPDATE review_reports SET resolved_at = $1, resolved_by = $2, resolution = $3
         WHERE review_id = $4 AND resolved_at IS NULL",
    )
    .bind(now)
    .bind(resolved_by)
    .bind(resolution)
    .bind(review_id)
    .execute(e)
    .await?;
    Ok(done.rows_affected())
}
