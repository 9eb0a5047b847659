//! What parents, organization staff and any logged-in user write: a review (new or edited, both
//! waiting for moderation), the organization's public answer, and an abuse report.
//! Callers have checked the role; every function here checks the object.

use serde_json::json;

use super::{ReviewError, check_body, check_reason, eligible};
use crate::audit::{self, Actor};
use crate::db::Db;
use crate::db::reviews as stored;

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
    let active = stored::organization_active(db.pool(), organization_id).await?;
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
    let before = stored::by_author(&mut *tx, organization_id, parent.user_id).await?;
    let id =
        stored::save_pending(&mut *tx, organization_id, parent.user_id, rating, text, now).await?;
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
    let Some(before) = stored::published_answer(&mut *tx, review_id, organization_id).await? else {
        return Err(ReviewError::NotFound);
    };
    stored::set_answer(
        &mut *tx,
        review_id,
        organization_id,
        text,
        staff.user_id,
        now,
    )
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
    let organization_id = stored::published_organization(db.pool(), review_id).await?;
    let Some(organization_id) = organization_id else {
        return Err(ReviewError::NotFound);
    };
    check_reason(reason)?;
    let mut tx = db.begin().await?;
    if !stored::add_report(&mut *tx, review_id, reporter.user_id, reason, now).await? {
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
