//! Reviews of preschool organizations (`reviews`, `review_reports`): the published ones as the
//! public reads them, a parent's own, and what parents, staff and reporters write. What
//! moderators read and decide is in `moderation`.

pub mod moderation;

use sqlx::{AssertSqlSafe, FromRow};

use kezek_domain::review::ReviewStatus;

use crate::{Error, Executor};

/// A published review with its organization's names and its author's.
#[derive(Debug, Clone, FromRow)]
pub struct PublishedRow {
    pub id: i64,
    pub organization_id: i64,
    pub name_kk: String,
    pub name_ru: String,
    pub rating: i64,
    pub body: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub published_at: Option<i64>,
    pub updated_at: i64,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
}

const PUBLISHED_QUERY: &str = "SELECT r.id, r.organization_id, o.name_kk, o.name_ru, r.rating,
        r.body, a.first_name, a.last_name, r.published_at, r.updated_at, r.answer, r.answered_at
    FROM reviews r
    JOIN organizations o ON o.id = r.organization_id
    LEFT JOIN applicants a ON a.user_id = r.author_user_id
    WHERE r.status = 'published'";

/// How many published reviews the organizations with a KATO code in `from..=to` have.
pub async fn count_published_in_range(
    e: impl Executor<'_>,
    from: &str,
    to: &str,
) -> Result<i64, Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM reviews r JOIN organizations o ON o.id = r.organization_id
         WHERE r.status = 'published' AND o.kato >= $1 AND o.kato <= $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(e)
    .await
}

/// A page of the published reviews of the organizations with a KATO code in `from..=to`,
/// newest first.
pub async fn published_in_range(
    e: impl Executor<'_>,
    from: &str,
    to: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<PublishedRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{PUBLISHED_QUERY} AND o.kato >= $1 AND o.kato <= $2
         ORDER BY r.published_at DESC, r.id DESC LIMIT $3 OFFSET $4"
    )))
    .bind(from)
    .bind(to)
    .bind(limit)
    .bind(offset)
    .fetch_all(e)
    .await
}

/// Every published review of one organization, newest first.
pub async fn published_of_organization(
    e: impl Executor<'_>,
    organization_id: i64,
) -> Result<Vec<PublishedRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{PUBLISHED_QUERY} AND r.organization_id = $1 ORDER BY r.published_at DESC, r.id DESC"
    )))
    .bind(organization_id)
    .fetch_all(e)
    .await
}

/// The count and the sum of the ratings of one organization's published reviews.
pub async fn rating_of_organization(
    e: impl Executor<'_>,
    organization_id: i64,
) -> Result<(i64, Option<i64>), Error> {
    // SUM of BIGINT is NUMERIC on PostgreSQL, which the Any driver does not read: cast it.
    sqlx::query_as(
        "SELECT COUNT(*), CAST(SUM(rating) AS BIGINT) FROM reviews
         WHERE organization_id = $1 AND status = 'published'",
    )
    .bind(organization_id)
    .fetch_one(e)
    .await
}

/// The organizations with a KATO code in `from..=to` that have published reviews: id, names,
/// the count and the sum of the ratings.
pub async fn ratings_in_range(
    e: impl Executor<'_>,
    from: &str,
    to: &str,
) -> Result<Vec<(i64, String, String, i64, i64)>, Error> {
    sqlx::query_as(
        "SELECT o.id, o.name_kk, o.name_ru, COUNT(*), CAST(SUM(r.rating) AS BIGINT)
         FROM reviews r JOIN organizations o ON o.id = r.organization_id
         WHERE r.status = 'published' AND o.kato >= $1 AND o.kato <= $2
         GROUP BY o.id, o.name_kk, o.name_ru",
    )
    .bind(from)
    .bind(to)
    .fetch_all(e)
    .await
}

/// Whether a child of the parent ever got a direction to the organization.
pub async fn any_direction_to(
    e: impl Executor<'_>,
    parent_user_id: i64,
    organization_id: i64,
) -> Result<bool, Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT d.id FROM directions d JOIN children c ON c.id = d.child_id
         WHERE c.parent_user_id = $1 AND d.organization_id = $2 LIMIT 1",
    )
    .bind(parent_user_id)
    .bind(organization_id)
    .fetch_optional(e)
    .await?;
    Ok(found.is_some())
}

