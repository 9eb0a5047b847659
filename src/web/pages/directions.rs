//! Directions in the cabinets and the public protocol:
//!
//! - the parent's "Направления" (`/cabinet/directions`), one direction with "Принять" and
//!   "Отказаться" (refusing asks on a page of its own first, saying what the stop-list means);
//! - the organization's directions (`/org/directions`): "Зачислить", "Вернуть" with a reason,
//!   "Продлить" by some days;
//! - the public protocol of a region (`/protocol`) and its downloads (`/protocol.csv`,
//!   `/protocol.json`).
//!
//! The rules are in `crate::directions`; these handlers translate. Another parent's or another
//! organization's direction answers 404.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use fluent_bundle::FluentValue;

use crate::app::App;
use crate::audit::Actor;
use crate::directions::{self, DirectionError, DirectionView, protocol};
use crate::domain::Role;
use crate::domain::direction::{DirectionStatus, ExtensionError, local_date};
use crate::domain::queue::Category;
use crate::region_rules::{self, AfterStopList};
use crate::web::page::{Fields, FormState, Page, field, see_other_with_flash};

use super::org::my_organization;

const PARENT_LIST: &str = "/cabinet/directions";
const STAFF_LIST: &str = "/org/directions";
/// Protocol entries per page.
const PROTOCOL_PAGE: i64 = 50;

pub fn routes() -> Router<App> {
    Router::new()
        .route(PARENT_LIST, get(parent_list))
        .route("/cabinet/directions/{id}", get(parent_detail))
        .route("/cabinet/directions/{id}/accept", post(accept))
        .route(
            "/cabinet/directions/{id}/refuse",
            get(confirm_refuse).post(refuse),
        )
        .route(STAFF_LIST, get(staff_list))
        .route("/org/directions/{id}/enroll", post(enroll))
        .route("/org/directions/{id}/return", post(return_direction))
        .route("/org/directions/{id}/extend", post(extend))
        .route("/protocol", get(protocol_page))
        .route("/protocol.csv", get(protocol_csv))
        .route("/protocol.json", get(protocol_json))
}

// ---- Shared ----

fn error_page(page: &Page) -> Page {
    Page::new(page.app.clone(), page.ctx.clone(), "error-title")
}

fn not_found(page: &Page) -> Response {
    error_page(page).error(StatusCode::NOT_FOUND, "error-not-found")
}

fn internal(page: &Page, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "directions page failed");
    error_page(page).error(StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
}

/// An id from the address; anything but a positive number is as unknown as another's.
fn direction_id(raw: &str) -> Option<i64> {
    raw.parse().ok().filter(|id| *id > 0)
}

/// A unix time in Kazakhstan's local time (UTC+5).
fn local_date_time(at: i64) -> String {
    let offset = chrono::FixedOffset::east_opt(5 * 3600).expect("a valid offset");
    chrono::DateTime::from_timestamp(at, 0)
        .map(|t| {
            t.with_timezone(&offset)
                .format("%d.%m.%Y %H:%M")
                .to_string()
        })
        .unwrap_or_default()
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
            status: status_text(page, &d.status),
            open: status.is_open(),
            issued: status == DirectionStatus::Issued,
            accepted: status == DirectionStatus::Accepted,
            issued_at: local_date_time(d.issued_at),
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

// ---- The parent's directions ----

#[derive(Template)]
#[template(path = "directions.html")]
struct ParentListTemplate<'a> {
    page: &'a Page,
    rows: Vec<Row>,
}

pub async fn parent_list(page: Page) -> Response {
    let actor = match page.actor_in(Role::Parent) {
        Ok(actor) => actor,
        Err(response) => return *response,
    };
    let views = match directions::of_parent(page.app.db.pool(), actor.user_id).await {
        Ok(views) => views,
        Err(e) => return internal(&page, e),
    };
    let page = page.titled("directions-title");
    let rows = views.iter().map(|v| Row::new(&page, v)).collect();
    page.render(StatusCode::OK, &ParentListTemplate { page: &page, rows })
}

