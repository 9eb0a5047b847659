//! Pages for every visitor: home (with the region's live figures), the data policy, the region
//! and language switchers, health, organizations' photos.

use anyhow::Context;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::context::jar;
use crate::cookies;
use crate::error::{PageError, PageResult};
use crate::page::{Page, local_path, see_other};
use kezek_core::app::App;
use kezek_core::domain::region;
use kezek_core::i18n::Lang;

#[derive(Template)]
#[template(path = "home.html")]
struct HomeTemplate<'a> {
    page: &'a Page,
    figures: kezek_core::portal::figures::RegionFigures,
    /// The region's newest published reviews.
    reviews: Vec<kezek_core::reviews::PublishedReview>,
}

/// The home page: the region's live figures, each leading to its page, and the latest reviews.
pub async fn home(page: Page) -> PageResult {
    let now = page.app.now();
    let region = page.ctx.region.code;
    let figures = page
        .app
        .public_figures
        .home
        .get_or_compute(region, || {
            kezek_core::portal::figures::of_region(&page.app.db, region, now)
        })
        .await
        .context("home page figures")?;
    let reviews = kezek_core::reviews::latest(&page.app.db, page.ctx.region.code, 3)
        .await
        .context("home page reviews")?;
    page.render(
        StatusCode::OK,
        &HomeTemplate {
            page: &page,
            figures,
            reviews,
        },
    )
}

#[derive(Template)]
#[template(path = "policy.html")]
struct PolicyTemplate<'a> {
    page: &'a Page,
}

pub async fn policy(page: Page) -> PageResult {
    let page = page.titled("policy-title");
    page.render(StatusCode::OK, &PolicyTemplate { page: &page })
}

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
    code: Option<String>,
}

/// Only a path of this site (see [`crate::page::local_path`]), else home: the switchers are no
/// open redirect.
fn safe_back(back: Option<&str>) -> String {
    back.and_then(local_path).unwrap_or_else(|| "/".to_owned())
}

const YEAR_SECS: i64 = 365 * 86_400;

pub async fn switch_language(
    State(app): State<App>,
    ctx: crate::context::Ctx,
    Path(code): Path<String>,
    Query(q): Query<Back>,
) -> Response {
    let mut response = see_other(&safe_back(q.back.as_deref()));
    if let Some(lang) = Lang::parse(&code) {
        if let Some(user) = &ctx.user
            && let Err(e) =
                kezek_core::accounts::users::set_language(app.db.pool(), user.id, lang.code()).await
        {
            tracing::warn!(error = %e, "could not remember the user's language");
        }
        response.headers_mut().append(
            header::SET_COOKIE,
            jar(&app).set(cookies::LANG, lang.code(), Some(YEAR_SECS), false),
        );
    }
    response
}

pub async fn switch_region(State(app): State<App>, Query(q): Query<Back>) -> Response {
    let mut response = see_other(&safe_back(q.back.as_deref()));
    if let Some(region) = q.code.as_deref().and_then(region::find) {
        response.headers_mut().append(
            header::SET_COOKIE,
            jar(&app).set(cookies::REGION, region.code, Some(YEAR_SECS), false),
        );
    }
    response
}

/// Answers 200 when the database answers, 503 otherwise (for load balancers).
pub async fn healthz(State(app): State<App>) -> Response {
    match app.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

pub async fn not_found() -> PageError {
    PageError::NotFound
}

/// An organization's photo, for anyone: organizations' cards are public.
pub async fn org_photo(State(app): State<App>, Path(id): Path<i64>) -> Response {
    let org = match kezek_core::orgs::store::organization(app.db.pool(), id).await {
        Ok(Some(org)) if org.active == 1 => org,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "photo lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Some(key) = org.photo else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app.storage.get(&key).await {
        Ok(Some((kind, bytes))) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, kind.content_type()),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, key, "photo unreadable");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_followed() {
        use super::safe_back;
        assert_eq!(safe_back(Some("/login?x=1")), "/login?x=1");
        assert_eq!(safe_back(Some("//evil.example")), "/");
        assert_eq!(safe_back(Some("https://evil.example")), "/");
        assert_eq!(safe_back(Some("/\\evil.example")), "/");
        assert_eq!(safe_back(Some("/\t/evil.example")), "/");
        assert_eq!(safe_back(None), "/");
    }
}
