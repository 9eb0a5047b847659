//! "Модерация отзывов": the moderator's page — new and edited reviews to approve or reject (with
//! a reason), published ones with abuse reports to hide (with a reason) or leave. Moderators only.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path};
use axum::http::StatusCode;
use axum::routing::{get, post};

use crate::access::Moderator;
use crate::error::{PageError, PageResult};
use crate::page::{Fields, Page, field, see_other_with_flash};
use kezek_core::app::App;
use kezek_core::reviews::moderation::{self, ModerationItem};
use kezek_core::reviews::{MAX_REASON_CHARS, ReviewError};

const PATH: &str = "/moderation";

pub fn routes() -> Router<App> {
    Router::new()
        .route(PATH, get(queue))
        .route("/moderation/reviews/{id}/approve", post(approve))
        .route("/moderation/reviews/{id}/reject", post(reject))
        .route("/moderation/reviews/{id}/hide", post(hide))
        .route("/moderation/reviews/{id}/dismiss", post(dismiss))
}

#[derive(Template)]
#[template(path = "moderation.html")]
struct ModerationTemplate<'a> {
    page: &'a Page,
    pending: Vec<ModerationItem>,
    reported: Vec<ModerationItem>,
    /// A refused decision: the review it was about and why.
    error: Option<(i64, String)>,
    max_reason: usize,
}

async fn render(page: Page, error: Option<(i64, String)>, status: StatusCode) -> PageResult {
    let pending = moderation::pending(&page.app.db).await?;
    let reported = moderation::reported(&page.app.db).await?;
    let page = page.titled("moderation-title");
    let template = ModerationTemplate {
        page: &page,
        pending,
        reported,
        error,
        max_reason: MAX_REASON_CHARS,
    };
    page.render(status, &template)
}

pub async fn queue(_: Moderator, page: Page) -> PageResult {
    render(page, None, StatusCode::OK).await
}

/// Which decision a form asks for.
#[derive(Clone, Copy)]
enum Decision {
    Approve,
    Reject,
    Hide,
    Dismiss,
}

async fn act(
    Moderator(moderator): Moderator,
    page: Page,
    id: i64,
    fields: Fields,
    decision: Decision,
) -> PageResult {
    let db = &page.app.db;
    let now = page.app.now();
    let reason = field(&fields, "reason");
    let (outcome, flash) = match decision {
        Decision::Approve => (
            moderation::approve(db, &moderator, id, now).await,
            "flash-moderation-approved",
        ),
        Decision::Reject => (
            moderation::reject(db, &moderator, id, reason, now).await,
            "flash-moderation-rejected",
        ),
        Decision::Hide => (
            moderation::hide(db, &moderator, id, reason, now).await,
            "flash-moderation-hidden",
        ),
        Decision::Dismiss => (
            moderation::dismiss_reports(db, &moderator, id, now).await,
            "flash-moderation-dismissed",
        ),
    };
    match outcome {
        Ok(()) => Ok(see_other_with_flash(&page.app, PATH, flash)),
        Err(ReviewError::NotFound) => Err(PageError::NotFound),
        Err(ReviewError::Internal(e)) => Err(e.into()),
        // Another moderator decided first: the page shows what is left.
        Err(ReviewError::WrongState) => Ok(see_other_with_flash(
            &page.app,
            PATH,
            "flash-review-already-decided",
        )),
        Err(e) => {
            let message = page.t(e.message_key());
            render(page, Some((id, message)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn approve(
    m: Moderator,
    page: Page,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> PageResult {
    act(m, page, id, f, Decision::Approve).await
}

pub async fn reject(
    m: Moderator,
    page: Page,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> PageResult {
    act(m, page, id, f, Decision::Reject).await
}

pub async fn hide(
    m: Moderator,
    page: Page,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> PageResult {
    act(m, page, id, f, Decision::Hide).await
}

pub async fn dismiss(
    m: Moderator,
    page: Page,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> PageResult {
    act(m, page, id, f, Decision::Dismiss).await
}
