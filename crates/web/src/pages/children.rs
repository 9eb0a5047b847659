//! "Мои дети", as the parent's guide describes it: the list, "Добавить ребенка" (the child's
//! IIN → "Проверить ИИН" → the register's data → "Пол" and "Национальность" → "Сохранить"),
//! and a child's page with the choices the parent may change. The rules are in
//! `kezek_core::children`; these handlers only translate. Another parent's child answers 404.
//!
//! "Добавить ребенка" may carry `back`, the application form it was left from (only a local
//! address under `/cabinet/applications/new`; anything else is ignored): it travels through the
//! steps as a hidden field, and "Сохранить" returns there with `child=ID` instead of the list.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query};
use axum::http::StatusCode;
use axum::routing::get;

use crate::access::Parent;
use crate::error::{PageError, PageResult};
use crate::page::{Fields, FormState, Page, field, local_path, see_other_with_flash};
use kezek_core::app::App;
use kezek_core::audit::Actor;
use kezek_core::children::{self, Child, ChildError};
use kezek_core::domain::{Iin, Person, Sex, time};
use kezek_core::reference::{self, ReferenceItem, ReferenceKind};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cabinet/children", get(list))
        .route("/cabinet/children/new", get(new_form).post(new_submit))
        .route("/cabinet/children/{id}", get(child_page).post(child_submit))
}

/// Puts a refusal beside its field and picks the response status for it.
fn show_error(page: &Page, form: &mut FormState, error: ChildError) -> StatusCode {
    let status = match &error {
        ChildError::RegistryUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        ChildError::LookupsLimited => StatusCode::TOO_MANY_REQUESTS,
        ChildError::NotFound => StatusCode::NOT_FOUND,
        ChildError::Internal(e) => {
            tracing::error!(error = %format_args!("{e:#}"), "children operation failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    form.set_error(error.field(), page.t(error.message_key()));
    status
}

/// The options of the "Пол" select.
fn sex_choices(page: &Page) -> Vec<(String, String)> {
    [Sex::Male, Sex::Female]
        .iter()
        .map(|s| (s.code().to_owned(), page.t(s.message_key())))
        .collect()
}

fn nationality_choices(page: &Page, items: &[ReferenceItem]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|i| (i.code.clone(), i.name(page.lang_code()).to_owned()))
        .collect()
}

/// A child as the pages show it.
pub struct ChildView {
    pub id: i64,
    pub full_name: String,
    pub iin: String,
    pub birth_date: String,
    pub sex: String,
    pub nationality: String,
}

impl ChildView {
    /// `names`: the whole nationality list, deactivated entries included, so that every stored
    /// code has a name.
    fn new(page: &Page, child: &Child, names: &[ReferenceItem]) -> ChildView {
        let nationality = match &child.nationality {
            Some(code) => names
                .iter()
                .find(|i| &i.code == code)
                .map_or_else(|| code.clone(), |i| i.name(page.lang_code()).to_owned()),
            None => page.t("children-nationality-none"),
        };
        ChildView {
            id: child.id,
            full_name: child.full_name(),
            iin: child.iin.clone(),
            birth_date: time::day(child.birth_date),
            sex: page.t(child.sex.message_key()),
            nationality,
        }
    }
}

/// A child's id from the address; anything that is not a number is as unknown as a stranger's.
fn child_id(raw: &str) -> Option<i64> {
    raw.parse().ok().filter(|id| *id > 0)
}

// ---- Мои дети ----

#[derive(Template)]
#[template(path = "children.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    children: Vec<ChildView>,
}

pub async fn list(Parent(actor): Parent, page: Page) -> PageResult {
    let pool = page.app.db.pool();
    let children = children::children_of(pool, actor.user_id).await?;
    let names = reference::list(pool, ReferenceKind::Nationality, true).await?;
    let page = page.titled("children-title");
    let children = children
        .iter()
        .map(|c| ChildView::new(&page, c, &names))
        .collect();
    page.render(
        StatusCode::OK,
        &ListTemplate {
            page: &page,
            children,
        },
    )
}

// ---- Добавить ребенка ----

/// Where "Добавить ребенка" may return to: the application form only.
const BACK_PREFIX: &str = "/cabinet/applications/new";

/// `raw` when it is the application form's local address (with or without a query), as
/// [`local_path`] normalised it, else nothing.
fn application_back(raw: &str) -> Option<String> {
    let path = local_path(raw)?;
    let rest = path.strip_prefix(BACK_PREFIX)?;
    (rest.is_empty() || rest.starts_with('?')).then_some(path)
}

/// The application form to return to with the new child chosen.
fn back_with_child(back: &str, child_id: i64) -> String {
    let separator = if back.contains('?') { '&' } else { '?' };
    format!("{back}{separator}child={child_id}")
}

#[derive(serde::Deserialize)]
pub struct NewQuery {
    back: Option<String>,
}

/// The register's record shown after "Проверить ИИН".
pub struct PersonView {
    pub iin: String,
    pub full_name: String,
    pub birth_date: String,
}

impl From<&Person> for PersonView {
    fn from(p: &Person) -> Self {
        // Only what confirms the IIN is the right one: the register's full name is kept.
        PersonView {
            iin: p.iin.to_string(),
            full_name: p.name_to_confirm(),
            birth_date: time::day(p.birth_date),
        }
    }
}

#[derive(Template)]
#[template(path = "children_new.html")]
struct NewTemplate<'a> {
    page: &'a Page,
    form: FormState,
    person: Option<PersonView>,
    sexes: Vec<(String, String)>,
    nationalities: Vec<(String, String)>,
}

