//! "Регистрация", "Вход", "Забыли пароль?" and logging out, as the parent's guide describes them.

use askama::Template;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::Response;

use crate::context::jar;
use crate::cookies;
use crate::error::PageResult;
use crate::page::{Fields, FormState, Page, cabinet_path, field, see_other, see_other_with_flash};
use kezek_core::accounts::codes::Purpose;
use kezek_core::accounts::{self, AccountError};
use kezek_core::app::App;
use kezek_core::domain::{Iin, Person, Phone, time};

/// Puts an account error beside its field and picks the response status for it.
pub fn show_error(page: &Page, form: &mut FormState, error: AccountError) -> StatusCode {
    let status = match &error {
        AccountError::SendRefused(_) | AccountError::LoginLocked => StatusCode::TOO_MANY_REQUESTS,
        AccountError::Busy | AccountError::RegistryUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        AccountError::LookupsLimited => StatusCode::TOO_MANY_REQUESTS,
        AccountError::LoginFailed => StatusCode::UNAUTHORIZED,
        AccountError::Blocked => StatusCode::FORBIDDEN,
        AccountError::Internal(e) => {
            tracing::error!(error = %format_args!("{e:#}"), "account operation failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    form.set_error(error.field(), error.message(&page.app, page.lang()));
    status
}

/// Tells the visitor where the code went without saying whether the number has an account.
fn code_sent_notice(page: &Page, phone: &Phone) -> String {
    page.t1("code-sent", "phone", &phone.masked())
}

// ---- Регистрация, step 1: phone, policy, code ----

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterTemplate<'a> {
    page: &'a Page,
    form: FormState,
    code_sent: bool,
}

pub async fn register_form(page: Page) -> PageResult {
    if let Some(user) = &page.ctx.user {
        return Ok(see_other(cabinet_path(user.role)));
    }
    let page = page.titled("register-title");
    page.render(
        StatusCode::OK,
        &RegisterTemplate {
            page: &page,
            form: FormState::default(),
            code_sent: false,
        },
    )
}

pub async fn register_submit(page: Page, Form(fields): Form<Fields>) -> PageResult {
    let page = page.titled("register-title");
    let app = &page.app;
    let mut form = FormState::with_values(&fields);
    // After "Отправить" the code field stays, so its error has a place to show.
    let mut code_sent =
        !field(&fields, "code_sent").is_empty() || field(&fields, "action") == "verify";
    let policy_accepted = !field(&fields, "policy").is_empty();
    let phone = field(&fields, "phone");
    let outcome = if !policy_accepted {
        Err(AccountError::PolicyNotAccepted)
    } else if field(&fields, "action") == "verify" {
        match accounts::start_registration(app, phone, field(&fields, "code"), &page.ctx.ip).await {
            Ok(token) => {
                let mut response = see_other("/register/password");
                response.headers_mut().append(
                    header::SET_COOKIE,
                    jar(app).set(
                        cookies::SIGNUP,
                        &token,
                        Some(accounts::flows::FLOW_TTL_SECS),
                        true,
                    ),
                );
                return Ok(response);
            }
            Err(e) => Err(e),
        }
    } else {
        accounts::request_code(app, Purpose::Register, phone, &page.ctx.ip, page.lang())
            .await
            .map(|phone| {
                code_sent = true;
                form.set_value("phone", phone.display());
                form.set_value("code", "");
                form.notice = Some(code_sent_notice(&page, &phone));
            })
    };
    let status = match outcome {
        Ok(()) => StatusCode::OK,
        Err(e) => show_error(&page, &mut form, e),
    };
    page.render(
        status,
        &RegisterTemplate {
            page: &page,
            form,
            code_sent,
        },
    )
}

/// The sign-up in progress and whether its password is set; `None` when there is none (any
/// more).
async fn signup(page: &Page) -> PageResult<Option<(String, bool)>> {
    let Some(token) = page.ctx.signup_token.clone() else {
        return Ok(None);
    };
    let stage = accounts::registration_stage(&page.app, &token).await?;
    Ok(stage.map(|password_set| (token, password_set)))
}

/// Back to the start of "Регистрация": the sign-up expired or was never begun.
fn signup_expired(app: &App) -> Response {
    see_other_with_flash(app, "/register", "flash-signup-expired")
}

// ---- Регистрация, step 2: password twice ----

#[derive(Template)]
#[template(path = "register_password.html")]
struct RegisterPasswordTemplate<'a> {
    page: &'a Page,
    form: FormState,
}

pub async fn register_password_form(page: Page) -> PageResult {
    if signup(&page).await?.is_none() {
        return Ok(signup_expired(&page.app));
    }
    let page = page.titled("register-title");
    page.render(
        StatusCode::OK,
        &RegisterPasswordTemplate {
            page: &page,
            form: FormState::default(),
        },
    )
}

pub async fn register_password_submit(page: Page, Form(fields): Form<Fields>) -> PageResult {
    let Some((token, _)) = signup(&page).await? else {
        return Ok(signup_expired(&page.app));
    };
    let page = page.titled("register-title");
    let result = accounts::registration_set_password(
        &page.app,
        &token,
        field(&fields, "password"),
        field(&fields, "password2"),
    )
    .await;
    let mut form = FormState::with_values(&fields);
    match result {
        Ok(()) => Ok(see_other("/register/iin")),
        Err(AccountError::FlowExpired) => Ok(signup_expired(&page.app)),
        Err(e) => {
            let status = show_error(&page, &mut form, e);
            page.render(status, &RegisterPasswordTemplate { page: &page, form })
        }
    }
}

// ---- Регистрация, step 3: the applicant's IIN ----

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
#[template(path = "register_iin.html")]
struct RegisterIinTemplate<'a> {
    page: &'a Page,
    form: FormState,
    person: Option<PersonView>,
}

