//! Reviews ("Отзывы") of preschool organizations: parents whose child got a direction there rate
//! it and write a review, moderators publish or reject it, staff answer publicly, anyone logged
//! in can report abuse.
//!
//! The read side below is the stable service API other pages build on: [`latest`],
//! [`for_organization`], [`summary`] and [`region_ratings`] return only *published* reviews, as
//! serde-serializable structs, with the author shown as a first name and an initial. Templates
//! can render such a list with `{% include "reviews_list.html" %}` (in kezek-web) (it reads `page` and
//! `reviews: Vec<PublishedReview>` from the including template). Writing is in [`write`],
//! moderation in [`moderation`].

pub mod moderation;
pub mod write;

use crate::db::Db;
use crate::db::reviews::{self as stored, PublishedRow};
use crate::domain::time;
use serde::Serialize;

/// The longest review, answer, or moderator's/reporter's reason, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
pub const MAX_REASON_CHARS: usize = 500;

pub use crate::domain::review::ReviewStatus;

/// Why a review action was refused; each has a translated message.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// No such review or organization, or not one this user may touch (not told apart).
    #[error("not found")]
    NotFound,
    #[error("no child of this parent got a direction to the organization")]
    NotEligible,
    #[error("the rating must be 1 to 5")]
    Rating,
    #[error("the text is empty")]
    TextRequired,
    #[error("the text is too long")]
    TextTooLong,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the reason is too long")]
    ReasonTooLong,
    #[error("this user already reported this review")]
    AlreadyReported,
    /// The review is not in the state the action needs (e.g. approved meanwhile).
    #[error("the review changed meanwhile")]
    WrongState,
    #[error(transparent)]
    Internal(#[from] crate::db::Error),
}

impl ReviewError {
    pub fn message_key(&self) -> &'static str {
        match self {
            ReviewError::NotFound => "error-not-found",
            ReviewError::NotEligible => "reviews-error-not-eligible",
            ReviewError::Rating => "reviews-error-rating",
            ReviewError::TextRequired => "reviews-error-text-required",
            ReviewError::TextTooLong => "reviews-error-text-too-long",
            ReviewError::ReasonRequired => "reviews-error-reason-required",
            ReviewError::ReasonTooLong => "reviews-error-reason-too-long",
            ReviewError::AlreadyReported => "reviews-error-already-reported",
            ReviewError::WrongState => "reviews-error-wrong-state",
            ReviewError::Internal(_) => "error-internal",
        }
    }

    /// The form field the message belongs beside; `None` for the whole form.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            ReviewError::Rating => Some("rating"),
            ReviewError::TextRequired | ReviewError::TextTooLong => Some("text"),
            ReviewError::ReasonRequired | ReviewError::ReasonTooLong => Some("reason"),
            _ => None,
        }
    }
}

/// Checks a required free text: not blank, at most `max` characters. Stored as typed.
fn check_text(
    text: &str,
    max: usize,
    empty: ReviewError,
    long: ReviewError,
) -> Result<(), ReviewError> {
    if text.trim().is_empty() {
        Err(empty)
    } else if text.chars().count() > max {
        Err(long)
    } else {
        Ok(())
    }
}

pub(crate) fn check_reason(reason: &str) -> Result<(), ReviewError> {
    check_text(
        reason,
        MAX_REASON_CHARS,
        ReviewError::ReasonRequired,
        ReviewError::ReasonTooLong,
    )
}

pub(crate) fn check_body(text: &str) -> Result<(), ReviewError> {
    check_text(
        text,
        MAX_TEXT_CHARS,
        ReviewError::TextRequired,
        ReviewError::TextTooLong,
    )
}

/// How the public sees an author: the first name and the initial of the last name.
pub fn author_display(first_name: &str, last_name: &str) -> String {
    let first = first_name.trim();
    match last_name.trim().chars().next() {
        Some(initial) if !first.is_empty() => format!("{first} {}.", initial.to_uppercase()),
        Some(initial) => format!("{}.", initial.to_uppercase()),
        None => first.to_owned(),
    }
}

/// A published review as anyone may see it.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedReview {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name_kk: String,
    pub organization_name_ru: String,
    /// 1 to 5.
    pub rating: i64,
    /// As typed; escape when showing.
    pub text: String,
    /// First name and initial, e.g. "Алия С.".
    pub author: String,
    /// Unix seconds of the (latest) approval.
    pub published_at: i64,
    /// The organization's public answer.
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
}

impl PublishedReview {
    pub fn organization_name(&self, lang: &str) -> &str {
        crate::domain::Names::new(&self.organization_name_kk, &self.organization_name_ru, None)
            .get(lang)
    }

    pub fn date(&self) -> String {
        time::day_of(self.published_at)
    }

    /// "★★★★☆" for 4: shown beside the number, never instead of it.
    pub fn stars(&self) -> String {
        stars(self.rating)
    }
}

pub fn stars(rating: i64) -> String {
    let full = rating.clamp(0, 5) as usize;
    format!("{}{}", "★".repeat(full), "☆".repeat(5 - full))
}

/// An organization's published reviews: how many and their average rating.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RatingSummary {
    pub organization_id: i64,
    pub count: i64,
    /// `None` without reviews.
    pub average: Option<f64>,
}

impl RatingSummary {
    fn new(organization_id: i64, count: i64, sum: i64) -> RatingSummary {
        RatingSummary {
            organization_id,
            count,
            average: (count > 0).then(|| sum as f64 / count as f64),
        }
    }

    /// The average with one decimal ("4.3"), empty without reviews.
    pub fn average_text(&self) -> String {
        self.average.map(|a| format!("{a:.1}")).unwrap_or_default()
    }
}