/// The parent and their direction `raw_id`, or the response to give instead.
async fn parents_direction(
    page: &Page,
    raw_id: &str,
) -> Result<(Actor, DirectionView), Box<Response>> {
    let actor = page.actor_in(Role::Parent)?;
    let Some(id) = direction_id(raw_id) else {
        return Err(Box::new(not_found(page)));
    };
    match directions::one_of_parent(page.app.db.pool(), actor.user_id, id).await {
        Ok(Some(view)) => Ok((actor, view)),
        Ok(None) => Err(Box::new(not_found(page))),
        Err(e) => Err(Box::new(internal(page, e))),
    }
}

#[derive(Template)]
#[template(path = "directions_detail.html")]
struct DetailTemplate<'a> {
    page: &'a Page,
    d: Row,
    /// Why the last action was refused.
    message: Option<String>,
}

fn render_detail(
    page: Page,
    view: &DirectionView,
    message: Option<String>,
    status: StatusCode,
) -> Response {
    let page = page.titled("directions-detail-title");
    let d = Row::new(&page, view);
    page.render(
        status,
        &DetailTemplate {
            page: &page,
            d,
            message,
        },
    )
}

pub async fn parent_detail(page: Page, Path(raw_id): Path<String>) -> Response {
    match parents_direction(&page, &raw_id).await {
        Ok((_, view)) => render_detail(page, &view, None, StatusCode::OK),
        Err(response) => *response,
    }
}

/// After a refused action: the direction as it is now, with the reason.
async fn show_refusal(page: Page, actor: &Actor, id: i64, e: DirectionError) -> Response {
    if let DirectionError::Internal(e) = e {
        return internal(&page, e);
    }
    if let DirectionError::NotFound = e {
        return not_found(&page);
    }
    match directions::one_of_parent(page.app.db.pool(), actor.user_id, id).await {
        Ok(Some(view)) => {
            let message = page.t(e.message_key());
            render_detail(page, &view, Some(message), StatusCode::CONFLICT)
        }
        Ok(None) => not_found(&page),
        Err(e) => internal(&page, e),
    }
}

pub async fn accept(page: Page, Path(raw_id): Path<String>) -> Response {
    let (actor, view) = match parents_direction(&page, &raw_id).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let id = view.direction.id;
    match directions::accept(&page.app, &actor, id).await {
        Ok(()) => see_other_with_flash(
            &page.app,
            &format!("{PARENT_LIST}/{id}"),
            "flash-direction-accepted",
        ),
        Err(e) => show_refusal(page, &actor, id, e).await,
    }
}

#[derive(Template)]
#[template(path = "directions_refuse.html")]
struct RefuseTemplate<'a> {
    page: &'a Page,
    d: Row,
    consequence: String,
}

pub async fn confirm_refuse(page: Page, Path(raw_id): Path<String>) -> Response {
    let (_, view) = match parents_direction(&page, &raw_id).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    if !view.direction.is_open() {
        return render_detail(page, &view, None, StatusCode::OK);
    }
    let today = local_date(page.app.now());
    let rules =
        match region_rules::current(page.app.db.pool(), &view.direction.region_code, today).await {
            Ok(rules) => rules,
            Err(e) => return internal(&page, e),
        };
    let key = match rules.after_stop_list {
        AfterStopList::Keep => "directions-refuse-consequence-keep",
        AfterStopList::End => "directions-refuse-consequence-end",
    };
    let consequence = page.app.i18n.get_with(
        page.lang(),
        key,
        &[("days", FluentValue::from(rules.stop_list_days))],
    );
    let page = page.titled("directions-refuse-title");
    let d = Row::new(&page, &view);
    page.render(
        StatusCode::OK,
        &RefuseTemplate {
            page: &page,
            d,
            consequence,
        },
    )
}

pub async fn refuse(page: Page, Path(raw_id): Path<String>) -> Response {
    let (actor, view) = match parents_direction(&page, &raw_id).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let id = view.direction.id;
    match directions::refuse(&page.app, &actor, id).await {
        Ok(()) => see_other_with_flash(
            &page.app,
            &format!("{PARENT_LIST}/{id}"),
            "flash-direction-refused",
        ),
        Err(e) => show_refusal(page, &actor, id, e).await,
    }
}

// ---- The organization's directions ----

