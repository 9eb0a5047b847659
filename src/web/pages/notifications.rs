//! "Уведомления": the logged-in user's notices, newest first, twenty a page, each marked as
//! read on its own or all at once. Parents and staff alike; plain links and forms, no script.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use fluent_bundle::FluentValue;

use crate::accounts::CurrentUser;
use crate::app::App;
use crate::domain::time;
use crate::notifications::{self, NotificationError};
use crate::web::page::{Fields, Page, field, see_other, see_other_with_flash};

const PATH: &str = "/cabinet/notifications";
const PER_PAGE: i64 = 20;
/// Far beyond any real list; keeps the offset arithmetic far from overflowing.
const MAX_PAGE: i64 = 100_000;

pub fn routes() -> Router<App> {
    Router::new()
        .route(PATH, get(list))
        .route("/cabinet/notifications/read-all", post(mark_all_read))
        .route("/cabinet/notifications/{id}/read", post(mark_read))
}

/// The logged-in user, or a redirect to "Вход".
#[allow(clippy::result_large_err)] // the redirect is built once per request; boxing buys nothing
fn require_user(page: &Page) -> Result<CurrentUser, Response> {
    page.ctx
        .user
        .clone()
        .ok_or_else(|| see_other_with_flash(&page.app, "/login", "flash-login-required"))
}

fn internal_error(page: Page, error: impl std::fmt::Display) -> Response {
    tracing::error!(error = %error, "notifications page failed");
    page.error(StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
}

/// A page number from the address or a form: 1 when missing or nonsense.
fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|p| p.trim().parse::<i64>().ok())
        .map_or(1, |p| p.clamp(1, MAX_PAGE))
}

fn page_href(number: i64) -> String {
    if number <= 1 {
        PATH.to_owned()
    } else {
        format!("{PATH}?page={number}")
    }
}

struct Item {
    id: i64,
    unread: bool,
    time: String,
    datetime: String,
    text: String,
    link: Option<String>,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    items: Vec<Item>,
    summary: Option<String>,
    any_unread: bool,
    number: i64,
    newer_href: Option<String>,
    older_href: Option<String>,
}

pub async fn list(page: Page, Query(query): Query<HashMap<String, String>>) -> Response {
    let user = match require_user(&page) {
        Ok(user) => user,
        Err(response) => return response,
    };
    let number = page_number(query.get("page").map(String::as_str));
    let db = &page.app.db;
    // One more than a page tells whether an older page exists.
    let mut rows =
        match notifications::list(db, user.id, (number - 1) * PER_PAGE, PER_PAGE + 1).await {
            Ok(rows) => rows,
            Err(e) => return internal_error(page, e),
        };
    let has_older = rows.len() as i64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);
    let page = page.titled("notifications-title");
    let lang = page.lang();
    let items = rows
        .iter()
        .map(|n| Item {
            id: n.id,
            unread: n.is_unread(),
            time: time::minutes(n.created_at),
            datetime: time::machine(n.created_at),
            text: n.text(&page.app.i18n, lang),
            link: n.local_link().map(str::to_owned),
        })
        .collect();
    // The extractor has just counted them for the bell.
    let unread = page.unread_notifications.unwrap_or(0);
    let summary = if unread > 0 {
        Some(page.app.i18n.get_with(
            lang,
            "notifications-unread-summary",
            &[("count", FluentValue::from(unread))],
        ))
    } else if rows.is_empty() && number == 1 {
        None
    } else {
        Some(page.t("notifications-all-read"))
    };
    page.render(
        StatusCode::OK,
        &ListTemplate {
            page: &page,
            items,
            summary,
            any_unread: unread > 0,
            number,
            newer_href: (number > 1).then(|| page_href(number - 1)),
            older_href: has_older.then(|| page_href(number + 1)),
        },
    )
}

pub async fn mark_read(page: Page, Path(id): Path<String>, Form(fields): Form<Fields>) -> Response {
    let user = match require_user(&page) {
        Ok(user) => user,
        Err(response) => return response,
    };
    let Ok(id) = id.parse::<i64>() else {
        return page.error(StatusCode::NOT_FOUND, "error-not-found");
    };
    let now = page.app.now();
    match notifications::mark_read(&page.app.db, user.id, id, now).await {
        // Back to the same page of the list, where the notice now shows as read.
        Ok(()) => see_other(&page_href(page_number(Some(field(&fields, "page"))))),
        Err(NotificationError::NotFound) => page.error(StatusCode::NOT_FOUND, "error-not-found"),
        Err(NotificationError::Db(e)) => internal_error(page, e),
    }
}

pub async fn mark_all_read(page: Page, Form(fields): Form<Fields>) -> Response {
    let user = match require_user(&page) {
        Ok(user) => user,
        Err(response) => return response,
    };
    let now = page.app.now();
    match notifications::mark_all_read(&page.app.db, user.id, now).await {
        Ok(_) => see_other(&page_href(page_number(Some(field(&fields, "page"))))),
        Err(e) => internal_error(page, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_forgiving() {
        assert_eq!(page_number(None), 1);
        assert_eq!(page_number(Some("")), 1);
        assert_eq!(page_number(Some("abc")), 1);
        assert_eq!(page_number(Some("-4")), 1);
        assert_eq!(page_number(Some("3")), 3);
        assert_eq!(page_number(Some("99999999999999999999")), 1);
        assert_eq!(page_number(Some("9223372036854775807")), MAX_PAGE);
        assert_eq!(page_href(1), "/cabinet/notifications");
        assert_eq!(page_href(2), "/cabinet/notifications?page=2");
    }
}
