//! The counts behind the home page's live figures, and the queues an organization's waiting
//! applicants listed it for.

use crate::{Error, Executor};

/// Open vacancies of the active organizations and groups between `low` and `high`.
pub async fn free_places(e: impl Executor<'_>, low: &str, high: &str) -> Result<i64, Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM vacancies v
         JOIN org_groups g ON g.id = v.group_id
         JOIN organizations o ON o.id = g.organization_id
         WHERE v.status = 'open' AND g.active = 1 AND o.active = 1 AND o.kato >= $1 AND o.kato <= $2",
    )
    .bind(low)
    .bind(high)
    .fetch_one(e)
    .await
}

/// Children with at least one application waiting in the region's queue.
pub async fn children_waiting(e: impl Executor<'_>, region_code: &str) -> Result<i64, Error> {
    sqlx::query_scalar(
        "SELECT COUNT(DISTINCT child_id) FROM applications WHERE status = 'queued' AND region_code = $1",
    )
    .bind(region_code)
    .fetch_one(e)
    .await
}

/// Active organizations between `low` and `high`.
pub async fn organizations(e: impl Executor<'_>, low: &str, high: &str) -> Result<i64, Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM organizations WHERE active = 1 AND kato >= $1 AND kato <= $2",
    )
    .bind(low)
    .bind(high)
    .fetch_one(e)
    .await
}

/// Directions of the region issued from `from` until before `until`.
pub async fn directions_issued(
    e: impl Executor<'_>,
    region_code: &str,
    from: i64,
    until: i64,
) -> Result<i64, Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM directions WHERE region_code = $1 AND issued_at >= $2 AND issued_at < $3",
    )
    .bind(region_code)
    .bind(from)
    .bind(until)
    .fetch_one(e)
    .await
}

/// The `(kind, birth_year, correction_type)` of the queues whose waiting applications list the
/// organization.
pub async fn wished_queues(
    e: impl Executor<'_>,
    organization_id: i64,
) -> Result<Vec<(String, i64, Option<String>)>, Error> {
    sqlx::query_as(
        "SELECT DISTINCT p.kind, p.birth_year, p.correction_type
         FROM application_preferences p JOIN applications a ON a.id = p.application_id
         WHERE p.organization_id = $1 AND a.status = 'queued' AND p.kind IS NOT NULL
           AND p.birth_year IS NOT NULL",
    )
    .bind(organization_id)
    .fetch_all(e)
    .await
}