/// A row of the staff list with its forms' typed values and messages.
pub struct StaffRow {
    pub d: Row,
    pub reason: String,
    pub reason_error: Option<String>,
    pub days: String,
    pub days_error: Option<String>,
    /// A message about the row as a whole (e.g. "already closed").
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "org_directions.html")]
struct StaffTemplate<'a> {
    page: &'a Page,
    organization: String,
    rows: Vec<StaffRow>,
    extension_max_days: i64,
}

/// Which row's form was sent, and what came back.
#[derive(Default)]
struct Sent {
    id: i64,
    form: FormState,
}

async fn render_staff(
    page: Page,
    organization_id: i64,
    organization: String,
    region: String,
    sent: Option<Sent>,
    status: StatusCode,
) -> Response {
    let views = match directions::of_organization(page.app.db.pool(), organization_id).await {
        Ok(views) => views,
        Err(e) => return internal(&page, e),
    };
    let today = local_date(page.app.now());
    let rules = match region_rules::current(page.app.db.pool(), &region, today).await {
        Ok(rules) => rules,
        Err(e) => return internal(&page, e),
    };
    let page = page.titled("org-directions-title");
    let rows = views
        .iter()
        .map(|v| {
            let d = Row::new(&page, v);
            let mine = sent.as_ref().filter(|s| s.id == d.id);
            let value = |name: &str| mine.map_or("", |s| s.form.value(name)).to_owned();
            let error = |name: &str| mine.and_then(|s| s.form.error(name)).map(str::to_owned);
            StaffRow {
                reason: value("reason"),
                reason_error: error("reason"),
                days: value("days"),
                days_error: error("days"),
                error: mine.and_then(|s| s.form.general.clone()),
                d,
            }
        })
        .collect();
    page.render(
        status,
        &StaffTemplate {
            page: &page,
            organization,
            rows,
            extension_max_days: rules.extension_max_days,
        },
    )
}

pub async fn staff_list(page: Page) -> Response {
    let (org, _) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let name = org.name(page.lang_code()).to_owned();
    let region: String = org.kato.chars().take(2).collect();
    render_staff(page, org.id, name, region, None, StatusCode::OK).await
}

enum StaffAction {
    Enroll,
    Return,
    Extend,
}

