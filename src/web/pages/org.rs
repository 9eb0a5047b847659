//! The organization staff's cabinet: their organization's card and groups, free places
//! (publish, withdraw), departures and the enrolled count. Staff reach only their own
//! organization: anything else answers 404.

use askama::Template;
use axum::extract::{Form, Multipart, Path};
use axum::http::StatusCode;
use axum::response::Response;
use fluent_bundle::FluentValue;

use super::org_forms::{self, CardTemplate, GroupFormTemplate};
use crate::accounts::users;
use crate::domain::{Role, time};
use crate::orgs::cards::{self, CardError};
use crate::orgs::vacancies::{self, Actor, Vacancy, VacancyError};
use crate::orgs::{Group, Organization, store};
use crate::web::page::{
    Fields, FormState, Page, field, parse_date, see_other, see_other_with_flash,
};

/// The organization the logged-in staff member works for, or the response to give instead.
pub async fn my_organization(page: &Page) -> Result<(Organization, Actor), Box<Response>> {
    let actor = page.actor_in(Role::Organization)?;
    let db = page.app.db.pool();
    let org = match users::staff_binding(db, actor.user_id).await {
        Ok(b) => match b.org_bin {
            Some(bin) => store::organization_by_bin(db, &bin).await.ok().flatten(),
            None => None,
        },
        Err(_) => None,
    };
    match org {
        Some(org) => Ok((org, actor)),
        None => Err(Box::new(
            Page::new(page.app.clone(), page.ctx.clone(), "error-title")
                .error(StatusCode::FORBIDDEN, "error-no-organization"),
        )),
    }
}

/// A group of `org`; another organization's group is "not found".
async fn my_group(page: &Page, org: &Organization, group_id: i64) -> Result<Group, Box<Response>> {
    match store::group(page.app.db.pool(), group_id).await {
        Ok(Some(g)) if g.organization_id == org.id => Ok(g),
        _ => Err(Box::new(
            Page::new(page.app.clone(), page.ctx.clone(), "error-title")
                .error(StatusCode::NOT_FOUND, "error-not-found"),
        )),
    }
}

fn internal(page: Page, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "organization cabinet failed");
    page.error(StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgTemplate<'a> {
    page: &'a Page,
    org: Organization,
    groups: Vec<Group>,
    names: org_forms::Choices,
    group_links: bool,
}

pub async fn dashboard(page: Page) -> Response {
    let (org, _) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let groups = match store::groups_of(page.app.db.pool(), org.id).await {
        Ok(groups) => groups,
        Err(e) => return internal(page, e),
    };
    let names = match org_forms::choices(&page).await {
        Ok(names) => names,
        Err(e) => return internal(page, e),
    };
    let page = page.titled("org-title");
    page.render(
        StatusCode::OK,
        &OrgTemplate {
            page: &page,
            org,
            groups,
            names,
            group_links: true,
        },
    )
}

#[derive(Template)]
#[template(path = "org_group.html")]
struct GroupTemplate<'a> {
    page: &'a Page,
    org: Organization,
    group: Group,
    vacancies: Vec<Vacancy>,
    form: FormState,
    names: org_forms::Choices,
}

async fn render_group(
    page: Page,
    org: Organization,
    group: Group,
    mut form: FormState,
    status: StatusCode,
) -> Response {
    let vacancies = match vacancies::open_vacancies_of_group(&page.app.db, group.id).await {
        Ok(v) => v,
        Err(e) => return internal(page, e),
    };
    // What date inputs send: `YYYY-MM-DD`, today in Kazakhstan.
    let today = time::local_date(page.app.now()).to_string();
    for (name, default) in [
        ("available_from", today.clone()),
        ("left_on", today),
        ("enrolled", group.enrolled.to_string()),
    ] {
        if form.value(name).is_empty() {
            form.set_value(name, default);
        }
    }
    let names = match org_forms::choices(&page).await {
        Ok(names) => names,
        Err(e) => return internal(page, e),
    };
    let page = page.titled("org-group-title");
    page.render(
        status,
        &GroupTemplate {
            page: &page,
            org,
            group,
            vacancies,
            form,
            names,
        },
    )
}

