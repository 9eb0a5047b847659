//! The personal cabinet: the applicant's data, password and phone changes; the staff cabinet.

use askama::Template;
use axum::extract::Form;
use axum::http::StatusCode;
use axum::response::Response;

use super::auth::show_error;
use crate::accounts::codes::Purpose;
use crate::accounts::users::{self, Applicant, StaffBinding};
use crate::accounts::{self, CurrentUser};
use crate::domain::{Phone, Role};
use crate::web::page::{
    Fields, FormState, Page, cabinet_path, field, see_other, see_other_with_flash,
};

/// The logged-in user, or a redirect to "Вход".
#[allow(clippy::result_large_err)] // the redirect is built once per request; boxing buys nothing
fn require_user(page: &Page) -> Result<CurrentUser, Response> {
    page.ctx
        .user
        .clone()
        .ok_or_else(|| see_other_with_flash(&page.app, "/login", "flash-login-required"))
}

fn display_phone(e164: &str) -> String {
    Phone::parse(e164).map_or_else(|_| e164.to_owned(), |p| p.display())
}

fn internal_error(page: Page, error: impl std::fmt::Display) -> Response {
    tracing::error!(error = %error, "cabinet page failed");
    page.error(StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
}

#[derive(Template)]
#[template(path = "cabinet.html")]
struct CabinetTemplate<'a> {
    page: &'a Page,
    applicant: Applicant,
    phone: String,
}

pub async fn cabinet(page: Page) -> Response {
    let user = match require_user(&page) {
        Ok(user) => user,
        Err(response) => return response,
    };
    if user.role != Role::Parent {
        return see_other(cabinet_path(user.role));
    }
    let applicant = match users::applicant(page.app.db.pool(), user.id).await {
        Ok(Some(applicant)) => applicant,
        Ok(None) => {
            return internal_error(page, format!("parent {} has no applicant row", user.id));
        }
        Err(e) => return internal_error(page, e),
    };
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

pub async fn staff(page: Page) -> Response {
    let user = match require_user(&page) {
        Ok(user) => user,
        Err(response) => return response,
    };
    let title = match user.role {
        Role::Parent => return see_other("/cabinet"),
        Role::Admin => "staff-title-admin",
        Role::Department => "staff-title-department",
        Role::Organization => "staff-title-organization",
        Role::Moderator => "staff-title-moderator",
    };
    let binding = match users::staff_binding(page.app.db.pool(), user.id).await {
        Ok(binding) => binding,
        Err(e) => return internal_error(page, e),
    };
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

pub async fn password_form(page: Page) -> Response {
    if let Err(response) = require_user(&page) {
        return response;
    }
    let page = page.titled("cabinet-password-title");
    page.render(
        StatusCode::OK,
        &PasswordTemplate {
            page: &page,
            form: FormState::default(),
        },
    )
}

pub async fn password_submit(page: Page, Form(fields): Form<Fields>) -> Response {
    let user = match require_user(&page) {
        Ok(user) => user,
        Err(response) => return response,
    };
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
        Ok(()) => {
            see_other_with_flash(&page.app, cabinet_path(user.role), "flash-password-changed")
        }
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

pub async fn phone_form(page: Page) -> Response {
    let user = match require_user(&page) {
        Ok(user) => user,
        Err(response) => return response,
    };
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

pub async fn phone_submit(page: Page, Form(fields): Form<Fields>) -> Response {
    let user = match require_user(&page) {
        Ok(user) => user,
        Err(response) => return response,
    };
    let page = page.titled("cabinet-phone-title");
    let app = &page.app;
    let mut form = FormState::with_values(&fields);
    let mut code_sent =
        !field(&fields, "code_sent").is_empty() || field(&fields, "action") == "confirm";
    let phone = field(&fields, "phone");
    let outcome = if field(&fields, "action") == "confirm" {
        match accounts::change_phone(
            app,
            &user,
            phone,
            field(&fields, "code"),
            &page.ctx.ip,
            page.lang(),
        )
        .await
        {
            Ok(_) => {
                return see_other_with_flash(app, cabinet_path(user.role), "flash-phone-changed");
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
