//! "Уведомления": the logged-in user's notices, newest first, twenty a page, each marked as
//! read on its own or all at once. Parents and staff alike; plain links and forms, no script.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query};
use axum::http::StatusCode;
use axum::routing::{get, post};
use fluent_bundle::FluentValue;

use crate::access::SignedIn;
use crate::error::{PageError, PageResult};
use crate::page::{Fields, Page, field, see_other};
use kezek_core::app::App;
use kezek_core::domain::time;
use kezek_core::notifications::{self, NotificationError};

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

/// The page of the list a form was sent from.
fn back_to(fields: &Fields) -> String {
    page_href(page_number(Some(field(fields, "page"))))
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

pub async fn list(
    SignedIn { user, .. }: SignedIn,
    page: Page,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let number = page_number(query.get("page").map(String::as_str));
    let db = &page.app.db;
    // One more than a page tells whether an older page exists.
    let mut rows = notifications::list(
        db,
        user.id,
        kezek_core::paging::offset_of(number as u64, PER_PAGE as u64),
        PER_PAGE + 1,
    )
    .await?;
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

pub async fn mark_read(
    SignedIn { user, .. }: SignedIn,
    page: Page,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let id = id.parse::<i64>().map_err(|_| PageError::NotFound)?;
    let now = page.app.now();
    match notifications::mark_read(&page.app.db, user.id, id, now).await {
        // Back to the same page of the list, where the notice now shows as read.
        Ok(()) => Ok(see_other(&back_to(&fields))),
        Err(NotificationError::NotFound) => Err(PageError::NotFound),
        Err(NotificationError::Db(e)) => Err(e.into()),
    }
}

pub async fn mark_all_read(
    SignedIn { user, .. }: SignedIn,
    page: Page,
    Form(fields): Form<Fields>,
) -> PageResult {
    notifications::mark_all_read(&page.app.db, user.id, page.app.now()).await?;
    Ok(see_other(&back_to(&fields)))
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
