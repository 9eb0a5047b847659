//! "Отзывы" in the organization's cabinet: the published reviews of the staff member's own
//! organization, each with one public answer to write or edit. Another organization's review
//! answers 404.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path};
use axum::http::StatusCode;
use axum::routing::{get, post};

use crate::access::OrgStaff;
use crate::error::{PageError, PageResult};
use crate::page::{Fields, Page, field, see_other_with_flash};
use kezek_core::app::App;
use kezek_core::orgs::Organization;
use kezek_core::reviews::{self, PublishedReview, RatingSummary, ReviewError, write};

const PATH: &str = "/org/reviews";

pub fn routes() -> Router<App> {
    Router::new()
        .route(PATH, get(list))
        .route("/org/reviews/{id}/answer", post(answer))
}

#[derive(Template)]
#[template(path = "org_reviews.html")]
struct OrgReviewsTemplate<'a> {
    page: &'a Page,
    org: Organization,
    summary: RatingSummary,
    reviews: Vec<PublishedReview>,
    /// A refused answer: the review, what was typed and why it was refused.
    error: Option<(i64, String, String)>,
    max_chars: usize,
}

impl OrgReviewsTemplate<'_> {
    /// What the answer box of `review` holds: the refused text, else the published answer.
    fn answer_value(&self, review: &PublishedReview) -> String {
        match &self.error {
            Some((id, typed, _)) if *id == review.id => typed.clone(),
            _ => review.answer.clone().unwrap_or_default(),
        }
    }

    fn error_for(&self, review: &PublishedReview) -> Option<&str> {
        match &self.error {
            Some((id, _, message)) if *id == review.id => Some(message),
            _ => None,
        }
    }
}

async fn render(
    page: Page,
    org: Organization,
    error: Option<(i64, String, String)>,
    status: StatusCode,
) -> PageResult {
    let summary = reviews::summary(&page.app.db, org.id).await?;
    let list = reviews::for_organization(&page.app.db, org.id).await?;
    let page = page.titled("org-reviews-title");
    let template = OrgReviewsTemplate {
        page: &page,
        org,
        summary,
        reviews: list,
        error,
        max_chars: reviews::MAX_TEXT_CHARS,
    };
    page.render(status, &template)
}

pub async fn list(OrgStaff { org, .. }: OrgStaff, page: Page) -> PageResult {
    render(page, org, None, StatusCode::OK).await
}

pub async fn answer(
    OrgStaff { org, actor }: OrgStaff,
    page: Page,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let text = field(&fields, "answer");
    match write::answer(&page.app.db, &actor, org.id, id, text, page.app.now()).await {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            PATH,
            "flash-review-answered",
        )),
        Err(ReviewError::NotFound) => Err(PageError::NotFound),
        Err(ReviewError::Internal(e)) => Err(e.into()),
        Err(e) => {
            let message = page.t(e.message_key());
            let error = Some((id, text.to_owned(), message));
            render(page, org, error, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
