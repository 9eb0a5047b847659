//! Directions in the cabinets and the public protocol:
//!
//! - the parent's "Направления" (`/cabinet/directions`), one direction with "Принять" and
//!   "Отказаться" (refusing asks on a page of its own first, saying what the stop-list means);
//! - the organization's directions (`/org/directions`): "Зачислить", "Вернуть" with a reason,
//!   "Продлить" by some days;
//! - the public protocol of a region (`/protocol`) and its downloads (`/protocol.csv`,
//!   `/protocol.json`).
//!
//! The rules are in `kezek_core::directions`; these handlers translate. Another parent's or another
//! organization's direction answers 404.
//!
//! The parent's pages are in parent.rs, the organization's in org.rs, the protocol's in
//! protocol.rs; this file holds the routes and what they share.

mod org;
mod parent;
mod protocol;

use axum::Router;
use axum::routing::{get, post};

use crate::error::{PageError, PageResult};
use crate::page::Page;
use kezek_core::app::App;
use kezek_core::directions::{self, DirectionView};
use kezek_core::domain::direction::DirectionStatus;
use kezek_core::domain::queue::Category;
use kezek_core::domain::time;

const PARENT_LIST: &str = "/cabinet/directions";
const STAFF_LIST: &str = "/org/directions";

pub fn routes() -> Router<App> {
    Router::new()
        .route(PARENT_LIST, get(parent::parent_list))
        .route("/cabinet/directions/{id}", get(parent::parent_detail))
        .route("/cabinet/directions/{id}/accept", post(parent::accept))
        .route(
            "/cabinet/directions/{id}/refuse",
            get(parent::confirm_refuse).post(parent::refuse),
        )
        .route(STAFF_LIST, get(org::staff_list))
        .route("/org/directions/{id}/enroll", post(org::enroll))
        .route("/org/directions/{id}/return", post(org::return_direction))
        .route("/org/directions/{id}/extend", post(org::extend))
        .route("/protocol", get(protocol::protocol_page))
        .route("/protocol.csv", get(protocol::protocol_csv))
        .route("/protocol.json", get(protocol::protocol_json))
}

// ---- Shared ----

/// An id from the address; anything but a positive number is as unknown as another's.
fn direction_id(raw: &str) -> PageResult<i64> {
    raw.parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(PageError::NotFound)
}

fn status_text(page: &Page, code: &str) -> String {
    DirectionStatus::parse(code).map_or_else(|| code.to_owned(), |s| page.t(s.message_key()))
}

fn category_text(page: &Page, code: &str) -> String {
    Category::parse(code).map_or_else(|| code.to_owned(), |c| page.t(c.message_key()))
}

/// A direction as the lists and the detail page show it.
pub struct Row {
    pub id: i64,
    pub organization: String,
    pub address: String,
    pub group: String,
    pub number: String,
    pub child_name: String,
    pub status: String,
    pub open: bool,
    pub issued: bool,
    pub accepted: bool,
    pub issued_at: String,
    /// "Принять до …" / "Зачислить до …" with the date, for an open direction.
    pub deadline: Option<String>,
    pub position: i64,
    pub category: String,
    pub extended: bool,
    pub close_reason: Option<String>,
}

impl Row {
    fn new(page: &Page, v: &DirectionView) -> Row {
        let d = &v.direction;
        let status = d.status();
        let deadline = d.deadline().map(|at| {
            let key = if status == DirectionStatus::Issued {
                "directions-accept-by"
            } else {
                "directions-enroll-by"
            };
            page.t1(key, "date", &directions::deadline_text(at))
        });
        Row {
            id: d.id,
            organization: v.organization_name(page.lang_code()).to_owned(),
            address: v.address.clone(),
            group: v.group_name.clone(),
            number: v.number(),
            child_name: v.child_full_name(),
            status: status_text(page, d.status.as_str()),
            open: status.is_open(),
            issued: status == DirectionStatus::Issued,
            accepted: status == DirectionStatus::Accepted,
            issued_at: time::minutes(d.issued_at),
            deadline,
            position: d.position_at_issue,
            category: category_text(page, &d.category_at_issue),
            extended: d.extended_at.is_some(),
            close_reason: d
                .close_reason
                .clone()
                .filter(|r| status == DirectionStatus::Returned && !r.is_empty()),
        }
    }
}