/// A parent's own review of an organization, in whatever state it is; an unknown status is a
/// decode error.
#[derive(Debug, Clone, FromRow)]
pub struct OwnReview {
    pub id: i64,
    pub rating: i64,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub status: ReviewStatus,
    pub reason: Option<String>,
}

impl OwnReview {
    pub fn status(&self) -> ReviewStatus {
        self.status
    }
}

pub async fn own(
    e: impl Executor<'_>,
    author_user_id: i64,
    organization_id: i64,
) -> Result<Option<OwnReview>, Error> {
    sqlx::query_as(
        "SELECT id, rating, body, status, reason FROM reviews
         WHERE author_user_id = $1 AND organization_id = $2",
    )
    .bind(author_user_id)
    .bind(organization_id)
    .fetch_optional(e)
    .await
}

/// The organization's `active` flag; `None` for no such organization.
pub async fn organization_active(
    e: impl Executor<'_>,
    organization_id: i64,
) -> Result<Option<i64>, Error> {
    sqlx::query_scalar("SELECT active FROM organizations WHERE id = $1")
        .bind(organization_id)
        .fetch_optional(e)
        .await
}

/// The author's review of the organization as it was: id, rating, body and status.
pub async fn by_author(
    e: impl Executor<'_>,
    organization_id: i64,
    author_user_id: i64,
) -> Result<Option<(i64, i64, String, String)>, Error> {
    sqlx::query_as(
        "SELECT id, rating, body, status FROM reviews
         WHERE organization_id = $1 AND author_user_id = $2",
    )
    .bind(organization_id)
    .bind(author_user_id)
    .fetch_optional(e)
    .await
}

/// Writes the author's review, new or replacing theirs, as pending; its id.
pub async fn save_pending(
    e: impl Executor<'_>,
    organization_id: i64,
    author_user_id: i64,
    rating: i64,
    body: &str,
    now: i64,
) -> Result<i64, Error> {
    // One statement for both cases: the UNIQUE pair turns a second review into an edit even when
    // two submissions race.
    sqlx::query_scalar(
        "INSERT INTO reviews (organization_id, author_user_id, rating, body, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $5)
         ON CONFLICT (organization_id, author_user_id) DO UPDATE SET
             rating = excluded.rating, body = excluded.body, status = 'pending',
             reason = NULL, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(organization_id)
    .bind(author_user_id)
    .bind(rating)
    .bind(body)
    .bind(now)
    .fetch_one(e)
    .await
}

/// The current answer to a published review of the organization; `None` when there is no such
/// published review.
pub async fn published_answer(
    e: impl Executor<'_>,
    review_id: i64,
    organization_id: i64,
) -> Result<Option<Option<String>>, Error> {
    let found: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT answer FROM reviews
         WHERE id = $1 AND organization_id = $2 AND status = 'published'",
    )
    .bind(review_id)
    .bind(organization_id)
    .fetch_optional(e)
    .await?;
    Ok(found.map(|(answer,)| answer))
}

pub async fn set_answer(
    e: impl Executor<'_>,
    review_id: i64,
    organization_id: i64,
    text: &str,
    answered_by: i64,
    now: i64,
) -> Result<(), Error> {
    sqlx::query(
        "UPDATE reviews SET answer = $1, answered_at = $2, answered_by = $3
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(text)
    .bind(now)
    .bind(answered_by)
    .bind(review_id)
    .bind(organization_id)
    .execute(e)
    .await?;
    Ok(())
}

/// The organization of a published review; `None` when it is not published.
pub async fn published_organization(
    e: impl Executor<'_>,
    review_id: i64,
) -> Result<Option<i64>, Error> {
    sqlx::query_scalar("SELECT organization_id FROM reviews WHERE id = $1 AND status = 'published'")
        .bind(review_id)
        .fetch_optional(e)
        .await
}

/// Records a report; `false` when this user already reported the review.
pub async fn add_report(
    e: impl Executor<'_>,
    review_id: i64,
    reporter_user_id: i64,
    reason: &str,
    now: i64,
) -> Result<bool, Error> {
    let inserted = sqlx::query(
        "INSERT INTO review_reports (review_id, reporter_user_id, reason, created_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (review_id, reporter_user_id) DO NOTHING",
    )
    .bind(review_id)
    .bind(reporter_user_id)
    .bind(reason)
    .bind(now)
    .execute(e)
    .await?;
    Ok(inserted.rows_affected() > 0)
}
