//! "Отзывы": the region's published reviews (newest first, with each organization's average),
//! an organization's reviews with the eligible parent's "Оставить отзыв" / edit form, and abuse
//! reports from anyone logged in. Texts are shown escaped; authors by first name and initial.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query};
use axum::http::StatusCode;
use axum::routing::{get, post};

use crate::access::{Parent, SignedIn};
use crate::error::{PageError, PageResult};
use crate::page::{Fields, FormState, Page, field, see_other_with_flash};
use kezek_core::app::App;
use kezek_core::domain::Role;
use kezek_core::orgs::{Organization, store};
use kezek_core::paging;
use kezek_core::reviews::{
    self, OrganizationRating, OwnReview, PublishedReview, RatingSummary, ReviewError,
    write::{self, Saved},
};

const PAGE_SIZE: u64 = 20;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/reviews", get(region_reviews))
        .route(
            "/reviews/org/{id}",
            get(organization_reviews).post(save_review),
        )
        .route("/reviews/{id}/report", post(report))
}

/// The rating choices of the form, best first.
pub fn rating_options(page: &Page) -> Vec<(String, String)> {
    (1..=5)
        .rev()
        .map(|n: i64| {
            let label = page.t1("reviews-rating-option", "rating", &n.to_string());
            (n.to_string(), label)
        })
        .collect()
}

#[derive(Template)]
#[template(path = "reviews.html")]
struct RegionTemplate<'a> {
    page: &'a Page,
    ratings: Vec<OrganizationRating>,
    reviews: Vec<PublishedReview>,
    page_no: u64,
    pages: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

pub async fn region_reviews(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let page = page.titled("reviews-title");
    let region = page.ctx.region.code;
    let requested = paging::requested(q.get("page").map(String::as_str));
    let db = &page.app.db;
    let (paged, reviews) = paging::fetch(requested, PAGE_SIZE, |offset, limit| async move {
        let (total, reviews) = reviews::region_page(db, region, offset, limit).await?;
        Ok::<_, kezek_core::db::Error>((u64::try_from(total).unwrap_or(0), reviews))
    })
    .await?;
    let ratings = reviews::region_ratings(&page.app.db, region).await?;
    let href = |n: u64| format!("/reviews?page={n}");
    let template = RegionTemplate {
        page: &page,
        ratings,
        reviews,
        page_no: paged.page,
        pages: paged.pages,
        prev_href: paged.prev().map(href),
        next_href: paged.next().map(href),
    };
    page.render(StatusCode::OK, &template)
}

/// What the organization's page offers the visitor about writing a review.
enum Writer {
    /// Not logged in: a link to "Вход".
    Visitor,
    /// Staff, or a parent with no direction to this organization: a sentence why not.
    NotAllowed(&'static str),
    /// A parent who may write: the form, and their review if they have one.
    Parent(Option<OwnReview>),
}

#[derive(Template)]
#[template(path = "reviews_org.html")]
struct OrganizationTemplate<'a> {
    page: &'a Page,
    org: Organization,
    summary: RatingSummary,
    reviews: Vec<PublishedReview>,
    writer: Writer,
    form: FormState,
    ratings: Vec<(String, String)>,
    max_chars: usize,
}

/// An active organization, or "not found".
async fn active_organization(page: &Page, id: i64) -> PageResult<Organization> {
    store::organization(page.app.db.pool(), id)
        .await?
        .filter(|org| org.active == 1)
        .ok_or(PageError::NotFound)
}

async fn render_organization(
    page: Page,
    org: Organization,
    mut form: FormState,
    status: StatusCode,
) -> PageResult {
    let db = &page.app.db;
    let summary = reviews::summary(db, org.id).await?;
    let list = reviews::for_organization(db, org.id).await?;
    let writer = match &page.ctx.user {
        None => Writer::Visitor,
        Some(user) if user.role != Role::Parent => Writer::NotAllowed("reviews-parents-only"),
        Some(user) if reviews::eligible(db, user.id, org.id).await? => {
            Writer::Parent(reviews::own_review(db, user.id, org.id).await?)
        }
        Some(_) => Writer::NotAllowed("reviews-error-not-eligible"),
    };
    if let Writer::Parent(Some(own)) = &writer
        && !form.has_errors()
    {
        form.set_value("rating", own.rating.to_string());
        form.set_value("text", own.body.clone());
    }
    let page = page.titled("reviews-org-title");
    let template = OrganizationTemplate {
        page: &page,
        ratings: rating_options(&page),
        org,
        summary,
        reviews: list,
        writer,
        form,
        max_chars: reviews::MAX_TEXT_CHARS,
    };
    page.render(status, &template)
}

pub async fn organization_reviews(page: Page, Path(id): Path<i64>) -> PageResult {
    let org = active_organization(&page, id).await?;
    render_organization(page, org, FormState::default(), StatusCode::OK).await
}

pub async fn save_review(
    Parent(parent): Parent,
    page: Page,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let org = active_organization(&page, id).await?;
    // A rating that is not a number is "no rating": the same message as one out of range.
    let rating = field(&fields, "rating").trim().parse::<i64>().unwrap_or(0);
    let text = field(&fields, "text");
    let now = page.app.now();
    match write::save(&page.app.db, &parent, org.id, rating, text, now).await {
        Ok(saved) => {
            let flash = match saved {
                Saved::Created(_) => "flash-review-sent",
                Saved::Edited(_) => "flash-review-edited",
            };
            Ok(see_other_with_flash(
                &page.app,
                &format!("/reviews/org/{}", org.id),
                flash,
            ))
        }
        Err(ReviewError::NotFound) => Err(PageError::NotFound),
        Err(ReviewError::NotEligible) => Err(PageError::Refused(
            StatusCode::FORBIDDEN,
            "reviews-error-not-eligible",
        )),
        Err(ReviewError::Internal(e)) => Err(e.into()),
        Err(e) => {
            let mut form = FormState::with_values(&fields);
            form.set_error(e.field(), page.t(e.message_key()));
            render_organization(page, org, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn report(
    reporter: SignedIn,
    page: Page,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let reason = field(&fields, "reason");
    let now = page.app.now();
    match write::report(&page.app.db, &reporter.actor(), id, reason, now).await {
        Ok(org_id) => Ok(see_other_with_flash(
            &page.app,
            &format!("/reviews/org/{org_id}"),
            "flash-review-reported",
        )),
        Err(ReviewError::NotFound) => Err(PageError::NotFound),
        Err(ReviewError::AlreadyReported) => Err(PageError::Refused(
            StatusCode::CONFLICT,
            "reviews-error-already-reported",
        )),
        Err(ReviewError::ReasonRequired) => Err(PageError::Refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "reviews-error-reason-required",
        )),
        Err(ReviewError::ReasonTooLong) => Err(PageError::Refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "reviews-error-reason-too-long",
        )),
        Err(e) => Err(e.into()),
    }
}