pub async fn register_iin_form(page: Page) -> PageResult {
    match signup(&page).await? {
        Some((_, true)) => {}
        Some((_, false)) => return Ok(see_other("/register/password")),
        None => return Ok(signup_expired(&page.app)),
    }
    let page = page.titled("register-title");
    page.render(
        StatusCode::OK,
        &RegisterIinTemplate {
            page: &page,
            form: FormState::default(),
            person: None,
        },
    )
}

pub async fn register_iin_submit(page: Page, Form(fields): Form<Fields>) -> PageResult {
    let token = match signup(&page).await? {
        Some((token, true)) => token,
        Some((_, false)) => return Ok(see_other("/register/password")),
        None => return Ok(signup_expired(&page.app)),
    };
    let page = page.titled("register-title");
    let app = &page.app;
    let iin = field(&fields, "iin");
    let mut form = FormState::with_values(&fields);
    // "Отправить" saves only the IIN whose registry data the parent has seen.
    let seen = Iin::parse(iin).is_ok_and(|i| i.as_str() == field(&fields, "checked_iin"));
    if field(&fields, "action") == "submit" && seen {
        match accounts::complete_registration(app, &token, iin, &page.ctx.ip).await {
            Ok(_) => {
                let mut response = see_other_with_flash(app, "/login", "flash-registered");
                response
                    .headers_mut()
                    .append(header::SET_COOKIE, jar(app).clear(cookies::SIGNUP));
                return Ok(response);
            }
            Err(AccountError::FlowExpired) => return Ok(signup_expired(app)),
            Err(e) => {
                let status = show_error(&page, &mut form, e);
                return page.render(
                    status,
                    &RegisterIinTemplate {
                        page: &page,
                        form,
                        person: None,
                    },
                );
            }
        }
    }
    match accounts::applicant_person(app, &token, iin, &page.ctx.ip).await {
        Ok(person) => {
            form.set_value("iin", person.iin.as_str());
            page.render(
                StatusCode::OK,
                &RegisterIinTemplate {
                    page: &page,
                    form,
                    person: Some(PersonView::from(&person)),
                },
            )
        }
        Err(e) => {
            let status = show_error(&page, &mut form, e);
            page.render(
                status,
                &RegisterIinTemplate {
                    page: &page,
                    form,
                    person: None,
                },
            )
        }
    }
}

// ---- Вход ----

