//! The education department operator's cabinet: the organizations of their area (search,
//! paging), creating them, their cards, groups and free places, closing and reopening them.
//! An organization outside the operator's area answers 404, whatever the URL or form says.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query};
use axum::http::StatusCode;
use axum::routing::{get, post};
use fluent_bundle::FluentValue;
use serde::Deserialize;

use super::org_forms::{self, CardTemplate};
use crate::access::Operator;
use crate::error::{PageError, PageResult};
use crate::page::{Fields, FormState, Page, field, see_other_with_flash};
use kezek_core::app::App;
use kezek_core::orgs::area::{self, Area};
use kezek_core::orgs::cards::CardError;
use kezek_core::orgs::rules::FieldErrors;
use kezek_core::orgs::vacancies;
use kezek_core::orgs::{Group, Organization, store};
use kezek_core::paging;
use kezek_core::reference;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/department", get(list))
        .route("/department/orgs/new", get(new_form).post(new_submit))
        .route("/department/orgs/{id}", get(organization_page))
        .route(
            "/department/orgs/{id}/edit",
            get(edit_form).post(edit_submit),
        )
        .route("/department/orgs/{id}/active", post(set_active))
}

/// Organizations shown on one page of the list.
const PER_PAGE: u64 = 20;

/// An organization of the operator's area; any other is "not found".
async fn area_organization(page: &Page, area: &Area, id: i64) -> PageResult<Organization> {
    area::organization(&page.app.db, area, id)
        .await?
        .ok_or(PageError::NotFound)
}

/// The name of a KATO unit in the visitor's language, or the bare code when it is unknown.
async fn unit_name(page: &Page, code: &str) -> String {
    reference::kato_name(page.app.db.pool(), code, page.lang_code())
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| code.to_owned())
}

/// Stored language codes ("kk,ru") as their names; a code no longer in the list shows as is.
async fn language_names(page: &Page, codes: Option<&str>) -> PageResult<String> {
    let known =
        reference::list(page.app.db.pool(), reference::ReferenceKind::Language, true).await?;
    Ok(codes
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|code| {
            known
                .iter()
                .find(|item| item.code == code)
                .map_or(code, |item| item.name(page.lang_code()))
        })
        .collect::<Vec<_>>()
        .join(", "))
}

// ---- The list ----

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    closed: Option<String>,
    page: Option<String>,
}

/// One organization in the list, ready to show.
struct Row {
    id: i64,
    bin: String,
    name: String,
    address: String,
    active: bool,
    published: i64,
}

#[derive(Template)]
#[template(path = "department.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    area_name: String,
    form: FormState,
    include_closed: bool,
    rows: Vec<Row>,
    /// "N organizations found", with the language's plural.
    found: String,
    /// "Page N of M".
    page_label: String,
    prev: Option<String>,
    next: Option<String>,
}

/// A link to another page of the list, keeping the search.
fn list_href(search: &str, include_closed: bool, number: u64) -> String {
    let mut params: Vec<(&str, String)> = Vec::new();
    if !search.is_empty() {
        params.push(("q", search.to_owned()));
    }
    if include_closed {
        params.push(("closed", "1".to_owned()));
    }
    params.push(("page", number.to_string()));
    format!(
        "/department?{}",
        serde_urlencoded::to_string(&params).unwrap_or_default()
    )
}

pub async fn list(
    Operator { area, .. }: Operator,
    page: Page,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let search = query.q.as_deref().unwrap_or("").trim().to_owned();
    let include_closed = query.closed.as_deref().is_some_and(|c| !c.is_empty());
    let requested = paging::requested(query.page.as_deref());
    let (db, area_ref, search_ref) = (&page.app.db, &area, search.as_str());
    let (paged, found) = paging::fetch(requested, PER_PAGE, |offset, limit| async move {
        let found = area::organizations(
            db,
            area_ref,
            Some(search_ref),
            include_closed,
            offset,
            limit,
        )
        .await?;
        Ok::<_, kezek_core::db::Error>((u64::try_from(found.total).unwrap_or(0), found))
    })
    .await?;
    let (number, pages) = (paged.page, paged.pages);
    let area_name = unit_name(&page, area.code()).await;
    let lang = page.lang_code();
    let rows = found
        .organizations
        .into_iter()
        .map(|(org, published)| Row {
            id: org.id,
            name: org.name(lang).to_owned(),
            bin: org.bin,
            address: org.address,
            active: org.active == 1,
            published,
        })
        .collect();
    let found_label = page.app.i18n.get_with(
        page.lang(),
        "department-found",
        &[("count", FluentValue::from(found.total))],
    );
    let page_label = page.app.i18n.get_with(
        page.lang(),
        "department-page-of",
        &[
            ("page", FluentValue::from(number)),
            ("pages", FluentValue::from(pages)),
        ],
    );
    let mut form = FormState::default();
    form.set_value("q", search.clone());
    let page = page.titled("staff-title-department");
    page.render(
        StatusCode::OK,
        &ListTemplate {
            page: &page,
            area_name,
            form,
            include_closed,
            rows,
            found: found_label,
            page_label,
            prev: (number > 1).then(|| list_href(&search, include_closed, number - 1)),
            next: (number < pages).then(|| list_href(&search, include_closed, number + 1)),
        },
    )
}

// ---- An organization's page ----

/// Open places of a group from one date.
struct OpenPlaces {
    group: String,
    available_from: String,
    places: i64,
}

#[derive(Template)]
#[template(path = "department_org.html")]
struct OrgTemplate<'a> {
    page: &'a Page,
    org: Organization,
    unit_name: String,
    /// The languages of instruction by name, in the visitor's language.
    languages: String,
    groups: Vec<Group>,
    names: super::org_forms::Choices,
    group_links: bool,
    open_places: Vec<OpenPlaces>,
}

