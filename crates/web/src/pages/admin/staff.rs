//! Staff accounts: the list, a new account, role and binding changes, blocking.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path, Query};
use axum::http::StatusCode;

use super::display_phone;
use crate::access::Admin;
use crate::error::{PageError, PageResult};
use crate::page::{Fields, FormState, Page, field, see_other_with_flash};
use kezek_core::accounts::users::StaffBinding;
use kezek_core::domain::{Role, time};
use kezek_core::staff::{self, Actor, StaffError, StaffMember};

const PAGE_SIZE: i64 = 50;
/// The roles an administrator gives, in the order the form offers them.
const STAFF_ROLES: [Role; 4] = [
    Role::Organization,
    Role::Department,
    Role::Moderator,
    Role::Admin,
];

/// One staff account as a row of the list or the head of its page.
struct StaffView {
    id: i64,
    phone: String,
    role_key: &'static str,
    /// The organization's BIN or the area's KATO code.
    bound_code: Option<String>,
    bound_name: Option<String>,
    blocked_since: Option<String>,
}

impl StaffView {
    fn new(m: &StaffMember, lang: &str) -> StaffView {
        StaffView {
            id: m.id,
            phone: display_phone(&m.phone),
            role_key: m.role.message_key(),
            bound_code: m.binding.org_bin.clone().or_else(|| m.binding.kato.clone()),
            bound_name: m.bound_name(lang).map(str::to_owned),
            blocked_since: m.blocked_at.map(time::minutes),
        }
    }
}

pub struct RoleOption {
    pub value: &'static str,
    pub key: &'static str,
}

fn role_options() -> Vec<RoleOption> {
    STAFF_ROLES
        .iter()
        .map(|r| RoleOption {
            value: r.as_str(),
            key: r.message_key(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin_staff.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    staff: Vec<StaffView>,
    number: i64,
    has_next: bool,
}

pub async fn list(
    _: Admin,
    page: Page,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let number = query
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|n| (1..=1_000_000).contains(n))
        .unwrap_or(1);
    let offset = kezek_core::paging::offset_of(number as u64, PAGE_SIZE as u64);
    let mut members = staff::list_staff(page.app.db.pool(), offset, PAGE_SIZE + 1).await?;
    let has_next = members.len() as i64 > PAGE_SIZE;
    members.truncate(PAGE_SIZE as usize);
    let page = page.titled("admin-staff-title");
    let staff = members
        .iter()
        .map(|m| StaffView::new(m, page.lang_code()))
        .collect();
    page.render(
        StatusCode::OK,
        &ListTemplate {
            page: &page,
            staff,
            number,
            has_next,
        },
    )
}

#[derive(Template)]
#[template(path = "admin_staff_new.html")]
struct NewTemplate<'a> {
    page: &'a Page,
    form: FormState,
    roles: Vec<RoleOption>,
}

fn render_new(page: Page, form: FormState, status: StatusCode) -> PageResult {
    let page = page.titled("admin-staff-new-title");
    page.render(
        status,
        &NewTemplate {
            page: &page,
            form,
            roles: role_options(),
        },
    )
}

pub async fn new_form(_: Admin, page: Page) -> PageResult {
    let mut form = FormState::default();
    form.set_value("role", Role::Organization.as_str());
    render_new(page, form, StatusCode::OK)
}

/// The binding fields as typed; the service checks them against the role.
fn typed_binding(fields: &Fields) -> StaffBinding {
    StaffBinding {
        org_bin: Some(field(fields, "org_bin").to_owned()),
        kato: Some(field(fields, "kato").to_owned()),
    }
}

fn show_error(page: &Page, form: &mut FormState, e: &StaffError) {
    form.set_error(e.field(), e.message(&page.app, page.lang()));
}

pub async fn create(Admin(actor): Admin, page: Page, Form(fields): Form<Fields>) -> PageResult {
    let mut form = FormState::with_values(&fields);
    let result = match staff::staff_role(field(&fields, "role")) {
        Ok(role) => {
            staff::create(
                &page.app,
                &actor,
                role,
                field(&fields, "phone"),
                field(&fields, "password"),
                typed_binding(&fields),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(see_other_with_flash(
            &page.app,
            &format!("/admin/staff/{id}"),
            "flash-admin-staff-created",
        )),
        Err(StaffError::Internal(e)) => Err(e.into()),
        Err(e) => {
            show_error(&page, &mut form, &e);
            render_new(page, form, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Template)]
#[template(path = "admin_staff_edit.html")]
struct EditTemplate<'a> {
    page: &'a Page,
    member: StaffView,
    blocked: bool,
    own_account: bool,
    form: FormState,
    roles: Vec<RoleOption>,
}

async fn render_edit(page: Page, id: i64, mut form: FormState, status: StatusCode) -> PageResult {
    let member = staff::staff_member(page.app.db.pool(), id)
        .await?
        .ok_or(PageError::NotFound)?;
    if form.value("role").is_empty() {
        form.set_value("role", member.role.as_str());
        form.set_value(
            "org_bin",
            member.binding.org_bin.clone().unwrap_or_default(),
        );
        form.set_value("kato", member.binding.kato.clone().unwrap_or_default());
    }
    let own_account = page.ctx.user.as_ref().is_some_and(|u| u.id == member.id);
    let page = page.titled("admin-staff-edit-title");
    page.render(
        status,
        &EditTemplate {
            member: StaffView::new(&member, page.lang_code()),
            blocked: member.blocked(),
            own_account,
            form,
            roles: role_options(),
            page: &page,
        },
    )
}

pub async fn edit_form(_: Admin, page: Page, Path(id): Path<i64>) -> PageResult {
    render_edit(page, id, FormState::default(), StatusCode::OK).await
}

pub async fn change(
    Admin(actor): Admin,
    page: Page,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let result = match staff::staff_role(field(&fields, "role")) {
        Ok(role) => {
            let now = page.app.now();
            staff::change_binding(&page.app.db, &actor, id, role, typed_binding(&fields), now).await
        }
        Err(e) => Err(e),
    };
    after_change(page, id, result, "flash-admin-staff-saved", Some(&fields)).await
}

pub async fn block(Admin(actor): Admin, page: Page, Path(id): Path<i64>) -> PageResult {
    set_blocked(actor, page, id, true).await
}

pub async fn unblock(Admin(actor): Admin, page: Page, Path(id): Path<i64>) -> PageResult {
    set_blocked(actor, page, id, false).await
}

async fn set_blocked(actor: Actor, page: Page, id: i64, blocked: bool) -> PageResult {
    let now = page.app.now();
    let result = staff::set_blocked(&page.app.db, &actor, id, blocked, now).await;
    let flash = if blocked {
        "flash-admin-staff-blocked"
    } else {
        "flash-admin-staff-unblocked"
    };
    after_change(page, id, result, flash, None).await
}

/// Back to the account's page: with a message after success, or with the error and what
/// was typed.
async fn after_change(
    page: Page,
    id: i64,
    result: Result<(), StaffError>,
    flash: &str,
    fields: Option<&Fields>,
) -> PageResult {
    match result {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            &format!("/admin/staff/{id}"),
            flash,
        )),
        Err(StaffError::NotFound) => Err(PageError::NotFound),
        Err(StaffError::Internal(e)) => Err(e.into()),
        Err(e) => {
            let mut form = fields.map(FormState::with_values).unwrap_or_default();
            show_error(&page, &mut form, &e);
            render_edit(page, id, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