/// A region's organization with published reviews and its rating, for the overview table.
#[derive(Debug, Clone, Serialize)]
pub struct OrganizationRating {
    pub organization_id: i64,
    pub name_kk: String,
    pub name_ru: String,
    pub summary: RatingSummary,
}

impl OrganizationRating {
    pub fn name(&self, lang: &str) -> &str {
        crate::domain::Names::new(&self.name_kk, &self.name_ru, None).get(lang)
    }
}

impl From<PublishedRow> for PublishedReview {
    fn from(r: PublishedRow) -> PublishedReview {
        PublishedReview {
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
            published_at: r.published_at.unwrap_or(r.updated_at),
            answer: r.answer,
            answered_at: r.answered_at,
        }
    }
}

/// The KATO range of a region's 2-digit code: every organization whose code starts with it.
fn region_range(region_code: &str) -> (String, String) {
    (format!("{region_code:0<9}"), format!("{region_code:9<9}"))
}

/// The `n` newest published reviews of organizations in the region (2-digit KATO prefix).
pub async fn latest(
    db: &Db,
    region_code: &str,
    n: i64,
) -> Result<Vec<PublishedReview>, crate::db::Error> {
    published_in_region(db, region_code, 0, n).await
}

/// A page of the region's published reviews, newest first, and how many there are in all.
pub async fn region_page(
    db: &Db,
    region_code: &str,
    offset: i64,
    limit: i64,
) -> Result<(i64, Vec<PublishedReview>), crate::db::Error> {
    let (from, to) = region_range(region_code);
    let total = stored::count_published_in_range(db.pool(), &from, &to).await?;
    let reviews = published_in_region(db, region_code, offset, limit).await?;
    Ok((total, reviews))
}

async fn published_in_region(
    db: &Db,
    region_code: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<PublishedReview>, crate::db::Error> {
    let (from, to) = region_range(region_code);
    let rows =
        stored::published_in_range(db.pool(), &from, &to, offset.max(0), limit.max(0)).await?;
    Ok(rows.into_iter().map(PublishedReview::from).collect())
}

/// Every published review of one organization, newest first.
pub async fn for_organization(
    db: &Db,
    organization_id: i64,
) -> Result<Vec<PublishedReview>, crate::db::Error> {
    let rows = stored::published_of_organization(db.pool(), organization_id).await?;
    Ok(rows.into_iter().map(PublishedReview::from).collect())
}

/// One organization's rating: the count and average of its published reviews.
pub async fn summary(db: &Db, organization_id: i64) -> Result<RatingSummary, crate::db::Error> {
    let (count, sum) = stored::rating_of_organization(db.pool(), organization_id).await?;
    Ok(RatingSummary::new(organization_id, count, sum.unwrap_or(0)))
}

/// The region's organizations that have published reviews, with their ratings, best first.
pub async fn region_ratings(
    db: &Db,
    region_code: &str,
) -> Result<Vec<OrganizationRating>, crate::db::Error> {
    let (from, to) = region_range(region_code);
    let rows = stored::ratings_in_range(db.pool(), &from, &to).await?;
    let mut out: Vec<OrganizationRating> = rows
        .into_iter()
        .map(|(id, kk, ru, count, sum)| OrganizationRating {
            organization_id: id,
            name_kk: kk,
            name_ru: ru,
            summary: RatingSummary::new(id, count, sum),
        })
        .collect();
    // Best average first (compared to a thousandth, so float noise does not reorder ties),
    // then the one more people rated, then by name.
    out.sort_by(|a, b| {
        let key =
            |r: &OrganizationRating| (r.summary.average.unwrap_or(0.0) * 1000.0).round() as i64;
        key(b)
            .cmp(&key(a))
            .then(b.summary.count.cmp(&a.summary.count))
            .then(a.name_ru.cmp(&b.name_ru))
    });
    Ok(out)
}

/// Whether `parent_user_id` may review the organization: a child of theirs got a direction to it
/// (whatever became of it since: issued, accepted, enrolled, refused, expired or returned).
pub async fn eligible(
    db: &Db,
    parent_user_id: i64,
    organization_id: i64,
) -> Result<bool, crate::db::Error> {
    stored::any_direction_to(db.pool(), parent_user_id, organization_id).await
}

/// A parent's own review of an organization, in whatever state it is.
pub use crate::db::reviews::OwnReview;

pub async fn own_review(
    db: &Db,
    author_user_id: i64,
    organization_id: i64,
) -> Result<Option<OwnReview>, crate::db::Error> {
    stored::own(db.pool(), author_user_id, organization_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_show_a_first_name_and_an_initial() {
        assert_eq!(author_display("Алия", "сапарова"), "Алия С.");
        assert_eq!(author_display(" Алия ", ""), "Алия");
        assert_eq!(author_display("", "Сапарова"), "С.");
    }

    #[test]
    fn texts_are_required_and_limited() {
        assert!(matches!(check_body("  \n"), Err(ReviewError::TextRequired)));
        assert!(check_body(&"я".repeat(MAX_TEXT_CHARS)).is_ok());
        assert!(matches!(
            check_body(&"я".repeat(MAX_TEXT_CHARS + 1)),
            Err(ReviewError::TextTooLong)
        ));
        assert!(matches!(check_reason(""), Err(ReviewError::ReasonRequired)));
    }

    #[test]
    fn summaries_and_stars() {
        let s = RatingSummary::new(1, 3, 13);
        assert_eq!(s.average_text(), "4.3");
        assert_eq!(RatingSummary::new(1, 0, 0).average, None);
        assert_eq!(stars(4), "★★★★☆");
        for st in ["pending", "published", "rejected", "hidden"] {
            assert_eq!(ReviewStatus::parse(st).unwrap().as_str(), st);
        }
    }
}
