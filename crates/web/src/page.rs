//! What every page template gets: translations, the switchers, the visitor, the CSRF token;
//! and the small form state (typed values and field errors) that forms re-render with.

use std::collections::HashMap;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{Html, IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;

use super::context::Ctx;
use super::error::{PageError, PageResult};
use kezek_core::app::App;
use kezek_core::domain::Role;
use kezek_core::domain::region::REGIONS;
use kezek_core::i18n::Lang;

pub struct Page {
    pub app: App,
    pub ctx: Ctx,
    pub title_key: &'static str,
    /// Unread notifications of the logged-in user, for the bell in the layout; `None` for
    /// visitors and for pages built without [`Page::of`] (the CSRF refusal).
    pub unread_notifications: Option<i64>,
}

pub struct RegionOption {
    pub code: &'static str,
    pub name: &'static str,
    pub selected: bool,
}

pub struct LangOption {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

impl FromRequestParts<App> for Page {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::of(parts)?.clone();
        Ok(Page::of(app.clone(), ctx).await)
    }
}

/// Percent-encodes a path for a query-string value.
fn encode_query_value(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)])
        .map(|s| s[2..].to_owned())
        .unwrap_or_default()
}

impl Page {
    pub fn new(app: App, ctx: Ctx, title_key: &'static str) -> Page {
        Page {
            app,
            ctx,
            title_key,
            unread_notifications: None,
        }
    }

    /// The page for a request's context, with the unread count the layout's bell shows.
    pub async fn of(app: App, ctx: Ctx) -> Page {
        // One indexed COUNT per page for logged-in users; a failure only hides the number.
        let unread_notifications = match &ctx.user {
            Some(user) => kezek_core::notifications::unread_count(&app.db, user.id)
                .await
                .inspect_err(|e| tracing::error!(error = %e, "unread notifications count failed"))
                .ok(),
            None => None,
        };
        Page {
            unread_notifications,
            ..Page::new(app, ctx, "site-name")
        }
    }

    pub fn titled(mut self, title_key: &'static str) -> Page {
        self.title_key = title_key;
        self
    }

    pub fn lang(&self) -> Lang {
        self.ctx.lang
    }

    pub fn lang_code(&self) -> &'static str {
        self.ctx.lang.code()
    }

    pub fn t(&self, key: &str) -> String {
        self.app.i18n.get(self.ctx.lang, key)
    }

    /// A message with one text argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.app
            .i18n
            .get_with(self.ctx.lang, key, &[(name, FluentValue::from(value))])
    }

    /// A message with several text arguments.
    pub fn t_with(&self, key: &str, args: &[(&str, String)]) -> String {
        let args: Vec<(&str, FluentValue<'_>)> = args
            .iter()
            .map(|(name, value)| (*name, FluentValue::from(value.as_str())))
            .collect();
        self.app.i18n.get_with(self.ctx.lang, key, &args)
    }

    /// A group kind's name from its code (`regular`, `correctional`, `sanatorium`).
    pub fn group_kind(&self, code: &str) -> String {
        kezek_core::orgs::GroupKind::parse(code)
            .map_or_else(|| code.to_owned(), |k| self.t(k.message_key()))
    }

    pub fn title(&self) -> String {
        let title = self.t(self.title_key);
        if self.title_key == "site-name" {
            title
        } else {
            format!("{title} — {}", self.t("site-name"))
        }
    }

    pub fn heading(&self) -> String {
        self.t(self.title_key)
    }

    pub fn csrf(&self) -> &str {
        &self.ctx.csrf
    }

    /// Where the switchers return to: this page, or for a form that was posted, its page.
    pub fn back(&self) -> String {
        encode_query_value(&self.ctx.path)
    }

    pub fn back_raw(&self) -> &str {
        &self.ctx.path
    }

    pub fn region_name(&self) -> &'static str {
        self.ctx.region.name(self.lang_code())
    }

    pub fn regions(&self) -> Vec<RegionOption> {
        REGIONS
            .iter()
            .map(|r| RegionOption {
                code: r.code,
                name: r.name(self.lang_code()),
                selected: r.code == self.ctx.region.code,
            })
            .collect()
    }

    pub fn langs(&self) -> Vec<LangOption> {
        Lang::ALL
            .iter()
            .map(|l| LangOption {
                code: l.code(),
                name: l.native_name(),
                href: format!("/lang/{}?back={}", l.code(), self.back()),
                current: *l == self.ctx.lang,
            })
            .collect()
    }

    pub fn logged_in(&self) -> bool {
        self.ctx.user.is_some()
    }

    pub fn is_parent(&self) -> bool {
        self.ctx
            .user
            .as_ref()
            .is_some_and(|u| u.role == Role::Parent)
    }

    /// The number the bell shows: unread notifications, when there are any.
    pub fn unread_badge(&self) -> Option<i64> {
        self.unread_notifications.filter(|n| *n > 0)
    }

    /// The user's own cabinet: parents' or the staff one.
    pub fn cabinet_href(&self) -> &'static str {
        if self.is_parent() {
            "/cabinet"
        } else {
            "/staff"
        }
    }

    pub fn contact_phones(&self) -> &[String] {
        &self.app.settings.contact_phones
    }

    pub fn flash(&self) -> Option<String> {
        self.ctx.flash.as_deref().map(|k| self.t(k))
    }

    /// Renders a template into an HTML response.
    pub fn render(&self, status: StatusCode, template: &impl Template) -> PageResult {
        Ok((status, Html(template.render()?)).into_response())
    }
}