/// Renders the form; the selects are filled only once a person is shown.
async fn render_new(
    page: &Page,
    status: StatusCode,
    form: FormState,
    person: Option<&Person>,
) -> PageResult {
    let nationalities = match person {
        Some(_) => nationality_choices(page, &children::nationalities(&page.app, None).await?),
        None => Vec::new(),
    };
    page.render(
        status,
        &NewTemplate {
            page,
            form,
            person: person.map(PersonView::from),
            sexes: sex_choices(page),
            nationalities,
        },
    )
}

pub async fn new_form(_: Parent, page: Page, Query(query): Query<NewQuery>) -> PageResult {
    let page = page.titled("children-add");
    let mut form = FormState::default();
    if let Some(back) = query.back.as_deref().and_then(application_back) {
        form.set_value("back", back);
    }
    render_new(&page, StatusCode::OK, form, None).await
}

pub async fn new_submit(
    Parent(actor): Parent,
    page: Page,
    Form(fields): Form<Fields>,
) -> PageResult {
    let page = page.titled("children-add");
    let app = &page.app;
    let iin = field(&fields, "iin");
    let mut form = FormState::with_values(&fields);
    let back = application_back(field(&fields, "back"));
    form.set_value("back", back.clone().unwrap_or_default());
    // "Сохранить" saves only the IIN whose register data the parent has seen; otherwise the
    // data is shown first, as after "Проверить ИИН".
    let seen = Iin::parse(iin).is_ok_and(|i| i.as_str() == field(&fields, "checked_iin"));
    if field(&fields, "action") == "save" && seen {
        match children::add_child(
            app,
            &actor,
            iin,
            field(&fields, "sex"),
            field(&fields, "nationality"),
        )
        .await
        {
            Ok(child) => {
                let to = match &back {
                    Some(back) => back_with_child(back, child.id),
                    None => "/cabinet/children".to_owned(),
                };
                return Ok(see_other_with_flash(app, &to, "flash-children-added"));
            }
            // A wrong choice keeps the register's data on screen to choose again.
            Err(e @ (ChildError::Sex | ChildError::Nationality)) => {
                let status = show_error(&page, &mut form, e);
                return match children::check_child(app, &actor, iin).await {
                    Ok(candidate) => render_new(&page, status, form, Some(&candidate.person)).await,
                    Err(e) => {
                        let status = show_error(&page, &mut form, e);
                        render_new(&page, status, form, None).await
                    }
                };
            }
            Err(e) => {
                let status = show_error(&page, &mut form, e);
                return render_new(&page, status, form, None).await;
            }
        }
    }
    match children::check_child(app, &actor, iin).await {
        Ok(candidate) => {
            form.set_value("iin", candidate.person.iin.as_str());
            // A new IIN gets the prefilled choices; checking the same one again keeps the
            // parent's own.
            if !seen || Sex::from_code(field(&fields, "sex")).is_none() {
                form.set_value("sex", candidate.sex.code());
                form.set_value("nationality", candidate.nationality.unwrap_or_default());
            }
            render_new(&page, StatusCode::OK, form, Some(&candidate.person)).await
        }
        Err(e) => {
            let status = show_error(&page, &mut form, e);
            render_new(&page, status, form, None).await
        }
    }
}

