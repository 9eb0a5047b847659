//! The parent's directions (`/cabinet/directions`): the list, one direction with "Принять" and
//! "Отказаться" (refusing asks on a page of its own first, saying what the stop-list means).

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use fluent_bundle::FluentValue;

use super::{PARENT_LIST, Row, direction_id};
use crate::access::Parent;
use crate::error::{PageError, PageResult};
use crate::page::{Page, see_other_with_flash};
use kezek_core::audit::Actor;
use kezek_core::directions::{self, DirectionError, DirectionView};
use kezek_core::domain::time::local_date;
use kezek_core::region_rules::{self, AfterStopList};

#[derive(Template)]
#[template(path = "directions.html")]
struct ParentListTemplate<'a> {
    page: &'a Page,
    rows: Vec<Row>,
}

pub async fn parent_list(Parent(actor): Parent, page: Page) -> PageResult {
    let views = directions::of_parent(page.app.db.pool(), actor.user_id).await?;
    let page = page.titled("directions-title");
    let rows = views.iter().map(|v| Row::new(&page, v)).collect();
    page.render(StatusCode::OK, &ParentListTemplate { page: &page, rows })
}

/// The parent's direction `raw_id`; another parent's is "not found".
async fn parents_direction(page: &Page, actor: &Actor, raw_id: &str) -> PageResult<DirectionView> {
    let id = direction_id(raw_id)?;
    directions::one_of_parent(page.app.db.pool(), actor.user_id, id)
        .await?
        .ok_or(PageError::NotFound)
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
) -> PageResult {
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

pub async fn parent_detail(
    Parent(actor): Parent,
    page: Page,
    Path(raw_id): Path<String>,
) -> PageResult {
    let view = parents_direction(&page, &actor, &raw_id).await?;
    render_detail(page, &view, None, StatusCode::OK)
}

/// After a refused action: the direction as it is now, with the reason.
async fn show_refusal(page: Page, actor: &Actor, id: i64, e: DirectionError) -> PageResult {
    match e {
        DirectionError::Internal(e) => return Err(e.into()),
        DirectionError::NotFound => return Err(PageError::NotFound),
        _ => {}
    }
    let view = directions::one_of_parent(page.app.db.pool(), actor.user_id, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let message = page.t(e.message_key());
    render_detail(page, &view, Some(message), StatusCode::CONFLICT)
}

pub async fn accept(Parent(actor): Parent, page: Page, Path(raw_id): Path<String>) -> PageResult {
    let id = parents_direction(&page, &actor, &raw_id)
        .await?
        .direction
        .id;
    match directions::accept(&page.app, &actor, id).await {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            &format!("{PARENT_LIST}/{id}"),
            "flash-direction-accepted",
        )),
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

pub async fn confirm_refuse(
    Parent(actor): Parent,
    page: Page,
    Path(raw_id): Path<String>,
) -> PageResult {
    let view = parents_direction(&page, &actor, &raw_id).await?;
    if !view.direction.is_open() {
        return render_detail(page, &view, None, StatusCode::OK);
    }
    let today = local_date(page.app.now());
    let rules =
        region_rules::current(page.app.db.pool(), &view.direction.region_code, today).await?;
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

pub async fn refuse(Parent(actor): Parent, page: Page, Path(raw_id): Path<String>) -> PageResult {
    let id = parents_direction(&page, &actor, &raw_id)
        .await?
        .direction
        .id;
    match directions::refuse(&page.app, &actor, id).await {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            &format!("{PARENT_LIST}/{id}"),
            "flash-direction-refused",
        )),
        Err(e) => show_refusal(page, &actor, id, e).await,
    }
}
