//! The personal cabinet: the applicant's data, password and phone changes; the staff cabinet.

use anyhow::Context;
use askama::Template;
use axum::extract::Form;
use axum::http::StatusCode;

use super::auth::show_error;
use crate::access::SignedIn;
use crate::error::PageResult;
use crate::page::{Fields, FormState, Page, cabinet_path, field, see_other, see_other_with_flash};
use kezek_core::accounts;
use kezek_core::accounts::codes::Purpose;
use kezek_core::accounts::users::{self, Applicant, StaffBinding};
use kezek_core::domain::{Phone, Role};

fn display_phone(e164: &str) -> String {
    Phone::parse(e164).map_or_else(|_| e164.to_owned(), |p| p.display())
}

#[derive(Template)]
#[template(path = "cabinet.html")]
struct CabinetTemplate<'a> {
    page: &'a Page,
    applicant: Applicant,
    phone: String,
}

pub async fn cabinet(SignedIn { user, .. }: SignedIn, page: Page) -> PageResult {
    if user.role != Role::Parent {
        return Ok(see_other(cabinet_path(user.role)));
    }
    let applicant = users::applicant(page.app.db.pool(), user.id)
        .await?
        .with_context(|| format!("parent {} has no applicant row", user.id))?;
    let page = page.titled("cabinet-title");
    page.render(
        StatusCode::OK,
        &CabinetTemplate {
            page: &page,
            applicant,
            phone: display_phone(&user.phone),
        },
    )
}

#[derive(Template)]
#[template(path = "staff.html")]
struct StaffTemplate<'a> {
    page: &'a Page,
    role_key: &'static str,
    phone: String,
    binding: StaffBinding,
}

pub async fn staff(SignedIn { user, .. }: SignedIn, page: Page) -> PageResult {
    let title = match user.role {
        Role::Parent => return Ok(see_other("/cabinet")),
        Role::Admin => "staff-title-admin",
        Role::Department => "staff-title-department",
        Role::Organization => "staff-title-organization",
        Role::Moderator => "staff-title-moderator",
    };
    let binding = users::staff_binding(page.app.db.pool(), user.id).await?;
    let page = page.titled(title);
    page.render(
        StatusCode::OK,
        &StaffTemplate {
            page: &page,
            role_key: user.role.message_key(),
            phone: display_phone(&user.phone),
            binding,
        },
    )
}

#[derive(Template)]
#[template(path = "cabinet_password.html")]
struct PasswordTemplate<'a> {
    page: &'a Page,
    form: FormState,
}

pub async fn password_form(_: SignedIn, page: Page) -> PageResult {
    let page = page.titled("cabinet-password-title");
    page.render(
        StatusCode::OK,
        &PasswordTemplate {
            page: &page,
            form: FormState::default(),
        },
    )
}

pub async fn password_submit(
    SignedIn { user, .. }: SignedIn,
    page: Page,
    Form(fields): Form<Fields>,
) -> PageResult {
    let page = page.titled("cabinet-password-title");
    let token = page.ctx.session_token.clone().unwrap_or_default();
    let result = accounts::change_password(
        &page.app,
        &user,
        &token,
        field(&fields, "current_password"),
        field(&fields, "password"),
        field(&fields, "password2"),
        &page.ctx.ip,
    )
    .await;
    match result {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            cabinet_path(user.role),
            "flash-password-changed",
        )),
        Err(e) => {
            let mut form = FormState::with_values(&fields);
            let status = show_error(&page, &mut form, e);
            page.render(status, &PasswordTemplate { page: &page, form })
        }
    }
}

#[derive(Template)]
#[template(path = "cabinet_phone.html")]
struct PhoneTemplate<'a> {
    page: &'a Page,
    form: FormState,
    current_phone: String,
    code_sent: bool,
}

pub async fn phone_form(SignedIn { user, .. }: SignedIn, page: Page) -> PageResult {
    let page = page.titled("cabinet-phone-title");
    page.render(
        StatusCode::OK,
        &PhoneTemplate {
            page: &page,
            form: FormState::default(),
            current_phone: display_phone(&user.phone),
            code_sent: false,
        },
    )
}

pub async fn phone_submit(
    SignedIn { user, .. }: SignedIn,
    page: Page,
    Form(fields): Form<Fields>,
) -> PageResult {
    let page = page.titled("cabinet-phone-title");
    let app = &page.app;
    let mut form = FormState::with_values(&fields);
    let mut code_sent =
        !field(&fields, "code_sent").is_empty() || field(&fields, "action") == "confirm";
    let phone = field(&fields, "phone");
    let outcome = if field(&fields, "action") == "confirm" {
        let token = page.ctx.session_token.clone().unwrap_or_default();
        let change = accounts::PhoneChange {
            phone,
            code: field(&fields, "code"),
            current_password: field(&fields, "current_password"),
        };
        match accounts::change_phone(app, &user, &token, change, &page.ctx.ip, page.lang()).await {
            Ok(_) => {
                return Ok(see_other_with_flash(
                    app,
                    cabinet_path(user.role),
                    "flash-phone-changed",
                ));
            }
            Err(e) => Err(e),
        }
    } else {
        accounts::request_code(app, Purpose::ChangePhone, phone, &page.ctx.ip, page.lang())
            .await
            .map(|phone| {
                code_sent = true;
                form.set_value("phone", phone.display());
                form.set_value("code", "");
                form.notice = Some(page.t1("code-sent", "phone", &phone.masked()));
            })
    };
    let status = match outcome {
        Ok(()) => StatusCode::OK,
        Err(e) => show_error(&page, &mut form, e),
    };
    page.render(
        status,
        &PhoneTemplate {
            page: &page,
            form,
            current_phone: display_phone(&user.phone),
            code_sent,
        },
    )
}