#[derive(Template)]
#[template(path = "login.html")]
struct LoginTemplate<'a> {
    page: &'a Page,
    form: FormState,
}

pub async fn login_form(page: Page) -> PageResult {
    if let Some(user) = &page.ctx.user {
        return Ok(see_other(cabinet_path(user.role)));
    }
    let page = page.titled("login-title");
    page.render(
        StatusCode::OK,
        &LoginTemplate {
            page: &page,
            form: FormState::default(),
        },
    )
}

pub async fn login_submit(page: Page, Form(fields): Form<Fields>) -> PageResult {
    let page = page.titled("login-title");
    let app = &page.app;
    match accounts::login(
        app,
        field(&fields, "phone"),
        field(&fields, "password"),
        &page.ctx.ip,
    )
    .await
    {
        Ok((user, token)) => {
            // A new token at every login: a session fixed before login is worthless.
            if let Some(old) = &page.ctx.session_token
                && let Err(e) = accounts::sessions::delete(app.db.pool(), old).await
            {
                tracing::warn!(error = %e, "could not end the previous session");
            }
            if let Err(e) =
                accounts::users::set_language(app.db.pool(), user.id, page.lang_code()).await
            {
                tracing::warn!(error = %e, "could not remember the user's language");
            }
            let mut response = see_other(cabinet_path(user.role));
            response.headers_mut().append(
                header::SET_COOKIE,
                jar(app).set(cookies::SESSION, &token, None, true),
            );
            Ok(response)
        }
        Err(e) => {
            let mut form = FormState::with_values(&fields);
            let status = show_error(&page, &mut form, e);
            page.render(status, &LoginTemplate { page: &page, form })
        }
    }
}

pub async fn logout(State(app): State<App>, page: Page) -> PageResult {
    if let (Some(user), Some(token)) = (&page.ctx.user, &page.ctx.session_token) {
        accounts::logout(&app, user, token, &page.ctx.ip).await?;
    }
    let mut response = see_other_with_flash(&app, "/", "flash-logged-out");
    response
        .headers_mut()
        .append(header::SET_COOKIE, jar(&app).clear(cookies::SESSION));
    Ok(response)
}

// ---- Забыли пароль? ----

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotTemplate<'a> {
    page: &'a Page,
    form: FormState,
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetTemplate<'a> {
    page: &'a Page,
    form: FormState,
}

pub async fn forgot_form(page: Page) -> PageResult {
    let page = page.titled("forgot-title");
    page.render(
        StatusCode::OK,
        &ForgotTemplate {
            page: &page,
            form: FormState::default(),
        },
    )
}

pub async fn forgot_submit(page: Page, Form(fields): Form<Fields>) -> PageResult {
    let page = page.titled("forgot-title");
    let mut form = FormState::with_values(&fields);
    let resend = !field(&fields, "resend").is_empty();
    match accounts::request_code(
        &page.app,
        Purpose::Reset,
        field(&fields, "phone"),
        &page.ctx.ip,
        page.lang(),
    )
    .await
    {
        Ok(phone) => {
            form.set_value("phone", phone.display());
            form.notice = Some(code_sent_notice(&page, &phone));
            page.render(StatusCode::OK, &ResetTemplate { page: &page, form })
        }
        Err(e) => {
            let status = show_error(&page, &mut form, e);
            if resend {
                page.render(status, &ResetTemplate { page: &page, form })
            } else {
                page.render(status, &ForgotTemplate { page: &page, form })
            }
        }
    }
}

pub async fn reset_submit(page: Page, Form(fields): Form<Fields>) -> PageResult {
    let page = page.titled("forgot-title");
    let result = accounts::reset_password(
        &page.app,
        field(&fields, "phone"),
        field(&fields, "code"),
        field(&fields, "password"),
        field(&fields, "password2"),
        &page.ctx.ip,
    )
    .await;
    match result {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            "/login",
            "flash-password-reset",
        )),
        Err(e) => {
            let mut form = FormState::with_values(&fields);
            let status = show_error(&page, &mut form, e);
            page.render(status, &ResetTemplate { page: &page, form })
        }
    }
}
