//! The reference lists: the kinds, each list with its "add" form, one entry's edit form and
//! its delete button.

use askama::Template;
use axum::extract::{Form, Path};
use axum::http::StatusCode;

use crate::access::Admin;
use crate::error::{PageError, PageResult};
use crate::page::{Fields, FormState, Page, field, see_other_with_flash};
use kezek_core::reference::{self, ReferenceError, ReferenceItem, ReferenceKind};
use kezek_core::staff::reference::{self as edits, ReferenceEditError};

const NAME_FIELDS: [&str; 3] = ["name_kk", "name_ru", "name_en"];

#[derive(Template)]
#[template(path = "admin_reference.html")]
struct KindsTemplate<'a> {
    page: &'a Page,
    kinds: [ReferenceKind; 5],
}

/// The list kind named in the address.
fn kind_of(raw: &str) -> PageResult<ReferenceKind> {
    ReferenceKind::parse(raw).ok_or(PageError::NotFound)
}

pub async fn kinds(_: Admin, page: Page) -> PageResult {
    let page = page.titled("admin-reference-title");
    page.render(
        StatusCode::OK,
        &KindsTemplate {
            page: &page,
            kinds: ReferenceKind::ALL,
        },
    )
}

#[derive(Template)]
#[template(path = "admin_reference_kind.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    kind: ReferenceKind,
    items: Vec<ReferenceItem>,
    form: FormState,
}

async fn render_list(
    page: Page,
    kind: ReferenceKind,
    mut form: FormState,
    status: StatusCode,
) -> PageResult {
    let items = reference::list(page.app.db.pool(), kind, true).await?;
    if status == StatusCode::OK {
        form.set_value("active", "1");
        let next = items.iter().map(|i| i.position).max().unwrap_or(0) + 1;
        form.set_value("position", next.to_string());
    }
    let page = page.titled(kind.message_key());
    page.render(
        status,
        &ListTemplate {
            page: &page,
            kind,
            items,
            form,
        },
    )
}

pub async fn list(_: Admin, page: Page, Path(kind): Path<String>) -> PageResult {
    let kind = kind_of(&kind)?;
    render_list(page, kind, FormState::default(), StatusCode::OK).await
}

/// The entry as typed, or the form with the message beside the position.
fn typed_item(
    page: &Page,
    kind: ReferenceKind,
    code: &str,
    fields: &Fields,
) -> Result<ReferenceItem, Box<FormState>> {
    let Ok(position) = field(fields, "position").trim().parse::<i64>() else {
        let mut form = FormState::with_values(fields);
        form.set_error(Some("position"), page.t("admin-reference-error-position"));
        return Err(Box::new(form));
    };
    let text = |name: &str| field(fields, name).to_owned();
    Ok(ReferenceItem {
        kind,
        code: code.to_owned(),
        name_kk: text("name_kk"),
        name_ru: text("name_ru"),
        name_en: text("name_en"),
        position,
        attribute: Some(text("attribute")),
        active: i64::from(!field(fields, "active").is_empty()),
    })
}

/// Puts a refused entry's message beside the field it concerns.
fn show_error(page: &Page, form: &mut FormState, fields: &Fields, e: &ReferenceEditError) {
    let message = page.t(e.message_key());
    match e {
        ReferenceEditError::Exists | ReferenceEditError::Reference(ReferenceError::Code) => {
            form.set_error(Some("item_code"), message)
        }
        ReferenceEditError::Reference(ReferenceError::Attribute) => {
            form.set_error(Some("attribute"), message)
        }
        ReferenceEditError::Reference(ReferenceError::Name) => {
            for name in NAME_FIELDS {
                if field(fields, name).trim().is_empty() {
                    form.set_error(Some(name), message.clone());
                }
            }
        }
        _ => form.set_error(None, message),
    }
}

pub async fn add(
    Admin(actor): Admin,
    page: Page,
    Path(kind): Path<String>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let kind = kind_of(&kind)?;
    let item = match typed_item(&page, kind, field(&fields, "item_code"), &fields) {
        Ok(item) => item,
        Err(form) => return render_list(page, kind, *form, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    match edits::add(&page.app.db, &actor, &item, page.app.now()).await {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            &format!("/admin/reference/{}", kind.as_str()),
            "flash-admin-reference-saved",
        )),
        Err(ReferenceEditError::Reference(ReferenceError::Internal(e))) => Err(e.into()),
        Err(e) => {
            let mut form = FormState::with_values(&fields);
            show_error(&page, &mut form, &fields, &e);
            render_list(page, kind, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin_reference_item.html")]
struct ItemTemplate<'a> {
    page: &'a Page,
    kind: ReferenceKind,
    code: String,
    form: FormState,
}

/// The entry's page; `typed` keeps what the administrator typed instead of the stored values.
async fn render_item(
    page: Page,
    kind: ReferenceKind,
    code: &str,
    mut form: FormState,
    typed: bool,
    status: StatusCode,
) -> PageResult {
    let item = reference::get(page.app.db.pool(), kind, code)
        .await?
        .ok_or(PageError::NotFound)?;
    if !typed {
        form.set_value("name_kk", &item.name_kk);
        form.set_value("name_ru", &item.name_ru);
        form.set_value("name_en", &item.name_en);
        form.set_value("position", item.position.to_string());
        form.set_value("attribute", item.attribute.clone().unwrap_or_default());
        form.set_value("active", if item.active != 0 { "1" } else { "" });
    }
    let page = page.titled("admin-reference-edit-title");
    page.render(
        status,
        &ItemTemplate {
            page: &page,
            kind,
            code: item.code,
            form,
        },
    )
}

pub async fn item(_: Admin, page: Page, Path((kind, code)): Path<(String, String)>) -> PageResult {
    let kind = kind_of(&kind)?;
    render_item(
        page,
        kind,
        &code,
        FormState::default(),
        false,
        StatusCode::OK,
    )
    .await
}

pub async fn update(
    Admin(actor): Admin,
    page: Page,
    Path((kind, code)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let kind = kind_of(&kind)?;
    let item = match typed_item(&page, kind, &code, &fields) {
        Ok(item) => item,
        Err(form) => {
            return render_item(
                page,
                kind,
                &code,
                *form,
                true,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match edits::update(&page.app.db, &actor, &item, page.app.now()).await {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            &format!("/admin/reference/{}", kind.as_str()),
            "flash-admin-reference-saved",
        )),
        Err(ReferenceEditError::Reference(ReferenceError::NotFound)) => Err(PageError::NotFound),
        Err(ReferenceEditError::Reference(ReferenceError::Internal(e))) => Err(e.into()),
        Err(e) => {
            let mut form = FormState::with_values(&fields);
            show_error(&page, &mut form, &fields, &e);
            render_item(
                page,
                kind,
                &code,
                form,
                true,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn delete(
    Admin(actor): Admin,
    page: Page,
    Path((kind, code)): Path<(String, String)>,
) -> PageResult {
    let kind = kind_of(&kind)?;
    match edits::delete(&page.app.db, &actor, kind, &code, page.app.now()).await {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            &format!("/admin/reference/{}", kind.as_str()),
            "flash-admin-reference-deleted",
        )),
        Err(ReferenceError::NotFound) => Err(PageError::NotFound),
        Err(ReferenceError::Internal(e)) => Err(e.into()),
        Err(e) => {
            let mut form = FormState::default();
            form.set_error(None, page.t(e.message_key()));
            render_item(page, kind, &code, form, false, StatusCode::CONFLICT).await
        }
    }
}
