//! The organization staff's cabinet: their organization's card and groups, free places
//! (publish, withdraw), departures and the enrolled count. Staff reach only their own
//! organization: anything else answers 404.

use askama::Template;
use axum::extract::{Form, Multipart, Path};
use axum::http::StatusCode;
use fluent_bundle::FluentValue;

use super::org_forms::{self, CardTemplate, GroupFormTemplate};
use crate::access::OrgStaff;
use crate::error::{PageError, PageResult};
use crate::page::{Fields, FormState, Page, field, parse_date, see_other, see_other_with_flash};
use kezek_core::domain::time;
use kezek_core::orgs::cards::{self, CardError};
use kezek_core::orgs::vacancies::{self, Vacancy, VacancyError};
use kezek_core::orgs::{Group, Organization, store};

/// A group of `org`; another organization's group is "not found".
async fn my_group(page: &Page, org: &Organization, group_id: i64) -> PageResult<Group> {
    store::group(page.app.db.pool(), group_id)
        .await?
        .filter(|g| g.organization_id == org.id)
        .ok_or(PageError::NotFound)
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

pub async fn dashboard(OrgStaff { org, .. }: OrgStaff, page: Page) -> PageResult {
    let groups = store::groups_of(page.app.db.pool(), org.id).await?;
    let names = org_forms::choices(&page).await?;
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
) -> PageResult {
    let vacancies = vacancies::open_vacancies_of_group(&page.app.db, group.id).await?;
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
    let names = org_forms::choices(&page).await?;
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

pub async fn group_page(
    OrgStaff { org, .. }: OrgStaff,
    page: Page,
    Path(group_id): Path<i64>,
) -> PageResult {
    let group = my_group(&page, &org, group_id).await?;
    render_group(page, org, group, FormState::default(), StatusCode::OK).await
}

/// Which form on the group page was sent.
enum GroupAction {
    Publish,
    Departure,
    Enrolled,
}

async fn group_action(
    OrgStaff { org, actor }: OrgStaff,
    page: Page,
    group_id: i64,
    fields: Fields,
    action: GroupAction,
) -> PageResult {
    let group = my_group(&page, &org, group_id).await?;
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
                    max: group.seats().max_enrolled(),
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
                    kezek_core::directions::allocate_group(&page.app, group.id, page.app.now())
                        .await
            {
                tracing::warn!(group = group.id, error = %e, "allocating published places failed");
            }
            Ok(see_other_with_flash(
                &page.app,
                &format!("/org/groups/{}", group.id),
                flash,
            ))
        }
        Err(VacancyError::Internal(e)) => Err(e.into()),
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
    staff: OrgStaff,
    page: Page,
    Path(group_id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    group_action(staff, page, group_id, fields, GroupAction::Publish).await
}

pub async fn departure(
    staff: OrgStaff,
    page: Page,
    Path(group_id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    group_action(staff, page, group_id, fields, GroupAction::Departure).await
}

pub async fn enrolled(
    staff: OrgStaff,
    page: Page,
    Path(group_id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    group_action(staff, page, group_id, fields, GroupAction::Enrolled).await
}

pub async fn withdraw(
    OrgStaff { org, actor }: OrgStaff,
    page: Page,
    Path(vacancy_id): Path<i64>,
) -> PageResult {
    match vacancies::withdraw(&page.app.db, &actor, org.id, vacancy_id, page.app.now()).await {
        Ok(group_id) => Ok(see_other_with_flash(
            &page.app,
            &format!("/org/groups/{group_id}"),
            "flash-vacancy-withdrawn",
        )),
        Err(VacancyError::NotFound) => Err(PageError::NotFound),
        // Already withdrawn (a second click) or taken meanwhile: the dashboard shows what is.
        Err(VacancyError::NotOpen) => Ok(see_other("/org")),
        Err(e) => Err(e.into()),
    }
}

// ---- The card ----

async fn render_card(
    page: Page,
    org: &Organization,
    form: FormState,
    photo_error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let choices = org_forms::choices(&page).await?;
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

pub async fn card_form(OrgStaff { org, .. }: OrgStaff, page: Page) -> PageResult {
    render_card(
        page,
        &org,
        org_forms::organization_values(&org),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn card_submit(
    OrgStaff { org, actor }: OrgStaff,
    page: Page,
    Form(fields): Form<Fields>,
) -> PageResult {
    let mut form = FormState::with_values(&fields);
    form.set_value("bin", org.bin.clone());
    let result = match org_forms::organization_input(&fields, Some(&org.bin)) {
        Ok(input) => {
            // Staff keep their organization where it is: moving it is the department's act.
            cards::update_own_organization(&page.app.db, &actor, org.id, &input, page.app.now())
                .await
        }
        Err(errors) => Err(CardError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(see_other_with_flash(&page.app, "/org", "flash-card-saved")),
        Err(e) if org_forms::show_card_error(&page, &mut form, &e) => {
            render_card(page, &org, form, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- Groups: add, edit, close ----

async fn render_group_form(
    page: Page,
    form: FormState,
    action: String,
    status: StatusCode,
) -> PageResult {
    let choices = org_forms::choices(&page).await?;
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

pub async fn new_group_form(_: OrgStaff, page: Page) -> PageResult {
    render_group_form(
        page,
        FormState::default(),
        "/org/groups/new".into(),
        StatusCode::OK,
    )
    .await
}

pub async fn new_group_submit(
    OrgStaff { org, actor }: OrgStaff,
    page: Page,
    Form(fields): Form<Fields>,
) -> PageResult {
    let result = match org_forms::group_input(&fields) {
        Ok(input) => {
            cards::create_group(&page.app.db, &actor, org.id, &input, page.app.now()).await
        }
        Err(errors) => Err(CardError::Invalid(errors)),
    };
    let mut form = FormState::with_values(&fields);
    match result {
        Ok(id) => Ok(see_other_with_flash(
            &page.app,
            &format!("/org/groups/{id}"),
            "flash-group-saved",
        )),
        Err(e) if org_forms::show_card_error(&page, &mut form, &e) => {
            render_group_form(
                page,
                form,
                "/org/groups/new".into(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_group_form(
    OrgStaff { org, .. }: OrgStaff,
    page: Page,
    Path(group_id): Path<i64>,
) -> PageResult {
    let group = my_group(&page, &org, group_id).await?;
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
    OrgStaff { org, actor }: OrgStaff,
    page: Page,
    Path(group_id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    my_group(&page, &org, group_id).await?;
    let result = match org_forms::group_input(&fields) {
        Ok(input) => {
            cards::update_group(&page.app.db, &actor, group_id, &input, page.app.now()).await
        }
        Err(errors) => Err(CardError::Invalid(errors)),
    };
    let mut form = FormState::with_values(&fields);
    match result {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            &format!("/org/groups/{group_id}"),
            "flash-group-saved",
        )),
        Err(e) if org_forms::show_card_error(&page, &mut form, &e) => {
            let action = format!("/org/groups/{group_id}/edit");
            render_group_form(page, form, action, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Closes a group (no new places or directions) or opens it again.
pub async fn set_group_open(
    OrgStaff { org, actor }: OrgStaff,
    page: Page,
    Path(group_id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    my_group(&page, &org, group_id).await?;
    let open = field(&fields, "open") == "1";
    cards::set_group_active(&page.app.db, &actor, group_id, open, page.app.now()).await?;
    Ok(see_other_with_flash(
        &page.app,
        &format!("/org/groups/{group_id}"),
        "flash-group-saved",
    ))
}

// ---- The photo ----

/// Reads the `photo` field of an upload; a field beyond the size limit reads as too large.
async fn read_photo(
    mut multipart: Multipart,
) -> Result<(String, Vec<u8>), kezek_core::storage::UploadError> {
    use super::documents::{read_upload, upload_error};
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("photo") => return read_upload(field).await,
            Ok(Some(_)) => continue,
            Ok(None) => return Err(kezek_core::storage::UploadError::Empty),
            Err(e) => return Err(upload_error(&e)),
        }
    }
}

pub async fn photo_submit(
    OrgStaff { org, actor }: OrgStaff,
    page: Page,
    multipart: Multipart,
) -> PageResult {
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
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            "/org/card",
            "flash-photo-saved",
        )),
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
        Err(e) => Err(e.into()),
    }
}

pub async fn photo_remove(OrgStaff { org, actor }: OrgStaff, page: Page) -> PageResult {
    let app = &page.app;
    cards::set_photo(&app.db, &app.storage, &actor, org.id, None, app.now()).await?;
    Ok(see_other_with_flash(
        app,
        "/org/card",
        "flash-photo-removed",
    ))
}