async fn staff_action(page: Page, raw_id: String, fields: Fields, action: StaffAction) -> Response {
    let (org, actor) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let Some(id) = direction_id(&raw_id) else {
        return not_found(&page);
    };
    let app = page.app.clone();
    let (result, field_name, flash) = match action {
        StaffAction::Enroll => (
            directions::enroll(&app, &actor, org.id, id).await,
            None,
            "flash-direction-enrolled",
        ),
        StaffAction::Return => (
            directions::return_direction(&app, &actor, org.id, id, field(&fields, "reason")).await,
            Some("reason"),
            "flash-direction-returned",
        ),
        StaffAction::Extend => {
            let days = field(&fields, "days").trim().parse::<i64>();
            let result = match days {
                Ok(days) => directions::extend(&app, &actor, org.id, id, days)
                    .await
                    .map(|_| ()),
                // Not a number: the same message as a number out of range.
                Err(_) => match directions::by_id(app.db.pool(), id).await {
                    Ok(Some(d)) if d.organization_id == org.id => {
                        let today = local_date(app.now());
                        let max = region_rules::current(app.db.pool(), &d.region_code, today)
                            .await
                            .map(|r| r.extension_max_days)
                            .unwrap_or(0);
                        Err(DirectionError::Extension(ExtensionError::Days { max }))
                    }
                    Ok(_) => Err(DirectionError::NotFound),
                    Err(e) => Err(DirectionError::Internal(e)),
                },
            };
            (result, Some("days"), "flash-direction-extended")
        }
    };
    let e = match result {
        Ok(()) => return see_other_with_flash(&page.app, STAFF_LIST, flash),
        Err(e) => e,
    };
    match e {
        DirectionError::NotFound => return not_found(&page),
        DirectionError::Internal(e) => return internal(&page, e),
        _ => {}
    }
    let message = match &e {
        DirectionError::Extension(ExtensionError::Days { max }) => page.app.i18n.get_with(
            page.lang(),
            e.message_key(),
            &[("max", FluentValue::from(*max))],
        ),
        _ => page.t(e.message_key()),
    };
    let mut form = FormState::with_values(&fields);
    let on_field = matches!(
        e,
        DirectionError::ReasonRequired
            | DirectionError::ReasonTooLong
            | DirectionError::Extension(ExtensionError::Days { .. })
    );
    form.set_error(if on_field { field_name } else { None }, message);
    let name = org.name(page.lang_code()).to_owned();
    let region: String = org.kato.chars().take(2).collect();
    render_staff(
        page,
        org.id,
        name,
        region,
        Some(Sent { id, form }),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn enroll(
    page: Page,
    Path(raw_id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    staff_action(page, raw_id, fields, StaffAction::Enroll).await
}

pub async fn return_direction(
    page: Page,
    Path(raw_id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    staff_action(page, raw_id, fields, StaffAction::Return).await
}

pub async fn extend(
    page: Page,
    Path(raw_id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    staff_action(page, raw_id, fields, StaffAction::Extend).await
}

// ---- The public protocol ----

pub struct ProtocolRow {
    pub seq: i64,
    pub at: String,
    pub event: String,
    pub organization: String,
    pub group: String,
    pub number: String,
    pub child: String,
    pub position: i64,
    pub category: String,
    pub hash: String,
    pub hash_short: String,
}

#[derive(Template)]
#[template(path = "protocol.html")]
struct ProtocolTemplate<'a> {
    page: &'a Page,
    region_code: &'static str,
    head_seq: i64,
    head_hash: String,
    rows: Vec<ProtocolRow>,
    newer_href: Option<String>,
    older_href: Option<String>,
}

pub async fn protocol_page(page: Page, Query(query): Query<HashMap<String, String>>) -> Response {
    let region = page.ctx.region.code;
    let number = query
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| (1..=1_000_000).contains(p))
        .unwrap_or(1);
    let pool = page.app.db.pool();
    let (head_seq, head_hash) = match protocol::head(pool, region).await {
        Ok(head) => head,
        Err(e) => return internal(&page, e),
    };
    let records =
        match protocol::page(pool, region, (number - 1) * PROTOCOL_PAGE, PROTOCOL_PAGE).await {
            Ok(records) => records,
            Err(e) => return internal(&page, e),
        };
    let page = page.titled("protocol-title");
    let rows = records
        .into_iter()
        .map(|r| ProtocolRow {
            seq: r.seq,
            at: local_date_time(r.at),
            event: protocol::Event::parse(&r.event)
                .map_or_else(|| r.event.clone(), |e| page.t(e.message_key())),
            organization: r.organization_name,
            group: r.group_name,
            number: r.application_number,
            child: r.child_masked,
            position: r.position,
            category: category_text(&page, &r.category),
            hash_short: r.hash.chars().take(12).collect(),
            hash: r.hash,
        })
        .collect();
    let newer_href = (number > 1).then(|| format!("/protocol?page={}", number - 1));
    let older_href =
        (number * PROTOCOL_PAGE < head_seq).then(|| format!("/protocol?page={}", number + 1));
    page.render(
        StatusCode::OK,
        &ProtocolTemplate {
            page: &page,
            region_code: region,
            head_seq,
            head_hash,
            rows,
            newer_href,
            older_href,
        },
    )
}

/// The region asked for (`?region=71`), else the visitor's.
fn download_region(page: &Page, query: &HashMap<String, String>) -> Option<&'static str> {
    match query.get("region") {
        Some(code) => crate::domain::region::find(code).map(|r| r.code),
        None => Some(page.ctx.region.code),
    }
}

async fn download(page: Page, query: HashMap<String, String>, json: bool) -> Response {
    let Some(region) = download_region(&page, &query) else {
        return not_found(&page);
    };
    let records = match protocol::all(page.app.db.pool(), region).await {
        Ok(records) => records,
        Err(e) => return internal(&page, e),
    };
    let (body, content_type, extension) = if json {
        (
            protocol::to_json(region, &records),
            "application/json; charset=utf-8",
            "json",
        )
    } else {
        (protocol::to_csv(&records), "text/csv; charset=utf-8", "csv")
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"kezek-protocol-{region}.{extension}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn protocol_csv(page: Page, Query(query): Query<HashMap<String, String>>) -> Response {
    download(page, query, false).await
}

pub async fn protocol_json(page: Page, Query(query): Query<HashMap<String, String>>) -> Response {
    download(page, query, true).await
}