pub async fn group_page(page: Page, Path(group_id): Path<i64>) -> Response {
    let (org, _) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let group = match my_group(&page, &org, group_id).await {
        Ok(g) => g,
        Err(response) => return *response,
    };
    render_group(page, org, group, FormState::default(), StatusCode::OK).await
}

/// Which form on the group page was sent.
enum GroupAction {
    Publish,
    Departure,
    Enrolled,
}

async fn group_action(page: Page, group_id: i64, fields: Fields, action: GroupAction) -> Response {
    let (org, actor) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let group = match my_group(&page, &org, group_id).await {
        Ok(g) => g,
        Err(response) => return *response,
    };
    let db = &page.app.db;
    let now = page.app.now();
    let mut form = FormState::with_values(&fields);
    let number = |name: &str| field(&fields, name).trim().parse::<i64>().ok();
    let (result, field_name, flash): (Result<(), VacancyError>, &str, &str) = match action {
        GroupAction::Publish => {
            let Some(date) = parse_date(field(&fields, "available_from")) else {
                form.set_error(Some("available_from"), page.t("error-date"));
                return render_group(page, org, group, form, StatusCode::UNPROCESSABLE_ENTITY)
                    .await;
            };
            let count = number("count").unwrap_or(0);
            (
                vacancies::publish(db, &actor, group.id, count, date, now)
                    .await
                    .map(|_| ()),
                "count",
                "flash-vacancies-published",
            )
        }
        GroupAction::Departure => {
            let Some(date) = parse_date(field(&fields, "left_on")) else {
                form.set_error(Some("left_on"), page.t("error-date"));
                return render_group(page, org, group, form, StatusCode::UNPROCESSABLE_ENTITY)
                    .await;
            };
            let note = field(&fields, "note");
            (
                vacancies::record_departure(db, &actor, group.id, date, Some(note), now)
                    .await
                    .map(|_| ()),
                "left_on",
                "flash-departure-recorded",
            )
        }
        GroupAction::Enrolled => (
            match number("enrolled") {
                Some(n) => vacancies::set_enrolled(db, &actor, group.id, n, now).await,
                None => Err(VacancyError::Enrolled {
                    max: group.capacity - group.open_directions - group.open_vacancies,
                }),
            },
            "enrolled",
            "flash-enrolled-saved",
        ),
    };
    let frees_places = matches!(action, GroupAction::Publish | GroupAction::Departure);
    match result {
        Ok(()) => {
            // Offer the places at once, so the first parent in the queue hears of it now;
            // a failure only leaves it to the scheduled run.
            if frees_places
                && let Err(e) =
                    crate::directions::allocate_group(&page.app, group.id, page.app.now()).await
            {
                tracing::warn!(group = group.id, error = %e, "allocating published places failed");
            }
            see_other_with_flash(&page.app, &format!("/org/groups/{}", group.id), flash)
        }
        Err(VacancyError::Internal(e)) => internal(page, e),
        Err(e) => {
            let message = match &e {
                VacancyError::Capacity { free } => page.app.i18n.get_with(
                    page.lang(),
                    e.message_key(),
                    &[("free", FluentValue::from(*free))],
                ),
                VacancyError::Enrolled { max } => page.app.i18n.get_with(
                    page.lang(),
                    e.message_key(),
                    &[("max", FluentValue::from(*max))],
                ),
                _ => page.t(e.message_key()),
            };
            form.set_error(Some(field_name), message);
            // The group's counters may have changed: show them as they are now.
            let group = store::group(db.pool(), group.id)
                .await
                .ok()
                .flatten()
                .unwrap_or(group);
            render_group(page, org, group, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn publish(
    page: Page,
    Path(group_id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    group_action(page, group_id, fields, GroupAction::Publish).await
}

pub async fn departure(
    page: Page,
    Path(group_id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    group_action(page, group_id, fields, GroupAction::Departure).await
}

pub async fn enrolled(
    page: Page,
    Path(group_id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    group_action(page, group_id, fields, GroupAction::Enrolled).await
}

pub async fn withdraw(page: Page, Path(vacancy_id): Path<i64>) -> Response {
    let (org, actor) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    match vacancies::withdraw(&page.app.db, &actor, org.id, vacancy_id, page.app.now()).await {
        Ok(group_id) => see_other_with_flash(
            &page.app,
            &format!("/org/groups/{group_id}"),
            "flash-vacancy-withdrawn",
        ),
        Err(VacancyError::NotFound) => page.error(StatusCode::NOT_FOUND, "error-not-found"),
        // Already withdrawn (a second click) or taken meanwhile: the dashboard shows what is.
        Err(VacancyError::NotOpen) => see_other("/org"),
        Err(e) => internal(page, e),
    }
}

// ---- The card ----

async fn render_card(
    page: Page,
    org: &Organization,
    form: FormState,
    photo_error: Option<String>,
    status: StatusCode,
) -> Response {
    let choices = match org_forms::choices(&page).await {
        Ok(c) => c,
        Err(e) => return internal(page, e),
    };
    let page = page.titled("org-card-title");
    let template = CardTemplate {
        page: &page,
        form,
        choices,
        bin_editable: false,
        photo: Some(org_forms::PhotoBox {
            url: org
                .photo
                .as_ref()
                .map(|_| format!("/photos/org/{}", org.id)),
            error: photo_error,
        }),
        action: "/org/card".into(),
        back: "/org".into(),
    };
    page.render(status, &template)
}

pub async fn card_form(page: Page) -> Response {
    let (org, _) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    render_card(
        page,
        &org,
        org_forms::organization_values(&org),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn card_submit(page: Page, Form(fields): Form<Fields>) -> Response {
    let (org, actor) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let mut form = FormState::with_values(&fields);
    form.set_value("bin", org.bin.clone());
    let result = match org_forms::organization_input(&fields, Some(&org.bin)) {
        Ok(input) => {
            cards::update_organization(&page.app.db, &actor, org.id, &input, page.app.now()).await
        }
        Err(errors) => Err(CardError::Invalid(errors)),
    };
    match result {
        Ok(()) => see_other_with_flash(&page.app, "/org", "flash-card-saved"),
        Err(e) if org_forms::show_card_error(&page, &mut form, &e) => {
            render_card(page, &org, form, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => internal(page, e),
    }
}

// ---- Groups: add, edit, close ----

async fn render_group_form(
    page: Page,
    form: FormState,
    action: String,
    status: StatusCode,
) -> Response {
    let choices = match org_forms::choices(&page).await {
        Ok(c) => c,
        Err(e) => return internal(page, e),
    };
    let page = page.titled("org-group-form-title");
    let template = GroupFormTemplate {
        page: &page,
        form,
        choices,
        action,
        back: "/org".into(),
    };
    page.render(status, &template)
}

pub async fn new_group_form(page: Page) -> Response {
    if let Err(response) = my_organization(&page).await {
        return *response;
    }
    render_group_form(
        page,
        FormState::default(),
        "/org/groups/new".into(),
        StatusCode::OK,
    )
    .await
}

pub async fn new_group_submit(page: Page, Form(fields): Form<Fields>) -> Response {
    let (org, actor) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let result = match org_forms::group_input(&fields) {
        Ok(input) => {
            cards::create_group(&page.app.db, &actor, org.id, &input, page.app.now()).await
        }
        Err(errors) => Err(CardError::Invalid(errors)),
    };
    let mut form = FormState::with_values(&fields);
    match result {
        Ok(id) => {
            see_other_with_flash(&page.app, &format!("/org/groups/{id}"), "flash-group-saved")
        }
        Err(e) if org_forms::show_card_error(&page, &mut form, &e) => {
            render_group_form(
                page,
                form,
                "/org/groups/new".into(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => internal(page, e),
    }
}

pub async fn edit_group_form(page: Page, Path(group_id): Path<i64>) -> Response {
    let (org, _) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let group = match my_group(&page, &org, group_id).await {
        Ok(g) => g,
        Err(response) => return *response,
    };
    let action = format!("/org/groups/{group_id}/edit");
    render_group_form(
        page,
        org_forms::group_values(&group),
        action,
        StatusCode::OK,
    )
    .await
}

pub async fn edit_group_submit(
    page: Page,
    Path(group_id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let (org, actor) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    if let Err(response) = my_group(&page, &org, group_id).await {
        return *response;
    }
    let result = match org_forms::group_input(&fields) {
        Ok(input) => {
            cards::update_group(&page.app.db, &actor, group_id, &input, page.app.now()).await
        }
        Err(errors) => Err(CardError::Invalid(errors)),
    };
    let mut form = FormState::with_values(&fields);
    match result {
        Ok(()) => see_other_with_flash(
            &page.app,
            &format!("/org/groups/{group_id}"),
            "flash-group-saved",
        ),
        Err(e) if org_forms::show_card_error(&page, &mut form, &e) => {
            let action = format!("/org/groups/{group_id}/edit");
            render_group_form(page, form, action, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => internal(page, e),
    }
}

/// Closes a group (no new places or directions) or opens it again.
pub async fn set_group_open(
    page: Page,
    Path(group_id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let (org, actor) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    if let Err(response) = my_group(&page, &org, group_id).await {
        return *response;
    }
    let open = field(&fields, "open") == "1";
    match cards::set_group_active(&page.app.db, &actor, group_id, open, page.app.now()).await {
        Ok(()) => see_other_with_flash(
            &page.app,
            &format!("/org/groups/{group_id}"),
            "flash-group-saved",
        ),
        Err(e) => internal(page, e),
    }
}

// ---- The photo ----

/// Reads the `photo` field of an upload; a field beyond the size limit reads as too large.
async fn read_photo(
    mut multipart: Multipart,
) -> Result<(String, Vec<u8>), crate::storage::UploadError> {
    use super::documents::{read_upload, upload_error};
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("photo") => return read_upload(field).await,
            Ok(Some(_)) => continue,
            Ok(None) => return Err(crate::storage::UploadError::Empty),
            Err(e) => return Err(upload_error(&e)),
        }
    }
}

pub async fn photo_submit(page: Page, multipart: Multipart) -> Response {
    let (org, actor) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let result = match read_photo(multipart).await {
        Ok((name, bytes)) => {
            cards::set_photo(
                &page.app.db,
                &page.app.storage,
                &actor,
                org.id,
                Some((&name, &bytes)),
                page.app.now(),
            )
            .await
        }
        Err(e) => Err(CardError::Photo(e)),
    };
    match result {
        Ok(()) => see_other_with_flash(&page.app, "/org/card", "flash-photo-saved"),
        Err(CardError::Photo(e)) => {
            let message = page.t(e.message_key());
            let form = org_forms::organization_values(&org);
            render_card(
                page,
                &org,
                form,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => internal(page, e),
    }
}

pub async fn photo_remove(page: Page) -> Response {
    let (org, actor) = match my_organization(&page).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    match cards::set_photo(
        &page.app.db,
        &page.app.storage,
        &actor,
        org.id,
        None,
        page.app.now(),
    )
    .await
    {
        Ok(()) => see_other_with_flash(&page.app, "/org/card", "flash-photo-removed"),
        Err(e) => internal(page, e),
    }
}
