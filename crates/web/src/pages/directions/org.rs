//! The organization's directions (`/org/directions`): "Зачислить", "Вернуть" with a reason,
//! "Продлить" by some days, each a form on a row of the list.

use askama::Template;
use axum::extract::{Form, Path};
use axum::http::StatusCode;
use fluent_bundle::FluentValue;

use super::{Row, STAFF_LIST, direction_id};
use crate::access::OrgStaff;
use crate::error::{PageError, PageResult};
use crate::page::{Fields, FormState, Page, field, see_other_with_flash};
use kezek_core::directions::{self, DirectionError};
use kezek_core::domain::direction::ExtensionError;
use kezek_core::domain::time::local_date;
use kezek_core::region_rules;

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
) -> PageResult {
    let views = directions::of_organization(page.app.db.pool(), organization_id).await?;
    let today = local_date(page.app.now());
    let rules = region_rules::current(page.app.db.pool(), &region, today).await?;
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

pub async fn staff_list(OrgStaff { org, .. }: OrgStaff, page: Page) -> PageResult {
    let name = org.name(page.lang_code()).to_owned();
    let region: String = org.kato.chars().take(2).collect();
    render_staff(page, org.id, name, region, None, StatusCode::OK).await
}

enum StaffAction {
    Enroll,
    Return,
    Extend,
}

async fn staff_action(
    OrgStaff { org, actor }: OrgStaff,
    page: Page,
    raw_id: String,
    fields: Fields,
    action: StaffAction,
) -> PageResult {
    let id = direction_id(&raw_id)?;
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
        Ok(()) => return Ok(see_other_with_flash(&page.app, STAFF_LIST, flash)),
        Err(DirectionError::NotFound) => return Err(PageError::NotFound),
        Err(DirectionError::Internal(e)) => return Err(e.into()),
        Err(e) => e,
    };
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
    staff: OrgStaff,
    page: Page,
    Path(raw_id): Path<String>,
    Form(fields): Form<Fields>,
) -> PageResult {
    staff_action(staff, page, raw_id, fields, StaffAction::Enroll).await
}

pub async fn return_direction(
    staff: OrgStaff,
    page: Page,
    Path(raw_id): Path<String>,
    Form(fields): Form<Fields>,
) -> PageResult {
    staff_action(staff, page, raw_id, fields, StaffAction::Return).await
}

pub async fn extend(
    staff: OrgStaff,
    page: Page,
    Path(raw_id): Path<String>,
    Form(fields): Form<Fields>,
) -> PageResult {
    staff_action(staff, page, raw_id, fields, StaffAction::Extend).await
}
