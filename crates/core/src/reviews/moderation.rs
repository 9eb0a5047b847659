//! Moderation of reviews: what waits for a moderator (new or edited reviews, published ones with
//! open abuse reports) and the decisions — approve, reject with a reason, hide with a reason,
//! dismiss the reports. Each decision is audited; the author gets a cabinet notice.

use serde_json::json;

use super::{ReviewError, author_display, check_reason};
use crate::audit::{self, Actor};
use crate::db::reviews::moderation::{self as stored, ItemRow};
use crate::db::{Db, Tx};
use crate::domain::time;

/// A review as the moderator sees it, with its open abuse reports.
#[derive(Debug, Clone)]
pub struct ModerationItem {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name_kk: String,
    pub organization_name_ru: String,
    pub rating: i64,
    pub text: String,
    pub author: String,
    pub status: super::ReviewStatus,
    pub updated_at: i64,
    pub answer: Option<String>,
    /// (reason, date) of each open report, oldest first.
    pub reports: Vec<(String, String)>,
}

impl ModerationItem {
    pub fn organization_name(&self, lang: &str) -> &str {
        crate::domain::Names::new(&self.organization_name_kk, &self.organization_name_ru, None)
            .get(lang)
    }

    pub fn date(&self) -> String {
        time::day_of(self.updated_at)
    }

    pub fn stars(&self) -> String {
        super::stars(self.rating)
    }
}

/// How many items each list shows at most: the oldest first, so nothing waits forever.
const LIST_LIMIT: i64 = 100;

async fn with_reports(
    db: &Db,
    rows: Vec<ItemRow>,
) -> Result<Vec<ModerationItem>, crate::db::Error> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let reports = stored::open_reports(db.pool(), r.id).await?;
        out.push(ModerationItem {
            id: r.id,
            organization_id: r.organization_id,
            organization_name_kk: r.name_kk,
            organization_name_ru: r.name_ru,
            rating: r.rating,
            text: r.body,
            author: author_display(
                r.first_name.as_deref().unwrap_or(""),
                r.last_name.as_deref().unwrap_or(""),
            ),
            status: r.status,
            updated_at: r.updated_at,
            answer: r.answer,
            reports: reports
                .into_iter()
                .map(|(reason, at)| (reason, time::day_of(at)))
                .collect(),
        });
    }
    Ok(out)
}

/// New and edited reviews waiting for a decision, the longest-waiting first.
pub async fn pending(db: &Db) -> Result<Vec<ModerationItem>, crate::db::Error> {
    with_reports(db, stored::pending(db.pool(), LIST_LIMIT).await?).await
}

/// Published reviews with open abuse reports, the earliest reported first.
pub async fn reported(db: &Db) -> Result<Vec<ModerationItem>, crate::db::Error> {
    with_reports(db, stored::reported(db.pool(), LIST_LIMIT).await?).await
}

/// The review's author and organization names, for the notice.
async fn subject(tx: &mut Tx, review_id: i64) -> Result<(i64, i64, String, String), ReviewError> {
    let found = stored::subject(&mut **tx, review_id).await?;
    found.ok_or(ReviewError::NotFound)
}

/// Moves the review from `from` to `to`, or says it is not (any longer) in `from`.
#[allow(clippy::too_many_arguments)] // one flat step shared by the decisions below
async fn decide(
    db: &Db,
    moderator: &Actor,
    review_id: i64,
    from: &str,
    to: &str,
    reason: Option<&str>,
    action: &str,
    notice_key: &str,
    now: i64,
) -> Result<(), ReviewError> {
    if let Some(reason) = reason {
        check_reason(reason)?;
    }
    let mut tx = db.begin().await?;
    let (author, organization_id, name_kk, name_ru) = subject(&mut tx, review_id).await?;
    let published_at = if to == "published" { Some(now) } else { None };
    let changed = stored::set_status(
        &mut *tx,
        review_id,
        from,
        to,
        reason,
        moderator.user_id,
        published_at,
        now,
    )
    .await?;
    if !changed {
        return Err(ReviewError::WrongState);
    }
    if to == "hidden" {
        resolve_reports(&mut tx, moderator, review_id, "hidden", now).await?;
    }
    let detail = json!({
        "organization_id": organization_id,
        "before": { "status": from },
        "after": { "status": to, "reason": reason },
    });
    audit::record_by(
        &mut tx,
        moderator,
        now,
        action,
        &format!("review:{review_id}"),
        detail,
    )
    .await?;
    let args = [
        ("org_kk", name_kk),
        ("org_ru", name_ru),
        ("reason", reason.unwrap_or_default().to_owned()),
    ];
    let link = format!("/reviews/org/{organization_id}");
    crate::notifications::notify(&mut tx, author, notice_key, &args, Some(&link), now).await?;
    tx.commit().await?;
    Ok(())
}

async fn resolve_reports(
    tx: &mut Tx,
    moderator: &Actor,
    review_id: i64,
    resolution: &str,
    now: i64,
) -> Result<u64, crate::db::Error> {
    stored::resolve_reports(&mut **tx, review_id, resolution, moderator.user_id, now).await
}

/// Publishes a pending review.
pub async fn approve(
    db: &Db,
    moderator: &Actor,
    review_id: i64,
    now: i64,
) -> Result<(), ReviewError> {
    decide(
        db,
        moderator,
        review_id,
        "pending",
        "published",
        None,
        "review.approved",
        "reviews-notice-approved",
        now,
    )
    .await
}

/// Refuses a pending review; the author reads the reason and may edit it.
pub async fn reject(
    db: &Db,
    moderator: &Actor,
    review_id: i64,
    reason: &str,
    now: i64,
) -> Result<(), ReviewError> {
    decide(
        db,
        moderator,
        review_id,
        "pending",
        "rejected",
        Some(reason),
        "review.rejected",
        "reviews-notice-rejected",
        now,
    )
    .await
}

/// Takes a published review down (after reports); its open reports are resolved as "hidden".
pub async fn hide(
    db: &Db,
    moderator: &Actor,
    review_id: i64,
    reason: &str,
    now: i64,
) -> Result<(), ReviewError> {
    decide(
        db,
        moderator,
        review_id,
        "published",
        "hidden",
        Some(reason),
        "review.hidden",
        "reviews-notice-hidden",
        now,
    )
    .await
}

/// Leaves a reported review published and closes its open reports.
pub async fn dismiss_reports(
    db: &Db,
    moderator: &Actor,
    review_id: i64,
    now: i64,
) -> Result<(), ReviewError> {
    let mut tx = db.begin().await?;
    subject(&mut tx, review_id).await?;
    let closed = resolve_reports(&mut tx, moderator, review_id, "dismissed", now).await?;
    if closed == 0 {
        return Err(ReviewError::WrongState);
    }
    audit::record_by(
        &mut tx,
        moderator,
        now,
        "review.reports_dismissed",
        &format!("review:{review_id}"),
        json!({ "reports": closed }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
