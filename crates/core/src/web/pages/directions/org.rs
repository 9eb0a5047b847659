//! The organization's directions (`/org/directions`): "Зачислить", "Вернуть" with a reason,
//! "Продлить" by some days, each a form on a row of the list.

use askama::Template;
use axum::extract::{Form, Path};
use axum::http::StatusCode;
use axum::response::Response;
use fluent_bundle::FluentValue;

use super::{Row, STAFF_LIST, direction_id, internal, not_found};
use crate::directions::{self, DirectionError};
use crate::domain::direction::ExtensionError;
use crate::domain::time::local_date;
use crate::region_rules;
use crate::web::page::{Fields, FormState, Page, field, see_other_with_flash};
use crate::web::pages::org::my_organization;

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