/// Values a visitor typed and the messages beside each field, for re-rendering a form.
#[derive(Default, Debug)]
pub struct FormState {
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
    /// A message over the whole form (e.g. a failed login).
    pub general: Option<String>,
    /// A neutral message, e.g. "the code was sent".
    pub notice: Option<String>,
}

impl FormState {
    pub fn with_values(values: &HashMap<String, String>) -> FormState {
        let mut values = values.clone();
        // Secrets are never sent back to the browser.
        for secret in ["csrf", "password", "password2", "current_password"] {
            values.remove(secret);
        }
        FormState {
            values,
            ..Default::default()
        }
    }

    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    pub fn set_value(&mut self, name: &str, value: impl Into<String>) {
        self.values.insert(name.to_owned(), value.into());
    }

    pub fn checked(&self, name: &str) -> bool {
        !self.value(name).is_empty()
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    pub fn set_error(&mut self, field: Option<&str>, message: String) {
        match field {
            Some(f) => {
                self.errors.insert(f.to_owned(), message);
            }
            None => self.general = Some(message),
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.general.is_some()
    }
}

/// Where each role works.
pub fn cabinet_path(role: Role) -> &'static str {
    match role {
        Role::Parent => "/cabinet",
        Role::Organization => "/org",
        Role::Admin => "/admin",
        Role::Department => "/department",
        Role::Moderator => "/moderation",
    }
}

/// A date typed in a form: `YYYY-MM-DD` (what date inputs send) or `DD.MM.YYYY` (typed by hand).
pub fn parse_date(input: &str) -> Option<chrono::NaiveDate> {
    let input = input.trim();
    chrono::NaiveDate::parse_from_str(input, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(input, "%d.%m.%Y"))
        .ok()
}

/// The submitted fields of a urlencoded form.
pub type Fields = HashMap<String, String>;

pub fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).map_or("", String::as_str)
}

/// `raw` when it is a path of this site, as the URL parser normalised it (percent-encoded, so
/// it fits a `Location` header); nothing for another host, a scheme (`https:`, `javascript:`),
/// a backslash, `//`, or any control character, which browsers drop before resolving the
/// address (`/\t/evil.example` would become `//evil.example`). The one check every redirect
/// to an address the visitor sent goes through.
pub fn local_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/')
        || raw.starts_with("//")
        || raw.contains('\\')
        || raw.chars().any(char::is_control)
    {
        return None;
    }
    let base = url::Url::parse("http://kezek.invalid/").expect("a valid base");
    let url = base.join(raw).ok()?;
    if url.origin() != base.origin() {
        return None;
    }
    let mut path = url.path().to_owned();
    // Dot segments resolve away: `/..//evil.example` normalises to `//evil.example`, which a
    // browser reads as another host.
    if path.starts_with("//") {
        return None;
    }
    if let Some(query) = url.query() {
        path.push('?');
        path.push_str(query);
    }
    Some(path)
}

/// 303 See Other, so a reload after a POST does not post again. An address that cannot be a
/// header value leads home instead of failing the request.
pub fn see_other(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(location) if to.bytes().all(|b| b.is_ascii_graphic()) => {
            (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
        }
        _ => {
            tracing::warn!("refused a redirect to an address that is no header value");
            Redirect::to("/").into_response()
        }
    }
}

/// A redirect that also shows `flash_key` once on the next page.
pub fn see_other_with_flash(app: &App, to: &str, flash_key: &str) -> Response {
    let mut response = see_other(to);
    response.headers_mut().append(
        header::SET_COOKIE,
        super::context::jar(app).set(super::cookies::FLASH, flash_key, Some(120), true),
    );
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_read_in_both_shapes() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 1);
        assert_eq!(super::parse_date("2026-12-01"), d);
        assert_eq!(super::parse_date(" 01.12.2026 "), d);
        assert_eq!(super::parse_date("31.02.2026"), None);
    }

    #[test]
    fn only_paths_of_this_site_are_local() {
        use super::local_path;
        assert_eq!(local_path("/login?x=1").as_deref(), Some("/login?x=1"));
        assert_eq!(
            local_path("/catalog?q=сад").as_deref(),
            Some("/catalog?q=%D1%81%D0%B0%D0%B4")
        );
        assert_eq!(local_path("/a/../b").as_deref(), Some("/b"));
        for bad in [
            "",
            "login",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/x\r\nSet-Cookie: a=b",
            "/\0",
            "/\u{7f}",
            "/\u{85}",
            "https://evil.example",
            "javascript:alert(1)",
            "\\\\evil.example",
            "/..//evil.example",
            "/./..//evil.example",
            "/a/../..//evil.example",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_redirect_never_fails_on_its_address() {
        for (to, expected) in [("/ok", "/ok"), ("/a\nb", "/"), ("/\u{0}", "/"), ("/é", "/")] {
            let r = super::see_other(to);
            assert_eq!(r.status(), axum::http::StatusCode::SEE_OTHER);
            assert_eq!(
                r.headers()[axum::http::header::LOCATION],
                expected,
                "{to:?}"
            );
        }
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(super::encode_query_value("/a?b=c&d"), "%2Fa%3Fb%3Dc%26d");
    }
}
