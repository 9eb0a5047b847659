//! The administrator's cabinet: staff accounts, reference lists, region rules, the working-day
//! calendar and the read-only audit log. Only administrators get in; the rules live in
//! `kezek_core::staff`, `kezek_core::reference`, `kezek_core::region_rules` and `kezek_core::calendar_days`.

mod audit;
mod calendar;
mod reference;
mod regions;
mod staff;

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};

use crate::access::Admin;
use crate::error::PageResult;
use crate::page::Page;
use kezek_core::app::App;
use kezek_core::domain::Phone;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/admin", get(home))
        .route("/admin/staff", get(staff::list))
        .route("/admin/staff/new", get(staff::new_form).post(staff::create))
        .route(
            "/admin/staff/{id}",
            get(staff::edit_form).post(staff::change),
        )
        .route("/admin/staff/{id}/block", post(staff::block))
        .route("/admin/staff/{id}/unblock", post(staff::unblock))
        .route("/admin/reference", get(reference::kinds))
        .route(
            "/admin/reference/{kind}",
            get(reference::list).post(reference::add),
        )
        .route(
            "/admin/reference/{kind}/{code}",
            get(reference::item).post(reference::update),
        )
        .route(
            "/admin/reference/{kind}/{code}/delete",
            post(reference::delete),
        )
        .route("/admin/regions", get(regions::list))
        .route(
            "/admin/regions/{code}",
            get(regions::show).post(regions::save),
        )
        .route("/admin/calendar", get(calendar::show).post(calendar::add))
        .route("/admin/calendar/{day}/delete", post(calendar::remove))
        .route("/admin/audit", get(audit::log))
}

/// A stored E.164 number as people read it.
fn display_phone(e164: &str) -> String {
    Phone::parse(e164).map_or_else(|_| e164.to_owned(), |p| p.display())
}

#[derive(Template)]
#[template(path = "admin.html")]
struct HomeTemplate<'a> {
    page: &'a Page,
}

async fn home(_: Admin, page: Page) -> PageResult {
    let page = page.titled("admin-title");
    page.render(StatusCode::OK, &HomeTemplate { page: &page })
}