pub async fn organization_page(
    Operator { area, .. }: Operator,
    page: Page,
    Path(id): Path<i64>,
) -> PageResult {
    let org = area_organization(&page, &area, id).await?;
    let groups = store::groups_of(page.app.db.pool(), org.id).await?;
    let mut open_places: Vec<OpenPlaces> = Vec::new();
    for group in groups.iter().filter(|g| g.open_vacancies > 0) {
        let open = vacancies::open_vacancies_of_group(&page.app.db, group.id).await?;
        // Ordered by date: places from one date form one line.
        for vacancy in open {
            match open_places.last_mut() {
                Some(last)
                    if last.group == group.name
                        && last.available_from == vacancy.available_from =>
                {
                    last.places += 1;
                }
                _ => open_places.push(OpenPlaces {
                    group: group.name.clone(),
                    available_from: vacancy.available_from,
                    places: 1,
                }),
            }
        }
    }
    let unit_name = unit_name(&page, &org.kato).await;
    let languages = language_names(&page, org.languages.as_deref()).await?;
    let names = super::org_forms::choices(&page).await?;
    let page = page.titled("department-org-title");
    page.render(
        StatusCode::OK,
        &OrgTemplate {
            page: &page,
            org,
            unit_name,
            languages,
            groups,
            names,
            group_links: false,
            open_places,
        },
    )
}

pub async fn set_active(
    Operator { area, actor }: Operator,
    page: Page,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    area_organization(&page, &area, id).await?;
    let active = field(&fields, "active") == "1";
    let db = &page.app.db;
    let flash = if active {
        "flash-department-org-reopened"
    } else {
        "flash-department-org-closed"
    };
    match area::set_organization_active(db, &actor, &area, id, active, page.app.now()).await {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            &format!("/department/orgs/{id}"),
            flash,
        )),
        Err(CardError::NotFound) => Err(PageError::NotFound),
        Err(e) => Err(e.into()),
    }
}

// ---- The card: new and edit ----

async fn render_card(
    page: Page,
    form: FormState,
    title_key: &'static str,
    target: (String, String),
    bin_editable: bool,
    status: StatusCode,
) -> PageResult {
    let choices = org_forms::choices(&page).await?;
    let page = page.titled(title_key);
    let (action, back) = target;
    let template = CardTemplate {
        page: &page,
        form,
        choices,
        bin_editable,
        photo: None,
        action,
        back,
    };
    page.render(status, &template)
}

fn new_target() -> (String, String) {
    ("/department/orgs/new".into(), "/department".into())
}

fn edit_target(id: i64) -> (String, String) {
    (
        format!("/department/orgs/{id}/edit"),
        format!("/department/orgs/{id}"),
    )
}

/// Field errors from reading the form, plus the area's own when the typed code lies outside.
fn unreadable_card(area: &Area, fields: &Fields, mut errors: FieldErrors) -> CardError {
    if let Some(outside) = area.typed_code_error(field(fields, "kato")) {
        errors.push(outside);
    }
    CardError::Invalid(errors)
}

pub async fn new_form(Operator { area, .. }: Operator, page: Page) -> PageResult {
    // Most new organizations lie in the operator's own unit: start from its code.
    let mut form = FormState::default();
    form.set_value("kato", area.code());
    render_card(
        page,
        form,
        "department-new-org-title",
        new_target(),
        true,
        StatusCode::OK,
    )
    .await
}

pub async fn new_submit(
    Operator { area, actor }: Operator,
    page: Page,
    Form(fields): Form<Fields>,
) -> PageResult {
    let result = match org_forms::organization_input(&fields, None) {
        Ok(input) => {
            area::create_organization(&page.app.db, &actor, &area, &input, page.app.now()).await
        }
        Err(errors) => Err(unreadable_card(&area, &fields, errors)),
    };
    let mut form = FormState::with_values(&fields);
    match result {
        Ok(id) => Ok(see_other_with_flash(
            &page.app,
            &format!("/department/orgs/{id}"),
            "flash-department-org-created",
        )),
        Err(e) if org_forms::show_card_error(&page, &mut form, &e) => {
            render_card(
                page,
                form,
                "department-new-org-title",
                new_target(),
                true,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(
    Operator { area, .. }: Operator,
    page: Page,
    Path(id): Path<i64>,
) -> PageResult {
    let org = area_organization(&page, &area, id).await?;
    render_card(
        page,
        org_forms::organization_values(&org),
        "org-card-title",
        edit_target(id),
        false,
        StatusCode::OK,
    )
    .await
}

pub async fn edit_submit(
    Operator { area, actor }: Operator,
    page: Page,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let org = area_organization(&page, &area, id).await?;
    let mut form = FormState::with_values(&fields);
    // The BIN identifies the organization: whatever the form says, it stays.
    form.set_value("bin", org.bin.clone());
    let result = match org_forms::organization_input(&fields, Some(&org.bin)) {
        Ok(input) => {
            area::update_organization(&page.app.db, &actor, &area, id, &input, page.app.now()).await
        }
        Err(errors) => Err(unreadable_card(&area, &fields, errors)),
    };
    match result {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            &format!("/department/orgs/{id}"),
            "flash-card-saved",
        )),
        Err(CardError::NotFound) => Err(PageError::NotFound),
        Err(e) if org_forms::show_card_error(&page, &mut form, &e) => {
            render_card(
                page,
                form,
                "org-card-title",
                edit_target(id),
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
