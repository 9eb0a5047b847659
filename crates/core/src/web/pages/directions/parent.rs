//! The parent's directions (`/cabinet/directions`): the list, one direction with "Принять" and
//! "Отказаться" (refusing asks on a page of its own first, saying what the stop-list means).

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use fluent_bundle::FluentValue;

use super::{PARENT_LIST, Row, direction_id, internal, not_found};
use crate::audit::Actor;
use crate::directions::{self, DirectionError, DirectionView};
use crate::domain::Role;
use crate::domain::time::local_date;
use crate::region_rules::{self, AfterStopList};
use crate::web::page::{Page, see_other_with_flash};

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