// ---- A child: view and edit ----

#[derive(Template)]
#[template(path = "children_child.html")]
struct ChildTemplate<'a> {
    page: &'a Page,
    child: ChildView,
    form: FormState,
    sexes: Vec<(String, String)>,
    nationalities: Vec<(String, String)>,
}

/// The parent's child `raw_id`; another parent's is "not found".
async fn child_of(page: &Page, actor: &Actor, raw_id: &str) -> PageResult<Child> {
    let id = child_id(raw_id).ok_or(PageError::NotFound)?;
    children::child_of(page.app.db.pool(), actor.user_id, id)
        .await?
        .ok_or(PageError::NotFound)
}

async fn render_child(
    page: &Page,
    status: StatusCode,
    child: &Child,
    form: FormState,
) -> PageResult {
    let names = reference::list(page.app.db.pool(), ReferenceKind::Nationality, true).await?;
    let choices = children::nationalities(&page.app, child.nationality.as_deref()).await?;
    page.render(
        status,
        &ChildTemplate {
            page,
            child: ChildView::new(page, child, &names),
            form,
            sexes: sex_choices(page),
            nationalities: nationality_choices(page, &choices),
        },
    )
}

pub async fn child_page(
    Parent(actor): Parent,
    page: Page,
    Path(raw_id): Path<String>,
) -> PageResult {
    let child = child_of(&page, &actor, &raw_id).await?;
    let page = page.titled("children-title");
    let mut form = FormState::default();
    form.set_value("sex", child.sex.code());
    form.set_value("nationality", child.nationality.clone().unwrap_or_default());
    render_child(&page, StatusCode::OK, &child, form).await
}

pub async fn child_submit(
    Parent(actor): Parent,
    page: Page,
    Path(raw_id): Path<String>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let child = child_of(&page, &actor, &raw_id).await?;
    let page = page.titled("children-title");
    let result = children::update_child(
        &page.app,
        &actor,
        child.id,
        field(&fields, "sex"),
        field(&fields, "nationality"),
    )
    .await;
    match result {
        Ok(_) => Ok(see_other_with_flash(
            &page.app,
            &format!("/cabinet/children/{}", child.id),
            "flash-children-updated",
        )),
        Err(ChildError::NotFound) => Err(PageError::NotFound),
        Err(e) => {
            let mut form = FormState::with_values(&fields);
            let status = show_error(&page, &mut form, e);
            render_child(&page, status, &child, form).await
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_positive_numbers_are_child_ids() {
        assert_eq!(super::child_id("42"), Some(42));
        assert_eq!(super::child_id("0"), None);
        assert_eq!(super::child_id("-3"), None);
        assert_eq!(super::child_id("new2"), None);
        assert_eq!(super::child_id("9999999999999999999999"), None);
    }

    #[test]
    fn only_the_application_form_is_a_way_back() {
        for ok in [
            "/cabinet/applications/new",
            "/cabinet/applications/new?draft=ab12",
        ] {
            assert_eq!(super::application_back(ok).as_deref(), Some(ok));
        }
        for bad in [
            "",
            "/",
            "https://evil.example/cabinet/applications/new",
            "//evil.example/cabinet/applications/new",
            "/cabinet/applications/newer",
            "/cabinet/applications/new/../../logout",
            "/cabinet/applications/new?x=\r\nSet-Cookie:a",
            "/cabinet/children",
        ] {
            assert_eq!(super::application_back(bad), None, "{bad:?}");
        }
        assert_eq!(
            super::application_back("/cabinet/applications/new?x=а").as_deref(),
            Some("/cabinet/applications/new?x=%D0%B0")
        );
        assert_eq!(
            super::back_with_child("/cabinet/applications/new?draft=k", 5),
            "/cabinet/applications/new?draft=k&child=5"
        );
        assert_eq!(
            super::back_with_child("/cabinet/applications/new", 5),
            "/cabinet/applications/new?child=5"
        );
    }
}
