//! What parents, organization staff and any logged-in user write: a review (new or edited, both
//! waiting for moderation), the organization's public answer, and an abuse report.
//! Callers have checked the role; every function here checks the object.

use serde_json::json;

use super::{ReviewError, check_body, check_reason, eligible};
use crate::audit::{self, Actor};
use crate::db::Db;

/// Whether `save` wrote a new review or changed the parent's existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Created(i64),
    Edited(i64),
}

/// Writes the parent's review of an organization: the first one, or an edit of theirs (one per
/// parent and organization). Either way it waits for a moderator again.
pub async fn save(
    db: &Db,
    parent: &Actor,
    organization_id: i64,
    rating: i64,
    text: &str,
    now: i64,
) -> Result<Saved, ReviewError> {
    let active: Option<i64> = sqlx::query_scalar("SELECT active FROM organizations WHERE id = $1")
        .bind(organization_id)
        .fetch_optional(db.pool())
        .await?;
    if active != Some(1) {
        return Err(ReviewError::NotFound);
    }
    if !eligible(db, parent.user_id, organization_id).await? {
        return Err(ReviewError::NotEligible);
    }
    if !(1..=5).contains(&rating) {
        return Err(ReviewError::Rating);
    }
    check_body(text)?;

    let mut tx = db.begin().await?;
    let before: Option<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT id, rating, body, status FROM reviews
         WHERE organization_id = $1 AND author_user_id = $2",
    )
    .bind(organization_id)
    .bind(parent.user_id)
    .fetch_optional(&mut *tx)
    .await?;
    // One statement for both cases: the UNIQUE pair turns a second review into an edit even when
    // two submissions race.
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reviews (organization_id, author_user_id, rating, body, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $5)
         ON CONFLICT (organization_id, author_user_id) DO UPDATE SET
             rating = excluded.rating, body = excluded.body, status = 'pending',
             reason = NULL, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(organization_id)
    .bind(parent.user_id)
    .bind(rating)
    .bind(text)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let (action, detail) = match &before {
        Some((_, old_rating, old_body, old_status)) => (
            "review.edited",
            json!({
                "organization_id": organization_id,
                "before": { "rating": old_rating, "text": old_body, "status": old_status },
                "after": { "rating": rating, "text": text, "status": "pending" },
            }),
        ),
        None => (
            "review.submitted",
            json!({
                "organization_id": organization_id,
                "after": { "rating": rating, "text": text, "status": "pending" },
            }),
        ),
    };
    audit::record_by(
        &mut tx,
        parent,
        now,
        action,
        &format!("review:{id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(if before.is_some() {
        Saved::Edited(id)
    } else {
        Saved::Created(id)
    })
}

/// The organization's public answer to one of its published reviews (one answer; answering
/// again replaces it). A review of another organization is `NotFound`.
pub async fn answer(
    db: &Db,
    staff: &Actor,
    organization_id: i64,
    review_id: i64,
    text: &str,
    now: i64,
) -> Result<(), ReviewError> {
    check_body(text)?;
    let mut tx = db.begin().await?;
    let before: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT answer FROM reviews
         WHERE id = $1 AND organization_id = $2 AND status = 'published'",
    )
    .bind(review_id)
    .bind(organization_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((before,)) = before else {
        return Err(ReviewError::NotFound);
    };
    sqlx::query(
        "UPDATE reviews SET answer = $1, answered_at = $2, answered_by = $3
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(text)
    .bind(now)
    .bind(staff.user_id)
    .bind(review_id)
    .bind(organization_id)
    .execute(&mut *tx)
    .await?;
    let detail = json!({ "before": { "answer": before }, "after": { "answer": text } });
    audit::record_by(
        &mut tx,
        staff,
        now,
        "review.answered",
        &format!("review:{review_id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Reports a published review as abusive, once per user and review. Returns the review's
/// organization, for the way back.
pub async fn report(
    db: &Db,
    reporter: &Actor,
    review_id: i64,
    reason: &str,
    now: i64,
) -> Result<i64, ReviewError> {
    let organization_id: Option<i64> = sqlx::query_scalar(
        "SELECT organization_id FROM reviews WHERE id = $1 AND status = 'published'",
    )
    .bind(review_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(organization_id) = organization_id else {
        return Err(ReviewError::NotFound);
    };
    check_reason(reason)?;
    let mut tx = db.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO review_reports (review_id, reporter_user_id, reason, created_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (review_id, reporter_user_id) DO NOTHING",
    )
    .bind(review_id)
    .bind(reporter.user_id)
    .bind(reason)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(ReviewError::AlreadyReported);
    }
    audit::record_by(
        &mut tx,
        reporter,
        now,
        "review.reported",
        &format!("review:{review_id}"),
        json!({ "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(organization_id)
}
